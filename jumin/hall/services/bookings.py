"""Booking slots and bookings: staff set a week's half-day slots per window; residents book, cancel, check in.

A slot's `booked` moves only by conditional UPDATE (`booked < capacity`), and one live booking per resident, item
and day is a partial unique constraint: capacity holds under concurrency on SQLite and PostgreSQL alike."""

import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jumin.cases.notify import notify
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.people.models import ResidentStatus

from .. import rules
from ..models import Booking, BookingStatus, Half, Slot, Window
from .tickets import ticket_take

MAX_CAPACITY = 200


def slots_set_week(*, actor, community, monday: datetime.date, capacities: dict, closed_days=(), now=None) -> int:
    """Open (or resize) the half-day slots of the week starting `monday`: `capacities` maps (window id, half) to
    the places; a closed day (holiday) gets none. A slot is never made smaller than its bookings. Returns the
    number of slots written."""
    if not rules.may_manage_hall(actor, community.pk):
        raise PermissionDenied("您没有设置预约时段的权限")
    if monday.weekday() != 0:
        raise DomainError("请选择一周的星期一", field="monday")
    windows = {w.pk: w for w in Window.objects.filter(community=community)}
    closed = set(closed_days)
    written = 0
    with transaction.atomic():
        # The week's slots in one read; only the missing ones go through get_or_create (which settles a race).
        existing = {
            (s.window_id, s.date, s.half): s
            for s in Slot.objects.filter(
                window_id__in=windows, date__gte=monday, date__lte=monday + datetime.timedelta(days=4)
            )
        }
        for offset in range(5):
            day = monday + datetime.timedelta(days=offset)
            for (window_id, half), capacity in sorted(capacities.items()):
                if window_id not in windows or half not in Half.values:
                    raise DomainError("窗口或时段不存在", field="capacities")
                capacity = 0 if day in closed else capacity
                if not isinstance(capacity, int) or not 0 <= capacity <= MAX_CAPACITY:
                    raise DomainError(f"名额应为 0 到 {MAX_CAPACITY} 之间的整数", field="capacities")
                slot, created = existing.get((window_id, day, half)), False
                if slot is None:
                    slot, created = Slot.objects.get_or_create(
                        window_id=window_id,
                        date=day,
                        half=half,
                        defaults={"community": community, "capacity": capacity},
                    )
                resized = created or slot.capacity == capacity
                resized = resized or Slot.objects.filter(pk=slot.pk, booked__lte=capacity).update(
                    capacity=capacity, updated_at=timezone.now()
                )
                if not resized:
                    raise Conflict(f"{slot} 已有 {slot.booked} 人预约,名额不能少于已约人数", field="capacities")
                written += 1
        audit_record(
            now=now,
            actor=actor,
            action="hall.slots.set",
            target=community,
            summary=f"设置 {monday:%Y年%m月%d日} 起一周的预约时段" + (f",休息 {len(closed)} 天" if closed else ""),
        )
    return written


def booking_make(*, actor, item, slot: Slot, now=None, note: str = "") -> Booking:
    """A resident books an item in a half-day slot of a window that handles it: 409 when full or already booked."""
    now = now or timezone.now()
    if actor.role != Role.RESIDENT or actor.resident_id is None or actor.resident.status != ResidentStatus.ACTIVE:
        raise PermissionDenied("账号尚未绑定住户,暂不能预约")
    resident = actor.resident
    if item is None or not item.active or item.community_id != resident.community_id:
        raise DomainError("请选择本社区在办的服务事项", field="item")
    if not item.bookable:
        raise DomainError(f"“{item.name}”不提供预约,请到大厅取号", field="item")
    if slot is None or slot.community_id != item.community_id or not _serves(item, slot.window_id):
        raise DomainError("请选择办理该事项的窗口的时段", field="slot")
    if slot.date < rules.local_day(now) or (
        slot.date == rules.local_day(now) and rules.local(now).time() >= rules.HALF_ENDS[slot.half]
    ):
        raise DomainError("该时段已过,请选择以后的时段", field="slot")
    reason = rules.item_ineligibility(item, resident, today=rules.local_day(now))
    if reason:
        raise DomainError(reason, field="item")
    note = (note or "").strip()
    if len(note) > 200:
        raise DomainError("备注不能超过 200 字", field="note")
    with transaction.atomic():
        if not Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1, updated_at=now):
            raise Conflict("该时段已约满,请选择其他时段", field="slot")
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    community_id=item.community_id,
                    resident=resident,
                    user=actor,
                    item=item,
                    slot=slot,
                    date=slot.date,
                    note=note,
                )
        except IntegrityError:
            raise Conflict(f"您 {slot.date:%Y年%m月%d日} 已预约“{item.name}”", field="slot") from None
        audit_record(
            now=now, actor=actor, action="hall.booking.make", target=booking, summary=f"预约 {item.name}:{slot}"
        )
        notify([actor], title=f"预约成功:{item.name}", body=f"{slot},请带齐材料按时到大厅签到")
    return booking


def _serves(item, window_id) -> bool:
    return item.window_id == window_id or item.other_windows.filter(pk=window_id).exists()


