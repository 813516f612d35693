"""党代表接待日: a resident books a slot on the phone; on the day the representative records her opinion, staff take
and close it in the queue, and the representative sees on the day's page what became of it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jumin.cases.models import Case
from jumin.core.models import Role
from jumin.party import services
from jumin.party.models import ReceptionSignup
from jumin.people.tests.factories import UserFactory

from .conftest import DESKTOP, PHONE, assert_resident_page, check_axe, log_in, shot

pytestmark = pytest.mark.e2e


def test_resident_books_representative_records_staff_close(live_server, world, new_page):
    rep = UserFactory(role=Role.PARTY_REP, community=world.a, name="高代表")
    day = services.reception_day_create(
        actor=rep,
        date=timezone.localdate(),
        place="玉龙湖服务站红色驿站",
        topic="老旧小区改造听民意",
        slots=[(datetime.time(9), datetime.time(9, 30), 1), (datetime.time(9, 30), datetime.time(10), 2)],
    )

    # --- the resident, on the phone ---
    resident = new_page(PHONE)
    log_in(resident, live_server, world.users.resident.phone)
    resident.get_by_role("link", name=re.compile("红色驿站")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("红色驿站")
    resident.get_by_role("link", name=re.compile("党代表接待日")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("党代表接待日")
    assert_resident_page(resident, elder=False)
    resident.get_by_role("link", name=re.compile("高代表")).click()
    resident.get_by_label(re.compile("09:00–09:30")).check()
    resident.get_by_label("想反映的事(可不填)").fill("楼里老人多,想加装电梯")
    assert_resident_page(resident, elder=False)
    shot(resident, "reception-signup")
    resident.get_by_role("button", name="预约").click()
    expect(resident.get_by_role("status").filter(has_text="预约成功")).to_be_visible()
    expect(resident.get_by_text("您已预约 09:00–09:30")).to_be_visible()
    signup = ReceptionSignup.objects.get()
    assert signup.resident == world.resident and signup.slot.taken == 1

    # --- the representative, at the station ---
    office = new_page(DESKTOP)
    log_in(office, live_server, rep.phone)
    office.get_by_role("navigation", name="功能导航").get_by_role("link", name="党代表接待日").click()
    office.get_by_role("link", name=re.compile(r"\d+年\d+月\d+日")).first.click()
    expect(office.get_by_role("heading", level=1)).to_contain_text("党代表接待日")
    expect(office.get_by_text("楼里老人多,想加装电梯")).to_be_visible()
    check_axe(office)
    office.get_by_label("预约的居民").select_option(str(signup.uuid))
    office.get_by_label("标题").fill("希望推进老旧楼加装电梯")
    office.get_by_label("类别").select_option(label="公共设施")
    office.get_by_label("居民反映的内容").fill("1号楼住户多为老人,上下楼困难,希望推进加装电梯。")
    office.get_by_role("button", name="登记社情民意").click()
    expect(office.get_by_role("status").filter(has_text="已登记社情民意")).to_be_visible()
    case = Case.objects.get(kind="opinion")
    assert case.opinion.reception_day == day and case.resident == world.resident
    expect(office.get_by_role("region", name="当天登记的社情民意(跟踪到办结)")).to_contain_text("已提交")
    check_axe(office)

    # --- staff take and close it from the work queue ---
    staff = new_page(DESKTOP)
    log_in(staff, live_server, world.users.grid_worker.phone)
    staff.goto(f"{live_server.url}/office/cases/{case.uuid}/")
    staff.get_by_role("button", name="受理此事项").click()
    staff.get_by_label(re.compile("^答复")).fill("已纳入明年加装电梯计划,方案确定后征求住户意见。")
    staff.get_by_role("button", name="答复", exact=True).click()
    staff.get_by_role("button", name="办结", exact=True).click()
    expect(staff.get_by_role("status").filter(has_text="已更新为“已办结”")).to_be_visible()

    # --- the representative sees what became of it ---
    office.reload()
    expect(office.get_by_role("region", name="当天登记的社情民意(跟踪到办结)")).to_contain_text("✔ 已办结")
    shot(office, "reception-day-followed")
