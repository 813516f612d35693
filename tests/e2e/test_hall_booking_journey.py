"""A resident books a half-day slot on the phone, then checks in at the kiosk and is called ahead of walk-ins;
an elderly resident in 长辈模式 takes a number on the phone in the hall's opening hours."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from jumin.core.models import Role
from jumin.hall.models import Booking, BookingStatus, Lane, Slot, Ticket, Window
from jumin.hall.services import bookings as bs
from jumin.hall.services import hall_ensure_catalogue
from jumin.hall.services import tickets as ts
from jumin.people.tests.factories import ResidentFactory, UserFactory

from .conftest import PHONE, assert_elder_page, assert_resident_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e

# A Wednesday morning in the hall (the clock ticks on from there).
WEDNESDAY_9AM = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def morning():
    with time_machine.travel(WEDNESDAY_9AM, tick=True):
        yield


def test_a_resident_books_a_slot_and_checks_in_at_the_kiosk(live_server, world, new_page, morning):
    hall_ensure_catalogue(world.a)
    window = Window.objects.get(community=world.a, number=1)
    Slot.objects.create(community=world.a, window=window, date=WEDNESDAY_9AM.date(), half="am", capacity=2)
    Slot.objects.create(community=world.a, window=window, date=WEDNESDAY_9AM.date(), half="pm", capacity=2)
    kiosk_user = UserFactory(role=Role.KIOSK, community=world.a)
    walk_in = ts.ticket_take(actor=kiosk_user, item=window.items.get(name="低保申请"))

    phone = new_page(PHONE)
    log_in(phone, live_server, world.users.resident.phone)
    phone.goto(f"{live_server.url}/me/hall/book/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("预约办事")
    assert_resident_page(phone, elder=False)
    phone.get_by_role("link", name="低保申请").click()
    expect(phone.get_by_text("上午 · 1号窗口 · 剩 2 个名额")).to_be_visible()
    assert_resident_page(phone, elder=False)
    phone.get_by_label("上午 · 1号窗口 · 剩 2 个名额").check()
    phone.get_by_role("button", name="确认预约").click()
    expect(phone.get_by_text("预约成功")).to_be_visible()
    expect(phone.get_by_role("status").filter(has_text="状态")).to_have_text("状态:已预约")
    assert_resident_page(phone, elder=False)
    shot(phone, "hall-booking-phone")

    kiosk = new_page({"width": 1080, "height": 1920})
    log_in(kiosk, live_server, kiosk_user.phone)
    # The booking page shows the check-in QR; the kiosk's hand scanner types what it holds into the focused field.
    qr = phone.get_by_role("img", name="预约签到二维码")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0
    kiosk.get_by_role("link", name="预约签到").click()
    expect(kiosk.get_by_label("扫描手机上的预约二维码")).to_be_focused()
    kiosk.get_by_label("扫描手机上的预约二维码").fill("不是签到码")
    kiosk.get_by_role("button", name="扫码签到").click()
    expect(kiosk.get_by_text("这不是本系统的预约签到码")).to_be_visible()
    kiosk.get_by_label("扫描手机上的预约二维码").fill(bs.booking_check_in_code(Booking.objects.get()))
    kiosk.keyboard.press("Enter")
    expect(kiosk.get_by_test_id("ticket-number")).to_have_text("A002")
    expect(kiosk.get_by_text("预约", exact=False).first).to_be_visible()
    check_axe(kiosk)

    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CHECKED_IN
    assert booking.ticket.lane == Lane.BOOKED
    # The checked-in booking is called before the walk-in who came earlier.
    called = ts.ticket_call_next(actor=world.users.secretary, window=window)
    assert called.pk == booking.ticket.pk and Ticket.objects.get(pk=walk_in.pk).status == "waiting"
    phone.reload()
    expect(phone.get_by_role("link", name="查看我的号码 A002")).to_be_visible()


def test_an_elderly_resident_in_elder_mode_takes_a_number_on_the_phone(live_server, world, new_page, morning):
    hall_ensure_catalogue(world.a)
    elder = ResidentFactory(household=world.home, name="周奶奶", age=76, phone="13700000076", gender="F")
    user = UserFactory(role=Role.RESIDENT, phone=elder.phone, name=elder.name, resident=elder)
    page = new_page(PHONE)
    log_in(page, live_server, user.phone)
    page.goto(f"{live_server.url}/me/hall/take/")
    switch_elder_mode(page, on=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("在线取号")
    # 高龄津贴 starts at 80: offered, but not to her, and she is told why.
    expect(page.get_by_text("“高龄津贴申领”限 80 周岁及以上居民办理")).to_be_visible()
    assert_elder_page(page)
    check_axe(page)
    shot(page, "hall-take-elder")
    page.get_by_label("老年人优待证办理(9号窗口)").check()
    page.get_by_role("button", name="取号").click()
    expect(page.get_by_text("取号成功:I001")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="等候中")).to_contain_text("前面还有 0 人")
    expect(page.get_by_text("绿色通道")).to_be_visible()
    assert_elder_page(page)
    check_axe(page)
    shot(page, "hall-ticket-elder")
    ticket = Ticket.objects.get()
    assert ticket.user == user and ticket.lane == Lane.PRIORITY and ticket.number == "I001"
