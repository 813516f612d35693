import pytest

from jumin.cases.models import Case
from jumin.core.models import ApiToken
from jumin.party.models import Channel, Opinion


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def post(client, user, **body):
    payload = {"kind": "opinion", "title": "希望增设电动车充电桩", "text": "车棚充电口太少", "category": "parking"}
    payload.update(body)
    return client.post("/api/v1/cases", payload, content_type="application/json", **bearer(user))


def test_resident_creates_an_opinion_through_the_api(client, world):
    response = post(client, world.users.resident, allow_public=True)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "opinion" and body["kind_label"] == "社情民意" and body["status_label"] == "已提交"
    assert body["detail"]["category_label"] == "停车交通" and body["detail"]["allow_public"] is True
    assert body["detail"]["channel"] == "online" and "recorded_by" not in body["detail"]
    opinion = Opinion.objects.get()
    assert opinion.case.resident == world.resident and opinion.allow_public


def test_grid_worker_records_for_a_resident_by_uuid(client, world):
    response = post(client, world.users.grid_worker, resident=str(world.spouse.uuid))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["resident"] == world.spouse.name
    assert body["detail"]["channel"] == Channel.GRID and body["detail"]["recorded_by"] == world.users.grid_worker.name


@pytest.mark.parametrize("resident", ["far_resident", "outsider_resident"])
def test_grid_worker_gets_404_for_a_resident_outside_their_grids(client, world, resident):
    response = post(client, world.users.grid_worker, resident=str(getattr(world, resident).uuid))
    assert response.status_code == 404
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"category": "weather"}, "category", "请选择类别"),
        ({"title": " "}, "title", "请填写标题"),
    ],
)
def test_bad_input_is_400_in_chinese_and_nothing_written(client, world, body, field, message):
    response = post(client, world.users.resident, **body)
    assert response.status_code == 400
    assert response.json() == {"detail": message, "field": field}
    assert not Case.objects.exists() and not Opinion.objects.exists()


def test_staff_without_a_resident_is_told_to_choose_one(client, world):
    response = post(client, world.users.window_staff)
    assert response.status_code == 400 and response.json()["field"] == "resident"


def test_mediator_may_not_record(client, world):
    response = post(client, world.users.mediator, resident=str(world.neighbour.uuid))
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_categories(client, world):
    response = client.get("/api/v1/opinions/categories", **bearer(world.users.resident))
    assert response.status_code == 200
    labels = [c["label"] for c in response.json()]
    assert labels == ["环境卫生", "物业管理", "停车交通", "公共设施", "治安安全", "邻里关系", "政策咨询", "其他"]


def test_detail_includes_the_opinion_panel_data(client, world):
    uuid = post(client, world.users.resident).json()["uuid"]
    body = client.get(f"/api/v1/cases/{uuid}", **bearer(world.users.secretary)).json()
    assert body["detail"]["category"] == "parking" and body["detail"]["recorded_by"] == world.users.resident.name
    assert client.get(f"/api/v1/cases/{uuid}", **bearer(world.users.outsider)).status_code == 404


def test_create_from_api_reads_the_opinion_fields(world):
    from jumin.party.services import opinion_create_from_api

    data = {"kind": "opinion", "title": "路灯不亮", "text": "东门路灯不亮", "category": "facilities", "allow_public": 1}
    case = opinion_create_from_api(world.users.window_staff, {**data, "resident": str(world.far_resident.uuid)})
    assert case.resident == world.far_resident
    assert (case.opinion.category, case.opinion.channel, case.opinion.allow_public) == ("facilities", "window", True)
    own = opinion_create_from_api(world.users.resident, {**data, "resident": str(world.far_resident.uuid)})
    assert own.resident == world.resident and own.opinion.channel == "online"


def test_create_from_api_hides_residents_outside_scope(world):
    from django.http import Http404

    from jumin.party.services import opinion_create_from_api

    data = {"title": "t", "text": "x", "category": "other", "resident": str(world.far_resident.uuid)}
    with pytest.raises(Http404):
        opinion_create_from_api(world.users.grid_worker, data)
    with pytest.raises(Http404):
        opinion_create_from_api(world.users.grid_worker, {**data, "resident": "not-a-uuid"})
    assert not Case.objects.exists()
