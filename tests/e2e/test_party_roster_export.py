"""党组织: the secretary opens the five-level tree, places the register's 党员 into their organisations, enrols a
neighbour into the grid branch, filters the branch roster and exports it as the 台账."""

import datetime
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from jumin.party.models import PartyMember
from jumin.party.tests.factories import build_tree

from .conftest import DESKTOP, check_axe, log_in, shot

pytestmark = pytest.mark.e2e


def test_secretary_places_members_and_exports_a_branch_roster(live_server, world, new_page, tmp_path):
    tree = build_tree(world)
    office = new_page(DESKTOP)
    log_in(office, live_server, world.users.secretary.phone)
    office.get_by_role("navigation", name="功能导航").get_by_role("link", name="党组织").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("党组织")
    expect(office.get_by_text("1 名标记为党员的居民还没有编入党组织")).to_be_visible()
    check_axe(office)
    office.get_by_role("button", name="按居住楼栋、网格编入党组织").click()
    expect(office.get_by_role("status").filter(has_text="已将 1 名党员编入")).to_be_visible()
    row = office.locator("table.data tbody tr").filter(has_text="玉龙湖社区党委")
    expect(row).to_contain_text("1 人")
    assert PartyMember.objects.get(resident=world.resident).org == tree.group
    shot(office, "party-tree")

    office.get_by_role("link", name="第1网格党支部").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("第1网格党支部")
    check_axe(office)
    # Enrol the neighbour, found by name.
    office.get_by_label("查找居民").fill(world.neighbour.name)
    office.get_by_role("button", name="查找").click()
    office.get_by_role("combobox", name=re.compile("^居民")).select_option(str(world.neighbour.uuid))
    # By role: the page's folded 接收转入 form has fields of the same names, hidden until opened.
    office.get_by_role("textbox", name=re.compile("^入党日期")).fill("2012-07-01")
    office.get_by_role("checkbox", name="双报到(在外单位工作,到社区报到服务)").check()
    office.get_by_role("textbox", name="工作单位").fill("滨化集团")
    office.get_by_role("button", name="编入第1网格党支部").click()
    expect(office.get_by_role("status").filter(has_text=f"已将{world.neighbour.name}编入第1网格党支部")).to_be_visible()
    roster = office.locator("#rows table.data tbody tr")
    expect(roster).to_have_count(2)
    check_axe(office)

    # The roster narrows as the secretary filters it, and the export follows the filter.
    office.get_by_label("双报到", exact=True).select_option("1")
    expect(roster).to_have_count(1)
    expect(roster).to_contain_text(world.neighbour.name)
    with office.expect_download() as download:
        office.get_by_role("link", name="导出名册 Excel").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("第1网格党支部党员名册_")
    rows = list(load_workbook(saved).active.values)
    assert rows[0][0] == "姓名" and [r[0] for r in rows[1:]] == [world.neighbour.name]
    assert rows[1][7] == "是" and rows[1][8] == "滨化集团" and "****" in rows[1][10]
    assert rows[1][6] == datetime.date(2012, 7, 1).isoformat()
    shot(office, "party-branch-roster")
