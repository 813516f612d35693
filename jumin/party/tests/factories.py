"""Factories and a small party tree over the `world` fixture's places."""

import datetime
from types import SimpleNamespace

import factory

from jumin.core.models import Role
from jumin.party import services
from jumin.party.models import OrgLevel, ReceptionDay, ReceptionSlot
from jumin.people.tests.factories import UserFactory


class ReceptionDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionDay

    community = factory.SelfAttribute("representative.community")
    representative = factory.SubFactory(UserFactory, role=Role.PARTY_REP)
    date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
    place = "红色驿站"


class ReceptionSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionSlot

    day = factory.SubFactory(ReceptionDayFactory)
    starts_at = datetime.time(9)
    ends_at = datetime.time(9, 30)
    capacity = 2


def build_tree(world) -> SimpleNamespace:
    """大工委 → 玉龙湖社区党委 → 玉龙湖服务站党总支 → 第1/第2网格党支部 → 1号楼党小组; and 黄河社区党委."""
    leader = world.users.street_leader
    street = services.org_create(
        actor=leader, level=OrgLevel.STREET_COMMITTEE, name="北镇街道大工委", street=world.street
    )
    a = services.org_create(
        actor=leader, level=OrgLevel.COMMUNITY_COMMITTEE, name="玉龙湖社区党委", parent=street, community=world.a
    )
    b = services.org_create(
        actor=leader, level=OrgLevel.COMMUNITY_COMMITTEE, name="黄河社区党委", parent=street, community=world.b
    )
    secretary = world.users.secretary
    station = services.org_create(
        actor=secretary, level=OrgLevel.STATION_BRANCH, name="玉龙湖服务站党总支", parent=a, station=world.grid1.station
    )
    grid1 = services.org_create(
        actor=secretary, level=OrgLevel.GRID_BRANCH, name="第1网格党支部", parent=station, grid=world.grid1
    )
    grid2 = services.org_create(
        actor=secretary, level=OrgLevel.GRID_BRANCH, name="第2网格党支部", parent=station, grid=world.grid2
    )
    group = services.org_create(
        actor=secretary, level=OrgLevel.BUILDING_GROUP, name="1号楼党小组", parent=grid1, buildings=[world.building]
    )
    return SimpleNamespace(street=street, a=a, b=b, station=station, grid1=grid1, grid2=grid2, group=group)
