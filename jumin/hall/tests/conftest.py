import datetime
from zoneinfo import ZoneInfo

import pytest

from jumin.core.models import Role
from jumin.hall.models import ServiceItem, Window
from jumin.hall.services import hall_ensure_catalogue
from jumin.people.tests.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday morning in the hall's opening hours (Asia/Shanghai).
MONDAY = datetime.date(2026, 11, 23)
TUESDAY_10AM = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def hall(world):
    """玉龙湖's hall (and 黄河's): the catalogue, a clerk assigned to window 1, an unassigned clerk, the kiosk."""
    hall_ensure_catalogue(world.a)
    hall_ensure_catalogue(world.b)
    world.w1 = Window.objects.get(community=world.a, number=1)
    world.w3 = Window.objects.get(community=world.a, number=3)
    world.w1.staff.add(world.users.window_staff)
    world.item = ServiceItem.objects.get(community=world.a, name="低保申请")  # window 1, A…
    world.item2 = ServiceItem.objects.get(community=world.a, name="临时救助申请")  # window 1 too
    world.item3 = ServiceItem.objects.get(community=world.a, name="城乡居民养老保险参保登记")  # window 3, C…
    world.item_b = ServiceItem.objects.get(community=world.b, name="低保申请")
    world.users.kiosk = UserFactory(role=Role.KIOSK, community=world.a)
    world.users.kiosk_b = UserFactory(role=Role.KIOSK, community=world.b)
    world.users.clerk2 = UserFactory(role=Role.WINDOW_STAFF, community=world.a)
    return world
