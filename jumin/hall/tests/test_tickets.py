"""Taking numbers and the calling order: per-prefix daily numbers, the local-midnight reset, the daily cap, the
绿色通道, eligibility, and the window's steps (call, recall, skip, transfer, finish, pause)."""

import datetime

import pytest
import time_machine

from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import AuditEvent
from jumin.hall.models import Lane, Outcome, ServiceItem, Ticket, TicketStatus, Window
from jumin.hall.services import tickets as ts
from jumin.people.tests.factories import ResidentFactory, TagFactory

from .conftest import SHANGHAI, TUESDAY_10AM


def take(hall, item=None, **kw):
    return ts.ticket_take(
        actor=kw.pop("actor", hall.users.kiosk), item=item or hall.item, now=kw.pop("now", TUESDAY_10AM), **kw
    )


def test_numbers_run_per_window_prefix_and_items_of_one_window_share_them(hall):
    a1, a2, c1, a3 = take(hall), take(hall, hall.item2), take(hall, hall.item3), take(hall)
    assert [a1.number, a2.number, c1.number, a3.number] == ["A001", "A002", "C001", "A003"]
    assert Ticket.objects.filter(prefix="A").count() == 3
    assert AuditEvent.objects.filter(action="hall.ticket.take").count() == 4


def test_numbers_restart_at_local_midnight_not_at_utc_midnight(hall):
    late = datetime.datetime(2026, 11, 24, 23, 59, tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False):
        assert take(hall, now=late).number == "A001"
        assert take(hall, now=late).number == "A002"
    # 00:01 in Shanghai is still 16:01 of the day before in UTC: a new hall day all the same.
    after = datetime.datetime(2026, 11, 25, 0, 1, tzinfo=SHANGHAI)
    with time_machine.travel(after, tick=False):
        first = take(hall, now=after)
    assert first.number == "A001"
    assert first.day == datetime.date(2026, 11, 25)
    assert Ticket.objects.filter(day=datetime.date(2026, 11, 24)).count() == 2


def test_the_daily_cap_of_an_item_stops_walk_ins(hall):
    ServiceItem.objects.filter(pk=hall.item.pk).update(daily_cap=2)
    hall.item.refresh_from_db()
    take(hall), take(hall)
    with pytest.raises(Conflict) as exc:
        take(hall)
    assert "今日号码已取完" in exc.value.message
    assert Ticket.objects.filter(item=hall.item).count() == 2
    # Another item of the same window still numbers on: no gap where the refused ticket would have been.
    assert take(hall, hall.item2).number == "A003"


def test_a_resident_phone_ticket_only_in_opening_hours(hall):
    evening = datetime.datetime(2026, 11, 24, 19, 0, tzinfo=SHANGHAI)
    with pytest.raises(DomainError) as exc:
        take(hall, actor=hall.users.resident, now=evening)
    assert "开放时间" in exc.value.message
    saturday = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)
    with pytest.raises(DomainError):
        take(hall, actor=hall.users.resident, now=saturday)
    ticket = take(hall, actor=hall.users.resident)
    assert ticket.user == hall.users.resident and ticket.resident == hall.resident
    assert not Ticket.objects.filter(taken_at__in=[evening, saturday]).exists()


def test_a_resident_cannot_hold_two_live_tickets_for_one_item(hall):
    take(hall, actor=hall.users.resident)
    with pytest.raises(Conflict):
        take(hall, actor=hall.users.resident)
    assert Ticket.objects.filter(user=hall.users.resident).count() == 1


def test_eligibility_by_age_and_tag_is_enforced(hall):
    allowance = ServiceItem.objects.get(community=hall.a, name="高龄津贴申领")
    with pytest.raises(DomainError) as exc:
        take(hall, allowance, actor=hall.users.resident)  # 66 years old
    assert exc.value.message == "“高龄津贴申领”限 80 周岁及以上居民办理"
    disabled_only = ServiceItem.objects.get(community=hall.a, name="残疾人两项补贴申领")
    disabled_only.eligible_tags.set([TagFactory(code="disabled", name="残疾人")])
    with pytest.raises(DomainError):
        take(hall, disabled_only, actor=hall.users.kiosk, phone=hall.resident.phone)
    assert not Ticket.objects.filter(item__in=[allowance, disabled_only]).exists()
    old = ResidentFactory(household=hall.home, name="老寿星", age=85, phone="13700000085")
    assert take(hall, allowance, phone=old.phone).resident == old


def test_priority_lane_from_the_register_or_declared_at_the_kiosk(hall):
    old = ResidentFactory(household=hall.home, name="钱奶奶", age=75, phone="13700000075")
    assert take(hall, phone=old.phone).lane == Lane.PRIORITY
    assert take(hall, priority=True).lane == Lane.PRIORITY  # a pregnant walk-in says so at the kiosk
    assert take(hall).lane == Lane.WALK_IN
    # On their own phone a 66-year-old cannot claim it.
    with pytest.raises(DomainError):
        take(hall, actor=hall.users.resident, priority=True)


def test_only_the_kiosk_and_the_halls_staff_take_for_walk_ins(hall):
    for actor in (hall.users.grid_worker, hall.users.kiosk_b, hall.users.mediator):
        with pytest.raises(PermissionDenied):
            take(hall, actor=actor)
    assert not Ticket.objects.exists()


def call(hall, window=None, actor=None, now=None):
    return ts.ticket_call_next(
        actor=actor or hall.users.window_staff, window=window or hall.w1, now=now or TUESDAY_10AM
    )


