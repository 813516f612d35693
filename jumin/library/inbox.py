"""我的事项: the reader's loans, open ones marked overdue when they are."""

from django.urls import reverse

from jumin.core.registry import InboxEntry

from . import rules
from .models import Loan


def _mine(user):
    return Loan.objects.filter(resident_id=getattr(user, "resident_id", None) or 0)


def loan_entries(user, limit: int) -> list[InboxEntry]:
    url = reverse("library:my-loans")
    rows = _mine(user).select_related("book").order_by("-lent_at", "-id")[:limit]
    entries = []
    for loan in rows:
        if loan.returned_at:
            label = "已归还"
        elif rules.loan_is_overdue(loan):
            label = f"已逾期(应还 {loan.due_on.month}月{loan.due_on.day}日)"
        else:
            label = f"借阅中,{loan.due_on.month}月{loan.due_on.day}日前归还"
        entries.append(
            InboxEntry(
                when=loan.lent_at,
                source="借阅",
                title=f"《{loan.book.title}》",
                status_label=label,
                url=url,
                is_open=loan.returned_at is None,
            )
        )
    return entries


def loan_count(user) -> int:
    return _mine(user).count()
