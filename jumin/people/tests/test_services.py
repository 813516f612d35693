import datetime

import pytest
from django.urls import reverse

from jumin.core.access import scope_for
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import AuditEvent
from jumin.people import services
from jumin.people.models import Household, Resident, ResidentStatus
from jumin.people.tests.factories import new_id_number


def member_data(**overrides):
    birth = datetime.date(1990, 5, 6)
    data = {
        "name": "周小燕",
        "relationship": "child",
        "id_number": new_id_number(birth, "F"),
        "gender": "F",
        "birth_date": birth,
        "phone": "13712345678",
    }
    data.update(overrides)
    return data


def test_adding_a_member_updates_count_and_writes_audit(world):
    actor = world.users.secretary
    household = world.home
    resident = services.resident_create(
        actor=actor,
        scope=scope_for(actor),
        household=household,
        expected_version=household.version,
        data=member_data(),
        tags=[world.tags.laid_off],
    )
    household.refresh_from_db()
    assert household.member_count == 3
    assert resident.name_pinyin.startswith("zxy ")
    assert list(resident.tags.all()) == [world.tags.laid_off]
    event = AuditEvent.objects.get(action="resident.create")
    assert event.actor == actor and event.community_id == world.a.pk
    assert resident.id_number not in str(event.changes)


def test_stale_version_is_refused_and_nothing_changes(world):
    actor = world.users.secretary
    household = world.home
    stale = household.version
    services.resident_update(
        actor=actor,
        scope=scope_for(actor),
        resident=world.spouse,
        expected_version=stale,
        data={"name": "李秀兰", "relationship": "spouse", "phone": ""},
    )
    with pytest.raises(Conflict, match="已被他人修改"):
        services.resident_update(
            actor=world.users.window_staff,
            scope=scope_for(world.users.window_staff),
            resident=Resident.objects.get(pk=world.spouse.pk),
            expected_version=stale,
            data={"name": "李秀梅", "relationship": "spouse", "phone": ""},
        )
    assert Resident.objects.get(pk=world.spouse.pk).name == "李秀兰"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "校验位"),
        ({"birth_date": datetime.date(1991, 5, 6)}, "birth_date", "不一致"),
        ({"gender": "M"}, "gender", "不一致"),
        ({"relationship": "head"}, "relationship", "已有户主"),
    ],
)
def test_bad_member_data_is_refused_with_a_field_message(world, overrides, field, message):
    actor = world.users.secretary
    before = Resident.objects.count()
    version = world.home.version
    with pytest.raises(DomainError, match=message) as info:
        services.resident_create(
            actor=actor,
            scope=scope_for(actor),
            household=world.home,
            expected_version=version,
            data=member_data(**overrides),
        )
    assert info.value.field == field
    assert Resident.objects.count() == before
    assert Household.objects.get(pk=world.home.pk).version == version


def test_same_id_number_cannot_be_registered_twice(world):
    actor = world.users.secretary
    with pytest.raises(DomainError, match="已登记"):
        services.resident_create(
            actor=actor,
            scope=scope_for(actor),
            household=world.far_home,
            expected_version=world.far_home.version,
            data=member_data(id_number=world.neighbour.id_number, gender="M", birth_date=world.neighbour.birth_date),
        )


def test_grid_worker_cannot_write_outside_their_grids(world):
    actor = world.users.grid_worker
    with pytest.raises(PermissionDenied):
        services.resident_create(
            actor=actor,
            scope=scope_for(actor),
            household=world.far_home,
            expected_version=world.far_home.version,
            data=member_data(),
        )


def test_move_out_keeps_the_record_and_lowers_the_count(world):
    actor = world.users.grid_worker
    services.resident_move_out(
        actor=actor,
        scope=scope_for(actor),
        resident=world.spouse,
        expected_version=world.home.version,
        on=datetime.date.today(),
        reason="随子女迁往济南",
    )
    world.home.refresh_from_db()
    assert world.home.member_count == 1
    assert Resident.objects.get(pk=world.spouse.pk).status == ResidentStatus.MOVED_OUT


def test_phone_change_is_audited_masked(world):
    actor = world.users.secretary
    services.resident_update(
        actor=actor,
        scope=scope_for(actor),
        resident=world.spouse,
        expected_version=world.home.version,
        data={"name": world.spouse.name, "relationship": "spouse", "phone": "18800001111"},
    )
    event = AuditEvent.objects.get(action="resident.update")
    assert event.changes["手机号"][1] == "188****1111"
    assert "18800001111" not in str(event.changes)


def test_edit_form_shows_field_errors_and_writes_nothing(login, world):
    client = login(world.users.secretary)
    url = reverse("people:resident-create", args=[world.home.uuid])
    data = member_data(id_number="110105194912310021")
    data["version"] = world.home.version
    response = client.post(url, data)
    assert response.status_code == 200
    assert "身份证号校验位不正确" in response.content.decode()
    assert Resident.objects.filter(name="周小燕").count() == 0


def test_edit_form_with_stale_version_tells_the_user(login, world):
    client = login(world.users.secretary)
    url = reverse("people:resident-edit", args=[world.spouse.uuid])
    data = {"name": "李秀兰", "relationship": "spouse", "gender": "F", "birth_date": world.spouse.birth_date}
    data.update({"phone": "", "id_number": "", "version": world.home.version - 1 if world.home.version > 1 else 99})
    response = client.post(url, data)
    assert "已被他人修改" in response.content.decode()
    assert Resident.objects.get(pk=world.spouse.pk).name != "李秀兰"


def test_new_household_via_form(login, world):
    client = login(world.users.secretary)
    birth = datetime.date(1980, 2, 3)
    response = client.post(
        reverse("people:household-create"),
        {
            "compound": world.compound.pk,
            "building": "1号楼",
            "unit": "2单元",
            "number": "502",
            "name": "钱多多",
            "id_number": new_id_number(birth, "M"),
            "gender": "M",
            "birth_date": "1980-02-03",
            "phone": "",
        },
    )
    assert response.status_code == 302
    household = Household.objects.get(head_name="钱多多")
    assert household.grid == world.grid1
    assert household.dwelling.address == "玉龙花园1号楼2单元502室"
    assert household.member_count == 1