def test_calling_order_is_bookings_then_priority_then_walk_ins_by_number(hall):
    walk1 = take(hall)
    walk2 = take(hall)
    prio = take(hall, priority=True)
    booked = take(hall)
    Ticket.objects.filter(pk=booked.pk).update(lane=Lane.BOOKED)  # booking check-in is tested in test_bookings
    order = []
    for _ in range(4):
        ticket = call(hall)
        order.append(ticket.number)
        ts.ticket_finish(actor=hall.users.window_staff, ticket=ticket, outcome=Outcome.DONE, now=TUESDAY_10AM)
    assert order == [booked.number, prio.number, walk1.number, walk2.number]
    assert call(hall) is None


def test_call_next_needs_the_window_free_and_a_clerk_assigned_to_it(hall):
    take(hall), take(hall)
    with pytest.raises(PermissionDenied):
        call(hall, actor=hall.users.clerk2)
    first = call(hall)
    with pytest.raises(Conflict):
        call(hall)
    w1 = Window.objects.get(pk=hall.w1.pk)
    assert w1.current_ticket_id == first.pk
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 1


def test_skip_then_recall_within_thirty_minutes_only(hall):
    ticket = take(hall)
    call(hall)
    ts.ticket_skip(
        actor=hall.users.window_staff, window=hall.w1, ticket=Ticket.objects.get(pk=ticket.pk), now=TUESDAY_10AM
    )
    assert Window.objects.get(pk=hall.w1.pk).current_ticket_id is None
    late = TUESDAY_10AM + datetime.timedelta(minutes=31)
    with pytest.raises(Conflict):
        ts.ticket_recall_skipped(
            actor=hall.users.window_staff, window=hall.w1, ticket=Ticket.objects.get(pk=ticket.pk), now=late
        )
    back = ts.ticket_recall_skipped(
        actor=hall.users.window_staff,
        window=hall.w1,
        ticket=Ticket.objects.get(pk=ticket.pk),
        now=TUESDAY_10AM + datetime.timedelta(minutes=20),
    )
    assert back.status == TicketStatus.CALLED and back.call_count == 2


def test_recall_announces_the_current_number_again(hall):
    take(hall)
    ticket = call(hall)
    later = TUESDAY_10AM + datetime.timedelta(minutes=1)
    again = ts.ticket_recall(actor=hall.users.window_staff, window=hall.w1, ticket=ticket, now=later)
    assert again.call_count == 2 and again.announced_at == later


def test_transfer_keeps_the_place_at_the_other_window(hall):
    first = take(hall)
    c1 = take(hall, hall.item3, now=TUESDAY_10AM + datetime.timedelta(minutes=5))
    call(hall)
    moved = ts.ticket_transfer(
        actor=hall.users.window_staff,
        window=hall.w1,
        ticket=Ticket.objects.get(pk=first.pk),
        to=hall.w3,
        now=TUESDAY_10AM,
    )
    assert moved.status == TicketStatus.WAITING and moved.window == hall.w3 and moved.number == "A001"
    # Taken before C001, it is called first at window 3.
    assert call(hall, window=hall.w3, actor=hall.users.secretary).pk == first.pk
    assert Ticket.objects.get(pk=c1.pk).status == TicketStatus.WAITING


def test_finish_for_missing_documents_records_which(hall):
    take(hall, phone=hall.resident.phone)
    ticket = call(hall)
    doc = hall.item.required_documents[0]
    with pytest.raises(DomainError):
        ts.ticket_finish(
            actor=hall.users.window_staff, ticket=ticket, outcome=Outcome.MISSING_DOCUMENTS, now=TUESDAY_10AM
        )
    with pytest.raises(DomainError):
        ts.ticket_finish(
            actor=hall.users.window_staff, ticket=ticket, outcome="done", missing_documents=["不存在的材料"]
        )
    done = ts.ticket_finish(
        actor=hall.users.window_staff,
        ticket=ticket,
        outcome=Outcome.MISSING_DOCUMENTS,
        missing_documents=[doc],
        now=TUESDAY_10AM + datetime.timedelta(minutes=8),
    )
    assert done.status == TicketStatus.DONE and done.missing_documents == [doc]
    assert done.service_seconds == 8 * 60
    assert Window.objects.get(pk=hall.w1.pk).current_ticket_id is None


def test_pause_only_with_nobody_at_the_window_and_no_calls_while_paused(hall):
    take(hall)
    call(hall)
    with pytest.raises(Conflict):
        ts.window_set_paused(actor=hall.users.window_staff, window=hall.w1, paused=True)
    ts.ticket_finish(actor=hall.users.window_staff, ticket=Ticket.objects.get(), outcome="done")
    take(hall)
    ts.window_set_paused(actor=hall.users.window_staff, window=Window.objects.get(pk=hall.w1.pk), paused=True)
    with pytest.raises(DomainError):
        call(hall, window=Window.objects.get(pk=hall.w1.pk))
    ts.window_set_paused(actor=hall.users.window_staff, window=Window.objects.get(pk=hall.w1.pk), paused=False)
    assert call(hall, window=Window.objects.get(pk=hall.w1.pk)) is not None


def test_position_and_estimated_wait(hall):
    from jumin.hall import selectors

    tickets = [take(hall) for _ in range(3)]
    status = selectors.ticket_status(Ticket.objects.get(pk=tickets[2].pk), now=TUESDAY_10AM)
    assert status["position"] == 3
    assert status["estimated_wait_minutes"] == 13  # 2.5 people ahead × 5 minutes with no history yet
