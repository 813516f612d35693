import pytest

from .factories import build_station


@pytest.fixture
def st(world):
    return build_station(world)
