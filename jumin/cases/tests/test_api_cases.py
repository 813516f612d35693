"""The case API end to end, as a phone app drives it: submit, take, answer, close, rate."""

import pytest

from jumin.cases.models import Case, CaseEvent, CaseRating
from jumin.core.models import ApiToken


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


@pytest.fixture
def opinion(client, world):
    body = {"kind": "opinion", "category": "environment", "title": "东门路灯不亮", "text": "晚上东门一片黑"}
    response = post(client, "/api/v1/cases", body, bearer(world.users.resident))
    assert response.status_code == 201, response.content
    return response.json()


def test_submitting_an_opinion_answers_201_with_the_stored_case(opinion, world):
    case = Case.objects.get(uuid=opinion["uuid"])
    assert (case.kind, case.title, case.body, case.resident_id) == (
        "opinion",
        "东门路灯不亮",
        "晚上东门一片黑",
        world.resident.pk,
    )
    assert opinion["status"] == "submitted" and opinion["status_label"] == "已提交"
    assert opinion["detail"]["category_label"] == "环境卫生"
    assert opinion["number"] == case.number and case.number.startswith("MY")


def test_an_opinion_goes_from_submitted_to_rated_over_the_api(client, world, opinion):
    url = f"/api/v1/cases/{opinion['uuid']}"
    worker, resident = bearer(world.users.grid_worker), bearer(world.users.resident)
    taken = post(client, f"{url}/transitions", {"to": "accepted", "expected_status": "submitted"}, worker)
    assert taken.status_code == 200 and taken.json()["assignee"] == world.users.grid_worker.name
    no_answer = post(client, f"{url}/transitions", {"to": "answered"}, worker)
    assert no_answer.status_code == 400 and no_answer.json()["detail"]
    answered = post(client, f"{url}/transitions", {"to": "answered", "comment": "已报修,明晚前修好"}, worker)
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    closed = post(client, f"{url}/transitions", {"to": "closed", "expected_status": "answered"}, worker)
    assert closed.status_code == 200 and closed.json()["phase"] == "closed"

    not_theirs = post(client, f"{url}/rating", {"value": "satisfied"}, bearer(world.users.neighbour))
    assert not_theirs.status_code == 404
    rated = post(client, f"{url}/rating", {"value": "basic", "comment": "修得有点慢"}, resident)
    assert rated.status_code == 200
    assert rated.json()["events"][-1]["comment"] == "基本满意 修得有点慢"
    again = post(client, f"{url}/rating", {"value": "satisfied"}, resident)
    assert again.status_code == 400 and "已评价" in again.json()["detail"]
    (rating,) = CaseRating.objects.filter(case__uuid=opinion["uuid"])
    assert (rating.value, rating.comment, rating.rated_by_id) == ("basic", "修得有点慢", world.users.resident.pk)


def test_a_stale_expected_status_is_409_and_changes_nothing(client, world, opinion):
    url = f"/api/v1/cases/{opinion['uuid']}/transitions"
    post(client, url, {"to": "accepted"}, bearer(world.users.grid_worker))
    events_before = CaseEvent.objects.filter(case__uuid=opinion["uuid"]).count()
    stale = post(
        client,
        url,
        {"to": "declined", "comment": "不属本社区", "expected_status": "submitted"},
        bearer(world.users.window_staff),
    )
    assert stale.status_code == 409
    assert stale.json()["detail"] == "该事项状态已变化,请刷新后再操作" and stale.json()["status"] == "accepted"
    assert Case.objects.get(uuid=opinion["uuid"]).status == "accepted"
    assert CaseEvent.objects.filter(case__uuid=opinion["uuid"]).count() == events_before


@pytest.mark.parametrize("persona", ["neighbour", "outsider", "other_secretary"])
def test_outsiders_get_404_on_every_case_endpoint_and_nothing_changes(client, world, opinion, persona):
    url = f"/api/v1/cases/{opinion['uuid']}"
    headers = bearer(getattr(world.users, persona))
    assert client.get(url, **headers).status_code == 404
    assert post(client, f"{url}/transitions", {"to": "accepted"}, headers).status_code == 404
    assert post(client, f"{url}/reminders", {}, headers).status_code == 404
    assert post(client, f"{url}/rating", {"value": "satisfied"}, headers).status_code == 404
    assert opinion["uuid"] not in [c["uuid"] for c in client.get("/api/v1/cases", **headers).json()["items"]]
    case = Case.objects.get(uuid=opinion["uuid"])
    assert (case.status, case.assignee_id, case.reminded_at) == ("submitted", None, None)


def test_an_unsatisfied_resident_reopens_over_the_api_and_can_rate_the_next_round(client, world, opinion):
    url = f"/api/v1/cases/{opinion['uuid']}"
    worker, resident = bearer(world.users.grid_worker), bearer(world.users.resident)
    post(client, f"{url}/transitions", {"to": "accepted"}, worker)
    post(client, f"{url}/transitions", {"to": "answered", "comment": "已报修"}, worker)
    post(client, f"{url}/transitions", {"to": "closed"}, worker)

    too_early = post(client, f"{url}/reopen", {"reason": "灯还是不亮"}, resident)
    assert too_early.status_code == 400 and "不满意" in too_early.json()["detail"]
    post(client, f"{url}/rating", {"value": "unsatisfied", "comment": "灯还是不亮"}, resident)
    no_reason = post(client, f"{url}/reopen", {"reason": ""}, resident)
    assert no_reason.status_code == 422
    assert post(client, f"{url}/reopen", {"reason": "灯还是不亮"}, bearer(world.users.neighbour)).status_code == 404

    reopened = post(client, f"{url}/reopen", {"reason": "灯还是不亮"}, resident)
    assert reopened.status_code == 200, reopened.content
    case = Case.objects.get(uuid=opinion["uuid"])
    assert case.round == 2 and case.phase != "closed"
    assert reopened.json()["phase"] == case.phase
    assert CaseEvent.objects.filter(case=case, kind="reopen").count() == 1
