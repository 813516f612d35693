"""Booking: slots staff open per week, one booking per resident, item and day, cancellation, check-in, reminders."""

import datetime

import pytest

from jumin.cases.models import Notification
from jumin.cases.notify import LocmemSmsBackend
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.hall.models import Booking, BookingStatus, Lane, Slot, TicketStatus
from jumin.hall.services import bookings as bs
from jumin.hall.services import tickets as ts

from .conftest import MONDAY, SHANGHAI, TUESDAY_10AM

WEDNESDAY = datetime.date(2026, 11, 25)


@pytest.fixture
def week(hall):
    capacities = {(hall.w1.pk, "am"): 2, (hall.w1.pk, "pm"): 1}
    bs.slots_set_week(
        actor=hall.users.secretary, community=hall.a, monday=MONDAY, capacities=capacities, closed_days=[MONDAY]
    )
    hall.slot = Slot.objects.get(window=hall.w1, date=WEDNESDAY, half="am")
    return hall


def book(hall, user=None, slot=None, item=None, now=TUESDAY_10AM):
    return bs.booking_make(actor=user or hall.users.resident, item=item or hall.item, slot=slot or hall.slot, now=now)


def test_staff_open_a_week_of_half_day_slots_with_a_day_off(week):
    slots = Slot.objects.filter(window=week.w1)
    assert slots.count() == 10
    assert set(slots.filter(date=MONDAY).values_list("capacity", flat=True)) == {0}
    assert slots.get(date=WEDNESDAY, half="pm").capacity == 1


def test_only_the_halls_staff_set_slots_and_never_below_the_bookings(week):
    with pytest.raises(PermissionDenied):
        bs.slots_set_week(actor=week.users.grid_worker, community=week.a, monday=MONDAY, capacities={})
    book(week)
    with pytest.raises(Conflict):
        bs.slots_set_week(
            actor=week.users.secretary, community=week.a, monday=MONDAY, capacities={(week.w1.pk, "am"): 0}
        )
    assert Slot.objects.get(pk=week.slot.pk).capacity == 2


def test_one_booking_per_resident_item_and_day(week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(week)
    assert booking.status == BookingStatus.BOOKED and Slot.objects.get(pk=week.slot.pk).booked == 1
    pm = Slot.objects.get(window=week.w1, date=WEDNESDAY, half="pm")
    with pytest.raises(Conflict) as exc:
        book(week, slot=pm)
    assert "已预约" in exc.value.message
    assert Slot.objects.get(pk=pm.pk).booked == 0
    assert Notification.objects.filter(user=week.users.resident, title__startswith="预约成功").count() == 1


def test_a_full_slot_refuses_and_cancelling_frees_the_place(week):
    book(week)
    book(week, user=week.users.neighbour)
    with pytest.raises(Conflict):
        book(week, item=week.item2)
    first = Booking.objects.get(user=week.users.resident)
    bs.booking_cancel(actor=week.users.resident, booking=first, now=TUESDAY_10AM)
    assert Slot.objects.get(pk=week.slot.pk).booked == 1
    assert Booking.objects.get(pk=first.pk).status == BookingStatus.CANCELLED
    # The freed place and the freed day can be booked again.
    assert book(week).status == BookingStatus.BOOKED


def test_ineligible_or_unbookable_items_are_refused(week):
    from jumin.hall.models import ServiceItem

    allowance = ServiceItem.objects.get(community=week.a, name="高龄津贴申领")
    with pytest.raises(DomainError):
        book(week, item=allowance)
    ServiceItem.objects.filter(pk=week.item.pk).update(bookable=False)
    week.item.refresh_from_db()
    with pytest.raises(DomainError):
        book(week)
    assert not Booking.objects.exists()


def test_check_in_on_the_day_puts_the_booking_ahead_of_walk_ins(week):
    booking = book(week)
    on_the_day = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(Conflict):
        bs.booking_check_in(actor=week.users.kiosk, booking=booking, now=TUESDAY_10AM)
    walk_in = ts.ticket_take(actor=week.users.kiosk, item=week.item, now=on_the_day)
    tickets = bs.bookings_check_in_by_phone(
        actor=week.users.kiosk, community_id=week.a.pk, phone=week.resident.phone, now=on_the_day
    )
    assert len(tickets) == 1 and tickets[0].lane == Lane.BOOKED and tickets[0].user == week.users.resident
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN
    called = ts.ticket_call_next(actor=week.users.window_staff, window=week.w1, now=on_the_day)
    assert called.pk == tickets[0].pk and walk_in.status == TicketStatus.WAITING
    ts.ticket_finish(actor=week.users.window_staff, ticket=called, outcome="done", now=on_the_day)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.SERVED


def test_check_in_after_the_half_day_is_refused(week):
    booking = book(week)
    afternoon = datetime.datetime(2026, 11, 25, 14, 0, tzinfo=SHANGHAI)
    with pytest.raises(Conflict) as exc:
        bs.booking_check_in(actor=week.users.kiosk, booking=booking, now=afternoon)
    assert "预约时段已过" in exc.value.message


def test_reminders_go_the_day_before_once(week, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "jumin.cases.notify.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    book(week)
    evening_before = datetime.datetime(2026, 11, 24, 18, 0, tzinfo=SHANGHAI)
    with django_capture_on_commit_callbacks(execute=True):
        assert bs.bookings_send_reminders(now=evening_before) == 1
        assert bs.bookings_send_reminders(now=evening_before) == 0
    assert Notification.objects.filter(user=week.users.resident, title__contains="明天上午").count() == 1
    assert [phone for phone, _ in LocmemSmsBackend.outbox] == [week.users.resident.phone]


def test_the_reminder_command_reports_what_it_sent(week):
    from io import StringIO

    import time_machine
    from django.core.management import call_command

    book(week)
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 24, 18, 0, tzinfo=SHANGHAI), tick=False):
        call_command("hall_remind_bookings", stdout=out)
    assert out.getvalue().strip() == "已发送 1 条预约提醒"
    assert Booking.objects.get().reminded_at is not None


