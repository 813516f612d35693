"""Writes for 5+5: members with terms, meetings and activities; each recorded in the audit log."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from jumin.core.access import scope_for, user_can
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.deliberation.services.common import clean_text
from jumin.people.models import Resident, ResidentStatus

from .models import DEFAULTS, Council, CouncilActivity, CouncilMeeting, CouncilMember, MemberRole

MANAGE = "councils.manage"


def may_manage(user, community_id) -> bool:
    return user_can(user, MANAGE) and community_id in scope_for(user).community_ids


def _require(user, council):
    if not may_manage(user, council.community_id):
        raise PermissionDenied("只有社区书记可以维护自治组织")


def councils_ensure(community) -> list[Council]:
    """The five systems and five councils exist in every community (idempotent)."""
    existing = set(Council.objects.filter(community=community).values_list("code", flat=True))
    Council.objects.bulk_create(
        [
            Council(community=community, kind=kind, code=code, name=name, description=text, position=i)
            for i, (kind, code, name, text) in enumerate(DEFAULTS)
            if code not in existing
        ],
        ignore_conflicts=True,
    )
    return list(Council.objects.filter(community=community))


def member_add(
    *, actor, council: Council, resident: Resident, role: str, term_start: datetime.date, term_end: datetime.date
) -> CouncilMember:
    _require(actor, council)
    if (
        not isinstance(resident, Resident)
        or resident.community_id != council.community_id
        or (resident.status != ResidentStatus.ACTIVE)
    ):
        raise DomainError("成员须为本社区在册居民", field="resident")
    if role not in MemberRole.values:
        raise DomainError("请选择职务", field="role")
    if not isinstance(term_start, datetime.date) or not isinstance(term_end, datetime.date) or term_end < term_start:
        raise DomainError("任期结束不能早于开始", field="term_end")
    try:
        with transaction.atomic():
            member = CouncilMember.objects.create(
                community_id=council.community_id,
                council=council,
                resident=resident,
                role=role,
                term_start=term_start,
                term_end=term_end,
            )
            audit_record(
                actor=actor,
                action="council.member_add",
                target=council,
                summary=f"{council.name}增补{MemberRole(role).label}:{resident.name}",
            )
    except IntegrityError as exc:
        raise Conflict("这位居民已在本组织任职") from exc
    return member


def member_end(*, actor, member: CouncilMember, on: datetime.date | None = None) -> CouncilMember:
    _require(actor, member.council)
    on = on or timezone.localdate()
    with transaction.atomic():
        if CouncilMember.objects.filter(pk=member.pk, ended_on__isnull=True).update(ended_on=on) != 1:
            raise Conflict("该成员已离任")
        member.refresh_from_db()
        audit_record(
            actor=actor,
            action="council.member_end",
            target=member.council,
            summary=f"{member.council.name}成员离任:{member.resident.name}",
        )
    return member


def meeting_record(
    *, actor, council: Council, held_at, topic: str, minutes: str, attendees=(), absent_note="", now=None
) -> CouncilMeeting:
    _require(actor, council)
    if not isinstance(held_at, datetime.datetime):
        raise DomainError("请填写召开时间", field="held_at")
    topic = clean_text(topic, field="topic", label="议题", max_length=100)
    minutes = clean_text(minutes, field="minutes", label="会议纪要", max_length=5000)
    absent_note = clean_text(absent_note, field="absent_note", label="缺席说明", max_length=200, required=False)
    serving = set(
        CouncilMember.objects.filter(council=council, ended_on__isnull=True).values_list("resident_id", flat=True)
    )
    attendees = list(attendees or ())
    if any(getattr(a, "pk", None) not in serving for a in attendees):
        raise DomainError("出席人须为本组织在任成员", field="attendees")
    with transaction.atomic():
        meeting = CouncilMeeting.objects.create(
            community_id=council.community_id,
            council=council,
            held_at=held_at,
            topic=topic,
            minutes=minutes,
            absent_note=absent_note,
            recorded_by=actor,
        )
        meeting.attendees.set(attendees)
        audit_record(actor=actor, action="council.meeting", target=council, summary=f"{council.name}会议:{topic}")
    return meeting


def activity_record(
    *, actor, council: Council, held_on, title: str, summary: str, participants: int = 0, now=None
) -> CouncilActivity:
    _require(actor, council)
    if not isinstance(held_on, datetime.date):
        raise DomainError("请填写日期", field="held_on")
    title = clean_text(title, field="title", label="活动名称", max_length=100)
    summary = clean_text(summary, field="summary", label="活动情况", max_length=3000)
    if not isinstance(participants, int) or participants < 0 or participants > 100000:
        raise DomainError("参与人数应为 0 到 100000", field="participants")
    with transaction.atomic():
        activity = CouncilActivity.objects.create(
            community_id=council.community_id,
            council=council,
            held_on=held_on,
            title=title,
            summary=summary,
            participants=participants,
            recorded_by=actor,
        )
        audit_record(actor=actor, action="council.activity", target=council, summary=f"{council.name}活动:{title}")
    return activity
