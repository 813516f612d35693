import pytest
from playwright.sync_api import expect

from jumin.core.models import AuditEvent
from jumin.people.models import Household, Resident, ResidentStatus

from .conftest import check_axe, log_in

pytestmark = pytest.mark.e2e


def test_two_staff_edit_one_household_and_the_later_save_does_not_overwrite(live_server, world, new_page):
    spouse = world.spouse
    edit_url = f"{live_server.url}/office/residents/{spouse.uuid}/edit/"
    secretary = new_page()
    log_in(secretary, live_server, world.users.secretary.phone)
    window = new_page()
    log_in(window, live_server, world.users.window_staff.phone)

    # Both open the same form; the date picker holds the birth date on file, so nobody has to type it again.
    for page in (secretary, window):
        page.goto(edit_url)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"修改 {spouse.name} 的信息")
        expect(page.get_by_label("出生日期")).to_have_value(f"{spouse.birth_date:%Y-%m-%d}")
    check_axe(secretary)

    secretary.get_by_label("手机号").fill("18800003333")
    secretary.get_by_role("button", name="保存").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text(f"一户一档:{world.home.dwelling.address}")
    expect(secretary.get_by_text(f"已保存 {spouse.name} 的信息")).to_be_visible()
    expect(secretary.get_by_role("table", name="家庭成员及与户主关系")).to_contain_text("18800003333")

    # The window staff member still has the old form open and saves a different number.
    window.get_by_label("手机号").fill("18800004444")
    window.get_by_role("button", name="保存").click()
    expect(window.get_by_text("该户信息已被他人修改,请刷新页面后重新操作。")).to_be_visible()
    check_axe(window)
    assert Resident.objects.get(pk=spouse.pk).phone == "18800003333"
    assert AuditEvent.objects.filter(action="resident.update", actor=world.users.window_staff).count() == 0

    # After reloading, the form shows the first save and the second person's change goes through.
    window.goto(edit_url)
    expect(window.get_by_label("手机号")).to_have_value("18800003333")
    window.get_by_label("手机号").fill("18800004444")
    window.get_by_role("button", name="保存").click()
    expect(window.get_by_text(f"已保存 {spouse.name} 的信息")).to_be_visible()
    assert Resident.objects.get(pk=spouse.pk).phone == "18800004444"
    assert Household.objects.get(pk=world.home.pk).version == world.home.version + 2


def test_secretary_moves_a_resident_out_with_the_date_filled_in(live_server, world, page):
    log_in(page, live_server, world.users.secretary.phone)
    page.goto(f"{live_server.url}/office/households/{world.home.uuid}/")
    members = page.get_by_role("table", name="家庭成员及与户主关系")
    expect(members).to_contain_text(world.spouse.name)
    page.get_by_role("row", name=world.spouse.name).get_by_role("link", name="迁出").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"办理 {world.spouse.name} 迁出")
    # The date is today's, already in the picker: only the reason needs typing.
    page.get_by_label("原因").fill("随子女迁往外地")
    page.get_by_role("button", name="确认迁出").click()
    expect(page.get_by_text(f"已办理 {world.spouse.name} 迁出")).to_be_visible()
    expect(page.get_by_text("1 人", exact=True)).to_be_visible()
    assert Resident.objects.get(pk=world.spouse.pk).status == ResidentStatus.MOVED_OUT
    assert Household.objects.get(pk=world.home.pk).member_count == 1
