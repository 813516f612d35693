"""A new app plugs in from its own apps.py only (tests/plugin_app edits nothing in core, cases, api or config)."""

import pytest
from django.urls import reverse

from jumin.core.access import user_can

pytestmark = pytest.mark.django_db


def test_the_plugin_gets_its_capability_nav_entry_and_pages(client, world):
    secretary, window = world.users.secretary, world.users.window_staff
    assert user_can(secretary, "plugin.tend") and not user_can(window, "plugin.tend")
    client.force_login(secretary)
    office = client.get(reverse("dashboards:office")).content.decode()
    assert "插件工作台" in office
    assert client.get("/plugin/").content.decode() == "插件页面"
    client.force_login(window)
    assert "插件工作台" not in client.get(reverse("dashboards:office")).content.decode()
    assert client.get("/plugin/").status_code == 403


def test_the_plugin_gets_a_resident_tile(client, world):
    client.force_login(world.users.resident)
    assert "插件服务" in client.get(reverse("core:me")).content.decode()


def test_the_plugin_mounts_its_api_router(client):
    response = client.get("/api/v1/plugin/ping")
    assert response.status_code == 200 and response.json() == {"pong": True}
    assert "/api/v1/plugin/ping" in client.get("/api/v1/openapi.json").json()["paths"]


def test_the_plugin_feeds_the_residents_inbox_beside_cases(client, world):
    from jumin.cases import services as case_services

    case_services.case_open(actor=world.users.resident, kind="test", title="路灯不亮", body="3号楼前的路灯坏了")
    client.force_login(world.users.resident)
    page = client.get(reverse("cases:my-cases")).content.decode()
    assert "插件的取号 A001" in page and "等候叫号" in page and 'href="/plugin/"' in page
    assert "路灯不亮" in page
    assert page.index("插件的取号 A001") < page.index("路灯不亮")  # newest first across sources
    assert "共 2 条" in page


def test_the_plugin_adds_its_requests_to_the_figures(client, world):
    client.force_login(world.users.secretary)
    page = client.get(reverse("cases:case-figures")).content.decode()
    assert "插件请求" in page
