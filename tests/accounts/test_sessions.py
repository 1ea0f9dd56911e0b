"""Idle and absolute session limits, the session record, deactivation ends sessions."""

from __future__ import annotations

import time

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession
from accounts.sessions import LOGIN_AT, SEEN_AT


def shift(client: Client, **seconds_ago: int) -> None:
    """Pretend the login or the last request happened this many seconds ago."""
    session = client.session
    now = int(time.time())
    if "login" in seconds_ago:
        session[LOGIN_AT] = now - seconds_ago["login"]
    if "seen" in seconds_ago:
        session[SEEN_AT] = now - seconds_ago["seen"]
    session.save()


def test_a_session_idle_for_longer_than_the_limit_ends(world, client_for):
    client = client_for(world.officer)
    shift(client, seen=31 * 60)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_a_session_idle_for_less_than_the_limit_goes_on(world, client_for):
    client = client_for(world.officer)
    shift(client, seen=29 * 60)
    assert client.get(reverse("dashboard")).status_code == 200
    # The visit counts as activity.
    assert time.time() - client.session[SEEN_AT] < 5


def test_the_idle_limit_is_a_setting(world, client_for, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = client_for(world.officer)
    shift(client, seen=6 * 60)
    assert client.get(reverse("dashboard")).status_code == 302


def test_an_active_session_still_ends_after_the_absolute_lifetime(world, client_for):
    client = client_for(world.officer)
    shift(client, login=12 * 3600 + 60, seen=10)

    response = client.get(reverse("dashboard"))

    assert response["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_the_cookie_lives_no_longer_than_the_absolute_lifetime(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_HOURS * 3600 == 12 * 3600


def test_deactivating_a_user_ends_all_their_sessions(world, client_for):
    desk, laptop = client_for(world.officer), client_for(world.officer)
    other = client_for(world.partner)
    assert UserSession.objects.filter(user=world.officer).count() == 2

    world.officer.is_active = False
    world.officer.save()

    assert not UserSession.objects.filter(user=world.officer).exists()
    assert Session.objects.count() == 1  # only the partner's
    for client in (desk, laptop):
        assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))
    assert other.get(reverse("dashboard")).status_code == 200


def test_logging_out_elsewhere_keeps_this_session(world, client_for):
    here, there = client_for(world.officer), client_for(world.officer)
    assert len(here.get(reverse("account")).context["sessions"]) == 2

    here.post(reverse("account_end_sessions"))

    assert here.get(reverse("dashboard")).status_code == 200
    assert there.get(reverse("dashboard")).status_code == 302
    assert len(here.get(reverse("account")).context["sessions"]) == 1


def test_logging_out_forgets_the_session_record(world, client_for):
    client = client_for(world.officer)
    client.post(reverse("logout"))
    assert not UserSession.objects.exists()


def test_deleting_a_session_record_in_the_admin_ends_that_session(world, client_for):
    world.coordinator.is_staff = world.coordinator.is_superuser = True
    world.coordinator.save()
    admin = client_for(world.coordinator)
    victim = client_for(world.officer)
    record = UserSession.objects.get(user=world.officer)

    response = admin.post(
        reverse("admin:accounts_usersession_delete", args=[record.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert victim.get(reverse("dashboard"))["Location"].startswith(reverse("login"))
