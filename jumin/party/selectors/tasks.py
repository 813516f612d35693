"""Reads of 双报到服务任务. Staff see the tasks of the organisations they see; a member sees the tasks offered by
their organisation or any above it, and the ones they took."""

import datetime

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from jumin.core.access import Scope

from ..models import PartyMember, PartyOrg, ServiceTask, ServiceTaskClaim
from .orgs import _on_roll, ancestor_ids, my_membership, orgs_visible_q, subtree_ids

__all__ = [
    "member_claims",
    "task_claims",
    "task_get",
    "task_members_free",
    "tasks_for",
    "tasks_open_to",
    "tasks_visible",
]


def tasks_for(user, scope: Scope | None = None, *, org: PartyOrg | None = None, upcoming: bool | None = None):
    """Tasks of the organisations `user` sees (offered by `org` or below it when given), newest day first."""
    visible = PartyOrg.objects.filter(orgs_visible_q(user, scope))
    if org is not None:
        visible = visible.filter(pk__in=subtree_ids([org.pk]))
    tasks = ServiceTask.objects.filter(org__in=visible.values("pk")).select_related("org").order_by("-date", "-id")
    today = timezone.localdate()
    if upcoming is True:
        tasks = tasks.filter(date__gte=today)
    elif upcoming is False:
        tasks = tasks.filter(date__lt=today)
    return tasks


def _member_q(user) -> Q:
    """Tasks a resident member may read: offered above or at their organisation (if 双报到), or taken by them."""
    member = my_membership(user)
    if member is None:
        return Q(pk__in=[])
    q = Q(claims__member=member)
    if member.active and member.dual_report:
        q |= Q(org_id__in=ancestor_ids(member.org))
    return q


def tasks_visible(user, scope: Scope | None = None):
    """Every task `user` may read: staff by the organisations they see, a member by `_member_q`."""
    visible = Q(org__in=PartyOrg.objects.filter(orgs_visible_q(user, scope)).values("pk"))
    if getattr(user, "resident_id", None):
        visible |= Q(pk__in=ServiceTask.objects.filter(_member_q(user)).values("pk"))
    return ServiceTask.objects.filter(visible).select_related("org").order_by("-date", "-id")


def task_get(user, task_uuid, scope: Scope | None = None) -> ServiceTask:
    task = tasks_visible(user, scope).filter(uuid=task_uuid).first()
    if task is None:
        raise Http404("没有找到该任务")
    return task


def task_claims(task: ServiceTask):
    return (
        ServiceTaskClaim.objects.filter(task=task)
        .select_related("member__resident", "member__org", "recorded_by", "task__org")
        .order_by("id")
    )


def task_members_free(task: ServiceTask):
    """双报到 members on the roll of the task's organisation and below who have not taken it (for 分派)."""
    return (
        PartyMember.objects.filter(_on_roll(), dual_report=True, org_id__in=subtree_ids([task.org_id]))
        .exclude(task_claims__task=task)
        .select_related("resident", "org")
        .order_by("resident__name_pinyin", "id")
    )


def tasks_open_to(member: PartyMember, *, today: datetime.date | None = None):
    """Upcoming tasks the member may still take, with places left."""
    if member is None or not (member.active and member.dual_report):
        return ServiceTask.objects.none()
    today = today or timezone.localdate()
    return (
        ServiceTask.objects.filter(org_id__in=ancestor_ids(member.org), date__gte=today)
        .exclude(claims__member=member)
        .select_related("org")
        .order_by("date", "id")
    )


def member_claims(member: PartyMember):
    return (
        ServiceTaskClaim.objects.filter(member=member)
        .select_related("task__org", "recorded_by")
        .order_by("status", "-task__date", "-id")
    )
