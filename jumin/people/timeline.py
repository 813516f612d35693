from django.db.models import Q

from jumin.core.models import AuditEvent
from jumin.core.registry import TimelineEntry

from .models import Resident


def register_events(household, viewer) -> list[TimelineEntry]:
    """Register changes to the household and its members, from the audit log (one query)."""
    member_ids = [str(pk) for pk in Resident.objects.filter(household=household).values_list("pk", flat=True)]
    events = (
        AuditEvent.objects.filter(
            Q(target_type="household", target_id=str(household.pk))
            | Q(target_type="resident", target_id__in=member_ids)
        )
        .select_related("actor")
        .order_by("-created_at")[:50]
    )
    return [
        TimelineEntry(
            when=e.created_at,
            title=e.summary,
            detail=f"经办:{e.actor.name}" if e.actor else "",
            source="户籍",
        )
        for e in events
    ]
