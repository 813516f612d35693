"""Every resident page, on a phone, in the normal mode and in 长辈模式: axe-core finds nothing serious, text is at
least 20 px in 长辈模式 with line height ≥ 1.3, every tap target is ≥ 44 × 44 px (≥ 60 × 60 px in 长辈模式), nothing
pops up, and the switch works from the keyboard and stays on the account. One test visits them all, so the browser
starts once."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from jumin.hall.models import ServiceItem
from jumin.hall.services import hall_ensure_catalogue
from jumin.party.services import opinion_submit

from .conftest import ELDER, PHONE, assert_resident_page, log_in, switch_elder_mode

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/activate/"]
# Plain emoji and pictographs: where no emoji font is installed they render as empty boxes.
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u26ff]")


def resident_pages(case, item) -> list[tuple[str, str]]:
    """(path, the h1 a person sees there) for every page of the resident site."""
    return [
        ("/me/", None),
        ("/me/cases/", "我的事项"),
        (f"/me/cases/{case.uuid}/", case.title),
        ("/me/household/", "我的家庭"),
        ("/me/opinions/new/", "我要反映"),
        ("/me/errands/new/", "申请代办"),
        (f"/me/errands/new/?item={item.id}", f"申请代办:{item.name}"),
        ("/me/disputes/new/", "申请调解"),
        ("/me/hall/", "办事指南"),
        ("/notifications/", "消息"),
        (f"/me/cases/{uuid.uuid4()}/", "没有找到"),
    ]


def visit_all(page, base: str, pages, elder: bool):
    for path, heading in pages:
        page.goto(base + path)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_resident_page(page, elder=elder)


def test_every_resident_page_meets_the_rules_in_normal_and_elder_mode(live_server, world, new_page):
    hall_ensure_catalogue(world.a)
    item = ServiceItem.objects.filter(community=world.a, proxy_allowed=True).order_by("id").first()
    account = world.users.resident
    case = opinion_submit(
        actor=account, title="楼道灯坏了", text="2单元三楼的楼道灯不亮。", category="facilities", allow_public=False
    )
    pages = resident_pages(case, item)
    page = new_page(PHONE)
    base = live_server.url

    # --- before logging in: welcome, login, activation ---
    visit_all(page, base, [(p, None) for p in PUBLIC_PAGES], elder=False)

    # The switch is reachable and pressed with the keyboard alone, and the focused button shows where focus is.
    page.goto(base + "/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "开启长辈模式":
            break
    focused = page.locator(":focus")
    expect(focused).to_have_text("开启长辈模式")
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="已开启长辈模式")).to_be_visible()
    visit_all(page, base, [(p, None) for p in PUBLIC_PAGES], elder=True)

    # --- logged in: 长辈模式 chosen before login stays on, and is now kept on the account ---
    log_in(page, live_server, account.phone)
    expect(page).to_have_url(f"{base}/me/")
    account.refresh_from_db()
    assert account.elder_mode is True
    tiles = page.locator(".tiles a")
    expect(tiles).to_contain_text(["我的事项", "我的家庭", "我要反映", "办事指南", "申请代办", "申请调解"])
    # Tile icons are inline SVG, hidden from screen readers; no emoji that show as boxes on PCs without the font.
    expect(page.locator(".tiles a > svg.icon[aria-hidden=true]")).to_have_count(tiles.count())
    assert not EMOJI.search(page.locator("main").inner_text())
    visit_all(page, base, pages, elder=True)

    # --- and back to the normal mode, everywhere ---
    page.goto(base + "/me/")
    switch_elder_mode(page, on=False)
    expect(page.locator("body")).not_to_have_class(ELDER)
    account.refresh_from_db()
    assert account.elder_mode is False
    visit_all(page, base, pages, elder=False)
