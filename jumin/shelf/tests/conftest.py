from types import SimpleNamespace

import pytest

from jumin.shelf.models import Slot

from .factories import ProductFactory


@pytest.fixture
def shop(world):
    """world plus 玉龙湖's shelf: washing powder (20 in two batches, the older expiring first), soap (5), and a
    product of the other community."""
    import datetime

    powder = ProductFactory(
        community=world.a,
        name="洗衣粉",
        spec="500 g",
        batches=[(12, None), (8, datetime.date(2027, 3, 1))],
    )
    soap = ProductFactory(
        community=world.a, name="肥皂", spec="4 块", factory_price="3.50", market_price="4.80", stock=5
    )
    elsewhere = ProductFactory(community=world.b, name="大米", spec="5 kg", stock=10)
    Slot.objects.bulk_create([Slot(community=world.a, number=n) for n in range(1, 6)])
    Slot.objects.filter(community=world.a, number__in=[3, 4]).update(product=powder)
    Slot.objects.filter(community=world.a, number=1).update(product=soap)
    return SimpleNamespace(world=world, users=world.users, powder=powder, soap=soap, elsewhere=elsewhere)
