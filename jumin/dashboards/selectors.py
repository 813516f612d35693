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


def first_steps(user, scope: Scope, *, has_households: bool) -> list[dict]:
    """Where a new street or community goes next, until it has been done: communities and their secretaries (the
    street administrator), then places, roster and staff accounts (the secretary). Empty once all are done, so an
    established office never sees it. A handful of EXISTS queries."""
    from django.urls import reverse

    from jumin.core.models import COMMUNITY_STAFF_ROLES, Role, User
    from jumin.places.models import Dwelling

    ids = scope.community_ids
    if scope.grid_ids is not None:
        return []
    # An office that holds households and has its staff is past onboarding (the demo street among them: its other
    # communities have no secretary of their own, and its leader's desk stays as it was). `has_households` comes
    # from the census the desk shows anyway.
    manages_staff = user_can(user, "staff.manage") and user.role != Role.STREET_LEADER
    others = User.objects.filter(community_id__in=ids, role__in=COMMUNITY_STAFF_ROLES - {Role.SECRETARY})
    if has_households and (not manages_staff or others.exists()):
        return []
    steps = []
    if user_can(user, "community.manage"):
        missing = Community.objects.filter(pk__in=ids).exclude(users__role=Role.SECRETARY, users__is_active=True)
        steps.append(
            {
                "label": "新建社区,并为每个社区开设社区书记账号",
                "url": reverse("staff:communities"),
                "done": bool(ids) and not missing.exists(),
            }
        )
    if user_can(user, "places.manage") and ids:
        steps.append(
            {
                "label": "从 Excel 导入房屋:服务站、网格、小区、楼栋、房屋",
                "url": reverse("places:import"),
                "done": Dwelling.objects.filter(community_id__in=ids).exists(),
            }
        )
    if user_can(user, "register.import") and ids:
        steps.append(
            {
                "label": "导入花名册:住户和居民",
                "url": reverse("people:roster-import"),
                "done": has_households,
            }
        )
    if manages_staff and ids:
        steps.append({"label": "开设网格员、窗口工作人员等账号", "url": reverse("staff:list"), "done": others.exists()})
    return steps if any(not s["done"] for s in steps) else []
