"""Demo 社情民意 for one community: about 150 opinions over the last six months, most closed and rated, some
still being worked, a few overdue. Deterministic for a given rng and database."""

import datetime
from collections import defaultdict

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from jumin.cases.demo import demo_case
from jumin.cases.models import Case, Phase, Satisfaction
from jumin.core.models import Role, User
from jumin.people.models import Resident

from .kind import KIND as OPINION
from .models import Category, Channel, Opinion

COUNT = 150
HISTORY_DAYS = 180

# (title, body, answer) per category; {bld} is the resident's building, {compound} their compound.
TOPICS: dict[str, list[tuple[str, str, str]]] = {
    Category.ENVIRONMENT: [
        (
            "{bld}下水道堵塞",
            "{compound}{bld}一楼下水道堵了好几天,污水返到地面,气味很大,请尽快派人疏通。",
            "已联系物业安排疏通,管道已清理完毕,物业今后每季度巡查一次。",
        ),
        (
            "{compound}垃圾桶满溢没人清",
            "{compound}北侧垃圾桶每天下午就满了,垃圾堆在地上,夏天招苍蝇,希望增加清运次数。",
            "已与环卫公司协调,清运由每天一次改为早晚两次,并增设两个垃圾桶。",
        ),
        (
            "{bld}楼道堆放杂物",
            "{bld}楼道里有人长期堆放旧家具和纸箱,既影响通行又有火灾隐患。",
            "网格员已上门劝导,杂物已清理,楼道张贴了禁止堆放的提示。",
        ),
        (
            "装修垃圾堆在{bld}楼下",
            "{bld}楼下有装修垃圾堆了一周多,没人清运,下雨后到处是泥。",
            "已找到装修户并督促其当天清运,物业将加强装修垃圾管理。",
        ),
        (
            "小区流浪猫太多",
            "{compound}流浪猫越来越多,晚上叫得厉害,还有孩子被抓伤,希望想想办法。",
            "已联系志愿者团队开展流浪猫绝育和领养,并提醒居民不要随意投喂。",
        ),
    ],
    Category.PROPERTY: [
        (
            "{bld}电梯经常停运",
            "{bld}电梯这个月已经停了三次,家里有老人上下楼很困难,希望物业彻底检修。",
            "已督促物业联系维保单位全面检修,更换了控制板,并承诺每月公示维保记录。",
        ),
        (
            "{bld}单元门禁坏了",
            "{bld}单元门禁坏了半个月,门一直开着,外人随便进出。",
            "物业已更换门禁主板,门禁恢复正常。",
        ),
        (
            "物业维修不及时",
            "家里水管漏水报修三天了,物业一直没人来,希望社区督促一下。",
            "已协调物业当天上门维修,并要求物业报修 24 小时内响应。",
        ),
        (
            "{bld}楼顶漏水",
            "下雨时{bld}顶楼天花板渗水,墙皮脱落,希望用维修资金修一下屋面。",
            "已组织业主代表和物业查看,屋面防水维修已纳入本月维修计划并完工。",
        ),
        (
            "物业费收费标准不清楚",
            "物业费今年涨了,不知道依据是什么,希望物业把收费标准和收支情况公开。",
            "已要求物业在各单元公告栏公示收费标准和上年度收支情况。",
        ),
    ],
    Category.PARKING: [
        (
            "希望增设电动车充电桩",
            "{compound}电动车越来越多,充电桩太少,有人从楼上拉线充电,很危险。",
            "已与供电部门和物业商定,在{compound}车棚新增 20 个充电口,下月投入使用。",
        ),
        (
            "{compound}东门乱停车堵路",
            "{compound}东门口每天晚上都停满车,消防车和救护车根本进不来。",
            "已联系东城交警施划禁停线,物业安排专人晚间疏导。",
        ),
        (
            "外来车辆占用小区车位",
            "很多外来车辆停进小区,居民下班回来没有地方停车。",
            "物业已启用车牌识别,外来车辆登记后临时停放,居民车位得到保障。",
        ),
        (
            "上学时段学校门口拥堵",
            "早上七点半学校门口车辆乱停,孩子过马路很危险。",
            "已协调交警和学校在上学高峰安排护学岗,并设置临时停车区。",
        ),
        (
            "消防通道被占",
            "{bld}旁边的消防通道长期停着几辆车,万一着火后果不堪设想。",
            "已通知车主挪车,物业在消防通道加装了隔离桩。",
        ),
    ],
    Category.FACILITIES: [
        (
            "{compound}东门路灯不亮",
            "{compound}东门附近的几盏路灯坏了一个多月,晚上出门很黑,老人容易摔倒。",
            "已报市政维修,损坏的路灯已全部更换。",
        ),
        (
            "健身器材损坏",
            "{compound}广场上的太空漫步机坏了,螺丝松动,怕伤到人。",
            "已对损坏器材停用维修,并对全部健身器材做了安全检查。",
        ),
        (
            "希望增设休息座椅",
            "小区里老人多,散步时没地方坐,希望在花园里加几张长椅。",
            "已在{compound}花园和主路两侧新增 8 张休息座椅。",
        ),
        (
            "{bld}楼前路面坑洼",
            "{bld}楼前的路面塌了几个坑,下雨积水,骑车容易摔。",
            "物业已对路面进行修补,积水问题已解决。",
        ),
        (
            "希望增加无障碍坡道",
            "{bld}单元门口只有台阶,坐轮椅的老人出不了门,希望修个坡道。",
            "已在{bld}单元门口加装无障碍坡道和扶手。",
        ),
    ],
    Category.SAFETY: [
        (
            "{bld}单元门常开不关",
            "{bld}单元门经常被人用砖头顶着,晚上也不关,担心不安全。",
            "网格员已在单元内宣传,物业修好了闭门器,夜间加强巡逻。",
        ),
        (
            "电动车在楼道充电",
            "{bld}有人把电动车推进楼道充电,电线拖得很长,存在火灾隐患。",
            "已上门劝导并开展消防安全宣传,电动车已移到车棚充电。",
        ),
        (
            "小区监控有盲区",
            "车棚附近没有监控,最近丢了两辆电动车,希望加装摄像头。",
            "已在车棚和北门新增 4 个监控点位,接入物业监控室。",
        ),
        (
            "高空抛物",
            "{bld}最近有人从楼上往下扔垃圾,差点砸到人,希望查一查。",
            "已在{bld}加装高空抛物监控,并入户开展宣传,情况已好转。",
        ),
    ],
    Category.NEIGHBOURS: [
        (
            "楼上夜间噪音",
            "楼上住户每天夜里十一点以后还在拖动家具、走路很重,影响休息。",
            "网格员已分别与双方沟通,楼上住户表示会注意,双方已达成谅解。",
        ),
        (
            "邻居空调外机滴水",
            "楼上空调外机的冷凝水一直滴在我家窗台上,噪音大还弄脏墙面。",
            "已协调邻居加装冷凝水管,问题已解决。",
        ),
        (
            "邻居养狗不拴绳",
            "{compound}有人遛狗不拴绳,孩子被吓哭了,希望加强管理。",
            "已开展文明养犬宣传,并与养犬居民沟通,承诺出门拴绳并及时清理粪便。",
        ),
        (
            "广场舞音乐太吵",
            "每天晚上广场舞音响声音很大,一直到九点多,影响孩子写作业。",
            "已与舞蹈队协商,音量调低并在晚八点半前结束。",
        ),
    ],
    Category.POLICY: [
        (
            "咨询高龄津贴怎么申请",
            "父亲今年满 80 岁了,想问高龄津贴需要准备什么材料、到哪里办。",
            "带户口本、身份证和银行卡到社区服务大厅民政窗口办理,也可由网格员上门代办。",
        ),
        (
            "咨询灵活就业社保缴费",
            "下岗后想以灵活就业身份继续交社保,不知道怎么办理、每月交多少。",
            "已由社保窗口电话详细答复办理流程和缴费档次,可到服务大厅社保窗口办理。",
        ),
        (
            "孩子入学需要哪些材料",
            "孩子明年上小学,想问需要准备哪些材料,什么时候报名。",
            "已告知入学报名时间和所需材料清单,报名前社区会另行通知。",
        ),
        (
            "咨询低保申请条件",
            "家里老人生病花费大,想了解低保的申请条件。",
            "已由民政窗口说明申请条件和流程,网格员将上门协助准备材料。",
        ),
        (
            "老旧小区改造什么时候轮到",
            "{compound}楼房年头久了,想问老旧小区改造有没有计划。",
            "已向街道了解,{compound}已列入明年改造计划,方案确定后会征求居民意见。",
        ),
    ],
    Category.OTHER: [
        (
            "建议开设老年人智能手机课",
            "很多老人不会用手机挂号、付款,希望社区开个智能手机学习班。",
            "社区将每周三下午在活动室开设智能手机课,由志愿者一对一辅导。",
        ),
        (
            "希望组织夏季纳凉晚会",
            "夏天晚上大家都在广场乘凉,希望社区组织几场文艺晚会,热闹一下。",
            "已由文体娱乐理事会牵头,7 月起每月举办一场纳凉晚会。",
        ),
        (
            "建议增加便民理发服务",
            "行动不便的老人理发困难,希望有志愿者定期上门理发。",
            "已联系便民服务队,每月第一个周六在社区开展义务理发,行动不便的可预约上门。",
        ),
        (
            "希望阅览室周末开放",
            "好家风阅览室周末不开门,上班族只有周末有时间,希望调整开放时间。",
            "阅览室已调整为周六全天开放,周一闭馆整理。",
        ),
    ],
}
# Share of each category among the demo opinions.
CATEGORY_WEIGHTS = {
    Category.ENVIRONMENT: 20,
    Category.PROPERTY: 20,
    Category.PARKING: 16,
    Category.FACILITIES: 15,
    Category.SAFETY: 9,
    Category.NEIGHBOURS: 8,
    Category.POLICY: 7,
    Category.OTHER: 5,
}
DECLINE_REASONS = [
    "经核实,该问题属于供热公司职责范围,已告知居民拨打供热服务热线,社区将跟进了解处理情况。",
    "该事项涉及个人之间的经济纠纷,建议通过人民调解或法律途径解决,社区可协助联系调解员。",
    "经现场查看,所反映情况已由物业于前日处理完毕。",
]
RATING_COMMENTS = {
    Satisfaction.SATISFIED: ["处理很及时,谢谢社区", "网格员很负责", "问题解决了,满意", "", ""],
    Satisfaction.BASIC: ["解决了,但是时间有点长", "基本解决,希望后续保持", ""],
    Satisfaction.UNSATISFIED: ["问题还没有彻底解决", "答复太笼统"],
}
# (state, share)
STATES = [("closed", 68), ("declined", 4), ("answered", 10), ("accepted", 9), ("submitted", 9)]
CHANNELS = [(Channel.ONLINE, 55), (Channel.GRID, 25), (Channel.RECEPTION_DAY, 10), (Channel.WINDOW, 10)]
H = datetime.timedelta(hours=1)


