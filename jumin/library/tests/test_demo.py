import datetime
import random
from zoneinfo import ZoneInfo

from jumin.library.demo import demo_library
from jumin.library.models import Book, Hold, Loan
from jumin.people.tests.factories import ResidentFactory

NOW = datetime.datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_puts_800_titles_with_loans_and_holds_on_the_shelves(world):
    for _ in range(30):
        ResidentFactory(household=world.home)
    line = demo_library(world.a, random.Random(7), NOW)
    assert "800 种图书" in line, line
    assert Book.objects.filter(community=world.a).count() == 800
    assert Loan.objects.filter(returned_at__isnull=True).exists()
    assert Loan.objects.filter(returned_at__isnull=False).count() > 100
    assert Hold.objects.exists()
    for book in Book.objects.all():
        open_loans = book.loans.filter(returned_at__isnull=True).count()
        assert book.available + book.reserved + open_loans == book.copies
