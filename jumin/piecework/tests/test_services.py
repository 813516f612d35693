"""Claims, hand-ins, inspection and pay: the quantities never overrun and the money adds up to the fen."""

import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from jumin.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from jumin.core.models import AuditEvent
from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.piecework import selectors, services
from jumin.piecework.models import ClaimStatus, HandIn, PiecePayment, WorkClaim, WorkOrder

from .factories import make_factory, post_order


def test_laid_off_resident_claims_hands_in_is_inspected_and_paid(piece):
    user = piece.users.neighbour  # 王建国, tagged 下岗职工
    claim = services.claim_take(actor=user, order=piece.order, quantity=40)
    assert WorkOrder.objects.get(pk=piece.order.pk).remaining == 60
    services.claim_hand_out_materials(actor=piece.users.window_staff, claim=claim, note="珠子 40 份")
    first = services.handin_record(actor=user, claim=claim, pieces=25)
    second = services.handin_record(actor=user, claim=claim, pieces=15)
    services.handin_inspect(actor=piece.users.window_staff, handin=first, accepted=25, rejected=0)
    services.handin_inspect(actor=piece.users.window_staff, handin=second, accepted=13, rejected=2, reason="线头没剪")
    claim.refresh_from_db()
    assert (claim.handed_in, claim.accepted, claim.rejected, claim.status) == (40, 38, 2, ClaimStatus.COMPLETED)
    payment = services.claim_pay(actor=piece.users.window_staff, claim=claim, method="transfer", reference="ZZ123")
    assert payment.amount_fen == 38 * 50 and payment.pieces == 38
    ledger = selectors.income_ledger(piece.neighbour.pk)
    assert ledger["paid_fen"] == ledger["earned_fen"] == 1900 and ledger["owed_fen"] == 0
    assert AuditEvent.objects.filter(action="piecework.pay").count() == 1


def test_resident_without_the_tag_does_not_see_or_claim_the_order(piece):
    with pytest.raises(NotFound):
        services.claim_take(actor=piece.users.resident, order=piece.order, quantity=1)
    assert not selectors.orders_for_resident(piece.users.resident).exists()
    assert selectors.orders_for_resident(piece.users.neighbour).count() == 1
    assert WorkOrder.objects.get(pk=piece.order.pk).remaining == 100


def test_age_range_limits_who_sees_the_order(piece):
    order = post_order(piece, piece.factory, eligible_tags=[], min_age=50)
    assert not selectors.orders_for_resident(piece.users.neighbour).filter(pk=order.pk).exists()  # 45
    assert selectors.orders_for_resident(piece.users.resident).filter(pk=order.pk).exists()  # 66


def test_claim_beyond_what_remains_is_a_conflict_and_takes_nothing(piece):
    with pytest.raises(Conflict, match="只剩 100 件"):
        services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=101)
    assert WorkOrder.objects.get(pk=piece.order.pk).remaining == 100 and not WorkClaim.objects.exists()


def test_resident_limit_holds_across_top_ups(piece):
    order = post_order(piece, piece.factory, max_per_resident=30)
    services.claim_take(actor=piece.users.neighbour, order=order, quantity=20)
    with pytest.raises(Conflict, match="最多认领 30 件"):
        services.claim_take(actor=piece.users.neighbour, order=order, quantity=11)
    claim = services.claim_take(actor=piece.users.neighbour, order=order, quantity=10)
    assert claim.held == 30 and WorkClaim.objects.filter(order=order).count() == 1
    assert WorkOrder.objects.get(pk=order.pk).remaining == 70


def test_hand_in_never_exceeds_the_claim_nor_acceptance_the_hand_in(piece):
    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=10)
    with pytest.raises(Conflict):
        services.handin_record(actor=piece.users.neighbour, claim=claim, pieces=11)
    handin = services.handin_record(actor=piece.users.neighbour, claim=claim, pieces=10)
    with pytest.raises(DomainError, match="之和应等于"):
        services.handin_inspect(actor=piece.users.window_staff, handin=handin, accepted=11, rejected=0)
    with pytest.raises(DomainError, match="不合格原因"):
        services.handin_inspect(actor=piece.users.window_staff, handin=handin, accepted=8, rejected=2)
    services.handin_inspect(actor=piece.users.window_staff, handin=handin, accepted=10, rejected=0)
    with pytest.raises(Conflict):
        services.handin_inspect(actor=piece.users.window_staff, handin=handin, accepted=10, rejected=0)


