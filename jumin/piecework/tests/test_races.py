"""Real threads against the database: 40 residents claim the last 100 pieces at once."""

import pytest

from jumin.core.testing import race
from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.piecework import services
from jumin.piecework.models import HandIn, WorkClaim, WorkOrder

from .factories import make_factory, post_order


@pytest.mark.django_db(transaction=True)
def test_forty_claims_for_the_last_hundred_pieces_never_over_claim(world):
    order = post_order(world, make_factory(world), quantity=100, eligible_tags=[])
    users = []
    for i in range(40):
        resident = ResidentFactory(household=world.home, name=f"居民{i}")
        users.append(UserFactory(role="resident", resident=resident, phone=resident.phone))
    outcomes = race(
        users,
        load=lambda user: WorkOrder.objects.select_related("factory").get(pk=order.pk),
        act=lambda user, fresh: services.claim_take(actor=user, order=fresh, quantity=3 + users.index(user) % 5),
    )
    order.refresh_from_db()
    granted = sum(WorkClaim.objects.filter(order=order).values_list("quantity", flat=True))
    assert granted <= 100 and order.remaining == 100 - granted >= 0, outcomes
    assert outcomes.count("won") == WorkClaim.objects.filter(order=order).count()
    assert any(o.startswith("只剩") for o in outcomes), outcomes


@pytest.mark.django_db(transaction=True)
def test_one_resident_claiming_twice_at_once_stays_within_the_limit(world):
    order = post_order(world, make_factory(world), quantity=100, max_per_resident=10)
    user = world.users.neighbour
    outcomes = race(
        [user] * 4,
        load=lambda u: WorkOrder.objects.select_related("factory").get(pk=order.pk),
        act=lambda u, fresh: services.claim_take(actor=u, order=fresh, quantity=4),
    )
    claims = list(WorkClaim.objects.filter(order=order))
    assert len(claims) == 1 and claims[0].quantity <= 10, outcomes
    assert WorkOrder.objects.get(pk=order.pk).remaining == 100 - claims[0].quantity


@pytest.mark.django_db(transaction=True)
def test_simultaneous_hand_ins_never_exceed_the_claim(world):
    order = post_order(world, make_factory(world), quantity=100)
    claim = services.claim_take(actor=world.users.neighbour, order=order, quantity=10)
    outcomes = race(
        range(5),
        load=lambda _: WorkClaim.objects.select_related("order", "resident").get(pk=claim.pk),
        act=lambda _, fresh: services.handin_record(actor=world.users.neighbour, claim=fresh, pieces=4),
    )
    claim.refresh_from_db()
    assert claim.handed_in == 8 and outcomes.count("won") == 2
    assert sum(HandIn.objects.filter(claim=claim).values_list("pieces", flat=True)) == 8


@pytest.mark.django_db(transaction=True)
def test_one_batch_inspected_twice_at_once_counts_once(world):
    order = post_order(world, make_factory(world), quantity=100)
    claim = services.claim_take(actor=world.users.neighbour, order=order, quantity=10)
    handin = services.handin_record(actor=world.users.neighbour, claim=claim, pieces=10)
    outcomes = race(
        [world.users.window_staff, world.users.secretary],
        load=lambda u: HandIn.objects.select_related("claim").get(pk=handin.pk),
        act=lambda u, fresh: services.handin_inspect(actor=u, handin=fresh, accepted=10, rejected=0),
    )
    claim.refresh_from_db()
    assert outcomes.count("won") == 1 and claim.accepted == 10
