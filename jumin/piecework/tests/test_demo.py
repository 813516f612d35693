import datetime
import random
from zoneinfo import ZoneInfo

from django.db.models import Sum

from jumin.core.models import Role
from jumin.people.tags import ensure_default_tags
from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.piecework import selectors
from jumin.piecework.demo import demo_piecework
from jumin.piecework.models import ClaimStatus, Factory, HandIn, OrderStatus, PiecePayment, WorkClaim, WorkOrder

NOW = datetime.datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_has_five_factories_orders_in_every_state_and_claims_that_add_up(world):
    defaults = ensure_default_tags()
    tags = [defaults["laid_off"], defaults["caregiver"]]
    for i in range(70):
        ResidentFactory(
            household=world.home if i % 2 else world.far_home, name=f"居民{i}", age=25 + i % 40, tags=[tags[i % 2]]
        )
    contact = UserFactory(role=Role.FACTORY_CONTACT, community=world.a)
    line = demo_piecework(world.a, random.Random(5), NOW)
    assert "5 家工厂" in line, line
    assert Factory.objects.count() == 5 and Factory.objects.filter(user=contact).exists()
    orders = WorkOrder.objects.all()
    assert {OrderStatus.OPEN, OrderStatus.CLOSED} == set(orders.values_list("status", flat=True))
    assert orders.filter(status=OrderStatus.OPEN, remaining=0).exists()
    claims = WorkClaim.objects.all()
    assert claims.count() >= 40
    assert {ClaimStatus.CLAIMED, ClaimStatus.MATERIALS_OUT, ClaimStatus.COMPLETED} <= set(
        claims.values_list("status", flat=True)
    )
    assert HandIn.objects.filter(accepted__isnull=True).exists() and PiecePayment.objects.exists()
    paid = PiecePayment.objects.aggregate(t=Sum("amount_fen"))["t"]
    assert paid == sum(selectors.settlement(f)["paid_fen"] for f in Factory.objects.all())
    residents = set(claims.values_list("resident_id", flat=True))
    assert paid == sum(selectors.income_ledger(r)["paid_fen"] for r in residents)
