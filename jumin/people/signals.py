"""The tags appear in every community's list filters: a change to one bumps every community's places version."""

from django.db.models.signals import post_delete, post_save

from jumin.places.signals import community_places_changed


def _tag_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        community_places_changed()


def connect() -> None:
    from .models import Tag

    post_save.connect(_tag_changed, sender=Tag, dispatch_uid="places_version_tag_save")
    post_delete.connect(_tag_changed, sender=Tag, dispatch_uid="places_version_tag_delete")
