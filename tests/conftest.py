import pytest
from django.utils import translation

from tests.factories import make_zone_world


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds per test; the policy checks do not depend on the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    # A request in English (or a test that activates it) must not leak into the next test's messages.
    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture
def world(db):
    """A zone with two departments, one user per role, a second zone, and a few records."""
    return make_zone_world()
