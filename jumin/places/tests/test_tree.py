"""The places tree: counts at every level, and the secretary's corrections — names, a grid split, buildings moved
between grids in bulk — each audited, households following their building."""

import pytest
from django.urls import reverse

from jumin.core.access import scope_for
from jumin.core.errors import DomainError, NotFound, PermissionDenied
from jumin.core.models import AuditEvent
from jumin.people.models import Household, Resident
from jumin.places import services
from jumin.places.models import Building, Dwelling, Grid
from jumin.places.tests.factories import BuildingFactory, GridFactory


def test_overview_counts_stations_grids_and_compounds(login, world):
    html = login(world.users.secretary).get(reverse("places:overview")).content.decode()
    assert "服务站" in html and "从 Excel 导入房屋" in html and "改名" in html
    grid = login(world.users.grid_worker).get(reverse("places:overview")).content.decode()
    assert "改名" not in grid and "从 Excel 导入房屋" not in grid


def test_rename_a_compound_rewrites_addresses_and_is_audited(login, world):
    client = login(world.users.secretary)
    url = reverse("places:rename", args=["compound", world.compound.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "玉龙新苑"}).status_code == 302
    assert Dwelling.objects.get(pk=world.home.dwelling_id).address.startswith("玉龙新苑1号楼")
    event = AuditEvent.objects.get(action="places.rename")
    assert event.changes == {"名称": ["玉龙花园", "玉龙新苑"]}


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "请填写"), ("=cmd()", "不能以"), ("瑞恒家园", "已有"), ("新" * 60, "50"), ("a\x00b", "控制字符")],
)
def test_rename_refuses_bad_names_in_chinese(login, world, name, message):
    response = login(world.users.secretary).post(
        reverse("places:rename", args=["compound", world.compound.pk]), {"name": name}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not AuditEvent.objects.filter(action="places.rename").exists()


def test_rename_outside_scope_is_404_and_needs_the_right(login, world):
    assert (
        login(world.users.other_secretary).get(reverse("places:rename", args=["grid", world.grid1.pk])).status_code
        == 404
    )
    assert (
        login(world.users.grid_worker).get(reverse("places:rename", args=["grid", world.grid1.pk])).status_code == 403
    )
    assert login(world.users.secretary).get(reverse("places:rename", args=["unit", 1])).status_code == 404


def test_moving_buildings_in_bulk_asks_first_then_moves_households(login, world):
    extra = BuildingFactory(compound=world.compound, community=world.a, grid=world.grid1, name="5号楼")
    client = login(world.users.secretary)
    url = reverse("places:grid-detail", args=[world.grid1.pk])
    page = client.post(url, {"buildings": [world.building.pk, extra.pk], "target": str(world.grid2.pk)})
    assert "请确认调整网格" in page.content.decode() and "2 户住户随之调整" in page.content.decode()
    assert Building.objects.get(pk=world.building.pk).grid == world.grid1
    done = client.post(
        url, {"buildings": [world.building.pk, extra.pk], "target": str(world.grid2.pk), "confirm": "on"}
    )
    assert done.status_code == 302
    assert set(Building.objects.filter(pk__in=[world.building.pk, extra.pk]).values_list("grid", flat=True)) == {
        world.grid2.pk
    }
    assert Household.objects.get(pk=world.home.pk).grid == world.grid2
    assert Resident.objects.get(pk=world.spouse.pk).grid == world.grid2
    assert AuditEvent.objects.filter(action="places.building_move").count() == 2


def test_splitting_a_grid_creates_the_next_number_in_the_same_station(login, world):
    client = login(world.users.secretary)
    url = reverse("places:grid-detail", args=[world.grid1.pk])
    data = {"buildings": [world.building.pk], "target": "new", "new_name": "第1网格(东)", "confirm": "on"}
    assert client.post(url, data).status_code == 302
    new = Grid.objects.get(name="第1网格(东)")
    assert (new.station_id, new.number) == (world.grid1.station_id, 3)
    assert Building.objects.get(pk=world.building.pk).grid == new
    assert AuditEvent.objects.filter(action="places.grid_split", target_id=str(new.pk)).exists()


def test_moves_refuse_other_communities_and_roles_without_the_right(world):
    secretary = world.users.secretary
    with pytest.raises(NotFound):
        services.buildings_move(
            actor=secretary, scope=scope_for(secretary), building_ids=[world.building.pk], grid=world.b.grids.first()
        )
    with pytest.raises(PermissionDenied):
        services.buildings_move(
            actor=world.users.grid_worker,
            scope=scope_for(world.users.grid_worker),
            building_ids=[world.building.pk],
            grid=world.grid2,
        )
    with pytest.raises(DomainError, match="本网格"):
        services.grid_split(
            actor=secretary,
            scope=scope_for(secretary),
            grid=world.grid2,
            name="新网格",
            building_ids=[world.building.pk],
        )


def test_grid_page_uses_constant_queries(login, world, django_assert_max_num_queries):
    grid = GridFactory(station=world.grid1.station, community=world.a, number=9)
    for n in range(22):
        BuildingFactory(compound=world.compound, community=world.a, grid=grid, name=f"{n + 10}号楼")
    client = login(world.users.secretary)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("places:grid-detail", args=[grid.pk]))
    assert "31号楼" in response.content.decode()
