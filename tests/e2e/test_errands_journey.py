import re

import pytest
from playwright.sync_api import expect

from jumin.cases.models import Case, CaseRating
from jumin.errands.models import Errand
from jumin.hall.services import hall_ensure_catalogue

from .conftest import DESKTOP, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e

ITEM = "老年人优待证办理"
STEPS = ["已申请", "已受理", "材料已收", "已递交", "结果已回"]


def test_resident_requests_an_errand_and_follows_it_to_pickup_with_the_code(live_server, world, new_page):
    hall_ensure_catalogue(world.a)
    staff = world.users.window_staff

    # --- the resident finds the item in the 办事指南 on their phone and asks for an errand ---
    resident = new_page(PHONE)
    log_in(resident, live_server, world.users.resident.phone)
    resident.get_by_role("link", name=re.compile("办事指南")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("办事指南")
    # 27 items fold to a line each, so the whole guide is a few screens on a phone, not a dozen.
    expect(resident.locator("details.guide-item")).to_have_count(27)
    assert resident.evaluate("document.documentElement.scrollHeight") < 6 * PHONE["height"]
    check_axe(resident)
    resident.get_by_role("link", name="9号 老龄服务").click()
    resident.locator("summary").filter(has_text=ITEM).click()
    expect(resident.get_by_role("link", name=f"申请代办“{ITEM}”")).to_be_visible()
    # Searching by a document opens the few items that need it.
    resident.get_by_label("找事项或材料").fill("优待证")
    resident.get_by_role("button", name="查找").click()
    expect(resident.get_by_role("status")).to_contain_text("与“优待证”有关的事项")
    check_axe(resident)
    resident.get_by_role("link", name=f"申请代办“{ITEM}”").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text(f"申请代办:{ITEM}")
    expect(resident.get_by_role("region", name="需要准备的材料")).to_contain_text("近期一寸免冠彩色照片2张")
    expect(resident.get_by_label("联系电话")).to_have_value(world.resident.phone)
    check_axe(resident)
    switch_elder_mode(resident, on=True)
    assert_elder_page(resident)
    check_axe(resident)
    resident.get_by_label("居民身份证原件及复印件").check()
    resident.get_by_label("我自己或家人送到服务大厅窗口").check()
    resident.get_by_label("怎么联系您方便(可不填)").fill("工作日下午在家")
    resident.get_by_role("button", name="提交代办申请").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text(ITEM)
    expect(resident.locator("main")).to_contain_text("已提交代办申请")
    expect(resident.locator("main")).to_contain_text("当前状态已申请")
    check_axe(resident)
    switch_elder_mode(resident, on=False)
    expect(resident.get_by_role("region", name="代办信息")).to_contain_text("△ 待准备:近期一寸免冠彩色照片2张")
    case = Case.objects.get(kind="errand")
    errand = Errand.objects.get(case=case)
    assert errand.documents_ready == ["居民身份证原件及复印件"] and errand.handover == "window"

    # --- window staff work it: accept, tick documents, submit, record the result ---
    office = new_page(DESKTOP)
    log_in(office, live_server, staff.phone)
    office.get_by_role("navigation", name="功能导航").get_by_role("link", name="行政代办").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("行政代办")
    row = office.locator("#rows tbody tr").filter(has_text=case.number)
    expect(row).to_contain_text(ITEM)
    expect(row).to_contain_text(world.resident.name)
    expect(row).to_contain_text(f"{errand.contact_phone[:3]}****{errand.contact_phone[-4:]}")
    check_axe(office)
    row.get_by_role("link", name=case.number).click()
    expect(office.get_by_role("heading", level=1)).to_contain_text(ITEM)
    office.get_by_role("button", name="受理此事项").click()
    expect(office.get_by_role("status").filter(has_text="已受理")).to_be_visible()

    panel = office.get_by_role("region", name="代办信息")
    expect(panel).to_contain_text("居民送到服务大厅窗口")
    expect(panel.locator("label").filter(has_text="近期一寸免冠彩色照片2张")).to_contain_text("申请时未备好")
    # Ticking only some documents is refused with the missing ones named.
    panel.get_by_label("居民身份证原件及复印件").check()
    panel.get_by_role("button", name="材料已收齐").click()
    expect(office.locator("main")).to_contain_text("还缺少材料:近期一寸免冠彩色照片2张")
    assert Case.objects.get(pk=case.pk).status == "accepted"
    check_axe(office)
    panel = office.get_by_role("region", name="代办信息")
    for document in errand.service_item.required_documents:
        panel.get_by_label(document).check()
    panel.get_by_role("button", name="材料已收齐").click()
    expect(office.locator("main")).to_contain_text("状态更新为“材料已收”")

    office.get_by_label(re.compile("已递交主管部门.*说明")).fill("已递交区民政局养老服务科")
    office.get_by_role("button", name="已递交主管部门").click()
    expect(office.locator("main")).to_contain_text("已更新为“已递交”")
    office.get_by_label(re.compile("办理结果")).fill("优待证已办好,请凭取件码到9号窗口领取")
    office.get_by_role("button", name="登记结果已回").click()
    expect(office.locator("main")).to_contain_text("已通知居民凭取件码领取")
    # The worker never sees the code; only the form to check it.
    assert errand.pickup_code not in office.locator("main").inner_text()
    check_axe(office)
    shot(office, "errand-staff-panel")

    # --- the resident sees every step with its time and the staff member's name, and the code with its QR ---
    resident.reload()
    expect(resident.locator("main")).to_contain_text("当前状态结果已回")
    history = resident.get_by_role("region", name="办理过程").locator("li")
    expect(history).to_have_count(len(STEPS))
    for index, step in enumerate(STEPS):
        item = history.nth(index)
        expect(item).to_contain_text(step)
        expect(item.locator("time")).to_have_text(re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}"))
        expect(item).to_contain_text(world.resident.name if index == 0 else staff.name)
    expect(history.nth(2)).to_contain_text("已收齐材料")
    code = resident.locator(".pickup-code")
    expect(code).to_have_text(errand.pickup_code)
    qr = resident.get_by_role("img", name=f"取件码 {errand.pickup_code} 的二维码")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    # The code comes first on the page, large, with a QR a scanner can read at arm's length.
    assert code.bounding_box()["y"] < resident.locator("dl.facts").first.bounding_box()["y"]
    assert qr.bounding_box()["width"] >= 200
    check_axe(resident)
    shot(resident, "errand-pickup-code")

    # --- at the window: a wrong code changes nothing, the right one closes the errand ---
    office.reload()
    office.get_by_label(re.compile("取件码")).fill("000000" if errand.pickup_code != "000000" else "111111")
    office.get_by_role("button", name="核验并确认领取").click()
    expect(office.get_by_role("alert").or_(office.locator(".messages")).first).to_contain_text("取件码不正确")
    assert Case.objects.get(pk=case.pk).status == "result_back"
    office.get_by_label(re.compile("取件码")).fill(errand.pickup_code)
    office.get_by_role("button", name="核验并确认领取").click()
    expect(office.locator("main")).to_contain_text("已领取办理结果")
    expect(office.locator("main")).to_contain_text("状态:已领取")

    # --- the resident sees 已领取 and rates the errand ---
    resident.reload()
    expect(resident.locator("main")).to_contain_text("当前状态已领取")
    expect(resident.get_by_role("region", name="办理过程").locator("li")).to_have_count(len(STEPS) + 1)
    expect(resident.locator(".pickup-code")).to_have_count(0)
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_label("还想说的话(可不填)").fill("不用跑腿,太方便了")
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.locator("main")).to_contain_text("感谢您的评价")
    check_axe(resident)
    rating = CaseRating.objects.get(case=case)
    assert rating.value == "satisfied" and rating.comment == "不用跑腿,太方便了"
