"""矛盾调解 end to end: the secretary registers a noise dispute between two neighbours and assigns the mediator; the
mediator records a session and the agreement with the signed paper; a grid worker cannot even find it; the resident
who asked for mediation reads the agreement in 我的事项."""

import re

import pytest
from playwright.sync_api import expect

from jumin.cases.models import Case
from jumin.mediation.models import Agreement, MediationSession
from jumin.mediation.tests.conftest import PNG

from .conftest import DESKTOP, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e

TEXT = "102室夜里十一点后经常拖动桌椅,家里老人休息不好,上门沟通过两次没有改善。"
AGREEMENT = "一、102室每晚22:00后不再拖动桌椅,桌椅加装防滑脚垫;二、双方互留电话,有问题先沟通。"


def test_secretary_registers_mediator_agrees_grid_worker_locked_out_resident_reads(
    live_server, world, new_page, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    scan = tmp_path / "signed.png"
    scan.write_bytes(PNG)
    requester, other = world.resident, world.neighbour

    # --- the secretary: 矛盾调解 in the sidebar, empty list, 登记纠纷 ---
    secretary = new_page(DESKTOP)
    log_in(secretary, live_server, world.users.secretary.phone)
    secretary.get_by_role("navigation", name="功能导航").get_by_role("link", name="矛盾调解").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("矛盾调解")
    expect(secretary.get_by_text("没有您可以查看的纠纷")).to_be_visible()
    check_axe(secretary)
    secretary.get_by_role("link", name="登记纠纷").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("登记纠纷")
    check_axe(secretary)

    for person in (requester, other):
        secretary.get_by_label("查找居民").fill(person.name)
        secretary.get_by_role("button", name="查找").click()
        secretary.get_by_role("link", name=re.compile(f"添加为当事人.*{person.name}")).click()
    expect(secretary.get_by_role("table", name=re.compile("已选当事人"))).to_contain_text(other.name)
    check_axe(secretary)

    secretary.get_by_role("radio", name=requester.name).check()
    secretary.get_by_label("纠纷类型").select_option(label="邻里噪音")
    secretary.get_by_label("标题").fill("楼上夜间噪音")
    secretary.get_by_label("纠纷情况").fill(TEXT)
    secretary.get_by_role("button", name="登记纠纷").click()

    case = Case.objects.get(kind="dispute")
    expect(secretary.get_by_role("status")).to_contain_text(f"已登记纠纷 {case.number}")
    assert secretary.url == f"{live_server.url}/office/cases/{case.uuid}/"
    expect(secretary.get_by_text("已登记").first).to_be_visible()
    check_axe(secretary)
    secretary.get_by_label("调解员").select_option(label=world.users.mediator.name)
    secretary.get_by_role("button", name="指派调解员").click()
    expect(secretary.get_by_role("status")).to_contain_text(f"已指派调解员 {world.users.mediator.name}")
    expect(secretary.get_by_text("状态:已受理")).to_be_visible()

    # --- the mediator: finds it in the list, records a session, then the agreement with the signed scan ---
    mediator = new_page(DESKTOP)
    log_in(mediator, live_server, world.users.mediator.phone)
    mediator.get_by_role("navigation", name="功能导航").get_by_role("link", name="矛盾调解").click()
    rows = mediator.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("楼上夜间噪音")
    expect(rows).to_contain_text("已受理")
    check_axe(mediator)
    rows.get_by_role("link", name=case.number).click()
    expect(mediator.get_by_text("还没有调解记录")).to_be_visible()
    check_axe(mediator)

    mediator.get_by_label("地点").fill("社区调解室")
    mediator.get_by_role("checkbox", name=requester.name).check()
    mediator.get_by_role("checkbox", name=other.name).check()
    mediator.get_by_label("调解情况").fill("分别听取双方意见,讲解邻里相处之道,双方同意当面协商。")
    mediator.get_by_role("button", name="保存调解记录").click()
    expect(mediator.get_by_role("status")).to_contain_text("已记录本次调解")
    expect(mediator.get_by_text("状态:调解中")).to_be_visible()
    expect(mediator.get_by_role("table", name="共 1 次调解")).to_contain_text("社区调解室")

    mediator.get_by_label("协议内容").fill(AGREEMENT)
    mediator.get_by_label(re.compile("双方签字的协议扫描件")).set_input_files(str(scan))
    mediator.get_by_role("button", name="登记调解协议").click()
    expect(mediator.get_by_role("status")).to_contain_text("已登记调解协议")
    expect(mediator.get_by_text("状态:已达成协议")).to_be_visible()
    expect(mediator.get_by_role("link", name="下载双方签字的协议")).to_be_visible()
    expect(mediator.get_by_text("须至少回访一次")).to_be_visible()
    check_axe(mediator)
    shot(mediator, "mediation-case-agreed")
    assert MediationSession.objects.filter(dispute__case=case).count() == 1
    assert Agreement.objects.get(dispute__case=case).scan_content_type == "image/png"

    # --- a grid worker of the same grid: the dispute does not exist for them ---
    grid_worker = new_page(DESKTOP)
    log_in(grid_worker, live_server, world.users.grid_worker.phone)
    response = grid_worker.goto(f"{live_server.url}/office/cases/{case.uuid}/")
    assert response.status == 404
    assert "楼上夜间噪音" not in grid_worker.content()
    grid_worker.goto(f"{live_server.url}/office/disputes/")
    expect(grid_worker.get_by_text("没有您可以查看的纠纷")).to_be_visible()
    assert grid_worker.goto(f"{live_server.url}/disputes/{case.uuid}/agreement-scan/").status == 404

    # --- the resident who asked for mediation, on the phone: 我的事项 → the agreement ---
    resident = new_page(PHONE)
    log_in(resident, live_server, world.users.resident.phone)
    resident.goto(f"{live_server.url}/me/cases/")
    item = resident.get_by_role("link", name="楼上夜间噪音")
    expect(item).to_be_visible()
    expect(resident.locator(".case-list")).to_contain_text("已达成协议")
    check_axe(resident)
    item.click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("楼上夜间噪音")
    expect(resident.get_by_text(AGREEMENT)).to_be_visible()
    expect(resident.get_by_text("社区调解室")).to_be_visible()
    # The mediator's notes stay with the staff.
    expect(resident.get_by_text("讲解邻里相处之道")).to_have_count(0)
    with resident.expect_download() as download:
        resident.get_by_role("link", name="下载双方签字的协议").click()
    assert download.value.suggested_filename == f"调解协议_{case.number}.png"
    check_axe(resident)
    shot(resident, "mediation-my-case")

    # 长辈模式: the case page and the 申请调解 form read large and pass axe.
    switch_elder_mode(resident, on=True)
    expect(resident.get_by_text(AGREEMENT)).to_be_visible()
    assert_elder_page(resident)
    # The download is a button on a line of its own: at least 60 × 60 and not wrapped onto a second line on a phone.
    box = resident.get_by_role("link", name="下载双方签字的协议").bounding_box()
    assert box["width"] >= 60 and 60 <= box["height"] < 80, box
    shot(resident, "mediation-my-case-elder")
    check_axe(resident)
    resident.goto(f"{live_server.url}/me/")
    resident.get_by_role("link", name=re.compile("申请调解")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("申请调解")
    assert_elder_page(resident)
    check_axe(resident)
    shot(resident, "mediation-new-elder")
