"""我的事项: one list of every request a resident made, whatever app holds it (cases, tickets, bookings, orders,
loans, claims). Each app registers an InboxSource; this merges them newest first, two queries per source."""

from django.urls import reverse

from jumin.core.registry import InboxEntry, InboxSource, registry

from .models import Phase
from .selectors import my_cases


class InboxFeed:
    """A sequence Django's Paginator can page: count() adds the sources' counts; a slice asks each source for
    its newest `stop` entries and merges them (so page n costs the same queries as page 1)."""

    def __init__(self, user, sources=None):
        self.user = user
        self.sources = list(registry.inbox_sources if sources is None else sources)
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = sum(source.count(self.user) for source in self.sources)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        stop = index.stop if index.stop is not None else self.count()
        merged = [entry for source in self.sources for entry in source.entries(self.user, stop)]
        merged.sort(key=lambda e: e.when, reverse=True)
        return merged[index]


def _case_entries(user, limit: int) -> list[InboxEntry]:
    cases = (
        my_cases(user)
        .select_related(None)
        .only("uuid", "kind", "title", "status", "phase", "number", "created_at")[:limit]
    )
    base = reverse("cases:my-cases")  # one reverse; each case's page is <base><uuid>/
    return [
        InboxEntry(
            when=c.created_at,
            source=c.spec.label,
            title=c.title,
            status_label=c.status_label,
            url=f"{base}{c.uuid}/",
            is_open=c.phase != Phase.CLOSED,
            number=c.number or "",
            done=bool(c.done_mark),
        )
        for c in cases
    ]


def _case_count(user) -> int:
    return my_cases(user).count()


CASE_SOURCE = InboxSource(code="cases", label="事项", entries=_case_entries, count=_case_count, order=10)
