"""Lockout after AXES_FAILURE_LIMIT failures, per username and per IP address; logged."""

from __future__ import annotations

import logging

from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.ip import client_ip
from tests.login import app_device

LOGIN = "/accounts/login/"


def attempt(username: str, password: str, ip: str = "10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response


def test_the_sixth_attempt_is_refused_even_with_the_right_password(world, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        statuses = [attempt("gert", "wrong")[1].status_code for _ in range(5)]
    # The fifth failure reaches the limit: its answer is already the lockout page.
    assert statuses == [200, 200, 200, 200, 429]

    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        client, response = attempt("gert", "demo")

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert response.context["cooloff_minutes"] == 15
    assert AccessAttempt.objects.get(username="gert").failures_since_start >= 5
    assert any("lockout" in r.getMessage() and "gert" in r.getMessage() for r in caplog.records)


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(world):
    for _ in range(4):
        attempt("gert", "wrong")
    client, response = attempt("gert", "demo")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.officer.pk)


def test_a_locked_username_is_locked_from_every_address(world):
    for i in range(5):
        attempt("gert", "wrong", ip=f"10.0.1.{i}")
    _, response = attempt("gert", "demo", ip="10.0.9.9")
    assert response.status_code == 429


def test_a_locked_address_is_locked_for_every_username(world):
    for name in ("a", "b", "c", "d", "e"):
        attempt(name, "wrong", ip="10.0.2.2")
    assert attempt("gert", "demo", ip="10.0.2.2")[1].status_code == 429
    # Gert from his own desk is not affected.
    assert attempt("gert", "demo", ip="10.0.3.3")[1].status_code == 302
    assert AccessAttempt.objects.filter(ip_address="10.0.2.2").count() == 5


def test_wrong_codes_at_the_second_step_count_too(world):
    app_device(world.coordinator)
    client = Client(REMOTE_ADDR="10.0.4.4")
    client.post(LOGIN, {"username": "carla", "password": "demo"})
    for _ in range(5):
        response = client.post(reverse("mfa_verify"), {"otp_token": "000000"})
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="carla").failures_since_start == 5


def test_the_client_address_behind_the_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "172.18.0.5"
    settings.BEHIND_TLS_PROXY = True
    # The right-most entry is the one our proxy wrote; "6.6.6.6" came from the client.
    assert client_ip(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
