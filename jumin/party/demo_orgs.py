"""Demo party organisation and reception days, made through the services (with `now=`).

Every community gets its committee under the street's 大工委, a branch per station and grid, and building groups of
a few buildings each; every resident the register tags 党员 is placed in exactly one of them. The showcase community's
committee seats part-time members from its partner units; the demo party representative holds reception days there."""

import datetime

from django.utils import timezone

from jumin.core.models import Role, User
from jumin.partners.models import PartnerUnit
from jumin.people.models import Resident
from jumin.places.models import Building

from .models import CommitteeMember, MemberStanding, OrgLevel, PartyMember, PartyOrg, PartyOrgRole
from .services import (
    committee_seat_add,
    members_place_tagged,
    org_create,
    reception_day_create,
    reception_opinion_record,
    signup_create,
)

GROUP_SIZE = 4
WORKPLACES = ["滨化集团", "华纺股份", "区粮食局", "北镇第七小学", "区人民医院", "滨城区税务局", "市自来水公司"]
PART_TIME_DUTIES = ["联系共建资源", "组织党员志愿服务", "协调难题共办"]


def _leader(street):
    return User.objects.filter(role=Role.STREET_LEADER, street=street, is_active=True).order_by("id").first()


def _street_committee(street, actor):
    org = PartyOrg.objects.filter(level=OrgLevel.STREET_COMMITTEE, street=street).first()
    if org is None:
        org = org_create(actor=actor, level=OrgLevel.STREET_COMMITTEE, name=f"{street.name}大工委", street=street)
        for unit in PartnerUnit.objects.filter(street=street, community__isnull=True).order_by("id"):
            _part_time(actor, org, unit)
    return org


def _part_time(actor, org, unit):
    contact = unit.members.order_by("id").first()
    committee_seat_add(
        actor=actor,
        org=org,
        role=PartyOrgRole.PART_TIME,
        partner_unit=unit,
        name=contact.name if contact else unit.contact_name or unit.name,
        duty=PART_TIME_DUTIES[unit.pk % len(PART_TIME_DUTIES)],
    )


def _tree(community, actor, top):
    committee = org_create(
        actor=actor, level=OrgLevel.COMMUNITY_COMMITTEE, name=f"{community.name}党委", parent=top, community=community
    )
    for station in community.stations.order_by("id"):
        branch = org_create(
            actor=actor, level=OrgLevel.STATION_BRANCH, name=f"{station.name}党总支", parent=committee, station=station
        )
        for grid in station.grids.order_by("number"):
            grid_branch = org_create(
                actor=actor, level=OrgLevel.GRID_BRANCH, name=f"{grid.name}党支部", parent=branch, grid=grid
            )
            buildings = list(
                Building.objects.filter(grid=grid).select_related("compound").order_by("compound_id", "id")
            )
            for start in range(0, len(buildings), GROUP_SIZE):
                chunk = buildings[start : start + GROUP_SIZE]
                name = (
                    f"{chunk[0].compound.name}{chunk[0].name}等楼宇党小组"
                    if len(chunk) > 1
                    else f"{chunk[0].compound.name}{chunk[0].name}党小组"
                )
                org_create(actor=actor, level=OrgLevel.BUILDING_GROUP, name=name, parent=grid_branch, buildings=chunk)
    return committee


def _details(community, rng, today) -> dict:
    rows = Resident.objects.active().filter(community=community, resident_tags__tag__code="party_member")
    details = {}
    for pk, birth in rows.values_list("id", "birth_date").order_by("id"):
        age = (today - birth).days // 365
        adult = (
            birth.replace(year=birth.year + 18)
            if not (birth.month == 2 and birth.day == 29)
            else birth.replace(year=birth.year + 18, day=28)
        )
        span = max((today - adult).days, 1)
        joined = adult + datetime.timedelta(days=rng.randint(0, span))
        item = {"joined_on": min(joined, today)}
        if age < 45 and rng.random() < 0.06:
            item.update(
                joined_on=today - datetime.timedelta(days=rng.randint(30, 300)),
                standing=MemberStanding.PROBATIONARY,
                probation_ends=today + datetime.timedelta(days=rng.randint(20, 330)),
            )
        if 22 <= age < 60 and rng.random() < 0.3:
            item.update(dual_report=True, workplace=rng.choice(WORKPLACES))
        details[pk] = item
    return details


