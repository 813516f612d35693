"""Writes to the hall catalogue (windows, items); the running hall is in tickets, bookings and ratings."""

from django.db import transaction

from ..catalogue import ITEMS, WINDOWS
from ..models import ServiceItem, Window, window_prefix


def hall_ensure_catalogue(community) -> tuple[int, int]:
    """Create the standard 12 windows and 27 service items where missing; never touches rows that exist, so a
    community's own edits survive a second run. Returns (windows created, items created)."""
    with transaction.atomic():
        windows = {w.number: w for w in Window.objects.filter(community=community)}
        taken_names = {w.name for w in windows.values()}
        new_windows = [
            Window(community=community, number=number, name=name, prefix=window_prefix(number))
            for number, name in WINDOWS
            if number not in windows and name not in taken_names
        ]
        for window in Window.objects.bulk_create(new_windows):
            windows[window.number] = window
        existing = set(ServiceItem.objects.filter(community=community).values_list("name", flat=True))
        new_items = [
            ServiceItem(
                community=community,
                window=windows[spec.window],
                name=spec.name,
                description=spec.description,
                required_documents=list(spec.documents),
                time_limit_working_days=spec.days,
                proxy_allowed=spec.proxy,
                in_person_required=spec.in_person,
            )
            for spec in ITEMS
            if spec.name not in existing and spec.window in windows
        ]
        ServiceItem.objects.bulk_create(new_items)
    return len(new_windows), len(new_items)
