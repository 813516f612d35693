import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jumin.core.models import ApiToken
from jumin.volunteers import services
from jumin.volunteers.models import Volunteer

from .factories import ShiftFactory, volunteer_with_login


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture
def vol(world):
    """world plus: the resident (张三丰) as an approved volunteer, another volunteer, and a shift in two days."""
    secretary = world.users.secretary
    services.volunteer_apply(actor=world.users.resident, skills="理发")
    me = services.volunteer_decide(
        actor=secretary, volunteer=Volunteer.objects.get(resident=world.resident), approve=True
    )
    start = timezone.now() + datetime.timedelta(days=2)
    shift = ShiftFactory(activity__community=world.a, activity__organiser=secretary, starts_at=start, slots=3)
    return SimpleNamespace(
        world=world,
        users=world.users,
        me=me,
        other=volunteer_with_login(resident__household=world.far_home),
        shift=shift,
    )
