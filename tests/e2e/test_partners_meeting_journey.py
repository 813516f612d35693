"""党建联席会议 and 难题共办: the secretary convenes the partner units, records who came and a resolution that needs
work; the owner unit's member reports progress from their phone; the meeting page shows the task until it is done."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jumin.cases.models import Case
from jumin.core.models import Role
from jumin.partners.models import JointTask
from jumin.partners.tests.factories import PartnerMemberFactory, PartnerUnitFactory
from jumin.people.tests.factories import UserFactory

from .conftest import DESKTOP, PHONE, assert_resident_page, check_axe, log_in, shot

pytestmark = pytest.mark.e2e


def test_meeting_resolution_becomes_a_joint_task_the_unit_reports_on(live_server, world, new_page):
    PartnerUnitFactory(street=world.street, community=None, name="滨化集团")
    police = PartnerUnitFactory(street=world.street, community=world.a, name="东城交警中队", kind="police")
    partner = UserFactory(role=Role.PARTNER_MEMBER, name="韩联络")
    PartnerMemberFactory(unit=police, name=partner.name, user=partner)

    office = new_page(DESKTOP)
    log_in(office, live_server, world.users.secretary.phone)
    office.get_by_role("navigation", name="功能导航").get_by_role("link", name="党建联席会议").click()
    expect(office.get_by_text("还没有联席会议")).to_be_visible()
    check_axe(office)
    office.get_by_role("link", name="召集联席会议").click()
    office.get_by_label(re.compile("^会议名称")).fill("第四季度党建联席会议")
    office.get_by_label(re.compile("^召开时间")).fill(f"{timezone.localdate():%Y-%m-%d}T14:30")
    office.get_by_label(re.compile("^议程")).fill("一、上学高峰交通拥堵;二、冬季用电安全")
    office.get_by_label("滨化集团").check()
    office.get_by_label("东城交警中队").check()
    check_axe(office)
    office.get_by_role("button", name="召集会议").click()
    expect(office.get_by_role("status").filter(has_text="已召集“第四季度党建联席会议”")).to_be_visible()

    office.get_by_label("东城交警中队 出席人").fill("韩联络")
    office.get_by_label(re.compile("^会议纪要")).fill("会议研究了上学高峰交通问题。")
    office.get_by_role("button", name="保存纪要和出席情况").click()
    expect(office.get_by_role("status").filter(has_text="已保存会议纪要")).to_be_visible()
    office.get_by_label(re.compile("^决议内容")).fill("上学高峰在七小门口设护学岗")
    office.get_by_label("需要办理的,选牵头单位(难题共办)").select_option(label="东城交警中队")
    office.get_by_label("完成时限").fill(f"{timezone.localdate() + datetime.timedelta(days=30):%Y-%m-%d}")
    office.get_by_role("button", name="记录决议").click()
    expect(office.get_by_role("status").filter(has_text="已记录决议1,已交办东城交警中队牵头办理")).to_be_visible()
    tasks = office.get_by_role("region", name=re.compile("难题共办"))
    expect(tasks).to_contain_text("已交办")
    expect(tasks).to_contain_text("未办结 1 件")
    check_axe(office)
    task = JointTask.objects.select_related("case").get()

    # --- the partner unit's member, on the phone ---
    phone = new_page(PHONE)
    log_in(phone, live_server, partner.phone)
    expect(phone.get_by_role("heading", level=1)).to_have_text("东城交警中队")
    expect(phone.get_by_text("上学高峰在七小门口设护学岗")).to_be_visible()
    phone.get_by_label(re.compile("^进度")).fill("60")
    phone.get_by_label(re.compile("^进展")).fill("护学岗已排班,每天 7:20 到岗")
    assert_resident_page(phone, elder=False)
    shot(phone, "partner-unit-task")
    phone.get_by_role("button", name="报告进展").click()
    expect(phone.get_by_role("status").filter(has_text="已报告进展")).to_be_visible()

    # --- the secretary works the case to done; the meeting page stops listing it as open ---
    office.goto(f"{live_server.url}/office/cases/{task.case.uuid}/")
    expect(office.get_by_role("region", name="难题共办")).to_contain_text("60%")
    office.get_by_role("button", name="受理此事项").click()
    office.get_by_label(re.compile("^办结")).fill("护学岗已常态化")
    office.get_by_role("button", name="办结", exact=True).click()
    expect(office.get_by_role("status").filter(has_text="已更新为“已办结”")).to_be_visible()
    assert Case.objects.get(pk=task.case.pk).status == "done"
    office.goto(f"{live_server.url}/office/partners/meetings/{task.meeting.uuid}/")
    expect(office.get_by_role("region", name=re.compile("难题共办"))).to_contain_text("未办结 0 件")
    expect(office.get_by_role("region", name=re.compile("难题共办"))).to_contain_text("✔ 已办结")
    shot(office, "joint-meeting")
