from django.urls import reverse

from jumin.core.registry import TimelineEntry

from .models import Case


def case_events(household, viewer) -> list[TimelineEntry]:
    """Cases raised for the household, for its file (confidential ones never appear here)."""
    cases = (
        Case.objects.filter(household=household, confidential=False)
        .only("created_at", "kind", "title", "number", "status", "uuid", "resident_id")
        .order_by("-created_at")[:30]
    )
    url_name = "cases:case-detail" if getattr(viewer, "is_office", False) else "cases:my-case"
    return [
        TimelineEntry(
            when=c.created_at,
            title=f"{c.spec.label}:{c.title}",
            detail=f"{c.number} · {c.status_label}",
            source=c.spec.label,
            # Other household members see the entry; only its requester (or staff) may open it.
            url=reverse(url_name, args=[c.uuid])
            if getattr(viewer, "is_office", False) or c.resident_id == getattr(viewer, "resident_id", None)
            else "",
        )
        for c in cases
    ]
