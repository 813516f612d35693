"""Reads of the organisation tree and its members. Who sees which organisation is decided by `orgs_visible_q`, and
the visible part of the tree is always closed downwards: whoever sees an organisation sees everything below it."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404
from django.utils import timezone

from jumin.core.access import Scope, scope_for
from jumin.core.models import Role
from jumin.people.models import ELDERLY_AGE, ResidentStatus

from ..models import (
    CareVisit,
    CommitteeMember,
    MemberStanding,
    MemberTransfer,
    OrgLevel,
    PartyMember,
    PartyOrg,
    PartyOrgRole,
    ServiceTaskClaim,
    TransferStatus,
)

__all__ = [
    "COUNT_KEYS",
    "OrgNode",
    "ancestor_ids",
    "community_committee",
    "flatten",
    "led_org_ids",
    "member_get",
    "member_history",
    "members_for",
    "members_unplaced",
    "my_membership",
    "org_committee",
    "org_get",
    "org_tree",
    "orgs_visible_q",
    "subtree_ids",
    "transfers_pending",
]

COUNT_KEYS = ("members", "probationary", "elderly", "dual_report", "tasks_done", "task_hours")


def led_org_ids(user) -> list[int]:
    """Organisations whose secretary this resident is (a grid-branch secretary sees their branch and below)."""
    if not getattr(user, "resident_id", None):
        return []
    return list(
        CommitteeMember.objects.filter(
            role=PartyOrgRole.SECRETARY, member__resident_id=user.resident_id, member__active=True
        ).values_list("org_id", flat=True)
    )


def orgs_visible_q(user, scope: Scope | None = None) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.RESIDENT:
        led = led_org_ids(user)
        return subtree_q(led) if led else Q(pk__in=[])
    if user.role not in (Role.SECRETARY, Role.STREET_LEADER, Role.PARTY_REP, Role.GRID_WORKER):
        return Q(pk__in=[])
    scope = scope or scope_for(user)
    if scope.is_empty:
        return Q(pk__in=[])
    if user.role == Role.STREET_LEADER:
        return Q(street_id=user.street_id) & (Q(community__isnull=True) | Q(community_id__in=scope.community_ids))
    if user.role == Role.GRID_WORKER:
        return Q(community_id__in=scope.community_ids, grid_id__in=scope.grid_ids or ())
    return Q(community_id__in=scope.community_ids)


def ancestor_ids(org: PartyOrg) -> list[int]:
    """The organisation and every one above it (one query over its street's tree)."""
    parents = dict(PartyOrg.objects.filter(street_id=org.street_id).values_list("id", "parent_id"))
    out, pk = [], org.pk
    while pk is not None and pk not in out:
        out.append(pk)
        pk = parents.get(pk)
    return out


def subtree_q(org_ids) -> Q:
    return Q(pk__in=subtree_ids(org_ids))


def subtree_ids(org_ids) -> list[int]:
    """The organisations `org_ids` and everything below them (one query over their streets' trees)."""
    org_ids = list(org_ids)
    if not org_ids:
        return []
    rows = PartyOrg.objects.filter(street__in=PartyOrg.objects.filter(pk__in=org_ids).values("street")).values_list(
        "id", "parent_id"
    )
    children = defaultdict(list)
    for pk, parent in rows:
        children[parent].append(pk)
    out, todo = [], list(org_ids)
    while todo:
        pk = todo.pop()
        out.append(pk)
        todo.extend(children[pk])
    return out


@dataclass
class OrgNode:
    org: PartyOrg
    own: dict
    total: dict
    children: list = field(default_factory=list)
    secretary: str = ""

    @property
    def uuid(self):
        return self.org.uuid


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _on_roll() -> Q:
    return Q(active=True, resident__status=ResidentStatus.ACTIVE)


def _own_counts(org_ids, today) -> dict[int, dict]:
    cutoff = _years_before(today, ELDERLY_AGE)
    rows = (
        PartyMember.objects.filter(_on_roll(), org_id__in=org_ids)
        .order_by()
        .values("org_id")
        .annotate(
            members=Count("id"),
            probationary=Count("id", filter=Q(standing=MemberStanding.PROBATIONARY)),
            elderly=Count("id", filter=Q(resident__birth_date__lte=cutoff)),
            dual_report=Count("id", filter=Q(dual_report=True)),
        )
    )
    counts = {r["org_id"]: {k: r.get(k, 0) for k in COUNT_KEYS} for r in rows}
    # 双报到 service: tasks completed by the organisation's members on the roll, and their hours.
    done = (
        ServiceTaskClaim.objects.filter(status="done", member__active=True, member__org_id__in=org_ids)
        .filter(member__resident__status=ResidentStatus.ACTIVE)
        .order_by()
        .values("member__org_id")
        .annotate(tasks_done=Count("id"), task_hours=Sum("hours"))
    )
    for r in done:
        row = counts.setdefault(r["member__org_id"], dict.fromkeys(COUNT_KEYS, 0))
        row["tasks_done"], row["task_hours"] = r["tasks_done"], r["task_hours"] or 0
    return counts


def org_tree(user, scope: Scope | None = None, *, today: datetime.date | None = None) -> list[OrgNode]:
    """The visible tree with counts of each organisation's own members and rolled up over everything below it
    (members, probationary, aged 60+, 双报到, service tasks done and their hours). Four queries whatever the size
    of the tree."""
    today = today or timezone.localdate()
    orgs = list(
        PartyOrg.objects.filter(orgs_visible_q(user, scope))
        .select_related("community", "grid")
        .order_by("depth", "community_id", "name", "id")
    )
    ids = [o.pk for o in orgs]
    own = _own_counts(ids, today)
    secretaries = dict(
        CommitteeMember.objects.filter(org_id__in=ids, role=PartyOrgRole.SECRETARY).values_list("org_id", "name")
    )
    zero = dict.fromkeys(COUNT_KEYS, 0)
    nodes = {
        o.pk: OrgNode(o, own.get(o.pk, dict(zero)), dict(own.get(o.pk, zero)), secretary=secretaries.get(o.pk, ""))
        for o in orgs
    }
    for o in sorted(orgs, key=lambda o: -o.depth):
        parent = nodes.get(o.parent_id)
        if parent is not None:
            parent.children.append(nodes[o.pk])
            for k in COUNT_KEYS:
                parent.total[k] += nodes[o.pk].total[k]
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.org.name, n.org.pk))
    return sorted((n for n in nodes.values() if n.org.parent_id not in nodes), key=lambda n: (n.org.depth, n.org.name))


