import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jumin.cases import services as case_services
from jumin.cases.models import Case
from jumin.errands import services
from jumin.errands.models import Errand
from jumin.people.tests.factories import ResidentFactory, UserFactory

from .conftest import PHONE, advance, request_errand


def test_resident_chooses_among_proxy_items(login, hall):
    html = login(hall.users.resident).get(reverse("errands:new")).content.decode()
    assert "<h1>申请代办</h1>" in html
    assert f"?item={hall.item.pk}" in html
    assert f'?item={hall.in_person_item.pk}"' not in html


def test_resident_sees_the_documents_and_their_phone_prefilled(login, hall):
    response = login(hall.users.resident).get(reverse("errands:new"), {"item": hall.item.pk})
    html = response.content.decode()
    assert "<h1>申请代办:老年人优待证办理</h1>" in html
    for doc in hall.item.required_documents:
        assert doc in html
    assert f'value="{hall.resident.phone}"' in html
    assert 'type="tel"' in html


def test_resident_submits_and_lands_on_their_case(login, hall):
    client = login(hall.users.resident)
    response = client.post(
        reverse("errands:new") + f"?item={hall.item.pk}",
        {"item": hall.item.pk, "contact_phone": PHONE, "contact_note": "下午在家"},
    )
    errand = Errand.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my-case", args=[errand.case.uuid])
    assert errand.case.resident == hall.resident and errand.contact_note == "下午在家"
    page = client.get(response["Location"]).content.decode()
    assert "已提交代办申请" in page
    assert "代办信息" in page and "老年人优待证办理" in page


def test_bad_phone_is_shown_inline_and_nothing_is_written(login, hall):
    response = login(hall.users.resident).post(
        reverse("errands:new"), {"item": hall.item.pk, "contact_phone": "12345", "contact_note": ""}
    )
    assert response.status_code == 200
    assert "联系电话应为以 1 开头的 11 位数字" in response.content.decode()
    assert not Case.objects.exists()


def test_in_person_item_explains_and_offers_no_form(login, hall):
    client = login(hall.users.resident)
    html = client.get(reverse("errands:new"), {"item": hall.in_person_item.pk}).content.decode()
    assert "须本人到窗口办理,不能代办" in html and '<form method="post" class="card"' not in html
    client.post(reverse("errands:new"), {"item": hall.in_person_item.pk, "contact_phone": PHONE})
    assert not Case.objects.exists()


def test_items_of_another_community_are_404_for_residents(login, hall):
    client = login(hall.users.resident)
    assert client.get(reverse("errands:new"), {"item": hall.item_b.pk}).status_code == 404
    assert client.post(reverse("errands:new"), {"item": hall.item_b.pk, "contact_phone": PHONE}).status_code == 404
    assert not Case.objects.exists()


def test_unbound_account_is_told_to_wait(login, hall):
    user = UserFactory(role="resident", resident=None)
    html = login(user).get(reverse("errands:new")).content.decode()
    assert "还没有绑定住户" in html


@pytest.mark.parametrize("persona", ["window_staff", "grid_worker", "secretary"])
def test_staff_request_on_behalf_of_a_resident(login, hall, persona):
    client = login(getattr(hall.users, persona))
    html = client.get(reverse("errands:office-new"), {"q": "zsf"}).content.decode()
    assert hall.resident.name in html and hall.resident.id_masked in html
    html = client.get(reverse("errands:office-new"), {"resident": hall.resident.uuid}).content.decode()
    assert f"{hall.resident.phone[:3]}****{hall.resident.phone[-4:]}" in html
    response = client.post(
        reverse("errands:office-new"),
        {"resident": hall.resident.uuid, "item": hall.item.pk, "contact_phone": PHONE, "contact_note": "电话联系"},
    )
    errand = Errand.objects.get()
    assert response["Location"] == reverse("cases:case-detail", args=[errand.case.uuid])
    assert errand.case.raised_by == getattr(hall.users, persona)


def test_staff_form_refuses_an_in_person_item_inline(login, hall):
    client = login(hall.users.window_staff)
    response = client.post(
        reverse("errands:office-new"),
        {"resident": hall.resident.uuid, "item": hall.in_person_item.pk, "contact_phone": PHONE},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode() or "不能代办" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("mediator", 403), ("street_leader", 403), ("resident", 404)])
def test_others_cannot_request_on_behalf(login, hall, persona, status):
    client = login(getattr(hall.users, persona))
    assert client.get(reverse("errands:office-new")).status_code == status
    response = client.post(
        reverse("errands:office-new"), {"resident": hall.resident.uuid, "item": hall.item.pk, "contact_phone": PHONE}
    )
    assert response.status_code == status
    assert not Case.objects.exists()


def test_grid_worker_cannot_pick_a_resident_outside_their_grid(login, hall):
    client = login(hall.users.grid_worker)
    assert client.get(reverse("errands:office-new"), {"resident": hall.far_resident.uuid}).status_code == 404
    response = client.post(
        reverse("errands:office-new"),
        {"resident": hall.far_resident.uuid, "item": hall.item.pk, "contact_phone": PHONE},
    )
    assert response.status_code == 404 and not Case.objects.exists()


