"""Who must use two-step login, the setup page (QR code, key, confirm) and recovery codes."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.views import SETUP_KEY
from tests.factories import UserFactory


def password_only(user) -> Client:
    """A session after the password step only (no second step passed)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["coordinator", "finance"])
def test_coordinator_and_finance_must_set_up_two_step_login(world, persona):
    client = password_only(getattr(world, persona))
    for url_name in ("dashboard", "rules", "account", "password_change"):
        response = client.get(reverse(url_name))
        assert response.status_code == 302, url_name
        assert response["Location"] == reverse("mfa_setup")


def test_staff_must_set_up_two_step_login(db):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    response = password_only(admin).get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_setup")


@pytest.mark.parametrize("persona", ["officer", "corporation", "partner"])
def test_other_roles_need_not_set_it_up(world, persona):
    assert password_only(getattr(world, persona)).get(reverse("dashboard")).status_code == 200


def test_nobody_must_when_the_setting_is_off(world, settings):
    settings.REQUIRE_MFA = False
    assert password_only(world.coordinator).get(reverse("dashboard")).status_code == 200


def test_before_the_second_step_logout_and_language_stay_open(world):
    client = password_only(world.coordinator)
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.get(reverse("mfa_setup")).status_code == 200
    client.post(reverse("logout"))
    assert SESSION_KEY not in client.session


def app_code(key: str, *, steps_ahead: int = 0) -> str:
    """What the app shows for the hex ``key`` (``steps_ahead`` 30-second steps later)."""
    return f"{totp(unhexlify(key), t0=-30 * steps_ahead):06d}"


def test_setup_shows_a_qr_code_and_the_key_and_confirms_with_a_code(world):
    client = password_only(world.coordinator)
    page = client.get(reverse("mfa_setup"))
    html = page.content.decode()
    assert "<svg" in html and "<path" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    key = client.session[SETUP_KEY]
    assert page.context["secret"].replace(" ", "") == b32encode(unhexlify(key)).decode()
    # Opening the page stores nothing; a reload shows the same key.
    assert not TOTPDevice.objects.exists()
    assert client.get(reverse("mfa_setup")).context["secret"] == page.context["secret"]
    key_before = client.session.session_key

    wrong = app_code(key, steps_ahead=5)
    assert client.post(reverse("mfa_setup"), {"otp_token": wrong}).status_code == 200
    assert not TOTPDevice.objects.exists()

    response = client.post(reverse("mfa_setup"), {"otp_token": app_code(key)})

    assert response["Location"] == reverse("mfa_recovery_codes")
    device = TOTPDevice.objects.get(user=world.coordinator)
    assert device.confirmed and device.key == key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != key_before
    assert client.get(reverse("dashboard")).status_code == 200
    # The code used to confirm cannot be used again to log in.
    assert mfa.check_code(user=world.coordinator, code=app_code(key)) is None

    # The ten recovery codes are shown once.
    first = client.get(reverse("mfa_recovery_codes"))
    codes = first.context["codes"]
    assert len(codes) == 10
    assert all(code in first.content.decode() for code in codes)
    again = client.get(reverse("mfa_recovery_codes"))
    assert again.context["codes"] is None
    assert codes[0] not in again.content.decode()
    assert again.context["left"] == 10


def test_new_recovery_codes_replace_the_old_ones(world, client_for):
    client = client_for(world.coordinator)
    client.post(reverse("mfa_recovery_codes"))
    old = set(StaticToken.objects.values_list("token", flat=True))
    client.get(reverse("mfa_recovery_codes"))

    response = client.post(reverse("mfa_recovery_codes"))
    assert response.status_code == 302
    new = client.get(reverse("mfa_recovery_codes")).context["codes"]

    assert len(new) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert not old & set(new)


def test_a_password_only_session_cannot_make_recovery_codes(world):
    """Someone with only the password of a user who has a device cannot get codes."""
    TOTPDevice.objects.create(user=world.officer, name="app", confirmed=True)
    client = password_only(world.officer)
    response = client.post(reverse("mfa_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_verify"))
    assert not StaticToken.objects.exists()


def test_setup_is_not_offered_twice(world, client_for):
    response = client_for(world.coordinator).get(reverse("mfa_setup"))
    assert response["Location"] == reverse("account")


def test_the_account_page_lists_the_sessions_and_links_the_password_change(world, client_for):
    client = client_for(world.officer)
    html = client.get(reverse("account")).content.decode()
    assert reverse("password_change") in html
    assert reverse("mfa_setup") in html
    assert len(client.get(reverse("account")).context["sessions"]) == 1
    # The header links to it.
    assert reverse("account") in client.get(reverse("dashboard")).content.decode()
