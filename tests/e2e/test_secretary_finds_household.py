import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from jumin.core.models import AuditEvent

from .conftest import check_axe, log_in

pytestmark = pytest.mark.e2e


def test_secretary_finds_a_household_by_pinyin_initials_and_sees_masked_id_numbers(live_server, world, page):
    home = world.home
    log_in(page, live_server, world.users.secretary.phone)

    expect(page).to_have_url(f"{live_server.url}/office/")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    check_axe(page)

    page.get_by_role("navigation", name="功能导航").get_by_role("link", name="住户台账").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("住户台账")
    rows = page.locator("#rows tbody tr")
    # Community A has three households; the one in community B is not the secretary's.
    expect(rows).to_have_count(3)
    expect(page.locator("#rows")).not_to_contain_text(world.outsider_home.dwelling.address)
    check_axe(page)

    with page.expect_response(lambda r: "q=zsf" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_label("搜索").press_sequentially("zsf")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(home.dwelling.address)
    expect(rows.first).to_contain_text("张三丰")
    expect(page.locator("#rows")).not_to_contain_text(world.neighbour_home.dwelling.address)
    # The search is in the address bar, so the filtered list can be bookmarked or reloaded.
    expect(page).to_have_url(re.compile(r"[?&]q=zsf"))
    # 导出 Excel exports what the list now shows, not the list the page first loaded with.
    export = page.get_by_role("link", name="导出 Excel")
    expect(export).to_have_attribute("href", re.compile(r"[?&]q=zsf"))
    with page.expect_download() as download:
        export.click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True).active
    exported = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert len(exported) == 1 and home.dwelling.address in exported[0]

    page.get_by_role("link", name=home.dwelling.address).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"一户一档:{home.dwelling.address}")
    members = page.get_by_role("table", name="家庭成员及与户主关系")
    expect(members).to_contain_text(world.resident.name)
    expect(members).to_contain_text(world.spouse.name)
    expect(members).to_contain_text(world.resident.id_masked)
    expect(members).to_contain_text(world.spouse.id_masked)
    html = page.content()
    assert world.resident.id_number not in html
    assert world.spouse.id_number not in html
    check_axe(page)

    # Looking is not revealing: no full-ID audit entry was written on the way.
    assert not AuditEvent.objects.filter(action="resident.reveal_id").exists()