# ---- the panel on the shared case pages -------------------------------------------------------------------------


def test_staff_case_page_shows_the_checklist_form_when_accepted(login, hall):
    errand = advance(hall, request_errand(hall), "accepted")
    html = login(hall.users.window_staff).get(reverse("cases:case-detail", args=[errand.case.uuid])).content.decode()
    assert "代办信息" in html and "收到的材料" in html
    assert reverse("errands:receive-documents", args=[errand.case.uuid]) in html
    assert PHONE in html  # the worker needs the number to call


def test_ticking_documents_on_the_panel_moves_the_errand(login, hall):
    errand = advance(hall, request_errand(hall), "accepted")
    client = login(hall.users.window_staff)
    url = reverse("errands:receive-documents", args=[errand.case.uuid])
    response = client.post(url, {"documents": hall.item.required_documents[:1]})
    assert response["Location"] == reverse("cases:case-detail", args=[errand.case.uuid])
    page = client.get(response["Location"]).content.decode()
    assert "还缺少材料" in page
    assert Case.objects.get(pk=errand.case.pk).status == "accepted"
    response = client.post(url, {"documents": hall.item.required_documents}, follow=True)
    assert "状态更新为“材料已收”" in response.content.decode()
    assert Case.objects.get(pk=errand.case.pk).status == "docs_received"


def test_recording_the_result_and_verifying_the_code_on_the_panel(login, hall):
    errand = advance(hall, request_errand(hall), "submitted")
    client = login(hall.users.window_staff)
    uuid = errand.case.uuid
    client.post(reverse("errands:record-result", args=[uuid]), {"note": "优待证已办好"})
    assert Case.objects.get(pk=errand.case.pk).status == "result_back"
    html = client.get(reverse("cases:case-detail", args=[uuid])).content.decode()
    assert "核验取件码" in html and errand.pickup_code not in html
    page = client.post(reverse("errands:pickup", args=[uuid]), {"code": "000000"}, follow=True).content.decode()
    if errand.pickup_code != "000000":
        assert "取件码不正确" in page
        assert Case.objects.get(pk=errand.case.pk).status == "result_back"
    page = client.post(reverse("errands:pickup", args=[uuid]), {"code": errand.pickup_code}, follow=True)
    assert "已领取办理结果" in page.content.decode()
    assert Case.objects.get(pk=errand.case.pk).status == "picked_up"


def test_after_five_wrong_codes_the_panel_says_to_come_back_tomorrow(login, hall):
    errand = advance(hall, request_errand(hall), "result_back")
    client, uuid = login(hall.users.window_staff), errand.case.uuid
    wrong = "999999" if errand.pickup_code != "999999" else "888888"
    for _ in range(4):
        client.post(reverse("errands:pickup", args=[uuid]), {"code": wrong})
    page = client.post(reverse("errands:pickup", args=[uuid]), {"code": wrong}, follow=True).content.decode()
    assert "今天已输错 5 次,为防冒领,明天才能再核验" in page
    assert "今天不能再核验,请明天再试" in page and 'name="code"' not in page
    page = client.post(reverse("errands:pickup", args=[uuid]), {"code": errand.pickup_code}, follow=True)
    assert "今天不能再核验" in page.content.decode()
    assert Case.objects.get(pk=errand.case.pk).status == "result_back"
    assert Errand.objects.get(pk=errand.pk).picked_up_at is None


@pytest.mark.parametrize(("persona", "status"), [("mediator", 403), ("resident", 404), ("other_secretary", 404)])
def test_panel_actions_are_for_the_errands_workers(login, hall, persona, status):
    errand = advance(hall, request_errand(hall), "result_back")
    client = login(getattr(hall.users, persona))
    response = client.post(reverse("errands:pickup", args=[errand.case.uuid]), {"code": errand.pickup_code})
    assert response.status_code == status
    assert Case.objects.get(pk=errand.case.pk).status == "result_back"


def test_resident_sees_the_code_and_qr_only_once_the_result_is_back(login, hall):
    errand = advance(hall, request_errand(hall), "submitted")
    client = login(hall.users.resident)
    url = reverse("cases:my-case", args=[errand.case.uuid])
    html = client.get(url).content.decode()
    assert errand.pickup_code not in html and "结果办好后,这里会显示取件码" in html
    advance(hall, errand, "result_back")
    html = client.get(url).content.decode()
    assert errand.pickup_code in html
    assert reverse("errands:qr", args=[errand.case.uuid]) in html


