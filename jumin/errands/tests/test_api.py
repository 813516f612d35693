import pytest

from jumin.cases.models import Case
from jumin.core.models import ApiToken

from .conftest import PHONE, advance, request_errand


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def post_case(client, user, **data):
    payload = {"kind": "errand", "title": "", "text": "", **data}
    return client.post("/api/v1/cases", payload, content_type="application/json", **bearer(user))


def test_resident_requests_an_errand_through_the_case_api(client, hall):
    response = post_case(client, hall.users.resident, service_item=hall.item.pk, contact_phone=PHONE, contact_note="")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "errand" and body["status"] == "applied" and body["number"].startswith("DB")
    detail = body["detail"]
    assert detail["service_item"]["name"] == "老年人优待证办理"
    assert detail["pickup_code"] and len(detail["pickup_code"]) == 6
    assert detail["required_documents"] == hall.item.required_documents


def test_staff_request_through_the_api_for_a_resident(client, hall):
    response = post_case(
        client,
        hall.users.window_staff,
        service_item=hall.item.pk,
        contact_phone=PHONE,
        resident=str(hall.resident.uuid),
    )
    assert response.status_code == 201
    assert response.json()["detail"]["pickup_code"] == "******"


def test_api_refuses_in_person_items_in_chinese(client, hall):
    response = post_case(client, hall.users.resident, service_item=hall.in_person_item.pk, contact_phone=PHONE)
    assert response.status_code == 400
    assert "须本人到窗口办理" in response.json()["detail"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("item", ["", "abc", "999999"])
def test_api_needs_an_item_of_the_community(client, hall, item):
    response = post_case(client, hall.users.resident, service_item=item, contact_phone=PHONE)
    assert response.status_code == 400 and "服务事项" in response.json()["detail"]


def test_api_staff_request_for_a_resident_outside_scope_is_404(client, hall):
    response = post_case(
        client,
        hall.users.grid_worker,
        service_item=hall.item.pk,
        contact_phone=PHONE,
        resident=str(hall.far_resident.uuid),
    )
    assert response.status_code == 404 and not Case.objects.exists()


def test_api_pickup(client, hall):
    errand = advance(hall, request_errand(hall), "result_back")
    url = f"/api/v1/errands/{errand.case.uuid}/pickup"
    staff = bearer(hall.users.window_staff)
    wrong = "000000" if errand.pickup_code != "000000" else "111111"
    response = client.post(url, {"code": wrong}, content_type="application/json", **staff)
    assert response.status_code == 400 and response.json()["detail"] == "取件码不正确,今天还可再试 4 次"
    response = client.post(url, {"code": errand.pickup_code}, content_type="application/json", **staff)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "picked_up" and body["detail"]["picked_up_by_name"] == hall.resident.name
    again = client.post(url, {"code": errand.pickup_code}, content_type="application/json", **staff)
    assert again.status_code == 400


@pytest.mark.parametrize(("persona", "status"), [("neighbour", 404), ("outsider", 404), ("mediator", 403)])
def test_api_pickup_is_for_the_errands_workers(client, hall, persona, status):
    errand = advance(hall, request_errand(hall), "result_back")
    response = client.post(
        f"/api/v1/errands/{errand.case.uuid}/pickup",
        {"code": errand.pickup_code},
        content_type="application/json",
        **bearer(getattr(hall.users, persona)),
    )
    assert response.status_code == status
    assert Case.objects.get(pk=errand.case.pk).status == "result_back"


def test_case_detail_shows_the_code_to_the_requester_only(client, hall):
    errand = advance(hall, request_errand(hall), "result_back")
    url = f"/api/v1/cases/{errand.case.uuid}"
    assert client.get(url, **bearer(hall.users.resident)).json()["detail"]["pickup_code"] == errand.pickup_code
    assert client.get(url, **bearer(hall.users.window_staff)).json()["detail"]["pickup_code"] == "******"
    assert client.get(url, **bearer(hall.users.neighbour)).status_code == 404


def test_generic_transition_endpoint_reaches_only_worker_steps(client, hall):
    """已递交 and 已退回 are plain steps; 材料已收 / 结果已回 / 已领取 need the errand's checks."""
    errand = advance(hall, request_errand(hall), "docs_received")
    url = f"/api/v1/cases/{errand.case.uuid}/transitions"
    staff = bearer(hall.users.window_staff)
    response = client.post(url, {"to": "submitted", "comment": "已递交"}, content_type="application/json", **staff)
    assert response.status_code == 200 and response.json()["status"] == "submitted"


@pytest.mark.parametrize(
    ("status", "to", "detail"),
    [
        ("accepted", "docs_received", "“材料已收”须在行政代办页面中办理"),
        ("result_back", "picked_up", "“已领取”须在行政代办页面中办理"),
    ],
)
def test_generic_transitions_cannot_skip_the_errand_checks(client, hall, status, to, detail):
    errand = advance(hall, request_errand(hall), status)
    response = client.post(
        f"/api/v1/cases/{errand.case.uuid}/transitions",
        {"to": to, "comment": ""},
        content_type="application/json",
        **bearer(hall.users.window_staff),
    )
    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert Case.objects.get(pk=errand.case.pk).status == status


def test_create_from_api_reads_the_errand_fields(hall):
    from jumin.errands.kind import CASE_KIND

    data = {"kind": "errand", "title": "", "text": "", "resident": None}
    case = CASE_KIND.create_from_api(
        hall.users.resident, {**data, "service_item": hall.item.pk, "contact_phone": PHONE, "contact_note": "下午"}
    )
    assert case.errand.service_item == hall.item and case.errand.contact_note == "下午"
    case = CASE_KIND.create_from_api(
        hall.users.window_staff,
        {**data, "resident": str(hall.far_resident.uuid), "service_item": str(hall.item.pk), "contact_phone": PHONE},
    )
    assert case.resident == hall.far_resident
