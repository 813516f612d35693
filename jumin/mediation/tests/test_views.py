import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jumin.cases.models import Case, CaseFollowUp
from jumin.core.models import Role
from jumin.mediation import services
from jumin.mediation.models import Agreement, Dispute, MediationSession
from jumin.people.tests.factories import UserFactory

from .conftest import PNG, WEBP, agreed, register, session, upload


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _detail(case):
    return reverse("cases:case-detail", args=[case.uuid])


# ---- resident: 申请调解 -------------------------------------------------------------------------------------------


def test_resident_applies_for_mediation_and_lands_on_the_case(world, login):
    client = login(world.users.resident)
    page = client.get(reverse("mediation:dispute-new"))
    assert page.status_code == 200 and "申请调解" in page.content.decode()
    response = client.post(
        reverse("mediation:dispute-new"),
        {
            "category": "noise",
            "text": "楼上夜里拖桌椅",
            "title": "",
            "party_name_1": "王建国",
            "party_address_1": "玉龙花园1号楼102",
        },
        follow=True,
    )
    case = Case.objects.get(kind="dispute")
    assert response.redirect_chain[-1][0] == reverse("cases:my-case", args=[case.uuid])
    assert "已提交调解申请" in _messages(response)
    html = response.content.decode()
    assert "王建国" in html and "待核实" in html and "邻里噪音" in html


