import pytest

from jumin.cases.models import Case
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.hall.models import Rating
from jumin.hall.services import ratings as rs
from jumin.hall.services import tickets as ts

from .conftest import TUESDAY_10AM

GOOD = {"attitude": 5, "quality": 5, "efficiency": 4, "integrity": 5}


def finished(hall, phone=None):
    ts.ticket_take(actor=hall.users.kiosk, item=hall.item, phone=phone, now=TUESDAY_10AM)
    ticket = ts.ticket_call_next(actor=hall.users.window_staff, window=hall.w1, now=TUESDAY_10AM)
    return ts.ticket_finish(actor=hall.users.window_staff, ticket=ticket, outcome="done", now=TUESDAY_10AM)


def test_the_holder_rates_once(hall):
    ticket = finished(hall, phone=hall.resident.phone)
    rating = rs.rating_submit(actor=hall.users.resident, ticket=ticket, values=GOOD)
    assert rating.average == 4.75 and rating.case is None
    ticket.refresh_from_db()
    with pytest.raises(Conflict):
        rs.rating_submit(actor=hall.users.resident, ticket=ticket, values=GOOD)
    assert Rating.objects.count() == 1


def test_others_cannot_rate_and_marks_must_be_one_to_five(hall):
    ticket = finished(hall, phone=hall.resident.phone)
    for actor in (hall.users.neighbour, hall.users.window_staff, hall.users.kiosk_b):
        with pytest.raises(PermissionDenied):
            rs.rating_submit(actor=actor, ticket=ticket, values=GOOD)
    for bad in (0, 6, "5x", True, None, 10**30):
        with pytest.raises(DomainError):
            rs.rating_submit(actor=hall.users.resident, ticket=ticket, values={**GOOD, "quality": bad})
    assert not Rating.objects.exists()


def test_a_poor_rating_needs_a_reason_and_becomes_a_case_for_the_secretary(hall):
    ticket = finished(hall, phone=hall.resident.phone)
    poor = {**GOOD, "attitude": 1}
    with pytest.raises(DomainError) as exc:
        rs.rating_submit(actor=hall.users.resident, ticket=ticket, values=poor)
    assert exc.value.field == "reason"
    rating = rs.rating_submit(actor=hall.users.resident, ticket=ticket, values=poor, reason="态度不好")
    case = Case.objects.get(pk=rating.case_id)
    assert case.kind == "hall_rating" and case.resident == hall.resident and "态度不好" in case.body


def test_the_tablet_rates_a_walk_in_and_a_poor_mark_still_reaches_the_secretary(hall):
    ticket = finished(hall)
    rating = rs.rating_submit(actor=hall.users.kiosk, ticket=ticket, values={**GOOD, "efficiency": 2}, reason="太慢")
    case = Case.objects.get(pk=rating.case_id)
    assert case.community == hall.a and case.raised_by == hall.users.secretary
