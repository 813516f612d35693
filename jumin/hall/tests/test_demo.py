import random

from jumin.cases.models import Case
from jumin.hall.demo import demo_hall
from jumin.hall.models import Booking, Rating, Slot, Ticket, TicketStatus, Window

from .conftest import TUESDAY_10AM


def test_demo_fills_a_week_of_slots_a_morning_of_tickets_in_every_state_and_ratings(hall):
    noon = TUESDAY_10AM.replace(hour=12)
    line = demo_hall(hall.a, random.Random(8), noon)
    assert "预约时段" in line
    assert Slot.objects.filter(community=hall.a).count() == 12 * 10 * 2
    assert Booking.objects.filter(community=hall.a).exists()
    statuses = set(Ticket.objects.filter(community=hall.a).values_list("status", flat=True))
    assert {TicketStatus.WAITING, TicketStatus.DONE} <= statuses
    assert Ticket.objects.filter(community=hall.a).count() >= 20
    assert Rating.objects.filter(community=hall.a).exists()
    assert all(t.taken_at <= noon for t in Ticket.objects.all())
    assert hall.users.window_staff in Window.objects.get(pk=hall.w3.pk).staff.all()
    # Poor ratings became cases for the secretary.
    poor = Rating.objects.filter(case__isnull=False)
    assert Case.objects.filter(kind="hall_rating").count() == poor.count()


def test_demo_skips_a_community_without_a_kiosk(world):
    assert "跳过" in demo_hall(world.b, random.Random(1), TUESDAY_10AM)