def _secretaries(actor, community):
    """Each organisation's secretary: one of its own full members; then, for an organisation with none of its own
    (the community committee's members all sit in the branches and groups), one from the organisations below."""
    from .selectors import subtree_ids

    taken = set(CommitteeMember.objects.filter(member__community=community).values_list("member_id", flat=True))
    orgs = list(PartyOrg.objects.filter(community=community).order_by("depth", "id"))
    for below in (False, True):
        seated = set(
            CommitteeMember.objects.filter(org__in=orgs, role=PartyOrgRole.SECRETARY).values_list("org_id", flat=True)
        )
        for org in orgs:
            if org.pk in seated:
                continue
            member = (
                PartyMember.objects.filter(
                    org_id__in=subtree_ids([org.pk]) if below else [org.pk], active=True, standing=MemberStanding.FULL
                )
                .exclude(pk__in=taken)
                .select_related("resident")
                .order_by("joined_on", "id")
                .first()
            )
            if member is not None:
                committee_seat_add(actor=actor, org=org, role=PartyOrgRole.SECRETARY, member=member)
                taken.add(member.pk)


def demo_organisation(community, rng, now) -> str:
    actor = _leader(community.street)
    if actor is None:
        return "没有街道领导账号,跳过"
    top = _street_committee(community.street, actor)
    _tree(community, actor, top)
    placed = members_place_tagged(
        actor=actor, community=community, details=_details(community, rng, timezone.localdate(now)), now=now
    )
    _secretaries(actor, community)
    committee = PartyOrg.objects.get(level=OrgLevel.COMMUNITY_COMMITTEE, community=community)
    for unit in PartnerUnit.objects.filter(community=community).order_by("id"):
        _part_time(actor, committee, unit)
    orgs = PartyOrg.objects.filter(community=community).count()
    return f"{orgs} 个党组织,{placed} 名党员"


REP_PHONE = "13900000008"
DAY_OFFSETS = (-56, -28, -7, 7, 21)
TOPICS = ["老旧小区改造听民意", "停车难问题面对面", "为老服务需求征集", "社区环境整治", "便民服务进小区"]
HEARD = [
    ("希望加装电梯", "facilities", "我们楼里老人多,上下楼困难,希望推进老旧楼加装电梯。"),
    ("夜间停车难", "parking", "下班回来小区里没有车位,只能停在路边,希望想办法增加车位。"),
    ("活动室开放时间太短", "other", "老年活动室下午四点就关门,希望延长到晚上。"),
    ("楼道灯坏了", "facilities", "单元楼道灯坏了很久,晚上上楼看不见。"),
]


