"""The learning station over the `world` fixture: the party tree, four members, a tutor per community, a branch
secretary and two courses (one with a quiz)."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from jumin.core.models import Role
from jumin.learning import services
from jumin.party import services as party
from jumin.party.models import PartyOrgRole
from jumin.party.tests.factories import build_tree
from jumin.people.tests.factories import ResidentFactory, UserFactory

JOINED = datetime.date(1990, 7, 1)


def enrol(world, org, resident):
    return party.member_enrol(actor=world.users.secretary, org=org, resident=resident, joined_on=JOINED)


def build_station(world) -> SimpleNamespace:
    tree = build_tree(world)
    elder = enrol(world, tree.group, world.resident)  # 张三丰, 66, 1号楼党小组
    neighbour = enrol(world, tree.grid1, world.neighbour)  # 王建国, 45, 第1网格党支部 (its secretary)
    far = enrol(world, tree.grid2, world.far_resident)  # 赵红梅, 30, 第2网格党支部
    outsider = party.member_enrol(
        actor=world.users.other_secretary, org=tree.b, resident=world.outsider_resident, joined_on=JOINED
    )
    party.committee_seat_add(actor=world.users.secretary, org=tree.grid1, role=PartyOrgRole.SECRETARY, member=neighbour)
    secretary = world.users.secretary
    quiz = services.course_create(actor=secretary, community=world.a, title="党章学习", minutes=40, pass_mark=60)
    services.question_add(
        actor=secretary, course=quiz, text="党章是党的什么?", choices=["根本大法", "一般规定"], answer=1
    )
    services.question_add(
        actor=secretary, course=quiz, text="党员应当按时参加什么?", choices=["组织生活", "商业活动", "比赛"], answer=1
    )
    plain = services.course_create(actor=secretary, community=world.a, title="二十大精神", minutes=30)
    far_course = services.course_create(
        actor=world.users.other_secretary, community=world.b, title="黄河社区课程", minutes=20
    )
    today = timezone.localdate()
    services.assignment_create(actor=secretary, course=quiz, org=tree.a, due_on=today + datetime.timedelta(days=7))
    month_ago = timezone.now() - datetime.timedelta(days=30)
    services.assignment_create(
        actor=secretary, course=plain, org=tree.grid1, due_on=today - datetime.timedelta(days=3), now=month_ago
    )
    tutor = UserFactory(role=Role.TUTOR, community=world.a, name="许文静")
    other_tutor = UserFactory(role=Role.TUTOR, community=world.b, name="黄河辅导员")
    return SimpleNamespace(
        world=world,
        users=world.users,
        tree=tree,
        elder=elder,
        neighbour=neighbour,
        far=far,
        outsider=outsider,
        quiz=quiz,
        plain=plain,
        far_course=far_course,
        tutor=tutor,
        other_tutor=other_tutor,
    )


def more_members(world, tree, n: int, *, age: int = 70):
    """n more members of the 1号楼党小组, each with a phone."""
    from conftest import household_in

    out = []
    for k in range(n):
        home = household_in(world.building, f"9{k:02d}")
        out.append(enrol(world, tree.group, ResidentFactory(household=home, age=age)))
    return out
