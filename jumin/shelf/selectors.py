"""Reads of the charity shelf. Staff read their community's shelf; a resident their community's goods and their
own orders; a deliverer the orders handed to them. Anything else is 404."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from jumin.core.access import Scope, roles_with, scope_for, user_can
from jumin.core.models import User
from jumin.volunteers.models import VolunteerStatus

from .models import Batch, Movement, Order, OrderLine, OrderStatus, Product, Slot, Supplier

ZERO = Decimal("0.00")
EXPIRY_WARNING_DAYS = 30


def _community_ids(user, scope: Scope | None) -> tuple[int, ...]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    if user.is_office:
        return (scope or scope_for(user)).community_ids
    resident = getattr(user, "resident", None) if user.resident_id else None
    if resident is not None and resident.status == "active":
        return (resident.community_id,)
    return ()


def products_for(
    user, scope: Scope | None = None, *, q: str = "", category: str | None = None, low: bool = False, active=True
):
    """Goods of the user's shelf with their slots (one more query), by category and name."""
    products = Product.objects.filter(community_id__in=_community_ids(user, scope))
    if active or not getattr(user, "is_office", False):
        products = products.filter(active=True)
    q = (q or "").strip()
    if q:
        products = products.filter(Q(name__contains=q) | Q(barcode=q) | Q(spec__contains=q))
    if category:
        products = products.filter(category=category)
    if low:
        products = products.filter(stock__lte=F("low_stock"))
    return (
        products.select_related("supplier")
        .prefetch_related(Prefetch("slots", queryset=Slot.objects.order_by("number")))
        .order_by("category", "name", "id")
    )


def product_get(user, product_uuid, scope: Scope | None = None) -> Product:
    product = products_for(user, scope, active=None).filter(uuid=product_uuid).first()
    if product is None:
        raise Http404("没有找到该商品")
    return product


def products_by_id(user, ids) -> dict[int, Product]:
    return {p.pk: p for p in products_for(user).filter(pk__in=ids)}


def batches_of(product: Product):
    return product.batches.filter(remaining__gt=0).order_by("expires_on", "id")


def slots_for(user, scope: Scope | None = None):
    return (
        Slot.objects.filter(community_id__in=_community_ids(user, scope) if getattr(user, "is_office", False) else ())
        .select_related("product")
        .order_by("number")
    )


def suppliers_for(user, scope: Scope | None = None):
    return Supplier.objects.filter(
        community_id__in=_community_ids(user, scope) if getattr(user, "is_office", False) else ()
    ).order_by("name")


def movements_for(user, scope: Scope | None = None):
    ids = _community_ids(user, scope) if getattr(user, "is_office", False) else ()
    return Movement.objects.filter(community_id__in=ids).select_related("product", "actor").order_by("-at", "-id")


def expiring(user, scope: Scope | None = None, *, now=None):
    """Batches with stock that expire within 30 days (or already have), soonest first."""
    today = timezone.localdate(now or timezone.now())
    ids = _community_ids(user, scope) if getattr(user, "is_office", False) else ()
    return (
        Batch.objects.filter(
            product__community_id__in=ids,
            remaining__gt=0,
            expires_on__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
        )
        .select_related("product")
        .order_by("expires_on", "id")
    )


# ---- orders ------------------------------------------------------------------------------------------------------


def orders_visible_q(user, scope: Scope | None = None) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user_can(user, "shelf.view"):
        ids = (scope or scope_for(user)).community_ids
        return Q(community_id__in=ids) if ids else Q(pk__in=[])
    mine = Q(deliverer_id=user.pk)
    if user.resident_id:
        mine |= Q(resident_id=user.resident_id)
    return mine


def deliveries_for(user):
    """我的送货: the orders handed to this person (a volunteer or staff member) to take to the door."""
    return orders_for(user).filter(deliverer=user, status=OrderStatus.DELIVERING)


def orders_for(user, scope: Scope | None = None, *, status: str | None = None, q: str = "", mine: bool = False):
    """Newest first. Staff: the community's (or with mine=True only those they deliver); others: their own."""
    orders = Order.objects.filter(orders_visible_q(user, scope))
    if mine:
        orders = orders.filter(Q(deliverer_id=user.pk) | Q(resident_id=user.resident_id or 0))
    if status == "open":
        orders = orders.filter(status__in=(OrderStatus.PLACED, OrderStatus.PACKED, OrderStatus.DELIVERING))
    elif status in OrderStatus.values:
        orders = orders.filter(status=status)
    q = (q or "").strip()
    if q:
        orders = orders.filter(Q(resident__name__contains=q) | Q(pickup_code=q) | Q(address__contains=q))
    return (
        orders.select_related("resident", "deliverer", "compound")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related("product")))
        .order_by("-placed_at", "-id")
    )


