import pytest

from tests.factories import make_zone_world


@pytest.fixture
def world(db):
    """A zone with two departments, one user per role, a second zone, and a few records."""
    return make_zone_world()