def booking_cancel(*, actor, booking: Booking, now=None) -> Booking:
    """Cancel before the half-day starts; the place goes back to the slot."""
    now = now or timezone.now()
    if booking.user_id != actor.pk and not rules.may_manage_hall(actor, booking.community_id):
        raise PermissionDenied("只能取消自己的预约")
    if not rules.booking_can_cancel(booking, now=now):
        raise Conflict("该预约已开始或已结束,不能取消")
    with transaction.atomic():
        if not Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now
        ):
            raise Conflict("该预约状态已变化,请刷新")
        Slot.objects.filter(pk=booking.slot_id, booked__gt=0).update(booked=F("booked") - 1, updated_at=now)
        booking.status = BookingStatus.CANCELLED
        audit_record(
            now=now, actor=actor, action="hall.booking.cancel", target=booking, summary=f"取消预约 {booking.item}"
        )
    return booking


def booking_check_in(*, actor, booking: Booking, now=None):
    """At the kiosk or the window on the day: the booking becomes a ticket served ahead of walk-ins."""
    now = now or timezone.now()
    if not rules.may_issue_tickets(actor, booking.community_id):
        raise PermissionDenied("请到大厅取号机或窗口签到")
    error = rules.booking_check_in_error(booking, now=now)
    if error:
        raise Conflict(error)
    with transaction.atomic():
        if not Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CHECKED_IN, checked_in_at=now, updated_at=now
        ):
            raise Conflict("该预约已签到")
        booking.status = BookingStatus.CHECKED_IN
        ticket = ticket_take(actor=actor, item=booking.item, now=now, booking=booking)
        audit_record(
            now=now, actor=actor, action="hall.booking.check_in", target=booking, summary=f"预约签到 {ticket.number}"
        )
    return ticket


def bookings_check_in_by_phone(*, actor, community_id, phone: str, now=None) -> list:
    """The kiosk or the window finds today's bookings by the resident's phone and checks in those due now."""
    now = now or timezone.now()
    bookings = list(
        Booking.objects.filter(
            community_id=community_id, date=rules.local_day(now), status=BookingStatus.BOOKED, resident__phone=phone
        )
        .select_related("item__window", "slot", "resident", "user")
        .order_by("slot__half", "id")
    )
    if not bookings:
        raise DomainError("今天没有该手机号的预约", field="phone")
    due = [b for b in bookings if not rules.booking_check_in_error(b, now=now)]
    if not due:
        raise Conflict(rules.booking_check_in_error(bookings[0], now=now), field="phone")
    return [booking_check_in(actor=actor, booking=b, now=now) for b in due]


CHECK_IN_SALT = "jumin.hall.booking-check-in"


# Every check-in code starts with it: the kiosk's camera posts only what carries it, and the service refuses the rest.
CHECK_IN_PREFIX = "JM1:"


def booking_check_in_code(booking: Booking) -> str:
    """What the QR on the resident's booking page holds: the booking, signed, and nothing about the person.
    A hand scanner at the kiosk types it into the check-in field; a forged or altered code is refused."""
    return CHECK_IN_PREFIX + signing.dumps(booking.uuid.hex, salt=CHECK_IN_SALT, compress=False)


def booking_check_in_by_code(*, actor, community_id, code: str, now=None):
    """The kiosk scans the QR on the resident's phone and checks that booking in (today, in its half-day)."""
    code = (code or "").strip()
    try:
        if not code.startswith(CHECK_IN_PREFIX):
            raise signing.BadSignature
        booking_hex = signing.loads(code.removeprefix(CHECK_IN_PREFIX), salt=CHECK_IN_SALT)
    except signing.BadSignature as exc:
        raise DomainError("这不是本系统的预约签到码,请用手机号签到", field="code") from exc
    booking = (
        Booking.objects.filter(uuid=booking_hex, community_id=community_id)
        .select_related("item__window", "slot", "resident", "user")
        .first()
    )
    if booking is None:
        raise DomainError("没有找到这个预约(是否预约了其他社区的大厅?)", field="code")
    error = rules.booking_check_in_error(booking, now=now or timezone.now())
    if error:
        raise Conflict(error, field="code")
    return booking_check_in(actor=actor, booking=booking, now=now)


def bookings_send_reminders(*, now=None) -> int:
    """The day before: an inbox message and an SMS for each booking not yet reminded (safe to run twice)."""
    now = now or timezone.now()
    tomorrow = rules.local_day(now) + datetime.timedelta(days=1)
    sent = 0
    due = Booking.objects.filter(date=tomorrow, status=BookingStatus.BOOKED, reminded_at__isnull=True)
    for booking in due.select_related("user", "item", "slot__window"):
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            notify(
                [booking.user],
                title=f"明天{booking.slot.get_half_display()}请到大厅办理“{booking.item.name}”",
                body=f"{booking.slot},请带齐材料,到取号机或窗口签到",
                sms=True,
            )
            sent += 1
    return sent


def bookings_mark_missed(*, now=None) -> int:
    """Bookings whose half-day has ended without a check-in become 未到 (and free nobody: the slot is over).
    Safe to run twice: each moves by conditional update from 已预约."""
    now = now or timezone.now()
    moment = rules.local(now)
    today = moment.date()
    ended_halves = [h for h, ends in rules.HALF_ENDS.items() if moment.time() >= ends]
    past = Booking.objects.filter(status=BookingStatus.BOOKED, date__lt=today)
    ended_today = Booking.objects.filter(status=BookingStatus.BOOKED, date=today, slot__half__in=ended_halves)
    pks = list(past.values_list("pk", flat=True)) + list(ended_today.values_list("pk", flat=True))
    return Booking.objects.filter(pk__in=pks, status=BookingStatus.BOOKED).update(
        status=BookingStatus.MISSED, updated_at=now
    )
