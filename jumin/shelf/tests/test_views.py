from decimal import Decimal

import pytest
from django.urls import reverse

from jumin.shelf import services
from jumin.shelf.models import Order, OrderStatus, Product

from .factories import ProductFactory

pytestmark = pytest.mark.django_db


def _order(shop, quantity=1, delivery=False, **kw):
    return services.order_place(
        actor=shop.users.resident,
        resident=shop.world.resident,
        items=[(shop.powder.pk, quantity)],
        delivery=delivery,
        **kw,
    )


def test_a_resident_sees_slot_price_market_price_and_the_saving(shop, login):
    page = login(shop.users.resident).get(reverse("shelf:browse"))
    text = page.content.decode()
    assert "直通车价 0.92 元" in text and "市场价 1.30 元" in text and "省 0.38 元" in text
    assert "货架 003 号、004 号" in text
    assert "5 kg" not in text  # another community's shelf


def test_a_resident_orders_from_the_basket_for_delivery_free_at_66(shop, login):
    client = login(shop.users.resident)
    client.post(reverse("shelf:cart-add", args=[shop.powder.uuid]), {"quantity": "2"})
    cart = client.get(reverse("shelf:cart")).content.decode()
    assert "您已年满 60 周岁,免费" in cart and "比市场价省 0.76 元" in cart
    response = client.post(reverse("shelf:cart"), {"action": "place", "delivery": "1"}, follow=True)
    order = Order.objects.get()
    assert (order.delivery, order.free_delivery, order.delivery_fee) == (True, True, Decimal("0.00"))
    assert "下单成功" in response.content.decode() and order.pickup_code in response.content.decode()
    assert client.get(reverse("shelf:cart")).context["lines"] == []


def test_a_short_basket_tells_the_resident_which_product_and_writes_nothing(shop, login):
    client = login(shop.users.neighbour)
    client.post(reverse("shelf:cart-add", args=[shop.soap.uuid]), {"quantity": "6"})
    response = client.post(reverse("shelf:cart"), {"action": "place", "delivery": "0"}, follow=True)
    assert "库存不足:肥皂 4 块(只剩 5 件)" in response.content.decode()
    assert not Order.objects.exists() and Product.objects.get(pk=shop.soap.pk).stock == 5


@pytest.mark.parametrize("quantity", ["-1", "0", "abc", "9" * 30, "=1+1", "1\x00"])
def test_strange_basket_quantities_are_refused(shop, login, quantity):
    client = login(shop.users.resident)
    response = client.post(reverse("shelf:cart-add", args=[shop.powder.uuid]), {"quantity": quantity}, follow=True)
    assert response.status_code == 200 and "数量应为" in response.content.decode()