def _pick(rng, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights=weights)[0]


def _daytime(rng, now, days_ago: float) -> datetime.datetime:
    """A moment in office-ish hours `days_ago` before now (never in the future)."""
    day = timezone.localtime(now - datetime.timedelta(days=days_ago))
    moment = day.replace(hour=rng.randint(7, 20), minute=rng.randint(0, 59), second=0, microsecond=0)
    if moment > now - 0.5 * H:
        moment = now - datetime.timedelta(minutes=rng.randint(30, 180))
    return moment


def _staff(community):
    """Grid workers by grid, and the rest of the staff who take opinions, by role."""
    by_grid, by_role = defaultdict(list), defaultdict(list)
    users = User.objects.filter(
        community=community,
        is_active=True,
        role__in=[Role.GRID_WORKER, Role.WINDOW_STAFF, Role.SECRETARY, Role.PARTY_REP],
    ).order_by("id")
    for user in users.prefetch_related("grids"):
        by_role[user.role].append(user)
        if user.role == Role.GRID_WORKER:
            for grid in user.grids.all():
                by_grid[grid.pk].append(user)
    return by_grid, by_role


def _first(*candidates):
    for group in candidates:
        if group:
            return group[0]
    return None


def _path(rng, state, created_at, now):
    """(status, offset, comment) steps after 已提交, ending in `state`, all before now."""
    elapsed = now - created_at
    accept = min(rng.uniform(0.3, 20) * H, elapsed * 0.3)
    if state == "submitted":
        return [], None
    if state == "accepted":
        return [("accepted", accept, "")], None
    if state == "declined":
        steps = [("accepted", accept, "")] if rng.random() < 0.5 else []
        return [*steps, ("declined", accept + rng.uniform(2, 30) * H, rng.choice(DECLINE_REASONS))], None
    # Answered within three working days mostly; one in ten takes longer.
    answer = accept + (rng.uniform(24, 144) if rng.random() < 0.1 else rng.uniform(4, 60)) * H
    if state == "answered":
        answer = min(answer, elapsed * 0.9)
        return [("accepted", accept, ""), ("answered", answer, None)], None
    close = answer + rng.uniform(2, 48) * H
    rating = None
    if rng.random() < 0.88:
        value = _pick(rng, [(Satisfaction.SATISFIED, 78), (Satisfaction.BASIC, 17), (Satisfaction.UNSATISFIED, 5)])
        rating = (value, rng.choice(RATING_COMMENTS[value]))
    return [("accepted", accept, ""), ("answered", answer, None), ("closed", close, "")], rating


