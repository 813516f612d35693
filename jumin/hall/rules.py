"""The hall's rules in one place: who may use an item, who rides the 绿色通道, opening hours, who may call at a
window, which ticket steps a clerk is offered. Services call these to refuse; views call them to offer."""

import datetime

from django.utils import timezone

from jumin.core.access import scope_for
from jumin.core.models import Role

from .models import Half, Ticket, TicketStatus

PRIORITY_AGE = 70
PRIORITY_TAGS = frozenset({"disabled"})
# A skipped (no-show) ticket may be called back for this long.
RECALL_WINDOW = datetime.timedelta(minutes=30)
# The hall's opening hours on a working day (a resident's phone takes numbers only then).
OPENS, CLOSES = datetime.time(8, 30), datetime.time(17, 30)
NOON = datetime.time(12, 0)
# Check-in for a booked half-day opens this long before the half starts.
CHECK_IN_EARLY = datetime.timedelta(minutes=30)
HALF_STARTS = {Half.AM: OPENS, Half.PM: datetime.time(13, 30)}
HALF_ENDS = {Half.AM: NOON, Half.PM: CLOSES}
POOR_MARK = 2
DEFAULT_SERVICE_MINUTES = 5


def local(now: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(now)


def local_day(now: datetime.datetime) -> datetime.date:
    """The hall's day (Asia/Shanghai): numbers restart at local midnight, not at UTC midnight."""
    return local(now).date()


def current_half(now: datetime.datetime) -> str:
    return Half.AM if local(now).time() < NOON else Half.PM


def hall_is_open(now: datetime.datetime) -> bool:
    from jumin.core.workdays import _exceptions, is_workday

    moment = local(now)
    if not is_workday(moment.date(), _exceptions(moment.date(), 0)):
        return False
    return OPENS <= moment.time() < CLOSES


def tag_codes(resident) -> set[str]:
    return set(resident.tags.values_list("code", flat=True))


def item_ineligibility(item, resident, *, today: datetime.date, codes: set[str] | None = None) -> str:
    """Why `resident` cannot use `item` ("" when they can): its age range and its groups (any one tag)."""
    age = resident.age(today)
    if item.min_age is not None and age < item.min_age:
        return f"“{item.name}”限 {item.min_age} 周岁及以上居民办理"
    if item.max_age is not None and age > item.max_age:
        return f"“{item.name}”限 {item.max_age} 周岁及以下居民办理"
    wanted = {t.code: t.name for t in item.eligible_tags.all()}
    if wanted and not (set(wanted) & (tag_codes(resident) if codes is None else codes)):
        return f"“{item.name}”限{'、'.join(wanted.values())}办理"
    return ""


def qualifies_for_priority(resident, *, today: datetime.date) -> bool:
    """绿色通道 by the register: aged 70+ or disabled (pregnancy is declared at the kiosk or on the phone)."""
    return resident.age(today) >= PRIORITY_AGE or bool(PRIORITY_TAGS & tag_codes(resident))


def hall_community_id(user) -> int | None:
    """The community whose hall a user works in: staff and the kiosk device their own; residents none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role == Role.KIOSK or user.role in (Role.WINDOW_STAFF, Role.SECRETARY):
        return user.community_id
    return None


def may_issue_tickets(user, community_id: int) -> bool:
    """The kiosk and the hall's staff take numbers for walk-ins and check bookings in."""
    return hall_community_id(user) == community_id


def may_manage_hall(user, community_id: int) -> bool:
    return user.role in (Role.SECRETARY, Role.WINDOW_STAFF) and community_id in scope_for(user).community_ids


def window_can_call(window, user) -> bool:
    """Window staff call at the windows they are assigned to; the secretary at any window of the hall."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.community_id != window.community_id:
        return False
    if user.role == Role.SECRETARY:
        return True
    return user.role == Role.WINDOW_STAFF and window.staff.filter(pk=user.pk).exists()


def ticket_actions(ticket: Ticket, window, *, now: datetime.datetime) -> list[str]:
    """The steps a clerk at `window` is offered for `ticket`."""
    if ticket.status == TicketStatus.CALLED and window.current_ticket_id == ticket.pk:
        return ["recall", "skip", "transfer", "finish"]
    if ticket_can_recall_skipped(ticket, now=now):
        return ["recall_skipped"]
    return []


def ticket_can_recall_skipped(ticket: Ticket, *, now: datetime.datetime) -> bool:
    return (
        ticket.status == TicketStatus.SKIPPED
        and ticket.skipped_at is not None
        and now - ticket.skipped_at <= RECALL_WINDOW
        and ticket.day == local_day(now)
    )


def ticket_can_rate(ticket: Ticket) -> bool:
    return ticket.status == TicketStatus.DONE and not _has_rating(ticket)


def _has_rating(ticket) -> bool:
    try:
        return ticket.rating is not None
    except Ticket.rating.RelatedObjectDoesNotExist:
        return False


def booking_can_cancel(booking, *, now: datetime.datetime) -> bool:
    from .models import BookingStatus

    if booking.status != BookingStatus.BOOKED:
        return False
    start = timezone.make_aware(datetime.datetime.combine(booking.date, HALF_STARTS[booking.slot.half]))
    return now < start


def booking_check_in_error(booking, *, now: datetime.datetime) -> str:
    """Why a booking cannot be checked in now ("" when it can)."""
    from .models import BookingStatus

    if booking.status != BookingStatus.BOOKED:
        return f"该预约{booking.get_status_display()},不能签到"
    moment = local(now)
    if moment.date() != booking.date:
        return f"请在预约当天({booking.date:%Y年%m月%d日})签到"
    start = datetime.datetime.combine(booking.date, HALF_STARTS[booking.slot.half]) - CHECK_IN_EARLY
    if moment.replace(tzinfo=None) < start:
        return f"{booking.slot.get_half_display()}时段的签到 {start:%H:%M} 开始"
    if moment.time() >= HALF_ENDS[booking.slot.half]:
        return "预约时段已过,请取普通号"
    return ""
