"""A person moving between the street's communities: moved out of one (the record stays there as history),
registered in the next; back in the same community, the old record is brought back instead of a duplicate."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from jumin.core.access import scope_for
from jumin.core.errors import DomainError
from jumin.core.models import AuditEvent
from jumin.people import idcard, services
from jumin.people.models import Household, Relationship, Resident, ResidentStatus
from jumin.people.roster import roster_import
from jumin.people.tests.factories import ResidentFactory, new_id_number
from jumin.people.tests.test_roster import person, xlsx

HUANGHE = ("黄河小区", "1号楼", "2单元", "402")


def move_out(world, resident, status=ResidentStatus.MOVED_OUT, on=datetime.date(2024, 3, 1)):
    actor = world.users.secretary if resident.community_id == world.a.pk else world.users.other_secretary
    resident = Resident.objects.get(pk=resident.pk)
    return services.resident_move_out(
        actor=actor,
        scope=scope_for(actor),
        resident=resident,
        expected_version=resident.household.version,
        on=on,
        reason="搬到别的社区",
        status=status,
    )


def rows_of(resident):
    return Resident.objects.filter(id_hash=resident.id_hash).order_by("pk")


def member_form(resident, household, **extra):
    return {
        "name": resident.name,
        "relationship": Relationship.CHILD,
        "id_number": resident.id_number,
        "gender": "",
        "birth_date": "",
        "phone": "13688886666",
        "version": household.version,
    } | extra


def import_into(community, user, rows, *, dry_run=False):
    return roster_import(actor=user, scope=scope_for(user), community=community, file=xlsx(rows), dry_run=dry_run)


def roster_row(resident, place=HUANGHE, **extra):
    row = person(resident.name, place=place, id_number=resident.id_number, birth=resident.birth_date, **extra)
    return row | {"性别": resident.get_gender_display()}


# ---- moved out of 玉龙湖, registered in 黄河 ---------------------------------------------------------------------


def test_moved_out_of_yulonghu_is_registered_in_huanghe_through_the_add_member_form(login, world):
    move_out(world, world.neighbour)
    home = world.outsider_home
    client = login(world.users.other_secretary)

    response = client.post(reverse("people:resident-create", args=[home.uuid]), member_form(world.neighbour, home))

    assert response.status_code == 302
    old, new = rows_of(world.neighbour)
    assert (old.pk, old.community_id, old.household_id, old.status) == (
        world.neighbour.pk,
        world.a.pk,
        world.neighbour_home.pk,
        ResidentStatus.MOVED_OUT,
    )
    assert (new.community_id, new.household_id, new.status) == (world.b.pk, home.pk, ResidentStatus.ACTIVE)
    assert new.id_number == world.neighbour.id_number and new.phone == "13688886666"
    assert Household.objects.get(pk=home.pk).member_count == 2
    assert AuditEvent.objects.filter(action="resident.create", target_id=str(new.pk), community=world.b).exists()
    # The old household's file still lists them, as moved out.
    page = login(world.users.secretary).get(reverse("people:household-detail", args=[world.neighbour_home.uuid]))
    assert "王建国" in page.content.decode() and "已迁出" in page.content.decode()


def test_moved_out_of_yulonghu_heads_a_new_household_in_huanghe(login, world):
    move_out(world, world.neighbour)
    client = login(world.users.other_secretary)
    compound = world.outsider_home.compound

    response = client.post(
        reverse("people:household-create"),
        {"compound": compound.pk, "building": "1号楼", "unit": "2单元", "number": "402", "name": "王建国"}
        | {"id_number": world.neighbour.id_number, "gender": "", "birth_date": "", "phone": ""},
    )

    assert response.status_code == 302
    new = rows_of(world.neighbour).get(status=ResidentStatus.ACTIVE)
    assert new.community_id == world.b.pk and new.pk != world.neighbour.pk
    assert new.household.dwelling.address.endswith("1号楼2单元402室")
    assert rows_of(world.neighbour).get(pk=world.neighbour.pk).status == ResidentStatus.MOVED_OUT


def test_moved_out_of_yulonghu_is_imported_into_huanghe_and_reimporting_changes_nothing(world):
    move_out(world, world.neighbour)
    rows = [roster_row(world.neighbour)]
    user = world.users.other_secretary

    dry = import_into(world.b, user, rows, dry_run=True)
    assert (dry.created, dry.updated, dry.errors) == (1, 0, [])
    assert rows_of(world.neighbour).count() == 1

    report = import_into(world.b, user, rows)
    assert (report.created, report.updated, report.errors) == (1, 0, [])
    old, new = rows_of(world.neighbour)
    assert (old.community_id, old.status) == (world.a.pk, ResidentStatus.MOVED_OUT)
    assert (new.community_id, new.status) == (world.b.pk, ResidentStatus.ACTIVE)
    assert new.household.dwelling.address == "黄河小区1号楼2单元402室"

    version = new.household.version
    again = import_into(world.b, user, rows)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 1, [])
    assert rows_of(world.neighbour).count() == 2
    assert Household.objects.get(pk=new.household_id).version == version


# ---- back in the same community: the old record returns ------------------------------------------------------


def test_registering_a_moved_out_resident_again_in_the_same_community_brings_the_row_back(login, world):
    move_out(world, world.neighbour)
    old_version = Household.objects.get(pk=world.neighbour_home.pk).version
    client = login(world.users.secretary)

    response = client.post(
        reverse("people:resident-create", args=[world.home.uuid]),
        member_form(world.neighbour, world.home) | {"tags": [world.tags.party.pk]},
    )

    assert response.status_code == 302
    (back,) = rows_of(world.neighbour)
    assert back.pk == world.neighbour.pk
    assert (back.status, back.moved_out_on, back.moved_out_reason) == (ResidentStatus.ACTIVE, None, "")
    assert (back.household_id, back.grid_id, back.relationship) == (world.home.pk, world.home.grid_id, "child")
    assert [t.name for t in back.tags.all()] == ["党员"]
    assert Household.objects.get(pk=world.home.pk).member_count == 3
    assert Household.objects.get(pk=world.neighbour_home.pk).version == old_version + 1
    event = AuditEvent.objects.get(action="resident.restore")
    assert (event.target_id, event.actor, event.community_id) == (str(back.pk), world.users.secretary, world.a.pk)
    assert event.changes["状态"] == ["已迁出", "在册"]
    assert event.changes["户"] == ["玉龙花园1号楼1单元102室", "玉龙花园1号楼1单元101室"]
    assert world.neighbour.id_number not in str(event.changes) and "13688886666" not in str(event.changes)


def test_a_moved_out_resident_can_head_a_new_household_in_the_same_community_on_the_same_row(world):
    move_out(world, world.neighbour)
    actor = world.users.secretary
    household = services.household_create(
        actor=actor,
        scope=scope_for(actor),
        compound=world.compound,
        building_name="1号楼",
        unit_name="5单元",
        number="501",
        head={"name": "王建国", "id_number": world.neighbour.id_number, "phone": ""},
    )

    (back,) = rows_of(world.neighbour)
    assert (back.pk, back.household_id, back.relationship) == (world.neighbour.pk, household.pk, Relationship.HEAD)
    assert back.status == ResidentStatus.ACTIVE
    assert Household.objects.get(pk=household.pk).member_count == 1


def test_roster_import_in_the_same_community_brings_back_its_own_record_not_the_other_communitys(world):
    """Moved 玉龙湖 → 黄河 → back to 玉龙湖: two moved-out records; the import picks 玉龙湖's and leaves 黄河's."""
    move_out(world, world.neighbour)
    import_into(world.b, world.users.other_secretary, [roster_row(world.neighbour)])
    huanghe = rows_of(world.neighbour).get(community=world.b)
    move_out(world, huanghe)
    rows = [roster_row(world.neighbour, place=("玉龙花园", "1号楼", "1单元", "102"), tags="下岗职工")]
    rows[0] |= {"手机号": world.neighbour.phone}

    report = import_into(world.a, world.users.secretary, rows)

    assert (report.created, report.updated, report.errors) == (0, 1, [])
    yulonghu, huanghe = rows_of(world.neighbour)
    assert (yulonghu.pk, yulonghu.status, yulonghu.moved_out_on) == (world.neighbour.pk, ResidentStatus.ACTIVE, None)
    assert yulonghu.household_id == world.neighbour_home.pk
    assert (huanghe.community_id, huanghe.status) == (world.b.pk, ResidentStatus.MOVED_OUT)
    assert import_into(world.a, world.users.secretary, rows).unchanged == 1


# ---- still refused ---------------------------------------------------------------------------------------------


def test_someone_on_the_register_of_another_community_is_still_refused_at_the_form(login, world):
    home = world.outsider_home
    before = Resident.objects.count()

    response = login(world.users.other_secretary).post(
        reverse("people:resident-create", args=[home.uuid]), member_form(world.neighbour, home)
    )

    assert response.status_code == 200
    assert "该身份证号已登记在其他户,不能重复登记" in response.content.decode()
    assert Resident.objects.count() == before


@pytest.mark.parametrize("community", ["a", "b"])
def test_a_deceased_person_cannot_be_registered_again(login, world, community):
    move_out(world, world.neighbour, status=ResidentStatus.DECEASED)
    home = world.home if community == "a" else world.outsider_home
    user = world.users.secretary if community == "a" else world.users.other_secretary
    before = Resident.objects.count()

    response = login(user).post(reverse("people:resident-create", args=[home.uuid]), member_form(world.neighbour, home))

    assert response.status_code == 200
    assert "该身份证号登记的居民已故,不能再登记" in response.content.decode()
    assert Resident.objects.count() == before
    assert rows_of(world.neighbour).get().status == ResidentStatus.DECEASED


def test_roster_import_refuses_a_person_deceased_in_another_community(world):
    move_out(world, world.neighbour, status=ResidentStatus.DECEASED)

    report = import_into(world.b, world.users.other_secretary, [roster_row(world.neighbour)])

    assert report.created == 0
    assert [(e.column, e.message) for e in report.errors] == [("身份证号", "该身份证号登记的居民已故,请核对")]


def test_roster_import_refuses_a_person_on_the_register_of_another_community(world):
    move_out(world, world.neighbour)
    import_into(world.b, world.users.other_secretary, [roster_row(world.neighbour)])

    report = import_into(
        world.a, world.users.secretary, [roster_row(world.neighbour, place=("玉龙花园", "1号楼", "1单元", "102"))]
    )

    assert report.updated == report.created == 0
    assert [e.message for e in report.errors] == ["该身份证号已在其他社区登记,请先由原社区办理迁出"]
    assert rows_of(world.neighbour).get(pk=world.neighbour.pk).status == ResidentStatus.MOVED_OUT


def test_an_id_number_cannot_be_corrected_to_a_moved_out_record_of_the_same_community(world):
    move_out(world, world.neighbour)
    actor = world.users.secretary
    with pytest.raises(DomainError, match="迁出记录") as info:
        services.resident_update(
            actor=actor,
            scope=scope_for(actor),
            resident=world.far_resident,
            expected_version=world.far_home.version,
            data={"name": "赵红梅", "relationship": "head", "phone": "", "id_number": world.neighbour.id_number},
        )
    assert info.value.field == "id_number"


def test_activation_matches_the_record_on_the_register_not_the_moved_out_one(world):
    birth = datetime.date(1985, 4, 4)
    number = new_id_number(birth, "M")
    phone = "13677775555"
    ResidentFactory(household=world.far_home, relationship="child", birth_date=birth, id_number=number, phone=phone)
    move_out(world, Resident.objects.get(id_hash=idcard.blind_index(number)))
    ResidentFactory(
        household=world.outsider_home, relationship="child", birth_date=birth, id_number=number, phone=phone
    )

    activation = services.activation_request(phone=phone, id_number=number, password="a-long-pass-2024")

    assert activation.community_id == world.b.pk
    assert activation.resident.status == ResidentStatus.ACTIVE and activation.resident.household == world.outsider_home


# ---- the database's own guarantee, and two staff at the same moment ---------------------------------------------


def test_the_database_allows_one_active_row_per_id_number_and_any_number_of_moved_out_ones(world):
    copy = {f: getattr(world.neighbour, f) for f in ("id_number", "id_hash", "id_masked", "id_tail", "birth_date")}
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentFactory(household=world.outsider_home, relationship="child", **copy)
    ResidentFactory(household=world.outsider_home, relationship="child", status=ResidentStatus.MOVED_OUT, **copy)
    assert rows_of(world.neighbour).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_staff_registering_the_same_person_at_once_only_one_succeeds(world, monkeypatch):
    birth = datetime.date(1992, 8, 8)
    number = new_id_number(birth, "F")
    # Both wait here after their check has found the number free, so on PostgreSQL both checks pass and only the
    # unique index can stop the second. SQLite's IMMEDIATE transactions queue the second behind the first instead.
    barrier = threading.Barrier(2)
    passed = []
    real_claim = services._identity_claim

    def claim_then_wait(*args, **kwargs):
        found = real_claim(*args, **kwargs)
        passed.append(True)
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return found

    monkeypatch.setattr(services, "_identity_claim", claim_then_wait)
    outcomes = []

    def register(actor, household_pk):
        try:
            household = Household.objects.get(pk=household_pk)
            services.resident_create(
                actor=actor,
                scope=scope_for(actor),
                household=household,
                expected_version=household.version,
                data={"name": "吴晓丽", "relationship": "child", "id_number": number, "phone": ""},
            )
            outcomes.append("won")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=register, args=(world.users.secretary, world.home.pk)),
        threading.Thread(target=register, args=(world.users.other_secretary, world.outsider_home.pk)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["won", "该身份证号已登记在其他户,不能重复登记"], outcomes
    assert Resident.objects.filter(id_hash=idcard.blind_index(number)).count() == 1
    assert AuditEvent.objects.filter(action="resident.create").count() == 1
    if connection.vendor == "postgresql":
        assert len(passed) == 2  # both checks saw the number free: the constraint decided


def test_an_account_follows_its_resident_to_the_new_community_once_staff_there_approve(world):
    move_out(world, world.neighbour)
    home = world.outsider_home
    actor = world.users.other_secretary
    new = services.resident_create(
        actor=actor,
        scope=scope_for(actor),
        household=home,
        expected_version=home.version,
        data={
            "name": "王建国",
            "relationship": "child",
            "id_number": world.neighbour.id_number,
            "phone": "13688886666",
        },
    )
    account = world.users.neighbour
    account.phone = "13688886666"
    account.save(update_fields=["phone"])

    with pytest.raises(DomainError, match="或该账号已激活"):  # without the account's own password it is just taken
        services.activation_request(phone="13688886666", id_number=world.neighbour.id_number, password="guess-1234")
    assert not account.activations.exists()
    activation = services.activation_request(
        phone="13688886666", id_number=world.neighbour.id_number, password="pass-1234-word"
    )
    assert (activation.user_id, activation.resident_id, activation.community_id) == (account.pk, new.pk, world.b.pk)
    account.refresh_from_db()
    assert account.resident_id == world.neighbour.pk  # nothing moves before staff decide

    services.activation_decide(actor=actor, scope=scope_for(actor), activation=activation, approve=True)

    account.refresh_from_db()
    assert account.resident_id == new.pk and account.is_active
    assert scope_for(account).household_id == home.pk


def test_refusing_to_move_an_account_leaves_it_working_where_it_was(world):
    move_out(world, world.neighbour)
    actor = world.users.other_secretary
    home = world.outsider_home
    phone = world.neighbour.phone
    services.resident_create(
        actor=actor,
        scope=scope_for(actor),
        household=home,
        expected_version=home.version,
        data={"name": "王建国", "relationship": "child", "id_number": world.neighbour.id_number, "phone": phone},
    )
    activation = services.activation_request(
        phone=phone, id_number=world.neighbour.id_number, password="pass-1234-word"
    )

    services.activation_decide(actor=actor, scope=scope_for(actor), activation=activation, approve=False, reason="核对")

    account = type(world.users.neighbour).objects.get(pk=world.users.neighbour.pk)
    assert account.is_active and account.resident_id == world.neighbour.pk


def test_importing_many_people_who_moved_from_another_community_runs_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    people = [
        ResidentFactory(household=world.far_home, relationship="child", name=f"迁户{i}", phone="") for i in range(25)
    ]
    for resident in people:
        move_out(world, resident)
    rows = [
        roster_row(r, place=("黄河小区", "1号楼", f"{i % 3 + 1}单元", f"{500 + i}"), head=r.name)
        for i, r in enumerate(people)
    ]

    with django_assert_max_num_queries(30):
        report = import_into(world.b, world.users.other_secretary, rows)
    assert (report.created, report.errors) == (25, [])
    with django_assert_max_num_queries(30):
        assert import_into(world.b, world.users.other_secretary, rows).unchanged == 25
