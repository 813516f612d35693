"""Reads of the hall catalogue. Staff see their communities' items; a resident sees their own community's."""

import datetime
import math

from django.db.models import Count, Prefetch, Q

from jumin.core.access import Scope, scope_for
from jumin.core.models import Role
from jumin.core.params import id_param

from . import rules
from .models import Booking, ServiceItem, Slot, Ticket, TicketStatus, Window

PROXY_FILTERS = {"1": True, "0": False}


def items_for(scope: Scope, *, window=None, proxy=None, q=None, active_only=False):
    """Service items in the scope's communities (grid workers see the whole community's hall)."""
    if scope.is_empty:
        return ServiceItem.objects.none()
    items = ServiceItem.objects.filter(community_id__in=scope.community_ids)
    if window:
        items = items.filter(window_id=window)
    if proxy is not None:
        items = items.filter(proxy_allowed=proxy)
    if active_only:
        items = items.filter(active=True)
    q = (q or "").strip()
    if q:
        items = items.filter(Q(name__contains=q) | Q(description__contains=q))
    return items.select_related("window", "community").order_by("community_id", "window__number", "id")


def windows_for(scope: Scope):
    if scope.is_empty:
        return Window.objects.none()
    return Window.objects.filter(community_id__in=scope.community_ids).select_related("community")


def guide_windows(community_id: int, *, proxy_only: bool = False, q: str | None = None) -> list[Window]:
    """办事指南: a community's windows, each with its active items in `.guide_items` (two queries); `q` finds
    items by name, description or a document ("身份证")."""
    items = ServiceItem.objects.filter(active=True).order_by("id")
    if proxy_only:
        items = items.filter(proxy_allowed=True)
    windows = Window.objects.filter(community_id=community_id).prefetch_related(
        Prefetch("items", queryset=items, to_attr="guide_items")
    )
    windows = list(windows.order_by("number"))
    q = (q or "").strip()
    if q:
        # A hall has a few dozen items: matching in Python also searches the document names inside the JSON list,
        # which a database lookup cannot do the same way on SQLite and PostgreSQL.
        for w in windows:
            w.guide_items = [i for i in w.guide_items if _matches(i, q)]
    return [w for w in windows if w.guide_items]


def _matches(item: ServiceItem, q: str) -> bool:
    q = q.lower()
    return any(q in text.lower() for text in (item.name, item.description, *item.required_documents))


def resident_community_id(user) -> int | None:
    scope = scope_for(user)
    return scope.community_ids[0] if scope.community_ids and scope.household_id is not None else None


def active_item_get(community_id: int, item_id) -> ServiceItem | None:
    """An active item of the community (proxy or not: the caller explains why a non-proxy item cannot be asked)."""
    item_id = id_param(item_id)
    if item_id is None:
        return None
    return (
        ServiceItem.objects.filter(community_id=community_id, pk=item_id, active=True).select_related("window").first()
    )


# ---- the hall running: queues, tickets, bookings, records ------------------------------------------------------


def queue_for(window: Window, *, day):
    """The window's waiting tickets in calling order: checked-in bookings of the slot, then the 绿色通道, then
    walk-ins by taking time. A window also serves the items it shares, unless a ticket was transferred elsewhere."""
    shared = ServiceItem.objects.filter(other_windows=window).values("pk")
    return (
        Ticket.objects.filter(day=day, status=TicketStatus.WAITING)
        .filter(Q(window=window) | Q(item_id__in=shared, transferred=False))
        .order_by("lane", "taken_at", "id")
    )


