"""Two staff acting on the same errand at the same moment: one step wins, the other is told, nothing doubles."""

import pytest

from jumin.cases import services as case_services
from jumin.cases.models import Case, CaseEvent
from jumin.core.testing import race
from jumin.errands import services
from jumin.errands.models import Errand

from .conftest import advance, request_errand


def _race(steps):
    """Run each step on its own fresh copy of the errand, all at the same moment."""
    return race(
        steps,
        load=lambda step: Errand.objects.select_related("case", "service_item__window").get(pk=step.errand_pk),
        act=lambda step, fresh: step(fresh),
    )


def _step(errand, fn):
    fn.errand_pk = errand.pk
    return fn


@pytest.mark.django_db(transaction=True)
def test_result_recorded_and_errand_returned_at_once_only_one_lands(hall):
    errand = advance(hall, request_errand(hall), "submitted")
    staff, secretary = hall.users.window_staff, hall.users.secretary
    outcomes = _race(
        [
            _step(errand, lambda e: services.errand_record_result(actor=staff, errand=e, note="证已办好,请来领取")),
            _step(
                errand,
                lambda e: case_services.case_transition(
                    actor=secretary, case=e.case, to="returned", comment="材料有误"
                ),
            ),
        ]
    )
    assert outcomes.count("won") == 1, outcomes
    assert [o for o in outcomes if o != "won"] == ["该事项状态已变化,请刷新后再操作"]
    case = Case.objects.get(pk=errand.case.pk)
    fresh = Errand.objects.get(pk=errand.pk)
    moves = CaseEvent.objects.filter(case=case, from_status="submitted")
    assert moves.count() == 1 and moves.get().to_status == case.status
    # The loser's write was rolled back with it: a returned errand carries no result note.
    assert (fresh.result_note == "证已办好,请来领取") == (case.status == "result_back")


@pytest.mark.django_db(transaction=True)
def test_two_staff_ticking_the_documents_at_once_move_the_errand_once(hall):
    errand = advance(hall, request_errand(hall), "accepted")
    docs = errand.service_item.required_documents
    staff, secretary = hall.users.window_staff, hall.users.secretary
    outcomes = _race(
        [
            _step(errand, lambda e, user=user: services.errand_receive_documents(actor=user, errand=e, received=docs))
            for user in (staff, secretary, staff)
        ]
    )
    assert outcomes.count("won") == 1, outcomes
    assert all("状态已变化" in o or "状态下不能" in o for o in outcomes if o != "won"), outcomes
    assert Case.objects.get(pk=errand.case.pk).status == "docs_received"
    assert CaseEvent.objects.filter(case=errand.case, to_status="docs_received").count() == 1
