"""The tags appear in every community's list filters: a change to one bumps every community's places version."""

from django.db.models.signals import post_delete, post_save

from jumin.places.signals import buildings_moved, community_places_changed


def _tag_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        community_places_changed()


def _buildings_moved(sender, building_ids, grid, **kwargs) -> int:
    """Households (and their residents, whose grid is a copy for scoping) follow their building to its new grid."""
    from .models import Household, Resident

    households = Household.objects.filter(dwelling__unit__building_id__in=building_ids)
    ids = list(households.values_list("pk", flat=True))
    Household.objects.filter(pk__in=ids).update(grid=grid)
    Resident.objects.filter(household_id__in=ids).update(grid=grid)
    return households.filter(member_count__gt=0).count()


def connect() -> None:
    from .models import Tag

    buildings_moved.connect(_buildings_moved, dispatch_uid="people_buildings_moved")
    post_save.connect(_tag_changed, sender=Tag, dispatch_uid="places_version_tag_save")
    post_delete.connect(_tag_changed, sender=Tag, dispatch_uid="places_version_tag_delete")
