"""Logging in: password, then (with a device) the code; the admin uses the same login;
a new session key at every step (no session fixation)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.mfa import recovery_codes_create
from tests.login import app_device, code_for, fresh_code_for

LOGIN = "/accounts/login/"


def post_password(client: Client, user, password: str = "demo", **extra):
    return client.post(LOGIN, {"username": user.username, "password": password}, **extra)


def session_key(client: Client) -> str | None:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def logged_in_as(client: Client):
    return client.session.get(SESSION_KEY)


def test_login_without_a_device_is_one_step_and_gives_a_new_session_key(world):
    client = Client()
    session = client.session  # an anonymous session exists before the login
    session["planted"] = "by someone else"
    session.save()
    before = session.session_key

    response = post_password(client, world.officer)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert logged_in_as(client) == str(world.officer.pk)
    assert session_key(client) != before
    assert client.get(reverse("dashboard")).status_code == 200


def test_wrong_password_does_not_log_in(world):
    client = Client()
    response = post_password(client, world.officer, password="wrong")
    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_login_with_a_device_asks_the_code_and_rotates_the_key_at_each_step(world):
    device = app_device(world.coordinator)
    client = Client()
    anonymous_key = client.session.session_key

    response = post_password(client, world.coordinator)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_verify")
    # After the password alone: not logged in, no page but the code page.
    assert logged_in_as(client) is None
    assert client.get(reverse("household_list"))["Location"].startswith(reverse("login"))
    after_password = session_key(client)
    assert after_password != anonymous_key

    page = client.get(reverse("mfa_verify"))
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    response = client.post(reverse("mfa_verify"), {"otp_token": code_for(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert logged_in_as(client) == str(world.coordinator.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert session_key(client) not in (anonymous_key, after_password)
    assert client.get(reverse("household_list")).status_code == 200


def test_the_code_step_keeps_the_next_page(world):
    device = app_device(world.coordinator)
    client = Client()
    client.post(LOGIN, {"username": "carla", "password": "demo", "next": reverse("household_list")})
    response = client.post(reverse("mfa_verify"), {"otp_token": code_for(device)})
    assert response["Location"] == reverse("household_list")


def test_a_wrong_code_does_not_log_in(world):
    device = app_device(world.coordinator)
    client = Client()
    post_password(client, world.coordinator)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_verify"), {"otp_token": wrong})

    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert logged_in_as(client) is None
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))


def test_the_code_page_without_a_password_first_sends_to_the_login(db):
    response = Client().get(reverse("mfa_verify"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_a_recovery_code_works_once(world):
    app_device(world.coordinator)
    codes = recovery_codes_create(user=world.coordinator)
    assert len(codes) == 10 and len(set(codes)) == 10

    first = Client()
    post_password(first, world.coordinator)
    response = first.post(reverse("mfa_verify"), {"otp_token": codes[0]})
    assert response.status_code == 302
    assert logged_in_as(first) == str(world.coordinator.pk)

    second = Client()
    post_password(second, world.coordinator)
    response = second.post(reverse("mfa_verify"), {"otp_token": codes[0]})
    assert response.status_code == 200
    assert logged_in_as(second) is None


def test_a_user_who_set_up_mfa_voluntarily_is_asked_the_code(world):
    """The officer need not use two-step login, but once set up it is asked."""
    device = app_device(world.officer)
    client = Client()
    assert post_password(client, world.officer)["Location"] == reverse("mfa_verify")
    client.post(reverse("mfa_verify"), {"otp_token": fresh_code_for(device)})
    assert logged_in_as(client) == str(world.officer.pk)


def test_login_page_says_when_two_step_login_is_off(db, settings):
    settings.REQUIRE_MFA = False
    html = Client().get(LOGIN).content.decode()
    assert 'id="mfa-off-notice"' in html
    settings.REQUIRE_MFA = True
    assert 'id="mfa-off-notice"' not in Client().get(LOGIN).content.decode()


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def staff(world):
    world.coordinator.is_staff = True
    world.coordinator.is_superuser = True
    world.coordinator.save()
    return world.coordinator


def test_the_admin_login_sends_to_the_app_login(staff):
    client = Client()
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    # Posting a password to the admin's login URL logs no one in.
    response = client.post(reverse("admin:login"), {"username": "carla", "password": "demo"})
    assert response.status_code == 302
    assert logged_in_as(client) is None
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_the_admin_needs_the_second_step_too(staff):
    device = app_device(staff)
    client = Client()
    client.force_login(staff)  # a password-only session
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("mfa_verify"))

    client.post(
        f"{reverse('mfa_verify')}?next={reverse('admin:index')}", {"otp_token": code_for(device)}
    )
    assert client.get(reverse("admin:index")).status_code == 200
