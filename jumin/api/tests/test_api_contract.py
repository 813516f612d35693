"""The API as a phone or mini-program client meets it: the schema, the docs page, errors, paging, tokens."""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile

from jumin.cases.models import Case
from jumin.core.models import ApiToken
from jumin.people.tests.factories import HouseholdFactory, ResidentFactory
from jumin.places.tests.factories import DwellingFactory, UnitFactory

CJK = re.compile(r"[\u4e00-\u9fff]")


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def schema(client):
    return client.get("/api/v1/openapi.json").json()


def operations(client):
    for path, ops in schema(client)["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def concrete(path: str) -> str:
    return re.sub(r"\{[a-z_]*id\}", "1", re.sub(r"\{[a-z_]*uuid\}", str(uuid.uuid4()), path))


# ---- docs page and schema ---------------------------------------------------------------------------------------


def test_docs_page_loads_swagger_from_our_own_static_files(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert {"/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/swagger-ui/swagger-ui.css"} <= set(assets)
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
    for asset in assets:
        assert finders.find(asset.removeprefix(django_settings.STATIC_URL).lstrip("/")), asset
    vendor = Path(django_settings.BASE_DIR) / "static" / "vendor"
    assert "Apache License" in (vendor / "swagger-ui" / "LICENSE").read_text()
    assert "MIT License" in (vendor / "django-ninja" / "LICENSE").read_text()


def test_every_operation_is_described_in_chinese(client, db):
    for path, method, op in operations(client):
        assert CJK.search(op.get("summary", "")), (method, path)
        assert CJK.search(op.get("description", "")), (method, path)
        assert op.get("tags") and all(CJK.search(tag) for tag in op["tags"]), (method, path)


def test_every_operation_declares_its_error_bodies(client, db):
    doc = schema(client)
    components = doc["components"]["schemas"]
    assert set(components["ErrorOut"]["required"]) == {"detail"}
    assert set(components["ValidationErrorOut"]["properties"]) == {"detail", "field", "errors"}
    assert set(components["FieldErrorOut"]["required"]) == {"field", "location", "message"}
    for path, method, op in operations(client):
        responses = op["responses"]
        if op.get("security"):
            assert "401" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if op.get("parameters") or op.get("requestBody"):
            body = responses["422"]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ValidationErrorOut"}, (method, path)
        for code, answer in responses.items():
            assert (len(str(code)) == 3 and CJK.search(answer["description"])) or code in {"200", "201", "204"}
    transitions = doc["paths"]["/api/v1/cases/{case_uuid}/transitions"]["post"]["responses"]
    assert transitions["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/ConflictOut")
    assert "429" in doc["paths"]["/api/v1/auth/token"]["post"]["responses"]
    # A filter naming an unknown case kind answers 400 (see the test below), and the schema says so;
    # and a case filed for a resident nobody can find answers 404.
    for method, code in (("get", "400"), ("post", "404")):
        answer = doc["paths"]["/api/v1/cases"][method]["responses"][code]
        assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert "security" not in doc["paths"]["/api/v1/auth/token"]["post"]


def test_schema_declares_limits_a_client_can_validate_before_sending(client, db):
    doc = schema(client)
    case_in = doc["components"]["schemas"]["CaseIn"]["properties"]
    assert case_in["title"]["maxLength"] == 100 and case_in["text"]["maxLength"] == 5000
    params = {p["name"]: p for p in doc["paths"]["/api/v1/cases"]["get"]["parameters"]}
    assert params["page_size"]["schema"]["anyOf"][0]["maximum"] == 100
    assert params["page"]["schema"]["minimum"] == 1
    assert set(params["queue"]["schema"]["enum"]) == {"all", "mine", "grid", "unassigned", "overdue", "waiting"}


# ---- authentication ---------------------------------------------------------------------------------------------


def test_every_endpoint_without_a_token_is_401_in_chinese(client, db):
    seen = 0
    for path, method, op in operations(client):
        if not op.get("security"):
            continue
        response = getattr(client, method)(concrete(path), content_type="application/json")
        assert response.status_code == 401, (method, path, response.content)
        assert response.json() == {"detail": "请先登录(缺少或无效的令牌)"}
        seen += 1
    assert seen >= 15


def test_a_made_up_token_is_401(client, db):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert response.status_code == 401 and CJK.search(response.json()["detail"])


def test_logout_revokes_only_the_token_it_came_with(client, world):
    user = world.users.resident
    phone_token, tablet_token = ApiToken.issue(user), ApiToken.issue(user)
    response = client.post("/api/v1/auth/logout", HTTP_AUTHORIZATION=f"Bearer {phone_token}")
    assert response.status_code == 204
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {phone_token}").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {tablet_token}").status_code == 200
    assert ApiToken.objects.filter(user=user).count() == 1


def test_wrong_passwords_lock_the_token_endpoint_too_and_answer_in_json(client, world, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    phone = world.users.secretary.phone
    for _ in range(2):
        wrong = client.post(
            "/api/v1/auth/token", {"phone": phone, "password": "wrong-one"}, content_type="application/json"
        )
        assert wrong.status_code == 401 and wrong.json() == {"detail": "手机号或密码不正确"}
    client.post("/api/v1/auth/token", {"phone": phone, "password": "wrong-one"}, content_type="application/json")
    right = client.post(
        "/api/v1/auth/token", {"phone": phone, "password": "pass-1234-word"}, content_type="application/json"
    )
    assert right.status_code == 429
    assert right["Content-Type"] == "application/json; charset=utf-8"
    assert "暂时锁定" in right.json()["detail"] and "15 分钟" in right.json()["detail"]
    assert not ApiToken.objects.filter(user=world.users.secretary).exists()


def test_the_demo_password_gets_no_token_in_production(client, world, settings):
    user = world.users.secretary
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    body = {"phone": user.phone, "password": settings.DEMO_PASSWORD}
    settings.ALLOW_DEMO_PASSWORD = False
    refused = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert refused.status_code == 401 and refused.json()["detail"] == "手机号或密码不正确"
    assert not ApiToken.objects.filter(user=user).exists()
    settings.ALLOW_DEMO_PASSWORD = True
    assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 200


# ---- permissions and scope --------------------------------------------------------------------------------------


def test_resident_token_on_staff_endpoints_is_refused_and_writes_nothing(client, world):
    headers = bearer(world.users.resident)
    upload = SimpleUploadedFile("花名册.xlsx", b"PK\x03\x04", "application/vnd.openxmlformats-officedocument")
    residents_before = ResidentFactory._meta.model.objects.count()
    refused = client.post("/api/v1/roster/import?dry_run=false", {"file": upload}, **headers)
    assert refused.status_code == 403 and CJK.search(refused.json()["detail"])
    assert ResidentFactory._meta.model.objects.count() == residents_before
    summary = client.get(f"/api/v1/communities/{world.a.pk}/summary", **headers)
    assert summary.status_code == 404 and summary.json()["detail"] == "没有找到,或不在您的查看范围内"


@pytest.mark.parametrize("path", ["/api/v1/households/{}", "/api/v1/cases/{}"])
def test_bad_and_unknown_ids_are_the_same_chinese_404(client, world, path):
    headers = bearer(world.users.secretary)
    for value in ["not-a-uuid", str(uuid.uuid4()), "1' or '1'='1"]:
        response = client.get(path.format(value), **headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "没有找到,或不在您的查看范围内"}


def test_phones_are_masked_for_a_resident_as_on_their_page(client, world):
    world.spouse.phone = "13812345678"
    world.spouse.save()
    for persona, expected in [("resident", "138****5678"), ("secretary", "13812345678")]:
        body = client.get(f"/api/v1/households/{world.home.uuid}", **bearer(getattr(world.users, persona))).json()
        (spouse,) = [m for m in body["members"] if m["uuid"] == str(world.spouse.uuid)]
        assert spouse["phone"] == expected, persona
        assert spouse["id_number"] == world.spouse.id_masked
        assert "*" in spouse["id_number"] and spouse["id_number"] != world.spouse.id_number


# ---- bad input --------------------------------------------------------------------------------------------------


def test_validation_errors_are_chinese_per_field_and_write_nothing(client, world):
    headers = bearer(world.users.resident)
    response = client.post("/api/v1/cases", {"title": 5}, content_type="application/json", **headers)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求参数有误:kind 必填" and body["field"] == "kind"
    assert {(e["field"], e["location"], e["message"]) for e in body["errors"]} == {
        ("kind", "body", "必填"),
        ("title", "body", "应为文本"),
    }
    assert not Case.objects.exists()


def test_oversized_text_is_refused_before_it_reaches_the_database(client, world):
    headers = bearer(world.users.resident)
    for field, size, limit in [("title", 101, 100), ("text", 5001, 5000)]:
        payload = {"kind": "opinion", "category": "environment", "title": "路灯", "text": "不亮", field: "长" * size}
        response = client.post("/api/v1/cases", payload, content_type="application/json", **headers)
        assert response.status_code == 422, field
        assert response.json()["errors"] == [{"field": field, "location": "body", "message": f"不能超过 {limit} 个字"}]
    assert not Case.objects.exists()


def test_a_body_that_is_not_json_is_a_chinese_400(client, world):
    response = client.post(
        "/api/v1/cases", "kind=opinion", content_type="application/json", **bearer(world.users.resident)
    )
    assert response.status_code == 400 and response.json() == {"detail": "请求格式有误(请求体应为 JSON)"}


@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/api/v1/cases?queue=everything", "queue", "取值无效,可选:all、mine、grid、unassigned、overdue、waiting"),
        ("/api/v1/cases?phase=done", "phase", None),
        ("/api/v1/households?age_band=old", "age_band", None),
        ("/api/v1/households?grid=abc", "grid", "应为整数"),
        ("/api/v1/households?page=-1", "page", "不能小于 1"),
        ("/api/v1/households?page=0", "page", "不能小于 1"),
        ("/api/v1/households?page_size=10000", "page_size", "不能大于 100"),
        ("/api/v1/hall/items?page_size=0", "page_size", "不能小于 1"),
    ],
)
def test_bad_query_values_are_422_in_chinese(client, world, url, field, message):
    response = client.get(url, **bearer(world.users.secretary))
    assert response.status_code == 422, response.content
    (error,) = response.json()["errors"]
    assert error["field"] == field and error["location"] == "query"
    assert error["message"] == message if message else error["message"].startswith("取值无效,可选:")