def flatten(roots: list[OrgNode]) -> list[OrgNode]:
    out = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def org_get(user, org_uuid, scope: Scope | None = None) -> PartyOrg:
    org = (
        PartyOrg.objects.filter(orgs_visible_q(user, scope), uuid=org_uuid)
        .select_related("parent", "community", "station", "grid", "street")
        .first()
    )
    if org is None:
        raise Http404("没有找到该党组织")
    return org


def org_committee(org: PartyOrg) -> list[CommitteeMember]:
    return list(org.committee.select_related("partner_unit", "member__resident").order_by("role", "id"))


def members_for(
    user,
    scope: Scope | None = None,
    *,
    org: PartyOrg | None = None,
    standing: str | None = None,
    dual_report: bool | None = None,
    elderly: bool | None = None,
    q: str = "",
    today: datetime.date | None = None,
):
    """Members on the roll of the organisations `user` may see (of `org` and below when given), by organisation."""
    today = today or timezone.localdate()
    visible = PartyOrg.objects.filter(orgs_visible_q(user, scope))
    if org is not None:
        visible = visible.filter(pk__in=subtree_ids([org.pk]))
    members = (
        PartyMember.objects.filter(_on_roll(), org__in=visible.values("pk"))
        .select_related("resident", "org", "grid")
        .order_by("org__depth", "org__name", "resident__name_pinyin", "id")
    )
    if standing in MemberStanding.values:
        members = members.filter(standing=standing)
    if dual_report is not None:
        members = members.filter(dual_report=dual_report)
    cutoff = _years_before(today, ELDERLY_AGE)
    if elderly is True:
        members = members.filter(resident__birth_date__lte=cutoff)
    elif elderly is False:
        members = members.filter(resident__birth_date__gt=cutoff)
    q = (q or "").strip()
    if q:
        members = members.filter(
            Q(resident__name__contains=q) | Q(resident__name_pinyin__contains=q.lower()) | Q(workplace__contains=q)
        )
    return members


def member_get(user, member_uuid) -> PartyMember:
    """A member's record: staff who see the organisation, and the member themself; 404 for everyone else."""
    visible = Q(org__in=PartyOrg.objects.filter(orgs_visible_q(user)).values("pk"))
    if getattr(user, "resident_id", None):
        visible |= Q(resident_id=user.resident_id)
    member = (
        PartyMember.objects.filter(visible, uuid=member_uuid)
        .select_related("resident__household__dwelling", "org", "grid")
        .prefetch_related(
            Prefetch(
                "transfers",
                queryset=MemberTransfer.objects.filter(status=TransferStatus.PENDING),
                to_attr="pending_transfers",
            )
        )
        .first()
    )
    if member is None:
        raise Http404("没有找到该党员")
    return member


def member_history(member: PartyMember) -> dict:
    return {
        "transfers": list(
            member.transfers.select_related("from_org", "to_org", "requested_by", "decided_by").order_by("-created_at")
        ),
        "care": list(CareVisit.objects.filter(member=member).select_related("visited_by").order_by("-visited_on")[:50]),
    }


def my_membership(user) -> PartyMember | None:
    if not getattr(user, "resident_id", None):
        return None
    return PartyMember.objects.filter(resident_id=user.resident_id).select_related("org").first()


def transfers_pending(user, scope: Scope | None = None):
    visible = PartyOrg.objects.filter(orgs_visible_q(user, scope)).values("pk")
    return (
        MemberTransfer.objects.filter(Q(from_org__in=visible) | Q(to_org__in=visible), status=TransferStatus.PENDING)
        .select_related("member__resident", "from_org", "to_org", "requested_by", "member__org")
        .order_by("created_at", "id")
    )


def members_unplaced(scope: Scope):
    """Residents the register tags 党员 who are on no organisation's roll yet (the secretary places them)."""
    from jumin.people.models import Resident

    if scope.is_empty:
        return Resident.objects.none()
    return (
        Resident.objects.active()
        .filter(scope.q(), resident_tags__tag__code="party_member", party_member__isnull=True)
        .order_by("id")
    )


def community_committee(community_id: int) -> PartyOrg | None:
    return PartyOrg.objects.filter(level=OrgLevel.COMMUNITY_COMMITTEE, community_id=community_id).first()
