from django.urls import reverse

from jumin.core.registry import TimelineEntry

from .models import Stage
from .selectors import household_events


def proposal_entries(household, viewer) -> list[TimelineEntry]:
    """一户一档: stage changes of proposals the household raised or supported (one query)."""
    office = getattr(viewer, "is_office", False)
    target = "deliberation:office-proposal" if office else "deliberation:proposal"
    return [
        TimelineEntry(
            when=event.created_at,
            title=f"居民议事:{event.proposal.title}进入“{Stage(event.to_stage).label}”",
            detail=event.title,
            source="居民议事厅",
            url=reverse(target, kwargs={"proposal_uuid": event.proposal.uuid}),
        )
        for event in household_events(household)
    ]
