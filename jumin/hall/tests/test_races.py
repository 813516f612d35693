"""Many people at the same moment, real threads, each with its own connection (SQLite and PostgreSQL)."""

import datetime

import pytest

from jumin.core.models import Role
from jumin.core.testing import WON, race
from jumin.hall.models import Booking, DayCounter, Slot, Ticket, TicketStatus, Window
from jumin.hall.services import bookings as bs
from jumin.hall.services import tickets as ts
from jumin.people.tests.factories import ResidentFactory, UserFactory

from .conftest import TUESDAY_10AM

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hundred_tickets_at_once_get_a_hundred_consecutive_numbers(hall):
    from django.db import connection

    # One thread, one connection: PostgreSQL's default 100 connections are shared with the other test worker's
    # races, so there half as many take a number at once (still far past any real hall's morning).
    n = 100 if connection.vendor == "sqlite" else 50
    outcomes = race(
        range(n),
        load=lambda i: None,
        act=lambda i, _: ts.ticket_take(actor=hall.users.kiosk, item=hall.item, now=TUESDAY_10AM),
        timeout=120,
    )
    assert outcomes == [WON] * n
    seqs = sorted(Ticket.objects.filter(prefix="A").values_list("seq", flat=True))
    assert seqs == list(range(1, n + 1))
    assert DayCounter.objects.get(key="A").value == n


def test_clerks_calling_at_once_never_get_the_same_ticket(hall):
    windows = [hall.w1, *Window.objects.filter(community=hall.a, number__in=[2, 4, 5]).order_by("number")]
    hall.item.other_windows.set(windows[1:])
    for _ in range(3):
        ts.ticket_take(actor=hall.users.kiosk, item=hall.item, now=TUESDAY_10AM)
    clerks = []
    for window in windows:
        clerk = UserFactory(role=Role.WINDOW_STAFF, community=hall.a)
        window.staff.add(clerk)
        clerks.append((clerk, window))
    called = []

    def act(pair, window):
        ticket = ts.ticket_call_next(actor=pair[0], window=window, now=TUESDAY_10AM)
        if ticket:
            called.append(ticket.pk)

    outcomes = race(clerks, load=lambda pair: Window.objects.get(pk=pair[1].pk), act=act)
    assert outcomes.count(WON) == 4  # the fourth clerk finds nobody waiting (204), which is no error
    assert len(called) == 3 and len(set(called)) == 3
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 3
    assert Window.objects.filter(current_ticket__isnull=False).count() == 3


def test_two_clerks_at_one_window_put_only_one_ticket_there(hall):
    hall.w1.staff.add(hall.users.clerk2)
    for _ in range(2):
        ts.ticket_take(actor=hall.users.kiosk, item=hall.item, now=TUESDAY_10AM)
    outcomes = race(
        [hall.users.window_staff, hall.users.clerk2],
        load=lambda clerk: Window.objects.get(pk=hall.w1.pk),
        act=lambda clerk, window: ts.ticket_call_next(actor=clerk, window=window, now=TUESDAY_10AM),
    )
    assert outcomes.count(WON) == 1, outcomes
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 1
    assert Ticket.objects.filter(status=TicketStatus.WAITING).count() == 1


def test_slot_capacity_holds_when_many_book_at_once(hall):
    slot = Slot.objects.create(
        community=hall.a, window=hall.w1, date=datetime.date(2026, 11, 25), half="am", capacity=3
    )
    users = []
    for i in range(8):
        resident = ResidentFactory(household=hall.home, name=f"居民{i}", age=40)
        users.append(UserFactory(role=Role.RESIDENT, phone=resident.phone, resident=resident))
    outcomes = race(
        users,
        load=lambda user: Slot.objects.get(pk=slot.pk),
        act=lambda user, fresh: bs.booking_make(actor=user, item=hall.item, slot=fresh, now=TUESDAY_10AM),
    )
    assert outcomes.count(WON) == 3, outcomes
    assert set(outcomes) - {WON} == {"该时段已约满,请选择其他时段"}
    assert Slot.objects.get(pk=slot.pk).booked == 3
    assert Booking.objects.filter(slot=slot).count() == 3
