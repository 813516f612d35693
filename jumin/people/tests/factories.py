import datetime

import factory
from faker import Faker

from jumin.core.models import Role, User
from jumin.people import idcard
from jumin.people.models import Household, Relationship, Resident, ResidentTag, Tag
from jumin.people.services import name_pinyin
from jumin.places.tests.factories import DwellingFactory

fake = Faker("zh_CN")
_sequence = iter(range(1, 10**9))


def new_id_number(birth: datetime.date, gender: str = "M") -> str:
    n = next(_sequence)
    # The 17th digit is odd for men, even for women; the area code varies so numbers stay unique.
    return idcard.make(f"3716{(n // 500) % 100:02d}", birth, (n % 500) * 2 + (gender == "M"))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["code"]

    code = "laid_off"
    name = "下岗职工"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    dwelling = factory.SubFactory(DwellingFactory)
    community = factory.SelfAttribute("dwelling.community")
    compound = factory.SelfAttribute("dwelling.unit.building.compound")
    grid = factory.SelfAttribute("dwelling.unit.building.grid")
    head_name = factory.LazyFunction(fake.name)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident
        skip_postgeneration_save = True

    class Params:
        age = 40

    household = factory.SubFactory(HouseholdFactory)
    community = factory.SelfAttribute("household.community")
    grid = factory.SelfAttribute("household.grid")
    name = factory.LazyFunction(fake.name)
    name_pinyin = factory.LazyAttribute(lambda o: name_pinyin(o.name))
    relationship = Relationship.HEAD
    gender = "M"
    birth_date = factory.LazyAttribute(lambda o: datetime.date(datetime.date.today().year - o.age, 1, 15))
    id_number = factory.LazyAttribute(lambda o: new_id_number(o.birth_date, o.gender))
    id_hash = factory.LazyAttribute(lambda o: idcard.blind_index(o.id_number))
    id_masked = factory.LazyAttribute(lambda o: idcard.mask(o.id_number))
    id_tail = factory.LazyAttribute(lambda o: o.id_number[-4:])
    phone = factory.Sequence(lambda n: f"135{n:08d}")

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        for tag in extracted or []:
            ResidentTag.objects.create(community_id=self.community_id, resident=self, tag=tag)

    @factory.post_generation
    def count_member(self, create, extracted, **kwargs):
        household = self.household
        household.member_count = household.members.filter(status="active").count()
        if self.relationship == Relationship.HEAD:
            household.head_name = self.name
        household.save(update_fields=["member_count", "head_name"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.Sequence(lambda n: f"139{n:08d}")
    name = factory.LazyFunction(fake.name)
    role = Role.SECRETARY
    password = factory.PostGenerationMethodCall("set_password", "pass-1234-word")

    @factory.post_generation
    def grids(self, create, extracted, **kwargs):
        if extracted:
            self.grids.set(extracted)
        self.save()
