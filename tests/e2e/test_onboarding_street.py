"""A street office starts without a developer or Django admin: setup → places import → roster import → staff
accounts → a grid worker logs in and sees exactly its grids."""

import datetime
import os
import re

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from jumin.core.models import AuditEvent, User
from jumin.people import idcard
from jumin.people.models import Household
from jumin.places.models import Building, Grid

from .conftest import check_axe, log_in, shot

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "north-town-2026"
PLACES = ["服务站", "网格", "小区", "楼栋", "单元", "房号", "建筑面积(㎡)", "产权人", "房屋类型"]
ROSTER = [
    "小区",
    "楼栋",
    "单元",
    "房号",
    "户主姓名",
    "姓名",
    "与户主关系",
    "性别",
    "身份证号",
    "出生日期",
    "手机号",
    "标签",
]


def places_file(path):
    book = Workbook()
    sheet = book.active
    sheet.title = "房屋"
    sheet.append(PLACES)
    for grid, building in (("第1网格", "1号楼"), ("第2网格", "2号楼")):
        for room in ("101", "102"):
            sheet.append(["湖滨服务站", grid, "湖滨花园", building, "1单元", room, 95.5, "业主甲、业主乙", "住宅"])
    book.save(path)
    return path


def roster_file(path):
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(ROSTER)
    born = datetime.date(1962, 4, 5)
    for n, (building, room, name) in enumerate(
        [("1号楼", "101", "赵一"), ("1号楼", "102", "钱二"), ("2号楼", "101", "孙三"), ("2号楼", "102", "李四")]
    ):
        sheet.append(
            [
                "湖滨花园",
                building,
                "1单元",
                room,
                name,
                name,
                "户主",
                "男",
                idcard.make("371602", born, 2 * n + 1),
                None,
                "",
                "",
            ]
        )
    book.save(path)
    return path


def set_password(page, url, password):
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("设置登录密码")
    page.get_by_label("新密码").fill("12345678")
    page.get_by_label("再输入一次").fill("12345678")
    page.get_by_role("button", name="设置密码").click()
    expect(page.locator(".errorlist")).to_be_visible()  # all digits: the password rules refuse it
    page.get_by_label("新密码").fill(password)
    page.get_by_label("再输入一次").fill(password)
    page.get_by_role("button", name="设置密码").click()
    expect(page).to_have_url(re.compile("/accounts/login/"))


def open_nav(page, name):
    page.get_by_role("navigation", name="功能导航").get_by_role("link", name=name).click()


def new_account(page, *, phone, name, role, tick=(), community=None):
    open_nav(page, "工作人员账号")
    page.get_by_role("link", name="开设账号").click()
    form = page.locator("main form")
    form.get_by_role("textbox", name="手机号").fill(phone)
    form.get_by_role("textbox", name="姓名").fill(name)
    if community:
        form.get_by_role("combobox", name="社区").select_option(label=community)
    form.get_by_role("combobox", name="角色").select_option(label=role)
    for label in tick:
        form.get_by_role("checkbox", name=label, exact=True).check()
    page.get_by_role("button", name="保存").click()
    link = page.locator("code.setup-link")
    expect(link).to_be_visible()
    return link.inner_text()


def test_a_street_sets_itself_up_and_a_grid_worker_sees_exactly_its_grids(
    live_server, new_page, tmp_path, transactional_db
):
    os.environ["JUMIN_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    try:
        call_command(
            "setup",
            "--noinput",
            "--street",
            "北镇街道",
            "--community",
            "湖滨社区",
            "--community",
            "河东社区",
            "--admin-phone",
            "13800000100",
            "--admin-name",
            "街道管理员",
        )
    finally:
        del os.environ["JUMIN_ADMIN_PASSWORD"]

    # The street administrator: the desk says what to do next, then a secretary for 湖滨社区.
    street = new_page()
    log_in(street, live_server, "13800000100", ADMIN_PASSWORD)
    steps = street.get_by_role("region", name="开始使用:下一步")
    expect(steps).to_contain_text("为每个社区开设社区书记账号")
    check_axe(street)
    secretary_link = new_account(
        street, phone="13800000101", name="湖滨书记", role="社区书记/管理员", community="湖滨社区"
    )
    check_axe(street)

    secretary = new_page()
    set_password(secretary, secretary_link, "lakeside-sec-2026")
    log_in(secretary, live_server, "13800000101", "lakeside-sec-2026")
    expect(secretary.get_by_role("region", name="开始使用:下一步")).to_contain_text("从 Excel 导入房屋")

    # Places from Excel: dry run, then the kept file for real.
    open_nav(secretary, "房屋导入")
    expect(secretary.get_by_role("heading", level=1)).to_have_text("房屋导入")
    check_axe(secretary)
    secretary.get_by_label("房屋文件(.xlsx)").set_input_files(places_file(tmp_path / "房屋.xlsx"))
    secretary.get_by_role("button", name=re.compile("^试导入")).click()
    expect(secretary.get_by_role("status")).to_contain_text("正式导入将新增 4 套")
    assert not Building.objects.exists()
    secretary.get_by_role("button", name="用此文件正式导入").click()
    expect(secretary.get_by_role("status")).to_contain_text("导入完成:共读取 4 行,新增 4 套")
    shot(secretary, "onboarding-places-import")
    assert Grid.objects.filter(community__name="湖滨社区").count() == 2

    # The places tree counts every level.
    open_nav(secretary, "小区与网格")
    grids = secretary.get_by_role("table", name=re.compile("服务站与网格"))
    expect(grids.get_by_role("row", name=re.compile("第1网格"))).to_contain_text("1")
    check_axe(secretary)

    # The roster goes into the buildings the places import created.
    open_nav(secretary, "花名册导入")
    secretary.get_by_label("花名册文件(.xlsx)").set_input_files(roster_file(tmp_path / "花名册.xlsx"))
    secretary.get_by_role("button", name="正式导入", exact=True).click()
    expect(secretary.get_by_role("status")).to_contain_text("新增 4 人")
    assert Household.objects.filter(community__name="湖滨社区").count() == 4

    # A grid worker for grid 1 only.
    worker_link = new_account(secretary, phone="13800000102", name="王网格", role="网格员", tick=["第1网格"])
    check_axe(secretary)
    worker = new_page()
    set_password(worker, worker_link, "grid-one-walks-2026")
    log_in(worker, live_server, "13800000102", "grid-one-walks-2026")
    open_nav(worker, "住户台账")
    table = worker.locator("#rows")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("湖滨花园1号楼1单元101室")
    expect(table).not_to_contain_text("2号楼")
    shot(worker, "onboarding-grid-worker")

    assert User.objects.get(phone="13800000102").grids.get().name == "第1网格"
    assert AuditEvent.objects.filter(action__in=["staff.create", "places.import", "roster.import"]).count() == 4
