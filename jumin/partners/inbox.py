"""我的事项 for a partner-unit member: the joint tasks their unit leads."""

from django.urls import reverse

from jumin.cases.models import Phase
from jumin.core.registry import InboxEntry, InboxSource

from .selectors import tasks_for_partner


def _entries(user, limit: int) -> list[InboxEntry]:
    return [
        InboxEntry(
            when=t.created_at,
            source="难题共办",
            title=t.case.title,
            status_label=f"{t.case.status_label} · {t.progress}%",
            url=reverse("partners:my-unit"),
            is_open=t.case.phase != Phase.CLOSED,
            number=t.case.number or "",
            done=t.case.status == "done",
        )
        for t in tasks_for_partner(user).prefetch_related(None)[:limit]
    ]


def _count(user) -> int:
    return tasks_for_partner(user).count()


joint_task_source = InboxSource(code="joint_task", label="难题共办", entries=_entries, count=_count, order=60)
