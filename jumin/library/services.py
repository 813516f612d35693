"""Writes for 好家风阅览室: the catalogue, loans and returns at the desk, renewals, holds and overdue reminders.
Copies move by conditional updates (available ≥ 1, reserved ≥ 1), so the last copy goes to exactly one reader."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from jumin.cases.notify import notify
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.people.models import ResidentStatus

from . import isbn as isbns
from . import rules
from .models import LIVE_HOLDS, Book, Hold, HoldStatus, Loan

MAX_COPIES = 500
REMIND_EVERY_DAYS = 3


def _text(value, *, limit, field, label, required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > limit:
        raise DomainError(f"{label}不能超过 {limit} 个字", field=field)
    return value


def _require_desk(actor, community_id) -> None:
    if not rules.at_desk_of(actor, community_id):
        raise PermissionDenied("您没有权限办理本社区阅览室的借还")


def _user_of(resident):
    return getattr(resident, "user", None)


def book_add(
    *, actor, community, title: str, author: str = "", isbn: str = "", copies: int = 1, shelf: str = "", donated_by=""
) -> Book:
    """Put a title on the shelves; an ISBN already in the catalogue gains copies instead of a second row."""
    _require_desk(actor, community.pk)
    title = _text(title, limit=200, field="title", label="书名", required=True)
    author = _text(author, limit=100, field="author", label="作者")
    shelf = _text(shelf, limit=50, field="shelf", label="书架位置")
    donated_by = _text(donated_by, limit=100, field="donated_by", label="捐赠人")
    code = isbns.clean(isbn)
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise DomainError(f"册数应为 1–{MAX_COPIES} 的整数", field="copies")
    with transaction.atomic():
        if code and Book.objects.filter(community=community, isbn=code).update(
            copies=F("copies") + copies, available=F("available") + copies
        ):
            book = Book.objects.get(community=community, isbn=code)
            summary = f"《{book.title}》增加 {copies} 册(共 {book.copies} 册)"
        else:
            try:
                with transaction.atomic():
                    book = Book.objects.create(
                        community=community,
                        title=title,
                        author=author,
                        isbn=code,
                        copies=copies,
                        available=copies,
                        shelf=shelf,
                        donated_by=donated_by,
                    )
            except IntegrityError as exc:
                raise Conflict("这本书刚被别人登记,请刷新后再试", field="isbn") from exc
            summary = f"新书上架《{title}》{copies} 册"
        audit_record(actor=actor, action="book.add", target=book, summary=summary)
    return book


def _due(now) -> datetime.date:
    return rules.today(now) + datetime.timedelta(days=rules.LOAN_DAYS)


def loan_create(*, actor, book: Book, resident, now=None) -> Loan:
    """Lend a copy at the desk. A reader whose hold is ready takes the copy kept for them; anyone else takes one
    from the shelf. Either way one conditional update decides, so the last copy goes to one reader."""
    now = now or timezone.now()
    _require_desk(actor, book.community_id)
    if resident.community_id != book.community_id or resident.status != ResidentStatus.ACTIVE:
        raise DomainError("只能借给本社区在册的居民", field="resident")
    with transaction.atomic():
        hold = Hold.objects.filter(book=book, resident=resident, status=HoldStatus.READY).first()
        if hold is not None and Hold.objects.filter(pk=hold.pk, status=HoldStatus.READY).update(
            status=HoldStatus.FULFILLED, updated_at=now
        ):
            took = Book.objects.filter(pk=book.pk, reserved__gte=1).update(
                reserved=F("reserved") - 1, loan_count=F("loan_count") + 1
            )
        else:
            took = Book.objects.filter(pk=book.pk, available__gte=1).update(
                available=F("available") - 1, loan_count=F("loan_count") + 1
            )
            Hold.objects.filter(book=book, resident=resident, status=HoldStatus.WAITING).update(
                status=HoldStatus.FULFILLED, updated_at=now
            )
        if not took:
            raise Conflict("这本书已经全部借出,可以为读者登记预约")
        try:
            with transaction.atomic():
                loan = Loan.objects.create(
                    community_id=book.community_id,
                    book=book,
                    resident=resident,
                    lent_at=now,
                    lent_by=actor,
                    due_on=_due(now),
                )
        except IntegrityError as exc:
            raise Conflict("这位读者已经借了这本书,还没有归还") from exc
        audit_record(
            actor=actor,
            action="loan.create",
            target=loan,
            summary=f"《{book.title}》借给 {resident.name},应还 {loan.due_on:%Y-%m-%d}",
        )
    return loan


def loan_return(*, actor, loan: Loan, now=None) -> Loan:
    """Take a copy back. If someone is waiting for the title, the copy goes to the hold shelf for the first of
    them (and they are told); otherwise it goes back on the shelf."""
    now = now or timezone.now()
    _require_desk(actor, loan.community_id)
    with transaction.atomic():
        if not Loan.objects.filter(pk=loan.pk, returned_at__isnull=True).update(
            returned_at=now, returned_to=actor, updated_at=now
        ):
            raise Conflict("这本书已经还过了")
        overdue = loan.due_on < rules.today(now)
        hold = _pass_to_next_hold(loan.book_id, now)
        if hold is None:
            Book.objects.filter(pk=loan.book_id).update(available=F("available") + 1)
        audit_record(
            actor=actor,
            action="loan.return",
            target=loan,
            summary=f"《{loan.book.title}》{loan.resident.name} 归还" + ("(逾期)" if overdue else ""),
        )
    loan.refresh_from_db()
    return loan


def _pass_to_next_hold(book_id, now) -> Hold | None:
    """Keep a returned copy for the first waiting reader: compare-and-set on the hold, then count it reserved."""
    for hold in Hold.objects.filter(book_id=book_id, status=HoldStatus.WAITING).select_related("book", "resident")[:5]:
        if Hold.objects.filter(pk=hold.pk, status=HoldStatus.WAITING).update(
            status=HoldStatus.READY, ready_at=now, updated_at=now
        ):
            Book.objects.filter(pk=book_id).update(reserved=F("reserved") + 1)
            notify(
                [_user_of(hold.resident)],
                title=f"您预约的《{hold.book.title}》到了",
                body=f"请在 {rules.HOLD_KEEP_DAYS} 天内到好家风阅览室借阅。",
            )
            return hold
    return None


def loan_renew(*, actor, loan: Loan, now=None) -> Loan:
    """The reader (on the phone) or the desk renews for another loan period, at most twice, not when overdue or
    when someone is waiting for the title."""
    now = now or timezone.now()
    waiting = Hold.objects.filter(book_id=loan.book_id, status=HoldStatus.WAITING).exists()
    if not rules.loan_can_renew(loan, actor, waiting=waiting, now=now):
        if loan.returned_at is not None:
            raise Conflict("这本书已经还过了")
        if waiting:
            raise DomainError("有读者在排队预约这本书,不能续借,请按时归还")
        if rules.loan_is_overdue(loan, now):
            raise DomainError("已逾期,不能续借,请尽快归还")
        if loan.renewals >= rules.MAX_RENEWALS:
            raise DomainError(f"最多续借 {rules.MAX_RENEWALS} 次")
        raise PermissionDenied("您不能续借这本书")
    new_due = loan.due_on + datetime.timedelta(days=rules.LOAN_DAYS)
    with transaction.atomic():
        if not Loan.objects.filter(pk=loan.pk, returned_at__isnull=True, renewals=loan.renewals).update(
            renewals=F("renewals") + 1, due_on=new_due, updated_at=now
        ):
            raise Conflict("借阅状态已变化,请刷新页面")
        audit_record(
            actor=actor,
            action="loan.renew",
            target=loan,
            summary=f"《{loan.book.title}》续借至 {new_due:%Y-%m-%d}",
            changes={"应还日期": [f"{loan.due_on:%Y-%m-%d}", f"{new_due:%Y-%m-%d}"]},
        )
    loan.refresh_from_db()
    return loan


def hold_place(*, actor, book: Book, resident=None, now=None) -> Hold:
    """A reader queues for a title whose copies are all out (on the phone, or at the desk: `resident=`)."""
    if resident is None:
        resident = actor.resident if getattr(actor, "resident_id", None) else None
    else:
        _require_desk(actor, book.community_id)
    if resident is None or resident.status != ResidentStatus.ACTIVE or resident.community_id != book.community_id:
        raise PermissionDenied("请先激活居民账号,再预约本社区阅览室的图书")
    book.refresh_from_db(fields=["available"])
    if book.available > 0:
        raise DomainError("这本书有在架的副本,请直接到阅览室借阅")
    if Loan.objects.filter(book=book, resident=resident, returned_at__isnull=True).exists():
        raise DomainError("您正借着这本书")
    with transaction.atomic():
        try:
            with transaction.atomic():
                hold = Hold.objects.create(community_id=book.community_id, book=book, resident=resident)
        except IntegrityError as exc:
            raise Conflict("您已经预约了这本书") from exc
        audit_record(actor=actor, action="hold.place", target=hold, summary=f"{resident.name} 预约《{book.title}》")
    return hold


def hold_cancel(*, actor, hold: Hold, now=None) -> Hold:
    """The reader (or the desk) cancels; a copy kept for them passes to the next in the queue or the shelf."""
    now = now or timezone.now()
    own = hold.resident_id == getattr(actor, "resident_id", None)
    if not own:
        _require_desk(actor, hold.community_id)
    with transaction.atomic():
        was_ready = hold.status == HoldStatus.READY
        if not Hold.objects.filter(pk=hold.pk, status=hold.status, status__in=LIVE_HOLDS).update(
            status=HoldStatus.CANCELLED, updated_at=now
        ):
            raise Conflict("该预约已取消或已借出")
        if was_ready:
            Book.objects.filter(pk=hold.book_id, reserved__gte=1).update(reserved=F("reserved") - 1)
            if _pass_to_next_hold(hold.book_id, now) is None:
                Book.objects.filter(pk=hold.book_id).update(available=F("available") + 1)
        audit_record(actor=actor, action="hold.cancel", target=hold, summary=f"取消预约《{hold.book.title}》")
    hold.refresh_from_db()
    return hold


def holds_expire(*, now=None) -> int:
    """Copies kept for a reader who did not come within HOLD_KEEP_DAYS pass to the next reader or the shelf, and
    the reader is told. Safe to run twice or at once: each hold moves by compare-and-set."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=rules.HOLD_KEEP_DAYS)
    expired = 0
    for hold in Hold.objects.filter(status=HoldStatus.READY, ready_at__lt=cutoff).select_related("book", "resident"):
        with transaction.atomic():
            if not Hold.objects.filter(pk=hold.pk, status=HoldStatus.READY).update(
                status=HoldStatus.EXPIRED, updated_at=now
            ):
                continue
            Book.objects.filter(pk=hold.book_id, reserved__gte=1).update(reserved=F("reserved") - 1)
            if _pass_to_next_hold(hold.book_id, now) is None:
                Book.objects.filter(pk=hold.book_id).update(available=F("available") + 1)
            audit_record(
                actor=None,
                action="hold.expire",
                target=hold,
                summary=f"《{hold.book.title}》为 {hold.resident.name} 保留 {rules.HOLD_KEEP_DAYS} 天未取,已释放",
            )
            notify(
                [_user_of(hold.resident)],
                title=f"《{hold.book.title}》的预约已过期",
                body=f"为您保留的书 {rules.HOLD_KEEP_DAYS} 天内没有来借,已让给下一位读者。需要的话可以重新预约。",
            )
            expired += 1
    return expired


