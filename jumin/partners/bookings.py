"""Shared resources of partner units: who may book what and when, the unit's approval, and the calendar.

No two approved bookings of one resource overlap. SQLite has no exclusion constraint, so approval is serialised
per resource instead: it first bumps the resource's `booking_version` (an UPDATE, so on PostgreSQL a second
approval of the same resource waits on that row until the first commits, and on SQLite IMMEDIATE transactions
queue anyway), then checks for an approved overlap, then compare-and-sets the booking from pending to approved."""

import calendar
import datetime

from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from jumin.cases.notify import notify
from jumin.core.access import scope_for, user_can
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role, User
from jumin.core.text import CONTROL_MESSAGE, has_control_chars

from .models import Availability, BookerKind, BookingStatus, PartnerResource, PartnerUnit, ResourceBooking
from .selectors import units_visible_q

MAX_HOURS = 12
BOOK_AHEAD_DAYS = 180
WEEKDAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


# ---- reads -------------------------------------------------------------------------------------------------------


def _resident_units_q(user) -> Q:
    resident = getattr(user, "resident", None) if getattr(user, "resident_id", None) else None
    if resident is None or resident.status != "active":
        return Q(pk__in=[])
    community = resident.community
    return Q(community_id=community.pk) | Q(community__isnull=True, street_id=community.street_id)


def resources_for(user):
    """Resources the user may see (and book): staff and partner members as they see units; residents those of
    their community's and street's units. Active ones, with their unit and availability."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return PartnerResource.objects.none()
    units = _resident_units_q(user) if user.role == Role.RESIDENT else units_visible_q(user)
    unit_ids = PartnerUnit.objects.filter(units, active=True).values("pk")
    return (
        PartnerResource.objects.filter(unit__in=unit_ids, active=True)
        .select_related("unit")
        .prefetch_related("availability")
        .order_by("unit__community_id", "unit__name", "kind", "name")
    )


def resource_get(user, resource_uuid) -> PartnerResource:
    resource = resources_for(user).filter(uuid=resource_uuid).first()
    if resource is None:
        raise Http404("没有找到该资源")
    return resource


def is_unit_member(user, unit_id) -> bool:
    member = getattr(user, "partner_member", None) if getattr(user, "is_authenticated", False) else None
    return user.role == Role.PARTNER_MEMBER and member is not None and member.unit_id == unit_id


def bookings_for(user, *, resource=None, status=None):
    """Bookings the user may see: the unit's (its member), the community's (staff), their own (anyone)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ResourceBooking.objects.none()
    visible = Q(requested_by=user)
    if user.role == Role.PARTNER_MEMBER:
        visible |= Q(resource__unit__members__user=user)
    elif user.is_office:
        visible |= Q(community_id__in=scope_for(user).community_ids)
    rows = ResourceBooking.objects.filter(visible)
    if resource is not None:
        rows = rows.filter(resource=resource)
    if status in BookingStatus.values:
        rows = rows.filter(status=status)
    return rows.select_related("resource__unit", "requested_by", "community").distinct().order_by("starts_at", "id")


def booking_get(user, booking_uuid) -> ResourceBooking:
    booking = bookings_for(user).filter(uuid=booking_uuid).first()
    if booking is None:
        raise Http404("没有找到该预约")
    return booking


def month_calendar(resource, year: int, month: int, viewer) -> list[list[dict]]:
    """Weeks of the month (Monday first), each day with the resource's approved and pending bookings."""
    tz = timezone.get_current_timezone()
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    since = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    rows = (
        ResourceBooking.objects.filter(
            resource=resource,
            status__in=[BookingStatus.APPROVED, BookingStatus.PENDING],
            starts_at__lt=until,
            ends_at__gt=since,
        )
        .select_related("requested_by")
        .order_by("starts_at")
    )
    by_day: dict[datetime.date, list] = {}
    for b in rows:
        by_day.setdefault(timezone.localdate(b.starts_at), []).append(b)
    windows = {a.weekday for a in resource.availability.all()}
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(year, month):
        weeks.append(
            [
                {
                    "day": d,
                    "in_month": d.month == month,
                    "open": d.weekday() in windows,
                    "bookings": by_day.get(d, []),
                }
                for d in week
            ]
        )
    return weeks


# ---- predicates ----------------------------------------------------------------------------------------------------


def booking_can_request(user, resource) -> bool:
    return user_can(user, "partners.book") and resources_for(user).filter(pk=resource.pk).exists()


def booking_can_decide(user, booking) -> bool:
    return booking.status == BookingStatus.PENDING and is_unit_member(user, booking.resource.unit_id)


def booking_can_cancel(user, booking) -> bool:
    if booking.status not in (BookingStatus.PENDING, BookingStatus.APPROVED):
        return False
    return booking.requested_by_id == user.pk or is_unit_member(user, booking.resource.unit_id)


# ---- writes --------------------------------------------------------------------------------------------------------


def _text(value, *, field, label, max_length) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 个字", field=field)
    if has_control_chars(value):
        raise DomainError(f"{label}{CONTROL_MESSAGE}", field=field)
    return value


def _within_availability(resource, starts_at, ends_at) -> bool:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() != end.date() and end.time() != datetime.time.min:
        return False
    end_time = end.time() if end.date() == start.date() else datetime.time.max
    return any(
        a.weekday == start.weekday() and a.starts <= start.time() and end_time <= a.ends
        for a in resource.availability.all()
    )


