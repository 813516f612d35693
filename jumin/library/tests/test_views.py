"""The reading room over HTTP: the desk lends and takes back by ISBN, residents search and see their loans,
other communities get 404, lists in constant queries, API paths as the issue names them."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jumin.core.models import ApiToken
from jumin.library import services
from jumin.library.models import Book, Hold, Loan

from .factories import BookFactory


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def test_desk_lends_by_scanned_isbn_and_takes_it_back(lib, login):
    client = login(lib.users.window_staff)
    page = client.get("/office/library/desk/", {"book_q": lib.last.isbn, "reader_q": "张三丰"}).content.decode()
    assert "好家风读本" in page and "张三丰" in page and "借出</button>" in page
    response = client.post(
        "/office/library/desk/", {"book": str(lib.last.uuid), "reader": str(lib.world.resident.uuid)}, follow=True
    )
    assert "已借出《好家风读本》给 张三丰" in response.content.decode()
    loan = Loan.objects.get(book=lib.last)
    assert loan.lent_by == lib.users.window_staff and Book.objects.get(pk=lib.last.pk).available == 0
    page = client.get("/office/library/desk/", {"return_q": lib.last.isbn}).content.decode()
    assert "还书</button>" in page
    response = client.post(f"/office/library/loans/{loan.uuid}/return/", follow=True)
    assert "已还书" in response.content.decode()
    assert Loan.objects.get(pk=loan.pk).returned_to == lib.users.window_staff


def test_desk_of_another_community_cannot_lend_or_return_here(lib, login):
    loan = services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident)
    client = login(lib.users.other_secretary)
    response = client.post(
        "/office/library/desk/", {"book": str(lib.two.uuid), "reader": str(lib.world.neighbour.uuid)}
    )
    assert response.status_code == 404
    assert client.post(f"/office/library/loans/{loan.uuid}/return/").status_code == 404
    assert Loan.objects.get(pk=loan.pk).returned_at is None


def test_residents_cannot_reach_the_desk_and_street_leader_cannot_lend(lib, login):
    assert login(lib.users.resident).get("/office/library/desk/").status_code == 404
    assert login(lib.users.street_leader).get("/office/library/desk/").status_code == 403
    assert login(lib.users.mediator).get("/office/library/books/").status_code == 200


def test_resident_searches_the_catalogue_and_holds_a_book_that_is_out(lib, login):
    services.loan_create(actor=lib.users.window_staff, book=lib.last, resident=lib.world.neighbour)
    client = login(lib.users.resident)
    page = client.get("/me/library/", {"q": "读本"}).content.decode()
    assert "好家风读本" in page and "已全部借出" in page and "黄河小史" not in page
    response = client.post(f"/me/library/books/{lib.last.uuid}/hold/", follow=True)
    assert "已预约《好家风读本》" in response.content.decode()
    assert Hold.objects.filter(book=lib.last, resident=lib.world.resident).exists()
    assert client.post(f"/me/library/books/{lib.elsewhere.uuid}/hold/").status_code == 404


def test_resident_sees_their_loans_and_renews(lib, login):
    loan = services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident)
    client = login(lib.users.resident)
    assert "邻里守望" in client.get("/me/library/loans/").content.decode()
    response = client.post(f"/library/loans/{loan.uuid}/renew/", follow=True)
    assert "已续借《邻里守望》" in response.content.decode()
    assert Loan.objects.get(pk=loan.pk).renewals == 1
    assert login(lib.users.neighbour).post(f"/library/loans/{loan.uuid}/renew/").status_code == 404


def test_book_form_adds_a_title_and_refuses_a_wrong_isbn(lib, login):
    client = login(lib.users.window_staff)
    response = client.post("/office/library/books/new/", {"title": "家书", "isbn": "9787544291160", "copies": 1})
    assert response.status_code == 200 and "ISBN 不正确" in response.content.decode()
    client.post("/office/library/books/new/", {"title": "家书", "isbn": "978-7-5442-9116-3", "copies": 2})
    assert Book.objects.get(isbn="9787544291163").copies == 2


@pytest.mark.parametrize("rows", [20, 45])
def test_lists_run_in_constant_queries(lib, login, django_assert_max_num_queries, rows):
    for _ in range(rows):
        book = BookFactory(community=lib.world.a, copies=2)
        services.loan_create(actor=lib.users.window_staff, book=book, resident=lib.world.resident)
    staff = login(lib.users.window_staff)
    for url in ("/office/library/books/", "/office/library/loans/", "/office/library/loans/export.xlsx"):
        with django_assert_max_num_queries(12):
            assert staff.get(url).status_code == 200
    resident = login(lib.users.resident)
    for url in ("/me/library/", "/me/library/loans/"):
        with django_assert_max_num_queries(12):
            assert resident.get(url).status_code == 200


def test_loan_export_follows_the_filter(lib, login):
    lent = timezone.now() - datetime.timedelta(days=40)
    services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident, now=lent)
    services.loan_create(actor=lib.users.window_staff, book=lib.last, resident=lib.world.neighbour)
    content = login(lib.users.window_staff).get("/office/library/loans/export.xlsx?state=overdue").content
    rows = list(load_workbook(BytesIO(content)).active.values)
    assert len(rows) == 2 and rows[1][0] == "邻里守望" and rows[1][2] == "张三丰"


def test_remind_button_sends_overdue_reminders(lib, login):
    lent = timezone.now() - datetime.timedelta(days=40)
    services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident, now=lent)
    response = login(lib.users.window_staff).post("/office/library/loans/remind/", follow=True)
    assert "已向 1 位逾期读者发送提醒" in response.content.decode()
    assert Loan.objects.get(book=lib.two).reminded_on == timezone.localdate()


def test_loans_show_in_the_residents_inbox_source(lib):
    from jumin.core.registry import registry

    services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident)
    source = next(s for s in registry.inbox_sources if s.code == "library_loans")
    entries = source.entries(lib.users.resident, 10)
    assert source.count(lib.users.resident) == 1 and entries[0].title == "《邻里守望》" and entries[0].is_open
    assert source.count(lib.users.neighbour) == 0


def test_api_books_search_and_loans_mine_or_the_desks(lib, client):
    body = client.get("/api/v1/library/books", {"q": "读本"}, **bearer(lib.users.resident)).json()
    assert body["count"] == 1 and body["items"][0]["title"] == "好家风读本"
    by_isbn = client.get("/api/v1/library/books", {"q": lib.two.isbn}, **bearer(lib.users.resident)).json()
    assert [b["title"] for b in by_isbn["items"]] == ["邻里守望"]
    services.loan_create(actor=lib.users.window_staff, book=lib.two, resident=lib.world.resident)
    services.loan_create(actor=lib.users.window_staff, book=lib.last, resident=lib.world.neighbour)
    mine = client.get("/api/v1/library/loans", **bearer(lib.users.resident)).json()
    assert [loan["title"] for loan in mine["items"]] == ["邻里守望"]
    desk = client.get("/api/v1/library/loans", {"state": "open"}, **bearer(lib.users.window_staff)).json()
    assert desk["count"] == 2
    assert client.get("/api/v1/library/loans", **bearer(lib.users.other_secretary)).json()["count"] == 0
    for bad in ({"q": "x" * 20000}, {"page": 2**70}, {"state": "bogus"}):
        assert client.get("/api/v1/library/loans", bad, **bearer(lib.users.resident)).status_code == 422
