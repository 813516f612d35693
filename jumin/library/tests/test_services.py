import datetime

import pytest
from django.utils import timezone

from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.library import services
from jumin.library.isbn import clean, is_valid
from jumin.library.models import Book, Hold, HoldStatus, Loan


def fresh(book):
    return Book.objects.get(pk=book.pk)


def test_isbn_is_normalised_and_check_digits_verified():
    assert clean("978-7-5442-9116-3") == "9787544291163" and is_valid("7544291162")
    assert clean("") == ""
    for bad in ("9787544291166", "12345", "abc", "=SUM(A1)"):
        with pytest.raises(DomainError):
            clean(bad)


def test_adding_a_known_isbn_adds_copies_instead_of_a_second_title(lib):
    book = services.book_add(
        actor=lib.users.window_staff, community=lib.world.a, title="x", isbn=lib.two.isbn, copies=3
    )
    assert book.pk == lib.two.pk and (book.copies, book.available) == (5, 5)
    assert Book.objects.filter(community=lib.world.a).count() == 2


def test_book_add_refuses_bad_input_and_outsiders(lib):
    for kwargs in ({"title": ""}, {"title": "x" * 201}, {"title": "x", "copies": 0}, {"title": "x", "copies": 10**20}):
        with pytest.raises(DomainError):
            services.book_add(actor=lib.users.window_staff, community=lib.world.a, **kwargs)
    with pytest.raises(PermissionDenied):
        services.book_add(actor=lib.users.other_secretary, community=lib.world.a, title="x")
    with pytest.raises(PermissionDenied):
        services.book_add(actor=lib.users.mediator, community=lib.world.a, title="x")


def test_lending_takes_a_copy_and_returning_puts_it_back(lib):
    loan = services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident)
    assert loan.due_on == timezone.localdate() + datetime.timedelta(days=30)
    assert (fresh(lib.two).available, fresh(lib.two).loan_count) == (1, 1)
    with pytest.raises(Conflict, match="已经借了"):
        services.loan_create(actor=lib.users.window_staff, book=fresh(lib.two), resident=lib.world.resident)
    assert fresh(lib.two).available == 1
    services.loan_return(actor=lib.users.window_staff, loan=loan)
    assert fresh(lib.two).available == 2
    with pytest.raises(Conflict):
        services.loan_return(actor=lib.users.window_staff, loan=Loan.objects.get(pk=loan.pk))
    assert fresh(lib.two).available == 2


def test_no_copy_left_means_no_loan(lib):
    services.loan_create(actor=lib.users.window_staff, book=lib.last, resident=lib.world.resident)
    with pytest.raises(Conflict, match="全部借出"):
        services.loan_create(actor=lib.users.window_staff, book=fresh(lib.last), resident=lib.world.neighbour)
    assert Loan.objects.count() == 1 and fresh(lib.last).available == 0


def test_lending_to_another_communitys_reader_is_refused(lib):
    with pytest.raises(DomainError):
        services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.outsider_resident)
    with pytest.raises(PermissionDenied):
        services.loan_create(actor=lib.users.window_staff, book=lib.elsewhere, resident=lib.world.outsider_resident)


def test_a_hold_keeps_the_returned_copy_for_the_reader_and_tells_them(lib, django_capture_on_commit_callbacks):
    from jumin.cases.models import Notification

    loan = services.loan_create(actor=lib.users.window_staff, book=lib.last, resident=lib.world.neighbour)
    with pytest.raises(DomainError):
        services.hold_place(actor=lib.users.resident, book=lib.two)  # copies on the shelf: just borrow it
    hold = services.hold_place(actor=lib.users.resident, book=lib.last)
    with pytest.raises(Conflict):
        services.hold_place(actor=lib.users.resident, book=lib.last)
    with pytest.raises(DomainError, match="不能续借"):
        services.loan_renew(actor=lib.users.neighbour, loan=loan)
    with django_capture_on_commit_callbacks(execute=True):
        services.loan_return(actor=lib.users.window_staff, loan=loan)
    book = fresh(lib.last)
    assert (book.available, book.reserved) == (0, 1)
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.READY
    assert Notification.objects.filter(user=lib.users.resident, title__contains="到了").exists()
    # someone else cannot take the kept copy; the reader can
    with pytest.raises(Conflict):
        services.loan_create(actor=lib.users.window_staff, book=book, resident=lib.world.far_resident)
    services.loan_create(actor=lib.users.window_staff, book=book, resident=lib.world.resident)
    assert (fresh(lib.last).available, fresh(lib.last).reserved) == (0, 0)
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.FULFILLED


