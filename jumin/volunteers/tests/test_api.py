"""The 志愿服务 API: the paths the issue names, 201 and 409 where it says, the page envelope, hostile input."""

import datetime

from django.utils import timezone

from jumin.volunteers.models import Activity, Shift, Signup

from .conftest import bearer
from .factories import VolunteerFactory
from .test_services import serve


def post(client, url, user, data=None):
    return client.post(url, data if data is not None else {}, content_type="application/json", **bearer(user))


def test_staff_list_approved_volunteers_paginated_residents_are_refused(vol, client):
    VolunteerFactory(resident__household=vol.world.home, status="pending")
    body = client.get("/api/v1/volunteers", **bearer(vol.users.secretary)).json()
    assert body["count"] == 2 and body["page"] == 1 and body["next"] is None
    assert {v["name"] for v in body["items"]} == {"张三丰", vol.other.resident.name}
    assert client.get("/api/v1/volunteers", **bearer(vol.users.resident)).status_code == 403
    assert client.get("/api/v1/volunteers", **bearer(vol.users.other_secretary)).json()["count"] == 0


def test_staff_publish_an_activity_and_residents_see_it(vol, client):
    start = timezone.now() + datetime.timedelta(days=5)
    payload = {
        "title": "义务理发",
        "place": "党群服务中心",
        "shifts": [
            {"starts_at": start.isoformat(), "ends_at": (start + datetime.timedelta(hours=2)).isoformat(), "slots": 4}
        ],
    }
    response = post(client, "/api/v1/volunteers/activities", vol.users.secretary, payload)
    assert response.status_code == 201, response.json()
    assert response.json()["shifts"][0]["free"] == 4
    assert Activity.objects.filter(title="义务理发").exists()
    mine = client.get("/api/v1/volunteers/activities", **bearer(vol.users.resident)).json()
    assert "义务理发" in [a["title"] for a in mine["items"]]
    theirs = client.get("/api/v1/volunteers/activities", **bearer(vol.users.outsider)).json()
    assert theirs["count"] == 0


def test_activity_creation_refuses_bad_input_and_writes_nothing(vol, client):
    start = timezone.now() + datetime.timedelta(days=5)
    shift = {"starts_at": start.isoformat(), "ends_at": (start + datetime.timedelta(hours=2)).isoformat()}
    bad = [
        {"title": "x", "place": "y", "shifts": []},
        {"title": "x", "place": "y", "shifts": [{**shift, "slots": 2**70}]},
        {"title": "x" * 20000, "place": "y", "shifts": [{**shift, "slots": 2}]},
        {"title": "x", "place": "y", "shifts": [{**shift, "slots": "many"}]},
        {"title": "x", "place": "y", "shifts": "all"},
    ]
    before = Activity.objects.count()
    for payload in bad:
        response = post(client, "/api/v1/volunteers/activities", vol.users.secretary, payload)
        assert response.status_code in (400, 422), payload
        assert "detail" in response.json()
    response = client.post(
        "/api/v1/volunteers/activities", "{not json", content_type="application/json", **bearer(vol.users.secretary)
    )
    assert response.status_code in (400, 422)
    assert post(client, "/api/v1/volunteers/activities", vol.users.resident, bad[0]).status_code in (403, 422)
    assert Activity.objects.count() == before


def test_sign_up_gives_201_then_409_when_signed_up_or_full(vol, client):
    url = f"/api/v1/volunteers/shifts/{vol.shift.uuid}/signups"
    response = post(client, url, vol.users.resident)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "signed_up" and response.json()["channel"] == "self"
    again = post(client, url, vol.users.resident)
    assert again.status_code == 409 and again.json()["detail"] == "已经报名了这个班次"
    staff = post(client, url, vol.users.secretary, {"volunteer": str(vol.other.uuid)})
    assert staff.status_code == 201 and staff.json()["channel"] == "staff"
    third = VolunteerFactory(resident__household=vol.world.home)
    assert post(client, url, vol.users.secretary, {"volunteer": str(third.uuid)}).status_code == 201
    fourth = VolunteerFactory(resident__household=vol.world.home)
    full = post(client, url, vol.users.secretary, {"volunteer": str(fourth.uuid)})
    assert full.status_code == 409 and full.json()["detail"] == "该班次名额已满"
    assert Shift.objects.get(pk=vol.shift.pk).taken == 3


def test_sign_up_of_someone_else_by_a_resident_or_outside_the_community_is_refused(vol, client):
    url = f"/api/v1/volunteers/shifts/{vol.shift.uuid}/signups"
    assert post(client, url, vol.users.resident, {"volunteer": str(vol.other.uuid)}).status_code == 403
    assert post(client, url, vol.users.outsider).status_code == 404
    assert post(client, url, vol.users.other_secretary, {"volunteer": str(vol.other.uuid)}).status_code == 404
    assert post(client, url, vol.users.secretary, {"volunteer": "not-a-uuid"}).status_code == 422
    assert post(client, "/api/v1/volunteers/shifts/nope/signups", vol.users.resident).status_code == 404
    assert not Signup.objects.exists()


def test_me_shows_hours_balance_and_entries(vol, client):
    serve(vol, vol.me)
    body = client.get("/api/v1/volunteers/me", **bearer(vol.users.resident)).json()
    assert body["status"] == "approved" and body["hours"] == 2.0 and body["shifts"] == 1
    assert body["points"] == 20 == sum(e["amount"] for e in body["entries"])
    assert body["entries"][0]["origin"] == "hours"
    none = client.get("/api/v1/volunteers/me", **bearer(vol.users.neighbour)).json()
    assert none["status"] == "none" and none["points"] == 0 and none["entries"] == []
