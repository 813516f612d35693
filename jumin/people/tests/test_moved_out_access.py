"""A resident's login follows their record: once moved out, the old household file is no longer theirs, but the
cases they raised still are."""

from django.urls import reverse

from jumin.cases import services as case_services
from jumin.core.access import scope_for
from jumin.people.models import ResidentStatus
from jumin.people.tests.test_transfer import move_out


def test_moved_out_resident_no_longer_sees_the_old_household_but_keeps_their_cases(login, world):
    case = case_services.case_open(
        actor=world.users.resident, kind="opinion", title="楼道灯坏了", body="3号楼楼道灯不亮"
    )
    move_out(world, world.resident)
    user = world.users.resident
    user.refresh_from_db()
    assert scope_for(user).household_id is None

    web = login(user)
    page = web.get(reverse("people:my-household"))
    assert page.status_code == 404
    html = page.content.decode()
    assert "已办理迁出" in html and "重新绑定住户" in html
    assert world.home.dwelling.number not in html
    assert web.get(reverse("people:household-detail", args=[world.home.uuid])).status_code in (403, 404)
    assert case.title in web.get(reverse("cases:my-cases")).content.decode()


def test_deceased_residents_account_sees_no_household(world):
    move_out(world, world.resident, status=ResidentStatus.DECEASED)
    user = world.users.resident
    user.refresh_from_db()
    assert scope_for(user).is_empty
