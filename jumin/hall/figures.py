"""Hall figures per window, item, staff or day: tickets, average and p90 wait, average service time, no-show
rate and ratings (one query over the period's tickets); and the 接诉即办 counts for tickets and bookings."""

import datetime
import math
from collections import defaultdict

from django.db.models import Count, Q

from jumin.core.registry import FigureRow

from .models import Booking, BookingStatus, Ticket, TicketStatus

GROUPS = {"window": "窗口", "item": "事项", "staff": "工作人员", "day": "日期", "month": "月份"}
MAX_DAYS = 366  # a year at most: the figures are computed from the period's tickets
SATISFIED = 4


def p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


def _mean(values):
    return sum(values) / len(values) if values else None


def hall_figures(scope, *, start: datetime.date, end: datetime.date, group: str) -> list[dict]:
    if scope.is_empty:
        return []
    rows = (
        Ticket.objects.filter(community_id__in=scope.community_ids, day__gte=start, day__lte=end)
        .exclude(status=TicketStatus.CANCELLED)
        .values(
            "day",
            "status",
            "taken_at",
            "called_at",
            "finished_at",
            "called_window__number",
            "called_window__name",
            "window__number",
            "window__name",
            "item__name",
            "staff__name",
            "rating__attitude",
            "rating__quality",
            "rating__efficiency",
            "rating__integrity",
        )
    )
    buckets = defaultdict(list)
    for row in rows:
        buckets[_key(row, group)].append(row)
    return [_figures(label, rows) for label, rows in sorted(buckets.items(), key=lambda kv: str(kv[0]))]


def _key(row, group):
    if group == "window":
        number = row["called_window__number"] or row["window__number"]
        name = row["called_window__name"] or row["window__name"]
        return f"{number:02d}号 {name}"
    if group == "item":
        return row["item__name"]
    if group == "staff":
        return row["staff__name"] or "(未叫号)"
    if group == "month":
        return f"{row['day']:%Y-%m}"
    return row["day"]


def _figures(label, rows) -> dict:
    waits = [(r["called_at"] - r["taken_at"]).total_seconds() / 60 for r in rows if r["called_at"]]
    services = [
        (r["finished_at"] - r["called_at"]).total_seconds() / 60
        for r in rows
        if r["status"] == TicketStatus.DONE and r["called_at"] and r["finished_at"]
    ]
    called = [r for r in rows if r["called_at"]]
    no_shows = [r for r in rows if r["status"] == TicketStatus.SKIPPED]
    ratings = [
        (r["rating__attitude"] + r["rating__quality"] + r["rating__efficiency"] + r["rating__integrity"]) / 4
        for r in rows
        if r["rating__attitude"] is not None
    ]
    return {
        "label": label,
        "tickets": len(rows),
        "done": sum(1 for r in rows if r["status"] == TicketStatus.DONE),
        "avg_wait": _mean(waits),
        "p90_wait": p90(waits),
        "avg_service": _mean(services),
        "no_show_rate": len(no_shows) / len(called) if called else None,
        "rated": len(ratings),
        "avg_rating": _mean(ratings),
    }


def figure_rows(scope, now) -> list[FigureRow]:
    """接诉即办 counts: a ticket is answered once called and resolved once finished; a booking once served."""
    if scope.is_empty:
        return []
    tickets = Ticket.objects.filter(community_id__in=scope.community_ids).exclude(status=TicketStatus.CANCELLED)
    t = tickets.aggregate(
        total=Count("id"),
        responded=Count("id", filter=Q(called_at__isnull=False)),
        resolved=Count("id", filter=Q(status=TicketStatus.DONE)),
        rated=Count("rating"),
        satisfied=Count(
            "rating",
            filter=Q(
                rating__attitude__gte=SATISFIED,
                rating__quality__gte=SATISFIED,
                rating__efficiency__gte=SATISFIED,
                rating__integrity__gte=SATISFIED,
            ),
        ),
    )
    b = (
        Booking.objects.filter(community_id__in=scope.community_ids)
        .exclude(status=BookingStatus.CANCELLED)
        .aggregate(
            total=Count("id"),
            responded=Count("id", filter=~Q(status=BookingStatus.BOOKED)),
            resolved=Count("id", filter=Q(status=BookingStatus.SERVED)),
            overdue=Count("id", filter=Q(status=BookingStatus.MISSED)),
        )
    )
    return [
        FigureRow(code="hall_ticket", label="大厅取号", due_response=t["total"], **t),
        FigureRow(code="hall_booking", label="大厅预约", due_response=b["total"], **b),
    ]
