import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.e2e


def test_grid_worker_sees_only_own_grid_and_gets_404_for_a_household_elsewhere(live_server, world, page):
    log_in(page, live_server, world.users.grid_worker.phone)
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")

    page.get_by_role("navigation", name="功能导航").get_by_role("link", name="住户台账").click()
    table = page.locator("#rows")
    # Grid 1 holds building 1: 101 and 102. Building 2 (grid 2) and community B stay out of sight.
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text(world.home.dwelling.address)
    expect(table).to_contain_text(world.neighbour_home.dwelling.address)
    expect(table).not_to_contain_text(world.far_home.dwelling.address)
    expect(table).not_to_contain_text(world.outsider_home.dwelling.address)
    expect(page.get_by_text("共 2 条")).to_be_visible()

    response = page.goto(f"{live_server.url}/office/households/{world.far_home.uuid}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("没有找到")
    expect(page.get_by_text("不在您的查看范围内")).to_be_visible()
    assert world.far_home.dwelling.address not in page.content()
    assert world.far_resident.name not in page.content()
