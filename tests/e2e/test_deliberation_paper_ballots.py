"""Window staff enter a paper ballot from the per-building reconciliation list; the household leaves the list of
those still to visit, and its member can no longer vote online."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jumin.deliberation import services
from jumin.deliberation.models import Vote
from jumin.deliberation.tests.conftest import PDF

from .conftest import DESKTOP, check_axe, log_in, shot

pytestmark = pytest.mark.e2e


def test_staff_enter_a_paper_ballot_and_see_the_reconciliation_list(live_server, world, new_page, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    scan = tmp_path / "ballot.pdf"
    scan.write_bytes(PDF)
    ballot = services.ballot_create(
        actor=world.users.secretary, question="是否同意加装电梯", closes_at=timezone.now() + datetime.timedelta(days=3)
    )
    page = new_page(DESKTOP)
    log_in(page, live_server, world.users.window_staff.phone)
    page.get_by_role("navigation", name="功能导航").get_by_role("link", name="表决").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("表决")
    check_axe(page)
    page.get_by_role("link", name="是否同意加装电梯").click()
    check_axe(page)
    page.get_by_role("link", name="核对名单 / 录入纸质选票").click()
    page.get_by_label("楼栋").select_option(label="玉龙花园1号楼(未投 2)")
    page.get_by_label("只看未投票").check()
    page.get_by_role("button", name="查询").click()
    rows = page.locator("table.roll tbody tr")
    expect(rows).to_have_count(2)
    check_axe(page)
    shot(page, "deliberation-roll")
    row = rows.filter(has_text=world.home.dwelling.address)
    row.get_by_text("不同意").click()
    row.get_by_label("扫描件").set_input_files(str(scan))
    row.get_by_role("button", name="录入").click()
    expect(page.get_by_role("status")).to_contain_text(f"已录入 {world.home.dwelling.address} 的纸质选票")
    expect(page.locator("table.roll tbody tr")).to_have_count(1)
    vote = Vote.objects.get(ballot=ballot)
    assert vote.channel == "paper" and vote.scan is not None

    resident = new_page(DESKTOP)
    log_in(resident, live_server, world.users.resident.phone)
    resident.goto(f"{live_server.url}/me/ballots/{ballot.uuid}/")
    expect(resident.get_by_text("纸质选票")).to_be_visible()
    expect(resident.get_by_role("button", name="确认投票")).to_have_count(0)
