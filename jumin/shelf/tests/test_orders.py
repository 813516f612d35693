import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jumin.cases.models import Notification
from jumin.core.errors import DomainError, PermissionDenied
from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.shelf import selectors, services
from jumin.shelf.models import Allocation, Batch, Order, OrderLine, OrderStatus, Product

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _place(shop, items, *, actor=None, resident=None, delivery=False, now=None):
    return services.order_place(
        actor=actor or shop.users.resident,
        resident=resident or shop.world.resident,
        items=[(p.pk, q) for p, q in items],
        delivery=delivery,
        now=now,
    )


def _stock(product) -> int:
    return Product.objects.get(pk=product.pk).stock


def test_a_pickup_order_takes_stock_first_to_expire_first_and_sums_to_the_fen(shop):
    order = _place(shop, [(shop.powder, 10), (shop.soap, 1)])
    assert (order.total, order.market_total, order.saved) == (Decimal("12.70"), Decimal("17.80"), Decimal("5.10"))
    assert (order.delivery_fee, order.free_delivery, order.status) == (Decimal("0.00"), False, OrderStatus.PLACED)
    assert (_stock(shop.powder), _stock(shop.soap)) == (10, 4)
    taken = {a.batch.expires_on: a.quantity for a in Allocation.objects.filter(line__product=shop.powder)}
    assert taken == {datetime.date(2027, 3, 1): 8, None: 2}
    assert len(order.pickup_code) == 6 and order.pickup_code.isdigit()


def test_delivery_is_free_for_a_resident_over_60_and_costs_the_community_fee_below(shop):
    elder = _place(shop, [(shop.powder, 1)], delivery=True)
    assert (elder.free_delivery, elder.delivery_fee, elder.amount_due) == (True, Decimal("0.00"), Decimal("0.92"))
    assert elder.address.startswith("玉龙花园")
    services.settings_update(
        actor=shop.users.secretary, community=shop.world.a, delivery_fee="2.50", pickup_place="大厅"
    )
    young = _place(shop, [(shop.powder, 1)], actor=shop.users.neighbour, resident=shop.world.neighbour, delivery=True)
    assert (young.free_delivery, young.delivery_fee, young.amount_due) == (False, Decimal("2.50"), Decimal("3.42"))


@pytest.fixture
def turns_60(shop):
    """A resident born on 16 June 1966, with a login."""
    resident = ResidentFactory(
        household=shop.world.neighbour_home, birth_date=datetime.date(1966, 6, 16), name="钱六十"
    )
    return UserFactory(role="resident", phone=resident.phone, resident=resident), resident


@pytest.mark.parametrize(
    ("local_time", "free"),
    [
        # Midnight in Shanghai is still 15 June in UTC: the birthday counts by the local day.
        (datetime.datetime(2026, 6, 16, 0, 5, tzinfo=SHANGHAI), True),
        (datetime.datetime(2026, 6, 16, 23, 55, tzinfo=SHANGHAI), True),
        (datetime.datetime(2026, 6, 15, 23, 55, tzinfo=SHANGHAI), False),
    ],
)
def test_a_resident_who_turns_60_on_the_day_of_the_order_pays_no_fee_the_day_before_they_do(
    shop, turns_60, local_time, free
):
    user, resident = turns_60
    with time_machine.travel(local_time, tick=False):
        order = _place(shop, [(shop.powder, 1)], actor=user, resident=resident, delivery=True)
    assert order.free_delivery is free
    assert order.delivery_fee == (Decimal("0.00") if free else Decimal("3.00"))


def test_one_short_line_writes_nothing_and_names_the_product(shop):
    with pytest.raises(services.OutOfStock) as exc:
        _place(shop, [(shop.powder, 2), (shop.soap, 6)])
    assert [s.product.name for s in exc.value.short] == ["肥皂"]
    assert "肥皂 4 块(只剩 5 件)" in exc.value.message
    assert (_stock(shop.powder), _stock(shop.soap)) == (20, 5)
    assert not Order.objects.exists() and not OrderLine.objects.exists() and not Allocation.objects.exists()
    assert sorted(Batch.objects.filter(product=shop.powder).values_list("remaining", flat=True)) == [8, 12]


def test_every_short_product_is_named(shop):
    with pytest.raises(services.OutOfStock) as exc:
        _place(shop, [(shop.powder, 21), (shop.soap, 6)])
    assert {s.product.name for s in exc.value.short} == {"洗衣粉", "肥皂"}


def test_a_cancel_returns_to_each_batch_exactly_what_it_took(shop):
    before = dict(Batch.objects.values_list("pk", "remaining"))
    order = _place(shop, [(shop.powder, 15), (shop.soap, 5)])
    assert _stock(shop.soap) == 0
    services.order_cancel(actor=shop.users.resident, order=order)
    assert dict(Batch.objects.values_list("pk", "remaining")) == before
    assert (_stock(shop.powder), _stock(shop.soap)) == (20, 5)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancelled_by == shop.users.resident


