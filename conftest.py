"""Shared fixtures: the personas every permission test uses, and the demo street."""

import os
from types import SimpleNamespace

import pytest

from jumin.core.models import Role
from jumin.demo.testing import demo_loaded
from jumin.people.models import Relationship
from jumin.people.tests.factories import HouseholdFactory, ResidentFactory, TagFactory, UserFactory
from jumin.places.tests.factories import (
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    DwellingFactory,
    GridFactory,
    ServiceStationFactory,
    StreetFactory,
    UnitFactory,
)


def household_in(building, number: str):
    unit = UnitFactory(building=building, name="1单元") if not building.units.exists() else building.units.first()
    return HouseholdFactory(dwelling=DwellingFactory(unit=unit, number=number))


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The production hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cache keys carry row ids and versions; a rolled-back test database reuses both, so start each test empty.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    # Uploads (photos, scans, kept roster files) never land in the checkout.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private_media")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo street (load_demo) for one module's tests, rolled back after it; yields load_demo's output.

    Built once per run and shared by every module and xdist worker (jumin/demo/testing.py).
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's directory, above each worker's own
    with django_db_blocker.unblock(), demo_loaded(shared) as output:
        yield output


@pytest.fixture
def world(db):
    """Two communities of one street: A (grids 1 and 2) and B, with a person in every role."""
    street = StreetFactory()
    a = CommunityFactory(street=street, name="玉龙湖社区")
    b = CommunityFactory(street=street, name="黄河社区")
    station = ServiceStationFactory(community=a, name="玉龙湖服务站")
    grid1 = GridFactory(station=station, community=a, number=1, name="第1网格")
    grid2 = GridFactory(station=station, community=a, number=2, name="第2网格")
    grid_b = GridFactory(station=ServiceStationFactory(community=b, name="黄河服务站"), community=b, number=1)
    compound = CompoundFactory(community=a, name="玉龙花园")
    compound2 = CompoundFactory(community=a, name="瑞恒家园")
    b1 = BuildingFactory(compound=compound, community=a, grid=grid1, name="1号楼")
    b2 = BuildingFactory(compound=compound2, community=a, grid=grid2, name="2号楼")
    bb = BuildingFactory(compound=CompoundFactory(community=b, name="黄河小区"), community=b, grid=grid_b, name="1号楼")

    laid_off = TagFactory(code="laid_off", name="下岗职工")
    party = TagFactory(code="party_member", name="党员")

    home = household_in(b1, "101")
    resident = ResidentFactory(household=home, name="张三丰", age=66, tags=[party])
    spouse = ResidentFactory(household=home, name="李秀英", relationship=Relationship.SPOUSE, gender="F", age=63)
    neighbour_home = household_in(b1, "102")
    neighbour = ResidentFactory(household=neighbour_home, name="王建国", age=45, tags=[laid_off])
    far_home = household_in(b2, "201")
    far_resident = ResidentFactory(household=far_home, name="赵红梅", gender="F", age=30)
    outsider_home = household_in(bb, "301")
    outsider_resident = ResidentFactory(household=outsider_home, name="孙志强", age=50)

    def staff(role, **extra):
        return UserFactory(role=role, **extra)

    users = SimpleNamespace(
        resident=UserFactory(role=Role.RESIDENT, phone=resident.phone, name=resident.name, resident=resident),
        neighbour=UserFactory(role=Role.RESIDENT, phone=neighbour.phone, name=neighbour.name, resident=neighbour),
        outsider=UserFactory(
            role=Role.RESIDENT, phone=outsider_resident.phone, name=outsider_resident.name, resident=outsider_resident
        ),
        grid_worker=staff(Role.GRID_WORKER, community=a, grids=[grid1]),
        window_staff=staff(Role.WINDOW_STAFF, community=a),
        mediator=staff(Role.MEDIATOR, community=a),
        secretary=staff(Role.SECRETARY, community=a),
        street_leader=staff(Role.STREET_LEADER, street=street),
        other_secretary=staff(Role.SECRETARY, community=b),
    )
    return SimpleNamespace(
        street=street,
        a=a,
        b=b,
        grid1=grid1,
        grid2=grid2,
        compound=compound,
        compound2=compound2,
        building=b1,
        building2=b2,
        home=home,
        resident=resident,
        spouse=spouse,
        neighbour_home=neighbour_home,
        neighbour=neighbour,
        far_home=far_home,
        far_resident=far_resident,
        outsider_home=outsider_home,
        outsider_resident=outsider_resident,
        tags=SimpleNamespace(laid_off=laid_off, party=party),
        users=users,
    )


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
