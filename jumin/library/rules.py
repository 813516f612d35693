"""Predicates of the reading room, used by services to refuse and by views to offer."""

import datetime

from django.utils import timezone

from jumin.core.access import scope_for, user_can

LOAN_DAYS = 30
MAX_RENEWALS = 2
HOLD_KEEP_DAYS = 7  # a copy kept for a reader waits this long, then goes to the next reader or the shelf


def can_work_desk(user) -> bool:
    return user_can(user, "library.desk")


def can_view_office(user) -> bool:
    return user_can(user, "library.view")


def at_desk_of(user, community_id) -> bool:
    return can_work_desk(user) and community_id in scope_for(user).community_ids


def today(now=None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def loan_is_overdue(loan, now=None) -> bool:
    return loan.returned_at is None and loan.due_on < today(now)


def loan_can_renew(loan, user, *, waiting: bool, now=None) -> bool:
    """Renew an open, not yet overdue loan at most twice, unless someone is waiting for the title."""
    own = loan.resident_id == getattr(user, "resident_id", None)
    return (
        (own or at_desk_of(user, loan.community_id))
        and loan.returned_at is None
        and loan.renewals < MAX_RENEWALS
        and not loan_is_overdue(loan, now)
        and not waiting
    )


def loan_can_return(loan, user) -> bool:
    return loan.returned_at is None and at_desk_of(user, loan.community_id)


def book_can_hold(book, user, *, has_live_hold: bool, has_open_loan: bool) -> bool:
    return (
        getattr(user, "resident_id", None) is not None
        and book.available == 0
        and not has_live_hold
        and not has_open_loan
    )
