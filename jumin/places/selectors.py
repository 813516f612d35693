"""Reads of the place register, with household and resident counts, within a scope."""

from django.db.models import Count, Q

from jumin.core.access import Scope

from .models import Building, Compound, Grid


def grids_with_counts(scope: Scope):
    grids = Grid.objects.filter(community_id__in=scope.community_ids)
    if scope.grid_ids is not None:
        grids = grids.filter(pk__in=scope.grid_ids)
    return (
        grids.select_related("station", "community")
        .annotate(
            household_count=Count("households", filter=Q(households__member_count__gt=0), distinct=True),
            building_count=Count("buildings", distinct=True),
        )
        .order_by("community_id", "number")
    )


def compounds_with_counts(scope: Scope):
    compounds = Compound.objects.filter(community_id__in=scope.community_ids)
    if scope.grid_ids is not None:
        compounds = compounds.filter(buildings__grid_id__in=scope.grid_ids).distinct()
    return (
        compounds.select_related("community")
        .annotate(
            building_count=Count("buildings", distinct=True),
            household_count=Count("households", filter=Q(households__member_count__gt=0), distinct=True),
        )
        .order_by("community_id", "name")
    )


def buildings_of(scope: Scope, compound_id: int):
    buildings = Building.objects.filter(community_id__in=scope.community_ids, compound_id=compound_id)
    if scope.grid_ids is not None:
        buildings = buildings.filter(grid_id__in=scope.grid_ids)
    return buildings.select_related("grid").annotate(unit_count=Count("units", distinct=True)).order_by("id")
