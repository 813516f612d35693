import datetime

import factory
from django.utils import timezone

from jumin.hall.models import Slot, Ticket, Window


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    window = factory.Iterator(Window.objects.none())
    community = factory.LazyAttribute(lambda o: o.window.community)
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=1))
    half = "am"
    capacity = 5


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket written directly (lists, exports): numbering and rules are tested through the services."""

    class Meta:
        model = Ticket

    item = None
    community = factory.LazyAttribute(lambda o: o.item.community)
    window = factory.LazyAttribute(lambda o: o.item.window)
    day = factory.LazyFunction(timezone.localdate)
    prefix = factory.LazyAttribute(lambda o: o.window.prefix)
    seq = factory.Sequence(lambda n: n % 999 + 1)
    taken_at = factory.LazyFunction(timezone.now)
