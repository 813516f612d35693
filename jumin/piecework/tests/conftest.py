import pytest

from .factories import make_factory, post_order


@pytest.fixture
def piece(world):
    world.factory = make_factory(world)
    world.order = post_order(world, world.factory)
    return world
