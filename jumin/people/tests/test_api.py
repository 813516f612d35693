import pytest

from jumin.core.models import ApiToken


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def test_token_from_phone_and_password(client, world):
    user = world.users.secretary
    response = client.post(
        "/api/v1/auth/token", {"phone": user.phone, "password": "pass-1234-word"}, content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["phone"] == user.phone and me["role"] == "secretary"


def test_wrong_password_gets_401_in_chinese(client, world):
    response = client.post(
        "/api/v1/auth/token",
        {"phone": world.users.secretary.phone, "password": "nope-nope"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert "不正确" in response.json()["detail"]


def test_no_token_is_401(client, world):
    assert client.get("/api/v1/households").status_code == 401


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("grid_worker", {"home", "neighbour_home"}),
        ("secretary", {"home", "neighbour_home", "far_home"}),
        ("street_leader", {"home", "neighbour_home", "far_home", "outsider_home"}),
        ("resident", {"home"}),
        ("outsider", {"outsider_home"}),
    ],
)
def test_household_list_is_scoped(client, world, persona, expected):
    body = client.get("/api/v1/households", **bearer(getattr(world.users, persona))).json()
    assert {item["uuid"] for item in body["items"]} == {str(getattr(world, name).uuid) for name in expected}


def test_household_list_filters(client, world):
    headers = bearer(world.users.secretary)
    items = client.get("/api/v1/households?q=zsf", **headers).json()["items"]
    assert [i["uuid"] for i in items] == [str(world.home.uuid)]
    items = client.get("/api/v1/households?tag=laid_off", **headers).json()["items"]
    assert [i["uuid"] for i in items] == [str(world.neighbour_home.uuid)]
    items = client.get("/api/v1/households?tag=elderly", **headers).json()["items"]
    assert [i["uuid"] for i in items] == [str(world.home.uuid)]
    items = client.get(f"/api/v1/households?grid={world.grid2.pk}", **headers).json()["items"]
    assert [i["uuid"] for i in items] == [str(world.far_home.uuid)]
    items = client.get(f"/api/v1/households?q={world.neighbour.id_tail}", **headers).json()["items"]
    assert str(world.neighbour_home.uuid) in [i["uuid"] for i in items]


@pytest.mark.parametrize(
    ("persona", "household", "status"),
    [
        ("resident", "home", 200),
        ("resident", "neighbour_home", 404),
        ("grid_worker", "far_home", 404),
        ("secretary", "outsider_home", 404),
        ("street_leader", "outsider_home", 200),
        ("other_secretary", "home", 404),
    ],
)
def test_household_detail_scoping(client, world, persona, household, status):
    url = f"/api/v1/households/{getattr(world, household).uuid}"
    assert client.get(url, **bearer(getattr(world.users, persona))).status_code == status


def test_household_detail_masks_ids(client, world):
    body = client.get(f"/api/v1/households/{world.home.uuid}", **bearer(world.users.secretary)).json()
    numbers = {m["id_number"] for m in body["members"]}
    assert world.resident.id_masked in numbers
    assert world.resident.id_number not in numbers


def test_community_summary(client, world):
    body = client.get(f"/api/v1/communities/{world.a.pk}/summary", **bearer(world.users.secretary)).json()
    assert body["residents"] == 4
    assert body["households"] == 3
    assert body["elderly"] == 2
    assert body["grids"] == 2
    assert body["by_tag"] == {"下岗职工": 1, "党员": 1}


@pytest.mark.parametrize("persona", ["resident", "other_secretary"])
def test_community_summary_out_of_scope_is_404(client, world, persona):
    url = f"/api/v1/communities/{world.a.pk}/summary"
    assert client.get(url, **bearer(getattr(world.users, persona))).status_code == 404


def test_openapi_schema_and_docs(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/households" in schema["paths"]
    assert "/api/v1/roster/import" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_openapi_describes_the_roster_report(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    answer = schema["paths"]["/api/v1/roster/import"]["post"]["responses"]["200"]["content"]["application/json"]
    report = schema["components"]["schemas"][answer["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert {"created", "updated", "unchanged", "errors"} <= set(report["required"])
    error = schema["components"]["schemas"]["RosterErrorOut"]
    assert set(error["properties"]) == {"row", "column", "message"}
