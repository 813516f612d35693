import datetime

import factory
from django.utils import timezone

from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.volunteers.models import (
    AccountKind,
    Activity,
    PointsAccount,
    Shift,
    Volunteer,
    VolunteerStatus,
)


class VolunteerFactory(factory.django.DjangoModelFactory):
    """An approved volunteer with an (empty) points account."""

    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    resident = factory.SubFactory(ResidentFactory)
    community = factory.SelfAttribute("resident.community")
    status = VolunteerStatus.APPROVED
    skills = "陪伴老人"

    @factory.post_generation
    def account(self, create, extracted, **kwargs):
        if self.status == VolunteerStatus.APPROVED:
            PointsAccount.objects.create(community_id=self.community_id, volunteer=self, kind=AccountKind.VOLUNTEER)


def volunteer_with_login(**kwargs):
    """A volunteer whose resident can sign in (a resident user bound to them)."""
    volunteer = VolunteerFactory(**kwargs)
    UserFactory(
        role="resident", phone=volunteer.resident.phone, name=volunteer.resident.name, resident=volunteer.resident
    )
    volunteer.resident.refresh_from_db()
    return volunteer


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"楼道清洁日{n}")
    place = "社区服务站"
    organiser = factory.SubFactory(UserFactory, role="secretary", community=factory.SelfAttribute("..community"))
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=2))


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    activity = factory.SubFactory(ActivityFactory)
    community = factory.SelfAttribute("activity.community")
    starts_at = factory.SelfAttribute("activity.starts_at")
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    slots = 5
