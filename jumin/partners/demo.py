"""Demo partner units: 滨化, 华纺 and 区粮食局 on the street committee, six units in the showcase community, each with
two or three people and what it offers; the demo partner-unit member's login belongs to 东城交警."""

from faker import Faker

from jumin.core.models import Role, User

from .models import PartnerMember, PartnerResource, PartnerUnit, ResourceKind, UnitKind

PARTNER_PHONE = "13900000009"
# (name, kind, what they offer)
STREET_UNITS = [
    (
        "滨化集团",
        UnitKind.ENTERPRISE,
        [(ResourceKind.ROOM, "职工活动中心多功能厅"), (ResourceKind.STAFF, "党员志愿者每月 40 小时")],
    ),
    (
        "华纺股份",
        UnitKind.ENTERPRISE,
        [(ResourceKind.SERVICE, "家庭代工订单对接"), (ResourceKind.EQUIPMENT, "缝纫设备 20 台")],
    ),
    ("区粮食局", UnitKind.AGENCY, [(ResourceKind.SERVICE, "粮油平价供应"), (ResourceKind.STAFF, "机关党员双报到服务")]),
]
COMMUNITY_UNITS = [
    (
        "北镇第七小学",
        UnitKind.SCHOOL,
        [(ResourceKind.ROOM, "周末开放操场和图书室"), (ResourceKind.SERVICE, "四点半课堂")],
    ),
    (
        "玉龙湖社区卫生服务站",
        UnitKind.HEALTH,
        [(ResourceKind.SERVICE, "老年人每月免费体检"), (ResourceKind.STAFF, "家庭医生签约")],
    ),
    (
        "东城交警中队",
        UnitKind.POLICE,
        [(ResourceKind.SERVICE, "上学高峰护学岗"), (ResourceKind.STAFF, "交通安全进社区")],
    ),
    ("北镇供电所", UnitKind.ENTERPRISE, [(ResourceKind.SERVICE, "老旧线路义务检修")]),
    ("玉龙湖幼儿园", UnitKind.SCHOOL, [(ResourceKind.ROOM, "亲子活动室")]),
    ("滨城区法律援助中心", UnitKind.AGENCY, [(ResourceKind.SERVICE, "每周三法律咨询")]),
]
TITLES = ["党委书记", "党支部书记", "办公室主任", "联络员", "志愿服务队长"]


def _unit(street, community, name, kind, offers, fake, rng) -> PartnerUnit:
    unit, created = PartnerUnit.objects.get_or_create(
        street=street,
        community=community,
        name=name,
        defaults={
            "kind": kind,
            "contact_name": fake.name(),
            "contact_phone": f"0543{rng.randint(1000000, 9999999)}",
            "note": "、".join(offer for _, offer in offers),
        },
    )
    if created:
        PartnerResource.objects.bulk_create([PartnerResource(unit=unit, kind=k, name=n) for k, n in offers])
        PartnerMember.objects.bulk_create(
            [PartnerMember(unit=unit, name=fake.name(), title=rng.choice(TITLES)) for _ in range(rng.randint(2, 3))]
        )
    return unit


def demo_partners(community, rng, now) -> str:
    fake = Faker("zh_CN")
    fake.seed_instance(rng.randint(0, 10**9))
    street = community.street
    for name, kind, offers in STREET_UNITS:
        _unit(street, None, name, kind, offers, fake, rng)
    units = [_unit(street, community, name, kind, offers, fake, rng) for name, kind, offers in COMMUNITY_UNITS]
    account = User.objects.filter(phone=PARTNER_PHONE, role=Role.PARTNER_MEMBER).first()
    if account is not None and not PartnerMember.objects.filter(user=account).exists():
        police = next(u for u in units if u.kind == UnitKind.POLICE)
        PartnerMember.objects.create(unit=police, name=account.name, title="联络员", phone=account.phone, user=account)
    return f"{len(STREET_UNITS)} 家街道共建单位,{len(units)} 家社区共建单位"


MEETINGS = [
    (
        -60,
        "第三季度党建联席会议",
        "一、通报社区重点工作;二、共商上学高峰交通拥堵;三、老年人健康服务",
        [
            ("东城交警中队", "上学高峰在北镇七小门口设护学岗,施划临时停车区", 30, "done"),
            ("玉龙湖社区卫生服务站", "每月为 60 岁以上居民免费体检一次", 45, "in_progress"),
            (None, "各共建单位党员到社区双报到,认领服务岗位", 0, None),
        ],
    ),
    (
        -14,
        "第四季度党建联席会议",
        "一、冬季供暖和用电安全;二、老旧线路检修;三、法律服务进小区",
        [
            ("北镇供电所", "对瑞恒家园老旧线路开展义务检修", 40, "assigned"),
            ("滨城区法律援助中心", "每周三在红色驿站设法律咨询点", 20, "in_progress"),
        ],
    ),
    (10, "2027年第一季度党建联席会议", "一、年度共建项目清单;二、难题共办进展通报", []),
]


