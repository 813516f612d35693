import datetime
import random
from zoneinfo import ZoneInfo

from jumin.people.tests.factories import ResidentFactory
from jumin.volunteers.demo import demo_volunteers
from jumin.volunteers.models import Activity, PointsAccount, PointsTransfer, Signup, Volunteer

from .test_services import assert_ledger_balances

NOW = datetime.datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_fills_volunteers_activities_hours_and_points_through_the_services(world):
    for _ in range(45):
        ResidentFactory(household=world.home)
    line = demo_volunteers(world.a, random.Random(7), NOW)
    assert "40 名志愿者" in line, line
    assert Volunteer.objects.filter(community=world.a).count() == 40
    assert Volunteer.objects.filter(status="pending").count() == 3
    assert Activity.objects.filter(community=world.a).count() == 15
    assert Activity.objects.filter(starts_at__gt=NOW).count() == 5
    assert Signup.objects.filter(status="confirmed").count() > 30
    assert PointsTransfer.objects.filter(origin="spend").exists()
    assert PointsAccount.objects.filter(kind="volunteer", balance__gt=0).count() > 10
    # the demo resident's login is a volunteer with hours
    assert Volunteer.objects.get(resident=world.resident).status == "approved"
    assert_ledger_balances()
