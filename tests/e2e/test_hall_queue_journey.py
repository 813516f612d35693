"""A resident takes a number on the kiosk, the clerk calls it on the window screen, the hall TV shows it, the
resident rates the service on the phone."""

import pytest
from playwright.sync_api import expect

from jumin.core.models import Role
from jumin.hall.models import Rating, Ticket, TicketStatus, Window
from jumin.hall.services import hall_ensure_catalogue
from jumin.people.tests.factories import UserFactory

from .conftest import DESKTOP, PHONE, assert_resident_page, check_axe, log_in, shot

pytestmark = pytest.mark.e2e


def test_kiosk_number_is_called_shown_on_the_display_and_rated_on_the_phone(live_server, world, new_page):
    hall_ensure_catalogue(world.a)
    window = Window.objects.get(community=world.a, number=1)
    window.staff.add(world.users.window_staff)
    kiosk_user = UserFactory(role=Role.KIOSK, community=world.a)

    kiosk = new_page({"width": 1080, "height": 1920})
    log_in(kiosk, live_server, kiosk_user.phone)
    expect(kiosk.get_by_role("heading", level=1)).to_have_text("自助取号")
    check_axe(kiosk)
    kiosk.get_by_role("link", name="低保申请").click()
    kiosk.get_by_label("手机号(选填,登记后手机上可查看排队)").fill(world.resident.phone)
    kiosk.get_by_role("button", name="取号").click()
    expect(kiosk.get_by_test_id("ticket-number")).to_have_text("A001")
    expect(kiosk.get_by_text("前面还有 0 人")).to_be_visible()
    check_axe(kiosk)
    shot(kiosk, "hall-kiosk-slip")

    display = new_page({"width": 1920, "height": 1080})
    log_in(display, live_server, kiosk_user.phone)
    display.goto(f"{live_server.url}/hall/display/")
    expect(display.locator(".call").first).to_have_text("欢迎来到服务大厅,请取号后留意叫号")

    clerk = new_page(DESKTOP)
    log_in(clerk, live_server, world.users.window_staff.phone)
    clerk.goto(f"{live_server.url}/office/hall/counter/")
    expect(clerk.get_by_role("heading", level=1)).to_have_text("1号 民政窗口")
    expect(clerk.get_by_text("排队中(1 人)")).to_be_visible()
    clerk.get_by_role("button", name="📣 叫下一位").click()
    expect(clerk.get_by_text("已叫号:请 A001 号到 1 号窗口")).to_be_visible()
    expect(clerk.get_by_test_id("current-number")).to_have_text("A001")
    check_axe(clerk)

    # The TV updates itself (HTMX polling), no reload: the call and the window's current number.
    expect(display.locator(".call.latest")).to_have_text("请 A001 号到 1 号窗口", timeout=10_000)
    expect(display.locator("td.current").first).to_have_text("A001")
    check_axe(display)
    shot(display, "hall-display")

    clerk.get_by_label("已办结").check()
    clerk.get_by_role("button", name="✔ 办结").click()
    expect(clerk.get_by_text("A001 已办结:已办结")).to_be_visible()

    phone = new_page(PHONE)
    log_in(phone, live_server, world.users.resident.phone)
    ticket = Ticket.objects.get()
    phone.goto(f"{live_server.url}/hall/t/{ticket.uuid}/")
    expect(phone.get_by_role("status")).to_contain_text("已办结")
    assert_resident_page(phone, elder=False)
    phone.get_by_role("link", name="评价本次服务").click()
    for group in ("服务态度", "服务质量", "办事效率", "廉洁自律"):
        phone.get_by_role("group", name=group).get_by_label("5 分").check()
    assert_resident_page(phone, elder=False)
    shot(phone, "hall-rate-phone")
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("感谢您的评价!")).to_be_visible()
    assert Ticket.objects.get().status == TicketStatus.DONE
    assert Rating.objects.get().average == 5.0
