import pytest

from jumin.core.testing import WON, race
from jumin.library import services
from jumin.library.models import Book, Loan

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_loans_of_the_last_copy_at_once_give_one_loan(lib):
    readers = [lib.world.resident, lib.world.neighbour, lib.world.far_resident, lib.world.spouse]
    outcomes = race(
        readers,
        load=lambda r: Book.objects.get(pk=lib.last.pk),
        act=lambda r, book: services.loan_create(actor=lib.users.window_staff, book=book, resident=r),
    )
    assert outcomes.count(WON) == 1
    assert Loan.objects.filter(book=lib.last).count() == 1
    book = Book.objects.get(pk=lib.last.pk)
    assert (book.available, book.loan_count) == (0, 1)


def test_the_same_return_pressed_twice_puts_one_copy_back(lib):
    loan = services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident)
    outcomes = race(
        [1, 2],
        load=lambda _: Loan.objects.select_related("book", "resident").get(pk=loan.pk),
        act=lambda _, fresh: services.loan_return(actor=lib.users.window_staff, loan=fresh),
    )
    assert outcomes.count(WON) == 1
    assert Book.objects.get(pk=lib.two.pk).available == 2