def demo_meetings(community, rng, now) -> str:
    """Three joint meetings: two held with resolutions and their joint tasks at different stages, one to come."""
    import datetime

    from django.utils import timezone

    from jumin.cases.services import case_take, case_transition

    from .services import meeting_create, meeting_record, resolution_add, task_report

    secretary = User.objects.filter(community=community, role=Role.SECRETARY, is_active=True).order_by("id").first()
    if secretary is None:
        return "没有社区书记账号,跳过"
    units = list(PartnerUnit.objects.filter(community=community).order_by("id")) + list(
        PartnerUnit.objects.filter(street=community.street, community__isnull=True).order_by("id")
    )
    by_name = {u.name: u for u in units}
    tasks = 0
    for offset, title, agenda, resolutions in MEETINGS:
        held_at = timezone.localtime(now).replace(hour=14, minute=30, second=0, microsecond=0) + datetime.timedelta(
            days=offset
        )
        meeting = meeting_create(
            actor=secretary,
            community=community,
            title=title,
            held_at=held_at,
            place="社区党群服务中心会议室",
            agenda=agenda,
            units=units,
        )
        if offset > 0:
            continue
        present = {
            u.pk: (u.members.order_by("id").first().name if u.members.exists() and rng.random() < 0.85 else "")
            for u in units
        }
        meeting = meeting_record(
            actor=secretary,
            meeting=meeting,
            minutes=f"会议围绕{agenda}进行了讨论,形成决议如下。",
            present=present,
            expected_version=meeting.version,
        )
        for unit_name, text, days, state in resolutions:
            unit = by_name.get(unit_name) if unit_name else None
            deadline = timezone.localdate(now) + datetime.timedelta(days=days) if unit else None
            resolution = resolution_add(actor=secretary, meeting=meeting, text=text, owner_unit=unit, deadline=deadline)
            if unit is None:
                continue
            tasks += 1
            task = resolution.task
            member = unit.members.exclude(user=None).first() or None
            if state in ("in_progress", "done"):
                case = case_take(actor=secretary, case=task.case)
                reporter = member.user if member else secretary
                task_report(
                    actor=reporter,
                    task=task,
                    progress=60 if state == "in_progress" else 100,
                    note="已协调落实,正在推进",
                )
                if state == "done":
                    case_transition(actor=secretary, case=case, to="done", comment="已按决议落实完毕")
    return f"{len(MEETINGS)} 次联席会议,难题共办 {tasks} 件"


def demo_bookings(community, rng, now) -> str:
    """Weekly windows on every room and staff resource, and a few bookings: approved, pending and refused."""
    import datetime

    from django.utils import timezone

    from .bookings import availability_set, booking_decide, booking_request

    secretary = User.objects.filter(community=community, role=Role.SECRETARY, is_active=True).order_by("id").first()
    if secretary is None:
        return "没有社区书记账号,跳过"
    resources = list(
        PartnerResource.objects.filter(unit__street=community.street, kind__in=[ResourceKind.ROOM, ResourceKind.STAFF])
        .select_related("unit")
        .order_by("id")
    )
    for r in resources:
        availability_set(
            actor=secretary,
            resource=r,
            windows=[(d, datetime.time(8, 30), datetime.time(17, 30)) for d in (1, 3, 5, 6)],
        )
    made = 0
    today = timezone.localdate(now)
    for n, r in enumerate(resources[:4]):
        day = today + datetime.timedelta(days=(5 - today.weekday()) % 7 + 7 * (n % 2 + 1))  # a coming Saturday
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        booking = booking_request(
            actor=secretary,
            resource=r,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            booker_kind="council",
            booker_name="文体娱乐理事会",
            purpose="居民文艺汇演排练",
            now=now,
        )
        made += 1
        member = r.unit.members.exclude(user=None).first()
        if member is not None and n % 2 == 0:
            booking_decide(actor=member.user, booking=booking, approve=True, now=now)
    return f"{len(resources)} 项共建资源开放预约,{made} 条预约"
