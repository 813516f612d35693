import re

import pytest
from playwright.sync_api import expect

from jumin.core.models import User
from jumin.people.models import Activation, ActivationStatus

from .conftest import DESKTOP, ELDER, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Qiuhe-2026-mima"


def test_resident_activates_account_staff_approve_and_elder_mode_reads_well(live_server, world, new_page):
    spouse = world.spouse
    resident_page = new_page(PHONE)

    # --- anonymous: activation and login pages, normal and 长辈模式 (remembered in the session) ---
    resident_page.goto(f"{live_server.url}/accounts/login/")
    expect(resident_page.locator("body")).not_to_have_class(ELDER)
    check_axe(resident_page)
    switch_elder_mode(resident_page, on=True)
    assert resident_page.url == f"{live_server.url}/accounts/login/"
    assert_elder_page(resident_page)
    check_axe(resident_page)

    resident_page.get_by_role("link", name="居民激活账号").click()
    expect(resident_page.get_by_role("heading", level=1)).to_have_text("激活居民账号")
    assert_elder_page(resident_page)
    check_axe(resident_page)
    shot(resident_page, "activate-elder")
    switch_elder_mode(resident_page, on=False)
    expect(resident_page.locator("body")).not_to_have_class(ELDER)
    check_axe(resident_page)

    def submit(id_number, password2=NEW_PASSWORD):
        resident_page.get_by_label("手机号").fill(spouse.phone)
        resident_page.get_by_label("身份证号").fill(id_number)
        resident_page.get_by_label("设置密码").fill(NEW_PASSWORD)
        resident_page.get_by_label("再次输入密码").fill(password2)
        resident_page.get_by_role("button", name="提交激活申请").click()

    # Mistakes are explained next to the field, in words, and tied to it for screen readers.
    submit(spouse.id_number, password2="Qiuhe-2026-mimA")
    repeat = resident_page.get_by_label("再次输入密码")
    expect(repeat).to_have_attribute("aria-invalid", "true")
    expect(repeat).to_have_accessible_description(re.compile("两次输入的密码不一致"))
    check_axe(resident_page)
    # A valid ID number that is not this phone's owner: one message, which does not say which part was wrong.
    submit(world.resident.id_number)
    expect(resident_page.get_by_role("alert")).to_have_text(
        "手机号与身份证号未能匹配到社区登记信息,或该账号已激活。已有账号请直接登录,仍有疑问请到社区服务大厅办理。"
    )
    check_axe(resident_page)
    assert not User.objects.filter(phone=spouse.phone).exists()

    submit(spouse.id_number)
    expect(resident_page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    expect(resident_page.get_by_text(f"用手机号 {spouse.phone}")).to_be_visible()

    account = User.objects.get(phone=spouse.phone)
    assert account.resident_id is None
    assert Activation.objects.get(user=account).status == ActivationStatus.PENDING

    # --- the resident logs in before review: a notice, no household tiles ---
    resident_page.get_by_role("link", name="去登录").click()
    log_in(resident_page, live_server, spouse.phone, NEW_PASSWORD)
    expect(resident_page).to_have_url(f"{live_server.url}/me/")
    expect(resident_page.get_by_role("status").filter(has_text="正在等待社区工作人员审核")).to_be_visible()
    expect(resident_page.get_by_role("link", name=re.compile("我的家庭"))).to_have_count(0)
    assert resident_page.goto(f"{live_server.url}/me/household/").status == 404
    resident_page.goto(f"{live_server.url}/me/")

    # --- window staff approve in their own browser ---
    staff_page = new_page(DESKTOP)
    log_in(staff_page, live_server, world.users.window_staff.phone)
    staff_page.get_by_role("navigation", name="功能导航").get_by_role("link", name="账号激活审核").click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("账号激活审核")
    row = staff_page.get_by_role("row").filter(has_text=spouse.name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(spouse.id_masked)
    expect(row).to_contain_text(world.home.dwelling.address)
    check_axe(staff_page)
    row.get_by_role("button", name="通过").click()
    expect(staff_page.get_by_role("status")).to_contain_text(f"已通过 {spouse.name} 的激活申请")
    expect(staff_page.get_by_text("没有该状态的申请")).to_be_visible()

    account.refresh_from_db()
    assert account.resident_id == spouse.id
    activation = Activation.objects.get(user=account)
    assert (activation.status, activation.decided_by_id) == (ActivationStatus.APPROVED, world.users.window_staff.id)

    # --- the resident reloads: the household file is open to them ---
    resident_page.reload()
    expect(resident_page.get_by_role("status").filter(has_text="正在等待")).to_have_count(0)
    check_axe(resident_page)
    resident_page.get_by_role("link", name=re.compile("我的家庭")).click()
    expect(resident_page).to_have_url(f"{live_server.url}/me/household/")
    expect(resident_page.get_by_role("heading", level=1)).to_have_text("我的家庭")
    members = resident_page.locator(".member")
    expect(members).to_have_count(2)
    expect(members.filter(has_text=world.resident.name)).to_contain_text(world.resident.id_masked)
    expect(members.filter(has_text=spouse.name)).to_contain_text(spouse.id_masked)
    assert spouse.id_number not in resident_page.content()
    check_axe(resident_page)

    # --- 长辈模式 on the account: bigger text, bigger targets, remembered on every page ---
    switch_elder_mode(resident_page, on=True)
    expect(resident_page).to_have_url(f"{live_server.url}/me/household/")
    assert_elder_page(resident_page)
    check_axe(resident_page)
    shot(resident_page, "my-household-elder")
    account.refresh_from_db()
    assert account.elder_mode is True

    resident_page.get_by_role("link", name="返回首页").click()
    expect(resident_page).to_have_url(f"{live_server.url}/me/")
    assert_elder_page(resident_page)
    check_axe(resident_page)

    # The switch belongs to the account: another phone signing in gets it too.
    other_phone = new_page(PHONE)
    log_in(other_phone, live_server, spouse.phone, NEW_PASSWORD)
    expect(other_phone.locator("body")).to_have_class(ELDER)
