import datetime
import random
from zoneinfo import ZoneInfo

from jumin.cases.models import Case, CaseRating
from jumin.core.models import Role
from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.vendors import kind as k
from jumin.vendors.demo import ORDERS, demo_vendors
from jumin.vendors.models import Category, ServiceOrder, Vendor, VendorRating, VendorStatus

NOW = datetime.datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_has_twenty_vendors_in_six_categories_and_orders_in_every_state(world):
    for i in range(10):
        ResidentFactory(household=world.home if i % 2 else world.far_home, name=f"居民{i}")
    vendor_user = UserFactory(role=Role.VENDOR, community=world.a)
    line = demo_vendors(world.a, random.Random(3), NOW)
    assert "20 家商家" in line, line
    vendors = Vendor.objects.filter(community=world.a)
    assert vendors.count() == 20
    assert set(vendors.values_list("category", flat=True)) == set(Category.values)
    assert set(vendors.values_list("status", flat=True)) == set(VendorStatus.values)
    assert vendors.get(user=vendor_user).status == VendorStatus.APPROVED
    cases = Case.objects.filter(kind=k.KIND)
    assert cases.count() >= ORDERS == ServiceOrder.objects.count() - (cases.count() - ORDERS)
    assert {s.code for s in k.SERVICE_ORDER_KIND.statuses} == set(cases.values_list("status", flat=True))
    rated = cases.filter(status=k.RATED)
    assert rated.count() == VendorRating.objects.count() == CaseRating.objects.filter(case__in=rated).count()
    assert ServiceOrder.objects.filter(vendor__user=vendor_user, case__status=k.PLACED).exists()
    assert all(c.created_at <= NOW for c in cases)
    assert vendors.filter(status=VendorStatus.SUSPENDED, flagged_at__isnull=False).exists()
    # Charged prices follow each vendor's offer.
    for order in ServiceOrder.objects.filter(charged__isnull=False).select_related("vendor"):
        assert order.charged == order.vendor.discounted(order.list_price)
