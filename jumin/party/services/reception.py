"""Writes for reception days (党代表接待日): the schedule, residents' sign-ups for a slot, the opinions the
representative records on the day (社情民意 cases on the engine), and care visits to members."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jumin.core.access import scope_for
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import Role
from jumin.people.models import ResidentStatus

from ..models import CareKind, CareVisit, Channel, PartyMember, ReceptionDay, ReceptionSignup, ReceptionSlot
from .opinions import opinion_submit
from .orgs import can_manage_org

__all__ = [
    "can_record_at",
    "can_schedule",
    "can_sign_up",
    "care_visit_record",
    "reception_day_create",
    "reception_opinion_record",
    "signup_create",
]

MAX_SLOTS = 12
MAX_CAPACITY = 50


def can_schedule(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in (Role.PARTY_REP, Role.SECRETARY)


def can_record_at(user, day: ReceptionDay) -> bool:
    """The day's representative records what residents say; the secretary may too."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.SECRETARY:
        return user.community_id == day.community_id
    return user.role == Role.PARTY_REP and day.representative_id == user.pk


def can_sign_up(user, day: ReceptionDay, *, today: datetime.date) -> bool:
    if day.date < today or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.RESIDENT:
        resident = user.resident if user.resident_id else None
        return (
            resident is not None
            and resident.status == ResidentStatus.ACTIVE
            and resident.community_id == day.community_id
        )
    return user.is_office and day.community_id in scope_for(user).community_ids


def reception_day_create(
    *, actor, date: datetime.date, place: str, slots, topic: str = "", station=None, representative=None, now=None
) -> ReceptionDay:
    """Put a reception day on the schedule with its time slots [(starts_at, ends_at, capacity)]."""
    if not can_schedule(actor):
        raise PermissionDenied("只有党代表或社区书记可以安排接待日")
    representative = actor if actor.role == Role.PARTY_REP else representative
    if (
        representative is None
        or representative.role != Role.PARTY_REP
        or representative.community_id != actor.community_id
    ):
        raise DomainError("请选择本社区的党代表", field="representative")
    today = timezone.localdate(now or timezone.now())
    if date is None or date < today:
        raise DomainError("接待日期不能早于今天", field="date")
    place = (place or "").strip()
    if not place or len(place) > 100:
        raise DomainError("请填写接待地点(不超过 100 个字)", field="place")
    if station is not None and station.community_id != actor.community_id:
        raise DomainError("请选择本社区的服务站", field="station")
    slots = sorted(slots or (), key=lambda s: s[0])
    if not slots:
        raise DomainError("请至少安排一个接待时段", field="slots")
    if len(slots) > MAX_SLOTS:
        raise DomainError(f"一天最多 {MAX_SLOTS} 个时段", field="slots")
    for (start, end, capacity), following in zip(slots, [*slots[1:], None], strict=True):
        if end <= start:
            raise DomainError("时段的结束时间须晚于开始时间", field="slots")
        if not 1 <= capacity <= MAX_CAPACITY:
            raise DomainError(f"每个时段可约 1–{MAX_CAPACITY} 人", field="slots")
        if following is not None and following[0] < end:
            raise DomainError("时段不能重叠", field="slots")
    try:
        with transaction.atomic():
            day = ReceptionDay.objects.create(
                community_id=actor.community_id,
                station=station,
                representative=representative,
                date=date,
                place=place,
                topic=(topic or "").strip()[:100],
            )
            ReceptionSlot.objects.bulk_create(
                [ReceptionSlot(day=day, starts_at=s, ends_at=e, capacity=c) for s, e, c in slots]
            )
            audit_record(
                actor=actor,
                action="party.reception_day_create",
                target=day,
                summary=f"安排{day}({representative.name},{len(slots)} 个时段)",
            )
    except IntegrityError as exc:
        raise DomainError("该党代表当天已安排接待日", field="date") from exc
    return day


