"""Real threads, each with its own connection (SQLite and PostgreSQL): the database decides."""

import os

import pytest

from jumin.core.testing import WON, race
from jumin.shelf import services
from jumin.shelf.models import Batch, Order, Product

from .factories import ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)
# PostgreSQL's default 100 connections are shared with the other test worker's races.
CONTENDERS = 30 if "postgres" in os.environ.get("DATABASE_URL", "") else 50


def test_fifty_orders_for_the_last_ten_sell_exactly_ten_and_stock_ends_at_zero(world):
    last = ProductFactory(community=world.a, name="洗衣粉", batches=[(6, None), (4, None)])
    outcomes = race(
        range(CONTENDERS),
        load=lambda _: last.pk,
        act=lambda _, pk: services.order_place(
            actor=world.users.window_staff, resident=world.resident, items=[(pk, 1)], delivery=False
        ),
    )
    assert outcomes.count(WON) == 10
    assert all(o == WON or o.startswith("库存不足:洗衣粉") for o in outcomes)
    assert Product.objects.get(pk=last.pk).stock == 0
    assert list(Batch.objects.filter(product=last).values_list("remaining", flat=True)) == [0, 0]
    assert Order.objects.count() == 10


def test_the_same_cancel_pressed_twice_returns_the_stock_once(world):
    product = ProductFactory(community=world.a, stock=5)
    order = services.order_place(
        actor=world.users.resident, resident=world.resident, items=[(product.pk, 3)], delivery=False
    )
    outcomes = race(
        [1, 2, 3],
        load=lambda _: Order.objects.get(pk=order.pk),
        act=lambda _, fresh: services.order_cancel(actor=world.users.resident, order=fresh),
    )
    assert outcomes.count(WON) == 1
    assert Product.objects.get(pk=product.pk).stock == 5
    assert Batch.objects.get(product=product).remaining == 5