def test_the_resident_cancels_their_order_and_the_inbox_shows_it(shop, login):
    order = _order(shop, 3)
    client = login(shop.users.resident)
    client.post(reverse("shelf:my-order", args=[order.uuid]), {"action": "cancel"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and Product.objects.get(pk=shop.powder.pk).stock == 20
    from jumin.shelf.inbox import order_source

    [entry] = order_source.entries(shop.users.resident, 10)
    assert entry.status_label == "已取消" and not entry.is_open


def test_another_residents_order_is_404(shop, login):
    order = _order(shop)
    assert login(shop.users.neighbour).get(reverse("shelf:my-order", args=[order.uuid])).status_code == 404
    assert login(shop.users.other_secretary).get(reverse("shelf:order-detail", args=[order.uuid])).status_code == 404


def test_staff_pack_assign_and_hand_over_on_the_order_page(shop, login):
    order = _order(shop, 2, delivery=True)
    client = login(shop.users.window_staff)
    url = reverse("shelf:order-detail", args=[order.uuid])
    page = client.get(url).content.decode()
    assert "003、004" in page and "拣货打包完成" in page
    client.post(url, {"action": "pack"})
    client.post(url, {"action": "assign", "deliverer": str(shop.users.grid_worker.uuid)})
    wrong = client.post(url, {"action": "hand_over", "pickup_code": "12345x"})
    assert "取件码不对" in wrong.content.decode()
    client.post(url, {"action": "hand_over", "pickup_code": order.pickup_code})
    client.post(url, {"action": "pay", "method": "external", "reference": "=HYPERLINK(1)"})
    order.refresh_from_db()
    assert (order.status, order.deliverer, order.payment_ref) == (
        OrderStatus.RECEIVED,
        shop.users.grid_worker,
        "=HYPERLINK(1)",
    )


def test_a_grid_worker_sees_orders_but_cannot_pack(shop, login):
    order = _order(shop)
    client = login(shop.users.grid_worker)
    url = reverse("shelf:order-detail", args=[order.uuid])
    assert "拣货打包完成" not in client.get(url).content.decode()
    client.post(url, {"action": "pack"})
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    assert client.get(reverse("shelf:pick-list")).status_code == 403


def test_staff_take_an_order_by_phone(shop, login):
    client = login(shop.users.window_staff)
    found = client.get(reverse("shelf:phone-order"), {"q": "张三丰"}).content.decode()
    assert "为TA下单" in found
    url = reverse("shelf:phone-order-for", args=[shop.world.resident.uuid])
    client.post(url, {"action": "add", "product": str(shop.powder.uuid), "quantity": "4"})
    client.post(url, {"action": "place", "delivery": "1"})
    order = Order.objects.get()
    assert order.placed_by == shop.users.window_staff and order.free_delivery and order.lines.get().quantity == 4


def test_the_vendor_is_not_the_shelf_keeper(shop, login):
    from jumin.people.tests.factories import UserFactory

    vendor = UserFactory(role="vendor", community=shop.world.a)
    assert login(vendor).get(reverse("shelf:products")).status_code == 404


def test_stock_in_take_and_write_off_from_the_product_page(shop, login):
    client = login(shop.users.secretary)
    url = reverse("shelf:product-detail", args=[shop.soap.uuid])
    client.post(url, {"action": "stock_in", "in-quantity": "10", "in-expires_on": ""})
    batch = shop.soap.batches.order_by("id").first()
    client.post(
        url,
        {
            "action": "stock_take",
            "batch": batch.pk,
            f"take{batch.pk}-counted": "4",
            f"take{batch.pk}-expected": "5",
            f"take{batch.pk}-reason": "少了一块",
        },
    )
    client.post(
        url,
        {
            "action": "write_off",
            "batch": batch.pk,
            f"off{batch.pk}-quantity": "1",
            f"off{batch.pk}-reason": "damaged",
            f"off{batch.pk}-note": "",
        },
    )
    assert Product.objects.get(pk=shop.soap.pk).stock == 13
    kinds = list(shop.soap.movements.order_by("id").values_list("kind", "quantity"))
    assert kinds == [("in", 10), ("stocktake", -1), ("write_off", -1)]
    export = client.get(reverse("shelf:movement-export"))
    assert export.status_code == 200


def test_a_keeper_adds_a_product_on_free_slots(shop, login):
    client = login(shop.users.window_staff)
    response = client.post(
        reverse("shelf:product-new"),
        {
            "name": "洗洁精",
            "spec": "1.5 L",
            "category": "cleaning",
            "supplier": "渤海义工",
            "factory_price": "5.80",
            "market_price": "7.90",
            "low_stock": "5",
            "slots": "2,5",
            "barcode": "",
        },
    )
    product = Product.objects.get(name="洗洁精")
    assert response.status_code == 302
    assert sorted(product.slots.values_list("number", flat=True)) == [2, 5]
    taken = client.post(
        reverse("shelf:product-new"),
        {
            "name": "洗洁精2",
            "spec": "1 L",
            "category": "cleaning",
            "supplier": "渤海义工",
            "factory_price": "1",
            "market_price": "2",
            "low_stock": "5",
            "slots": "3",
        },
    )
    assert "003 号栏位不存在或已摆放其他商品" in taken.content.decode()
    assert not Product.objects.filter(name="洗洁精2").exists()


def test_lists_keep_a_constant_number_of_queries(shop, login, django_assert_max_num_queries):
    for _ in range(22):
        ProductFactory(community=shop.world.a, stock=30)
    for _ in range(20):
        _order(shop)
    client = login(shop.users.window_staff)
    for name in ("shelf:orders", "shelf:products", "shelf:movements"):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(name)).status_code == 200
    resident = login(shop.users.resident)
    for name in ("shelf:browse", "shelf:my-orders"):
        with django_assert_max_num_queries(14):
            assert resident.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/shelf/orders").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/shelf/products").status_code == 200


def test_report_statement_and_exports_open_for_staff(shop, login):
    staff = shop.users.window_staff
    order = services.order_pack(actor=staff, order=_order(shop, 2, delivery=True))
    order = services.order_assign(actor=staff, order=order, deliverer=staff)
    services.order_hand_over(actor=staff, order=order, pickup_code=order.pickup_code)
    client = login(shop.users.secretary)
    page = client.get(reverse("shelf:report"))
    assert page.context["report"]["total"]["saved"] == Decimal("0.76")
    assert page.context["report"]["elderly_deliveries"] == 1
    for name in ("shelf:report-export", "shelf:order-export", "shelf:product-export"):
        assert client.get(reverse(name)).status_code == 200
    supplier = shop.powder.supplier
    statement = client.get(reverse("shelf:statement", args=[supplier.uuid]))
    assert statement.context["statement"]["amount"] == Decimal("1.84")
    assert client.get(reverse("shelf:statement-export", args=[supplier.uuid])).status_code == 200
    assert client.get(reverse("shelf:report"), {"start": "2026-99-01", "end": "x" * 20000}).status_code == 200


def test_a_volunteer_finds_my_deliveries_from_the_shelf_and_nobody_else_sees_the_link(shop, login):
    from jumin.volunteers.tests.factories import VolunteerFactory

    VolunteerFactory(resident=shop.world.neighbour)
    volunteer = shop.users.neighbour
    order = _order(shop, 1, delivery=True)
    staff = shop.users.window_staff
    order = services.order_pack(actor=staff, order=order)
    services.order_assign(actor=staff, order=order, deliverer=volunteer)
    browse = login(volunteer).get(reverse("shelf:browse")).content.decode()
    assert "我的送货(1 单待交货)" in browse and reverse("shelf:deliveries") in browse
    deliveries = login(volunteer).get(reverse("shelf:deliveries")).content.decode()
    assert order.number in deliveries
    # The resident who ordered has nothing to deliver: no link.
    assert "我的送货" not in login(shop.users.resident).get(reverse("shelf:browse")).content.decode()
