"""Demo disputes for the showcase community: about forty over six months, most settled, a few still open, with
sessions, agreements and follow-up visits. Parties are the demo's own (made-up) residents."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from jumin.cases.demo import demo_case
from jumin.cases.models import Case, CaseEvent, CaseFollowUp, EventKind, Level
from jumin.core.models import Role, User
from jumin.people.models import Resident, ResidentStatus

from .kind import ACCEPTED, AGREED, CLOSED, FAILED, KIND, MEDIATING
from .models import Agreement, Category, Dispute, MediationSession, NamedParty

DISPUTES = 40
ESCALATED = {12, 27}
DAYS = 180
CATEGORY_WEIGHTS = {
    Category.NOISE: 12,
    Category.LEAK: 9,
    Category.PARKING: 8,
    Category.FAMILY: 6,
    Category.PROPERTY: 3,
    Category.OTHER: 2,
}
# (title, what the requester says, what the parties agree)
STORIES = {
    Category.NOISE: [
        (
            "楼上夜间噪音影响休息",
            "{other_address}住户经常在夜里十一点以后拖动桌椅、走动声音很大,家里老人和孩子休息受影响,上门沟通过两次没有改善。",
            "一、{other}家每晚22:00后不再进行产生较大声响的活动,桌椅加装防滑脚垫;二、双方互留联系方式,有问题先电话沟通;"
            "三、调解员一个月后回访。",
        ),
        (
            "邻居装修噪音扰民",
            "{other_address}装修期间周末早上七点就开始电钻作业,希望协调施工时间。",
            "一、{other}家装修只在工作日8:00—12:00、14:00—18:00施工,周末不做高噪音作业;二、装修队负责人留下电话,随时联系。",
        ),
        (
            "邻居家狗夜间吠叫",
            "{other_address}养的狗每天夜里叫,影响整个单元休息,希望社区帮忙沟通。",
            "一、{other}家夜间将狗关在室内并加装隔音垫;二、外出遛狗拴绳,及时清理粪便;三、两周后回访。",
        ),
    ],
    Category.LEAK: [
        (
            "楼上卫生间漏水渗到我家",
            "{other_address}卫生间防水层老化,我家卫生间顶棚渗水发霉,双方对维修费用分担有分歧。",
            "一、{other}家于一个月内请专业人员重做卫生间防水;二、我家顶棚修复费用由{other}家承担六成、{requester}家承担四成;"
            "三、维修完成后双方共同验收。",
        ),
        (
            "空调冷凝水滴到我家窗台",
            "{other_address}的空调外机冷凝水直接滴在我家窗台上,夏天天天响,还把墙面泡坏了。",
            "一、{other}家一周内加装冷凝水排水管并接入雨水管;二、窗台墙面由{other}家负责修补。",
        ),
    ],
    Category.PARKING: [
        (
            "车位被长期占用",
            "我家购买的地下车位经常被{other}家的车占用,沟通后仍未改正。",
            "一、{other}家不再占用{requester}家车位,临时停车先电话征得同意;二、物业在车位处加装提示牌。",
        ),
        (
            "楼道口停车挡住通道",
            "{other}家的车长期停在单元门口,老人轮椅进出困难,消防通道也被挡住。",
            "一、{other}家车辆停入小区规划车位,不在单元门口停放;二、小区理事会在单元门口施划禁停标线。",
        ),
        (
            "私装地锁占用公共车位",
            "{other}家在公共车位上私装地锁,其他住户无法停车,希望社区处理。",
            "一、{other}家三日内自行拆除地锁;二、公共车位按小区理事会规定先到先停。",
        ),
    ],
    Category.FAMILY: [
        (
            "老人赡养费用分担",
            "兄弟姐妹之间对父母赡养费用和轮流照顾的安排意见不一致,多次争吵,希望社区帮忙协调。",
            "一、子女每月各出赡养费500元,由{requester}统一管理,每月公布开支;二、父母由子女按月轮流照顾;三、遇事召开家庭会议商量。",
        ),
        (
            "家庭成员长期争吵",
            "家庭成员之间因生活琐事长期争吵,老人身体不好,希望调解员帮助化解。",
            "一、双方互相尊重,不在老人面前争吵;二、家务按周分工;三、每月家庭聚餐一次,有矛盾当面说开。",
        ),
    ],
    Category.PROPERTY: [
        (
            "单元门维修费用分摊",
            "单元门损坏需要更换,和{other}家对费用怎么分摊意见不一致。",
            "一、单元门更换费用按户平摊,每户120元;二、由单元长统一收取并公示票据。",
        ),
    ],
    Category.OTHER: [
        (
            "楼道堆放杂物",
            "{other_address}住户在楼道长期堆放纸箱和旧家具,存在消防隐患,劝说无效。",
            "一、{other}家一周内清理楼道杂物;二、今后不在公共部位堆放物品;三、网格员不定期查看。",
        ),
    ],
}
PLACES = ["社区调解室", "玉龙湖服务站议事室", "瑞恒服务站议事室", "当事人家中", "小区物业办公室"]
SESSION_NOTES = [
    "分别听取双方陈述,了解事情经过。双方情绪较激动,约定再次面谈。",
    "背靠背分别做工作,讲解相关法律规定和邻里相处之道,双方态度有所缓和。",
    "双方当面协商,就解决办法基本达成一致。",
]
FAIL_REASONS = [
    "双方对赔偿金额分歧较大,一方拒绝继续调解。已告知当事人可申请人民调解委员会调解或通过诉讼解决。",
    "一方多次未到场,调解无法继续。已告知当事人其他解决途径。",
]
FOLLOW_UP_NOTES = [
    "上门回访,双方均按协议履行,关系已缓和。",
    "电话回访,当事人表示问题已解决,对调解结果满意。",
    "上门查看,协议约定事项已完成,双方无新的矛盾。",
]
ESCALATE_REASON = "转交街道:移交街道司法所(涉及金额较大,一方不同意在社区调解)"


@dataclass
class Person:
    id: int
    household_id: int
    building_id: int
    address: str
    name: str


@dataclass
class Story:
    """When things happen after the dispute is raised; steps later than now are left out."""

    accepted: datetime.timedelta
    sessions: list[datetime.timedelta]
    outcome: str  # agreed, failed or escalated
    decided: datetime.timedelta
    follow_up: datetime.timedelta | None = None
    closed: datetime.timedelta | None = None


def _hours(rng, low, high):
    return datetime.timedelta(hours=rng.uniform(low, high))


def _story(rng, outcome: str) -> Story:
    accepted = _hours(rng, 2, 30)
    sessions = [accepted + _hours(rng, 24, 72)]
    for _ in range(rng.choice([1, 1, 2, 2, 3]) if outcome != "escalated" else 0):
        sessions.append(sessions[-1] + _hours(rng, 48, 144))
    decided = sessions[-1] + _hours(rng, 1, 2) if outcome != "escalated" else sessions[-1] + _hours(rng, 24, 72)
    story = Story(accepted=accepted, sessions=sessions, outcome=outcome, decided=decided)
    if outcome == "agreed":
        story.follow_up = decided + _hours(rng, 5 * 24, 12 * 24)
        story.closed = story.follow_up + _hours(rng, 2, 30)
    elif outcome == "failed":
        story.closed = decided + _hours(rng, 24, 72)
    return story


def _people(community, today: datetime.date) -> tuple[dict[int, list[Person]], dict[int, list[Person]]]:
    adult = today.replace(year=today.year - 20, day=min(today.day, 28))
    rows = (
        Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE, birth_date__lte=adult)
        .order_by("id")
        .values_list(
            "id", "household_id", "household__dwelling__unit__building_id", "household__dwelling__address", "name"
        )
    )
    by_building, by_household = defaultdict(list), defaultdict(list)
    for row in rows:
        person = Person(*row)
        by_building[person.building_id].append(person)
        by_household[person.household_id].append(person)
    return by_building, by_household


def _pick_parties(rng, category, buildings, households) -> tuple[Person, Person] | None:
    if category == Category.FAMILY:
        families = [members for members in households.values() if len(members) >= 2]
        if not families:
            return None
        return tuple(rng.sample(rng.choice(families), 2))
    for _ in range(20):
        people = rng.choice(buildings)
        requester = rng.choice(people)
        others = [p for p in people if p.household_id != requester.household_id]
        if others:
            return requester, rng.choice(others)
    return None


def demo_disputes(community, rng, now) -> str:
    mediator = User.objects.filter(community=community, role=Role.MEDIATOR, is_active=True).order_by("id").first()
    secretary = User.objects.filter(community=community, role=Role.SECRETARY, is_active=True).order_by("id").first()
    visitor = mediator or secretary
    by_building, by_household = _people(community, now.date())
    buildings = [by_building[key] for key in sorted(by_building) if len(by_building[key]) >= 2]
    if not buildings:
        return "矛盾调解:社区还没有居民,跳过"
    categories, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    made = 0
    with transaction.atomic():
        for index in range(DISPUTES):
            category = rng.choices(categories, weights=weights)[0]
            pair = _pick_parties(rng, category, buildings, by_household)
            if pair is None:
                continue
            # The newest is still waiting for a mediator, nine more from the last two weeks are under way, the rest
            # spread over six months; two of those went up to the street.
            if index == 0:
                age = _hours(rng, 0.5, 2)
            elif index < 10:
                age = _hours(rng, 3, 14 * 24)
            else:
                age = _hours(rng, 20 * 24, DAYS * 24)
            outcome = "escalated" if index in ESCALATED else rng.choices(["agreed", "failed"], weights=[85, 15])[0]
            _write(rng, community, category, pair, now - age, age, _story(rng, outcome), mediator, visitor)
            made += 1
    return f"矛盾调解:{made} 件纠纷(调解员:{mediator.name if mediator else '未设'})"


def _write(rng, community, category, pair, created_at, age, story, mediator, visitor):
    requester, other = pair
    title, body, agreement_text = rng.choice(STORIES[category])
    words = {"other": other.name, "other_address": other.address, "requester": requester.name}
    body, agreement_text = body.format(**words), agreement_text.format(**words)
    path = [(ACCEPTED, story.accepted, "指派调解员")]
    path.append((MEDIATING, story.sessions[0], "开始调解"))
    if story.outcome == "agreed":
        path.append((AGREED, story.decided, "双方达成调解协议"))
        path.append((CLOSED, story.closed, "回访确认协议已履行,结案"))
    elif story.outcome == "failed":
        reason = rng.choice(FAIL_REASONS)
        path.append((FAILED, story.decided, reason))
        path.append((CLOSED, story.closed, "结案"))
    path = [step for step in path if step[1] < age]
    final = path[-1][0] if path else None
    rating = None
    if final == CLOSED:
        value = rng.choices(["satisfied", "basic", "unsatisfied"], weights=[70, 25, 5])[0]
        rating = (value, {"satisfied": "调解员很耐心", "basic": "", "unsatisfied": "对方履行不到位"}[value])
    raised_by_staff = rng.random() < 0.4
    linked = raised_by_staff or final not in (None, ACCEPTED) or rng.random() < 0.5
    case = demo_case(
        kind=KIND,
        resident=_resident(requester),
        title=title,
        body=body,
        created_at=created_at,
        path=path,
        worker=mediator,
        raised_by=mediator if raised_by_staff and mediator else None,
        rating=rating,
        parties=[_resident(other)] if linked else [],
    )
    dispute = Dispute.objects.create(community=community, case=case, category=category)
    if not raised_by_staff:
        NamedParty.objects.create(
            community=community,
            dispute=dispute,
            name=other.name,
            address=other.address,
            resident_id=other.id if linked else None,
            linked_by=mediator if linked else None,
        )
    sessions = [when for when in story.sessions if when < age]
    for number, when in enumerate(sessions):
        session = MediationSession.objects.create(
            community=community,
            dispute=dispute,
            held_at=created_at + when,
            place=rng.choice(PLACES),
            notes=SESSION_NOTES[min(number, len(SESSION_NOTES) - 1)]
            if story.outcome != "failed" or number < len(sessions) - 1
            else "双方分歧较大,未能达成一致。",
            created_by=mediator,
        )
        session.attendees.set([requester.id, other.id] if linked else [requester.id])
    if final in (AGREED, CLOSED) and story.outcome == "agreed":
        Agreement.objects.create(
            community=community,
            dispute=dispute,
            text=agreement_text,
            signed_at=(created_at + story.decided).date(),
            recorded_by=mediator,
        )
    if story.follow_up is not None and story.follow_up < age and visitor is not None:
        when = created_at + story.follow_up
        follow_up = CaseFollowUp.objects.create(
            community=community,
            case=case,
            actor=visitor,
            method=rng.choice(["visit", "phone"]),
            note=rng.choice(FOLLOW_UP_NOTES),
        )
        CaseFollowUp.objects.filter(pk=follow_up.pk).update(created_at=when, updated_at=when)
        CaseEvent.objects.create(
            community=community,
            case=case,
            actor=visitor,
            kind=EventKind.FOLLOW_UP,
            comment=f"{follow_up.get_method_display()}:{follow_up.note}",
            public=False,
            created_at=when,
        )
    if story.outcome == "escalated" and story.decided < age:
        Case.objects.filter(pk=case.pk).update(level=Level.STREET, assignee=None)
        CaseEvent.objects.create(
            community=community,
            case=case,
            actor=mediator,
            kind=EventKind.TRANSFER,
            comment=ESCALATE_REASON,
            created_at=created_at + story.decided,
        )


def _resident(person: Person) -> Resident:
    return Resident.objects.only("id", "community_id", "grid_id", "household_id").get(pk=person.id)


def demo_showcase_dispute(*, requester_user: User, other: Resident, mediator: User, now) -> Dispute:
    """A dispute the demo residents find in 我的事项: the requester asked for mediation on their phone, naming the
    other household; the mediator matched the name to the register, took it and held one session with both. It is
    调解中, so the next steps (agreement, follow-up) are left to try."""
    requester = requester_user.resident
    address = Resident.objects.values_list("household__dwelling__address", flat=True).get(pk=other.pk)
    created_at = now - datetime.timedelta(days=6, hours=3)
    held = datetime.timedelta(days=2, hours=2)
    case = demo_case(
        kind=KIND,
        resident=requester,
        title="车位被长期占用",
        body=f"我家购买的地下车位经常被{other.name}家({address})的车占用,下班回来没处停车,沟通过两次仍未改正,"
        "希望调解员帮忙协调。",
        created_at=created_at,
        path=[(ACCEPTED, datetime.timedelta(hours=3), "指派调解员"), (MEDIATING, held, "开始调解")],
        worker=mediator,
        raised_by=requester_user,
        parties=[other],
    )
    dispute = Dispute.objects.create(community_id=case.community_id, case=case, category=Category.PARKING)
    NamedParty.objects.create(
        community_id=case.community_id,
        dispute=dispute,
        name=other.name,
        address=address,
        resident=other,
        linked_by=mediator,
    )
    session = MediationSession.objects.create(
        community_id=case.community_id,
        dispute=dispute,
        held_at=created_at + held,
        place="社区调解室",
        notes="双方到场。申请人说明车位被占的经过;对方表示家中子女回来探望时临时停放,不知道是私人车位。"
        "调解员讲解了小区停车规定,双方同意一周后再次面谈,商量临时停车的办法。",
        created_by=mediator,
    )
    session.attendees.set([requester.pk, other.pk])
    return dispute
