"""我的事项: the resident's shelf orders."""

from django.urls import reverse, reverse_lazy
from django.utils.text import format_lazy

from jumin.core.registry import DeskItem, InboxEntry, InboxSource

from .models import OPEN_STATUSES, Order, OrderStatus


def _mine(user):
    return Order.objects.filter(resident_id=getattr(user, "resident_id", None) or 0)


def _entries(user, limit: int) -> list[InboxEntry]:
    rows = _mine(user).order_by("-placed_at", "-id")[:limit]
    return [
        InboxEntry(
            when=o.placed_at,
            source="直通车订单",
            title=f"直通车订单 {o.total} 元({'送货上门' if o.delivery else '到店自取'})",
            status_label=o.get_status_display(),
            url=reverse("shelf:my-order", args=[o.uuid]),
            is_open=o.status in OPEN_STATUSES,
            number=o.number,
            done=o.status == OrderStatus.RECEIVED,
        )
        for o in rows
    ]


def _count(user) -> int:
    return _mine(user).count()


order_source = InboxSource(code="shelf_orders", label="直通车订单", entries=_entries, count=_count, order=50)


def _to_pick(user, scope) -> int:
    return Order.objects.filter(community_id__in=scope.community_ids, status=OrderStatus.PLACED).count()


def _low(user, scope) -> int:
    from django.db.models import F

    from .models import Product

    return Product.objects.filter(community_id__in=scope.community_ids, active=True, stock__lte=F("low_stock")).count()


DESK_ITEMS = [
    DeskItem(
        "直通车待拣货订单", _to_pick, format_lazy("{}?status=placed", reverse_lazy("shelf:orders")), "shelf.keep", 60
    ),
    DeskItem("直通车低库存商品", _low, format_lazy("{}?low=1", reverse_lazy("shelf:products")), "shelf.keep", 61, True),
]