def loans_remind_overdue(*, actor=None, community_id=None, now=None) -> int:
    """Tell every reader with an overdue book, at most once every few days (in 我的事项 and the inbox). Each loan is
    claimed by a compare-and-set on reminded_on, so two runs at once send one reminder."""
    now = now or timezone.now()
    today = rules.today(now)
    if actor is not None:
        _require_desk(actor, community_id)
    since = today - datetime.timedelta(days=REMIND_EVERY_DAYS)
    loans = Loan.objects.filter(returned_at__isnull=True, due_on__lt=today).select_related("book", "resident__user")
    if community_id is not None:
        loans = loans.filter(community_id=community_id)
    sent = 0
    for loan in loans.filter(Q(reminded_on__isnull=True) | Q(reminded_on__lte=since)).order_by("id"):
        with transaction.atomic():
            claimed = Loan.objects.filter(pk=loan.pk, reminded_on=loan.reminded_on, returned_at__isnull=True).update(
                reminded_on=today
            )
            if not claimed:
                continue
            days = (today - loan.due_on).days
            notify(
                [_user_of(loan.resident)],
                title=f"图书逾期提醒:《{loan.book.title}》",
                body=f"应还日期 {loan.due_on.year}年{loan.due_on.month}月{loan.due_on.day}日,已逾期 {days} 天,请尽快归还到好家风阅览室。",
            )
            sent += 1
    return sent
