"""Two managers at the same moment, real threads, each with its own connection (SQLite and PostgreSQL)."""

import pytest

from jumin.core.models import Role, User
from jumin.core.testing import WON, race
from jumin.places import services as place_services
from jumin.places.models import Building
from jumin.staff import services
from jumin.staff.models import StaffInvite

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_phone_created_twice_at_once_gives_one_account(world):
    managers = [world.users.secretary, world.users.street_leader]
    outcomes = race(
        managers,
        load=lambda m: User.objects.get(pk=m.pk),
        act=lambda m, me: services.staff_create(
            actor=me, community=world.a, phone="13712345678", name="周网格", role=Role.GRID_WORKER
        ),
    )
    assert sorted(outcomes) == sorted([WON, "该手机号已有账号"])
    assert User.objects.filter(phone="13712345678").count() == 1


def test_two_managers_changing_one_account_at_once_cannot_both_win(world):
    managers = [(world.users.secretary, Role.MEDIATOR), (world.users.street_leader, Role.PARTY_REP)]
    outcomes = race(
        managers,
        load=lambda pair: User.objects.get(pk=world.users.window_staff.pk),
        act=lambda pair, target: services.staff_update(actor=pair[0], user=target, role=pair[1]),
    )
    assert sorted(outcomes) == sorted([WON, "该账号已被他人修改,请刷新后重试。"])
    assert User.objects.get(pk=world.users.window_staff.pk).role in (Role.MEDIATOR, Role.PARTY_REP)


def test_a_one_time_link_used_twice_at_once_sets_one_password(world):
    user, raw = services.staff_create(
        actor=world.users.secretary, community=world.a, phone="13712345678", name="周网格", role=Role.GRID_WORKER
    )
    outcomes = race(
        ["first-pass-2026", "second-pass-2026"],
        load=lambda p: None,
        act=lambda p, _: services.invite_redeem(raw=raw, password=p),
    )
    assert outcomes.count(WON) == 1
    assert StaffInvite.objects.filter(user=user, used_at__isnull=False).count() == 1


def test_a_building_moved_by_two_secretaries_at_once_lands_in_one_grid(world):
    from jumin.core.access import scope_for
    from jumin.places.models import Grid

    third = Grid.objects.create(community=world.a, station=world.grid1.station, number=3, name="第3网格")
    second = User.objects.create_user("13712340001", "x", name="副书记", role=Role.SECRETARY, community=world.a)
    outcomes = race(
        [(world.users.secretary, world.grid2), (second, third)],
        load=lambda pair: None,
        act=lambda pair, _: place_services.buildings_move(
            actor=pair[0], scope=scope_for(pair[0]), building_ids=[world.building.pk], grid=pair[1]
        ),
    )
    # Both read the building in grid 1: the compare-and-set lets one move it; the other is refused, or (had it read
    # after the first committed) moves it on. Either way the households end where the building is.
    assert WON in outcomes and all(o in (WON, "楼栋所属网格已被他人修改,请刷新页面后重试。") for o in outcomes)
    grid = Building.objects.get(pk=world.building.pk).grid_id
    from jumin.people.models import Household

    assert set(
        Household.objects.filter(pk__in=[world.home.pk, world.neighbour_home.pk]).values_list("grid", flat=True)
    ) == {grid}
