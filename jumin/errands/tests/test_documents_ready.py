"""申请代办 names the documents from the item's 材料清单 that are ready, and how they reach the community."""

import pytest
from django.urls import reverse

from jumin.cases.models import Case
from jumin.core.errors import DomainError
from jumin.errands.models import Errand

from .conftest import PHONE, advance, request_errand
from .test_api import post_case

ID_CARD = "居民身份证原件及复印件"
PHOTO = "近期一寸免冠彩色照片2张"


def test_the_request_keeps_the_ticked_documents_in_list_order_and_names_the_missing_ones(hall):
    assert hall.item.required_documents == [ID_CARD, PHOTO]
    errand = request_errand(hall, documents_ready=[f" {PHOTO}"], handover="window")
    errand.refresh_from_db()
    assert errand.documents_ready == [PHOTO] and errand.handover == "window"
    assert errand.documents_missing() == [ID_CARD]
    body = Case.objects.get(pk=errand.case.pk).body
    assert f"已备好的材料:{PHOTO}。" in body
    assert f"还需准备的材料:{ID_CARD}。" in body
    assert "材料交接:居民送到服务大厅窗口。" in body


def test_nothing_ticked_means_everything_is_still_to_get_and_staff_collect_at_home(hall):
    errand = request_errand(hall)
    assert errand.documents_ready == [] and errand.handover == "visit"
    assert "已备好的材料:无。" in errand.case.body and "材料交接:工作人员上门收取。" in errand.case.body


@pytest.mark.parametrize(
    ("documents", "handover", "message"),
    [
        (["户口本原件及复印件"], "visit", "“户口本原件及复印件”不在“老年人优待证办理”的材料清单中"),
        ([ID_CARD, 3], "visit", "已备好的材料应为材料名称的列表"),
        ({"a": 1}, "visit", "已备好的材料应为材料名称的列表"),
        ([ID_CARD], "post", "请选择材料怎么交给社区"),
    ],
)
def test_documents_off_the_list_or_an_unknown_handover_are_refused_and_nothing_is_written(
    hall, documents, handover, message
):
    with pytest.raises(DomainError) as exc:
        request_errand(hall, documents_ready=documents, handover=handover)
    assert exc.value.message == message
    assert not Case.objects.exists() and not Errand.objects.exists()


def test_resident_ticks_documents_on_the_form_and_sees_what_is_still_to_get(login, hall):
    client = login(hall.users.resident)
    html = client.get(reverse("errands:new"), {"item": hall.item.pk}).content.decode()
    assert 'name="documents_ready"' in html and f'value="{PHOTO}"' in html
    assert "请工作人员上门收取" in html and "我自己或家人送到服务大厅窗口" in html
    response = client.post(
        reverse("errands:new"),
        {"item": hall.item.pk, "documents_ready": [ID_CARD], "handover": "window", "contact_phone": PHONE},
    )
    errand = Errand.objects.get()
    assert response.status_code == 302 and errand.documents_ready == [ID_CARD] and errand.handover == "window"
    page = client.get(response["Location"]).content.decode()
    assert f"○ 待收(已备好):{ID_CARD}" in page and f"△ 待准备:{PHOTO}" in page
    assert "居民送到服务大厅窗口" in page


def test_a_tampered_document_name_is_shown_on_the_form(login, hall):
    response = login(hall.users.resident).post(
        reverse("errands:new"),
        {"item": hall.item.pk, "documents_ready": ["结婚证"], "contact_phone": PHONE},
    )
    assert response.status_code == 200 and "结婚证" in response.content.decode()
    assert not Case.objects.exists()


def test_staff_pick_the_item_then_fill_the_same_form_for_the_resident(login, hall):
    client = login(hall.users.window_staff)
    url = reverse("errands:office-new")
    html = client.get(url, {"resident": hall.resident.uuid}).content.decode()
    assert f"?resident={hall.resident.uuid}&amp;item={hall.item.pk}" in html
    assert f'item={hall.in_person_item.pk}"' not in html
    html = client.get(url, {"resident": hall.resident.uuid, "item": hall.item.pk}).content.decode()
    assert 'name="documents_ready"' in html and "登记代办申请" in html
    html = client.get(url, {"resident": hall.resident.uuid, "item": hall.in_person_item.pk}).content.decode()
    assert "须本人到窗口办理,不能代办" in html and 'name="documents_ready"' not in html
    response = client.post(
        url,
        {
            "resident": hall.resident.uuid,
            "item": hall.item.pk,
            "documents_ready": [ID_CARD, PHOTO],
            "handover": "visit",
            "contact_phone": PHONE,
        },
    )
    errand = Errand.objects.get()
    assert response.status_code == 302 and errand.documents_ready == [ID_CARD, PHOTO]
    assert errand.case.raised_by == hall.users.window_staff


def test_staff_see_which_documents_the_resident_has_not_got_when_they_tick_the_checklist(login, hall):
    errand = advance(hall, request_errand(hall, documents_ready=[ID_CARD]), "accepted")
    html = login(hall.users.window_staff).get(reverse("cases:case-detail", args=[errand.case.uuid])).content.decode()
    assert f'{PHOTO} <span class="help">(申请时未备好)</span>' in html
    assert f"{ID_CARD} <span" not in html


def test_the_api_takes_and_returns_the_documents_ready(client, hall):
    response = post_case(
        client,
        hall.users.resident,
        service_item=hall.item.pk,
        contact_phone=PHONE,
        documents_ready=[PHOTO],
        handover="window",
    )
    assert response.status_code == 201, response.json()
    detail = response.json()["detail"]
    assert detail["documents_ready"] == [PHOTO] and detail["handover"] == "window"
    bad = post_case(client, hall.users.resident, service_item=hall.item.pk, contact_phone=PHONE, documents_ready=["x"])
    assert bad.status_code == 400 and "不在“老年人优待证办理”的材料清单中" in bad.json()["detail"]
    assert Errand.objects.count() == 1