def _created_at(rng, state, now):
    if state in ("closed", "declined"):
        return _daytime(rng, now, rng.uniform(10, HISTORY_DAYS))
    if state == "answered":
        return _daytime(rng, now, rng.uniform(0.5, 3.5))
    # Open ones are recent; about one in seven is older and now overdue.
    if rng.random() < 0.15:
        return _daytime(rng, now, rng.uniform(5, 12))
    return now - rng.uniform(1, 30) * H


def demo_opinions(community, rng, now) -> str:
    adults = Resident.objects.filter(community=community).active().aged_at_least(18, timezone.localdate(now))
    ids = list(adults.order_by("id").values_list("id", flat=True))
    if not ids:
        return "没有居民,跳过"
    chosen = rng.sample(ids, min(COUNT, len(ids)))
    residents = Resident.objects.select_related("household__compound", "household__dwelling__unit__building").in_bulk(
        chosen
    )
    logins = {u.resident_id: u for u in User.objects.filter(resident_id__in=chosen, is_active=True)}
    by_grid, by_role = _staff(community)
    categories = list(CATEGORY_WEIGHTS.items())
    opinions = []
    for resident_id in chosen:
        resident = residents[resident_id]
        state = _pick(rng, STATES)
        category = _pick(rng, categories)
        title, body, answer = rng.choice(TOPICS[category])
        words = {
            "bld": resident.household.dwelling.unit.building.name,
            "compound": resident.household.compound.name,
        }
        title, body, answer = (text.format(**words) for text in (title, body, answer))
        channel = _pick(rng, CHANNELS)
        grid_worker = _first(by_grid.get(resident.grid_id))
        recorder = {
            Channel.ONLINE: logins.get(resident_id),
            Channel.GRID: grid_worker,
            Channel.RECEPTION_DAY: _first(by_role[Role.PARTY_REP], by_role[Role.SECRETARY]),
            Channel.WINDOW: _first(by_role[Role.WINDOW_STAFF], by_role[Role.SECRETARY]),
        }[channel]
        desk = by_role[Role.WINDOW_STAFF] + by_role[Role.PARTY_REP] + by_role[Role.SECRETARY]
        worker = grid_worker or (rng.choice(desk) if desk else None)
        created_at = _created_at(rng, state, now)
        path, rating = _path(rng, state, created_at, now)
        path = [(to, offset, answer if comment is None else comment) for to, offset, comment in path]
        case = demo_case(
            kind=OPINION,
            resident=resident,
            title=title,
            body=body,
            created_at=created_at,
            path=path,
            worker=worker,
            raised_by=recorder,
            rating=rating,
        )
        opinions.append(
            Opinion(
                community=community,
                case=case,
                category=category,
                allow_public=rng.random() < 0.4,
                channel=channel,
                recorded_by=recorder,
            )
        )
    Opinion.objects.bulk_create(opinions, batch_size=500)
    # auto_now_add stamps today; the opinion row belongs with its case's creation time.
    Opinion.objects.filter(community=community).update(
        created_at=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("created_at")[:1])
    )
    open_count = sum(1 for o in opinions if o.case.phase != Phase.CLOSED)
    return f"{len(opinions)} 条(办理中 {open_count} 条)"
