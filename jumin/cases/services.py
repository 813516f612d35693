"""Writes to cases. Every state change is a compare-and-set on (pk, status) so two staff cannot both take or
move the same case; each writes a CaseEvent and an audit event in the same transaction and notifies on commit."""

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from jumin.core.access import roles_with, scope_for
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import User
from jumin.core.uploads import validate_upload
from jumin.core.workdays import add_working_days, add_working_days_each

from . import rules
from .kinds import kind_spec
from .models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseFollowUp,
    CaseParty,
    CaseRating,
    EventKind,
    Level,
    Phase,
    Satisfaction,
)
from .notify import notify
from .rules import case_can_work as can_work
from .rules import is_requester

# The first history step of a case staff register for a resident.
ON_BEHALF_COMMENT = "工作人员代为登记"
REMINDER_INTERVAL_HOURS = 24
# The columns' sizes (Case.title, Case.body): refused here with a message, never cut short or left to the database.
TITLE_MAX, BODY_MAX = 100, 5000
# Enough for every photo and scan a case needs; a cap keeps one account from filling the disk.
MAX_ATTACHMENTS = 20


def _event(case, actor, kind, *, comment="", from_status="", to_status="", public=True, now=None):
    return CaseEvent.objects.create(
        created_at=now or timezone.now(),
        community_id=case.community_id,
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        comment=comment,
        from_status=from_status,
        to_status=to_status,
        public=public,
    )


def _requester_user(case):
    if case.resident_id:
        return User.objects.filter(resident_id=case.resident_id, is_active=True).first()
    if case.raised_by_id and case.raised_by.is_resident:
        return case.raised_by
    return None


def _secretaries(community_id):
    """Who hears of every new case of a community: the holders of cases.community_wide (the secretary)."""
    roles = roles_with(rules.COMMUNITY_WIDE)
    return list(User.objects.filter(community_id=community_id, role__in=roles, is_active=True))


def case_open(
    *,
    actor,
    kind: str,
    title: str,
    body: str,
    resident=None,
    community=None,
    parties=(),
    files=(),
    assignee=None,
    due_working_days: int | None = None,
    now=None,
) -> Case:
    """Open a case. A resident opens their own; staff open one on a resident's behalf (in their scope).
    `due_working_days`: the kind's own deadline for this case (an errand's item), else the kind's default."""
    spec = kind_spec(kind)
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError("请填写标题", field="title")
    if not body:
        raise DomainError("请填写内容", field="body")
    if len(title) > TITLE_MAX:
        raise DomainError(f"标题不能超过 {TITLE_MAX} 个字", field="title")
    if len(body) > BODY_MAX:
        raise DomainError(f"内容不能超过 {BODY_MAX} 个字", field="body")
    if actor.is_resident:
        if actor.resident_id is None:
            raise PermissionDenied("账号尚未绑定住户,暂不能提交")
        resident = actor.resident
    elif actor.is_office:
        if resident is not None and not scope_for(actor).contains(resident):
            raise PermissionDenied("该居民不在您的管辖范围内")
    else:
        raise PermissionDenied("您没有权限提交事项")
    if resident is not None:
        community_id, grid_id, household_id = resident.community_id, resident.grid_id, resident.household_id
    elif community is not None and community.pk in scope_for(actor).community_ids:
        community_id, grid_id, household_id = community.pk, None, None
    else:
        raise DomainError("请选择居民", field="resident")
    for f in files:
        validate_upload(f)
    now = now or timezone.now()
    response_due, due_at = add_working_days_each(
        now, spec.response_working_days, spec.due_working_days if due_working_days is None else due_working_days
    )
    with transaction.atomic():
        case = Case.objects.create(
            kind=kind,
            community_id=community_id,
            grid_id=grid_id,
            household_id=household_id,
            resident=resident,
            raised_by=actor,
            title=title,
            body=body,
            status=spec.initial,
            phase=spec.phase_of(spec.initial),
            confidential=spec.confidential,
            response_due=response_due,
            due_at=due_at,
        )
        # created_at too: demo data and imports open cases in the past through this same service.
        Case.objects.filter(pk=case.pk).update(number=f"{spec.prefix}{now:%Y%m%d}{case.pk:05d}", created_at=now)
        case.created_at = now
        case.number = f"{spec.prefix}{now:%Y%m%d}{case.pk:05d}"
        if resident is not None:
            CaseParty.objects.create(
                community_id=community_id, case=case, resident=resident, role=CaseParty.Role.REQUESTER
            )
        for other in parties:
            if other.community_id != community_id:
                raise DomainError("当事人须为本社区居民", field="parties")
            if resident is None or other.pk != resident.pk:
                CaseParty.objects.get_or_create(community_id=community_id, case=case, resident=other)
        for f in files:
            _attach(case, actor, f, public=True)
        on_behalf = not actor.is_resident
        _event(
            case,
            actor,
            EventKind.CREATED,
            comment=ON_BEHALF_COMMENT if on_behalf else "",
            to_status=case.status,
            now=now,
        )
        audit_record(
            actor=actor, action=f"case.open.{kind}", target=case, summary=f"{spec.label} {case.number} 登记", now=now
        )
        if assignee is not None:
            _take(case, actor=actor, assignee=assignee, now=now)
        notify(_secretaries(community_id), title=f"新{spec.label}:{case.title}", case=case)
    return case


