import datetime
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from jumin.cases.models import Case, CaseAttachment
from jumin.core.models import Role
from jumin.party.models import Category, Channel, Opinion
from jumin.party.services import opinion_submit
from jumin.people.tests.factories import UserFactory

from .conftest import fake_jpeg, png

NEW = "/me/opinions/new/"
OFFICE_NEW = "/office/opinions/new/"
LIST = "/office/opinions/"
EXPORT = "/office/opinions/export.xlsx"


def form_data(**extra):
    data = {"title": "小区东门路灯不亮", "category": "facilities", "text": "东门的三盏路灯坏了一个月。"}
    data.update(extra)
    return data


def opinion_for(world, resident, actor=None, **extra):
    fields = {"title": "3号楼下水道堵塞", "text": "堵了三天", "category": Category.ENVIRONMENT, "allow_public": False}
    fields.update(extra)
    actor = actor or world.users.secretary
    return opinion_submit(actor=actor, resident=resident, **fields)


# --- 我要反映 (resident) -----------------------------------------------------------------------------------------


def test_resident_page_shows_the_form(login, world):
    response = login(world.users.resident).get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["<h1>我要反映</h1>", "标题", "类别", "内容", "照片", "同意匿名公开", 'type="file"', "multiple"]:
        assert text in html


def test_resident_submits_with_a_photo_and_lands_on_the_case(login, world):
    client = login(world.users.resident)
    response = client.post(NEW, form_data(photos=[png()], allow_public="on"))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:my-case", args=[case.uuid])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已提交,社区会在 1 个工作日内受理"]
    assert case.resident == world.resident and case.opinion.allow_public
    assert case.opinion.channel == Channel.ONLINE
    assert CaseAttachment.objects.filter(case=case).count() == 1
    page = client.get(response.url).content.decode()
    assert "社情民意" in page and "公共设施" in page and "线上提交" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form_data(title=""), "请填写标题"),
        (form_data(category="weather"), "请选择列表中的类别"),
        (form_data(text="   "), "请填写内容"),
        (form_data(photos=[fake_jpeg()]), "只能上传"),
    ],
)
def test_resident_bad_input_shows_a_chinese_error_and_writes_nothing(login, world, data, message):
    response = login(world.users.resident).post(NEW, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists() and not Opinion.objects.exists()


def test_unbound_resident_is_told_to_activate_first(login, world):
    user = UserFactory(role=Role.RESIDENT)
    client = login(user)
    assert "还没有绑定" in client.get(NEW).content.decode()
    client.post(NEW, form_data())
    assert not Case.objects.exists()


def test_staff_are_sent_to_the_office_form(login, world):
    response = login(world.users.grid_worker).get(NEW)
    assert response.status_code == 302 and response.url == OFFICE_NEW


def test_anonymous_visitor_must_log_in(client, world):
    response = client.get(NEW)
    assert response.status_code == 302 and "/accounts/login/" in response.url


# --- 代录社情民意 (staff) ------------------------------------------------------------------------------------------


def test_grid_worker_finds_residents_of_their_grids_only(login, world):
    client = login(world.users.grid_worker)
    html = client.get(OFFICE_NEW, {"q": "zsf"}).content.decode()
    assert world.resident.name in html
    html = client.get(OFFICE_NEW, {"q": world.far_resident.name}).content.decode()
    assert f'value="{world.far_resident.uuid}"' not in html and "没有找到" in html


def test_grid_worker_records_on_behalf_inside_their_grid(login, world):
    client = login(world.users.grid_worker)
    data = form_data(resident=str(world.spouse.uuid), channel=Channel.GRID, q=world.spouse.name, photos=[png()])
    response = client.post(OFFICE_NEW, data)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("cases:case-detail", args=[case.uuid])
    assert case.resident == world.spouse and case.raised_by == world.users.grid_worker
    assert case.opinion.channel == Channel.GRID
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "已代录社情民意" in message and case.number in message


def test_grid_worker_cannot_record_for_a_resident_outside_their_grid(login, world):
    client = login(world.users.grid_worker)
    for resident in (world.far_resident, world.outsider_resident):
        response = client.post(OFFICE_NEW, form_data(resident=str(resident.uuid), channel=Channel.GRID))
        assert response.status_code == 200
        assert "请选择居民" in response.content.decode()
    assert not Case.objects.exists()


def test_office_form_bad_input_writes_nothing(login, world):
    client = login(world.users.window_staff)
    response = client.post(OFFICE_NEW, form_data(resident=str(world.neighbour.uuid), channel="online", title=""))
    html = response.content.decode()
    assert response.status_code == 200 and "请填写标题" in html and "请选择列表中的登记渠道" in html
    assert not Case.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("mediator", 403), ("street_leader", 403), ("resident", 404)])
def test_office_form_is_closed_to_other_roles(login, world, persona, status):
    client = login(getattr(world.users, persona))
    assert client.get(OFFICE_NEW).status_code == status
    response = client.post(OFFICE_NEW, form_data(resident=str(world.neighbour.uuid), channel=Channel.WINDOW))
    assert response.status_code == status
    assert not Case.objects.exists()


def test_party_rep_records_at_a_reception_day(login, world):
    rep = UserFactory(role=Role.PARTY_REP, community=world.a)
    client = login(rep)
    assert 'value="reception_day" selected' in client.get(OFFICE_NEW).content.decode()
    response = client.post(OFFICE_NEW, form_data(resident=str(world.far_resident.uuid), channel="reception_day"))
    assert response.status_code == 302
    assert Opinion.objects.get().channel == Channel.RECEPTION_DAY


