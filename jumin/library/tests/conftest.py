from types import SimpleNamespace

import pytest

from .factories import BookFactory


@pytest.fixture
def lib(world):
    """world plus a one-copy book and a two-copy book in 玉龙湖, and one in the other community."""
    return SimpleNamespace(
        world=world,
        users=world.users,
        last=BookFactory(community=world.a, title="好家风读本", copies=1),
        two=BookFactory(community=world.a, title="邻里守望", copies=2),
        elsewhere=BookFactory(community=world.b, title="黄河小史"),
    )
