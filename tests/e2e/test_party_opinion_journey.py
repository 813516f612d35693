"""社情民意 end to end: a resident reports a blocked drain with a photo from the phone, the grid worker takes and
answers it in the back office, the resident reads the answer and rates it 满意."""

import re

import pytest
from playwright.sync_api import expect

from jumin.cases.models import Case, CaseAttachment, CaseRating
from jumin.party.models import Opinion
from jumin.party.tests.conftest import png_bytes

from .conftest import DESKTOP, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e

TITLE = "3号楼下水道堵塞"
ANSWER = "已联系物业疏通下水道,今后每季度巡查一次。"


def test_resident_reports_staff_answer_resident_rates(live_server, world, new_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "drain.png"
    photo.write_bytes(png_bytes())

    # --- the resident, on the phone: 我要反映 from the home tiles ---
    resident = new_page(PHONE)
    log_in(resident, live_server, world.users.resident.phone)
    resident.get_by_role("link", name=re.compile("我要反映")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("我要反映")
    check_axe(resident)

    # 长辈模式 reads well on the form too.
    switch_elder_mode(resident, on=True)
    expect(resident.get_by_role("heading", level=1)).to_have_text("我要反映")
    assert_elder_page(resident)
    check_axe(resident)
    shot(resident, "opinion-new-elder")
    switch_elder_mode(resident, on=False)

    # A mistake is explained next to the field and nothing is sent.
    resident.get_by_label("标题").fill(TITLE)
    resident.get_by_role("button", name="提交").click()
    expect(resident.get_by_label("类别")).to_have_accessible_description(re.compile("请选择类别"))
    expect(resident.get_by_label("内容")).to_have_accessible_description(re.compile("请填写内容"))
    check_axe(resident)
    assert not Case.objects.exists()

    resident.get_by_label("标题").fill(TITLE)
    resident.get_by_label("类别").select_option(label="环境卫生")
    resident.get_by_label("内容").fill("3号楼1单元一楼下水道堵了三天,污水返到地面。")
    resident.get_by_label("照片").set_input_files(str(photo))
    resident.get_by_label("同意匿名公开").check()
    resident.get_by_role("button", name="提交").click()

    expect(resident.get_by_role("status").filter(has_text="已提交,社区会在 1 个工作日内受理")).to_be_visible()
    expect(resident.get_by_role("heading", level=1)).to_have_text(TITLE)
    case = Case.objects.get()
    assert resident.url == f"{live_server.url}/me/cases/{case.uuid}/"
    expect(resident.get_by_text("已提交").first).to_be_visible()
    expect(resident.get_by_text("环境卫生")).to_be_visible()
    expect(resident.get_by_text("线上提交")).to_be_visible()
    check_axe(resident)
    opinion = Opinion.objects.get(case=case)
    assert opinion.category == "environment" and opinion.allow_public and opinion.channel == "online"
    assert CaseAttachment.objects.filter(case=case, content_type="image/png").count() == 1

    # --- the grid worker, at the desk: the opinion list, then the case page ---
    staff = new_page(DESKTOP)
    log_in(staff, live_server, world.users.grid_worker.phone)
    staff.get_by_role("navigation", name="功能导航").get_by_role("link", name="社情民意").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("社情民意")
    row = staff.locator("table.data tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text(world.resident.name)
    expect(row).to_contain_text("已提交")
    check_axe(staff)
    row.get_by_role("link", name=case.number).click()
    assert staff.url.split("?")[0] == f"{live_server.url}/office/cases/{case.uuid}/"
    expect(staff.get_by_text("环境卫生")).to_be_visible()

    staff.get_by_role("button", name="受理此事项").click()
    expect(staff.get_by_role("status").filter(has_text=f"已受理 {case.number}")).to_be_visible()
    staff.get_by_label(re.compile("^答复")).fill(ANSWER)
    staff.get_by_role("button", name="答复", exact=True).click()
    expect(staff.get_by_role("status").filter(has_text="已更新为“已答复”")).to_be_visible()
    staff.get_by_role("button", name="办结", exact=True).click()
    expect(staff.get_by_role("status").filter(has_text="已更新为“已办结”")).to_be_visible()
    case.refresh_from_db()
    assert case.status == "closed" and case.assignee == world.users.grid_worker

    # --- the resident reads the answer and rates it ---
    resident.goto(f"{live_server.url}/me/cases/{case.uuid}/")
    expect(resident.get_by_text("已办结").first).to_be_visible()
    # The answer stands on top of the page, with who gave it; the history below repeats it in order.
    answer = resident.get_by_role("region", name="社区答复")
    expect(answer).to_contain_text(ANSWER)
    expect(answer).to_contain_text(world.users.grid_worker.name)
    expect(resident.get_by_role("region", name="办理过程")).to_contain_text(ANSWER)
    check_axe(resident)
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.get_by_role("status").filter(has_text="感谢您的评价")).to_be_visible()
    expect(resident.get_by_text("您的评价:满意")).to_be_visible()
    check_axe(resident)
    shot(resident, "opinion-rated")

    rating = CaseRating.objects.get(case=case)
    assert rating.value == "satisfied" and rating.rated_by == world.users.resident


def test_grid_worker_records_an_opinion_heard_on_a_visit(live_server, world, page):
    log_in(page, live_server, world.users.grid_worker.phone)
    page.get_by_role("navigation", name="功能导航").get_by_role("link", name="社情民意").click()
    expect(page.get_by_text("还没有社情民意")).to_be_visible()
    check_axe(page)

    page.get_by_role("link", name="代录社情民意").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("代录社情民意")
    check_axe(page)
    # Someone in another grid is not found; the spouse in grid 1 is, by pinyin initials.
    page.get_by_label("查找居民").fill(world.far_resident.name)
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_text(f"没有找到“{world.far_resident.name}”")).to_be_visible()
    page.get_by_label("查找居民").fill("lxy")
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_text("找到 1 位居民")).to_be_visible()
    expect(page.get_by_role("combobox", name=re.compile("^居民"))).to_have_value(str(world.spouse.uuid))
    expect(page.get_by_label("登记渠道")).to_have_value("grid")
    page.get_by_label("标题").fill("希望增设电动车充电桩")
    page.get_by_label("类别").select_option(label="停车交通")
    page.get_by_label("内容").fill("车棚只有 4 个充电口,晚上排队充电,有人从楼上拉线。")
    check_axe(page)
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_role("status").filter(has_text="已代录社情民意")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("社情民意:希望增设电动车充电桩")
    expect(page.get_by_text("网格员代录")).to_be_visible()
    opinion = Opinion.objects.select_related("case").get()
    assert opinion.case.resident == world.spouse and opinion.recorded_by == world.users.grid_worker
    assert page.url == f"{live_server.url}/office/cases/{opinion.case.uuid}/"

    page.get_by_role("link", name="社情民意").first.click()
    expect(page.locator("table.data tbody tr")).to_have_count(1)
    expect(page.locator("table.data")).to_contain_text(world.spouse.name)
    shot(page, "opinion-list")
