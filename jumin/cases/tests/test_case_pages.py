import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jumin.cases import services as case_services
from jumin.cases.demo import demo_case
from jumin.cases.models import Case, CaseAttachment
from jumin.core.models import ApiToken

from .case_kind import TEST_KIND

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def open_case(world, n=0, actor=None):
    return case_services.case_open(
        actor=actor or world.users.resident, kind=TEST_KIND.code, title=f"事项{n}", body="内容"
    )


@pytest.fixture
def many_cases(world):
    cases = [open_case(world, n) for n in range(22)]
    for case in cases[:10]:
        case_services.case_take(actor=world.users.grid_worker, case=case)
    return cases


@pytest.mark.parametrize("queue", ["mine", "grid", "unassigned", "overdue", "all"])
def test_work_queue_uses_constant_queries(login, world, many_cases, django_assert_max_num_queries, queue):
    client = login(world.users.grid_worker)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:case-queue"), {"queue": queue})
    assert response.status_code == 200


def test_my_cases_uses_constant_queries(login, world, many_cases, django_assert_max_num_queries):
    from jumin.core.registry import registry

    client = login(world.users.resident)
    # Constant in the rows; each registered inbox source adds its entries and count queries (two).
    with django_assert_max_num_queries(2 + 2 * len(registry.inbox_sources)):
        response = client.get(reverse("cases:my-cases"))
    assert response.status_code == 200
    assert "事项21" in response.content.decode()


def test_case_api_list_uses_constant_queries(client, world, many_cases, django_assert_max_num_queries):
    token = ApiToken.issue(world.users.secretary)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/cases?queue=all", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["count"] == 22


def test_queue_export_is_xlsx(login, world, many_cases):
    response = login(world.users.secretary).get(reverse("cases:case-export"), {"queue": "all"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_staff_take_from_the_case_page_and_a_second_take_is_told_clearly(login, world):
    case = open_case(world)
    url = reverse("cases:case-take", args=[case.uuid])
    first = login(world.users.grid_worker).post(url, follow=True)
    assert "已受理" in first.content.decode()
    second = login(world.users.window_staff).post(url, follow=True)
    assert "已被其他工作人员受理" in second.content.decode()
    assert Case.objects.get(pk=case.pk).assignee == world.users.grid_worker


def test_answer_with_empty_comment_is_refused_on_the_page(login, world):
    case = open_case(world)
    client = login(world.users.grid_worker)
    client.post(reverse("cases:case-take", args=[case.uuid]))
    response = client.post(
        reverse("cases:case-move", args=[case.uuid]),
        {"to": "answered", "expected_status": "accepted", "comment": ""},
        follow=True,
    )
    assert "请填写答复内容" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "accepted"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("resident", 200), ("neighbour", 404), ("outsider", 404)],
)
def test_resident_case_page_scoping(login, world, persona, status):
    case = open_case(world)
    assert login(getattr(world.users, persona)).get(reverse("cases:my-case", args=[case.uuid])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("grid_worker", 200), ("secretary", 200), ("street_leader", 200), ("other_secretary", 404), ("resident", 302)],
)
def test_staff_case_page_scoping(login, world, persona, status):
    case = open_case(world)
    assert login(getattr(world.users, persona)).get(reverse("cases:case-detail", args=[case.uuid])).status_code in (
        (status,) if status != 302 else (404, 302)
    )