# --- the staff list and its export --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("grid_worker", {"resident"}),
        ("window_staff", {"resident", "far_resident"}),
        ("secretary", {"resident", "far_resident"}),
        ("street_leader", {"resident", "far_resident", "outsider_resident"}),
        ("other_secretary", {"outsider_resident"}),
    ],
)
def test_list_is_scoped(login, world, persona, visible):
    opinion_for(world, world.resident, title="甲的意见")
    opinion_for(world, world.far_resident, title="乙的意见")
    opinion_for(world, world.outsider_resident, actor=world.users.other_secretary, title="丙的意见")
    html = login(getattr(world.users, persona)).get(LIST).content.decode()
    names = {"resident": "甲的意见", "far_resident": "乙的意见", "outsider_resident": "丙的意见"}
    for who, title in names.items():
        assert (title in html) == (who in visible), (persona, who)


def test_residents_cannot_see_the_list_or_export(login, world):
    client = login(world.users.resident)
    assert client.get(LIST).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_party_rep_may_list_but_not_export(login, world):
    client = login(UserFactory(role=Role.PARTY_REP, community=world.a))
    assert client.get(LIST).status_code == 200
    assert client.get(EXPORT).status_code == 403


def test_list_filters(login, world):
    opinion_for(world, world.resident, title="路灯坏了", category=Category.FACILITIES)
    second = opinion_for(world, world.far_resident, title="垃圾没人清")
    client = login(world.users.secretary)
    html = client.get(LIST, {"category": "facilities"}).content.decode()
    assert "路灯坏了" in html and "垃圾没人清" not in html
    html = client.get(LIST, {"grid": world.grid2.pk}).content.decode()
    assert "垃圾没人清" in html and "路灯坏了" not in html
    html = client.get(LIST, {"status": "accepted"}).content.decode()
    assert "没有符合条件的社情民意" in html
    html = client.get(LIST, {"q": second.number}).content.decode()
    assert "垃圾没人清" in html and "路灯坏了" not in html
    # Junk in the query string is ignored, not an error page.
    assert client.get(LIST, {"grid": "abc", "status": "zzz"}).status_code == 200


def test_empty_list_says_what_to_do(login, world):
    html = login(world.users.grid_worker).get(LIST).content.decode()
    assert "还没有社情民意" in html and "代录社情民意" in html


def test_htmx_request_gets_only_the_rows(login, world):
    opinion_for(world, world.resident)
    response = login(world.users.secretary).get(LIST, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "<h1>" not in html


@pytest.fixture
def many_opinions(world):
    # 25 in grid 1 (the grid worker's) and 5 in grid 2.
    for i in range(30):
        resident = world.far_resident if i >= 25 else (world.resident if i % 2 else world.neighbour)
        opinion_for(world, resident, title=f"意见{i}")
    return 30


@pytest.mark.parametrize("persona", ["secretary", "grid_worker", "street_leader"])
def test_list_uses_constant_queries(login, world, many_opinions, django_assert_max_num_queries, persona):
    client = login(getattr(world.users, persona))
    # 7–8 measured: session, user, scope (grid worker: grids; street leader: communities), nav, grids, count, page.
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 21  # header + a full page
    with django_assert_max_num_queries(9):
        client.get(LIST, {"page": 2, "category": "environment"})


def test_export_has_names_but_no_phone_or_id_numbers(login, world, many_opinions, django_assert_max_num_queries):
    client = login(world.users.secretary)
    with django_assert_max_num_queries(5):  # 4 measured: the rows are one query, answers and ratings included
        response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[str(v) if v is not None else "" for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:6] == ["编号", "提交时间", "标题", "类别", "登记渠道", "提出人"]
    assert len(rows) == 1 + many_opinions
    text = "\n".join("\t".join(row) for row in rows)
    assert world.resident.name in text and world.far_resident.name in text
    for resident in (world.resident, world.neighbour, world.far_resident):
        assert resident.phone not in text
        assert resident.id_number not in text and resident.id_masked not in text
        assert resident.household.dwelling.address not in text
    assert "堵了三天" not in text  # the free-text body stays out


def test_export_includes_answer_and_rating(login, world):
    from jumin.cases.services import case_rate, case_take, case_transition

    case = opinion_for(world, world.resident, actor=world.users.resident)
    worker = world.users.grid_worker
    case_take(actor=worker, case=case)
    case = case_transition(actor=worker, case=case, to="answered", comment="已联系物业疏通")
    case = case_transition(actor=worker, case=case, to="closed")
    case_rate(actor=world.users.resident, case=case, value="satisfied")
    sheet = load_workbook(BytesIO(login(world.users.secretary).get(EXPORT).content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    values = dict(zip(header, row, strict=True))
    assert values["答复"] == "已联系物业疏通" and values["满意度"] == "满意" and values["状态"] == "已办结"
    assert values["承办人"] == worker.name
    assert datetime.datetime.strptime(values["办结时间"], "%Y-%m-%d %H:%M")


def test_nav_and_tile_are_registered(login, world):
    assert "社情民意" in login(world.users.grid_worker).get("/office/").content.decode()
    html = login(world.users.resident).get("/me/").content.decode()
    assert "我要反映" in html and NEW in html
