"""Writes for partner units, joint meetings and joint tasks (难题共办, a kind of case)."""

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from jumin.cases.models import Phase
from jumin.cases.notify import notify
from jumin.cases.rules import case_can_work as can_work
from jumin.cases.services import case_open
from jumin.core.access import scope_for, user_can
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import User

from .kind import KIND, deadline_working_days
from .models import (
    JointMeeting,
    JointTask,
    MeetingAttendance,
    MeetingStatus,
    PartnerMember,
    PartnerResource,
    PartnerUnit,
    Resolution,
    ResourceKind,
    TaskProgress,
    UnitKind,
)

NAME_MAX = 100


def _check_manage(actor, community) -> None:
    if not user_can(actor, "partners.manage"):
        raise PermissionDenied("您没有权限管理共建单位")
    scope = scope_for(actor)
    if community is None:
        if actor.role != "street_leader":
            raise PermissionDenied("街道共建单位由街道登记")
    elif community.pk not in scope.community_ids:
        raise PermissionDenied("该社区不在您的管辖范围内")


def unit_create(
    *,
    actor,
    street,
    community,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    note: str = "",
) -> PartnerUnit:
    """Register a partner unit of the street (community None) or of a community."""
    _check_manage(actor, community)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写单位名称", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"单位名称不能超过 {NAME_MAX} 个字", field="name")
    if kind not in UnitKind.values:
        raise DomainError("请选择单位类型", field="kind")
    try:
        with transaction.atomic():
            unit = PartnerUnit.objects.create(
                street=street,
                community=community,
                name=name,
                kind=kind,
                contact_name=(contact_name or "").strip()[:50],
                contact_phone=(contact_phone or "").strip()[:20],
                address=(address or "").strip()[:200],
                note=(note or "").strip()[:2000],
            )
            audit_record(
                actor=actor,
                action="partner.unit_create",
                target=unit,
                community=community,
                summary=f"登记共建单位 {unit.name}",
            )
    except IntegrityError as exc:
        raise DomainError("已有同名的共建单位", field="name") from exc
    return unit


def member_add(*, actor, unit: PartnerUnit, name: str, title: str = "", phone: str = "", user=None) -> PartnerMember:
    _check_manage(actor, unit.community)
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise DomainError("请填写姓名(不超过 50 个字)", field="name")
    with transaction.atomic():
        member = PartnerMember.objects.create(
            unit=unit, name=name, title=(title or "").strip()[:50], phone=(phone or "").strip()[:11], user=user
        )
        audit_record(
            actor=actor,
            action="partner.member_add",
            target=member,
            community=unit.community,
            summary=f"{unit.name} 新增成员 {member.name}",
        )
    return member


def resource_add(*, actor, unit: PartnerUnit, kind: str, name: str, description: str = "") -> PartnerResource:
    _check_manage(actor, unit.community)
    if kind not in ResourceKind.values:
        raise DomainError("请选择资源类型", field="kind")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError("请填写资源名称(不超过 100 个字)", field="name")
    try:
        with transaction.atomic():
            resource = PartnerResource.objects.create(
                unit=unit, kind=kind, name=name, description=(description or "").strip()[:500]
            )
            audit_record(
                actor=actor,
                action="partner.resource_add",
                target=resource,
                community=unit.community,
                summary=f"{unit.name} 提供{resource.get_kind_display()}:{resource.name}",
            )
    except IntegrityError as exc:
        raise DomainError("该单位已有同名资源", field="name") from exc
    return resource


# ---- 党建联席会议 and 难题共办 --------------------------------------------------------------------------------------


def can_manage_meeting(user, community_id) -> bool:
    return user_can(user, "partners.manage") and community_id in scope_for(user).community_ids


def can_report(user, task: JointTask) -> bool:
    """The owner unit's people report progress; so does whoever works the case in the community."""
    if task.case.phase == Phase.CLOSED:
        return False
    member = getattr(user, "partner_member", None) if getattr(user, "is_authenticated", False) else None
    if member is not None and member.unit_id == task.owner_unit_id:
        return True
    return can_work(user, task.case)


def meeting_create(*, actor, community, title: str, held_at, place: str, agenda: str, units) -> JointMeeting:
    """召集党建联席会议: the community invites partner units (its own and the street's) to a meeting with an agenda."""
    if not can_manage_meeting(actor, community.pk):
        raise PermissionDenied("您没有权限召集联席会议")
    title, place, agenda = (title or "").strip(), (place or "").strip(), (agenda or "").strip()
    if not title or len(title) > 100:
        raise DomainError("请填写会议名称(不超过 100 个字)", field="title")
    if not place or len(place) > 100:
        raise DomainError("请填写地点(不超过 100 个字)", field="place")
    if not agenda or len(agenda) > 2000:
        raise DomainError("请填写议程(不超过 2000 个字)", field="agenda")
    if held_at is None:
        raise DomainError("请填写召开时间", field="held_at")
    units = list(units or ())
    if not units:
        raise DomainError("请至少邀请一家共建单位", field="units")
    if any(u.street_id != community.street_id or u.community_id not in (None, community.pk) for u in units):
        raise DomainError("只能邀请本街道或本社区的共建单位", field="units")
    with transaction.atomic():
        meeting = JointMeeting.objects.create(
            community=community, title=title, held_at=held_at, place=place, agenda=agenda, created_by=actor
        )
        MeetingAttendance.objects.bulk_create([MeetingAttendance(meeting=meeting, unit=u) for u in units])
        audit_record(
            actor=actor, action="partner.meeting_create", target=meeting, summary=f"召集联席会议:{meeting.title}"
        )
        members = User.objects.filter(partner_member__unit__in=units, is_active=True)
        notify(list(members), title=f"联席会议通知:{meeting.title}", body=f"{place},{agenda[:100]}")
    return meeting


