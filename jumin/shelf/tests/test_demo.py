import datetime
import random
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Sum

from jumin.people.tests.factories import ResidentFactory
from jumin.shelf.demo import demo_shelf
from jumin.shelf.models import Batch, Order, OrderStatus, Product, Slot

NOW = datetime.datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_puts_320_goods_on_the_slots_with_three_months_of_orders(world):
    for _ in range(20):
        ResidentFactory(household=world.home)
    started = time.perf_counter()
    line = demo_shelf(world.a, random.Random(7), NOW)
    print(f"demo_shelf: {time.perf_counter() - started:.2f}s — {line}")
    assert Product.objects.filter(community=world.a).count() == 320
    powder = Product.objects.get(community=world.a, name="洗衣粉", spec="500 g")
    assert (powder.factory_price, powder.market_price, powder.supplier.name) == (
        Decimal("0.92"),
        Decimal("1.30"),
        "渤海义工",
    )
    assert Slot.objects.filter(community=world.a).count() >= 100
    assert not Product.objects.filter(community=world.a, slots__isnull=True).exists()
    orders = Order.objects.filter(community=world.a)
    assert orders.filter(status=OrderStatus.RECEIVED).count() > 80
    assert orders.filter(free_delivery=True, status=OrderStatus.RECEIVED).exists()
    first = orders.order_by("placed_at").first().placed_at
    assert NOW - first > datetime.timedelta(days=80)
    for p in Product.objects.filter(community=world.a):
        assert p.stock == Batch.objects.filter(product=p).aggregate(s=Sum("remaining"))["s"]
