from django.urls import reverse

from jumin.core.registry import TimelineEntry

from .selectors import household_disputes


def dispute_entries(household, viewer) -> list[TimelineEntry]:
    """一户一档: disputes this household is part of, shown only to those who may see each one (one query)."""
    target = "cases:case-detail" if getattr(viewer, "is_office", False) else "cases:my-case"
    return [
        TimelineEntry(
            when=case.created_at,
            title=f"矛盾调解 {case.number}:{case.spec.status_label(case.status)}",
            detail=case.title,
            source="矛盾调解",
            url=reverse(target, kwargs={"case_uuid": case.uuid}),
        )
        for case in household_disputes(household, viewer)
    ]