def _take(case, *, actor, assignee, now=None):
    spec = case.spec
    now = now or timezone.now()
    changed = Case.objects.filter(pk=case.pk, status=spec.initial, assignee__isnull=True).update(
        assignee=assignee,
        status=spec.taken_status,
        phase=spec.phase_of(spec.taken_status),
        taken_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    if changed != 1:
        raise Conflict("该事项已被其他工作人员受理")
    case.version += 1  # the row moved on; keep the caller's copy in step for its next call
    old = case.status
    case.assignee, case.status, case.phase, case.taken_at = (
        assignee,
        spec.taken_status,
        spec.phase_of(spec.taken_status),
        now,
    )
    comment = "" if assignee == actor else f"指派给 {assignee.name}"
    _event(
        case,
        actor,
        EventKind.ASSIGN if assignee != actor else EventKind.TRANSITION,
        comment=comment,
        from_status=old,
        to_status=case.status,
        now=now,
    )


def case_take(*, actor, case: Case, now=None) -> Case:
    """受理: the first worker to take a new case gets it; a second gets a Conflict."""
    if case.assignee_id is not None or case.status != case.spec.initial:
        raise Conflict("该事项已被其他工作人员受理")
    if not can_work(actor, case):
        raise PermissionDenied("您不能受理该事项")
    if not rules.case_can_take(actor, case, can_work=True):
        raise DomainError(f"{case.spec.label}不由工作人员受理")
    with transaction.atomic():
        _take(case, actor=actor, assignee=actor, now=now)
        audit_record(actor=actor, action="case.take", target=case, summary=f"{case.number} 受理", now=now)
        notify([_requester_user(case)], title=f"您的{case.spec.label}已受理:{case.title}", case=case)
    return case


def case_assign(*, actor, case: Case, assignee: User, comment: str = "") -> Case:
    """指派/转办 to another staff member of the community."""
    if not can_work(actor, case):
        raise PermissionDenied("您不能处理该事项")
    if not rules.case_can_assign(actor, case, can_work=True):
        if case.phase == Phase.CLOSED:
            raise DomainError("已办结的事项不能转办")
        if not case.spec.staff_take and case.phase == Phase.NEW:
            raise DomainError(f"{case.spec.label}须先由对方接单,才能转办")
        raise PermissionDenied("只有承办人或社区书记可以转办")
    if assignee.community_id != case.community_id or not assignee.is_office or not assignee.is_active:
        raise DomainError("只能转给本社区的工作人员", field="assignee")
    if not rules.case_can_be_assigned_to(case, assignee):
        raise DomainError(f"{assignee.get_role_display()}不能承办{case.spec.label}", field="assignee")
    with transaction.atomic():
        if case.phase == Phase.NEW and case.assignee_id is None:
            _take(case, actor=actor, assignee=assignee)
        else:
            changed = Case.objects.filter(pk=case.pk, version=case.version).update(
                assignee=assignee, level=Level.COMMUNITY, version=F("version") + 1, updated_at=timezone.now()
            )
            if changed != 1:
                raise Conflict("该事项刚被他人更新,请刷新后重试")
            case.version += 1
            _event(case, actor, EventKind.TRANSFER, comment=f"转给 {assignee.name}。{comment}".strip(), public=False)
            case.assignee = assignee
        audit_record(actor=actor, action="case.assign", target=case, summary=f"{case.number} 交由 {assignee.name} 承办")
        notify([assignee], title=f"您有新的{case.spec.label}待办:{case.title}", case=case, sms=True)
    return case


def case_escalate(*, actor, case: Case, comment: str) -> Case:
    """转街道: hand the case up to the street office; the street leader takes it from there."""
    if case.phase == Phase.CLOSED:
        raise DomainError("已办结的事项不能转交")
    if not rules.case_can_escalate(actor, case):
        raise PermissionDenied("您不能将该事项转交街道")
    if not (comment or "").strip():
        raise DomainError("请说明转交街道的原因", field="comment")
    with transaction.atomic():
        # A confidential case keeps its mediator, who would otherwise lose sight of it; others go to the street's queue.
        assignee = case.assignee if case.confidential else None
        changed = Case.objects.filter(pk=case.pk, version=case.version, level=Level.COMMUNITY).update(
            level=Level.STREET, assignee=assignee, version=F("version") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            raise Conflict("该事项刚被他人更新,请刷新后重试")
        case.version += 1
        _event(case, actor, EventKind.TRANSFER, comment=f"转交街道:{comment.strip()}")
        audit_record(actor=actor, action="case.escalate", target=case, summary=f"{case.number} 转交街道")
        desk = roles_with(rules.STREET_DESK)
        leaders = User.objects.filter(role__in=desk, street_id=case.community.street_id, is_active=True)
        notify(list(leaders), title=f"社区转来{case.spec.label}:{case.title}", case=case)
    case.level = Level.STREET
    if not case.confidential:
        case.assignee = None
    return case


def case_transition(
    *, actor, case: Case, to: str, comment: str = "", expected_status: str | None = None, now=None
) -> Case:
    """Move a case along its kind's state machine (compare-and-set on the current status)."""
    spec = case.spec
    current = expected_status or case.status
    transition = spec.transition(current, to)
    if transition is None and expected_status is None and to == current:
        # Someone else made the same move first (two staff answering at once, a double-clicked button).
        raise Conflict(f"该事项已是“{spec.status_label(to)}”,请刷新后查看")
    if transition is None:
        raise DomainError(f"“{spec.status_label(current)}”状态下不能变更为“{spec.status_label(to)}”")
    if transition.by == "resident":
        if not is_requester(actor, case):
            raise PermissionDenied("只有提出人可以执行此操作")
    elif not can_work(actor, case):
        raise PermissionDenied("您不能处理该事项")
    comment = (comment or "").strip()
    if transition.requires_comment and not comment:
        prompt = "请填写答复内容" if spec.phase_of(to) == Phase.ANSWERED else f"请填写“{transition.label}”的理由"
        raise DomainError(prompt, field="comment")
    now = now or timezone.now()
    phase = spec.phase_of(to)
    updates = {"status": to, "phase": phase, "version": F("version") + 1, "updated_at": now}
    if phase == Phase.ANSWERED and case.answered_at is None:
        updates["answered_at"] = now
    if phase == Phase.CLOSED:
        updates["closed_at"] = now
        if case.answered_at is None:
            updates["answered_at"] = now
    if phase in (Phase.TAKEN, Phase.ANSWERED, Phase.CLOSED) and case.taken_at is None:
        updates["taken_at"] = now
        updates["assignee"] = actor if actor.is_office else case.assignee
    elif case.assignee_id is None and actor.is_office and phase != Phase.NEW:
        # A case handed up to the street has no assignee; whoever there works it becomes its 承办人.
        updates["assignee"] = actor
    with transaction.atomic():
        if Case.objects.filter(pk=case.pk, status=current).update(**updates) != 1:
            raise Conflict("该事项状态已变化,请刷新后再操作")
        _event(
            case,
            actor,
            EventKind.TRANSITION,
            comment=comment,
            from_status=current,
            to_status=to,
            public=transition.public,
            now=now,
        )
        audit_record(
            actor=actor,
            action="case.transition",
            target=case,
            summary=f"{case.number} {spec.status_label(current)} → {spec.status_label(to)}",
            changes={"状态": [spec.status_label(current), spec.status_label(to)]},
            now=now,
        )
        if actor.is_office:
            notify(
                [_requester_user(case)],
                title=f"您的{spec.label}{spec.status_label(to)}:{case.title}",
                body=comment if transition.public else "",
                case=case,
                sms=phase == Phase.ANSWERED,
            )
        elif case.assignee_id:
            notify([case.assignee], title=f"{spec.label}{spec.status_label(to)}:{case.title}", case=case)
    case.refresh_from_db()
    return case


def case_transition_generic(*, actor, case: Case, to: str, comment: str = "", expected_status: str | None = None):
    """The case page's and the API's way to move a case: steps that need the kind's own checks (documents,
    pickup codes, agreements — Transition.by == "kind") must go through the kind's service instead."""
    transition = case.spec.transition(expected_status or case.status, to)
    if transition is not None and transition.by not in ("worker", "resident"):
        raise DomainError(f"“{transition.label}”须在{case.spec.label}页面中办理")
    return case_transition(actor=actor, case=case, to=to, comment=comment, expected_status=expected_status)


def case_message(*, actor, case: Case, text: str, public: bool) -> CaseEvent:
    """A reply the resident sees (public) or an internal note (staff only)."""
    text = (text or "").strip()
    if not text:
        raise DomainError("请填写内容", field="text")
    if not can_work(actor, case):
        raise PermissionDenied("您不能处理该事项")
    with transaction.atomic():
        event = _event(case, actor, EventKind.REPLY if public else EventKind.NOTE, comment=text, public=public)
        if public:
            notify([_requester_user(case)], title=f"社区回复了您的{case.spec.label}:{case.title}", body=text, case=case)
    return event


def case_remind(*, actor, case: Case) -> CaseEvent:
    """催办: the resident nudges an open case, at most once a day."""
    if not is_requester(actor, case):
        raise PermissionDenied("只有提出人可以催办")
    if case.phase == Phase.CLOSED:
        raise DomainError("事项已办结,无需催办")
    now = timezone.now()
    since = now - timezone.timedelta(hours=REMINDER_INTERVAL_HOURS)
    with transaction.atomic():
        due = Q(reminded_at__isnull=True) | Q(reminded_at__lt=since)
        if Case.objects.filter(due, pk=case.pk).update(reminded_at=now) != 1:
            raise DomainError("24 小时内已催办过,请耐心等待")
        case.reminded_at = now
        event = _event(case, actor, EventKind.REMINDER, comment="居民催办")
        targets = [case.assignee] if case.assignee_id else _secretaries(case.community_id)
        notify(targets, title=f"居民催办:{case.title}", case=case, sms=True)
    return event


def case_rate(*, actor, case: Case, value: str, comment: str = "", now=None) -> CaseRating:
    if not is_requester(actor, case):
        raise PermissionDenied("只有提出人可以评价")
    if case.phase != Phase.CLOSED:
        raise DomainError("事项办结后才能评价")
    if case.spec.ratable_statuses and case.status not in case.spec.ratable_statuses:
        raise DomainError("该事项不能评价")
    if value not in Satisfaction.values:
        raise DomainError("请选择满意、基本满意或不满意", field="value")
    try:
        with transaction.atomic():
            rating = CaseRating.objects.create(
                community_id=case.community_id,
                case=case,
                round=case.round,
                rated_by=actor,
                value=value,
                comment=(comment or "").strip()[:500],
            )
            if now is not None:
                CaseRating.objects.filter(pk=rating.pk).update(created_at=now, updated_at=now)
            _event(
                case, actor, EventKind.RATING, comment=f"{rating.get_value_display()} {rating.comment}".strip(), now=now
            )
            audit_record(
                actor=actor,
                action="case.rate",
                target=case,
                summary=f"{case.number} 评价:{rating.get_value_display()}",
                now=now,
            )
            if value == Satisfaction.UNSATISFIED and case.assignee_id:
                notify([case.assignee], title=f"居民不满意:{case.title}", body=rating.comment, case=case)
    except IntegrityError as exc:
        raise DomainError("本轮办理已评价过") from exc
    return rating


def case_reopen(*, actor, case: Case, reason: str) -> Case:
    """Not satisfied: the resident sends the case back for another round."""
    if not is_requester(actor, case):
        raise PermissionDenied("只有提出人可以要求重新办理")
    if case.phase != Phase.CLOSED:
        raise DomainError("事项尚未办结")
    rating = case.ratings.filter(round=case.round).first()
    if rating is None or rating.value != Satisfaction.UNSATISFIED:
        raise DomainError("评价为“不满意”后才能要求重新办理")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请说明哪里不满意", field="reason")
    spec = case.spec
    now = timezone.now()
    with transaction.atomic():
        changed = Case.objects.filter(pk=case.pk, status=case.status, round=case.round).update(
            status=spec.reopen_status,
            phase=spec.phase_of(spec.reopen_status),
            round=F("round") + 1,
            closed_at=None,
            answered_at=None,
            due_at=add_working_days(now, spec.due_days(case)),
            version=F("version") + 1,
            updated_at=now,
        )
        if changed != 1:
            raise Conflict("该事项状态已变化,请刷新后再操作")
        case.version += 1
        _event(case, actor, EventKind.REOPEN, comment=reason, from_status=case.status, to_status=spec.reopen_status)
        audit_record(actor=actor, action="case.reopen", target=case, summary=f"{case.number} 居民不满意,重新办理")
        notify(
            [case.assignee] if case.assignee_id else _secretaries(case.community_id),
            title=f"居民要求重新办理:{case.title}",
            body=reason,
            case=case,
            sms=True,
        )
    case.refresh_from_db()
    return case


def case_follow_up(*, actor, case: Case, method: str, note: str) -> CaseFollowUp:
    if not can_work(actor, case):
        raise PermissionDenied("您不能回访该事项")
    if case.phase != Phase.CLOSED and case.status not in case.spec.follow_up_statuses:
        raise DomainError("办结后才能回访")
    if method not in CaseFollowUp.Method.values:
        raise DomainError("请选择回访方式", field="method")
    if not (note or "").strip():
        raise DomainError("请填写回访情况", field="note")
    with transaction.atomic():
        follow_up = CaseFollowUp.objects.create(
            community_id=case.community_id, case=case, actor=actor, method=method, note=note.strip()
        )
        _event(
            case, actor, EventKind.FOLLOW_UP, comment=f"{follow_up.get_method_display()}:{follow_up.note}", public=False
        )
        audit_record(
            actor=actor, action="case.follow_up", target=case, summary=f"{case.number} {follow_up.get_method_display()}"
        )
    return follow_up


def _attach(case, actor, upload, *, public: bool) -> CaseAttachment:
    content_type = validate_upload(upload)
    attachment = CaseAttachment.objects.create(
        community_id=case.community_id,
        case=case,
        uploaded_by=actor,
        file=upload,
        name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        public=public,
    )
    return attachment


def case_attach(*, actor, case: Case, upload, public: bool = True) -> CaseAttachment:
    if not (can_work(actor, case) or is_requester(actor, case)):
        raise PermissionDenied("您不能为该事项上传附件")
    if case.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(f"每个事项最多 {MAX_ATTACHMENTS} 个附件", field="file")
    with transaction.atomic():
        attachment = _attach(case, actor, upload, public=public or not actor.is_office)
        _event(case, actor, EventKind.ATTACHMENT, comment=f"上传附件 {attachment.name}", public=attachment.public)
    return attachment
