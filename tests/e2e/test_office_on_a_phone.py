"""The office on a grid worker's phone (390 px): a menu behind a toggle, no page wider than the screen."""

import pytest
from playwright.sync_api import expect

from .conftest import SHOTS, check_axe, log_in

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}


def _page_width(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth")


def test_grid_worker_uses_the_office_on_a_phone(live_server, world, new_page):
    page = new_page(viewport=PHONE_390)
    log_in(page, live_server, world.users.grid_worker.phone)
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    # The header reads as a header: the brand on one line, not a character per line.
    brand = page.locator(".topbar .brand").bounding_box()
    assert brand["height"] < 40, brand
    # The menu waits behind its toggle instead of filling the first screen.
    sidebar = page.get_by_role("navigation", name="功能导航")
    expect(sidebar).to_be_hidden()
    toggle = page.get_by_role("button", name="☰ 菜单")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(sidebar).to_be_visible()
    assert _page_width(page) <= 390
    sidebar.get_by_role("link", name="住户台账").click()
    expect(page.get_by_text("共 2 条")).to_be_visible()
    assert _page_width(page) <= 390, "the household list must scroll inside its box, not widen the page"
    page.goto(f"{live_server.url}/office/households/{world.home.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.home.dwelling.address)
    assert _page_width(page) <= 390, "the household file must fit a phone"
    check_axe(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "office-household-file-390.png"), full_page=True)


def test_resident_home_tiles_are_even_in_elder_mode(live_server, world, new_page):
    page = new_page(viewport=PHONE_390)
    log_in(page, live_server, world.users.resident.phone)
    page.get_by_role("button", name="开启长辈模式").first.click()
    widths = page.eval_on_selector_all(".tiles a", "els => els.map(e => Math.round(e.getBoundingClientRect().width))")
    assert len(widths) >= 3 and len(set(widths)) == 1, widths
    assert _page_width(page) <= 390


def test_the_household_file_prints_on_a4_without_navigation(live_server, world, page):
    log_in(page, live_server, world.users.secretary.phone)
    page.goto(f"{live_server.url}/office/households/{world.home.uuid}/")
    expect(page.get_by_role("button", name="🖨 打印一户一档")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="功能导航")).to_be_hidden()
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_role("button", name="🖨 打印一户一档")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.home.dwelling.address)
    expect(page.locator("main")).to_contain_text(world.resident.name)
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
