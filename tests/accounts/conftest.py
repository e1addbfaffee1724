import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2's million rounds make every login and password check slow; the rules under test do not depend on it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