def test_qr_code_is_for_the_requester_only(login, hall, client):
    errand = advance(hall, request_errand(hall), "result_back")
    url = reverse("errands:qr", args=[errand.case.uuid])
    response = login(hall.users.resident).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and "no-store" in response["Cache-Control"]
    for persona in ["neighbour", "outsider", "window_staff", "secretary"]:
        assert login(getattr(hall.users, persona)).get(url).status_code == 404, persona
    spouse_user = UserFactory(role="resident", resident=hall.spouse, phone=hall.spouse.phone)
    assert login(spouse_user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_qr_code_is_gone_after_pickup(login, hall):
    errand = advance(hall, request_errand(hall), "result_back")
    from jumin.errands.services import errand_pickup

    errand_pickup(actor=hall.users.window_staff, errand=errand, code=errand.pickup_code)
    assert login(hall.users.resident).get(reverse("errands:qr", args=[errand.case.uuid])).status_code == 404


# ---- the staff list and its export --------------------------------------------------------------------------------


@pytest.fixture
def many_errands(hall):
    """25 errands in grid 1, 3 in grid 2, 2 in community B."""
    for n in range(25):
        resident = ResidentFactory(household=hall.home if n % 2 else hall.neighbour_home, phone=f"1370000{n:04d}")
        request_errand(hall, actor=hall.users.window_staff, resident=resident, contact_phone=f"1370000{n:04d}")
    for _ in range(3):
        request_errand(hall, actor=hall.users.window_staff, resident=hall.far_resident)
    for _ in range(2):
        request_errand(hall, actor=hall.users.other_secretary, resident=hall.outsider_resident, item=hall.item_b)
    return hall


@pytest.mark.parametrize(
    ("persona", "count"),
    [("window_staff", 28), ("secretary", 28), ("grid_worker", 25), ("street_leader", 30), ("mediator", 28)],
)
def test_staff_list_is_scoped_and_uses_constant_queries(
    login, many_errands, persona, count, django_assert_max_num_queries
):
    client = login(getattr(many_errands.users, persona))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("errands:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"共 {count} 条" in html
    assert "137****0024" in html and "13700000024" not in html


def test_staff_list_filters_by_status_and_item(login, many_errands, django_assert_max_num_queries):
    case = Case.objects.filter(kind="errand", community=many_errands.a).first()
    case_services.case_take(actor=many_errands.users.window_staff, case=case)
    client = login(many_errands.users.secretary)
    with django_assert_max_num_queries(14):
        html = client.get(reverse("errands:list"), {"status": "accepted"}).content.decode()
    assert "共 1 条" in html and case.number in html
    other = many_errands.item.window.items.exclude(pk=many_errands.item.pk).first()
    html = client.get(reverse("errands:list"), {"item": other.pk}).content.decode()
    assert "没有符合条件的代办事项" in html


def test_residents_do_not_get_the_staff_list(login, hall):
    assert login(hall.users.resident).get(reverse("errands:list")).status_code == 404


def test_export_masks_phones_and_uses_constant_queries(login, many_errands, django_assert_max_num_queries):
    client = login(many_errands.users.window_staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("errands:export"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][5] == "联系电话"
    assert len(rows) == 29
    phones = [r[5] for r in rows[1:]]
    assert all("****" in p for p in phones)
    assert "137****0003" in phones and "13700000003" not in phones


def test_export_is_refused_without_the_capability(login, hall):
    assert login(hall.users.mediator).get(reverse("errands:export")).status_code == 403


def test_errand_list_ticks_only_errands_that_ended_with_a_result(login, hall):
    waiting = request_errand(hall)
    collected = advance(hall, request_errand(hall), "result_back")
    services.errand_pickup(actor=hall.users.window_staff, errand=collected, code=collected.pickup_code)
    turned_back = advance(hall, request_errand(hall), "accepted")
    case_services.case_transition(
        actor=hall.users.window_staff, case=Case.objects.get(pk=turned_back.case.pk), to="returned", comment="材料不全"
    )
    html = login(hall.users.window_staff).get(reverse("errands:list"), {"queue": "all"}).content.decode()
    rows = {m.group(1): m.group(2) for m in re.finditer(r">([A-Z]{2}\d+)</a></th>(.*?)</tr>", html, re.S)}
    assert "✔ 已领取" in rows[Case.objects.get(pk=collected.case.pk).number]
    returned_row = rows[Case.objects.get(pk=turned_back.case.pk).number]
    assert "已退回" in returned_row and "✔" not in returned_row
    assert "待受理" in rows[waiting.case.number]


def test_staff_print_the_errand_receipt_on_a_page_without_navigation(login, hall):
    errand = advance(hall, request_errand(hall), "docs_received")
    page = login(hall.users.window_staff).get(reverse("errands:receipt", args=[errand.case.uuid]))
    html = page.content.decode()
    assert page.status_code == 200 and "行政代办回执" in html and errand.case.number in html
    assert "✔ 已收" in html and 'class="sidebar"' not in html and "申请人(签字)" in html
    assert errand.contact_phone not in html  # masked on paper too
    assert errand.pickup_code not in html


def test_the_receipt_is_404_outside_the_errands_audience(login, hall):
    errand = advance(hall, request_errand(hall), "accepted")
    assert login(hall.users.other_secretary).get(reverse("errands:receipt", args=[errand.case.uuid])).status_code == 404
    client = login(hall.users.resident)
    assert client.get(reverse("errands:receipt", args=[errand.case.uuid])).status_code == 404