def signup_create(*, actor, slot: ReceptionSlot, resident=None, topic: str = "", now=None) -> ReceptionSignup:
    """预约接待时段: a resident books a seat for themself (staff for a resident); one per resident per day, never
    more than the slot holds however many press at once."""
    day = slot.day
    today = timezone.localdate(now or timezone.now())
    if actor.role == Role.RESIDENT:
        resident = actor.resident if actor.resident_id else None
    if resident is None:
        raise DomainError("请选择居民", field="resident")
    if not can_sign_up(actor, day, today=today):
        if day.date < today:
            raise DomainError("该接待日已过,不能再预约")
        raise PermissionDenied("您不能预约该接待日")
    if resident.community_id != day.community_id or resident.status != ResidentStatus.ACTIVE:
        raise DomainError("只有本社区在册居民可以预约", field="resident")
    topic = (topic or "").strip()
    if len(topic) > 200:
        raise DomainError("想反映的事不能超过 200 个字", field="topic")
    try:
        with transaction.atomic():
            if ReceptionSlot.objects.filter(pk=slot.pk, taken__lt=F("capacity")).update(taken=F("taken") + 1) != 1:
                raise Conflict("该时段已约满,请选择其他时段")
            signup = ReceptionSignup.objects.create(
                community_id=day.community_id,
                day=day,
                slot=slot,
                resident=resident,
                user=actor,
                topic=topic,
            )
            audit_record(
                actor=actor,
                action="party.reception_signup",
                target=signup,
                summary=f"{resident.name} 预约{day} {slot}",
            )
    except IntegrityError as exc:
        raise Conflict("您已预约过这一天的接待") from exc
    return signup


def reception_opinion_record(
    *, actor, day: ReceptionDay, resident, title: str, text: str, category: str, signup: ReceptionSignup | None = None
):
    """On the day the representative records what a resident said: a 社情民意 case tagged with the reception day,
    worked and closed on the case engine like any other."""
    if not can_record_at(actor, day):
        raise PermissionDenied("只有当天的党代表可以登记")
    if signup is not None and (signup.day_id != day.pk or signup.opinion_id is not None):
        raise DomainError("该预约已登记过意见", field="signup")
    if signup is not None:
        resident = signup.resident
    with transaction.atomic():
        case = opinion_submit(
            actor=actor,
            title=title,
            text=text,
            category=category,
            allow_public=False,
            resident=resident,
            channel=Channel.RECEPTION_DAY,
            reception_day=day,
        )
        linked = ReceptionSignup.objects.filter(pk=getattr(signup, "pk", None), opinion__isnull=True)
        if signup is not None and linked.update(opinion=case.opinion) != 1:
            raise Conflict("该预约已登记过意见")
    return case


def care_visit_record(*, actor, member: PartyMember, kind: str, visited_on: datetime.date, note: str, now=None):
    """关爱走访: a birthday greeting, an illness visit, an elderly member's needs."""
    if not (
        can_manage_org(actor, member.org)
        or (actor.role in (Role.PARTY_REP, Role.GRID_WORKER) and member.community_id in scope_for(actor).community_ids)
    ):
        raise PermissionDenied("您不能为该党员登记走访")
    if kind not in CareKind.values:
        raise DomainError("请选择走访类型", field="kind")
    today = timezone.localdate(now or timezone.now())
    if visited_on is None or visited_on > today:
        raise DomainError("走访日期不能晚于今天", field="visited_on")
    note = (note or "").strip()
    if not note or len(note) > 500:
        raise DomainError("请填写走访情况(不超过 500 个字)", field="note")
    with transaction.atomic():
        visit = CareVisit.objects.create(
            community_id=member.community_id,
            member=member,
            kind=kind,
            visited_on=visited_on,
            note=note,
            visited_by=actor,
        )
        audit_record(
            actor=actor,
            action="party.care_visit",
            target=member,
            summary=f"{member.resident.name} {visit.get_kind_display()}",
        )
    return visit
