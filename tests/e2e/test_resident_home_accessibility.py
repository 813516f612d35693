import pytest
from playwright.sync_api import expect

from .conftest import ELDER, PHONE, check_axe, log_in, switch_elder_mode

pytestmark = pytest.mark.e2e


def test_fresh_resident_home_passes_axe_in_normal_and_elder_mode(live_server, world, new_page):
    page = new_page(PHONE)
    log_in(page, live_server, world.users.resident.phone)
    expect(page).to_have_url(f"{live_server.url}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{world.resident.name},您好")
    expect(page.locator(".tiles a")).to_contain_text(["我的家庭"])
    expect(page.locator("body")).not_to_have_class(ELDER)
    check_axe(page)

    switch_elder_mode(page, on=True)
    page.reload()  # the confirmation message has its own known fault (see conftest); check the plain page
    expect(page.locator("body")).to_have_class(ELDER)
    expect(page.get_by_role("button", name="关闭长辈模式")).to_have_attribute("aria-pressed", "true")
    check_axe(page)

    switch_elder_mode(page, on=False)
    expect(page.locator("body")).not_to_have_class(ELDER)
    world.users.resident.refresh_from_db()
    assert world.users.resident.elder_mode is False
