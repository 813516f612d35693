"""Reads for 矛盾调解. A dispute is confidential: every read here starts from core `case_visible_q` (parties, the
assigned mediator, the secretary; the street once escalated), so lists, search, counts, sessions and the signed
agreement all share one rule."""

import datetime
import uuid
from collections import defaultdict
from functools import cached_property

from django.db.models import Count, F, Prefetch, Q, TextField, Value
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from jumin.cases.models import Case, CaseParty, Level
from jumin.cases.selectors import case_get, case_visible_q
from jumin.core.access import Scope, roles_with
from jumin.core.models import User
from jumin.mediation.rules import MEDIATES
from jumin.people.idcard import mask_phone
from jumin.people.models import Resident, ResidentStatus
from jumin.people.selectors import resident_filters

from .kind import ACCEPTED, AGREED, CLOSED, FAILED, KIND, MEDIATING
from .models import Agreement, Category, Dispute, MediationSession, NamedParty


def visible_dispute_cases(user, scope: Scope | None = None):
    return Case.objects.filter(case_visible_q(user, scope), kind=KIND)


def disputes_for(user, scope: Scope | None = None, *, status=None, category=None, q=None):
    """The disputes `user` may see, newest first, ready for a list page (a constant number of queries)."""
    disputes = Dispute.objects.filter(case__in=visible_dispute_cases(user, scope).values("pk"))
    if status:
        disputes = disputes.filter(case__status=status)
    if category:
        disputes = disputes.filter(category=category)
    q = (q or "").strip()
    if q:
        disputes = disputes.filter(
            Q(case__number__icontains=q) | Q(case__title__contains=q) | Q(case__resident__name__contains=q)
        )
    return (
        disputes.select_related("case__assignee", "case__resident", "case__grid")
        .annotate(party_count=Count("case__parties", distinct=True))
        .order_by("-case__created_at", "-id")
    )


def follow_up_done(case: Case) -> bool:
    """Has the agreement of the current round been followed up (a visit since it was reached)?"""
    visits = case.follow_ups.all()
    if case.answered_at is not None:
        visits = visits.filter(created_at__gte=case.answered_at)
    return visits.exists()


def dispute_get(user, case_uuid) -> Dispute:
    """The dispute of a case `user` may see, or 404 (also for a case of another kind)."""
    case = case_get(user, case_uuid)
    dispute = Dispute.objects.filter(case=case).first() if case.kind == KIND else None
    if dispute is None:
        raise Http404("没有找到该纠纷")
    dispute.case = case
    return dispute


def named_party_get(dispute: Dispute, pk) -> NamedParty:
    named = NamedParty.objects.filter(dispute=dispute, pk=pk).first()
    if named is None:
        raise Http404("没有找到该当事人")
    named.dispute = dispute
    return named


def sessions_for(dispute: Dispute, *, is_worker: bool):
    """Sessions of a dispute (got through `dispute_get`). Parties see when and where; the notes are for the mediator
    and the secretary."""
    notes = F("notes") if is_worker else Value(None, output_field=TextField())
    return (
        MediationSession.objects.filter(dispute=dispute)
        .select_related("created_by")
        .prefetch_related(Prefetch("attendees", queryset=Resident.objects.only("id", "name")))
        .annotate(visible_notes=notes)
        .defer("notes")
        .order_by("held_at", "id")
    )


def resident_search(scope: Scope, q: str, *, limit: int = 10, id_tail: bool = False):
    """Register look-up for staff registering a dispute or linking a party (masked phone, never the ID number)."""
    if not (q or "").strip():
        return []
    residents = (
        Resident.objects.filter(resident_filters(scope, q=q, id_tail=id_tail))
        .select_related("household__dwelling")
        .only("uuid", "name", "birth_date", "phone", "household__dwelling__address", "community_id")
        .order_by("name", "id")[:limit]
    )
    return [
        {
            "uuid": r.uuid,
            "name": r.name,
            "address": r.household.dwelling.address,
            "age": r.age(),
            "phone": mask_phone(r.phone),
        }
        for r in residents
    ]


def residents_by_uuid(scope: Scope, uuids) -> list[Resident]:
    """Residents in scope for the given uuids, in the given order; unknown or out-of-scope ones are dropped."""
    wanted = []
    for value in uuids:
        try:
            wanted.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    if not wanted:
        return []
    found = {
        str(r.uuid): r
        for r in Resident.objects.filter(
            scope.q(household="household_id"), uuid__in=wanted, status=ResidentStatus.ACTIVE
        )
        .select_related("household__dwelling")
        .defer("id_number")
    }
    return [found[u] for u in dict.fromkeys(wanted) if u in found]


# ---- the panel on the shared case page ---------------------------------------------------------------------------


