"""Reads of the register. Every query that depends on who asks takes a Scope (core.access)."""

import datetime
import re

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from jumin.core.access import Scope, user_can
from jumin.places.models import Building, Community, Compound, Grid, ServiceStation

from .models import ELDERLY_AGE, Household, Resident, ResidentStatus, ResidentTag, Tag, _years_before

AGE_BANDS = {
    "0-17": ("0–17 岁", 0, 18),
    "18-59": ("18–59 岁", 18, 60),
    "60-79": ("60–79 岁", 60, 80),
    "80+": ("80 岁及以上", 80, None),
    "60+": ("60 岁及以上(老年人)", 60, None),
}
ELDERLY_TAG = "elderly"
ELDERLY_TAG_NAME = "老年人"


def can_see_identity(user) -> bool:
    """Birth dates and ID-tail search only for the roles that may reveal the whole number (idcard.mask says why:
    either would narrow a masked number to a few dozen candidates)."""
    return user_can(user, "register.reveal_id")


def search_q(text: str, *, id_tail: bool = False) -> Q | None:
    """Name, pinyin initials ("zsf") or full pinyin, phone tail, and ID tail when `id_tail` (can_see_identity).
    Only tails: a search box puts its text in the URL, and URLs end up in access logs, where whole phone and ID
    numbers must never be."""
    text = (text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{3}[\dXx]", text):
        return (Q(id_tail=text.upper()) if id_tail else Q(pk__in=[])) | Q(phone__endswith=text)
    if re.fullmatch(r"[A-Za-z]+", text):
        lowered = text.lower()
        return Q(name_pinyin__startswith=lowered) | Q(name_pinyin__contains=" " + lowered)
    return Q(name__contains=text)


def resident_filters(
    scope: Scope,
    *,
    compound=None,
    grid=None,
    tag=None,
    age_band=None,
    q=None,
    include_moved_out=False,
    id_tail=False,
) -> Q:
    """One Q over Resident for the list filters, within the scope."""
    cond = scope.q(household="household_id")
    if not include_moved_out:
        cond &= Q(status=ResidentStatus.ACTIVE)
    if grid:
        cond &= Q(grid_id=grid)
    if compound:
        cond &= Q(household__compound_id=compound)
    today = datetime.date.today()
    if tag == ELDERLY_TAG:
        cond &= Q(birth_date__lte=_years_before(today, ELDERLY_AGE))
    elif tag:
        cond &= Q(pk__in=ResidentTag.objects.filter(tag__code=tag).values("resident_id"))
    if age_band in AGE_BANDS:
        _label, low, high = AGE_BANDS[age_band]
        cond &= Q(birth_date__lte=_years_before(today, low))
        if high is not None:
            cond &= Q(birth_date__gt=_years_before(today, high))
    extra = search_q(q, id_tail=id_tail)
    if extra is not None:
        cond &= extra
    return cond


def residents_for(scope: Scope, **filters):
    return (
        Resident.objects.filter(resident_filters(scope, **filters))
        .select_related("household__dwelling", "household__compound", "grid")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .defer("id_number")
        .order_by("household_id", "id")
    )


def households_for(scope: Scope, *, compound=None, grid=None, tag=None, age_band=None, q=None, id_tail=False):
    households = Household.objects.filter(scope.q(household="pk"))
    if compound:
        households = households.filter(compound_id=compound)
    if grid:
        households = households.filter(grid_id=grid)
    if tag or age_band or (q or "").strip():
        members = Resident.objects.filter(
            resident_filters(scope, tag=tag, age_band=age_band, q=q, compound=compound, grid=grid, id_tail=id_tail)
        )
        households = households.filter(pk__in=members.values("household_id"))
    return households.select_related("dwelling", "compound", "grid").order_by("id")


def with_member_tags(page_households, today: datetime.date | None = None) -> None:
    """Attach `.tag_names` to each household of a page: 老年人 when an active member is 60 or older (derived from
    birth dates, as on the resident list), then the distinct tags of active members. Two queries per page."""
    ids = [h.pk for h in page_households]
    names: dict[int, set[str]] = {pk: set() for pk in ids}
    rows = ResidentTag.objects.filter(
        resident__household_id__in=ids, resident__status=ResidentStatus.ACTIVE
    ).values_list("resident__household_id", "tag__name")
    for household_id, tag_name in rows:
        names[household_id].add(tag_name)
    with_elderly = set(
        Resident.objects.filter(household_id__in=ids, status=ResidentStatus.ACTIVE)
        .aged_at_least(ELDERLY_AGE, today or datetime.date.today())
        .values_list("household_id", flat=True)
        .distinct()
    )
    for household in page_households:
        elderly = [ELDERLY_TAG_NAME] if household.pk in with_elderly else []
        household.tag_names = elderly + sorted(names[household.pk])


def member_tag_names(member) -> list[str]:
    """A member's tags as every list shows them: 老年人 first when 60 or older, then the tags on file."""
    return ([ELDERLY_TAG_NAME] if member.is_elderly else []) + [t.name for t in member.tags.all()]


def household_get(scope: Scope, household_uuid) -> Household:
    household = (
        Household.objects.filter(scope.q(household="pk"), uuid=household_uuid)
        .select_related("dwelling__unit__building", "compound", "grid__station", "community")
        .first()
    )
    if household is None:
        raise Http404("没有找到该户")
    return household


def household_members(household: Household, *, include_moved_out=True):
    members = household.members.prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    if not include_moved_out:
        members = members.filter(status=ResidentStatus.ACTIVE)
    return members.order_by("status", "id")


def resident_get(scope: Scope, resident_uuid) -> Resident:
    resident = (
        Resident.objects.filter(scope.q(household="household_id"), uuid=resident_uuid)
        .select_related("household__dwelling", "community")
        .first()
    )
    if resident is None:
        raise Http404("没有找到该居民")
    return resident


def filter_choices(scope: Scope) -> dict:
    """Compounds, grids and tags the filter bar offers, limited to the scope."""
    compounds = Compound.objects.filter(community_id__in=scope.community_ids).only("id", "name", "community_id")
    grids = Grid.objects.filter(community_id__in=scope.community_ids).only("id", "name", "community_id")
    if scope.grid_ids is not None:
        grids = grids.filter(pk__in=scope.grid_ids)
        compounds = compounds.filter(buildings__grid_id__in=scope.grid_ids).distinct()
    tags = [(ELDERLY_TAG, "老年人(60+)"), *list(Tag.objects.values_list("code", "name"))]
    return {
        "compounds": list(compounds),
        "grids": list(grids),
        "tags": tags,
        "age_bands": [(code, label) for code, (label, _lo, _hi) in AGE_BANDS.items()],
    }


def community_summary(community: Community, today: datetime.date | None = None) -> dict:
    """Counts for one community (constant queries)."""
    return _summaries([community], today)[0]


def community_summaries(scope: Scope) -> list[dict]:
    """Counts for every community in scope, in as many queries as one community takes (the street leader's
    工作台 shows all seven)."""
    if scope.household_id is not None:
        return []
    communities = list(Community.objects.filter(pk__in=scope.community_ids).order_by("id").only("id", "name"))
    return _summaries(communities)


def _count_by_community(queryset, ids) -> dict[int, int]:
    return dict(
        queryset.filter(community_id__in=ids)
        .order_by()
        .values_list("community_id")
        .annotate(n=Count("id"))
        .values_list("community_id", "n")
    )


def _summaries(communities: list[Community], today: datetime.date | None = None) -> list[dict]:
    today = today or datetime.date.today()
    if not communities:
        return []
    ids = [c.pk for c in communities]
    residents = Resident.objects.filter(status=ResidentStatus.ACTIVE)
    counts = {
        "stations": _count_by_community(ServiceStation.objects.all(), ids),
        "grids": _count_by_community(Grid.objects.all(), ids),
        "compounds": _count_by_community(Compound.objects.all(), ids),
        "buildings": _count_by_community(Building.objects.all(), ids),
        "households": _count_by_community(Household.objects.filter(member_count__gt=0), ids),
        "residents": _count_by_community(residents, ids),
        "elderly": _count_by_community(residents.aged_at_least(ELDERLY_AGE, today), ids),
    }
    by_tag: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    tag_rows = (
        ResidentTag.objects.filter(community_id__in=ids, resident__status=ResidentStatus.ACTIVE)
        .order_by()
        .values_list("community_id", "tag__name")
        .annotate(n=Count("id"))
        .values_list("community_id", "tag__name", "n")
    )
    for community_id, name, n in tag_rows:
        by_tag[community_id][name] = n
    return [
        {
            "community_id": c.pk,
            "community": c.name,
            **{measure: per_community.get(c.pk, 0) for measure, per_community in counts.items()},
            "by_tag": dict(sorted(by_tag[c.pk].items())),
        }
        for c in communities
    ]
