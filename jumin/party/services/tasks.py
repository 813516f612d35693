"""Writes for 双报到服务任务: an organisation offers a task, 双报到 members of it (or below it) take it — by signing up
on the phone or by the secretary giving it to them — and its completion is recorded by the member or the
secretary. Places are taken by a conditional update, so a task never has more members than it asks for."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied

from ..models import ClaimSource, ClaimStatus, PartyMember, PartyOrg, ServiceTask, ServiceTaskClaim
from ..selectors.orgs import subtree_ids
from .orgs import can_manage_org

__all__ = [
    "claim_can_complete",
    "member_may_take",
    "task_can_claim",
    "task_can_create",
    "task_claim",
    "task_complete",
    "task_create",
]

MAX_HOURS = Decimal("24")


def task_can_create(user, org: PartyOrg) -> bool:
    return org.depth > 1 and can_manage_org(user, org)


def member_may_take(member: PartyMember, task: ServiceTask) -> bool:
    """A 双报到 member on the roll of the offering organisation or one below it."""
    return member.active and member.dual_report and member.org_id in subtree_ids([task.org_id])


def _is_self(user, member: PartyMember) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False) and user.resident_id) and user.resident_id == member.resident_id
    )


def task_can_claim(user, task: ServiceTask, member: PartyMember, *, today: datetime.date) -> bool:
    """认领 (the member themself) or 分派 (whoever manages the offering organisation), before the day has passed."""
    if task.date < today or not member_may_take(member, task):
        return False
    return _is_self(user, member) or can_manage_org(user, task.org)


def claim_can_complete(user, claim: ServiceTaskClaim, *, today: datetime.date) -> bool:
    return (
        claim.status == ClaimStatus.CLAIMED
        and claim.task.date <= today
        and (_is_self(user, claim.member) or can_manage_org(user, claim.task.org))
    )


def task_create(
    *,
    actor,
    org: PartyOrg,
    title: str,
    date: datetime.date,
    capacity: int,
    detail: str = "",
    place: str = "",
    now=None,
) -> ServiceTask:
    """发布服务任务 for the 双报到 members of `org` and below."""
    if not task_can_create(actor, org):
        raise PermissionDenied("您没有权限为该党组织发布任务")
    today = timezone.localdate(now or timezone.now())
    title, detail, place = (title or "").strip(), (detail or "").strip(), (place or "").strip()
    if not title or len(title) > 100:
        raise DomainError("请填写任务名称(不超过 100 个字)", field="title")
    if len(detail) > 500:
        raise DomainError("内容不能超过 500 个字", field="detail")
    if len(place) > 100:
        raise DomainError("地点不能超过 100 个字", field="place")
    if date is None or date < today:
        raise DomainError("请填写服务日期(不早于今天)", field="date")
    if not isinstance(capacity, int) or not 1 <= capacity <= 200:
        raise DomainError("人数须在 1–200 之间", field="capacity")
    with transaction.atomic():
        task = ServiceTask.objects.create(
            community_id=org.community_id,
            org=org,
            title=title,
            detail=detail,
            date=date,
            place=place,
            capacity=capacity,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="party.task_create",
            target=task,
            summary=f"{org.name} 发布双报到服务任务:{title}({date:%Y年%-m月%-d日},{capacity} 人)",
        )
    return task


def task_claim(*, actor, task: ServiceTask, member: PartyMember, now=None) -> ServiceTaskClaim:
    """认领 / 分派: the member takes one of the task's places; never more members than places, once per member."""
    today = timezone.localdate(now or timezone.now())
    if not task_can_claim(actor, task, member, today=today):
        if task.date < today:
            raise DomainError("该任务的服务日期已过")
        if not member_may_take(member, task):
            raise DomainError("只有本组织及下级组织在册的双报到党员可以领办", field="member")
        raise PermissionDenied("您不能为该党员领办任务")
    source = ClaimSource.SIGNED_UP if _is_self(actor, member) else ClaimSource.ASSIGNED
    try:
        with transaction.atomic():
            if ServiceTask.objects.filter(pk=task.pk, taken__lt=F("capacity")).update(taken=F("taken") + 1) != 1:
                raise Conflict("该任务人数已满")
            claim = ServiceTaskClaim.objects.create(
                community_id=task.community_id, task=task, member=member, source=source, claimed_by=actor
            )
            audit_record(
                actor=actor,
                action="party.task_claim",
                target=task,
                summary=f"{member.resident.name} {ClaimSource(source).label}:{task.title}",
            )
    except IntegrityError as exc:
        raise Conflict(f"{member.resident.name}已领办该任务") from exc
    task.refresh_from_db(fields=["taken"])
    return claim


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise DomainError("请填写服务时长(小时)", field="hours") from exc
    if not hours.is_finite() or not Decimal("0") < hours <= MAX_HOURS:
        raise DomainError(f"服务时长须大于 0、不超过 {MAX_HOURS} 小时", field="hours")
    return hours


def task_complete(*, actor, claim: ServiceTaskClaim, hours, result: str, now=None) -> ServiceTaskClaim:
    """登记完成: the member (or the secretary) records the hours given and what was done; once."""
    now = now or timezone.now()
    if not claim_can_complete(actor, claim, today=timezone.localdate(now)):
        if claim.status == ClaimStatus.DONE:
            raise Conflict("该任务已登记完成")
        if claim.task.date > timezone.localdate(now):
            raise DomainError("服务日期到了才能登记完成")
        raise PermissionDenied("您不能登记该任务的完成情况")
    hours = _hours(hours)
    result = (result or "").strip()
    if not result or len(result) > 300:
        raise DomainError("请填写完成情况(不超过 300 个字)", field="result")
    with transaction.atomic():
        changed = ServiceTaskClaim.objects.filter(pk=claim.pk, status=ClaimStatus.CLAIMED).update(
            status=ClaimStatus.DONE, hours=hours, result=result, done_at=now, recorded_by=actor, updated_at=now
        )
        if changed != 1:
            raise Conflict("该任务已登记完成")
        audit_record(
            actor=actor,
            action="party.task_complete",
            target=claim.task,
            summary=f"{claim.member.resident.name} 完成 {claim.task.title}({hours} 小时)",
            changes={"状态": [ClaimStatus.CLAIMED.label, ClaimStatus.DONE.label]},
        )
    claim.refresh_from_db()
    return claim