def meeting_record(*, actor, meeting: JointMeeting, minutes: str, present: dict, expected_version: int) -> JointMeeting:
    """会后记录: who attended (unit → attendee name, empty for absent) and the minutes; the meeting is then held."""
    if not can_manage_meeting(actor, meeting.community_id):
        raise PermissionDenied("您没有权限记录联席会议")
    minutes = (minutes or "").strip()
    if not minutes or len(minutes) > 10000:
        raise DomainError("请填写会议纪要(不超过 10000 个字)", field="minutes")
    if any(len(name or "") > 50 for name in present.values()):
        raise DomainError("参会人姓名不能超过 50 个字", field="present")
    with transaction.atomic():
        changed = JointMeeting.objects.filter(pk=meeting.pk, version=expected_version).update(
            minutes=minutes, status=MeetingStatus.HELD, version=F("version") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            raise Conflict("会议记录刚被他人修改,请刷新后再保存")
        for row in meeting.attendance.all():
            name = (present.get(row.unit_id) or "").strip()
            MeetingAttendance.objects.filter(pk=row.pk).update(attendee=name, present=bool(name))
        audit_record(
            actor=actor,
            action="partner.meeting_record",
            target=meeting,
            summary=f"{meeting.title}:出席 {sum(1 for v in present.values() if (v or '').strip())} 家单位",
        )
    meeting.refresh_from_db()
    return meeting


def resolution_add(
    *, actor, meeting: JointMeeting, text: str, owner_unit: PartnerUnit | None = None, deadline=None, now=None
) -> Resolution:
    """A resolution of the meeting; one that needs work names an owner unit and a deadline and becomes a 难题共办
    case on the engine (in the queues and the 接诉即办 figures), shown on the meeting page until done."""
    if not can_manage_meeting(actor, meeting.community_id):
        raise PermissionDenied("您没有权限记录决议")
    text = (text or "").strip()
    if not text or len(text) > 500:
        raise DomainError("请填写决议内容(不超过 500 个字)", field="text")
    today = timezone.localdate(now or timezone.now())
    if owner_unit is not None:
        if not meeting.attendance.filter(unit=owner_unit).exists():
            raise DomainError("牵头单位须是参会单位", field="owner_unit")
        if deadline is None or deadline < today:
            raise DomainError("请填写完成时限(不早于今天)", field="deadline")
    try:
        with transaction.atomic():
            number = (meeting.resolutions.aggregate(n=Max("number"))["n"] or 0) + 1
            resolution = Resolution.objects.create(meeting=meeting, number=number, text=text)
            audit_record(
                actor=actor,
                action="partner.resolution_add",
                target=meeting,
                summary=f"{meeting.title} 决议{number}:{text[:60]}",
            )
            if owner_unit is not None:
                _task_open(actor, meeting, resolution, owner_unit, deadline, now=now)
    except IntegrityError as exc:
        raise Conflict("决议刚被他人添加,请刷新后再试") from exc
    return resolution


def _task_open(actor, meeting, resolution, owner_unit, deadline, *, now=None) -> JointTask:
    now = now or timezone.now()
    # The meeting sets the deadline, not the kind's default; the kind reads it again on a reopen.
    case = case_open(
        actor=actor,
        kind=KIND,
        title=resolution.text[:100],
        body=f"{meeting.title}决议{resolution.number}:{resolution.text}\n牵头单位:{owner_unit.name}",
        community=meeting.community,
        due_working_days=deadline_working_days(deadline, now),
        now=now,
    )
    task = JointTask.objects.create(
        community=meeting.community,
        case=case,
        meeting=meeting,
        resolution=resolution,
        owner_unit=owner_unit,
        deadline=deadline,
    )
    members = list(User.objects.filter(partner_member__unit=owner_unit, is_active=True))
    notify(members, title=f"难题共办交办:{case.title}", body=f"完成时限 {deadline:%Y年%-m月%-d日}", case=case)
    return task


def task_report(*, actor, task: JointTask, progress: int, note: str) -> TaskProgress:
    """报告进展: the owner unit (or the community) reports how far a joint task has come."""
    if not can_report(actor, task):
        raise PermissionDenied("您不能报告该事项的进展")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise DomainError("进度须在 0–100 之间", field="progress")
    note = (note or "").strip()
    if not note or len(note) > 500:
        raise DomainError("请填写进展(不超过 500 个字)", field="note")
    with transaction.atomic():
        report = TaskProgress.objects.create(task=task, reported_by=actor, progress=progress, note=note)
        JointTask.objects.filter(pk=task.pk).update(progress=progress, updated_at=timezone.now())
        audit_record(
            actor=actor,
            action="partner.task_report",
            target=report,
            community=task.community,
            summary=f"{task.case.number} 进展 {progress}%",
            case=task.case,
        )
        notify(
            list(User.objects.filter(community_id=task.community_id, role="secretary", is_active=True)),
            title=f"难题共办进展 {progress}%:{task.case.title}",
            body=note[:200],
            case=task.case,
        )
    task.progress = progress
    return report
