"""Reads for 社情民意. Who sees which case is decided by core.case_selectors.case_visible_q, nowhere else."""

import uuid

from django.db.models import Case as Choose
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value, When

from jumin.cases.models import Case, CaseEvent, CaseRating
from jumin.cases.selectors import case_visible_q
from jumin.core.access import Scope
from jumin.people.selectors import residents_for

from ..kind import KIND as OPINION
from ..models import Category, Opinion

CANDIDATE_LIMIT = 20


def _latest_answer():
    return Subquery(
        CaseEvent.objects.filter(case_id=OuterRef("pk"), to_status="answered", public=True)
        .order_by("-created_at", "-id")
        .values("comment")[:1]
    )


def _latest_rating():
    return Subquery(CaseRating.objects.filter(case_id=OuterRef("pk")).order_by("-round").values("value")[:1])


def opinions_for(user, scope: Scope | None = None, *, status=None, category=None, grid=None, q=None):
    """Opinion cases `user` may see, newest first, with the opinion row, person, grid and assignee joined."""
    cases = (
        Case.objects.filter(case_visible_q(user, scope), kind=OPINION)
        .select_related("opinion", "resident", "grid", "assignee")
        .order_by("-created_at", "-id")
    )
    if status:
        cases = cases.filter(status=status)
    if category:
        cases = cases.filter(opinion__category=category)
    if grid:
        cases = cases.filter(grid_id=grid)
    q = (q or "").strip()
    if q:
        cases = cases.filter(Q(title__contains=q) | Q(number__icontains=q) | Q(resident__name__contains=q))
    return cases


def opinions_for_export(user, scope: Scope | None = None, **filters):
    """The list's rows with the latest answer and rating, for the 台账 (still one query)."""
    return opinions_for(user, scope, **filters).annotate(answer=_latest_answer(), rating=_latest_rating())


def opinion_detail(case: Case) -> Opinion | None:
    """The kind's `load_detail` for the shared case page (one query)."""
    return Opinion.objects.select_related("recorded_by").filter(case_id=case.pk).first()


def public_opinions(community):
    """For the public board: closed opinions whose resident agreed, with only title, category and answer —
    no name, address, number or body. Newest first; a queryset of dicts, so the board can paginate it."""
    return (
        Case.objects.filter(
            community=community, kind=OPINION, status="closed", confidential=False, opinion__allow_public=True
        )
        .annotate(
            category=F("opinion__category"),
            category_label=Choose(
                *[When(opinion__category=code, then=Value(label)) for code, label in Category.choices],
                default=Value(""),
                output_field=CharField(),
            ),
            answer=_latest_answer(),
        )
        .order_by("-closed_at", "-id")
        .values("title", "category", "category_label", "answer", "closed_at")
    )


def resident_candidates(scope: Scope, *, q: str = "", chosen: str | None = None, id_tail: bool = False) -> list:
    """Residents to offer in the on-behalf form: those matching `q` (name, pinyin, phone tail, ID tail when
    `id_tail`) and the one already chosen, all inside `scope`."""
    found = []
    if (q or "").strip():
        found = list(residents_for(scope, q=q, id_tail=id_tail).prefetch_related(None)[:CANDIDATE_LIMIT])
    try:
        chosen_uuid = uuid.UUID(str(chosen)) if chosen else None
    except ValueError:
        chosen_uuid = None
    if chosen_uuid and all(r.uuid != chosen_uuid for r in found):
        extra = residents_for(scope).prefetch_related(None).filter(uuid=chosen_uuid).first()
        if extra is not None:
            found.insert(0, extra)
    return found
