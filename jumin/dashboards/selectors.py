"""What each office role's 工作台 shows: today's work first (desk items every app registers), then the census of
its own scope — a grid worker's grids, a secretary's community, the street's communities with street totals."""

import datetime

from django.db.models import Count
from pypinyin import lazy_pinyin

from jumin.core.access import Scope, user_can
from jumin.core.registry import registry
from jumin.people.models import ELDERLY_AGE, Household, Resident, ResidentStatus, ResidentTag
from jumin.places.models import Building, Community, Compound, Grid, ServiceStation

MEASURES = ("households", "residents", "elderly", "compounds", "buildings", "stations", "grids")


def desk_for(user, scope: Scope) -> list[dict]:
    """Today's lines for this user: one query each, only those the user's capabilities allow."""
    return [
        {"label": item.label, "count": item.count(user, scope), "url": item.url, "urgent": item.urgent}
        for item in registry.desk_items
        if user_can(user, item.capability)
    ]


def _by_community(queryset, scope: Scope, *, grid_field: str | None = "grid_id") -> dict[int, int]:
    rows = queryset.filter(community_id__in=scope.community_ids)
    if scope.grid_ids is not None and grid_field:
        rows = rows.filter(**{f"{grid_field}__in": scope.grid_ids})
    return dict(rows.order_by().values_list("community_id").annotate(n=Count("id")).values_list("community_id", "n"))


def census(scope: Scope, today: datetime.date | None = None) -> dict:
    """Counts per community of the scope (narrowed to a grid worker's grids), street totals, and tags with their
    codes so each chip opens the filtered list. A constant number of queries whatever the street's size."""
    today = today or datetime.date.today()
    if scope.is_empty or scope.household_id is not None:
        return {"communities": [], "totals": None, "grids_only": False}
    active = Resident.objects.filter(status=ResidentStatus.ACTIVE)
    compounds = Compound.objects.all()
    if scope.grid_ids is not None:
        compounds = compounds.filter(buildings__grid_id__in=scope.grid_ids).distinct()
    counts = {
        "households": _by_community(Household.objects.filter(member_count__gt=0), scope),
        "residents": _by_community(active, scope),
        "elderly": _by_community(active.aged_at_least(ELDERLY_AGE, today), scope),
        "compounds": _by_community(compounds, scope, grid_field=None),
        "buildings": _by_community(Building.objects.all(), scope),
        "stations": _by_community(ServiceStation.objects.all(), scope, grid_field=None),
        "grids": _by_community(Grid.objects.all(), scope, grid_field="id"),
    }
    tags = ResidentTag.objects.filter(community_id__in=scope.community_ids, resident__status=ResidentStatus.ACTIVE)
    if scope.grid_ids is not None:
        tags = tags.filter(resident__grid_id__in=scope.grid_ids)
    by_tag: dict[int, list] = {}
    for community_id, code, name, n in (
        tags.order_by()
        .values_list("community_id", "tag__code", "tag__name")
        .annotate(n=Count("id"))
        .values_list("community_id", "tag__code", "tag__name", "n")
    ):
        by_tag.setdefault(community_id, []).append({"code": code, "name": name, "count": n})
    names = dict(Community.objects.filter(pk__in=scope.community_ids).values_list("id", "name"))
    communities = [
        {
            "community_id": pk,
            "community": name,
            **{m: counts[m].get(pk, 0) for m in MEASURES},
            "tags": sorted(by_tag.get(pk, []), key=lambda t: lazy_pinyin(t["name"])),
        }
        for pk, name in names.items()
    ]
    # Chinese names in the order people look them up: by pinyin, not by code point.
    communities.sort(key=lambda c: lazy_pinyin(c["community"]))
    totals = {m: sum(c[m] for c in communities) for m in MEASURES} if len(communities) > 1 else None
    return {"communities": communities, "totals": totals, "grids_only": scope.grid_ids is not None}
