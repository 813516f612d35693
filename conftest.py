"""Shared fixtures: the personas every permission test uses, and the demo street."""

import copy
import os
from types import SimpleNamespace

import pytest
from django.db import transaction

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
def _empty_cache():
    # Cache keys carry row ids and versions; a rolled-back test database reuses both, so start each test empty.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _data_versions_immediate(request):
    """PostgreSQL moves data versions at commit (core.dataversion), and a test's transaction never commits: inside
    it the triggers run at the end of each statement instead, as they do on SQLite, and the caches keyed on them
    are used as in production. Transactional tests commit for real and are left as they are."""
    if "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")
    from django.db import connection

    from jumin.core import dataversion

    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    dataversion.make_immediate()
    yield
    connection.data_versions_immediate = False


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


class _ModuleWorld:
    """One world per test module, kept in a transaction rolled back when the module ends (like TestCase's
    setUpTestData): building it cost 70 ms a test, for ~1,100 tests. Each test gets its own deep copy of the objects,
    and its own changes to the rows are rolled back after it as always.

    Only tests that ask for the world may see it: before any other test of the module (one that expects an empty
    database, or a transactional one that commits and flushes) it is rolled back, and built again before the next
    test that wants it. pytest-django runs transactional tests after the others, so that is rare.
    """

    current = None  # the open module's world, at most one (module fixtures are torn down before the next module)

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.built = None

    def open(self):
        if self.atomic is not None:
            return
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.built = build_world()

    def copy(self):
        return copy.deepcopy(self.built)

    def close(self):
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = self.built = None


def _wants_module_world(item) -> bool:
    if "world" not in getattr(item, "fixturenames", ()):
        return False
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")):
        return False
    return not {"transactional_db", "live_server", "django_db_serialized_rollback"} & set(item.fixturenames)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before the test's fixtures, so the module transaction is never opened or closed inside the test's own.
    kept = _ModuleWorld.current
    if kept is not None:
        kept.open() if _wants_module_world(item) else kept.close()


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    kept = _ModuleWorld.current = _ModuleWorld(django_db_blocker)
    if _wants_module_world(request._pyfuncitem):
        kept.open()
    yield kept
    kept.close()
    _ModuleWorld.current = None


@pytest.fixture
def world(_module_world, db):
    """Two communities of one street: A (grids 1 and 2) and B, with a person in every role."""
    # `db` stays a declared dependency: pytest-django creates the test database only for tests that declare one.
    return _module_world.copy() if _module_world.built is not None else build_world()


def build_world():
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


@pytest.fixture(autouse=True, scope="session")
def _cheap_postgres_flush(django_db_setup):
    """A transactional test ends with a flush: TRUNCATE of all ~230 tables took 2–2.7 s on PostgreSQL each time.

    Deleting the rows of the tables that have any, in one transaction with the (deferrable) foreign keys deferred,
    leaves the same empty database in a few milliseconds."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    truncate = connection.ops.sql_flush

    def sql_flush(style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # Table names from introspection, not from input.
        quoted = [connection.ops.quote_name(t) for t in tables]
        one_row, delete = "SELECT {0} FROM (SELECT 1 FROM {1} LIMIT 1) AS t{0}", "DELETE FROM {}"
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(one_row.format(i, q) for i, q in enumerate(quoted)))
            filled = [quoted[i] for (i,) in cursor.fetchall()]
        return ["SET CONSTRAINTS ALL DEFERRED", *(delete.format(q) for q in filled)]

    connection.ops.sql_flush = sql_flush
    yield
    del connection.ops.sql_flush