def test_cancelling_a_ready_hold_puts_the_copy_back_on_the_shelf(lib):
    loan = services.loan_create(actor=lib.users.window_staff, book=lib.last, resident=lib.world.neighbour)
    hold = services.hold_place(actor=lib.users.resident, book=lib.last)
    services.loan_return(actor=lib.users.window_staff, loan=loan)
    services.hold_cancel(actor=lib.users.resident, hold=Hold.objects.get(pk=hold.pk))
    assert (fresh(lib.last).available, fresh(lib.last).reserved) == (1, 0)


def test_renewal_twice_at_most_and_never_when_overdue(lib):
    loan = services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident)
    first_due = loan.due_on
    loan = services.loan_renew(actor=lib.users.resident, loan=loan)
    loan = services.loan_renew(actor=lib.users.resident, loan=loan)
    assert loan.due_on == first_due + datetime.timedelta(days=60) and loan.renewals == 2
    with pytest.raises(DomainError, match="最多续借"):
        services.loan_renew(actor=lib.users.resident, loan=loan)
    other = services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.neighbour)
    late = timezone.now() + datetime.timedelta(days=31)
    with pytest.raises(DomainError, match="已逾期"):
        services.loan_renew(actor=lib.users.neighbour, loan=other, now=late)
    with pytest.raises(PermissionDenied):
        services.loan_renew(actor=lib.users.resident, loan=other)


def test_overdue_readers_are_reminded_once_every_few_days(lib, django_capture_on_commit_callbacks):
    from jumin.cases.models import Notification

    lent = timezone.now() - datetime.timedelta(days=40)
    services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident, now=lent)
    services.loan_create(actor=lib.users.window_staff, book=lib.last, resident=lib.world.neighbour)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.loans_remind_overdue() == 1
        assert services.loans_remind_overdue() == 0
    assert Notification.objects.filter(user=lib.users.resident, title__contains="逾期").count() == 1
    later = timezone.now() + datetime.timedelta(days=3)
    assert services.loans_remind_overdue(now=later) == 1


def test_a_kept_copy_not_fetched_in_seven_days_goes_to_the_next_reader(lib, django_capture_on_commit_callbacks):
    from jumin.cases.models import Notification

    returned_at = timezone.now() - datetime.timedelta(days=10)
    loan = services.loan_create(actor=lib.users.window_staff, book=lib.last, resident=lib.world.far_resident)
    first = services.hold_place(actor=lib.users.resident, book=lib.last)
    second = services.hold_place(actor=lib.users.neighbour, book=lib.last)
    services.loan_return(actor=lib.users.window_staff, loan=loan, now=returned_at)
    six_days_on = returned_at + datetime.timedelta(days=6, hours=23)
    assert services.holds_expire(now=six_days_on) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.holds_expire(now=returned_at + datetime.timedelta(days=7, minutes=1)) == 1
        assert services.holds_expire(now=returned_at + datetime.timedelta(days=7, minutes=2)) == 0
    assert Hold.objects.get(pk=first.pk).status == HoldStatus.EXPIRED
    assert Hold.objects.get(pk=second.pk).status == HoldStatus.READY
    assert (fresh(lib.last).available, fresh(lib.last).reserved) == (0, 1)
    assert Notification.objects.filter(user=lib.users.resident, title__contains="预约已过期").count() == 1
    assert Notification.objects.filter(user=lib.users.neighbour, title__contains="到了").count() == 1
    # nobody else waiting: the next expiry puts the copy back on the shelf
    assert services.holds_expire(now=timezone.now() + datetime.timedelta(days=30)) == 1
    assert (fresh(lib.last).available, fresh(lib.last).reserved) == (1, 0)
