import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jumin.core.models import ApiToken
from jumin.hall.models import ServiceItem
from jumin.hall.services import hall_ensure_catalogue


@pytest.fixture
def halls(world):
    hall_ensure_catalogue(world.a)
    hall_ensure_catalogue(world.b)
    return world


OFFICE = ["grid_worker", "window_staff", "mediator", "secretary", "street_leader"]


@pytest.mark.parametrize("persona", OFFICE)
def test_every_office_role_sees_the_catalogue_in_constant_queries(login, halls, persona, django_assert_max_num_queries):
    client = login(getattr(halls.users, persona))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("hall:item-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>服务事项</h1>" in html
    # 27 items per community; the street leader sees both communities (54), the rest their own.
    total = 54 if persona == "street_leader" else 27
    assert f"共 {total} 条" in html
    assert "可代办" in html


def test_residents_do_not_get_the_office_catalogue(login, halls):
    assert login(halls.users.resident).get(reverse("hall:item-list")).status_code == 404


def test_proxy_filter_and_window_filter(login, halls):
    client = login(halls.users.secretary)
    proxy = ServiceItem.objects.filter(community=halls.a, proxy_allowed=True).count()
    html = client.get(reverse("hall:item-list"), {"proxy": "1"}).content.decode()
    assert f"共 {proxy} 条" in html
    assert "低保申请" not in html
    window = ServiceItem.objects.get(community=halls.a, name="低保申请").window
    html = client.get(reverse("hall:item-list"), {"window": window.pk}).content.decode()
    assert "低保申请" in html and "生育登记" not in html


def test_htmx_filter_returns_only_the_rows(login, halls):
    response = login(halls.users.secretary).get(reverse("hall:item-list"), {"q": "津贴"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<h1>" not in html and "高龄津贴申领" in html


def test_export_lists_the_items_with_their_documents(login, halls, django_assert_max_num_queries):
    client = login(halls.users.window_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("hall:item-export"), {"proxy": "1"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][2] == "事项" and rows[0][5] == "材料清单"
    assert len(rows) - 1 == ServiceItem.objects.filter(community=halls.a, proxy_allowed=True).count()
    assert all(r[3] == "是" for r in rows[1:])


def test_resident_guide_lists_windows_items_documents_and_proxy_links(login, halls, django_assert_max_num_queries):
    client = login(halls.users.resident)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("hall:guide"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>办事指南</h1>" in html
    assert "1号窗口 · 民政窗口" in html and "12号窗口 · 住建物业窗口" in html
    item = ServiceItem.objects.get(community=halls.a, name="高龄津贴申领")
    assert f"{reverse('errands:new')}?item={item.pk}" in html
    assert "居民身份证原件及复印件" in html
    low = ServiceItem.objects.get(community=halls.a, name="低保申请")
    assert f'?item={low.pk}"' not in html
    assert "须本人到 1 号窗口办理" in html


# Pictographs outside the Basic Multilingual Plane (🏃, 📄 …) draw as empty boxes without an emoji font.
EMOJI = re.compile("[\U0001f000-\U0001faff]")


def test_proxy_badges_are_plain_text_with_no_emoji(login, halls):
    guide = login(halls.users.resident).get(reverse("hall:guide")).content.decode()
    catalogue = login(halls.users.window_staff).get(reverse("hall:item-list")).content.decode()
    for html in (guide, catalogue):
        assert not EMOJI.search(html), EMOJI.findall(html)
        assert '<span class="tag">可代办</span>' in html
    assert '<span class="tag">须本人办理</span>' in guide
    assert "标有“可代办”的,您不用跑腿" in guide


def test_guide_can_show_only_proxy_items(login, halls):
    html = login(halls.users.resident).get(reverse("hall:guide"), {"proxy": "1"}).content.decode()
    assert "高龄津贴申领" in html and "低保申请" not in html


def test_guide_shows_the_residents_own_community_only(login, halls):
    ServiceItem.objects.filter(community=halls.b, name="生育登记").update(name="黄河社区生育登记")
    html = login(halls.users.outsider).get(reverse("hall:guide")).content.decode()
    assert "黄河社区生育登记" in html
    html = login(halls.users.resident).get(reverse("hall:guide")).content.decode()
    assert "黄河社区生育登记" not in html


def test_guide_without_a_catalogue_says_what_to_do(login, world):
    html = login(world.users.resident).get(reverse("hall:guide")).content.decode()
    assert "社区还没有公布办事指南" in html


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def test_api_lists_items_paginated_and_filtered(client, halls, django_assert_max_num_queries):
    headers = bearer(halls.users.resident)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/hall/items", **headers).json()
    assert body["count"] == 27 and len(body["items"]) == 20
    first = body["items"][0]
    assert first["window"]["number"] == 1 and first["required_documents"]
    proxy = client.get("/api/v1/hall/items?proxy_allowed=true", **headers).json()
    assert proxy["count"] == ServiceItem.objects.filter(community=halls.a, proxy_allowed=True).count()
    assert all(i["proxy_allowed"] for i in proxy["items"])


def test_api_is_scoped_to_the_callers_communities(client, halls):
    leader = client.get("/api/v1/hall/items", **bearer(halls.users.street_leader)).json()
    assert leader["count"] == 54
    narrowed = client.get(f"/api/v1/hall/items?community={halls.b.pk}", **bearer(halls.users.street_leader)).json()
    assert narrowed["count"] == 27 and {i["community_id"] for i in narrowed["items"]} == {halls.b.pk}
    outsider = client.get(f"/api/v1/hall/items?community={halls.a.pk}", **bearer(halls.users.other_secretary)).json()
    assert outsider["count"] == 0


def test_residents_see_only_active_items(client, halls):
    ServiceItem.objects.filter(community=halls.a, name="生育登记").update(active=False)
    body = client.get("/api/v1/hall/items?q=生育登记", **bearer(halls.users.resident)).json()
    assert body["count"] == 0
    body = client.get("/api/v1/hall/items?q=生育登记", **bearer(halls.users.secretary)).json()
    assert body["count"] == 1 and body["items"][0]["active"] is False


def test_admin_edits_are_for_hall_managers_in_their_own_community(client, halls):
    from jumin.core.models import Role
    from jumin.people.tests.factories import UserFactory

    manager = UserFactory(role=Role.SECRETARY, community=halls.a, is_staff=True)
    client.force_login(manager)
    response = client.get(reverse("admin:hall_serviceitem_changelist"))
    assert response.status_code == 200
    assert "27 个服务事项" in response.content.decode() or response.context["cl"].result_count == 27
    mediator = UserFactory(role=Role.MEDIATOR, community=halls.a, is_staff=True)
    client.force_login(mediator)
    assert client.get(reverse("admin:hall_serviceitem_changelist")).status_code == 403


def test_guide_folds_each_item_to_one_line_with_a_window_index(login, halls, django_assert_max_num_queries):
    client = login(halls.users.resident)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("hall:guide")).content.decode()
    count = ServiceItem.objects.filter(community=halls.a, active=True).count()
    assert f"共 {count} 项事项" in html
    assert html.count('<details class="card guide-item"') == count and " open>" not in html
    assert '<a href="#window-1">1号 民政</a>' in html and '<a href="#window-12">12号 住建物业</a>' in html
    item = ServiceItem.objects.get(community=halls.a, name="高龄津贴申领")
    assert f'id="item-{item.pk}"' in html and "10 个工作日 · 需 3 项材料" in html


def test_guide_finds_items_by_a_document_they_need_and_opens_a_short_list(login, halls):
    client = login(halls.users.resident)
    html = client.get(reverse("hall:guide"), {"q": "光荣证"}).content.decode()
    assert "找到 1 项与“光荣证”有关的事项" in html
    assert "独生子女父母奖励" in html and "高龄津贴申领" not in html
    assert '<details class="card guide-item" id="item-' in html and " open>" in html
    html = client.get(reverse("hall:guide"), {"q": "医保", "proxy": "1"}).content.decode()
    names = set(
        ServiceItem.objects.filter(community=halls.a, proxy_allowed=True, active=True).values_list("name", flat=True)
    )
    shown = {n for n in names if f"<strong>{n}</strong>" in html}
    assert shown and all("医保" in n or "医疗" in n or "就医" in n for n in shown), shown
    assert "须本人办理</span>" not in html and "(只看可代办)" in html


def test_guide_search_without_hits_says_what_to_try(login, halls):
    html = login(halls.users.resident).get(reverse("hall:guide"), {"q": "护照"}).content.decode()
    assert "没有找到与“护照”有关的事项" in html and "<details" not in html
