"""The resident's phone: take a number while in the hall, follow it (position, wait), rate; book a half-day."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jumin.core.errors import DomainError
from jumin.core.params import id_param

from .. import rules, selectors
from ..models import BookingStatus, Slot, Ticket
from ..services import bookings as booking_services
from ..services import tickets as ticket_services
from .kiosk import rate

BOOK_AHEAD_DAYS = 14


def _resident_community(request) -> int:
    community_id = selectors.resident_community_id(request.user)
    if community_id is None:
        raise Http404
    return community_id


def _eligible_items(request, community_id, *, bookable=False):
    """The hall's active items, each marked with why this resident cannot use it (empty: they can)."""
    today = rules.local_day(timezone.now())
    items = list(
        selectors.items_for(selectors.Scope(community_ids=(community_id,)), active_only=True).prefetch_related(
            "eligible_tags"
        )
    )
    if bookable:
        items = [i for i in items if i.bookable]
    resident = request.user.resident
    codes = rules.tag_codes(resident)
    for item in items:
        item.refusal = rules.item_ineligibility(item, resident, today=today, codes=codes)
    return items


@login_required
def take(request):
    community_id = _resident_community(request)
    if request.method == "POST":
        item = selectors.active_item_get(community_id, request.POST.get("item"))
        try:
            ticket = ticket_services.ticket_take(
                actor=request.user, item=item, priority=request.POST.get("priority") == "1"
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"取号成功:{ticket.number}")
            return redirect("hall:my-ticket", ticket_uuid=ticket.uuid)
    context = {
        "items": _eligible_items(request, community_id),
        "open": rules.hall_is_open(timezone.now()),
        "tickets": selectors.tickets_of_user(request.user).filter(day=rules.local_day(timezone.now()))[:5],
    }
    return render(request, "hall/take.html", context)


def my_ticket(request, ticket_uuid):
    """The ticket by its QR (no personal data on it): number, status, position and the estimated wait."""
    ticket = Ticket.objects.select_related(*selectors.TICKET_RELATED).filter(uuid=ticket_uuid).first()
    if ticket is None:
        raise Http404
    context = {
        "ticket": ticket,
        **selectors.ticket_status(ticket, now=timezone.now()),
        "is_holder": request.user.is_authenticated and ticket.user_id == request.user.pk,
    }
    context["can_rate"] = context["is_holder"] and rules.ticket_can_rate(ticket)
    context["can_cancel"] = context["is_holder"] and ticket.status == "waiting"
    template = "hall/partials/ticket_status.html" if request.htmx else "hall/ticket.html"
    return render(request, template, context)


@login_required
@require_POST
def ticket_cancel(request, ticket_uuid):
    ticket = selectors.ticket_for_user(request.user, ticket_uuid)
    if ticket is None or ticket.user_id != request.user.pk:
        raise Http404
    try:
        ticket_services.ticket_cancel(actor=request.user, ticket=ticket)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已取消号码 {ticket.number}")
    return redirect("hall:my-ticket", ticket_uuid=ticket.uuid)


@login_required
def ticket_rate(request, ticket_uuid):
    ticket = selectors.ticket_for_user(request.user, ticket_uuid)
    if ticket is None or ticket.user_id != request.user.pk:
        raise Http404
    return rate(request, ticket, done_url=reverse("hall:my-ticket", kwargs={"ticket_uuid": ticket.uuid}))


@login_required
def book(request):
    community_id = _resident_community(request)
    context = {
        "items": _eligible_items(request, community_id, bookable=True),
        "bookings": selectors.bookings_of_user(request.user)[:5],
    }
    return render(request, "hall/book.html", context)


@login_required
def book_item(request, item_id):
    community_id = _resident_community(request)
    item = selectors.active_item_get(community_id, item_id)
    if item is None or not item.bookable:
        raise Http404
    now = timezone.now()
    if request.method == "POST":
        slot_id = id_param(request.POST.get("slot"))
        slot = Slot.objects.filter(pk=slot_id).select_related("window").first() if slot_id else None
        try:
            booking = booking_services.booking_make(actor=request.user, item=item, slot=slot)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"预约成功:{booking.slot}")
            return redirect("hall:my-booking", booking_uuid=booking.uuid)
    refusal = rules.item_ineligibility(item, request.user.resident, today=rules.local_day(now))
    slots = [] if refusal else _open_slots(item, now)
    return render(request, "hall/book_item.html", {"item": item, "slots": slots, "refusal": refusal})


def _open_slots(item, now) -> list[dict]:
    """Bookable half-days of the next two weeks, a day per row."""
    today = rules.local_day(now)
    days: dict[datetime.date, list[Slot]] = {}
    for slot in selectors.slots_for_item(item, start=today, days=BOOK_AHEAD_DAYS):
        if slot.date == today and rules.local(now).time() >= rules.HALF_ENDS[slot.half]:
            continue
        days.setdefault(slot.date, []).append(slot)
    return [{"date": d, "slots": s} for d, s in days.items()]


@login_required
def my_booking(request, booking_uuid):
    booking = selectors.booking_for_user(request.user, booking_uuid)
    if booking is None or booking.user_id != request.user.pk:
        raise Http404
    context = {
        "booking": booking,
        "can_cancel": rules.booking_can_cancel(booking, now=timezone.now()),
        "can_check_in_by_qr": booking.status == BookingStatus.BOOKED,
    }
    return render(request, "hall/booking.html", context)


@login_required
@require_POST
def booking_cancel(request, booking_uuid):
    booking = selectors.booking_for_user(request.user, booking_uuid)
    if booking is None or booking.user_id != request.user.pk:
        raise Http404
    try:
        booking_services.booking_cancel(actor=request.user, booking=booking)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已取消预约,名额已释放")
    return redirect("hall:my-booking", booking_uuid=booking.uuid)