def ticket_position(ticket: Ticket) -> int:
    """1 for the next to be called at the ticket's window; 0 once it is no longer waiting."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    ahead = queue_for(ticket.window, day=ticket.day).filter(
        Q(lane__lt=ticket.lane)
        | Q(lane=ticket.lane, taken_at__lt=ticket.taken_at)
        | Q(lane=ticket.lane, taken_at=ticket.taken_at, id__lt=ticket.pk)
    )
    return ahead.count() + 1


def average_service_minutes(item_id, *, now) -> float:
    """Mean minutes at the window for the item over the last 30 days (5 when the hall has no history yet)."""
    rows = Ticket.objects.filter(
        item_id=item_id,
        status=TicketStatus.DONE,
        finished_at__gte=now - datetime.timedelta(days=30),
        called_at__isnull=False,
    ).values_list("called_at", "finished_at")[:200]
    spans = [(f - c).total_seconds() / 60 for c, f in rows]
    return sum(spans) / len(spans) if spans else rules.DEFAULT_SERVICE_MINUTES


def estimated_wait_minutes(ticket: Ticket, position: int, *, now) -> int:
    if position <= 0:
        return 0
    return math.ceil((position - 1 + 0.5) * average_service_minutes(ticket.item_id, now=now))


def ticket_status(ticket: Ticket, *, now) -> dict:
    position = ticket_position(ticket)
    return {
        "position": position,
        "estimated_wait_minutes": estimated_wait_minutes(ticket, position, now=now),
    }


TICKET_RELATED = ("item__window", "window", "called_window", "booking__slot")


def ticket_for_user(user, ticket_uuid) -> Ticket | None:
    """A ticket its holder may see: the resident's own, or any of the hall for its staff and the kiosk."""
    tickets = Ticket.objects.select_related(*TICKET_RELATED).filter(uuid=ticket_uuid)
    if user.role == Role.RESIDENT:
        return tickets.filter(user=user).first()
    community_id = rules.hall_community_id(user)
    if community_id is None:
        return None
    return tickets.filter(community_id=community_id).first()


def tickets_of_user(user):
    return Ticket.objects.filter(user=user).select_related("item", "window", "called_window").order_by("-taken_at")


def bookings_of_user(user):
    return Booking.objects.filter(user=user).select_related("item", "slot__window").order_by("-date", "-id")


def booking_for_user(user, booking_uuid) -> Booking | None:
    bookings = Booking.objects.select_related("item", "slot__window", "resident").filter(uuid=booking_uuid)
    if user.role == Role.RESIDENT:
        return bookings.filter(user=user).first()
    community_id = rules.hall_community_id(user)
    return bookings.filter(community_id=community_id).first() if community_id else None


def window_for_staff(user, window_id) -> Window | None:
    """A window of the user's hall (404 for any other); whether they may call there is rules.window_can_call."""
    window_id = id_param(window_id)
    if window_id is None:
        return None
    community_id = rules.hall_community_id(user)
    if community_id is None or user.role == Role.KIOSK:
        return None
    return Window.objects.filter(community_id=community_id, pk=window_id).first()


def display_board(community_id: int, *, now) -> dict:
    """The hall TV: every window's current number and queue length, and the latest announcements (3 queries)."""
    day = rules.local_day(now)
    windows = list(Window.objects.filter(community_id=community_id).select_related("current_ticket").order_by("number"))
    waiting = dict(
        Ticket.objects.filter(community_id=community_id, day=day, status=TicketStatus.WAITING)
        .values("window_id")
        .annotate(n=Count("id"))
        .values_list("window_id", "n")
    )
    for w in windows:
        w.waiting = waiting.get(w.pk, 0)
    calls = list(
        Ticket.objects.filter(community_id=community_id, day=day, announced_at__isnull=False)
        .select_related("called_window")
        .order_by("-announced_at")[:6]
    )
    return {"windows": windows, "calls": calls, "waiting_total": sum(waiting.values())}


def bookings_for_office(scope: Scope, *, day=None, status=None, window=None):
    if scope.is_empty:
        return Booking.objects.none()
    rows = Booking.objects.filter(community_id__in=scope.community_ids)
    if day:
        rows = rows.filter(date=day)
    if status:
        rows = rows.filter(status=status)
    if window:
        rows = rows.filter(slot__window_id=window)
    return rows.select_related("item", "slot__window", "resident").order_by("date", "slot__half", "id")


def records_for(scope: Scope, *, start=None, end=None, window=None, item=None, outcome=None):
    """Service records: the finished tickets of the scope's halls."""
    if scope.is_empty:
        return Ticket.objects.none()
    rows = Ticket.objects.filter(community_id__in=scope.community_ids, status=TicketStatus.DONE)
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    if window:
        rows = rows.filter(called_window_id=window)
    if item:
        rows = rows.filter(item_id=item)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.select_related("item", "called_window", "staff", "resident", "rating").order_by("-finished_at", "-id")


def slots_for_item(item: ServiceItem, *, day=None, start=None, days: int = 14):
    """Open slots of the windows that handle the item, on a day or over the next `days`."""
    window_ids = [item.window_id, *item.other_windows.values_list("pk", flat=True)]
    slots = Slot.objects.filter(window_id__in=window_ids, capacity__gt=0)
    if day:
        slots = slots.filter(date=day)
    elif start:
        slots = slots.filter(date__gte=start, date__lt=start + datetime.timedelta(days=days))
    return slots.select_related("window").order_by("date", "half", "window__number")
