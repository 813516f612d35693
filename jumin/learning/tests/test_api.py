"""The API paths the issue names, their Page envelope and {"detail","field"} errors, scoping, hostile input."""

import json

import pytest

from jumin.core.models import ApiToken
from jumin.learning import services
from jumin.learning.models import Attendance, StudyRecord


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def post(client, url, body, user):
    return client.post(
        url, json.dumps(body) if not isinstance(body, str) else body, content_type="application/json", **bearer(user)
    )


def test_member_lists_courses_with_their_due_dates_and_no_answers(st, client):
    response = client.get("/api/v1/learning/courses", **bearer(st.users.resident))
    body = response.json()
    assert set(body) >= {"items", "count", "page", "pages", "next"} and body["count"] == 2
    by_title = {c["title"]: c for c in body["items"]}
    assert by_title["二十大精神"]["status"] == "overdue" and by_title["党章学习"]["has_quiz"] is True
    detail = client.get(f"/api/v1/learning/courses/{st.quiz.uuid}", **bearer(st.users.resident)).json()
    assert [q["choices"] for q in detail["questions"]] == [["根本大法", "一般规定"], ["组织生活", "商业活动", "比赛"]]
    assert "answer" not in json.dumps(detail["questions"])
    assert client.get(f"/api/v1/learning/courses/{st.far_course.uuid}", **bearer(st.users.resident)).status_code == 404
    assert client.get("/api/v1/learning/courses/not-a-uuid", **bearer(st.users.resident)).status_code == 404


def test_member_submits_a_quiz_and_gets_the_score(st, client):
    url = f"/api/v1/learning/courses/{st.quiz.uuid}/records"
    response = post(client, url, {"minutes": 25, "answers": [0, 0]}, st.users.resident)
    assert response.status_code == 201, response.json()
    assert (response.json()["score"], response.json()["completed"]) == (100, True)
    response = post(client, url, {"minutes": 25}, st.users.resident)
    assert response.status_code == 400 and response.json()["field"] == "answers"
    mine = client.get("/api/v1/learning/records", **bearer(st.users.resident)).json()
    assert mine["count"] == 1
    assert client.get("/api/v1/learning/records", **bearer(st.users.neighbour)).json()["count"] == 0
    assert client.get("/api/v1/learning/records", **bearer(st.users.other_secretary)).json()["count"] == 0
    assert client.get("/api/v1/learning/records", **bearer(st.users.secretary)).json()["count"] == 1


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        {"minutes": 10**30},
        {"minutes": "很多"},
        {"minutes": 10, "answers": ["a", 0]},
        {"minutes": 10, "answers": [0, 10**30]},
        {"minutes": 10, "answers": "00"},
        {"minutes": 10, "completed": "也许"},
        [1, 2],
    ],
)
def test_hostile_record_bodies_get_a_chinese_error_and_write_nothing(st, client, body):
    response = post(client, f"/api/v1/learning/courses/{st.quiz.uuid}/records", body, st.users.resident)
    assert response.status_code in (400, 422), response.content
    assert "detail" in response.json() and any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
    assert not StudyRecord.objects.exists()


def test_a_non_member_may_not_record(st, client):
    response = post(client, f"/api/v1/learning/courses/{st.plain.uuid}/records", {"minutes": 5}, st.users.window_staff)
    assert response.status_code in (403, 404)


def test_tutor_starts_a_session_signs_in_and_records(st, client):
    response = post(client, "/api/v1/learning/sessions", {"place": "学习室"}, st.tutor)
    assert response.status_code == 201
    session = response.json()["uuid"]
    url = f"/api/v1/learning/sessions/{session}/attendees"
    response = post(client, url, {"method": "phone", "phone": st.world.resident.phone}, st.tutor)
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "张三丰" and body["phone"] != st.world.resident.phone and "****" in body["phone"]
    assert "id" not in "".join(k for k in body if k not in ("uuid",)).replace("id_", "")  # no id number field
    assert post(client, url, {"method": "phone", "phone": st.world.resident.phone}, st.tutor).status_code == 409
    response = post(client, url, {"method": "id_tail", "name": "王建国", "id_tail": "0000"}, st.tutor)
    assert response.status_code == 400 and response.json()["field"] == "id_tail"
    response = post(client, url, {"method": "id_tail", "name": "王\x00建国", "id_tail": "0000"}, st.tutor)
    assert response.status_code == 422 and "控制字符" in response.json()["detail"]
    response = post(client, url, {"method": "fax"}, st.tutor)
    assert response.status_code == 422
    record_url = f"/api/v1/learning/sessions/{session}/records"
    response = post(
        client, record_url, {"attendee": body["uuid"], "course": str(st.plain.uuid), "minutes": 30}, st.tutor
    )
    assert response.status_code == 201 and response.json()["channel"] == "station"
    assert (
        post(
            client, record_url, {"attendee": body["uuid"], "course": str(st.plain.uuid), "minutes": 30}, st.tutor
        ).status_code
        == 409
    )
    sessions = client.get("/api/v1/learning/sessions", **bearer(st.tutor)).json()
    assert sessions["count"] == 1 and sessions["items"][0]["attendees"] == 1
    assert client.get("/api/v1/learning/sessions", **bearer(st.other_tutor)).json()["count"] == 0
    assert post(client, url, {"method": "phone", "phone": st.world.resident.phone}, st.other_tutor).status_code == 404
    assert (
        post(client, url, {"method": "phone", "phone": st.world.resident.phone}, st.users.resident).status_code == 403
    )
    assert post(client, "/api/v1/learning/sessions", {"place": "家"}, st.users.resident).status_code == 403
    assert Attendance.objects.count() == 1


def test_page_parameters_out_of_range_are_422(st, client):
    for query in ("page=0", f"page={10**30}", "page_size=1000"):
        assert client.get(f"/api/v1/learning/courses?{query}", **bearer(st.users.resident)).status_code == 422


def test_session_list_of_a_secretary_and_a_street_leader(st, client):
    services.session_start(actor=st.tutor, place="学习室")
    assert client.get("/api/v1/learning/sessions", **bearer(st.users.secretary)).json()["count"] == 1
    assert client.get("/api/v1/learning/sessions", **bearer(st.users.street_leader)).json()["count"] == 1
    assert client.get("/api/v1/learning/sessions", **bearer(st.users.resident)).json()["count"] == 0
