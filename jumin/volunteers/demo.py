"""Demo 志愿服务 for the showcase community: 40 volunteers (a few still waiting for approval), 15 activities over
the last three months and the next few weeks, with sign-ups, check-ins, confirmed hours and the points they earned,
and a few points spent. Everything goes through the services with `now=`, so the demo obeys the same rules."""

import datetime

from django.utils import timezone

from jumin.core.models import Role, User
from jumin.people.models import Resident

from . import services
from .models import Signup, Volunteer

VOLUNTEERS = 40
PENDING = 3
PAST, UPCOMING = 10, 5
SKILLS = ["理发", "家电维修", "陪伴老人", "摄影", "急救", "书法", "辅导功课", "水电维修", "文艺表演", "法律咨询", ""]
AVAILABILITY = ["周末上午", "工作日晚上", "随时", "周六全天", "工作日白天", ""]
ACTIVITIES = [
    ("楼道清洁日", "各楼栋楼道", "清理楼道杂物、擦拭扶手,消除消防隐患。"),
    ("关爱空巢老人上门探访", "社区服务站", "两人一组上门探访独居老人,帮忙打扫、聊天。"),
    ("义务理发", "社区党群服务中心", "为 60 岁以上老人免费理发。"),
    ("垃圾分类宣传引导", "小区垃圾投放点", "早晚高峰在投放点引导居民分类投放。"),
    ("防范电信诈骗宣传", "社区广场", "发放宣传册,讲解常见诈骗手法。"),
    ("小区绿化养护", "中心花园", "修剪绿篱、补种花草。"),
    ("四点半课堂辅导", "社区活动室", "放学后辅导小学生完成作业。"),
    ("家电义务维修", "社区广场", "为居民免费检修小家电。"),
    ("文明交通劝导", "小区东门路口", "上下班高峰劝导电动车规范停放。"),
    ("健康义诊协助", "社区卫生服务站", "协助医生量血压、登记。"),
    ("爱心超市值守", "便民生活服务直通车", "整理货架、帮助老人挑选商品。"),
    ("好家风阅览室整理图书", "好家风阅览室", "整理上架、修补旧书。"),
    ("消防安全隐患排查", "各楼栋", "检查楼道灭火器和电动车充电情况。"),
    ("重阳节敬老活动", "社区党群服务中心", "为老人包饺子、表演节目。"),
    ("社区运动会保障", "社区广场", "维持秩序、分发饮用水。"),
]


def _staff(community):
    users = User.objects.filter(community=community, is_active=True)
    secretary = users.filter(role=Role.SECRETARY).order_by("id").first()
    organisers = list(users.filter(role__in=[Role.SECRETARY, Role.GRID_WORKER, Role.WINDOW_STAFF]).order_by("id"))
    return secretary, organisers


def _pick_residents(community, rng, now):
    # The demo logins of the community (the 60+ resident and the younger one) are volunteers too, so a visitor who
    # signs in as them sees hours and points.
    with_login = list(
        User.objects.filter(role=Role.RESIDENT, resident__community=community)
        .values_list("resident_id", flat=True)
        .order_by("resident_id")
    )
    adults = list(
        Resident.objects.active()
        .filter(community=community)
        .aged_at_least(18, now.date())
        .aged_below(76, now.date())
        .exclude(pk__in=with_login)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    chosen = with_login + rng.sample(adults, min(len(adults), VOLUNTEERS - len(with_login)))
    return list(Resident.objects.filter(pk__in=chosen).order_by("id"))


def demo_volunteers(community, rng, now) -> str:
    now = timezone.localtime(now)
    secretary, organisers = _staff(community)
    if secretary is None or not organisers:
        return "没有社区书记账号,跳过志愿服务演示数据"
    residents = _pick_residents(community, rng, now)
    applied = now - datetime.timedelta(days=120)
    volunteers = []
    logins = set(User.objects.filter(resident__in=residents).values_list("resident_id", flat=True))
    for index, resident in enumerate(residents):
        volunteer = services.volunteer_apply(
            actor=secretary,
            resident=resident,
            skills="、".join(sorted({rng.choice(SKILLS), rng.choice(SKILLS)} - {""})),
            availability=rng.choice(AVAILABILITY),
            is_dual_report=rng.random() < 0.15,
            now=applied,
        )
        if index >= len(residents) - PENDING and resident.pk not in logins:
            continue  # still waiting for a decision
        volunteers.append(services.volunteer_decide(actor=secretary, volunteer=volunteer, approve=True, now=applied))

    confirmed = 0
    for index, (title, place, description) in enumerate(ACTIVITIES[: PAST + UPCOMING]):
        past = index < PAST
        day = now - datetime.timedelta(days=7 + index * 8) if past else now + datetime.timedelta(days=3 + index * 2)
        start = day.replace(hour=rng.choice([8, 9, 14, 15]), minute=0, second=0, microsecond=0)
        published = start - datetime.timedelta(days=10)
        shifts = [
            {
                "starts_at": start + datetime.timedelta(days=n),
                "ends_at": start + datetime.timedelta(days=n, hours=rng.choice([2, 2, 3, 4])),
                "slots": rng.randint(4, 10),
                "place": place,
                "skills_wanted": rng.choice(SKILLS),
            }
            for n in range(rng.randint(1, 3))
        ]
        organiser = rng.choice(organisers)
        activity = services.activity_create(
            actor=organiser,
            community=community,
            title=title,
            place=place,
            description=description,
            shifts=shifts,
            now=published,
        )
        for shift in activity.shifts.all():
            taking = rng.sample(volunteers, min(len(volunteers), shift.slots - (0 if past else rng.randint(1, 3))))
            for volunteer in taking:
                services.signup_create(
                    actor=secretary if rng.random() < 0.2 else _login_or(volunteer, secretary),
                    shift=shift,
                    volunteer=volunteer,
                    now=published + datetime.timedelta(days=rng.randint(1, 8)),
                )
            if not past:
                continue
            for signup in Signup.objects.filter(shift=shift).select_related(
                "shift__activity", "volunteer__resident__user"
            ):
                if rng.random() < 0.1:
                    services.signup_mark_absent(
                        actor=organiser, signup=signup, now=shift.starts_at + datetime.timedelta(minutes=30)
                    )
                    continue
                arrived = shift.starts_at + datetime.timedelta(minutes=rng.randint(-10, 15))
                signup = services.signup_check_in(actor=organiser, signup=signup, now=arrived)
                left = shift.ends_at + datetime.timedelta(minutes=rng.randint(-20, 10))
                signup = services.signup_check_out(actor=organiser, signup=signup, now=left)
                services.signup_confirm(actor=organiser, signup=signup, now=shift.ends_at + datetime.timedelta(hours=2))
                confirmed += 1

    spent = 0
    for volunteer in rng.sample(volunteers, min(6, len(volunteers))):
        account = services.volunteer_account(volunteer)
        if account.balance >= 20:
            services.points_spend(
                actor=secretary,
                volunteer=volunteer,
                amount=20,
                memo="便民生活服务直通车抵扣 2 元",
                now=now - datetime.timedelta(days=2),
            )
            spent += 1
    total = Volunteer.objects.filter(community=community).count()
    return f"{total} 名志愿者,{PAST + UPCOMING} 个活动,{confirmed} 条确认时长,{spent} 笔积分兑换"


def _login_or(volunteer, fallback):
    """The volunteer signs up themselves when they have a login, else staff took the call."""
    return getattr(volunteer.resident, "user", None) or fallback
