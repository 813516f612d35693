"""The API contract of issue 7: paths, status codes, the envelope, errors {"detail", "field"}, secrecy."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from jumin.core.models import AuditEvent
from jumin.deliberation import services
from jumin.deliberation.models import Channel, Vote

from .conftest import bearer, upload
from .factories import open_ballot


def test_resident_creates_a_proposal_and_a_neighbour_supports_it(world, client):
    response = client.post(
        "/api/v1/proposals",
        {
            "title": "健身器材维修",
            "text": "广场的健身器材坏了",
            "category": "facility",
            "compound": str(world.compound.uuid),
        },
        content_type="application/json",
        **bearer(world.users.resident),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "discussing" and body["scope"] == "玉龙花园"
    url = f"/api/v1/proposals/{body['uuid']}/supports"
    first = client.post(url, **bearer(world.users.neighbour))
    assert first.status_code == 201 and first.json()["support_count"] == 1
    again = client.post(url, **bearer(world.users.neighbour))
    assert again.status_code == 409 and "已经附议过" in again.json()["detail"]
    listing = client.get("/api/v1/proposals", **bearer(world.users.neighbour)).json()
    assert listing["count"] == 1 and listing["items"][0]["supported"] is True
    assert set(listing) >= {"items", "count", "page", "pages", "next"}
    outsider = client.get(f"/api/v1/proposals/{body['uuid']}", **bearer(world.users.outsider))
    assert outsider.status_code == 404


def test_proposal_with_bad_category_says_which_field(world, client):
    response = client.post(
        "/api/v1/proposals",
        {"title": "x", "text": "y", "category": "zzz"},
        content_type="application/json",
        **bearer(world.users.resident),
    )
    assert response.status_code == 400 and response.json()["field"] == "category"


def _ballot_body(**extra):
    body = {
        "proposal": None,
        "question": "是否同意更换小区健身器材",
        "options": ["同意", "不同意", "弃权"],
        "electorate": "household",
        "compound": None,
        "opens_at": None,
        "closes_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
        "secret": True,
        "rule": "majority",
        "quorum": 0.5,
    }
    body.update(extra)
    return body


def test_secretary_creates_a_ballot_and_residents_vote(world, client, spouse_user):
    response = client.post(
        "/api/v1/ballots", _ballot_body(), content_type="application/json", **bearer(world.users.secretary)
    )
    assert response.status_code == 201, response.content
    ballot = response.json()
    assert ballot["status"] == "open"
    assert ballot["options"] == [
        {"code": "yes", "label": "同意"},
        {"code": "no", "label": "不同意"},
        {"code": "abstain", "label": "弃权"},
    ]
    assert ballot["result"] is None and ballot["participation"]["electorate"] == 3
    url = f"/api/v1/ballots/{ballot['uuid']}/votes"
    vote = client.post(url, {"choice": "yes"}, content_type="application/json", **bearer(world.users.resident))
    assert vote.status_code == 201 and vote.json()["choices"] == ["yes"]
    again = client.post(url, {"choice": "no"}, content_type="application/json", **bearer(spouse_user))
    assert again.status_code == 409 and "已经投过票" in again.json()["detail"]
    outsider = client.post(url, {"choice": "no"}, content_type="application/json", **bearer(world.users.outsider))
    assert outsider.status_code == 404
    mine = client.get(f"/api/v1/ballots/{ballot['uuid']}", **bearer(spouse_user)).json()
    assert mine["my_vote"]["choices"] == ["yes"] and mine["participation"] is None and mine["result"] is None
    staff = client.get(f"/api/v1/ballots/{ballot['uuid']}", **bearer(world.users.secretary)).json()
    assert staff["participation"]["voted"] == 1 and staff["my_vote"] is None and staff["result"] is None


def test_not_in_electorate_is_403(world, client, far_user):
    ballot = open_ballot(world.users.secretary, compound=world.compound)
    response = client.post(
        f"/api/v1/ballots/{ballot.uuid}/votes", {"choice": "yes"}, content_type="application/json", **bearer(far_user)
    )
    assert response.status_code == 403


def test_closed_ballot_refuses_votes_and_shows_the_result(world, client):
    start = timezone.now()
    ballot = open_ballot(world.users.secretary, hours=1, now=start)
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"], now=start)
    services.vote_cast(actor=world.users.neighbour, ballot=ballot, choices=["no"], now=start)
    with time_machine.travel(start + datetime.timedelta(hours=2)):
        late = client.post(
            f"/api/v1/ballots/{ballot.uuid}/votes",
            {"choice": "yes"},
            content_type="application/json",
            **bearer(world.users.far_resident_user)
            if hasattr(world.users, "far_resident_user")
            else bearer(world.users.secretary),
        )
        assert late.status_code in (403, 409)
        body = client.get(f"/api/v1/ballots/{ballot.uuid}", **bearer(world.users.neighbour)).json()
    assert body["status"] == "closed"
    assert body["result"]["counts"] == [
        {"code": "yes", "label": "同意", "count": 1},
        {"code": "no", "label": "不同意", "count": 1},
        {"code": "abstain", "label": "弃权", "count": 0},
    ]
    assert body["result"]["cast"] == 2 and body["result"]["passed"] is False


def test_paper_vote_api_and_conflict_across_channels(world, client):
    ballot = open_ballot(world.users.secretary, secret=True)
    scan = client.post("/api/v1/deliberation/uploads", {"file": upload("选票.pdf")}, **bearer(world.users.window_staff))
    assert scan.status_code == 201
    url = f"/api/v1/ballots/{ballot.uuid}/paper-votes"
    body = {"household": str(world.home.uuid), "choice": "no", "scan": scan.json()["uuid"]}
    response = client.post(url, body, content_type="application/json", **bearer(world.users.window_staff))
    assert response.status_code == 201 and response.json()["choices"] == []  # secret: not echoed to staff
    assert Vote.objects.get(ballot=ballot).channel == Channel.PAPER
    online = client.post(
        f"/api/v1/ballots/{ballot.uuid}/votes",
        {"choice": "yes"},
        content_type="application/json",
        **bearer(world.users.resident),
    )
    assert online.status_code == 409 and "纸质选票" in online.json()["detail"]
    again = client.post(url, body, content_type="application/json", **bearer(world.users.window_staff))
    assert again.status_code == 409
    resident_try = client.post(url, body, content_type="application/json", **bearer(world.users.neighbour))
    assert resident_try.status_code == 403


def test_secret_choice_never_in_the_api_or_audit_for_staff(world, client):
    start = timezone.now()
    ballot = open_ballot(world.users.secretary, secret=True, options=["方案甲", "方案乙"], hours=1, now=start)
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["2"], now=start)
    with time_machine.travel(start + datetime.timedelta(hours=2)):
        body = client.get(f"/api/v1/ballots/{ballot.uuid}", **bearer(world.users.secretary)).content.decode()
    assert 'my_vote":null' in body.replace(" ", "")
    assert not AuditEvent.objects.filter(summary__contains="方案乙").exists()


@pytest.mark.parametrize(
    "patch, field",
    [
        ({"rule": "civil_code_278", "electorate": "person"}, "electorate"),
        ({"options": ["甲", "乙"], "rule": "two_thirds"}, "options"),
        ({"closes_at": "2020-01-01T00:00:00+08:00"}, "closes_at"),
        ({"question": ""}, "question"),
    ],
)
def test_bad_ballot_bodies_are_refused_with_the_field(world, client, patch, field):
    response = client.post(
        "/api/v1/ballots", _ballot_body(**patch), content_type="application/json", **bearer(world.users.secretary)
    )
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field


def test_hostile_input_never_500(world, client):
    auth = bearer(world.users.secretary)
    for body in ['{"question": ', '{"question": 1, "closes_at": []}', '{"quorum": 1e400}']:
        assert client.post("/api/v1/ballots", body, content_type="application/json", **auth).status_code in (400, 422)
    assert client.get("/api/v1/ballots?page=99999999999999999999999", **auth).status_code in (200, 422)
    assert client.get("/api/v1/ballots/not-a-uuid", **auth).status_code == 404
    long = client.post(
        "/api/v1/proposals",
        {"title": "x" * 20000, "text": "y", "category": "other"},
        content_type="application/json",
        **bearer(world.users.resident),
    )
    assert long.status_code == 422


def test_resident_cannot_create_ballots(world, client):
    response = client.post(
        "/api/v1/ballots", _ballot_body(), content_type="application/json", **bearer(world.users.resident)
    )
    assert response.status_code == 403