def order_get(user, order_uuid, scope: Scope | None = None) -> Order:
    order = orders_for(user, scope).filter(uuid=order_uuid).first()
    if order is None:
        raise Http404("没有找到该订单")
    return order


def pick_list(orders) -> list[dict]:
    """The lines of these orders in the order a keeper walks the shelf: by the product's first slot."""
    orders = list(orders)
    product_ids = {line.product_id for o in orders for line in o.lines.all()}
    slots = defaultdict(list)
    for number, product_id in (
        Slot.objects.filter(product_id__in=product_ids).order_by("number").values_list("number", "product_id")
    ):
        slots[product_id].append(f"{number:03d}")
    rows = [
        {"order": o, "line": line, "slots": slots.get(line.product_id, [])} for o in orders for line in o.lines.all()
    ]
    rows.sort(key=lambda r: (r["slots"][0] if r["slots"] else "999", r["order"].placed_at))
    return rows


def deliverers_for(community_id: int) -> list[User]:
    """Who may take a delivery: the community's staff and its approved volunteers with a login."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(community_id=community_id, role__in=roles_with("shelf.deliver"))
            | Q(resident__volunteer__community_id=community_id, resident__volunteer__status=VolunteerStatus.APPROVED)
        )
        .distinct()
        .order_by("role", "name", "id")
    )


# ---- the savings report and the supplier statement ---------------------------------------------------------------


def _received_lines(scope: Scope, start: datetime.date, end: datetime.date):
    """Lines of orders handed over between start and end (local days, both included)."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return OrderLine.objects.filter(
        order__community_id__in=scope.community_ids,
        order__status=OrderStatus.RECEIVED,
        order__received_at__gte=since,
        order__received_at__lt=until,
    )


def _bucket():
    return {"orders": set(), "quantity": 0, "total": ZERO, "market_total": ZERO}


def savings_report(scope: Scope, *, start: datetime.date, end: datetime.date) -> dict:
    """What residents saved against market prices on orders handed over in the period, by month, product and
    compound, summed line by line in Decimal (so the totals are the sum over the order lines, to the fen); and
    the deliveries made free for residents aged 60 and over."""
    rows = _received_lines(scope, start, end).values_list(
        "order_id",
        "order__received_at",
        "order__compound__name",
        "order__delivery",
        "order__free_delivery",
        "product__name",
        "product__spec",
        "quantity",
        "unit_price",
        "unit_market_price",
    )
    months, products, compounds, overall = defaultdict(_bucket), defaultdict(_bucket), defaultdict(_bucket), _bucket()
    free_deliveries, deliveries = set(), set()
    for order_id, received_at, compound, delivery, free, name, spec, quantity, price, market in rows:
        month = timezone.localtime(received_at).strftime("%Y-%m")
        for bucket in (months[month], products[f"{name} {spec}"], compounds[compound or "(未知小区)"], overall):
            bucket["orders"].add(order_id)
            bucket["quantity"] += quantity
            bucket["total"] += price * quantity
            bucket["market_total"] += market * quantity
        if delivery:
            deliveries.add(order_id)
        if free:
            free_deliveries.add(order_id)

    def table(buckets, sort_by_saving=False):
        out = [
            {
                "label": label,
                "orders": len(b["orders"]),
                "quantity": b["quantity"],
                "total": b["total"],
                "market_total": b["market_total"],
                "saved": b["market_total"] - b["total"],
            }
            for label, b in buckets.items()
        ]
        out.sort(key=(lambda r: (-r["saved"], r["label"])) if sort_by_saving else (lambda r: r["label"]))
        return out

    total = table({"合计": overall})[0]
    return {
        "start": start,
        "end": end,
        "months": table(months),
        "products": table(products, sort_by_saving=True),
        "compounds": table(compounds, sort_by_saving=True),
        "total": total,
        "deliveries": len(deliveries),
        "elderly_deliveries": len(free_deliveries),
    }


def supplier_statement(scope: Scope, supplier: Supplier, *, start: datetime.date, end: datetime.date) -> dict:
    """对账单: what was sold of the supplier's goods in the period, at the factory price of each line."""
    rows = (
        _received_lines(scope, start, end)
        .filter(product__supplier=supplier)
        .values_list("product__name", "product__spec", "unit_price", "quantity")
    )
    lines: dict[tuple, dict] = {}
    for name, spec, price, quantity in rows:
        row = lines.setdefault((name, spec, price), {"product": f"{name} {spec}", "unit_price": price, "quantity": 0})
        row["quantity"] += quantity
    out = sorted(lines.values(), key=lambda r: (r["product"], r["unit_price"]))
    for row in out:
        row["amount"] = row["unit_price"] * row["quantity"]
    return {
        "supplier": supplier,
        "start": start,
        "end": end,
        "lines": out,
        "quantity": sum(r["quantity"] for r in out),
        "amount": sum((r["amount"] for r in out), ZERO),
    }