def test_bookings_whose_half_day_ended_without_a_check_in_are_marked_missed(week):
    morning = book(week)
    afternoon = book(week, user=week.users.neighbour, slot=Slot.objects.get(window=week.w1, date=WEDNESDAY, half="pm"))
    wednesday = datetime.datetime.combine(WEDNESDAY, datetime.time(11, 59), tzinfo=SHANGHAI)
    assert bs.bookings_mark_missed(now=wednesday) == 0
    assert bs.bookings_mark_missed(now=wednesday.replace(hour=12, minute=0)) == 1
    assert bs.bookings_mark_missed(now=wednesday.replace(hour=12, minute=5)) == 0
    assert Booking.objects.get(pk=morning.pk).status == BookingStatus.MISSED
    assert Booking.objects.get(pk=afternoon.pk).status == BookingStatus.BOOKED
    assert bs.bookings_mark_missed(now=wednesday + datetime.timedelta(days=1)) == 1
    assert Booking.objects.get(pk=afternoon.pk).status == BookingStatus.MISSED


def test_the_kiosk_checks_a_booking_in_from_the_qr_on_the_residents_phone(week, client):
    import time_machine

    booking = book(week)
    client.force_login(week.users.resident)
    page = client.get(f"/me/hall/bookings/{booking.uuid}/").content.decode()
    assert f"/me/hall/bookings/{booking.uuid}/qr.svg" in page
    qr = client.get(f"/me/hall/bookings/{booking.uuid}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and qr["Cache-Control"] == "private, no-store"
    code = bs.booking_check_in_code(booking)
    assert week.resident.phone not in code and week.resident.name not in code
    client.force_login(week.users.neighbour)
    assert client.get(f"/me/hall/bookings/{booking.uuid}/qr.svg").status_code == 404

    client.force_login(week.users.kiosk)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI), tick=False):
        for forged in (code[:-2] + "xx", "JM1:" + booking.uuid.hex, "=cmd|' /C calc'!A0", "x" * 500, "\x00"):
            response = client.post("/hall/kiosk/check-in/", {"code": forged})
            assert response.status_code == 200
            assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
        assert "不是本系统的预约签到码" in client.post("/hall/kiosk/check-in/", {"code": "JM1:abc"}).content.decode()
        response = client.post("/hall/kiosk/check-in/", {"code": code})
        assert response.status_code == 302 and "/hall/kiosk/tickets/" in response["Location"]
        assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN
        again = client.post("/hall/kiosk/check-in/", {"code": code}).content.decode()
        assert "已签到" in again
    # another community's kiosk does not know the booking
    client.force_login(week.users.kiosk_b)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert "没有找到这个预约" in client.post("/hall/kiosk/check-in/", {"code": code}).content.decode()


def test_the_kiosk_check_in_page_wires_the_camera_reader_to_the_code_form(week, client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    client.force_login(week.users.kiosk)
    page = client.get("/hall/kiosk/check-in/").content.decode()
    # The reader is a static script (the CSP forbids inline ones); the vendored decoder is named, not loaded.
    assert '<script src="/static/js/kiosk-scan.js" defer></script>' in page and "<script>" not in page
    assert 'data-jsqr-src="/static/vendor/jsqr/jsQR.js"' in page and '<script src="/static/vendor/jsqr/' not in page
    assert f'data-code-prefix="{bs.CHECK_IN_PREFIX}"' in page and 'data-form="check-in-code-form"' in page
    assert 'id="check-in-code-form"' in page and 'name="code"' in page
    assert "data-camera-scan" in page and "data-autostart" in page
    # Hidden until the script finds a camera API: without JS or a camera, the page is the typed fields only.
    assert 'aria-labelledby="camera-title" hidden>' in page
    script = Path(finders.find("js/kiosk-scan.js")).read_text()
    assert "BarcodeDetector" in script and "getUserMedia" in script and "requestSubmit" in script
    decoder = Path(finders.find("vendor/jsqr/jsQR.js"))
    assert decoder.stat().st_size > 100_000 and Path(finders.find("vendor/jsqr/LICENSE")).exists()
    # After a refused code the camera does not start by itself (the phone may still be held up to it).
    refused = client.post("/hall/kiosk/check-in/", {"code": "JM1:abc"}).content.decode()
    assert "不是本系统的预约签到码" in refused and "data-autostart" not in refused


def test_a_booking_qr_scanned_on_the_wrong_day_is_refused(week):
    booking = book(week)
    code = bs.booking_check_in_code(booking)
    with pytest.raises(Conflict, match="请在预约当天"):
        bs.booking_check_in_by_code(actor=week.users.kiosk, community_id=week.a.pk, code=code, now=TUESDAY_10AM)
