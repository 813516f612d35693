from django.db.models import CharField, Q
from django.db.models.functions import Cast

from jumin.core.models import AuditEvent
from jumin.core.registry import TimelineEntry

from .models import Resident


def register_events(household, viewer) -> list[TimelineEntry]:
    """Register changes to the household and its members, from the audit log (one query)."""
    # The audit log names its targets by text id: the members' ids as text, in the same query.
    member_ids = Resident.objects.filter(household=household).values(text_id=Cast("pk", CharField()))
    events = (
        AuditEvent.objects.filter(
            Q(target_type="household", target_id=str(household.pk))
            | Q(target_type="resident", target_id__in=member_ids)
        )
        .select_related("actor")
        .only("created_at", "summary", "actor__name")
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
