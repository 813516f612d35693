import factory

from jumin.places.models import (
    Building,
    Community,
    Compound,
    Dwelling,
    Grid,
    ServiceStation,
    Street,
    Unit,
    dwelling_address,
)


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ["name"]

    name = "北镇街道"
    district = "滨城区"
    city = "滨州市"


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"测试{n}社区")


class ServiceStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStation

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"第{n}服务站")


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    station = factory.SubFactory(ServiceStationFactory)
    community = factory.SelfAttribute("station.community")
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.number}网格")


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"幸福{n}苑")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    compound = factory.SubFactory(CompoundFactory)
    community = factory.SelfAttribute("compound.community")
    grid = factory.SubFactory(GridFactory, station__community=factory.SelfAttribute("...community"))
    name = factory.Sequence(lambda n: f"{n + 1}号楼")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    community = factory.SelfAttribute("building.community")
    name = "1单元"


class DwellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dwelling

    unit = factory.SubFactory(UnitFactory)
    community = factory.SelfAttribute("unit.community")
    number = factory.Sequence(lambda n: f"{100 + n}")
    address = factory.LazyAttribute(
        lambda o: dwelling_address(o.unit.building.compound.name, o.unit.building.name, o.unit.name, o.number)
    )
