import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from jumin.cases.models import Case
from jumin.errands.models import Errand
from jumin.hall.services import hall_ensure_catalogue

from .conftest import DESKTOP, check_axe, log_in, shot

pytestmark = pytest.mark.e2e

ITEM = "医保参保登记"


def test_window_staff_request_an_errand_for_a_resident_and_export_the_masked_ledger(
    live_server, world, new_page, tmp_path
):
    hall_ensure_catalogue(world.a)
    staff = world.users.window_staff
    office = new_page(DESKTOP)
    log_in(office, live_server, staff.phone)
    office.get_by_role("navigation", name="功能导航").get_by_role("link", name="行政代办").click()
    expect(office.locator("#rows")).to_contain_text("没有符合条件的代办事项")
    office.get_by_role("link", name="代居民申请").first.click()

    # Find the resident, choose the item, tick what the resident has and how the documents come in.
    office.get_by_role("searchbox", name="查找居民").fill(world.resident.name)
    office.get_by_role("button", name="查找").click()
    office.get_by_role("link", name=f"为 {world.resident.name} 申请").click()
    expect(office.get_by_role("region", name="申请人")).to_contain_text(world.resident.id_masked)
    check_axe(office)
    items = office.get_by_role("region", name="选择代办事项")
    expect(items).not_to_contain_text("低保申请")  # 须本人办理
    items.get_by_role("link", name=ITEM).click()
    form = office.get_by_role("region", name=ITEM)
    documents = form.get_by_role("group", name=re.compile("已经备好的材料"))
    expect(documents.get_by_role("checkbox")).to_have_count(2)
    documents.get_by_role("checkbox").first.check()
    form.get_by_label("请工作人员上门收取").check()
    form.get_by_label("联系电话").fill("13812345678")
    check_axe(office)
    form.get_by_role("button", name="登记代办申请").click()

    expect(office.get_by_role("status").filter(has_text=f"已为 {world.resident.name} 登记代办申请")).to_be_visible()
    case = Case.objects.get(kind="errand")
    errand = Errand.objects.get(case=case)
    assert case.resident == world.resident and case.raised_by == staff and errand.handover == "visit"
    assert errand.documents_ready == errand.service_item.required_documents[:1]
    expect(office.locator("main")).to_contain_text("工作人员代为登记")
    expect(office.get_by_role("region", name="代办信息")).to_contain_text("工作人员上门收取")
    # Steps the errand has not reached are not offered: only 受理 (and 退回) until it is taken.
    expect(office.get_by_role("button", name="受理此事项")).to_be_visible()
    for later in ("材料已收齐", "已递交主管部门", "登记结果已回", "核验并确认领取"):
        expect(office.get_by_role("button", name=later)).to_have_count(0)
    shot(office, "errand-staff-request")

    # The ledger: one row, the phone masked, no pickup code anywhere.
    office.get_by_role("link", name="行政代办", exact=True).first.click()
    with office.expect_download() as download:
        office.get_by_role("link", name="导出 Excel").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("行政代办台账_") and saved.suffix == ".xlsx"
    sheet = load_workbook(saved).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("编号", "社区", "代办事项") and len(rows) == 2
    row = [str(v) for v in rows[1] if v is not None]
    assert case.number in row and ITEM in row and "138****5678" in row
    assert not any("13812345678" in v or errand.pickup_code in v for v in row)