def test_resident_attaches_a_photo_and_outsiders_cannot_fetch_it(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    case = open_case(world)
    client = login(world.users.resident)
    client.post(
        reverse("cases:case-attach", args=[case.uuid]), {"file": SimpleUploadedFile("灯.png", PNG, "image/png")}
    )
    attachment = CaseAttachment.objects.get(case=case)
    assert attachment.content_type == "image/png"
    response = client.get(reverse("cases:case-attachment", args=[attachment.uuid]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert login(world.users.neighbour).get(reverse("cases:case-attachment", args=[attachment.uuid])).status_code == 404
    # The photo lives where no static route reaches: only the checking view above hands it out.
    assert (tmp_path / "private" / attachment.file.name).read_bytes() == PNG
    assert not (tmp_path / "media").exists()
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


def test_stored_extension_follows_the_content_not_the_name(login, world):
    case = open_case(world)
    client = login(world.users.resident)
    client.post(
        reverse("cases:case-attach", args=[case.uuid]), {"file": SimpleUploadedFile("x.html", PNG, "text/html")}
    )
    attachment = CaseAttachment.objects.get(case=case)
    assert attachment.content_type == "image/png" and attachment.file.name.endswith(".png")
    assert attachment.name == "x.html"  # shown as sent, served as image/png


def test_disguised_file_is_refused(login, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = open_case(world)
    client = login(world.users.resident)
    response = client.post(
        reverse("cases:case-attach", args=[case.uuid]),
        {"file": SimpleUploadedFile("photo.jpg", b"just some text", "image/jpeg")},
        follow=True,
    )
    assert "只能上传" in response.content.decode()
    assert not CaseAttachment.objects.exists()


def test_resident_rates_from_the_page(login, world):
    case = open_case(world)
    worker = world.users.grid_worker
    case_services.case_take(actor=worker, case=case)
    case = case_services.case_transition(actor=worker, case=case, to="answered", comment="已处理")
    case_services.case_transition(actor=worker, case=case, to="closed")
    client = login(world.users.resident)
    page = client.get(reverse("cases:my-case", args=[case.uuid])).content.decode()
    assert "您对办理结果满意吗" in page and "已处理" in page
    response = client.post(reverse("cases:case-rate", args=[case.uuid]), {"value": "satisfied"}, follow=True)
    assert "感谢您的评价" in response.content.decode()


def test_figures_page_is_for_secretary_and_street(login, world, many_cases):
    assert login(world.users.window_staff).get(reverse("cases:case-figures")).status_code == 403
    response = login(world.users.secretary).get(reverse("cases:case-figures"))
    assert response.status_code == 200
    assert "响应率" in response.content.decode()


def test_household_file_lists_cases(login, world):
    case = open_case(world)
    html = login(world.users.secretary).get(reverse("people:household-detail", args=[world.home.uuid])).content
    assert case.title in html.decode()


def test_street_figures_compare_communities(login, world):
    open_case(world)
    case_services.case_open(actor=world.users.outsider, kind=TEST_KIND.code, title="黄河社区的事", body="内容")
    html = login(world.users.street_leader).get(reverse("cases:case-figures")).content.decode()
    assert "按社区" in html and "玉龙湖社区" in html and "黄河社区" in html


def test_figures_page_uses_constant_queries(login, world, many_cases, django_assert_max_num_queries):
    client = login(world.users.street_leader)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cases:case-figures")).status_code == 200


def test_notifications_use_constant_queries(login, world, django_assert_max_num_queries):
    from jumin.cases.models import Notification

    case = open_case(world)
    Notification.objects.bulk_create(
        [Notification(user=world.users.resident, case=case, title=f"通知{n}") for n in range(25)]
    )
    client = login(world.users.resident)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("cases:notifications"))
    assert "通知24" in response.content.decode()
    assert Notification.objects.filter(user=world.users.resident, read_at__isnull=True).count() == 5


def test_figures_count_confidential_cases_without_showing_them(login, world):
    from .case_kind import SECRET_KIND

    case_services.case_open(actor=world.users.resident, kind=SECRET_KIND.code, title="邻里纠纷", body="内容")
    html = login(world.users.street_leader).get(reverse("cases:case-figures")).content.decode()
    assert "保密测试事项" in html
    assert "邻里纠纷" not in html


def _row_cells(html: str, header: str) -> list[str]:
    import re

    row = re.search(rf'<tr>\s*<th scope="row">{header}</th>(.*?)</tr>', html, re.S)
    assert row, f"no row for {header}"
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def test_street_figures_page_matches_a_hand_count(login, world):
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    monday = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    worker, other = world.users.grid_worker, world.users.other_secretary
    with time_machine.travel(monday, tick=False):
        quick, never = open_case(world, 1), open_case(world, 2)
        far = case_services.case_open(
            actor=world.users.outsider, kind=TEST_KIND.code, title="黄河社区的事", body="内容"
        )
        case_services.case_take(actor=worker, case=quick)
    with time_machine.travel(monday + datetime.timedelta(hours=2), tick=False):
        quick = case_services.case_transition(actor=worker, case=quick, to="answered", comment="已处理")
        quick = case_services.case_transition(actor=worker, case=quick, to="closed")
        case_services.case_rate(actor=world.users.resident, case=quick, value="basic")
    with time_machine.travel(monday + datetime.timedelta(days=3), tick=False):  # Thursday: too late to count
        case_services.case_take(actor=other, case=far)
    with time_machine.travel(monday + datetime.timedelta(days=4), tick=False):  # Friday: both open ones overdue
        html = login(world.users.street_leader).get(reverse("cases:case-figures")).content.decode()
    # columns: total, response, resolution, satisfaction, average hours to close, overdue
    assert _row_cells(html, "玉龙湖社区") == ["2", "50.0%", "50.0%", "100.0%", "2.0", "1"]
    assert _row_cells(html, "黄河社区") == ["1", "0.0%", "0.0%", "—", "—", "1"]
    assert _row_cells(html, "测试事项") == ["3", "33.3%", "33.3%", "100.0%", "2.0", "2"]
    assert never.phase == "new"


def test_queue_filters_by_progress_and_grid_and_export_follows(login, world):
    from io import BytesIO

    from openpyxl import load_workbook

    worker = world.users.grid_worker
    near = open_case(world, 1)  # 第1网格
    far = case_services.case_open(
        actor=world.users.secretary, kind=TEST_KIND.code, title="二号楼的事", body="内容", resident=world.far_resident
    )
    case_services.case_take(actor=worker, case=near)
    client = login(world.users.secretary)
    html = client.get(reverse("cases:case-queue"), {"queue": "all", "phase": "taken"}).content.decode()
    assert "事项1" in html and "二号楼的事" not in html
    assert '<option value="taken" selected>办理中</option>' in html
    assert 'href="?queue=mine&amp;phase=taken"' in html  # switching tabs keeps the filter
    html = client.get(reverse("cases:case-queue"), {"queue": "all", "grid": world.grid2.pk}).content.decode()
    assert "二号楼的事" in html and "事项1" not in html
    assert f'<option value="{world.grid2.pk}" selected>第2网格</option>' in html
    book = load_workbook(BytesIO(client.get(reverse("cases:case-export"), {"queue": "all", "phase": "new"}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [far.number]
    # A grid worker with one grid gets no grid picker; the API takes the same filter.
    assert 'id="case-grid"' not in login(worker).get(reverse("cases:case-queue")).content.decode()
    token = ApiToken.issue(world.users.secretary)
    api = client.get("/api/v1/cases?queue=all&phase=taken", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [c["uuid"] for c in api["items"]] == [str(near.uuid)]


def test_staff_internal_scan_stays_with_staff(login, world):
    case = open_case(world)
    case_services.case_take(actor=world.users.grid_worker, case=case)
    staff = login(world.users.grid_worker)
    response = staff.post(
        reverse("cases:case-attach", args=[case.uuid]),
        {"file": SimpleUploadedFile("身份证.png", PNG, "image/png"), "internal": "on"},
        follow=True,
    )
    assert "已上传附件(仅工作人员可见)" in response.content.decode()
    attachment = CaseAttachment.objects.get(case=case)
    assert not attachment.public and not case.events.get(kind="attachment").public
    assert staff.get(reverse("cases:case-attachment", args=[attachment.uuid])).status_code == 200
    resident = login(world.users.resident)
    assert "身份证.png" not in resident.get(reverse("cases:my-case", args=[case.uuid])).content.decode()
    assert resident.get(reverse("cases:case-attachment", args=[attachment.uuid])).status_code == 404
    # A resident cannot hide their own upload from staff, whatever they post.
    resident.post(
        reverse("cases:case-attach", args=[case.uuid]),
        {"file": SimpleUploadedFile("门口.png", PNG, "image/png"), "internal": "on"},
    )
    assert CaseAttachment.objects.get(case=case, name="门口.png").public


def test_resident_sees_the_answer_on_top_but_not_internal_notes(login, world):
    case = open_case(world)
    worker = world.users.grid_worker
    case_services.case_take(actor=worker, case=case)
    case_services.case_message(actor=worker, case=case, text="内部:电工周三来", public=False)
    case = case_services.case_transition(actor=worker, case=case, to="answered", comment="周三更换灯泡")
    html = login(world.users.resident).get(reverse("cases:my-case", args=[case.uuid])).content.decode()
    answer = html[html.index('id="h-answer"') : html.index("</section>", html.index('id="h-answer"'))]
    assert "周三更换灯泡" in answer and worker.name in answer
    assert "内部:电工周三来" not in html
    case_services.case_message(actor=worker, case=case, text="灯泡已到货", public=True)
    html = login(world.users.resident).get(reverse("cases:my-case", args=[case.uuid])).content.decode()
    assert "灯泡已到货" in html[html.index('id="h-answer"') :][:400]


def test_after_reopening_the_old_answer_leaves_the_top_until_a_new_one_comes(login, world):
    case = open_case(world)
    worker = world.users.grid_worker
    case_services.case_take(actor=worker, case=case)
    case = case_services.case_transition(actor=worker, case=case, to="answered", comment="周三更换灯泡")
    case = case_services.case_transition(actor=worker, case=case, to="closed")
    case_services.case_rate(actor=world.users.resident, case=case, value="unsatisfied", comment="还是不亮")
    case = case_services.case_reopen(actor=world.users.resident, case=Case.objects.get(pk=case.pk), reason="还是不亮")
    web = login(world.users.resident)
    html = web.get(reverse("cases:my-case", args=[case.uuid])).content.decode()
    assert 'id="h-answer"' not in html
    assert "周三更换灯泡" in html  # still in the history below
    case_services.case_transition(actor=worker, case=case, to="answered", comment="已换整套灯具")
    html = web.get(reverse("cases:my-case", args=[case.uuid])).content.decode()
    answer = html[html.index('id="h-answer"') :][:400]
    assert "已换整套灯具" in answer and "周三更换灯泡" not in answer


def test_history_names_the_resident_for_a_step_nobody_signed(login, world):
    case = demo_case(
        kind=TEST_KIND.code,
        resident=world.resident,
        title="楼道灯坏了",
        body="3号楼楼道灯不亮",
        created_at=timezone.now() - datetime.timedelta(days=1),
        path=[],
        worker=None,
    )
    html = login(world.users.secretary).get(reverse("cases:case-detail", args=[case.uuid])).content.decode()
    history = html[html.index('id="h-history"') :]
    assert world.resident.name in history
    assert "系统" not in history


def test_a_filter_change_brings_tabs_and_export_link_that_keep_the_filter(login, world, many_cases):
    client = login(world.users.grid_worker)
    response = client.get(reverse("cases:case-queue"), {"queue": "all", "phase": "new"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    tabs = html[html.index('id="queue-tabs"') :]
    assert 'hx-swap-oob="true"' in tabs[:80]
    assert "?queue=mine&amp;phase=new" in tabs
    export = html[html.index('id="queue-export"') :]
    assert "phase=new" in export[:300]


def test_a_refused_permission_is_the_same_403_with_its_reason_on_a_page_and_in_the_api(client, world):
    case = open_case(world)
    case_services.case_take(actor=world.users.grid_worker, case=case)
    # The window clerk may see the case but not hand on someone else's.
    client.force_login(world.users.window_staff)
    staff = world.users.secretary
    page = client.post(reverse("cases:case-assign", args=[case.uuid]), {"assignee": staff.pk})
    assert page.status_code == 403
    assert "您不能处理该事项" in page.content.decode() or "只有承办人或社区书记可以转办" in page.content.decode()
    token = ApiToken.issue(world.users.window_staff)
    api = client.post(
        f"/api/v1/cases/{case.uuid}/transitions",
        {"to": "answered", "comment": "已修好"},
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert api.status_code == 403 and api.json()["detail"] == "您不能处理该事项"
    case.refresh_from_db()
    assert case.assignee == world.users.grid_worker


def test_the_case_page_offers_one_primary_step_and_each_form_has_its_own_ids(client, world):
    case = open_case(world)
    client.force_login(world.users.secretary)
    page = client.get(reverse("cases:case-detail", args=[case.uuid])).content.decode()
    assert page.count('class="btn-primary"') == 1 and "受理此事项" in page
    assert page.count('id="escalate_comment"') == 1 and page.count('id="assign_comment"') == 1
    assert 'for="escalate_comment"' in page and "id_comment" not in page


def test_declining_an_opinion_needs_the_confirmation_box(client, world):
    case = case_services.case_open(
        actor=world.users.resident, kind="opinion", title="广场舞太吵", body="晚上十点还在跳"
    )
    client.force_login(world.users.grid_worker)
    page = client.get(reverse("cases:case-detail", args=[case.uuid])).content.decode()
    assert "我已确认" in page and "⚠ 不予受理" in page
    data = {"to": "declined", "expected_status": "submitted", "comment": "不属于社区职责"}
    client.post(reverse("cases:case-move", args=[case.uuid]), data)
    case.refresh_from_db()
    assert case.status == "submitted"
    client.post(reverse("cases:case-move", args=[case.uuid]), {**data, "confirm": "on"})
    case.refresh_from_db()
    assert case.status == "declined"


def test_the_upload_rule_reads_the_same_on_the_form_and_in_the_refusal(client, world):
    from jumin.core.uploads import UPLOAD_RULE

    case = open_case(world)
    client.force_login(world.users.resident)
    page = client.get(reverse("cases:my-case", args=[case.uuid])).content.decode()
    assert UPLOAD_RULE in page and 'accept=".jpg' in page
    bad = SimpleUploadedFile("说明.html", b"<html>not a picture</html>", content_type="image/png")
    refused = client.post(reverse("cases:case-attach", args=[case.uuid]), {"file": bad}, follow=True)
    assert f"只能上传{UPLOAD_RULE}" in refused.content.decode()