def test_an_unknown_case_kind_in_the_queue_filter_is_refused(client, world):
    response = client.get("/api/v1/cases?kind=pizza", **bearer(world.users.secretary))
    assert response.status_code == 400 and response.json() == {"detail": "未知的事项类型", "field": "kind"}


def test_an_unknown_rating_is_422_and_nothing_is_rated(client, world):
    from jumin.cases.models import CaseRating

    headers = bearer(world.users.resident)
    created = client.post(
        "/api/v1/cases",
        {"kind": "opinion", "category": "environment", "title": "路灯", "text": "东门路灯不亮"},
        content_type="application/json",
        **headers,
    )
    url = f"/api/v1/cases/{created.json()['uuid']}/rating"
    response = client.post(url, {"value": "great"}, content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "取值无效,可选:satisfied、basic、unsatisfied"
    assert not CaseRating.objects.exists()


# ---- paging -----------------------------------------------------------------------------------------------------


def test_pages_tell_the_client_where_it_is_and_walk_every_row_once(client, world):
    unit = UnitFactory(building=world.building, name="8单元")
    for n in range(22):
        ResidentFactory(household=HouseholdFactory(dwelling=DwellingFactory(unit=unit, number=f"{800 + n}")))
    headers = bearer(world.users.secretary)
    seen, page = [], 1
    while page:
        body = client.get(f"/api/v1/households?page={page}&page_size=10", **headers).json()
        assert (body["count"], body["page_size"], body["pages"], body["page"]) == (25, 10, 3, page)
        seen += [item["uuid"] for item in body["items"]]
        page = body["next"]
    assert len(seen) == len(set(seen)) == 25
    past_the_end = client.get("/api/v1/households?page=9&page_size=10", **headers).json()
    assert past_the_end["items"] == [] and past_the_end["next"] is None and past_the_end["count"] == 25
    default = client.get("/api/v1/households", **headers).json()
    assert (default["page_size"], default["pages"], default["next"], len(default["items"])) == (20, 2, 2, 20)