def test_residents_cannot_inspect_or_pay(piece):
    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=5)
    handin = services.handin_record(actor=piece.users.neighbour, claim=claim, pieces=5)
    with pytest.raises(PermissionDenied):
        services.handin_inspect(actor=piece.users.neighbour, handin=handin, accepted=5, rejected=0)
    with pytest.raises(PermissionDenied):
        services.claim_pay(actor=piece.users.grid_worker, claim=claim, method="cash")
    assert HandIn.objects.get(pk=handin.pk).accepted is None


def test_cancelling_returns_unhanded_pieces_to_the_order(piece):
    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=30)
    services.handin_record(actor=piece.users.neighbour, claim=claim, pieces=10)
    returned = services.claim_cancel(actor=piece.users.neighbour, claim=claim, reason="家里有事")
    claim.refresh_from_db()
    assert returned == 20 and claim.held == 10 and claim.to_hand_in == 0
    assert WorkOrder.objects.get(pk=piece.order.pk).remaining == 90


def test_expired_claims_give_their_pieces_back_once(piece):
    untouched = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=30)
    later = timezone.localdate() + datetime.timedelta(days=11)
    assert services.claims_expire(today=later) == 30
    assert services.claims_expire(today=later) == 0
    untouched.refresh_from_db()
    assert untouched.status == ClaimStatus.EXPIRED and untouched.returned == 30
    order = WorkOrder.objects.get(pk=piece.order.pk)
    assert order.remaining == 100 and order.status == "closed"


def test_pay_twice_pays_once(piece):
    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=4)
    handin = services.handin_record(actor=piece.users.neighbour, claim=claim, pieces=4)
    services.handin_inspect(actor=piece.users.window_staff, handin=handin, accepted=4, rejected=0)
    services.claim_pay(actor=piece.users.window_staff, claim=claim, method="cash")
    with pytest.raises(Conflict):
        services.claim_pay(actor=piece.users.window_staff, claim=claim, method="cash")
    assert PiecePayment.objects.count() == 1


def test_transfer_needs_a_reference(piece):
    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=1)
    handin = services.handin_record(actor=piece.users.neighbour, claim=claim, pieces=1)
    services.handin_inspect(actor=piece.users.window_staff, handin=handin, accepted=1, rejected=0)
    with pytest.raises(DomainError, match="流水号"):
        services.claim_pay(actor=piece.users.window_staff, claim=claim, method="transfer")


@pytest.mark.parametrize("pay", ["abc", "0", "-1", "0.001", "NaN", "1e9"])
def test_bad_unit_pay_is_refused(piece, pay):
    with pytest.raises(DomainError, match="计件单价"):
        post_order(piece, piece.factory, unit_pay=pay)


def test_unknown_tag_is_refused(piece):
    with pytest.raises(DomainError, match="没有这些标签"):
        post_order(piece, piece.factory, eligible_tags=["nobody"])


def test_staff_claim_for_a_resident_outside_scope_is_404(piece):
    order = post_order(piece, piece.factory, eligible_tags=[])
    with pytest.raises(NotFound):
        services.claim_take(actor=piece.users.grid_worker, order=order, quantity=1, resident=piece.far_resident)


def test_ledgers_and_settlements_add_up_to_the_same_total_to_the_fen(piece):
    other_factory = make_factory(piece, name="北镇纺织加工厂", user=None)
    orders = [piece.order, post_order(piece, other_factory, unit_pay="0.37", eligible_tags=[])]
    people = [ResidentFactory(household=piece.home, name=f"工人{i}", tags=[piece.tags.laid_off]) for i in range(6)]
    users = [UserFactory(role="resident", resident=p, phone=p.phone) for p in people]
    for i, user in enumerate(users):
        for order in orders:
            claim = services.claim_take(actor=user, order=order, quantity=7 + i)
            handin = services.handin_record(actor=user, claim=claim, pieces=7 + i)
            services.handin_inspect(
                actor=piece.users.window_staff, handin=handin, accepted=5 + i, rejected=2, reason="不合格"
            )
            if i % 2 == 0:
                services.claim_pay(actor=piece.users.window_staff, claim=claim, method="cash")
    residents_paid = sum(selectors.income_ledger(p.pk)["paid_fen"] for p in people)
    residents_earned = sum(selectors.income_ledger(p.pk)["earned_fen"] for p in people)
    factories = [selectors.settlement(f) for f in (piece.factory, other_factory)]
    assert residents_paid == sum(s["paid_fen"] for s in factories)
    assert residents_paid == PiecePayment.objects.aggregate(t=Sum("amount_fen"))["t"]
    assert residents_earned == sum(s["earned_fen"] for s in factories)
    assert residents_earned == sum((5 + i) * (50 + 37) for i in range(6))
