"""志愿服务 end to end: a volunteer signs up for a shift on the phone, the organiser checks them in and out and
confirms the hours in the back office, and the volunteer sees the hours and the points they earned."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jumin.volunteers import services
from jumin.volunteers.models import PointsAccount, Signup, Volunteer
from jumin.volunteers.tests.factories import ShiftFactory

from .conftest import DESKTOP, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e

PHONE_390 = {**PHONE, "width": 390}


def test_volunteer_signs_up_is_checked_in_and_sees_hours_and_points(live_server, world, new_page):
    secretary = world.users.secretary
    services.volunteer_apply(actor=world.users.resident, skills="理发")
    me = services.volunteer_decide(
        actor=secretary, volunteer=Volunteer.objects.get(resident=world.resident), approve=True
    )
    start = timezone.localtime() + datetime.timedelta(days=2)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    shift = ShiftFactory(
        activity__community=world.a, activity__organiser=secretary, activity__title="义务理发", starts_at=start, slots=3
    )

    # --- the volunteer, on the phone ---
    phone = new_page(PHONE_390)
    log_in(phone, live_server, world.users.resident.phone)
    phone.get_by_role("link", name=re.compile("志愿服务")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("志愿服务")
    check_axe(phone)
    phone.get_by_role("link", name="报名志愿活动").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("志愿活动")
    expect(phone.get_by_text("剩余名额 3 / 3")).to_be_visible()
    check_axe(phone)
    phone.get_by_role("button", name=re.compile("^报名 义务理发")).click()
    expect(phone.get_by_role("status").filter(has_text="报名成功:义务理发")).to_be_visible()
    expect(phone.get_by_text("✔ 您已报名")).to_be_visible()
    shot(phone, "volunteers-activities-phone")
    signup = Signup.objects.get(volunteer=me)
    assert signup.status == "signed_up" and signup.channel == "self"

    # --- the organiser, at the desk ---
    desk = new_page(DESKTOP)
    log_in(desk, live_server, secretary.phone)
    desk.get_by_role("navigation", name="功能导航").get_by_role("link", name="志愿服务").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("志愿活动")
    check_axe(desk)
    desk.get_by_role("link", name="义务理发").click()
    expect(desk.get_by_text("已报名 1 / 3")).to_be_visible()
    check_axe(desk)
    desk.get_by_role("button", name=f"签到 {world.resident.name}").click()
    expect(desk.get_by_role("status").filter(has_text=f"{world.resident.name} 已签到")).to_be_visible()
    desk.get_by_role("button", name=f"签退 {world.resident.name}").click()
    expect(desk.get_by_role("status").filter(has_text=f"{world.resident.name} 已签退")).to_be_visible()
    desk.get_by_label("分钟").fill("120")
    desk.get_by_role("button", name=f"确认时长 {world.resident.name}").click()
    expect(desk.get_by_role("status").filter(has_text=f"已确认 {world.resident.name} 的服务时长")).to_be_visible()
    expect(desk.locator("table.data tbody tr")).to_contain_text("时长已确认")
    check_axe(desk)
    signup.refresh_from_db()
    assert signup.status == "confirmed" and signup.minutes == 120 and signup.confirmed_by == secretary
    assert PointsAccount.objects.get(volunteer=me).balance == 20

    # --- the volunteer sees hours and points, also in 长辈模式 ---
    phone.goto(f"{live_server.url}/me/volunteer/")
    summary = phone.get_by_role("region", name="我的志愿服务")
    expect(summary).to_contain_text("2.0累计时长(小时)")
    expect(summary).to_contain_text("20积分余额")
    check_axe(phone)
    shot(phone, "volunteers-me-phone")
    switch_elder_mode(phone, on=True)
    assert_elder_page(phone)
    check_axe(phone)
    phone.get_by_role("link", name="积分明细").click()
    expect(phone.locator("table.data tbody tr")).to_contain_text("+20")
    expect(phone.locator("table.data tbody tr")).to_contain_text("义务理发")
    assert_elder_page(phone)
    check_axe(phone)
    shot(phone, "volunteers-points-elder")
    assert shift.pk
