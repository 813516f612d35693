"""The hall's kiosk (a device account): big buttons to take a number or check a booking in, and the tablet at the
window where a walk-in rates the service. The hall TV (display) is here too: it needs no person's data."""

import functools
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jumin.core.errors import DomainError
from jumin.core.forms import add_domain_error
from jumin.core.models import Role
from jumin.core.params import id_param

from .. import rules, selectors
from ..forms import CheckInCodeForm, KioskTakeForm, PhoneForm, RatingForm
from ..models import ServiceItem, Ticket, TicketStatus, Window
from ..services import bookings as booking_services
from ..services import ratings as rating_services
from ..services import tickets as ticket_services

RATE_RECENT_MINUTES = 30


def kiosk_required(view):
    """The kiosk device account only; everyone else gets 404."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != Role.KIOSK or request.user.community_id is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def hall_screen_required(view):
    """The hall TV: the kiosk account or the hall's staff."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if rules.hall_community_id(request.user) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@kiosk_required
def kiosk(request):
    windows = selectors.guide_windows(request.user.community_id)
    return render(request, "hall/kiosk.html", {"windows": windows})


@kiosk_required
def kiosk_take(request, item_id):
    item = ServiceItem.objects.filter(community_id=request.user.community_id, pk=item_id, active=True).first()
    if item is None:
        raise Http404
    form = KioskTakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = ticket_services.ticket_take(
                actor=request.user,
                item=item,
                phone=form.cleaned_data["phone"],
                priority=form.cleaned_data["priority"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("hall:kiosk-ticket", ticket_uuid=ticket.uuid)
    return render(request, "hall/kiosk_take.html", {"item": item, "form": form})


@kiosk_required
def kiosk_ticket(request, ticket_uuid):
    ticket = selectors.ticket_for_user(request.user, ticket_uuid)
    if ticket is None:
        raise Http404
    status = selectors.ticket_status(ticket, now=timezone.now())
    return render(request, "hall/kiosk_ticket.html", {"ticket": ticket, **status})


def ticket_qr(request, ticket_uuid):
    """The QR printed on the slip: the resident scans it to follow the ticket on their phone (no personal data)."""
    if not request.user.is_authenticated or selectors.ticket_for_user(request.user, ticket_uuid) is None:
        raise Http404
    url = request.build_absolute_uri(reverse("hall:my-ticket", kwargs={"ticket_uuid": ticket_uuid}))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, title="排队进度二维码")
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def booking_qr(request, booking_uuid):
    """The QR on the resident's own booking page, for the kiosk's scanner: a signed booking id, no personal data."""
    booking = selectors.booking_for_user(request.user, booking_uuid) if request.user.is_authenticated else None
    if booking is None or booking.user_id != request.user.pk:
        raise Http404
    buffer = io.BytesIO()
    segno.make(booking_services.booking_check_in_code(booking), error="m").save(
        buffer, kind="svg", scale=6, title="预约签到二维码"
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@kiosk_required
def kiosk_check_in(request):
    """预约签到: scan the QR on the resident's booking page (a hand scanner types it in), or type the phone."""
    scanned = request.method == "POST" and "code" in request.POST
    code_form = CheckInCodeForm(request.POST if scanned else None)
    form = PhoneForm(request.POST if request.method == "POST" and not scanned else None)
    tickets = []
    try:
        if scanned and code_form.is_valid():
            tickets = [
                booking_services.booking_check_in_by_code(
                    actor=request.user, community_id=request.user.community_id, code=code_form.cleaned_data["code"]
                )
            ]
        elif request.method == "POST" and not scanned and form.is_valid():
            tickets = booking_services.bookings_check_in_by_phone(
                actor=request.user, community_id=request.user.community_id, phone=form.cleaned_data["phone"]
            )
    except DomainError as exc:
        add_domain_error(code_form if scanned else form, exc)
    if len(tickets) == 1:
        return redirect("hall:kiosk-ticket", ticket_uuid=tickets[0].uuid)
    context = {
        "form": form,
        "code_form": code_form,
        "tickets": tickets,
        "code_prefix": booking_services.CHECK_IN_PREFIX,
    }
    return render(request, "hall/kiosk_check_in.html", context)


@kiosk_required
def kiosk_rate_list(request):
    """The tablet at a window: the window's just-finished tickets not yet rated."""
    window_id = id_param(request.GET.get("window"))
    windows = Window.objects.filter(community_id=request.user.community_id).order_by("number")
    window = windows.filter(pk=window_id).first() if window_id else None
    tickets = []
    if window is not None:
        since = timezone.now() - timezone.timedelta(minutes=RATE_RECENT_MINUTES)
        tickets = (
            Ticket.objects.filter(
                called_window=window, status=TicketStatus.DONE, finished_at__gte=since, rating__isnull=True
            )
            .select_related("item")
            .order_by("-finished_at")[:5]
        )
    return render(request, "hall/kiosk_rate_list.html", {"windows": windows, "window": window, "tickets": tickets})


@kiosk_required
def kiosk_rate(request, ticket_uuid):
    ticket = selectors.ticket_for_user(request.user, ticket_uuid)
    if ticket is None:
        raise Http404
    return rate(request, ticket, done_url=f"{reverse('hall:kiosk-rate-list')}?window={ticket.called_window_id}")


def rate(request, ticket, *, done_url):
    """The rating form, shared by the resident's phone and the tablet."""
    if not rules.ticket_can_rate(ticket):
        messages.info(request, "该号码已评价或尚未办结")
        return redirect(done_url)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating = rating_services.rating_submit(
                actor=request.user, ticket=ticket, values=form.cleaned_data, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if rating.case_id:
                messages.success(request, "感谢评价。您反映的问题已转社区书记核实,会尽快答复您。")
            else:
                messages.success(request, "感谢您的评价!")
            return redirect(done_url)
    return render(request, "hall/rate.html", {"ticket": ticket, "form": form, "kiosk": request.user.role == Role.KIOSK})


@hall_screen_required
def display(request):
    board = selectors.display_board(rules.hall_community_id(request.user), now=timezone.now())
    return render(request, "hall/display.html", board)


@hall_screen_required
def display_board(request):
    board = selectors.display_board(rules.hall_community_id(request.user), now=timezone.now())
    return render(request, "hall/partials/display_board.html", board)


@kiosk_required
@require_POST
def kiosk_done(request):
    """The 完成 button on the slip: back to the start for the next person."""
    return redirect("hall:kiosk")
