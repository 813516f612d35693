"""The shelf in the 玉龙湖 demo (the street built once per run and shared: jumin/demo/testing.py)."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from jumin.demo.accounts import ELDER_PHONE
from jumin.places.models import Community
from jumin.shelf.models import Batch, Order, OrderStatus, Product, Slot

pytestmark = pytest.mark.django_db


def test_demo_puts_320_goods_on_the_slots_with_three_months_of_orders(demo):
    community = Community.objects.get(name="玉龙湖社区")
    assert Product.objects.filter(community=community).count() == 320
    powder = Product.objects.get(community=community, name="洗衣粉", spec="500 g")
    assert (powder.factory_price, powder.market_price, powder.supplier.name) == (
        Decimal("0.92"),
        Decimal("1.30"),
        "渤海义工",
    )
    assert Slot.objects.filter(community=community).count() >= 100
    assert not Product.objects.filter(community=community, slots__isnull=True).exists()
    orders = Order.objects.filter(community=community)
    assert orders.filter(status=OrderStatus.RECEIVED).count() > 80
    assert orders.filter(free_delivery=True, status=OrderStatus.RECEIVED).exists()
    assert orders.filter(resident__phone=ELDER_PHONE).exists()
    assert timezone.now() - orders.order_by("placed_at").first().placed_at > datetime.timedelta(days=80)
    stock = dict(Batch.objects.filter(product__community=community).values_list("product").annotate(s=Sum("remaining")))
    assert all(stock[p.pk] == p.stock for p in Product.objects.filter(community=community))
