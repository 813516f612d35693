"""The hall API: the paths issue #8 names, their status codes and bodies, and hostile input."""

import datetime

import pytest
import time_machine

from jumin.core.models import ApiToken
from jumin.hall.models import Booking, Rating, Slot, Ticket

from .conftest import TUESDAY_10AM


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture
def api(client, hall):
    def call(method, path, user, data=None):
        fn = getattr(client, method)
        if method == "get":
            return fn(f"/api/v1{path}", data or {}, **bearer(user))
        return fn(f"/api/v1{path}", data or {}, content_type="application/json", **bearer(user))

    with time_machine.travel(TUESDAY_10AM, tick=False):
        yield call


def test_windows_show_the_current_number_and_queue(api, hall):
    api("post", "/hall/tickets", hall.users.kiosk, {"item": hall.item.pk})
    body = api("get", "/hall/windows", hall.users.window_staff).json()
    assert body["count"] == 12
    first = body["items"][0]
    assert first["number"] == 1 and first["prefix"] == "A" and first["waiting"] == 1 and first["current_number"] is None


def test_kiosk_takes_a_ticket_and_the_clerk_calls_finishes_and_the_resident_rates(api, hall):
    taken = api("post", "/hall/tickets", hall.users.kiosk, {"item": hall.item.pk, "phone": hall.resident.phone})
    assert taken.status_code == 201, taken.json()
    body = taken.json()
    assert body["number"] == "A001" and body["window"] == 1 and body["position"] == 1
    assert body["estimated_wait_minutes"] == 3
    called = api("post", f"/hall/windows/{hall.w1.pk}/call-next", hall.users.window_staff)
    assert called.status_code == 200 and called.json()["uuid"] == body["uuid"] and called.json()["status"] == "called"
    assert api("post", f"/hall/windows/{hall.w1.pk}/call-next", hall.users.window_staff).status_code == 409
    finish = api("post", f"/hall/tickets/{body['uuid']}/finish", hall.users.window_staff, {"outcome": "done"})
    assert finish.status_code == 200 and finish.json()["status"] == "done"
    assert api("post", f"/hall/windows/{hall.w1.pk}/call-next", hall.users.window_staff).status_code == 204
    mine = api("get", f"/hall/tickets/{body['uuid']}", hall.users.resident)
    assert mine.status_code == 200 and mine.json()["status_label"] == "已办结"
    marks = {"attitude": 5, "quality": 5, "efficiency": 5, "integrity": 5}
    rated = api("post", f"/hall/tickets/{body['uuid']}/rating", hall.users.resident, marks)
    assert rated.status_code == 201 and rated.json()["average"] == 5.0
    assert api("post", f"/hall/tickets/{body['uuid']}/rating", hall.users.resident, marks).status_code == 409
    assert Rating.objects.count() == 1


def test_outsiders_get_404_for_tickets_and_windows(api, hall):
    uuid = api("post", "/hall/tickets", hall.users.kiosk, {"item": hall.item.pk}).json()["uuid"]
    assert api("get", f"/hall/tickets/{uuid}", hall.users.neighbour).status_code == 404
    assert api("get", f"/hall/tickets/{uuid}", hall.users.other_secretary).status_code == 404
    assert api("post", f"/hall/windows/{hall.w1.pk}/call-next", hall.users.other_secretary).status_code == 404
    assert api("post", f"/hall/windows/{hall.w1.pk}/call-next", hall.users.clerk2).status_code == 403
    assert api("post", f"/hall/windows/{2**70}/call-next", hall.users.window_staff).status_code in (404, 422)
    assert api("post", "/hall/tickets", hall.users.grid_worker, {"item": hall.item.pk}).status_code == 403
    assert api("post", "/hall/tickets", hall.users.kiosk_b, {"item": hall.item.pk}).status_code == 404
    assert Ticket.objects.count() == 1


def test_slots_and_bookings_with_conflicts(api, hall):
    slot = Slot.objects.create(
        community=hall.a, window=hall.w1, date=datetime.date(2026, 11, 25), half="am", capacity=1
    )
    listed = api("get", "/hall/slots", hall.users.resident, {"item": hall.item.pk, "date": "2026-11-25"}).json()
    assert listed["count"] == 1 and listed["items"][0]["remaining"] == 1
    made = api("post", "/hall/bookings", hall.users.resident, {"item": hall.item.pk, "slot": slot.pk})
    assert made.status_code == 201 and made.json()["status"] == "booked"
    again = api("post", "/hall/bookings", hall.users.resident, {"item": hall.item.pk, "slot": slot.pk})
    assert again.status_code == 409
    full = api("post", "/hall/bookings", hall.users.neighbour, {"item": hall.item.pk, "slot": slot.pk})
    assert full.status_code == 409 and full.json()["detail"] == "该时段已约满,请选择其他时段"
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"item": "x"},
        {"item": 2**70},
        {"item": -1},
        {"item": 1, "phone": "=1+1"},
        {"item": 1, "phone": "😀" * 20000},
    ],
)
def test_hostile_ticket_input_is_refused_cleanly(api, hall, payload):
    if payload.get("item") == 1:
        payload["item"] = hall.item.pk
    response = api("post", "/hall/tickets", hall.users.kiosk, payload)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()
    assert not Ticket.objects.exists()


def test_malformed_json_is_a_400(client, hall):
    response = client.post("/api/v1/hall/tickets", "{", content_type="application/json", **bearer(hall.users.kiosk))
    assert response.status_code == 400
