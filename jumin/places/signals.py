"""Keep Community.places_version in step with the places under it, whichever code path saves or deletes them."""

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

# Sent inside the transaction that moves buildings to another grid (services.buildings_move), with building_ids and
# grid (the new one): the apps whose rows carry a grid of their own (people: households and residents) move them
# too and return how many households went along.
buildings_moved = Signal()


def community_places_changed(community_ids=None) -> None:
    """Bump the places version of these communities (all of them when None): their cached filter choices go stale."""
    from .models import Community

    communities = Community.objects.all() if community_ids is None else Community.objects.filter(pk__in=community_ids)
    communities.update(places_version=F("places_version") + 1)


def _changed(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loaddata
        return
    community_places_changed([instance.community_id])


def connect() -> None:
    from .models import Building, Compound, Grid

    for model in (Compound, Grid, Building):
        post_save.connect(_changed, sender=model, dispatch_uid=f"places_version_{model.__name__}_save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"places_version_{model.__name__}_delete")