def demo_reception_days(community, rng, now) -> str:
    rep = User.objects.filter(phone=REP_PHONE, role=Role.PARTY_REP, community=community).first()
    if rep is None:
        return "没有党代表账号,跳过"
    today = timezone.localdate(now)
    residents = list(
        Resident.objects.active().filter(community=community).aged_at_least(30, today).order_by("id")[:400]
    )
    station = community.stations.order_by("id").first()
    heard = 0
    for n, offset in enumerate(DAY_OFFSETS):
        day_date = today + datetime.timedelta(days=offset)
        when = timezone.make_aware(datetime.datetime.combine(day_date, datetime.time(8)))
        day = reception_day_create(
            actor=rep,
            date=day_date,
            place=f"{station.name if station else community.name}红色驿站",
            topic=TOPICS[n % len(TOPICS)],
            station=station,
            slots=[
                (datetime.time(h, m), datetime.time(h + (m + 30) // 60, (m + 30) % 60), 3)
                for h, m in ((9, 0), (9, 30), (10, 0), (10, 30))
            ],
            now=when,
        )
        signups = []
        for slot in day.slots.all():
            for resident in rng.sample(residents, rng.randint(1, 3)):
                if not any(s.resident_id == resident.pk for s in signups):
                    signups.append(signup_create(actor=rep, slot=slot, resident=resident, now=when))
        if offset < 0:
            for signup in signups[: rng.randint(2, 4)]:
                title, category, text = rng.choice(HEARD)
                reception_opinion_record(
                    actor=rep, day=day, signup=signup, resident=None, title=title, text=text, category=category
                )
                heard += 1
    return f"{len(DAY_OFFSETS)} 个接待日,登记社情民意 {heard} 件"


TASKS = [
    ("服务站周末值守", "玉龙湖服务站", "周末在服务站接待来访居民,帮老人填表、用手机"),
    ("楼道清扫和小广告清理", "各小区楼道", "清理楼道杂物和小广告"),
    ("走访空巢老人", "网格内空巢老人家中", "陪老人聊聊天,看看有什么需要"),
    ("社区义诊志愿", "党群服务中心", "协助卫生服务站量血压、登记"),
    ("防诈骗宣传进小区", "小区广场", "发放宣传单,讲解常见骗局"),
    ("助学辅导", "社区四点半课堂", "辅导小学生写作业"),
]
TASK_OFFSETS = (-49, -35, -21, -14, -7, 5, 12)


def demo_service_tasks(community, rng, now) -> str:
    """双报到服务任务 over the last weeks and the next two: published by the committee and the station branches,
    taken by 双报到 members (some signing up, some given the task), and most of the past ones done."""
    from .services import task_claim, task_complete, task_create

    secretary = User.objects.filter(community=community, role=Role.SECRETARY, is_active=True).order_by("id").first()
    orgs = list(PartyOrg.objects.filter(community=community, depth__in=(2, 3)).order_by("depth", "id"))
    if secretary is None or not orgs:
        return "没有社区书记账号或党组织,跳过"
    members = list(
        PartyMember.objects.filter(community=community, active=True, dual_report=True)
        .select_related("resident", "org")
        .order_by("id")
    )
    users = {u.resident_id: u for u in User.objects.filter(community=community, role=Role.RESIDENT, is_active=True)}
    today = timezone.localdate(now)
    tasks = done = 0
    for n, offset in enumerate(TASK_OFFSETS):
        day = today + datetime.timedelta(days=offset)
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))) if offset < 0 else now
        title, place, detail = TASKS[n % len(TASKS)]
        org = orgs[n % len(orgs)]
        task = task_create(
            actor=secretary,
            org=org,
            title=title,
            date=day,
            capacity=rng.randint(3, 6),
            place=place,
            detail=detail,
            now=when - datetime.timedelta(days=3) if offset < 0 else now,
        )
        tasks += 1
        subtree = _subtree(org)  # once per task, not once per member
        below = [m for m in members if m.org_id in subtree]
        for member in rng.sample(below, min(len(below), task.capacity - rng.randint(0, 1))):
            actor = users.get(member.resident_id) if rng.random() < 0.5 else None
            claim = task_claim(
                actor=actor or secretary, task=task, member=member, now=when - datetime.timedelta(days=1)
            )
            if offset < 0 and rng.random() < 0.85:
                task_complete(
                    actor=actor or secretary,
                    claim=claim,
                    hours=rng.choice(("1.5", "2", "2.5", "3", "4")),
                    result="已完成," + detail,
                    now=when + datetime.timedelta(hours=3),
                )
                done += 1
    return f"{tasks} 个双报到服务任务,完成 {done} 人次"


def _subtree(org) -> set:
    from .selectors import subtree_ids

    return set(subtree_ids([org.pk]))
