"""Two hands on one order at once: one wins, the other is told, nothing doubles (real threads, real database)."""

import pytest

from jumin.cases.models import CaseEvent, CaseRating
from jumin.core.testing import race
from jumin.vendors import services
from jumin.vendors.models import ServiceOrder, VendorRating

from .factories import advance, place


def _fresh(order_pk):
    return ServiceOrder.objects.select_related("case", "vendor").get(pk=order_pk)


@pytest.mark.django_db(transaction=True)
def test_accept_and_cancel_at_once_only_one_lands(vendors):
    order = place(vendors, vendors.vendor)
    steps = [
        lambda o: services.order_accept(actor=vendors.vendor.user, order=o),
        lambda o: services.order_cancel(actor=vendors.users.resident, order=o, reason="不用了"),
    ]
    outcomes = race(steps, load=lambda step: _fresh(order.pk), act=lambda step, fresh: step(fresh))
    assert outcomes.count("won") == 1, outcomes
    assert CaseEvent.objects.filter(case_id=order.case_id, from_status="placed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_double_submitted_rating_records_one(vendors):
    order = advance(place(vendors, vendors.vendor), "done")
    rate = lambda o: services.order_rate(actor=vendors.users.resident, order=o, price=5, punctuality=5, quality=5)  # noqa: E731
    outcomes = race([rate, rate, rate], load=lambda step: _fresh(order.pk), act=lambda step, fresh: step(fresh))
    assert outcomes.count("won") == 1, outcomes
    assert VendorRating.objects.filter(order=order).count() == 1
    assert CaseRating.objects.filter(case_id=order.case_id).count() == 1
