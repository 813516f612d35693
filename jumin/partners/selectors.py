"""Reads of partner units. Staff see their community's units and the street's; the street leader every unit of
the street; a partner-unit member their own unit."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from jumin.cases.models import Case, Phase
from jumin.core.access import Scope, scope_for
from jumin.core.models import Role

from .models import JointMeeting, JointTask, MeetingStatus, PartnerUnit, TaskProgress, UnitKind


def units_visible_q(user, scope: Scope | None = None) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.PARTNER_MEMBER:
        return Q(members__user=user)
    if not user.is_office:
        return Q(pk__in=[])
    scope = scope or scope_for(user)
    if scope.is_empty:
        return Q(pk__in=[])
    if user.role == Role.STREET_LEADER:
        return Q(street_id=user.street_id) & (Q(community__isnull=True) | Q(community_id__in=scope.community_ids))
    return Q(community_id__in=scope.community_ids) | Q(
        community__isnull=True, street__communities__in=scope.community_ids
    )


def units_for(user, scope: Scope | None = None, *, kind: str | None = None, level: str | None = None, q: str = ""):
    """Units `user` may see, street units first, with how many members and resources each has (one query)."""
    units = PartnerUnit.objects.filter(
        pk__in=PartnerUnit.objects.filter(units_visible_q(user, scope)).values("pk")
    ).select_related("community")
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    if level == "street":
        units = units.filter(community__isnull=True)
    elif level == "community":
        units = units.filter(community__isnull=False)
    q = (q or "").strip()
    if q:
        units = units.filter(Q(name__contains=q) | Q(note__contains=q))
    return units.annotate(
        member_count=Count("members", distinct=True), resource_count=Count("resources", distinct=True)
    ).order_by("community_id", "name", "id")


def unit_get(user, unit_uuid) -> PartnerUnit:
    unit = units_for(user).filter(uuid=unit_uuid).first()
    if unit is None:
        raise Http404("没有找到该共建单位")
    return unit


def unit_detail(unit: PartnerUnit) -> dict:
    return {
        "members": list(unit.members.select_related("user").order_by("id")),
        "resources": list(unit.resources.order_by("kind", "name")),
        "seats": list(unit.party_seats.select_related("org").order_by("org__depth", "id")),
    }


def street_units(street_id: int, community_id: int | None = None):
    """Units that may seat part-time members on an organisation: the street's own and, below it, the community's."""
    units = PartnerUnit.objects.filter(street_id=street_id, active=True)
    if community_id is None:
        return units.filter(community__isnull=True).order_by("name")
    return units.filter(Q(community__isnull=True) | Q(community_id=community_id)).order_by("community_id", "name")


# ---- meetings and joint tasks ------------------------------------------------------------------------------------


def meetings_visible_q(user, scope: Scope | None = None) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.PARTNER_MEMBER:
        return Q(attendance__unit__members__user=user)
    if not user.is_office:
        return Q(pk__in=[])
    scope = scope or scope_for(user)
    return Q(community_id__in=scope.community_ids) if not scope.is_empty else Q(pk__in=[])


def meetings_for(user, scope: Scope | None = None, *, status: str | None = None, q: str = ""):
    """Meetings `user` may see, newest first, with how many units were invited and came and open tasks (one query)."""
    meetings = JointMeeting.objects.filter(
        pk__in=JointMeeting.objects.filter(meetings_visible_q(user, scope)).values("pk")
    ).select_related("community")
    if status in MeetingStatus.values:
        meetings = meetings.filter(status=status)
    q = (q or "").strip()
    if q:
        meetings = meetings.filter(Q(title__contains=q) | Q(agenda__contains=q))
    return meetings.annotate(
        invited=Count("attendance", distinct=True),
        present=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        open_tasks=Count("tasks", filter=~Q(tasks__case__phase=Phase.CLOSED), distinct=True),
        task_count=Count("tasks", distinct=True),
    ).order_by("-held_at", "-id")


def meeting_get(user, meeting_uuid) -> JointMeeting:
    meeting = meetings_for(user).filter(uuid=meeting_uuid).first()
    if meeting is None:
        raise Http404("没有找到该会议")
    return meeting


def meeting_detail(meeting: JointMeeting) -> dict:
    tasks = {
        t.resolution_id: t
        for t in JointTask.objects.filter(meeting=meeting)
        .select_related("case__assignee", "owner_unit")
        .prefetch_related(Prefetch("reports", queryset=TaskProgress.objects.select_related("reported_by")))
    }
    resolutions = list(meeting.resolutions.order_by("number"))
    for r in resolutions:
        r.joint_task = tasks.get(r.pk)
    return {
        "attendance": list(meeting.attendance.select_related("unit").order_by("unit__community_id", "unit__name")),
        "resolutions": resolutions,
        "open_tasks": [t for t in tasks.values() if t.case.phase != Phase.CLOSED],
    }


def tasks_for_partner(user):
    """The joint tasks the user's unit owns, open first."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.PARTNER_MEMBER:
        return JointTask.objects.none()
    return (
        JointTask.objects.filter(owner_unit__members__user=user)
        .select_related("case", "meeting", "owner_unit")
        .prefetch_related(Prefetch("reports", queryset=TaskProgress.objects.select_related("reported_by")))
        .order_by("case__closed_at", "deadline", "id")
    )


def task_get(user, case_uuid) -> JointTask:
    """A joint task for its owner unit's member or staff who see the case; 404 otherwise."""
    from jumin.cases.selectors import case_visible_q

    visible = Q(case__in=Case.objects.filter(case_visible_q(user)).values("pk"))
    if getattr(user, "role", None) == Role.PARTNER_MEMBER:
        visible = Q(owner_unit__members__user=user)
    task = (
        JointTask.objects.filter(visible, case__uuid=case_uuid).select_related("case", "owner_unit", "meeting").first()
    )
    if task is None:
        raise Http404("没有找到该事项")
    return task
