import datetime

import factory
from django.utils import timezone

from jumin.deliberation import services
from jumin.deliberation.models import Category, Proposal


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal row straight in the table (lists, query counts); flows go through the services."""

    class Meta:
        model = Proposal

    community = factory.SelfAttribute("proposer_resident.community")
    category = Category.PARKING
    title = factory.Sequence(lambda n: f"停车位划线 第{n}号")
    text = "小区南门的停车位需要重新划线"
    search_words = " 停车位 划线 南门 "
    proposer = None
    proposer_resident = None


def open_ballot(secretary, *, hours=24, now=None, **extra):
    now = now or timezone.now()
    data = {"question": "是否同意在南门增设停车位", "closes_at": now + datetime.timedelta(hours=hours)}
    data.update(extra)
    return services.ballot_create(actor=secretary, now=now, **data)