def booking_request(
    *, actor, resource, starts_at, ends_at, booker_kind: str, booker_name: str, purpose: str, now=None
) -> ResourceBooking:
    """预约: staff for the community (or a council), a resident for their residents' group or council; the unit's
    members are asked to approve."""
    now = now or timezone.now()
    if not booking_can_request(actor, resource):
        raise PermissionDenied("您不能预约这项资源")
    if booker_kind not in BookerKind.values:
        raise DomainError("请选择预约方", field="booker_kind")
    if booker_kind == BookerKind.COMMUNITY and not actor.is_office:
        raise DomainError("以社区名义预约须由社区工作人员提交", field="booker_kind")
    booker_name = _text(booker_name, field="booker_name", label="预约单位或团体名称", max_length=100)
    purpose = _text(purpose, field="purpose", label="用途", max_length=200)
    if not isinstance(starts_at, datetime.datetime) or not isinstance(ends_at, datetime.datetime):
        raise DomainError("请填写开始和结束时间", field="starts_at")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        starts_at, ends_at = timezone.make_aware(starts_at), timezone.make_aware(ends_at)
    if ends_at <= starts_at:
        raise DomainError("结束时间应晚于开始时间", field="ends_at")
    if starts_at <= now:
        raise DomainError("只能预约以后的时间", field="starts_at")
    if starts_at > now + datetime.timedelta(days=BOOK_AHEAD_DAYS) or ends_at - starts_at > datetime.timedelta(
        hours=MAX_HOURS
    ):
        raise DomainError(f"最多提前 {BOOK_AHEAD_DAYS} 天预约,每次不超过 {MAX_HOURS} 小时", field="starts_at")
    if not _within_availability(resource, starts_at, ends_at):
        raise DomainError("不在该资源的可预约时间内,请对照日历选择", field="starts_at")
    community_id = actor.community_id if actor.is_office else actor.resident.community_id
    if community_id is None:
        community_id = resource.unit.community_id or scope_for(actor).community_ids[0]
    with transaction.atomic():
        booking = ResourceBooking.objects.create(
            resource=resource,
            community_id=community_id,
            booker_kind=booker_kind,
            booker_name=booker_name,
            purpose=purpose,
            starts_at=starts_at,
            ends_at=ends_at,
            requested_by=actor,
        )
        when = f"{timezone.localtime(starts_at):%Y年%-m月%-d日 %H:%M}–{timezone.localtime(ends_at):%H:%M}"
        audit_record(
            actor=actor,
            action="partner.booking_request",
            target=booking,
            summary=f"{booker_name} 预约 {resource.name} {when}",
            now=now,
        )
        members = User.objects.filter(partner_member__unit_id=resource.unit_id, is_active=True)
        notify(list(members), title=f"共建资源预约待审批:{resource.name}", body=f"{booker_name},{when},{purpose}")
    return booking


def booking_decide(*, actor, booking, approve: bool, reason: str = "", now=None) -> ResourceBooking:
    """审批: the unit's member approves (if no approved booking overlaps) or refuses with a reason."""
    now = now or timezone.now()
    if not is_unit_member(actor, booking.resource.unit_id):
        raise PermissionDenied("只有提供资源的共建单位可以审批")
    if not approve:
        reason = _text(reason, field="reason", label="未批准的原因", max_length=200)
    with transaction.atomic():
        if approve:
            # The lock row: approvals of one resource queue here, so the overlap check below sees the last one.
            PartnerResource.objects.filter(pk=booking.resource_id).update(booking_version=F("booking_version") + 1)
            clash = (
                ResourceBooking.objects.filter(
                    resource_id=booking.resource_id,
                    status=BookingStatus.APPROVED,
                    starts_at__lt=booking.ends_at,
                    ends_at__gt=booking.starts_at,
                )
                .exclude(pk=booking.pk)
                .first()
            )
            if clash is not None:
                raise Conflict(
                    f"与已批准的预约冲突:{clash.booker_name} {timezone.localtime(clash.starts_at):%-m月%-d日 %H:%M}"
                    f"–{timezone.localtime(clash.ends_at):%H:%M}"
                )
        to = BookingStatus.APPROVED if approve else BookingStatus.REFUSED
        if not ResourceBooking.objects.filter(pk=booking.pk, status=BookingStatus.PENDING).update(
            status=to, decided_by=actor, decided_at=now, reason="" if approve else reason, updated_at=now
        ):
            raise Conflict("这条预约刚被处理过,请刷新后再看")
        audit_record(
            actor=actor,
            action="partner.booking_decide",
            target=booking,
            summary=f"{booking.resource.name} {booking.booker_name}:{BookingStatus(to).label}",
            now=now,
        )
        body = "" if approve else f"原因:{reason}"
        notify(
            [booking.requested_by], title=f"共建资源预约{BookingStatus(to).label}:{booking.resource.name}", body=body
        )
    booking.refresh_from_db()
    return booking


def booking_cancel(*, actor, booking, now=None) -> ResourceBooking:
    now = now or timezone.now()
    if not booking_can_cancel(actor, booking):
        raise DomainError("这条预约不能取消")
    with transaction.atomic():
        if not ResourceBooking.objects.filter(
            pk=booking.pk, status__in=[BookingStatus.PENDING, BookingStatus.APPROVED]
        ).update(status=BookingStatus.CANCELLED, updated_at=now):
            raise Conflict("这条预约刚被处理过,请刷新后再看")
        audit_record(
            actor=actor,
            action="partner.booking_cancel",
            target=booking,
            summary=f"取消预约 {booking.resource.name}",
            now=now,
        )
    booking.refresh_from_db()
    return booking


def availability_set(*, actor, resource, windows) -> None:
    """Replace a resource's bookable windows: [(weekday, starts, ends)] (demo and admin)."""
    with transaction.atomic():
        resource.availability.all().delete()
        Availability.objects.bulk_create(
            [Availability(resource=resource, weekday=w, starts=s, ends=e) for w, s, e in windows]
        )
        audit_record(actor=actor, action="partner.availability", target=resource, summary=f"{resource.name} 可预约时间")