class DisputeDetail:
    """What the case page's dispute panel and GET /cases/{id} show. Built with one query; each further part is
    read only when the panel shows it."""

    def __init__(self, dispute: Dispute, case: Case):
        self.dispute = dispute
        self.case = case

    @property
    def category_label(self) -> str:
        return self.dispute.get_category_display()

    @cached_property
    def agreement(self) -> Agreement | None:
        return Agreement.objects.filter(dispute=self.dispute).select_related("recorded_by").first()

    @cached_property
    def parties(self) -> list[CaseParty]:
        return list(self.case.parties.select_related("resident__household__dwelling").order_by("id"))

    @cached_property
    def other_parties(self) -> list[CaseParty]:
        return [p for p in self.parties if p.role != CaseParty.Role.REQUESTER]

    @cached_property
    def named_parties(self) -> list[NamedParty]:
        return list(self.dispute.named_parties.filter(resident__isnull=True))

    @cached_property
    def sessions(self) -> list[MediationSession]:
        return list(
            self.dispute.sessions.select_related("created_by").prefetch_related(
                Prefetch("attendees", queryset=Resident.objects.only("id", "name"))
            )
        )

    @cached_property
    def mediators(self) -> list[User]:
        return list(
            User.objects.filter(
                community_id=self.case.community_id, role__in=roles_with(MEDIATES), is_active=True
            ).order_by("name")
        )

    @cached_property
    def followed_up(self) -> bool:
        return follow_up_done(self.case)

    # What the worker may do now; the services check the same rules again.
    @property
    def can_record_session(self) -> bool:
        return self.case.status in (ACCEPTED, MEDIATING)

    @property
    def can_record_agreement(self) -> bool:
        return self.case.status == MEDIATING and not self.named_parties

    @property
    def can_fail(self) -> bool:
        return self.case.status in (ACCEPTED, MEDIATING)

    @property
    def can_follow_up(self) -> bool:
        return self.case.status == AGREED

    @property
    def can_close(self) -> bool:
        agreed = self.case.status == AGREED and self.followed_up and not self.named_parties
        return self.case.status == FAILED or agreed

    @property
    def can_attach_scan(self) -> bool:
        return self.agreement is not None and self.case.status in (AGREED, CLOSED)

    @cached_property
    def forms(self):
        from .forms import panel_forms

        return panel_forms(self)

    def as_api(self, *, viewer, is_worker: bool) -> dict:
        agreement = self.agreement
        return {
            "category": self.dispute.category,
            "category_label": self.category_label,
            "mediator": self.case.assignee.name if self.case.assignee_id else None,
            "escalated": self.case.level == Level.STREET,
            "parties": [
                {
                    "name": p.resident.name,
                    "role": p.get_role_display(),
                    "phone": mask_phone(p.resident.phone) if is_worker else None,
                }
                for p in self.parties
            ],
            "unverified_parties": [{"name": n.name, "address": n.address} for n in self.named_parties],
            "session_count": self.dispute.sessions.count(),
            "agreement": None
            if agreement is None
            else {
                "text": agreement.text,
                "signed_at": agreement.signed_at.isoformat() if agreement.signed_at else None,
                "has_signed_scan": bool(agreement.signed_scan),
            },
        }


def dispute_detail(case: Case) -> DisputeDetail | None:
    """`load_detail` of the dispute kind (one query)."""
    dispute = Dispute.objects.filter(case=case).first()
    if dispute is None:
        return None
    dispute.case = case
    return DisputeDetail(dispute, case)


# ---- counts (the only form in which disputes leave the system) ---------------------------------------------------


def dispute_counts(user, scope: Scope | None = None) -> dict:
    """Counts by month, category, status and escalation over the disputes `user` may see (one query); no names,
    no text."""
    rows = (
        Dispute.objects.filter(case__in=visible_dispute_cases(user, scope).values("pk"))
        .order_by()
        .annotate(month=TruncMonth("case__created_at"))
        .values("month", "category", "case__status", "case__level")
        .annotate(n=Count("id"))
    )
    by_month: dict = defaultdict(lambda: defaultdict(int))
    by_category = dict.fromkeys(Category.values, 0)
    by_status: dict = defaultdict(int)
    escalated = 0
    for row in rows:
        month = timezone.localtime(row["month"]).date() if row["month"] else None
        n = row["n"]
        counts = by_month[month]
        counts["total"] += n
        counts[row["category"]] += n
        counts["status:" + row["case__status"]] += n
        by_category[row["category"]] += n
        by_status[row["case__status"]] += n
        if row["case__level"] == Level.STREET:
            counts["escalated"] += n
            escalated += n
    return {
        "months": sorted(by_month.items(), key=lambda item: item[0] or datetime.date.min, reverse=True),
        "by_category": by_category,
        "by_status": dict(by_status),
        "escalated": escalated,
        "total": sum(by_category.values()),
    }


# ---- 一户一档 ----------------------------------------------------------------------------------------------------


def household_disputes(household, viewer):
    """Disputes a household's members are parties to, as far as `viewer` may see them (one query)."""
    return (
        visible_dispute_cases(viewer)
        .filter(Q(household=household) | Q(parties__resident__household=household))
        .only("created_at", "kind", "number", "status", "title", "uuid")
        .distinct()
        .order_by("-created_at")[:20]
    )
