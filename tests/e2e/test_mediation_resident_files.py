"""矛盾调解 from the resident's side: a resident asks for mediation on the phone, naming the neighbour in words; the
secretary verifies who that is and assigns the mediator; the neighbour is told in the inbox and reads the dispute in
我的事项; window staff, the grid worker of that grid and a resident of another community cannot find it anywhere."""

import re

import pytest
from playwright.sync_api import expect

from jumin.cases.models import Case, CaseParty

from .conftest import DESKTOP, PHONE, check_axe, log_in, shot

pytestmark = pytest.mark.e2e

TITLE = "楼上卫生间漏水到我家"
TEXT = "102室卫生间漏水,渗到我家天花板已经两周,上门说过两次没有修。"


def test_resident_asks_secretary_verifies_neighbour_is_told_outsiders_see_nothing(live_server, world, new_page):
    requester, neighbour = world.resident, world.neighbour

    # --- the requester, on the phone ---
    resident = new_page(PHONE)
    log_in(resident, live_server, world.users.resident.phone)
    resident.goto(f"{live_server.url}/me/disputes/new/")
    expect(resident.get_by_role("heading", level=1)).to_have_text("申请调解")
    resident.get_by_label("纠纷类型").select_option(label="漏水渗水")
    resident.get_by_label("发生了什么").fill(TEXT)
    resident.get_by_label("一句话概括(可不填)").fill(TITLE)
    resident.get_by_label(re.compile("^对方姓名")).first.fill(neighbour.name)
    resident.get_by_label(re.compile("^对方住址")).first.fill("玉龙花园1号楼102")
    resident.get_by_role("button", name="提交调解申请").click()
    case = Case.objects.get(kind="dispute")
    expect(resident.get_by_role("status")).to_contain_text(f"已提交调解申请 {case.number}")
    expect(resident.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(resident.get_by_text("待核实")).to_be_visible()
    check_axe(resident)
    shot(resident, "mediation-resident-filed")

    # --- the secretary: finds it, verifies the neighbour, assigns the mediator ---
    secretary = new_page(DESKTOP)
    log_in(secretary, live_server, world.users.secretary.phone)
    secretary.goto(f"{live_server.url}/office/disputes/")
    row = secretary.locator("table.data tbody tr", has_text=TITLE)
    expect(row).to_contain_text("已登记")
    row.get_by_role("link", name=case.number).click()
    secretary.get_by_role("link", name=re.compile(f"核实身份.*{neighbour.name}")).click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("核实当事人")
    check_axe(secretary)
    secretary.get_by_role("button", name=re.compile(f"确认是此人.*{neighbour.name}")).click()
    expect(secretary.get_by_role("status")).to_contain_text(f"已核实当事人 {neighbour.name}")
    secretary.get_by_label("调解员").select_option(label=world.users.mediator.name)
    secretary.get_by_role("button", name="指派调解员").click()
    expect(secretary.get_by_role("status")).to_contain_text(f"已指派调解员 {world.users.mediator.name}")
    assert CaseParty.objects.filter(case=case, resident=neighbour).exists()

    # --- the neighbour, on the phone: told in the inbox, reads it in 我的事项 ---
    other = new_page(PHONE)
    log_in(other, live_server, world.users.neighbour.phone)
    other.goto(f"{live_server.url}/notifications/")
    notice = other.locator(".case-list li", has_text=f"您是一起矛盾调解的当事人:{TITLE}")
    expect(notice).to_contain_text("调解员会与您联系")
    check_axe(other)
    notice.get_by_role("link", name="查看事项").click()
    expect(other.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(other.get_by_text(f"{neighbour.name}(当事人)")).to_be_visible()
    expect(other.get_by_text(f"{requester.name}(提出人)")).to_be_visible()
    check_axe(other)
    other.goto(f"{live_server.url}/me/cases/")
    expect(other.get_by_role("link", name=TITLE)).to_be_visible()
    shot(other, "mediation-other-party")

    # --- outsiders: no page, no row, no search hit ---
    for persona in ("window_staff", "grid_worker"):
        staff = new_page(DESKTOP)
        log_in(staff, live_server, getattr(world.users, persona).phone)
        assert staff.goto(f"{live_server.url}/office/cases/{case.uuid}/").status == 404
        staff.goto(f"{live_server.url}/office/cases/?queue=all&q={case.number}")
        expect(staff.get_by_text("这个队列里没有事项")).to_be_visible()
        staff.goto(f"{live_server.url}/office/disputes/")
        expect(staff.get_by_text("没有您可以查看的纠纷")).to_be_visible()
        staff.goto(f"{live_server.url}/notifications/")
        assert TITLE not in staff.content()
    stranger = new_page(PHONE)
    log_in(stranger, live_server, world.users.outsider.phone)
    assert stranger.goto(f"{live_server.url}/me/cases/{case.uuid}/").status == 404
    stranger.goto(f"{live_server.url}/me/cases/")
    assert TITLE not in stranger.content()
