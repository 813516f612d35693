"""Demo 北镇微视 and notices for the showcase community: a season of twelve weekly episodes with transcripts, and
notices to everyone, to one compound, to one grid and to tagged residents (60+, 低保户), some pinned or urgent."""

import datetime

from django.utils import timezone

from jumin.core.models import Role, User
from jumin.places.models import Compound, Grid

from . import services

EPISODES = [
    ("玉龙湖社区志愿者的一天", "跟随志愿者走进楼道清洁日。"),
    ("好家风阅览室新书到", "居民捐赠的 200 册新书上架。"),
    ("垃圾分类,我们这样做", "网格员讲解分类投放小窍门。"),
    ("便民服务直通车开进小区", "出厂价的米面油送到家门口。"),
    ("重阳敬老,暖心饺子宴", "社区为 80 位老人过节。"),
    ("防范电信诈骗", "民警讲解冒充客服退款骗局。"),
    ("家庭代工,在家就业", "宝妈们在家做手工也能增收。"),
    ("楼道里的微议事", "3 号楼居民商量加装电梯。"),
    ("冬季用电用气安全", "物业和燃气公司上门检查。"),
    ("四点半课堂开课啦", "大学生志愿者辅导孩子功课。"),
    ("我们的网格员", "一位网格员的走访日记。"),
    ("年终回顾:玉龙湖这一年", "数说社区服务的变化。"),
]


def demo_news(community, rng, now) -> str:
    now = timezone.localtime(now)
    staff = User.objects.filter(community=community, role=Role.SECRETARY, is_active=True).order_by("id").first()
    if staff is None:
        return "没有社区书记账号,跳过北镇微视与通知演示数据"
    for week, (title, summary) in enumerate(EPISODES):
        aired = (now - datetime.timedelta(weeks=len(EPISODES) - 1 - week)).date()
        services.broadcast_publish(
            actor=staff,
            community=community,
            title=title,
            summary=summary,
            aired_on=aired,
            transcript=f"各位居民朋友,欢迎收看本期北镇微视。{summary}\n感谢收看,我们下周再见。",
        )
    compound = Compound.objects.filter(community=community).order_by("id").first()
    grid = Grid.objects.filter(community=community).order_by("number").first()
    plans = [
        (
            "12月份社区居民议事会安排",
            "本月 15 日下午 3 点在党群服务中心召开居民议事会,欢迎参加。",
            "event",
            {},
            True,
            False,
        ),
        (
            "本周六停水通知",
            "因管网维修,本周六 8:00–16:00 停水,请提前储水。",
            "warning",
            {"compounds": [compound.pk]},
            False,
            True,
        ),
        ("网格员入户走访安排", "下周网格员将入户核对信息,请配合。", "policy", {"grids": [grid.pk]}, False, False),
        (
            "老年人免费体检",
            "60 岁以上老人可到社区卫生服务站免费体检,请带身份证。",
            "event",
            {"tags": ["elderly"]},
            False,
            False,
        ),
        ("低保年审提醒", "请低保户在月底前到服务大厅办理年审。", "policy", {"tags": ["low_income"]}, False, True),
        ("电梯维修通知", "本小区 2 号楼电梯明日检修,请走楼梯。", "warning", {"compounds": [compound.pk]}, False, False),
    ]
    for n, (title, body, category, audience, pinned, urgent) in enumerate(plans):
        services.notice_publish(
            actor=staff,
            community=community,
            title=title,
            body=body,
            category=category,
            pinned=pinned,
            urgent=urgent,
            now=now - datetime.timedelta(days=len(plans) - n),
            **audience,
        )
    return f"北镇微视 {len(EPISODES)} 期,通知 {len(plans)} 条(全体、小区、网格、标签)"
