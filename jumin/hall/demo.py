"""玉龙湖's hall in the demo: a week of booking slots and bookings, a morning of tickets in every state, ratings.
Everything goes through the services with `now=`, so the demo obeys the same rules as the hall."""

import datetime

from django.utils import timezone

from jumin.core.errors import DomainError
from jumin.core.models import Role, User
from jumin.people.models import Resident

from . import rules
from .models import Half, Outcome, ServiceItem, Ticket, Window
from .services import bookings as booking_services
from .services import hall_ensure_catalogue
from .services import ratings as rating_services
from .services import tickets as ticket_services

WALK_INS = 40
LATE_WAITING = 8
SLOT_PLACES = 4
DEMO_WINDOWS = (1, 3, 7, 9, 11)


def demo_catalogue(community, rng, now) -> str:
    windows, items = hall_ensure_catalogue(community)
    return f"{community.name}:服务大厅新建 {windows} 个窗口、{items} 项服务事项"


def _morning(now) -> datetime.datetime:
    """8:30 of the last working day whose morning has begun (today after 9:00, else the day before)."""
    local = timezone.localtime(now)
    day = local.date() if local.time() >= datetime.time(9, 0) else local.date() - datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, rules.OPENS))


def demo_hall(community, rng, now) -> str:
    hall_ensure_catalogue(community)
    secretary = User.objects.filter(community=community, role=Role.SECRETARY, is_active=True).order_by("id").first()
    clerks = list(User.objects.filter(community=community, role=Role.WINDOW_STAFF, is_active=True).order_by("id"))
    kiosk = User.objects.filter(community=community, role=Role.KIOSK, is_active=True).order_by("id").first()
    if secretary is None or kiosk is None:
        return f"{community.name}:没有书记或取号机账号,跳过大厅演示数据"
    windows = {w.number: w for w in Window.objects.filter(community=community)}
    for number in DEMO_WINDOWS:
        if number in windows:
            windows[number].staff.add(*clerks)
    slots = _slots(community, secretary, now)
    bookings = _bookings(community, rng, now)
    tickets = _tickets(community, rng, now, kiosk, clerks or [secretary], windows)
    return f"{community.name}:开放 {slots} 个预约时段,{bookings} 个预约,{tickets} 个号码"


def _slots(community, secretary, now) -> int:
    monday = rules.local_day(now) - datetime.timedelta(days=rules.local_day(now).weekday())
    capacities = {(w.pk, half): SLOT_PLACES for w in Window.objects.filter(community=community) for half in Half.values}
    return sum(
        booking_services.slots_set_week(
            actor=secretary,
            community=community,
            monday=monday + datetime.timedelta(days=7 * week),
            capacities=capacities,
            now=now,
        )
        for week in (0, 1)
    )


def _bookings(community, rng, now) -> int:
    users = list(User.objects.filter(resident__community=community, role=Role.RESIDENT, is_active=True).order_by("id"))
    items = list(ServiceItem.objects.filter(community=community, active=True, bookable=True).select_related("window"))
    made = 0
    for user in users:
        for offset in range(1, 8):
            item = rng.choice(items)
            slot = (
                item.window.slots.filter(date=rules.local_day(now) + datetime.timedelta(days=offset), capacity__gt=0)
                .order_by("half")
                .first()
            )
            if slot is None:
                continue
            try:
                booking_services.booking_make(actor=user, item=item, slot=slot, now=now)
            except DomainError:
                continue  # not eligible for that item, or already booked that day
            made += 1
    return made


