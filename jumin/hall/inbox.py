"""我的事项: a resident's queue tickets and bookings, whatever state they are in (one query each)."""

from django.urls import reverse

from jumin.core.registry import InboxEntry

from .models import Booking, BookingStatus, Ticket, TicketStatus

OPEN_TICKET = (TicketStatus.WAITING, TicketStatus.CALLED)
OPEN_BOOKING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)


def _ticket_status(ticket: Ticket) -> str:
    if ticket.status == TicketStatus.CALLED and ticket.called_window is not None:
        return f"请到 {ticket.called_window.number} 号窗口"
    if ticket.status == TicketStatus.DONE:
        return ticket.get_outcome_display() or "已办结"
    return ticket.get_status_display()


def ticket_entries(user, limit: int) -> list[InboxEntry]:
    rows = Ticket.objects.filter(user=user).select_related("item", "called_window").order_by("-taken_at")[:limit]
    return [
        InboxEntry(
            when=t.taken_at,
            source="取号",
            title=f"{t.number} {t.item.name}",
            status_label=_ticket_status(t),
            url=reverse("hall:my-ticket", kwargs={"ticket_uuid": t.uuid}),
            is_open=t.status in OPEN_TICKET,
            number=t.number,
            done=t.status == TicketStatus.DONE and t.outcome == "done",
        )
        for t in rows
    ]


def booking_entries(user, limit: int) -> list[InboxEntry]:
    rows = Booking.objects.filter(user=user).select_related("item", "slot__window").order_by("-created_at")[:limit]
    return [
        InboxEntry(
            when=b.created_at,
            source="预约",
            title=f"{b.item.name}({b.date:%Y年%m月%d日}{b.slot.get_half_display()})",
            status_label=b.get_status_display(),
            url=reverse("hall:my-booking", kwargs={"booking_uuid": b.uuid}),
            is_open=b.status in OPEN_BOOKING,
            done=b.status == BookingStatus.SERVED,
        )
        for b in rows
    ]


def hall_entries(user, limit: int) -> list[InboxEntry]:
    """The resident's tickets and bookings, newest `limit` of the two together (two queries)."""
    merged = ticket_entries(user, limit) + booking_entries(user, limit)
    merged.sort(key=lambda e: e.when, reverse=True)
    return merged[:limit]


def hall_count(user) -> int:
    """Tickets and bookings in one query (two subqueries)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    def counted(model):
        rows = model.objects.filter(user=OuterRef("pk")).order_by().values("user").annotate(n=Count("id")).values("n")
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(t=counted(Ticket), b=counted(Booking))
        .values("t", "b")
        .first()
    )
    return (row["t"] + row["b"]) if row else 0
