"""我的事项: a resident's reception-day bookings sit beside their cases (the opinions heard there are cases already)."""

from django.urls import reverse
from django.utils import timezone

from jumin.core.registry import InboxEntry, InboxSource

from .selectors import my_signups


def _entries(user, limit: int) -> list[InboxEntry]:
    today = timezone.localdate()
    out = []
    for s in my_signups(user)[:limit]:
        held = s.day.date < today
        status = "已登记意见" if s.opinion_id else ("已接待" if held else "已预约")
        out.append(
            InboxEntry(
                when=s.created_at,
                source="党代表接待日",
                title=f"{s.day.date:%Y年%-m月%-d日} {s.slot.starts_at:%H:%M} 党代表{s.day.representative.name}接待",
                status_label=status,
                url=reverse("party:my-reception-day", args=[s.day.uuid]) if not held else reverse("party:my-party"),
                is_open=not held,
                done=held,
            )
        )
    return out


def _count(user) -> int:
    return my_signups(user).count()


signup_source = InboxSource(code="reception_signup", label="党代表接待日预约", entries=_entries, count=_count, order=40)
