"""Reads of cases. Visibility lives here and only here."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from jumin.core.access import Scope, scope_for, user_can

from . import rules
from .models import Case, CaseAttachment, CaseParty, Level, Notification, Phase


def case_visible_q(user, scope: Scope | None = None) -> Q:
    """Cases `user` may see. Confidential cases (mediation): only parties, the assignee and the secretary —
    and the street leader once a case is escalated to the street."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_resident:
        if not user.resident_id:
            return Q(raised_by=user)
        party = CaseParty.objects.filter(case_id=OuterRef("pk"), resident_id=user.resident_id)
        return Q(resident_id=user.resident_id) | Q(raised_by=user) | Q(Exists(party))
    scope = scope or scope_for(user)
    if scope.is_empty:
        return Q(pk__in=[])
    in_scope = scope.q()
    if user_can(user, rules.STREET_DESK):
        return in_scope & (Q(confidential=False) | Q(level=Level.STREET) | Q(assignee=user))
    if user_can(user, rules.COMMUNITY_WIDE):
        return Q(community_id__in=scope.community_ids)
    # Everyone else: the open cases of their scope (a grid worker's grids), and anything assigned to them.
    return (in_scope & Q(confidential=False)) | Q(assignee=user)


def not_about_hidden_cases_q(user, scope: Scope | None = None) -> Q:
    """Rows that name no case, or a case `user` may still see: an inbox row or audit event about a confidential case
    (mediation) must not outlive the right to see it."""
    visible = Case.objects.filter(case_visible_q(user, scope)).values("pk")
    return Q(case__isnull=True) | Q(case__in=visible)


def notifications_for(user):
    return Notification.objects.filter(not_about_hidden_cases_q(user), user=user).select_related("case")


UNREAD_SECONDS = 60


def unread_count(request) -> dict:
    """Shell context: the number in the header's 消息 badge. Cached per user under `notifications_version`, which
    every arrival and reading bumps; the minute's expiry covers what changes no message (a case that turns
    confidential hides its messages within a minute)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    key = f"cases:unread:{user.pk}:{user.notifications_version}"
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(not_about_hidden_cases_q(user), user=user, read_at=None).count()
        cache.set(key, count, UNREAD_SECONDS)
    return {"unread_notifications": count}


def cases_for(user, scope: Scope | None = None):
    return Case.objects.filter(case_visible_q(user, scope)).select_related("assignee", "resident", "grid")


def case_get(user, case_uuid) -> Case:
    case = (
        Case.objects.filter(case_visible_q(user), uuid=case_uuid)
        .select_related("assignee", "resident__household__dwelling", "grid", "community", "raised_by", "household")
        .first()
    )
    if case is None:
        raise Http404("没有找到该事项")
    return case


def attachment_get(user, attachment_uuid, *, case_uuid=None):
    """An attachment `user` may download: 404 outside the case's audience, and for residents internal files."""
    attachment = CaseAttachment.objects.select_related("case").filter(uuid=attachment_uuid).first()
    if attachment is None or (case_uuid is not None and attachment.case.uuid != case_uuid):
        raise Http404("没有找到该附件")
    case_get(user, attachment.case.uuid)
    if not user.is_office and not attachment.public:
        raise Http404("没有找到该附件")
    return attachment


# Kept under their old names for the apps that call them; the rules live in rules.py.
is_requester = rules.is_requester
can_work = rules.case_can_work


QUEUES = {
    "mine": "我的待办",
    "grid": "本网格",
    "unassigned": "待受理",
    "overdue": "已超期",
    "waiting": "待居民办理",
    "all": "全部",
}


def work_queue(
    user, queue: str = "mine", *, kind=None, status=None, phase=None, grid=None, q=None, scope: Scope | None = None
):
    cases = cases_for(user, scope)
    now = timezone.now()
    if queue == "mine":
        mine = Q(assignee=user)
        if user_can(user, rules.STREET_DESK):
            # Cases a community handed up wait for the street with no one assignee.
            mine |= Q(level=Level.STREET, assignee__isnull=True)
        cases = cases.filter(mine).exclude(phase=Phase.CLOSED)
    elif queue == "grid":
        grid_ids = (scope or scope_for(user)).grid_ids
        cases = cases.exclude(phase=Phase.CLOSED)
        if grid_ids is not None:
            cases = cases.filter(grid_id__in=grid_ids)
    elif queue == "unassigned":
        cases = cases.filter(assignee__isnull=True).exclude(phase=Phase.CLOSED)
    elif queue == "overdue":
        cases = cases.filter(rules.overdue_q(now))
    elif queue == "waiting":
        # Answered and waiting on the resident: a result to collect.
        cases = cases.filter(rules.waiting_on_resident_q()).exclude(phase=Phase.CLOSED)
    if kind:
        cases = cases.filter(kind=kind)
    if status:
        cases = cases.filter(status=status)
    if phase in Phase.values:
        cases = cases.filter(phase=phase)
    if grid:
        cases = cases.filter(grid_id=grid)
    if q:
        cases = cases.filter(Q(title__contains=q) | Q(number__icontains=q) | Q(resident__name__contains=q))
    return cases.order_by("due_at", "id") if queue in {"mine", "overdue", "unassigned"} else cases.order_by("-id")


def queue_grids(scope: Scope):
    """Grids to filter the work queue by: those of the communities in scope (a grid worker: their own)."""
    return list(scope.grids().select_related("community").order_by("community__name", "number"))


def my_cases(user):
    """我的事项: every case a resident raised (or is a party to), newest first."""
    return cases_for(user).order_by("-created_at", "-id")


def case_timeline(case: Case, *, for_resident: bool):
    events = case.events.select_related("actor")
    if for_resident:
        events = events.filter(public=True)
    return events.order_by("created_at", "id")
