from jumin.cases.models import Case

from .conftest import bearer, session


def test_resident_posts_a_dispute_naming_the_other_side(world, client):
    body = {
        "kind": "dispute",
        "title": "楼上漏水",
        "text": "卫生间顶棚渗水",
        "category": "leak",
        "other_parties": [{"name": "王建国", "address": "1号楼102"}],
    }
    response = client.post("/api/v1/cases", body, content_type="application/json", **bearer(world.users.resident))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "dispute" and data["status_label"] == "已登记"
    assert data["detail"]["category_label"] == "漏水渗水"
    assert data["detail"]["unverified_parties"] == [{"name": "王建国", "address": "1号楼102"}]


def test_staff_post_with_resident_uuids(world, client):
    body = {
        "kind": "dispute",
        "title": "车位",
        "text": "长期占用车位",
        "category": "parking",
        "resident": str(world.resident.uuid),
        "other_parties": [str(world.neighbour.uuid)],
    }
    response = client.post("/api/v1/cases", body, content_type="application/json", **bearer(world.users.mediator))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "accepted" and data["assignee"] == world.users.mediator.name
    assert {p["name"] for p in data["detail"]["parties"]} == {world.resident.name, world.neighbour.name}


def test_bad_posts_get_chinese_messages_and_write_nothing(world, client):
    resident = bearer(world.users.resident)
    no_party = {"kind": "dispute", "title": "x", "text": "y", "category": "noise", "other_parties": []}
    response = client.post("/api/v1/cases", no_party, content_type="application/json", **resident)
    assert response.status_code == 400 and "对方当事人" in response.json()["detail"]
    uuids_from_resident = {**no_party, "other_parties": [str(world.neighbour.uuid)]}
    response = client.post("/api/v1/cases", uuids_from_resident, content_type="application/json", **resident)
    assert response.status_code == 400 and "姓名和住址" in response.json()["detail"]
    grid_worker = {**no_party, "resident": str(world.resident.uuid), "other_parties": [str(world.neighbour.uuid)]}
    response = client.post(
        "/api/v1/cases", grid_worker, content_type="application/json", **bearer(world.users.grid_worker)
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_sessions_endpoint_404_for_bad_uuid_and_lists_for_party(world, client, dispute):
    session(world, dispute)
    assert client.get("/api/v1/disputes/not-a-uuid/sessions", **bearer(world.users.mediator)).status_code == 404
    body = client.get(f"/api/v1/disputes/{dispute.case.uuid}/sessions", **bearer(world.users.neighbour)).json()
    assert body["count"] == 1 and body["items"][0]["place"] == "社区调解室" and body["items"][0]["notes"] is None


def test_a_dispute_case_without_its_dispute_row_is_404(world, client):
    from jumin.cases import services as case_services

    bare = case_services.case_open(actor=world.users.resident, kind="dispute", title="t", body="b")
    assert client.get(f"/api/v1/disputes/{bare.uuid}/sessions", **bearer(world.users.resident)).status_code == 404
    assert client.get(f"/api/v1/cases/{bare.uuid}", **bearer(world.users.resident)).json()["detail"] == {}
