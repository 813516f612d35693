"""The hall's pages over HTTP, per role: kiosk, display, window screen, resident pages, office lists and exports."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from jumin.core.registry import registry
from jumin.hall import figures, inbox
from jumin.hall.models import Booking, Lane, Outcome, Rating, ServiceItem, Ticket, TicketStatus, Window
from jumin.hall.services import tickets as ts
from jumin.hall.tests.factories import TicketFactory

from .conftest import TUESDAY_10AM


@pytest.fixture(autouse=True)
def _tuesday_morning():
    with time_machine.travel(TUESDAY_10AM, tick=False):
        yield


def test_the_kiosk_lands_on_its_page_and_nowhere_else(login, hall):
    client = login(hall.users.kiosk)
    assert client.get(reverse("core:home")).url == reverse("hall:kiosk")
    assert client.get(reverse("hall:kiosk")).status_code == 200
    for name in ("hall:item-list", "hall:counter-index", "hall:record-list", "hall:take"):
        assert client.get(reverse(name)).status_code == 404
    for persona in ("resident", "window_staff", "secretary"):
        assert login(getattr(hall.users, persona)).get(reverse("hall:kiosk")).status_code == 404


def test_kiosk_takes_a_number_for_a_walk_in_and_shows_the_slip(login, hall):
    client = login(hall.users.kiosk)
    response = client.post(reverse("hall:kiosk-take", args=[hall.item.pk]), {"phone": "", "priority": "on"})
    ticket = Ticket.objects.get()
    assert response.url == reverse("hall:kiosk-ticket", args=[ticket.uuid])
    html = client.get(response.url).content.decode()
    assert "A001" in html and "前面还有 0 人" in html and ticket.lane == Lane.PRIORITY
    bad = client.post(reverse("hall:kiosk-take", args=[hall.item.pk]), {"phone": "=1+1"})
    assert bad.status_code == 200 and "手机号应为" in bad.content.decode()
    assert client.get(reverse("hall:kiosk-take", args=[hall.item_b.pk])).status_code == 404
    assert Ticket.objects.count() == 1


def test_display_board_shows_current_numbers_and_speaks_each_call(login, hall):
    ts.ticket_take(actor=hall.users.kiosk, item=hall.item, now=TUESDAY_10AM)
    ts.ticket_take(actor=hall.users.kiosk, item=hall.item3, now=TUESDAY_10AM)
    ts.ticket_call_next(actor=hall.users.window_staff, window=hall.w1, now=TUESDAY_10AM)
    client = login(hall.users.kiosk)
    page = client.get(reverse("hall:display")).content.decode()
    assert 'hx-get="/hall/display/board/"' in page and "<script>" not in page and "onclick" not in page
    board = client.get(reverse("hall:display-board")).content.decode()
    assert 'data-say="请 A001 号到 1 号窗口"' in board
    assert "共 1 人等候" in board
    assert login(hall.users.resident).get(reverse("hall:display")).status_code == 404


def test_display_board_costs_a_constant_number_of_queries(login, hall, django_assert_max_num_queries):
    for _ in range(25):
        ts.ticket_take(actor=hall.users.kiosk, item=hall.item, now=TUESDAY_10AM)
    client = login(hall.users.kiosk)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("hall:display-board")).status_code == 200


def test_window_screen_calls_transfers_and_finishes(login, hall):
    ts.ticket_take(actor=hall.users.kiosk, item=hall.item, phone=hall.resident.phone, now=TUESDAY_10AM)
    client = login(hall.users.window_staff)
    url = reverse("hall:counter-act", args=[hall.w1.pk])
    page = client.post(url, {"action": "call"}, follow=True).content.decode()
    assert "已叫号:请 A001 号到 1 号窗口" in page and hall.item.required_documents[0] in page
    ticket = Ticket.objects.get()
    page = client.post(
        url,
        {
            "action": "finish",
            "ticket": str(ticket.uuid),
            "outcome": "missing_documents",
            "missing_documents": [hall.item.required_documents[0]],
        },
        follow=True,
    ).content.decode()
    assert "A001 已办结:材料不全" in page and "补齐材料后在手机上预约" in page
    ticket.refresh_from_db()
    assert ticket.outcome == Outcome.MISSING_DOCUMENTS and ticket.missing_documents == [hall.item.required_documents[0]]


def test_window_screen_permissions(login, hall):
    url = reverse("hall:counter", args=[hall.w1.pk])
    assert login(hall.users.clerk2).get(url).status_code == 200  # may look at the queue …
    ts.ticket_take(actor=hall.users.kiosk, item=hall.item, now=TUESDAY_10AM)
    page = login(hall.users.clerk2).post(
        reverse("hall:counter-act", args=[hall.w1.pk]), {"action": "call"}, follow=True
    )
    assert "您不是该窗口的工作人员" in page.content.decode()  # … but not call there
    assert Ticket.objects.get().status == TicketStatus.WAITING
    for persona in ("resident", "other_secretary", "grid_worker"):
        assert login(getattr(hall.users, persona)).get(url).status_code == 404


def test_resident_follows_the_ticket_and_it_is_in_my_requests(login, hall):
    client = login(hall.users.resident)
    response = client.post(reverse("hall:take"), {"item": hall.item.pk})
    ticket = Ticket.objects.get()
    assert response.url == reverse("hall:my-ticket", args=[ticket.uuid])
    assert "前面还有 <strong>0</strong> 人" in client.get(response.url).content.decode()
    ts.ticket_call_next(actor=hall.users.window_staff, window=hall.w1, now=TUESDAY_10AM)
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "请到 <strong>1 号窗口</strong>" in partial
    entries = inbox.ticket_entries(hall.users.resident, 10)
    assert entries[0].status_label == "请到 1 号窗口" and entries[0].is_open
    assert any(s.code == "hall" for s in registry.inbox_sources)
    assert inbox.hall_count(hall.users.resident) == 1
    assert [e.number for e in inbox.hall_entries(hall.users.resident, 5)] == ["A001"]
    assert login(hall.users.neighbour).get(reverse("hall:ticket-rate", args=[ticket.uuid])).status_code == 404


def test_resident_rates_on_the_phone(login, hall):
    ts.ticket_take(actor=hall.users.resident, item=hall.item, now=TUESDAY_10AM)
    ticket = ts.ticket_call_next(actor=hall.users.window_staff, window=hall.w1, now=TUESDAY_10AM)
    ts.ticket_finish(actor=hall.users.window_staff, ticket=ticket, outcome="done", now=TUESDAY_10AM)
    client = login(hall.users.resident)
    url = reverse("hall:ticket-rate", args=[ticket.uuid])
    page = client.post(url, {"attitude": "5", "quality": "2", "efficiency": "5", "integrity": "5"})
    assert "请说说哪里不满意" in page.content.decode()
    assert client.post(url, {"attitude": "5", "quality": "5", "efficiency": "4", "integrity": "5"}).status_code == 302
    assert Rating.objects.get().quality == 5


def test_resident_books_from_the_phone(login, hall):
    from jumin.hall.models import Slot

    slot = Slot.objects.create(
        community=hall.a, window=hall.w1, date=datetime.date(2026, 11, 25), half="pm", capacity=2
    )
    client = login(hall.users.resident)
    assert "剩 2 个名额" in client.get(reverse("hall:book-item", args=[hall.item.pk])).content.decode()
    response = client.post(reverse("hall:book-item", args=[hall.item.pk]), {"slot": str(slot.pk)})
    booking = Booking.objects.get()
    assert response.url == reverse("hall:my-booking", args=[booking.uuid])
    page = client.post(reverse("hall:booking-cancel", args=[booking.uuid]), follow=True).content.decode()
    assert "已取消预约,名额已释放" in page
    assert login(hall.users.neighbour).get(reverse("hall:my-booking", args=[booking.uuid])).status_code == 404
    for junk in ("abc", "9" * 40, ""):
        assert client.post(reverse("hall:book-item", args=[hall.item.pk]), {"slot": junk}).status_code == 200


def _records(hall, n=25):
    for i in range(n):
        TicketFactory(
            item=hall.item,
            status=TicketStatus.DONE,
            outcome="done",
            called_window=hall.w1,
            staff=hall.users.window_staff,
            resident=hall.resident if i % 2 else None,
            called_at=TUESDAY_10AM + datetime.timedelta(minutes=i),
            finished_at=TUESDAY_10AM + datetime.timedelta(minutes=i + 4),
            day=TUESDAY_10AM.date(),
            taken_at=TUESDAY_10AM,
        )


def _bookings(hall, n=22):
    from jumin.hall.models import Slot

    for i in range(n):
        day = datetime.date(2026, 12, 1) + datetime.timedelta(days=i)
        slot = Slot.objects.create(community=hall.a, window=hall.w1, date=day, half="am", capacity=3, booked=1)
        Booking.objects.create(
            community=hall.a, resident=hall.resident, user=hall.users.resident, item=hall.item, slot=slot, date=day
        )


@pytest.mark.parametrize("name", ["hall:record-list", "hall:booking-list", "hall:figures", "hall:window-list"])
def test_office_lists_in_constant_queries(login, hall, name, django_assert_max_num_queries):
    _records(hall)
    _bookings(hall)
    client = login(hall.users.secretary)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert login(hall.users.other_secretary).get(reverse("hall:record-list")).content.decode().count("<tr>") <= 1


def test_record_and_figure_exports_follow_the_filters(login, hall):
    _records(hall)
    client = login(hall.users.secretary)
    book = load_workbook(io.BytesIO(client.get(reverse("hall:record-export"), {"outcome": "done"}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "号码" and len(rows) == 26 and rows[1][10] == 4.0
    empty = load_workbook(io.BytesIO(client.get(reverse("hall:record-export"), {"outcome": "referred"}).content))
    assert len(list(empty.active.iter_rows(values_only=True))) == 1
    fig = load_workbook(io.BytesIO(client.get(reverse("hall:figure-export"), {"group": "staff"}).content))
    frows = list(fig.active.iter_rows(values_only=True))
    assert frows[1][0] == hall.users.window_staff.name and frows[1][1] == 25 and frows[1][5] == 4.0


def test_figures_compute_wait_p90_service_and_no_shows(hall):
    from jumin.core.access import scope_for

    _records(hall, 10)
    TicketFactory(
        item=hall.item,
        status=TicketStatus.SKIPPED,
        called_window=hall.w1,
        called_at=TUESDAY_10AM,
        taken_at=TUESDAY_10AM,
        day=TUESDAY_10AM.date(),
    )
    [row] = figures.hall_figures(
        scope_for(hall.users.secretary), start=TUESDAY_10AM.date(), end=TUESDAY_10AM.date(), group="window"
    )
    assert row["tickets"] == 11 and row["done"] == 10
    assert row["p90_wait"] == 8.0 and row["avg_service"] == 4.0
    assert row["no_show_rate"] == pytest.approx(1 / 11)
    counts = {r.code: r for r in figures.figure_rows(scope_for(hall.users.secretary), TUESDAY_10AM)}
    assert counts["hall_ticket"].total == 11 and counts["hall_ticket"].resolved == 10


def test_staff_edit_an_items_eligibility_and_windows(login, hall):
    client = login(hall.users.secretary)
    url = reverse("hall:item-edit", args=[hall.item.pk])
    data = {
        "name": hall.item.name,
        "window": hall.w1.pk,
        "other_windows": [hall.w3.pk],
        "description": "",
        "documents": "身份证\n户口本",
        "time_limit_working_days": 5,
        "in_person_required": "",
        "min_age": 18,
        "max_age": "",
        "fee": "0",
        "bookable": "on",
        "daily_cap": 50,
        "active": "on",
    }
    assert client.post(url, data).status_code == 302
    item = ServiceItem.objects.get(pk=hall.item.pk)
    assert (
        item.min_age == 18
        and item.required_documents == ["身份证", "户口本"]
        and list(item.other_windows.all()) == [hall.w3]
    )
    bad = client.post(url, {**data, "min_age": 90, "max_age": 10, "documents": "a\na"})
    assert bad.status_code == 200 and "最高年龄不能小于最低年龄" in bad.content.decode()
    assert login(hall.users.grid_worker).get(url).status_code == 403
    assert login(hall.users.other_secretary).get(url).status_code == 404


def test_staff_assign_clerks_to_a_window(login, hall):
    client = login(hall.users.secretary)
    url = reverse("hall:window-edit", args=[hall.w3.pk])
    response = client.post(url, {"name": "社保窗口", "prefix": "C", "staff": [hall.users.clerk2.pk]})
    assert response.status_code == 302
    assert list(Window.objects.get(pk=hall.w3.pk).staff.all()) == [hall.users.clerk2]
    clash = client.post(url, {"name": "社保窗口", "prefix": "A"})
    assert "同字头" in clash.content.decode()


def test_tickets_and_bookings_show_in_my_requests(login, hall):
    ts.ticket_take(actor=hall.users.kiosk, item=hall.item, phone=hall.resident.phone, now=TUESDAY_10AM)
    html = login(hall.users.resident).get(reverse("cases:my-cases")).content.decode()
    assert "A001 低保申请" in html
    assert "A001 低保申请" not in login(hall.users.neighbour).get(reverse("cases:my-cases")).content.decode()


def test_figures_by_month_cover_at_most_a_year(login, hall):
    import datetime

    _records(hall, 3)
    october = TUESDAY_10AM - datetime.timedelta(days=35)
    TicketFactory(item=hall.item, status=TicketStatus.DONE, taken_at=october, day=october.date())
    client = login(hall.users.secretary)
    start, end = (TUESDAY_10AM - datetime.timedelta(days=800)).date(), TUESDAY_10AM.date()
    response = client.get(reverse("hall:figures"), {"group": "month", "start": start, "end": end})
    shown = response.context["filters"]
    assert (shown["end"] - shown["start"]).days == figures.MAX_DAYS - 1
    labels = [r["label"] for r in response.context["rows"]]
    assert labels == sorted({f"{october:%Y-%m}", f"{TUESDAY_10AM:%Y-%m}"})
    fig = load_workbook(io.BytesIO(client.get(reverse("hall:figure-export"), {"group": "month"}).content))
    assert fig.active["A1"].value == "月份"
