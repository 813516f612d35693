"""灯塔加油站: a tutor at the station signs two elderly members into an on-site session — one by phone number, one by
the code on her phone — and records what each studied; the first then sees it completed on his phone in 长辈模式,
and the study page of the course still to do and his sign-in code pass the 长辈模式 checks too."""

import re

import pytest
from playwright.sync_api import expect

from jumin.core.models import Role
from jumin.learning.models import Attendance, StudyRecord
from jumin.learning.tests.factories import build_station, more_members
from jumin.people.tests.factories import UserFactory

from .conftest import DESKTOP, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e


def test_tutor_signs_in_two_elders_and_records_their_study(live_server, world, new_page):
    st = build_station(world)
    second = more_members(world, st.tree, 1, age=74)[0]
    second_user = UserFactory(
        role=Role.RESIDENT, phone=second.resident.phone, name=second.resident.name, resident=second.resident
    )

    # --- the tutor, on the station's computer ---
    tutor = new_page(DESKTOP)
    log_in(tutor, live_server, st.tutor.phone)
    expect(tutor.get_by_role("heading", level=1)).to_have_text("到站学习")
    tutor.get_by_label("地点").fill("玉龙湖服务站灯塔加油站学习室")
    tutor.get_by_role("button", name="开始到站学习").click()
    expect(tutor.get_by_role("status").filter(has_text="已开始到站学习")).to_be_visible()
    tutor.get_by_role("radio", name="手机号").check()
    tutor.get_by_role("textbox", name="手机号").fill(world.resident.phone)
    tutor.get_by_role("button", name="签到", exact=True).click()
    expect(tutor.get_by_role("status").filter(has_text="张三丰")).to_contain_text("已签到")
    check_axe(tutor)

    # --- the second member shows the code on her phone ---
    phone = new_page(PHONE)
    log_in(phone, live_server, second_user.phone)
    phone.get_by_role("link", name=re.compile("灯塔加油站")).click()
    phone.get_by_role("link", name=re.compile("到站签到码")).click()
    code = phone.locator(".signin-code").inner_text().strip()
    assert re.fullmatch(r"\d{6}", code)

    tutor.get_by_role("radio", name="手机签到码").check()
    tutor.get_by_role("textbox", name=re.compile("签到码")).fill(code)
    tutor.get_by_role("button", name="签到", exact=True).click()
    expect(tutor.get_by_role("status").filter(has_text=second.resident.name)).to_contain_text("已签到")
    assert Attendance.objects.count() == 2
    page_text = tutor.locator("main").inner_text()
    assert world.resident.id_number not in page_text and world.resident.phone not in page_text

    # --- the tutor records what each studied ---
    tutor.get_by_role("link", name="登记张三丰的学习").click()
    section = tutor.get_by_role("region", name="二十大精神")
    section.get_by_label("学习时长(分钟)").fill("35")
    section.get_by_label("已学完").check()
    section.get_by_role("button", name="登记《二十大精神》").click()
    expect(tutor.get_by_role("status")).to_contain_text("已登记张三丰学习《二十大精神》35 分钟,已学完")

    tutor.get_by_role("link", name=f"登记{second.resident.name}的学习").click()
    section = tutor.get_by_role("region", name="党章学习")
    section.get_by_label("学习时长(分钟)").fill("40")
    section.get_by_label("根本大法").check()
    section.get_by_label("组织生活").check()
    check_axe(tutor)
    section.get_by_role("button", name="登记《党章学习》").click()
    expect(tutor.get_by_role("status")).to_contain_text("测验 100 分,及格,已学完")
    expect(tutor.get_by_role("region", name=re.compile("已签到"))).to_contain_text("✔ 学完")
    shot(tutor, "learning-session")
    assert StudyRecord.objects.filter(channel="station", completed=True).count() == 2

    # --- the first member sees it completed on his phone, in 长辈模式 ---
    elder = new_page(PHONE)
    log_in(elder, live_server, st.users.resident.phone)
    switch_elder_mode(elder, on=True)
    elder.get_by_role("link", name=re.compile("灯塔加油站")).click()
    expect(elder.get_by_role("heading", level=1)).to_have_text("灯塔加油站")
    card = elder.get_by_role("listitem").filter(has_text="二十大精神")
    expect(card).to_contain_text("✔ 已学完")
    expect(card).to_contain_text("已学 35 分钟")
    assert_elder_page(elder)
    check_axe(elder)
    shot(elder, "learning-elder-done")

    # --- still in 长辈模式: the course he has yet to study, its quiz, and his sign-in code ---
    elder.get_by_role("link", name="党章学习").click()
    expect(elder.get_by_role("heading", level=1)).to_have_text("党章学习")
    expect(elder.locator("main")).to_contain_text("待学习")
    expect(elder.get_by_role("group", name=re.compile("党章是党的什么"))).to_be_visible()
    expect(elder.get_by_label("根本大法")).to_be_visible()
    expect(elder.get_by_role("button", name="交卷")).to_be_visible()
    assert_elder_page(elder)
    check_axe(elder)
    shot(elder, "learning-elder-study")
    elder.get_by_role("link", name=re.compile("返回灯塔加油站")).click()
    elder.get_by_role("link", name=re.compile("到站签到码")).click()
    expect(elder.locator(".signin-code")).to_have_text(re.compile(r"\d{6}"))
    assert_elder_page(elder)
    check_axe(elder)
