"""The opinion state machine on the shared engine: 受理 → 答复 → 办结, 不予受理, rating; and a real race."""

import pytest

from jumin.cases.models import Case, CaseEvent, Phase
from jumin.cases.services import case_rate, case_take, case_transition
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.core.testing import WON, race
from jumin.party.models import Category
from jumin.party.services import opinion_submit
from jumin.people.tests.factories import UserFactory


def submitted(world):
    return opinion_submit(
        actor=world.users.resident, title="楼道灯坏了", text="三楼楼道灯不亮", category="facilities", allow_public=False
    )


def test_accept_answer_close_and_rate(world):
    case = submitted(world)
    worker = world.users.grid_worker
    case_take(actor=worker, case=case)
    with pytest.raises(DomainError, match="不能变更"):
        case_transition(actor=worker, case=case, to="closed")
    with pytest.raises(DomainError, match="答复内容"):
        case_transition(actor=worker, case=case, to="answered", comment="")
    case = case_transition(actor=worker, case=case, to="answered", comment="已更换灯泡")
    case = case_transition(actor=worker, case=case, to="closed")
    assert case.status == "closed" and case.phase == Phase.CLOSED
    assert case_rate(actor=world.users.resident, case=case, value="satisfied").get_value_display() == "满意"


def test_decline_needs_a_reason_and_can_be_rated(world):
    case = submitted(world)
    with pytest.raises(DomainError):
        case_transition(actor=world.users.window_staff, case=case, to="declined", comment=" ")
    case = case_transition(actor=world.users.window_staff, case=case, to="declined", comment="属于供热公司职责")
    assert case.status_label == "已不予受理" and case.phase == Phase.CLOSED
    assert CaseEvent.objects.get(case=case, to_status="declined").public
    case_rate(actor=world.users.resident, case=case, value="basic")


def test_party_rep_works_opinions_and_mediator_does_not(world):
    rep = UserFactory(role=Role.PARTY_REP, community=world.a)
    case = submitted(world)
    with pytest.raises(PermissionDenied):
        case_take(actor=world.users.mediator, case=case)
    case_take(actor=rep, case=case)
    assert Case.objects.get(pk=case.pk).assignee == rep


@pytest.mark.django_db(transaction=True)
def test_answer_and_decline_at_the_same_moment_exactly_one_wins(world):
    case = submitted(world)
    secretary = world.users.secretary
    case_take(actor=secretary, case=case)
    moves = [("answered", "已联系物业处理"), ("declined", "不属于社区职责")]
    # Both read the case as 已受理 before either writes: the compare-and-set decides.
    outcomes = race(
        moves,
        load=lambda _: Case.objects.get(pk=case.pk),
        act=lambda move, stale: case_transition(actor=secretary, case=stale, to=move[0], comment=move[1]),
    )
    assert sorted(outcomes) == sorted([WON, "该事项状态已变化,请刷新后再操作"]), outcomes
    move = CaseEvent.objects.get(case=case, from_status="accepted")
    assert move.to_status in {to for to, _ in moves}
    assert Case.objects.get(pk=case.pk).status == move.to_status


def test_category_choices_match_the_brief():
    assert [c.label for c in Category] == [
        "环境卫生",
        "物业管理",
        "停车交通",
        "公共设施",
        "治安安全",
        "邻里关系",
        "政策咨询",
        "其他",
    ]
