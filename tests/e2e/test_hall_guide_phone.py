import pytest
from playwright.sync_api import expect

from jumin.hall.services import hall_ensure_catalogue

from .conftest import PHONE, assert_resident_page, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_a_resident_finds_what_to_bring_in_the_guide_on_a_phone(live_server, world, new_page, elder):
    hall_ensure_catalogue(world.a)
    page = new_page(PHONE)
    log_in(page, live_server, world.users.resident.phone)
    page.goto(f"{live_server.url}/me/hall/")
    if elder:
        switch_elder_mode(page, on=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("办事指南")
    expect(page.get_by_text("共 27 项事项")).to_be_visible()
    # Folded, the 27 items are a few screens long; every line is a tap target of the mode's size.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (8 if elder else 6) * PHONE["height"], height
    assert_resident_page(page, elder=elder)

    # Jump to a window, open an item: its documents and the errand button appear.
    page.get_by_role("link", name="7号 医保").click()
    item = page.locator("details.guide-item").filter(has_text="异地就医备案")
    expect(item.get_by_text("需要准备的材料")).to_be_hidden()
    item.locator("summary").click()
    expect(item.get_by_text("需要准备的材料")).to_be_visible()
    expect(item.get_by_role("link", name="申请代办“异地就医备案”")).to_be_visible()
    assert_resident_page(page, elder=elder)

    # Looking for a document finds the items that need it, opened when the list is short.
    page.get_by_label("找事项或材料").fill("光荣证")
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_role("status")).to_have_text("找到 1 项与“光荣证”有关的事项")
    expect(page.locator("details.guide-item[open]")).to_have_count(1)
    expect(page.get_by_text("《独生子女父母光荣证》原件及复印件")).to_be_visible()
    assert_resident_page(page, elder=elder)
    page.get_by_label("找事项或材料").fill("护照")
    page.get_by_role("button", name="查找").click()
    expect(page.locator("main")).to_contain_text("没有找到与“护照”有关的事项")
    shot(page, f"hall-guide-{'elder' if elder else 'normal'}")