def test_resident_bad_input_is_shown_in_chinese_and_nothing_is_written(world, login):
    client = login(world.users.resident)
    response = client.post(
        reverse("mediation:dispute-new"),
        {"category": "noise", "text": "太吵", "party_name_1": "", "party_address_1": "", "party_name_2": "李四"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "请填写此项" in html or "必填" in html
    assert "请同时填写姓名和住址" in html
    assert not Case.objects.exists()


def test_unbound_resident_is_told_what_to_do(world, login):
    client = login(UserFactory(role=Role.RESIDENT))
    html = client.get(reverse("mediation:dispute-new")).content.decode()
    assert "还没有和社区登记的住户信息绑定" in html


def test_resident_tile_and_office_nav_are_registered(world, login):
    assert "申请调解" in login(world.users.resident).get(reverse("core:me")).content.decode()
    assert (
        reverse("mediation:dispute-list")
        in login(world.users.grid_worker).get(reverse("dashboards:office")).content.decode()
    )


# ---- staff: 登记纠纷 ----------------------------------------------------------------------------------------------


def test_mediator_registers_a_dispute_by_picking_parties(world, login):
    client = login(world.users.mediator)
    url = reverse("mediation:dispute-register")
    found = client.get(url, {"q": world.neighbour.name}).content.decode()
    assert world.neighbour.name in found and "添加为当事人" in found
    assert world.neighbour.phone not in found  # masked
    picked = client.get(url, {"p": [world.resident.uuid, world.neighbour.uuid]}).content.decode()
    assert "已选当事人(2 人)" in picked
    response = client.post(
        url,
        {
            "p": [world.resident.uuid, world.neighbour.uuid],
            "requester": str(world.resident.uuid),
            "category": "leak",
            "title": "",
            "text": "楼上卫生间漏水",
        },
        follow=True,
    )
    case = Case.objects.get(kind="dispute")
    assert response.redirect_chain[-1][0] == _detail(case)
    assert "并由您受理" in _messages(response)
    assert case.assignee == world.users.mediator and case.parties.count() == 2


def test_staff_register_bad_input_writes_nothing(world, login):
    client = login(world.users.secretary)
    url = reverse("mediation:dispute-register")
    only_one = client.post(
        url, {"p": [world.resident.uuid], "requester": str(world.resident.uuid), "category": "noise", "text": "x"}
    )
    assert "至少选择一位对方当事人" in only_one.content.decode()
    no_requester = client.post(
        url, {"p": [world.resident.uuid, world.neighbour.uuid], "category": "noise", "text": "x"}
    )
    assert "请在已选当事人中选出申请人" in no_requester.content.decode()
    # Someone from another community cannot be slipped in by uuid: they are dropped from the selection.
    sneaky = client.post(
        url,
        {
            "p": [world.resident.uuid, world.outsider_resident.uuid],
            "requester": str(world.resident.uuid),
            "category": "noise",
            "text": "x",
        },
    )
    assert world.outsider_resident.name not in sneaky.content.decode()
    assert client.get(url, {"p": ["not-a-uuid", str(world.resident.uuid)]}).status_code == 200
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["grid_worker", "window_staff", "street_leader"])
def test_register_page_is_403_without_mediation_manage(world, login, persona):
    assert login(getattr(world.users, persona)).get(reverse("mediation:dispute-register")).status_code == 403


def test_register_page_is_404_for_residents(world, login):
    assert login(world.users.resident).get(reverse("mediation:dispute-register")).status_code == 404


# ---- the panel and its actions -----------------------------------------------------------------------------------


def test_panel_shows_the_mediator_what_to_do_next(world, dispute, login):
    html = login(world.users.mediator).get(_detail(dispute.case)).content.decode()
    assert "记录一次调解" in html and "还没有调解记录" in html and "移交街道司法所" in html
    assert "指派调解员" not in html  # the secretary's job


def test_secretary_assigns_the_mediator_from_the_panel(world, login):
    d = register(world)
    client = login(world.users.secretary)
    assert "指派调解员" in client.get(_detail(d.case)).content.decode()
    response = client.post(
        reverse("mediation:assign", args=[d.case.uuid]), {"assign-mediator": world.users.mediator.pk}, follow=True
    )
    assert f"已指派调解员 {world.users.mediator.name}" in _messages(response)
    d.case.refresh_from_db()
    assert d.case.assignee == world.users.mediator


def test_mediator_cannot_assign_403(world, dispute, login):
    response = login(world.users.mediator).post(
        reverse("mediation:assign", args=[dispute.case.uuid]), {"assign-mediator": world.users.mediator.pk}
    )
    assert response.status_code == 403


def test_session_agreement_follow_up_close_through_the_panel(world, dispute, login):
    client = login(world.users.mediator)
    case = dispute.case
    held = timezone.localtime() - datetime.timedelta(hours=2)
    response = client.post(
        reverse("mediation:session-add", args=[case.uuid]),
        {
            "session-held_at": held.strftime("%Y-%m-%dT%H:%M"),
            "session-place": "社区调解室",
            "session-attendees": [world.resident.pk, world.neighbour.pk],
            "session-notes": "双方各自陈述",
        },
        follow=True,
    )
    assert "已记录本次调解" in _messages(response)
    assert MediationSession.objects.get().attendees.count() == 2
    response = client.post(
        reverse("mediation:agreement", args=[case.uuid]),
        {"agreement-text": "22点后保持安静", "agreement-signed_scan": upload("签字.png", PNG, "image/png")},
        follow=True,
    )
    assert "已登记调解协议" in _messages(response)
    assert Agreement.objects.get().scan_content_type == "image/png"
    refused = client.post(reverse("mediation:close", args=[case.uuid]), {}, follow=True)
    assert "至少回访一次" in _messages(refused)
    client.post(reverse("mediation:follow-up", args=[case.uuid]), {"follow-method": "visit", "follow-note": "已履行"})
    assert CaseFollowUp.objects.count() == 1
    closed = client.post(reverse("mediation:close", args=[case.uuid]), {"close-comment": ""}, follow=True)
    assert "已结案" in _messages(closed)
    case.refresh_from_db()
    assert case.status == "closed"


def test_session_bad_input_is_a_message_and_nothing_is_written(world, dispute, login):
    response = login(world.users.mediator).post(
        reverse("mediation:session-add", args=[dispute.case.uuid]),
        {"session-held_at": "", "session-place": "", "session-notes": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _detail(dispute.case)
    assert _messages(response) == "请填写调解时间"
    assert not MediationSession.objects.exists()


def test_wrong_scan_type_is_refused_on_the_page(world, dispute, login):
    session(world, dispute)
    response = login(world.users.mediator).post(
        reverse("mediation:agreement", args=[dispute.case.uuid]),
        {"agreement-text": "协议", "agreement-signed_scan": upload("x.webp", WEBP, "image/webp")},
        follow=True,
    )
    assert "PDF、JPG 或 PNG" in _messages(response)
    assert not Agreement.objects.exists()


def test_fail_and_escalate_need_reasons(world, dispute, login):
    client = login(world.users.mediator)
    case = dispute.case
    assert (
        _messages(client.post(reverse("mediation:fail", args=[case.uuid]), {}, follow=True)) == "请填写调解未成的原因"
    )
    empty = client.post(reverse("mediation:escalate", args=[case.uuid]), {"escalate-reason": ""}, follow=True)
    assert _messages(empty) == "请填写移交街道司法所的原因"
    done = client.post(reverse("mediation:escalate", args=[case.uuid]), {"escalate-reason": "金额较大"}, follow=True)
    # The mediator keeps following the dispute after handing it to the street.
    assert done.redirect_chain[-1][0] == reverse("cases:case-detail", args=[case.uuid])
    assert "已移交街道司法所" in _messages(done)
    case.refresh_from_db()
    assert case.level == "street" and case.status == "accepted"


def test_other_mediator_gets_404_on_actions(world, dispute, login):
    other = UserFactory(role=Role.MEDIATOR, community=world.a)
    response = login(other).post(reverse("mediation:fail", args=[dispute.case.uuid]), {"fail-reason": "x"})
    assert response.status_code == 404
    dispute.case.refresh_from_db()
    assert dispute.case.status == "accepted"


@pytest.mark.parametrize("persona", ["resident", "neighbour"])
def test_parties_cannot_use_the_staff_actions(world, dispute, login, persona):
    client = login(getattr(world.users, persona))
    assert client.get(_detail(dispute.case)).status_code == 404
    response = client.post(reverse("mediation:fail", args=[dispute.case.uuid]), {"fail-reason": "不想调了"})
    assert response.status_code == 404
    dispute.case.refresh_from_db()
    assert dispute.case.status == "accepted"


def test_party_link_page_links_a_named_party(world, login):
    d = services.dispute_register(
        actor=world.users.resident,
        title="噪音",
        text="太吵",
        category="noise",
        other_parties=[{"name": world.neighbour.name, "address": "1号楼102"}],
    )
    named = d.named_parties.get()
    client = login(world.users.secretary)
    url = reverse("mediation:party-link", args=[d.case.uuid, named.pk])
    page = client.get(url).content.decode()
    assert "确认是此人" in page and world.neighbour.name in page
    response = client.post(url, {"resident": str(world.neighbour.uuid)}, follow=True)
    assert f"已核实当事人 {world.neighbour.name}" in _messages(response)
    assert d.case.parties.filter(resident=world.neighbour).exists()


# ---- list, export, download --------------------------------------------------------------------------------------


def test_list_filters_and_search(world, dispute, login):
    register(world, title="车位纠纷", category="parking")
    client = login(world.users.secretary)
    url = reverse("mediation:dispute-list")
    assert "共 2 条" in client.get(url).content.decode()
    assert "共 1 条" in client.get(url, {"category": "parking"}).content.decode()
    assert "共 1 条" in client.get(url, {"status": "accepted"}).content.decode()
    found = client.get(url, {"q": "车位"}, HTTP_HX_REQUEST="true").content.decode()
    assert "车位纠纷" in found and "<h1>" not in found


def test_empty_list_says_what_to_do(world, login):
    html = login(world.users.mediator).get(reverse("mediation:dispute-list")).content.decode()
    assert "没有您可以查看的纠纷" in html and "登记纠纷" in html


def test_counts_export_has_counts_and_no_names_or_text(world, dispute, login):
    agreed(world, dispute)
    register(world, title="家里吵架", category="family", text="兄弟俩为赡养费争吵")
    response = login(world.users.secretary).get(reverse("mediation:dispute-counts"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    text = repr(rows)
    for secret in (
        world.resident.name,
        world.neighbour.name,
        "楼上夜间噪音",
        "家里吵架",
        "赡养费",
        dispute.case.number,
    ):
        assert secret not in text
    header, total = rows[0], rows[-1]
    assert header[:3] == ("月份", "登记数", "邻里噪音")
    assert total[0] == "合计" and total[1] == 2
    assert dict(zip(header, total, strict=True))["家庭矛盾"] == 1
    assert dict(zip(header, total, strict=True))["已达成协议"] == 1


def test_scan_download_is_audited_and_404_without_a_scan(world, dispute, login):
    agreed(world, dispute)
    client = login(world.users.resident)
    url = reverse("mediation:scan-download", args=[dispute.case.uuid])
    assert client.get(url).status_code == 404
    services.agreement_attach_scan(actor=world.users.mediator, dispute=dispute, upload=upload())
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    from jumin.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="mediation.scan_download", actor=world.users.resident).count() == 1


def test_household_file_lists_the_dispute_for_those_who_may_see_it(world, dispute, login):
    html = login(world.users.secretary).get(reverse("people:household-detail", args=[world.home.uuid])).content.decode()
    assert dispute.case.number in html
    mine = login(world.users.resident).get(reverse("people:my-household")).content.decode()
    assert dispute.case.number in mine
    assert Dispute.objects.count() == 1


def test_generic_case_moves_cannot_skip_the_mediation_rules(world, dispute, login, client):
    """The shared case page and the case API refuse dispute steps: an agreed dispute is not closed without a visit."""
    from .conftest import bearer

    agreed(world, dispute)
    case = dispute.case
    page = login(world.users.mediator).post(
        reverse("cases:case-move", args=[case.uuid]), {"to": "closed", "expected_status": "agreed"}, follow=True
    )
    assert "须在矛盾调解页面中办理" in _messages(page)
    api = client.post(
        f"/api/v1/cases/{case.uuid}/transitions",
        {"to": "closed", "expected_status": "agreed"},
        content_type="application/json",
        **bearer(world.users.mediator),
    )
    assert api.status_code == 400 and "矛盾调解页面" in api.json()["detail"]
    case.refresh_from_db()
    assert case.status == "agreed"


def test_the_agreement_prints_for_those_who_see_the_dispute_and_the_print_is_audited(login, world):
    from jumin.core.models import AuditEvent

    from .conftest import agreed, register

    dispute = register(world, actor=world.users.mediator)
    agreed(world, dispute)
    url = reverse("mediation:agreement-print", args=[dispute.case.uuid])
    page = login(world.users.mediator).get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "人民调解协议书" in html and world.neighbour.name in html
    assert "调解员(签字)" in html and 'class="sidebar"' not in html
    assert AuditEvent.objects.filter(action="mediation.agreement_print").count() == 1
    for outsider in ("grid_worker", "window_staff", "street_leader", "other_secretary"):
        assert login(getattr(world.users, outsider)).get(url).status_code == 404, outsider