def test_an_order_cannot_be_cancelled_once_picked(shop):
    order = _place(shop, [(shop.powder, 1)])
    services.order_pack(actor=shop.users.window_staff, order=order)
    with pytest.raises(DomainError):
        services.order_cancel(actor=shop.users.resident, order=order)
    assert _stock(shop.powder) == 19


def test_staff_order_for_a_resident_who_phoned_and_the_resident_is_told(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = _place(shop, [(shop.powder, 2)], actor=shop.users.window_staff, delivery=True)
    assert order.placed_by == shop.users.window_staff and order.free_delivery
    note = Notification.objects.get(user=shop.users.resident)
    assert order.pickup_code in note.body


@pytest.mark.parametrize("who", ["neighbour", "grid_worker", "other_secretary"])
def test_others_cannot_order_for_a_resident(shop, who):
    with pytest.raises(PermissionDenied):
        _place(shop, [(shop.powder, 1)], actor=getattr(shop.users, who))


def test_goods_of_another_community_cannot_be_ordered(shop):
    with pytest.raises(DomainError):
        _place(shop, [(shop.elsewhere, 1)])


@pytest.mark.parametrize("quantity", [0, -1, 100, 2**70, "3", 1.5, True, None])
def test_strange_quantities_are_refused(shop, quantity):
    with pytest.raises(DomainError):
        services.order_place(
            actor=shop.users.resident, resident=shop.world.resident, items=[(shop.powder.pk, quantity)], delivery=False
        )
    assert _stock(shop.powder) == 20


def test_delivery_pack_assign_hand_over_with_code_and_pay_once(shop):
    staff = shop.users.window_staff
    order = _place(shop, [(shop.powder, 3)], delivery=True)
    order = services.order_pack(actor=staff, order=order)
    with pytest.raises(DomainError):
        services.order_assign(actor=staff, order=order, deliverer=shop.users.other_secretary)
    order = services.order_assign(actor=staff, order=order, deliverer=shop.users.grid_worker)
    with pytest.raises(DomainError, match="取件码不对"):
        services.order_hand_over(actor=shop.users.grid_worker, order=order, pickup_code="000000x")
    order = services.order_hand_over(actor=shop.users.grid_worker, order=order, pickup_code=order.pickup_code)
    assert (order.status, order.received_by) == (OrderStatus.RECEIVED, shop.users.grid_worker)
    services.order_pay(actor=shop.users.grid_worker, order=order, method="cash")
    with pytest.raises(DomainError):
        services.order_pay(actor=staff, order=order, method="external", reference="WX1")


def test_the_resident_confirms_a_delivery(shop):
    staff = shop.users.window_staff
    order = services.order_pack(actor=staff, order=_place(shop, [(shop.powder, 1)], delivery=True))
    order = services.order_assign(actor=staff, order=order, deliverer=staff)
    order = services.order_confirm(actor=shop.users.resident, order=order)
    assert order.status == OrderStatus.RECEIVED and order.received_by == shop.users.resident


def test_the_savings_report_and_supplier_statement_equal_the_sum_over_order_lines(shop):
    staff = shop.users.window_staff
    now = datetime.datetime(2026, 3, 10, 10, tzinfo=SHANGHAI)
    for n, (items, delivery, resident, user) in enumerate(
        [
            ([(shop.powder, 3), (shop.soap, 1)], True, shop.world.resident, shop.users.resident),
            ([(shop.powder, 1)], False, shop.world.neighbour, shop.users.neighbour),
            ([(shop.soap, 2)], True, shop.world.neighbour, shop.users.neighbour),
        ]
    ):
        at = now + datetime.timedelta(days=30 * n)
        order = services.order_pack(
            actor=staff, order=_place(shop, items, actor=user, resident=resident, delivery=delivery, now=at), now=at
        )
        if delivery:
            order = services.order_assign(actor=staff, order=order, deliverer=staff, now=at)
        services.order_hand_over(actor=staff, order=order, pickup_code=order.pickup_code, now=at)
    _place(shop, [(shop.powder, 5)], now=now)  # not handed over: not counted
    scope = selectors.scope_for(staff)
    report = selectors.savings_report(scope, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 5, 31))
    lines = OrderLine.objects.filter(order__status=OrderStatus.RECEIVED)
    saved = sum((line.saved for line in lines), Decimal("0"))
    assert report["total"]["saved"] == saved == Decimal("0.38") * 4 + Decimal("1.30") * 3
    assert [m["label"] for m in report["months"]] == ["2026-03", "2026-04", "2026-05"]
    assert sum(m["saved"] for m in report["months"]) == sum(p["saved"] for p in report["products"]) == saved
    assert (report["deliveries"], report["elderly_deliveries"]) == (2, 1)
    statement = selectors.supplier_statement(scope, shop.powder.supplier, start=report["start"], end=report["end"])
    assert (
        statement["amount"]
        == sum((line.amount for line in lines), Decimal("0"))
        == Decimal("0.92") * 4 + Decimal("3.50") * 3
    )
