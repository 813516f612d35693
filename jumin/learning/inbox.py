"""我的事项: the courses set for a member, with the due date and whether they are done (two queries)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from jumin.core.registry import InboxEntry, InboxSource

from .selectors import my_assignments


def _entries(user, limit: int) -> list[InboxEntry]:
    today = timezone.localdate()
    _, rows = my_assignments(user)
    seen, out = set(), []
    for a in rows:
        if a.course_id in seen:  # assigned twice (to the branch and the committee): the earlier due date counts
            continue
        seen.add(a.course_id)
        if a.done:
            status = "✔ 已学完"
        elif a.due_on < today:
            status = f"⚠ 已逾期(应在 {a.due_on.month}月{a.due_on.day}日前学完)"
        else:
            status = f"待学习,{a.due_on.month}月{a.due_on.day}日前学完"
        out.append(
            InboxEntry(
                when=timezone.make_aware(datetime.datetime.combine(a.due_on, datetime.time(18))),
                source="灯塔加油站",
                title=f"学习《{a.course.title}》",
                status_label=status,
                url=reverse("learning:course-study", args=[a.course.uuid]),
                is_open=not a.done,
                done=a.done,
            )
        )
        if len(out) >= limit:
            break
    return out


def _count(user) -> int:
    _, rows = my_assignments(user)
    return rows.values("course_id").distinct().count()


assignment_source = InboxSource(code="learning", label="灯塔加油站学习", entries=_entries, count=_count, order=42)
