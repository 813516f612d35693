import pytest
from django.urls import reverse

from jumin.places.tests.factories import BuildingFactory, CompoundFactory


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("secretary", ["玉龙花园", "瑞恒家园"], ["黄河小区"]),
        ("grid_worker", ["玉龙花园"], ["瑞恒家园", "黄河小区"]),
        ("street_leader", ["玉龙花园", "黄河小区"], []),
    ],
)
def test_place_overview_follows_scope(login, world, persona, visible, hidden):
    html = login(getattr(world.users, persona)).get(reverse("places:overview")).content.decode()
    for name in visible:
        assert name in html
    for name in hidden:
        assert name not in html


def test_place_overview_is_not_for_residents(login, world):
    assert login(world.users.resident).get(reverse("places:overview")).status_code == 404


def test_compound_outside_scope_is_404(login, world):
    client = login(world.users.grid_worker)
    assert client.get(reverse("places:compound-detail", args=[world.compound.pk])).status_code == 200
    assert client.get(reverse("places:compound-detail", args=[world.compound2.pk])).status_code == 404


def test_place_overview_uses_constant_queries(login, world, django_assert_max_num_queries):
    for n in range(22):
        compound = CompoundFactory(community=world.a, name=f"测试小区{n}")
        BuildingFactory(compound=compound, community=world.a, grid=world.grid1)
    client = login(world.users.secretary)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("places:overview"))
    assert "测试小区21" in response.content.decode()


def test_place_export(login, world):
    response = login(world.users.secretary).get(reverse("places:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
