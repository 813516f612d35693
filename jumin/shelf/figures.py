"""接诉即办 counts for shelf orders: an order is answered once picked and resolved once handed over."""

from django.db.models import Count, Q

from jumin.core.registry import FigureRow

from .models import Order, OrderStatus


def figure_rows(scope, now) -> list[FigureRow]:
    if scope.is_empty:
        return []
    counts = (
        Order.objects.filter(community_id__in=scope.community_ids)
        .exclude(status=OrderStatus.CANCELLED)
        .aggregate(
            total=Count("id"),
            responded=Count("id", filter=~Q(status=OrderStatus.PLACED)),
            resolved=Count("id", filter=Q(status=OrderStatus.RECEIVED)),
        )
    )
    return [FigureRow(code="shelf_order", label="直通车订单", due_response=counts["total"], **counts)]
