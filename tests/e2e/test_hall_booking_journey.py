"""A resident books a half-day slot on the phone, then checks in at the kiosk and is called ahead of walk-ins (by a
hand scanner, and by the kiosk's camera reading the QR on the phone; without a camera the typed field still works);
an elderly resident in 长辈模式 takes a number on the phone in the hall's opening hours."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import segno
import time_machine
from playwright.sync_api import expect

from jumin.core.models import Role
from jumin.hall.models import Booking, BookingStatus, Lane, Slot, Ticket, Window
from jumin.hall.services import bookings as bs
from jumin.hall.services import hall_ensure_catalogue
from jumin.hall.services import tickets as ts
from jumin.people.tests.factories import ResidentFactory, UserFactory

from .conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    assert_elder_page,
    assert_resident_page,
    check_axe,
    log_in,
    shot,
    switch_elder_mode,
)

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


def _qr_video(text: str, path: Path, width: int = 640, height: int = 480) -> Path:
    """A Y4M clip of a phone screen showing the QR, for Chromium's fake camera: grey levels only (the U and V
    planes flat), dark modules black on white, 8 px per module, centred."""
    rows = [
        bytes(0 if dark else 255 for dark in row) for row in segno.make(text, error="m").matrix_iter(scale=8, border=4)
    ]
    top, left = (height - len(rows)) // 2, (width - len(rows[0])) // 2
    luma = bytearray(b"\xff" * width * height)
    for y, row in enumerate(rows):
        start = (top + y) * width + left
        luma[start : start + len(row)] = row
    chroma = b"\x80" * (width // 2) * (height // 2)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F5:1 Ip A1:1 C420jpeg\n".encode() + frame * 3)
    return path


@pytest.fixture
def booked(world, morning):
    """A resident's booking for this morning at window 1, and the hall's kiosk account."""
    hall_ensure_catalogue(world.a)
    window = Window.objects.get(community=world.a, number=1)
    slot = Slot.objects.create(community=world.a, window=window, date=WEDNESDAY_9AM.date(), half="am", capacity=2)
    booking = bs.booking_make(actor=world.users.resident, item=window.items.get(name="低保申请"), slot=slot)
    return booking, UserFactory(role=Role.KIOSK, community=world.a)


@pytest.fixture
def kiosk_with_camera(live_server, browser, booked, tmp_path):
    """open(allowed) → a kiosk page in a Chromium whose fake camera films the resident's phone showing the booking
    QR; allowed: the camera permission was given when the kiosk was set up (else the browser refuses it)."""
    booking, kiosk_user = booked
    clip = _qr_video(bs.booking_check_in_code(booking), tmp_path / "phone-qr.y4m")
    launched = []

    def open_kiosk(allowed: bool):
        args = ["--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={clip}"]
        if allowed:
            args.append("--use-fake-ui-for-media-stream")  # the permission prompt is answered "allow"
        launched.append(
            browser.browser_type.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS + args)
        )
        context = launched[-1].new_context(locale="zh-CN", viewport={"width": 1080, "height": 1920})
        context.set_default_timeout(15_000)
        kiosk = context.new_page()
        kiosk.errors, kiosk.posts = [], []
        kiosk.on("pageerror", lambda error: kiosk.errors.append(str(error)))
        kiosk.on("request", lambda r: kiosk.posts.append((r.url, r.post_data or "")) if r.method == "POST" else None)
        log_in(kiosk, live_server, kiosk_user.phone)
        return kiosk

    yield open_kiosk
    for each in launched:
        each.close()


def test_the_kiosk_camera_reads_the_qr_on_the_phone_and_checks_in(live_server, booked, kiosk_with_camera):
    booking, _ = booked
    kiosk = kiosk_with_camera(allowed=True)
    # The camera is already allowed on this kiosk, so the page starts looking by itself; Chromium on Linux has no
    # BarcodeDetector, so the vendored jsQR reads the frames, and the code is posted with the typed field's form
    # to the check-in path, once.
    kiosk.get_by_role("link", name="预约签到").click()
    expect(kiosk.get_by_test_id("ticket-number")).to_have_text("A001")
    assert kiosk.evaluate("typeof window.BarcodeDetector") == "undefined"
    assert [url for url, body in kiosk.posts if "code=JM1%3A" in body] == [f"{live_server.url}/hall/kiosk/check-in/"]
    assert kiosk.errors == []
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN and booking.ticket.lane == Lane.BOOKED


def test_a_refused_camera_says_so_and_the_typed_field_still_works(booked, kiosk_with_camera):
    booking, _ = booked
    kiosk = kiosk_with_camera(allowed=False)
    kiosk.get_by_role("link", name="预约签到").click()
    camera = kiosk.get_by_role("region", name="用摄像头扫码")
    expect(camera).to_be_visible()
    check_axe(kiosk)
    camera.get_by_role("button", name="打开摄像头扫码").click()
    expect(camera.get_by_role("status")).to_have_text(
        "没有获得使用摄像头的授权。请把二维码对准扫码口,或在下面输入手机号签到。"
    )
    expect(kiosk.get_by_label("扫描手机上的预约二维码")).to_be_focused()
    expect(camera.get_by_role("button", name="打开摄像头扫码")).to_be_visible()
    shot(kiosk, "hall-kiosk-check-in-camera-refused")
    kiosk.get_by_label("扫描手机上的预约二维码").fill(bs.booking_check_in_code(booking))
    kiosk.keyboard.press("Enter")
    expect(kiosk.get_by_test_id("ticket-number")).to_have_text("A001")
    assert Booking.objects.get().status == BookingStatus.CHECKED_IN and kiosk.errors == []


def test_a_kiosk_without_a_camera_shows_only_the_typed_fields(live_server, new_page, booked):
    _, kiosk_user = booked
    kiosk = new_page({"width": 1080, "height": 1920})
    log_in(kiosk, live_server, kiosk_user.phone)
    kiosk.get_by_role("link", name="预约签到").click()
    expect(kiosk.get_by_label("扫描手机上的预约二维码")).to_be_focused()
    expect(kiosk.get_by_label("预约时登记的手机号")).to_be_visible()
    expect(kiosk.get_by_role("region", name="用摄像头扫码")).to_be_hidden()
    expect(kiosk.get_by_role("button", name="打开摄像头扫码")).to_be_hidden()
