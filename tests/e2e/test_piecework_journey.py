"""A laid-off resident claims pieces on the phone, hands them in, staff inspect and pay, the resident sees the income."""

import re

import pytest
from playwright.sync_api import expect

from jumin.piecework.models import HandIn, PiecePayment, WorkClaim
from jumin.piecework.tests.factories import make_factory, post_order

from .conftest import DESKTOP, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e


def test_laid_off_resident_claims_hands_in_is_inspected_paid_and_sees_the_income(live_server, world, new_page):
    order = post_order(
        world, make_factory(world), item="手工串珠手链", quantity=100, unit_pay="0.80", max_per_resident=30
    )

    # --- 王建国 (下岗职工) finds the order on the phone and claims 20 pieces ---
    resident = new_page(PHONE)
    log_in(resident, live_server, world.users.neighbour.phone)
    resident.get_by_role("link", name=re.compile("家庭代工")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("家庭代工")
    check_axe(resident)
    shot(resident, "piecework-orders")
    resident.get_by_role("link", name=re.compile("手工串珠手链")).click()
    expect(resident.locator("main")).to_contain_text("每件 0.80 元")
    switch_elder_mode(resident, on=True)
    assert_elder_page(resident)
    check_axe(resident)
    resident.get_by_label("认领件数").fill("40")
    resident.get_by_role("button", name="认领").click()
    expect(resident.locator("main")).to_contain_text("每人最多认领 30 件")
    resident.get_by_label("认领件数").fill("20")
    resident.get_by_role("button", name="认领").click()
    expect(resident.locator("main")).to_contain_text("已认领 20 件")
    check_axe(resident)
    switch_elder_mode(resident, on=False)
    claim = WorkClaim.objects.get(order=order)

    # --- hands in 20 finished pieces ---
    resident.get_by_label("本次交货件数").fill("20")
    resident.get_by_role("button", name="登记交货").click()
    expect(resident.locator("main")).to_contain_text("已登记交货,等待社区验收")
    expect(resident.get_by_role("region", name="交货与验收记录")).to_contain_text("待验收")
    shot(resident, "piecework-claim")

    # --- window staff inspect (18 accepted, 2 rejected) and pay cash ---
    office = new_page(DESKTOP)
    log_in(office, live_server, world.users.window_staff.phone)
    office.get_by_role("navigation", name="功能导航").get_by_role("link", name="家庭代工").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("家庭代工")
    check_axe(office)
    office.get_by_role("link", name="手工串珠手链").click()
    handin = HandIn.objects.get(claim=claim)
    office.locator(f"#a-{handin.uuid}").fill("18")
    office.locator(f"#r-{handin.uuid}").fill("2")
    office.locator(f"#x-{handin.uuid}").fill("线头没剪干净")
    office.get_by_role("button", name="验收").click()
    expect(office.locator("main")).to_contain_text("已记录验收结果")
    office.get_by_role("button", name="发放 14.40 元").click()
    expect(office.locator("main")).to_contain_text("已发放计件工资")
    check_axe(office)

    # --- the resident sees the inspection and the income ---
    resident.reload()
    expect(resident.locator("main")).to_contain_text("合格 18 件")
    expect(resident.locator("main")).to_contain_text("线头没剪干净")
    resident.get_by_role("link", name="‹ 我认领的活").click()
    resident.get_by_role("link", name="‹ 家庭代工").click()
    resident.get_by_role("link", name=re.compile("我的收入")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("我的收入")
    expect(resident.locator("main")).to_contain_text("14.40 元")
    check_axe(resident)
    shot(resident, "piecework-income")

    claim.refresh_from_db()
    assert (claim.handed_in, claim.accepted, claim.rejected, claim.paid_fen) == (20, 18, 2, 1440)
    assert PiecePayment.objects.get(claim=claim).method == "cash"
