"""双报到: the secretary publishes a service task for a branch; a member who works elsewhere and reports to the
community where he lives takes it on his phone in 长辈模式 and records it done; the secretary sees it on the task
page and rolled up on the organisation tree."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from jumin.party import services
from jumin.party.models import ServiceTaskClaim
from jumin.party.tests.factories import build_tree

from .conftest import DESKTOP, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e


def test_secretary_publishes_a_task_a_dual_report_member_takes_and_finishes_it(live_server, world, new_page):
    tree = build_tree(world)
    services.member_enrol(
        actor=world.users.secretary,
        org=tree.group,
        resident=world.resident,
        joined_on=datetime.date(2003, 7, 1),
        dual_report=True,
        workplace="滨化集团",
    )

    # --- the secretary publishes a task for 第1网格党支部 ---
    office = new_page(DESKTOP)
    log_in(office, live_server, world.users.secretary.phone)
    office.get_by_role("navigation", name="功能导航").get_by_role("link", name="双报到任务").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("双报到服务任务")
    office.get_by_label("发布组织").select_option(label="第1网格党支部")
    office.get_by_role("textbox", name="任务", exact=True).fill("周六上午服务站值守")
    office.get_by_label("地点").fill("玉龙湖服务站")
    office.get_by_label("需要人数").fill("2")
    check_axe(office)
    office.get_by_role("button", name="发布任务").click()
    expect(office.get_by_role("status").filter(has_text="已发布任务")).to_be_visible()

    # --- the member, on his phone in 长辈模式 ---
    phone = new_page(PHONE)
    log_in(phone, live_server, world.users.resident.phone)
    switch_elder_mode(phone, on=True)
    phone.get_by_role("link", name=re.compile("红色驿站")).click()
    expect(phone.get_by_role("heading", name="双报到服务")).to_be_visible()
    assert_elder_page(phone)
    phone.get_by_role("link", name=re.compile("周六上午服务站值守")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("周六上午服务站值守")
    assert_elder_page(phone)
    check_axe(phone)
    phone.get_by_role("button", name="认领这个任务").click()
    expect(phone.get_by_role("status").filter(has_text="已认领")).to_be_visible()
    phone.get_by_label("服务时长(小时)").fill("3")
    phone.get_by_label("完成情况").fill("接待居民 8 人,帮 3 位老人用手机预约")
    assert_elder_page(phone)
    shot(phone, "dual-report-task-elder")
    phone.get_by_role("button", name="我已完成").click()
    expect(phone.locator("main")).to_contain_text("✔ 已完成:3 小时")
    assert ServiceTaskClaim.objects.get().status == "done"

    # --- the secretary sees it, on the task and rolled up the tree ---
    office.reload()
    row = office.get_by_role("row").filter(has_text=world.resident.name)
    expect(row).to_contain_text("本人认领")
    expect(row).to_contain_text("✔ 已完成")
    office.get_by_role("navigation", name="功能导航").get_by_role("link", name="党组织", exact=True).click()
    expect(office.get_by_role("row").filter(has_text="第1网格党支部")).to_contain_text("1 次 / 3 小时")
    expect(office.get_by_role("row").filter(has_text="玉龙湖社区党委")).to_contain_text("1 次 / 3 小时")
    check_axe(office)
