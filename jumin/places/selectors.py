"""Reads of the place register, with building, dwelling and household counts, within a scope."""

from django.db.models import Count, Q

from jumin.core.access import Scope

from .models import Building, Compound, Grid, ServiceStation

LIVE = Q(households__member_count__gt=0)


def grids_with_counts(scope: Scope):
    grids = Grid.objects.filter(community_id__in=scope.community_ids)
    if scope.grid_ids is not None:
        grids = grids.filter(pk__in=scope.grid_ids)
    return (
        grids.select_related("station", "community")
        .annotate(
            household_count=Count("households", filter=LIVE, distinct=True),
            building_count=Count("buildings", distinct=True),
            dwelling_count=Count("buildings__units__dwellings", distinct=True),
        )
        .order_by("community_id", "station__name", "number")
    )


def stations_with_counts(scope: Scope):
    """Service stations with their grids, buildings and households (staff who see the whole community)."""
    return (
        ServiceStation.objects.filter(community_id__in=scope.community_ids)
        .select_related("community")
        .annotate(
            grid_count=Count("grids", distinct=True),
            building_count=Count("grids__buildings", distinct=True),
            household_count=Count("grids__households", filter=Q(grids__households__member_count__gt=0), distinct=True),
        )
        .order_by("community_id", "name")
    )


def compounds_with_counts(scope: Scope):
    compounds = Compound.objects.filter(community_id__in=scope.community_ids)
    if scope.grid_ids is not None:
        compounds = compounds.filter(buildings__grid_id__in=scope.grid_ids).distinct()
    return (
        compounds.select_related("community")
        .annotate(
            building_count=Count("buildings", distinct=True),
            dwelling_count=Count("buildings__units__dwellings", distinct=True),
            household_count=Count("households", filter=LIVE, distinct=True),
        )
        .order_by("community_id", "name")
    )


def _buildings_with_counts(buildings):
    return (
        buildings.select_related("grid", "compound")
        .annotate(
            unit_count=Count("units", distinct=True),
            dwelling_count=Count("units__dwellings", distinct=True),
            household_count=Count(
                "units__dwellings__households",
                filter=Q(units__dwellings__households__member_count__gt=0),
                distinct=True,
            ),
        )
        .order_by("compound__name", "id")
    )


def buildings_of(scope: Scope, compound_id: int):
    buildings = Building.objects.filter(community_id__in=scope.community_ids, compound_id=compound_id)
    if scope.grid_ids is not None:
        buildings = buildings.filter(grid_id__in=scope.grid_ids)
    return _buildings_with_counts(buildings)


def buildings_in_grid(scope: Scope, grid_id: int):
    buildings = Building.objects.filter(community_id__in=scope.community_ids, grid_id=grid_id)
    if scope.grid_ids is not None:
        buildings = buildings.filter(grid_id__in=scope.grid_ids)
    return _buildings_with_counts(buildings)
