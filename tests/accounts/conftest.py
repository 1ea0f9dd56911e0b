import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every test here logs in through the password form: the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
