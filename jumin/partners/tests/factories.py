import factory

from jumin.partners.models import PartnerMember, PartnerUnit, UnitKind


class PartnerUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerUnit

    street = factory.SelfAttribute("community.street")
    community = None
    name = factory.Sequence(lambda n: f"共建单位{n:03d}")
    kind = UnitKind.ENTERPRISE


class PartnerMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerMember

    unit = factory.SubFactory(PartnerUnitFactory)
    name = factory.Sequence(lambda n: f"联络员{n}")
