import pytest

from .factories import VendorFactory


@pytest.fixture
def vendors(world):
    world.vendor = VendorFactory(community=world.a)
    world.other_vendor = VendorFactory(community=world.a, name="另一家维修部")
    world.vendor_b = VendorFactory(community=world.b, name="黄河维修部")
    return world