def _tickets(community, rng, now, kiosk, clerks, windows) -> int:
    """A morning of walk-ins at the demo windows; the earlier ones are served, the latest still wait."""
    start = _morning(now)
    end = min(timezone.localtime(now) - datetime.timedelta(minutes=5), start + datetime.timedelta(hours=3))
    items = list(
        ServiceItem.objects.filter(community=community, active=True, window__number__in=DEMO_WINDOWS).select_related(
            "window"
        )
    )
    people = list(Resident.objects.active().filter(community=community).exclude(phone="").order_by("id")[:400])
    if not items or end <= start:
        return 0
    span = (end - start).total_seconds()
    moments = sorted(start + datetime.timedelta(seconds=rng.uniform(0, span * 0.9)) for _ in range(WALK_INS))
    taken = []
    for moment in moments:
        resident = rng.choice(people) if people and rng.random() < 0.7 else None
        try:
            ticket = ticket_services.ticket_take(
                actor=kiosk,
                item=rng.choice(items),
                phone=resident.phone if resident else "",
                priority=rng.random() < 0.1,
                now=moment,
            )
        except DomainError:
            continue
        taken.append(ticket)
    _serve(taken, rng, end, kiosk, clerks, windows)
    # The last few minutes: people still waiting, and one of them at window 1 now (the display's current number).
    for minutes in range(LATE_WAITING, 0, -1):
        taken.append(
            ticket_services.ticket_take(
                actor=kiosk, item=rng.choice(items), now=end - datetime.timedelta(minutes=minutes)
            )
        )
    first = windows[DEMO_WINDOWS[0]]
    window = Window.objects.get(pk=first.pk)
    if window.current_ticket_id is None:
        ticket_services.ticket_call_next(actor=clerks[0], window=window, now=end)
    return len(taken)


def _serve(taken, rng, end, kiosk, clerks, windows) -> None:
    """Each demo window calls, skips, transfers and finishes in turn until the clock reaches `end`."""
    clock = {number: taken[0].taken_at + datetime.timedelta(minutes=3) for number in DEMO_WINDOWS if number in windows}
    clerk = {number: clerks[i % len(clerks)] for i, number in enumerate(clock)}
    for _ in range(len(taken) * 2):
        number = min(clock, key=clock.get)
        moment = clock[number]
        if moment >= end:
            break
        window = Window.objects.get(pk=windows[number].pk)
        ticket = ticket_services.ticket_call_next(actor=clerk[number], window=window, now=moment)
        if ticket is None:
            clock[number] = moment + datetime.timedelta(minutes=5)
            continue
        served = moment + datetime.timedelta(minutes=rng.uniform(3, 12))
        if served >= end:
            break  # leave this one at the window: the display shows it as the current number
        roll = rng.random()
        if roll < 0.08:
            ticket_services.ticket_skip(
                actor=clerk[number], window=window, ticket=ticket, now=moment + datetime.timedelta(minutes=2)
            )
            clock[number] = moment + datetime.timedelta(minutes=2)
            continue
        if roll < 0.12 and len(clock) > 1:
            other = windows[rng.choice([n for n in clock if n != number])]
            ticket_services.ticket_transfer(
                actor=clerk[number], window=window, ticket=ticket, to=other, now=moment + datetime.timedelta(minutes=1)
            )
            clock[number] = moment + datetime.timedelta(minutes=1)
            continue
        outcome = Outcome.MISSING_DOCUMENTS if roll < 0.25 and ticket.item.required_documents else Outcome.DONE
        missing = [ticket.item.required_documents[-1]] if outcome == Outcome.MISSING_DOCUMENTS else []
        ticket_services.ticket_finish(
            actor=clerk[number], ticket=ticket, window=window, outcome=outcome, missing_documents=missing, now=served
        )
        clock[number] = served
        if rng.random() < 0.6:
            _rate(ticket, rng, kiosk, served)


def _rate(ticket, rng, kiosk, moment) -> None:
    ticket = Ticket.objects.select_related("item", "called_window", "resident", "community").get(pk=ticket.pk)
    poor = rng.random() < 0.08
    marks = {k: (rng.choice((1, 2)) if poor else rng.choice((4, 5, 5))) for k in rating_services.MARKS}
    reason = "等候时间太长,窗口工作人员态度生硬" if poor else ""
    rating_services.rating_submit(actor=kiosk, ticket=ticket, values=marks, reason=reason, now=moment)
