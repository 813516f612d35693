"""One predicate per rule of casework. Services call them to refuse; views call them to build the actions they
offer; templates only read that list. Who may do what comes from capabilities, never from role names here."""

from django.db.models import Q
from django.utils import timezone

from jumin.core.access import roles_with, user_can

from .models import Case, Level, Phase, Satisfaction

# Capabilities of casework beyond the queue (registered in apps.py):
# every case of the community, confidential ones included, any kind (the secretary);
COMMUNITY_WIDE = "cases.community_wide"
# the street's desk: cases a community handed up (the street leader);
STREET_DESK = "cases.street_desk"
# hand a case to another worker when it is not one's own;
ASSIGN_ANY = "cases.assign_any"
# hand a case up to the street.
ESCALATE = "cases.escalate"


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_requester(user, case: Case) -> bool:
    """The resident who raised the case (or for whom it was raised)."""
    if not _active(user) or not user.is_resident:
        return False
    return (user.resident_id is not None and case.resident_id == user.resident_id) or case.raised_by_id == user.pk


def may_work_kind(user, case: Case) -> bool:
    """The user's role may work cases of this kind at this level (visibility aside)."""
    if user_can(user, COMMUNITY_WIDE):
        return True
    if case.level == Level.STREET:
        return user_can(user, STREET_DESK)
    return user.role in case.spec.worker_roles


def case_can_work(user, case: Case) -> bool:
    """May `user` act on the case as staff (take, move, reply, note)?"""
    from .selectors import case_visible_q

    if not _active(user) or not user.is_office or not may_work_kind(user, case):
        return False
    if not Case.objects.filter(case_visible_q(user), pk=case.pk).exists():
        return False
    return user_can(user, COMMUNITY_WIDE) or case.level == Level.STREET or case.assignee_id in (None, user.pk)


def case_can_take(user, case: Case, *, can_work: bool | None = None) -> bool:
    works = case_can_work(user, case) if can_work is None else can_work
    return (
        works
        and case.spec.staff_take
        and case.phase == Phase.NEW
        and case.assignee_id is None
        and case.status == case.spec.initial
    )


def case_can_assign(user, case: Case, *, can_work: bool | None = None) -> bool:
    """转办: the assignee hands on their own case; the secretary and the street leader any case they work."""
    works = case_can_work(user, case) if can_work is None else can_work
    if not works or case.phase == Phase.CLOSED:
        return False
    if case.phase == Phase.NEW and case.assignee_id is None and not case.spec.staff_take:
        return False  # assigning a new case takes it, and this kind's first step is not staff's
    return user_can(user, ASSIGN_ANY) or case.assignee_id == user.pk


def case_can_be_assigned_to(case: Case, assignee) -> bool:
    """The person a case is handed to: active staff of its community whose role may work the kind."""
    if not assignee.is_active or not assignee.is_office or assignee.community_id != case.community_id:
        return False
    return assignee.role in case.spec.worker_roles or user_can(assignee, COMMUNITY_WIDE)


def assignable_roles(case: Case) -> set[str]:
    return {*case.spec.worker_roles, *roles_with(COMMUNITY_WIDE)}


def case_can_escalate(user, case: Case, *, can_work: bool | None = None) -> bool:
    """转交街道: community staff working an open community-level case."""
    works = case_can_work(user, case) if can_work is None else can_work
    return works and user_can(user, ESCALATE) and case.level == Level.COMMUNITY and case.phase != Phase.CLOSED


def case_can_follow_up(user, case: Case, *, can_work: bool | None = None) -> bool:
    works = case_can_work(user, case) if can_work is None else can_work
    return works and (case.phase == Phase.CLOSED or case.status in case.spec.follow_up_statuses)


def case_can_remind(user, case: Case) -> bool:
    return is_requester(user, case) and case.phase != Phase.CLOSED


def case_can_rate(user, case: Case, *, rating=None) -> bool:
    """评价: the requester, once per round, after the case closed with a result (not after 已退回)."""
    ratable = case.spec.ratable_statuses
    return (
        is_requester(user, case)
        and case.phase == Phase.CLOSED
        and (not ratable or case.status in ratable)
        and rating is None
    )


def case_can_reopen(user, case: Case, *, rating=None) -> bool:
    """重新办理: the requester who rated this round 不满意."""
    return (
        is_requester(user, case)
        and case.phase == Phase.CLOSED
        and rating is not None
        and rating.value == Satisfaction.UNSATISFIED
    )


def case_can_attach(user, case: Case, *, can_work: bool | None = None) -> bool:
    works = case_can_work(user, case) if can_work is None else can_work
    return works or (is_requester(user, case) and case.phase != Phase.CLOSED)


# ---- overdue: one definition for pages, exports, the API and the figures --------------------------------------------


def waiting_on_resident_q() -> Q:
    from .kinds import case_kinds

    q = Q(pk__in=[])
    for kind in case_kinds():
        if kind.waiting_on_resident:
            q |= Q(kind=kind.code, status__in=kind.waiting_on_resident)
    return q


def overdue_q(now=None) -> Q:
    """超期: past its deadline and still the community's to finish (not closed, not waiting on the resident)."""
    now = now or timezone.now()
    return ~Q(phase=Phase.CLOSED) & Q(due_at__lt=now) & ~waiting_on_resident_q()


def case_is_overdue(case: Case, now=None) -> bool:
    now = now or timezone.now()
    return case.phase != Phase.CLOSED and case.due_at < now and case.status not in case.spec.waiting_on_resident
