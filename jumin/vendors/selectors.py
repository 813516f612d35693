"""Reads of vendors and orders. Who sees what lives here: residents see approved vendors of their community, a
vendor its own orders, staff what their scope holds; everyone else gets 404."""

from django.db.models import Avg, Count, Q
from django.http import Http404

from jumin.cases.selectors import case_get, cases_for
from jumin.core.access import Scope
from jumin.core.models import Role

from . import kind as k
from .models import Category, ServiceOrder, Vendor, VendorStatus

ORDER_TABS = {
    "new": ("待接单", (k.PLACED,)),
    "open": ("进行中", (k.ACCEPTED, k.VISITING)),
    "closed": ("已结束", (k.DONE, k.RATED, k.DECLINED, k.CANCELLED)),
}


def with_ratings(vendors):
    """Each vendor with its average score (of the three marks), number of ratings and of orders: one query."""
    return vendors.annotate(
        rating_count=Count("ratings", distinct=True),
        rating_avg=(Avg("ratings__price") + Avg("ratings__punctuality") + Avg("ratings__quality")) / 3,
        order_count=Count("orders", distinct=True),
    )


def vendors_for_office(scope: Scope, *, status=None, category=None, flagged=False, q=None):
    vendors = Vendor.objects.filter(community_id__in=scope.community_ids).select_related("community", "user")
    if status in VendorStatus.values:
        vendors = vendors.filter(status=status)
    if category in Category.values:
        vendors = vendors.filter(category=category)
    if flagged:
        vendors = vendors.filter(flagged_at__isnull=False)
    q = (q or "").strip()
    if q:
        vendors = vendors.filter(Q(name__contains=q) | Q(contact_name__contains=q) | Q(service_area__contains=q))
    return with_ratings(vendors).order_by("status", "category", "name", "id")


def vendor_get_office(scope: Scope, vendor_uuid) -> Vendor:
    vendor = with_ratings(Vendor.objects.filter(community_id__in=scope.community_ids, uuid=vendor_uuid)).first()
    if vendor is None:
        raise Http404("没有找到该商家")
    return vendor


def resident_community_id(user) -> int | None:
    if getattr(user, "role", None) != Role.RESIDENT or user.resident_id is None:
        return None
    return user.resident.community_id


def vendors_for_resident(user, *, category=None):
    community_id = resident_community_id(user)
    if community_id is None:
        return Vendor.objects.none()
    vendors = Vendor.objects.filter(community_id=community_id, status=VendorStatus.APPROVED)
    if category:
        vendors = vendors.filter(category=category)
    return with_ratings(vendors).order_by("category", "name", "id")


def category_counts(user) -> list[tuple[str, str, int]]:
    """(code, label, approved vendors) for every category, for the resident's tiles (one query)."""
    counts = dict(vendors_for_resident(user).order_by().values_list("category").annotate(n=Count("id")))
    return [(code, label, counts.get(code, 0)) for code, label in Category.choices]


def vendor_get_for_resident(user, vendor_uuid) -> Vendor:
    vendor = vendors_for_resident(user).filter(uuid=vendor_uuid).first()
    if vendor is None:
        raise Http404("没有找到该商家")
    return vendor


def recent_ratings(vendor: Vendor, limit: int = 10):
    return vendor.ratings.order_by("-created_at", "-id")[:limit]


def vendor_of(user) -> Vendor | None:
    """The vendor a vendor login runs (None before it applies)."""
    if getattr(user, "role", None) != Role.VENDOR:
        return None
    return with_ratings(Vendor.objects.filter(user=user)).first()


def orders_for_vendor(vendor: Vendor, tab: str | None = None):
    orders = ServiceOrder.objects.filter(vendor=vendor).select_related("case")
    if tab in ORDER_TABS:
        orders = orders.filter(case__status__in=ORDER_TABS[tab][1])
    return orders.order_by("window_date", "-id") if tab in ("new", "open") else orders.order_by("-created_at", "-id")


def order_for_vendor(user, case_uuid) -> ServiceOrder:
    """A vendor's own order; any other order, or anyone else, gets 404."""
    if getattr(user, "role", None) != Role.VENDOR:
        raise Http404("没有找到该订单")
    order = (
        ServiceOrder.objects.select_related("case__resident", "vendor")
        .filter(case__uuid=case_uuid, vendor__user=user)
        .first()
    )
    if order is None:
        raise Http404("没有找到该订单")
    return order


def order_get(user, case_uuid) -> ServiceOrder:
    """The order behind a case the user may see (resident, staff), or the vendor's own order."""
    if getattr(user, "role", None) == Role.VENDOR:
        return order_for_vendor(user, case_uuid)
    case = case_get(user, case_uuid)
    order = k.SERVICE_ORDER_KIND.load_detail(case) if case.kind == k.KIND else None
    if order is None:
        raise Http404("没有找到该订单")
    return order


def order_cases_for(user, scope: Scope, *, status=None, vendor=None, category=None, q=None):
    """The staff list of orders: cases of the kind with their order and vendor, one query per page."""
    cases = cases_for(user, scope).filter(kind=k.KIND)
    if status in {s.code for s in k.SERVICE_ORDER_KIND.statuses}:
        cases = cases.filter(status=status)
    if vendor:
        cases = cases.filter(service_order__vendor__uuid=vendor)
    if category in Category.values:
        cases = cases.filter(service_order__vendor__category=category)
    q = (q or "").strip()
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(resident__name__contains=q))
    return cases.select_related("service_order__vendor", "community").order_by("-created_at", "-id")
