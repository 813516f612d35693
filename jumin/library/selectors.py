"""Reads for 好家风阅览室. Residents search their own community's catalogue and see their own loans and holds;
desk staff see their community's loans. Everything else is 404."""

import uuid

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from jumin.core.access import Scope, scope_for
from jumin.people.selectors import residents_for

from . import isbn as isbns
from . import rules
from .models import LIVE_HOLDS, Book, Hold, HoldStatus, Loan

CANDIDATES = 10


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def _communities(user, scope: Scope | None = None) -> tuple[int, ...]:
    return (scope or scope_for(user)).community_ids


def books_for(user, scope: Scope | None = None, *, q=None, sort=None):
    """The catalogue of the user's community (or communities, for staff): title, author or ISBN search;
    `sort="popular"` gives the most-read list."""
    rows = Book.objects.filter(community_id__in=_communities(user, scope))
    q = (q or "").strip()
    if q:
        code = isbns.normalise(q)
        cond = Q(title__contains=q) | Q(author__contains=q)
        if code.isdigit() or code[:-1].isdigit():
            cond |= Q(isbn=code)
        rows = rows.filter(cond)
    if sort == "popular":
        return rows.order_by("-loan_count", "title", "id")
    return rows.order_by("title", "id")


def book_get(user, book_uuid) -> Book:
    book = Book.objects.filter(community_id__in=_communities(user), uuid=_uuid(book_uuid)).first()
    if book is None:
        raise Http404
    return book


def desk_books(user, scope: Scope, q: str):
    """Books for the desk: an exact ISBN (a scan) first, else a title/author search; at most a handful."""
    if not (q or "").strip():
        return []
    return list(books_for(user, scope, q=q)[:CANDIDATES])


def desk_readers(scope: Scope, q: str):
    if not (q or "").strip():
        return []
    return list(residents_for(scope, q=q).prefetch_related(None).select_related("household__dwelling")[:CANDIDATES])


def reader_get(scope: Scope, resident_uuid):
    resident = residents_for(scope).prefetch_related(None).filter(uuid=_uuid(resident_uuid)).first()
    if resident is None:
        raise Http404
    return resident


def _waiting():
    return Exists(Hold.objects.filter(book_id=OuterRef("book_id"), status=HoldStatus.WAITING))


def loans_for(user, scope: Scope | None = None, *, state=None, q=None, now=None):
    """Desk staff: the community's loans. A resident: their own. Newest first, book and reader joined, with
    whether someone waits for the title (renewal is refused then)."""
    if rules.can_view_office(user):
        rows = Loan.objects.filter(community_id__in=_communities(user, scope))
    else:
        rows = Loan.objects.filter(resident_id=getattr(user, "resident_id", None) or 0)
    rows = rows.select_related("book", "resident", "lent_by", "returned_to").annotate(someone_waiting=_waiting())
    today = rules.today(now)
    if state == "open":
        rows = rows.filter(returned_at__isnull=True)
    elif state == "overdue":
        rows = rows.filter(returned_at__isnull=True, due_on__lt=today)
    elif state == "returned":
        rows = rows.filter(returned_at__isnull=False)
    q = (q or "").strip()
    if q:
        rows = rows.filter(
            Q(book__title__contains=q) | Q(resident__name__contains=q) | Q(book__isbn=isbns.normalise(q))
        )
    return rows.order_by("-lent_at", "-id")


def loan_get(user, loan_uuid) -> Loan:
    loan = loans_for(user).filter(uuid=_uuid(loan_uuid)).first()
    if loan is None:
        raise Http404
    return loan


def open_loans_of(scope: Scope, q: str):
    """For the return form: open loans of the scanned ISBN (or title)."""
    if not (q or "").strip():
        return []
    code = isbns.normalise(q)
    rows = Loan.objects.filter(community_id__in=scope.community_ids, returned_at__isnull=True).select_related(
        "book", "resident"
    )
    return list(rows.filter(Q(book__isbn=code) | Q(book__title__contains=q.strip())).order_by("due_on", "id")[:20])


def holds_of(user):
    return (
        Hold.objects.filter(resident_id=getattr(user, "resident_id", None) or 0, status__in=LIVE_HOLDS)
        .select_related("book")
        .order_by("created_at", "id")
    )


def hold_get(user, hold_uuid) -> Hold:
    rows = Hold.objects.select_related("book").filter(uuid=_uuid(hold_uuid))
    if rules.can_work_desk(user):
        rows = rows.filter(community_id__in=_communities(user))
    else:
        rows = rows.filter(resident_id=getattr(user, "resident_id", None) or 0)
    hold = rows.first()
    if hold is None:
        raise Http404
    return hold


def my_book_state(user, books) -> dict:
    """For the catalogue page: which of these books the reader has on loan or on hold (two queries)."""
    resident_id = getattr(user, "resident_id", None) or 0
    ids = [b.pk for b in books]
    loans = set(
        Loan.objects.filter(resident_id=resident_id, book_id__in=ids, returned_at__isnull=True).values_list(
            "book_id", flat=True
        )
    )
    holds = set(
        Hold.objects.filter(resident_id=resident_id, book_id__in=ids, status__in=LIVE_HOLDS).values_list(
            "book_id", flat=True
        )
    )
    return {"loans": loans, "holds": holds}
