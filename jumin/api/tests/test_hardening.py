"""What testing from outside found (issue 6 §4): formula injection and control characters in the ledgers, and
requests that made the server answer 500 instead of a 4xx. Each from the outside, over HTTP, database checked."""

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from jumin.cases.models import Case
from jumin.core.models import ApiToken
from jumin.people.tests.factories import ResidentFactory

HUGE = str(2**63)  # one past the largest 64-bit id
FORMULA = '=HYPERLINK("http://x","y")'


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def opinion(client, user, **body):
    payload = {"kind": "opinion", "title": "楼道灯不亮", "text": "3号楼二单元", "category": "parking", **body}
    return client.post("/api/v1/cases", payload, content_type="application/json", **bearer(user))


def xlsx_cells(response):
    """Every cell of every sheet of a downloaded ledger, and whether any sheet holds a formula."""
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        has_formula = any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in archive.namelist())
    book = load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    return cells, has_formula


# ---- formula injection ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/office/opinions/export.xlsx", "/office/cases/export.xlsx"])
def test_an_opinion_titled_like_a_formula_is_text_in_the_ledgers(client, world, url):
    assert opinion(client, world.users.resident, title=FORMULA).status_code == 201
    client.force_login(world.users.secretary)
    cells, has_formula = xlsx_cells(client.get(url))
    titled = [c for c in cells if c.value == FORMULA]
    assert titled and all(c.data_type == "s" for c in titled)
    assert not has_formula


@pytest.mark.parametrize("url", ["/office/residents/export.xlsx", "/office/households/export.xlsx"])
def test_a_roster_name_starting_with_equals_is_text_in_the_register_ledgers(client, world, url):
    ResidentFactory(household=world.home, name="=1+2", relationship="other")
    world.home.head_name = "=1+2"
    world.home.save()
    client.force_login(world.users.secretary)
    cells, has_formula = xlsx_cells(client.get(url))
    named = [c for c in cells if c.value == "=1+2"]
    assert named and all(c.data_type == "s" for c in named)
    assert not has_formula


# ---- control characters -----------------------------------------------------------------------------------------


def test_api_refuses_a_title_with_a_control_character_and_writes_nothing(client, world):
    response = opinion(client, world.users.resident, title="楼道\u0000灯")
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "title" and "不能包含控制字符" in body["detail"]
    assert not Case.objects.exists()


def test_api_refuses_a_control_character_in_a_kinds_own_field(client, world):
    response = opinion(client, world.users.resident, channel="on\u0007line")
    assert response.status_code == 422
    assert "不能包含控制字符" in response.json()["detail"]
    assert not Case.objects.exists()


def test_multi_line_text_keeps_its_line_breaks(client, world):
    response = opinion(client, world.users.resident, text="第一行\n第二行\r\n\t第三行")
    assert response.status_code == 201, response.content
    assert Case.objects.get().body == "第一行\n第二行\r\n\t第三行"


def test_form_refuses_a_title_with_a_vertical_tab_and_writes_nothing(client, world):
    client.force_login(world.users.resident)
    response = client.post("/me/opinions/new/", {"title": "楼道\x0b灯", "text": "不亮", "category": "parking"})
    assert response.status_code == 200
    assert "不能包含控制字符" in response.content.decode()
    assert not Case.objects.exists()


def test_form_refuses_control_characters_in_multi_line_text_but_keeps_line_breaks(client, world):
    client.force_login(world.users.resident)
    refused = client.post("/me/opinions/new/", {"title": "楼道灯", "text": "不\x1b亮", "category": "parking"})
    assert "不能包含控制字符" in refused.content.decode() and not Case.objects.exists()
    kept = client.post("/me/opinions/new/", {"title": "楼道灯", "text": "不亮\r\n很久了", "category": "parking"})
    assert kept.status_code == 302
    assert Case.objects.get().body == "不亮\r\n很久了"


@pytest.mark.parametrize("url", ["/office/opinions/export.xlsx", "/office/cases/export.xlsx"])
def test_ledgers_survive_control_characters_stored_before_input_refused_them(client, world, url):
    assert opinion(client, world.users.resident).status_code == 201
    Case.objects.update(title="楼道\x0b灯\x1f不亮")  # PostgreSQL cannot hold NUL itself
    client.force_login(world.users.secretary)
    cells, _ = xlsx_cells(client.get(url))
    assert "楼道灯不亮" in [c.value for c in cells]


def test_emoji_is_kept_and_overlong_text_is_refused_in_chinese(client, world):
    assert opinion(client, world.users.resident, title="楼道灯不亮 💡").status_code == 201
    assert Case.objects.get().title == "楼道灯不亮 💡"
    response = opinion(client, world.users.resident, text="长" * 20_000)
    assert response.status_code == 422
    assert response.json()["field"] == "text" and "不能超过" in response.json()["detail"]
    client.force_login(world.users.resident)
    page = client.post("/me/opinions/new/", {"title": "楼" * 20_000, "text": "长" * 20_000, "category": "parking"})
    assert page.status_code == 200 and "标题不能超过 100 个字" in page.content.decode()
    assert Case.objects.count() == 1


# ---- 500s that must be 4xx --------------------------------------------------------------------------------------

API_LISTS = ["/api/v1/households", "/api/v1/cases", "/api/v1/hall/items"]


@pytest.mark.parametrize("url", API_LISTS)
def test_a_page_number_beyond_64_bits_is_a_422(client, world, url):
    response = client.get(url, {"page": HUGE}, **bearer(world.users.secretary))
    assert response.status_code == 422
    assert response.json()["field"] == "page"


def test_a_page_number_beyond_64_bits_is_a_422_on_dispute_sessions(client, world):
    response = client.get(
        f"/api/v1/disputes/{Case.objects.model().uuid}/sessions", {"page": HUGE}, **bearer(world.users.secretary)
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "url, param",
    [
        ("/api/v1/households", "grid"),
        ("/api/v1/households", "compound"),
        ("/api/v1/households", "community"),
        ("/api/v1/cases", "grid"),
        ("/api/v1/hall/items", "window"),
        ("/api/v1/hall/items", "community"),
    ],
)
def test_an_api_id_filter_beyond_64_bits_is_a_422(client, world, url, param):
    response = client.get(url, {param: HUGE}, **bearer(world.users.secretary))
    assert response.status_code == 422
    assert response.json()["field"] == param


@pytest.mark.parametrize(
    "url, param",
    [
        ("/office/households/", "grid"),
        ("/office/households/", "compound"),
        ("/office/households/export.xlsx", "grid"),
        ("/office/households/export.xlsx", "compound"),
        ("/office/residents/", "grid"),
        ("/office/residents/", "compound"),
        ("/office/residents/export.xlsx", "grid"),
        ("/office/residents/export.xlsx", "compound"),
        ("/office/cases/", "grid"),
        ("/office/cases/export.xlsx", "grid"),
        ("/office/opinions/", "grid"),
        ("/office/opinions/export.xlsx", "grid"),
        ("/office/hall/items/", "window"),
        ("/office/hall/items/export.xlsx", "window"),
        ("/office/errands/", "item"),
        ("/office/errands/export.xlsx", "item"),
    ],
)
@pytest.mark.parametrize("value", [HUGE, "²", "-1"])
def test_a_page_or_export_ignores_an_id_filter_it_cannot_hold(client, world, url, param, value):
    client.force_login(world.users.secretary)
    response = client.get(url, {param: value})
    assert response.status_code == 200


def test_a_residents_errand_page_with_an_item_beyond_64_bits_is_a_404(client, world):
    client.force_login(world.users.resident)
    assert client.get("/me/errands/new/", {"item": HUGE}).status_code == 404


def test_switching_to_a_community_beyond_64_bits_is_a_404(client, world):
    client.force_login(world.users.street_leader)
    assert client.post("/office/switch-community/", {"community_id": HUGE}).status_code == 404


NO_BOUNDARY = "multipart/form-data"


def test_multipart_without_boundary_on_the_token_endpoint_is_a_400_in_chinese(client, db):
    response = client.generic("POST", "/api/v1/auth/token", b"phone=1", content_type=NO_BOUNDARY)
    assert response.status_code == 400
    assert "boundary" in response.json()["detail"] and "上传格式有误" in response.json()["detail"]


def test_multipart_without_boundary_on_uploads_is_a_400(client, world):
    assert opinion(client, world.users.resident).status_code == 201
    case = Case.objects.get()
    api = [f"/api/v1/cases/{case.uuid}/attachments", "/api/v1/roster/import"]
    for url in api:
        response = client.generic("POST", url, b"x", content_type=NO_BOUNDARY, **bearer(world.users.secretary))
        assert response.status_code == 400, url
        assert "上传格式有误" in response.json()["detail"]
    client.force_login(world.users.secretary)
    for url in ["/office/roster/import/", f"/cases/{case.uuid}/attach/"]:
        response = client.generic("POST", url, b"x", content_type=NO_BOUNDARY)
        assert response.status_code == 400, url
        assert "上传格式有误" in response.content.decode()
    assert not case.attachments.exists()


def test_an_11_mb_json_body_is_a_413_in_chinese(client, world):
    body = json.dumps({"kind": "opinion", "title": "x", "text": "长" * (11 * 1024 * 1024 // 3)})
    response = client.post("/api/v1/cases", body, content_type="application/json", **bearer(world.users.resident))
    assert response.status_code == 413
    assert response.json()["detail"] == "请求内容过大:不能超过 10 MB。"
    assert not Case.objects.exists()


def test_a_dispute_whose_other_party_name_is_a_number_is_a_422(client, world):
    payload = {
        "kind": "dispute",
        "title": "楼上漏水",
        "text": "卫生间漏水到楼下",
        "category": "neighbour",
        "other_parties": [{"name": 12345, "address": "1号楼102"}],
    }
    response = client.post("/api/v1/cases", payload, content_type="application/json", **bearer(world.users.resident))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "other_parties.0.name"
    assert response.json()["errors"][0]["message"] == "应为文本"
    assert not Case.objects.exists()
