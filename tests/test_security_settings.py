"""Production settings and security headers (issue 9, "Production settings"): a strict Content
Security Policy, HSTS, no framing, no caching of pages with personal data, ``__Host-`` secure
cookies, and ``manage.py check --deploy`` clean at WARNING level with production settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

SECRET = "k" * 20 + "Zx9-Qw8_Er7!Ty6@Ui5#Op4$As3%Df2^Gh1&Jk0*Lz" + "m" * 10


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production container (docker-compose), on a throw-away SQLite."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG", "ADMIN_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="plaatsing.example.nl",
        CSRF_TRUSTED_ORIGINS="https://plaatsing.example.nl",
        DATABASE_URL="sqlite:////tmp/harden-check-deploy.sqlite3",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stderr + result.stdout


def test_check_deploy_fails_when_a_protection_is_switched_off():
    """The test above can fail: without HSTS the same check refuses."""
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(SECURE_HSTS_SECONDS="0")
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


def test_production_settings_turn_on_hsts_tls_and_host_cookies():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
        "for k in ['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'X_FRAME_OPTIONS', "
        "'SECURE_REFERRER_POLICY', 'SECURE_CROSS_ORIGIN_OPENER_POLICY', 'ADMIN_URL']}))"
    )
    result = manage("shell", "-c", code, env=production_env(ADMIN_URL="/beheer-x/"))

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "ADMIN_URL": "beheer-x/",
    }


# --- Headers on responses --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def csp_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_every_page_has_a_strict_content_security_policy(client):
    policy = csp_of(client.get(reverse("login")))

    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }
    assert "unsafe" not in str(policy)


def test_pages_are_not_framed_and_keep_the_referrer_home(world, client_for):
    response = client_for(world.coordinator).get(reverse("dashboard"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["dashboard", "household_list", "quota_dashboard"])
def test_pages_for_a_signed_in_user_are_never_stored(world, client_for, name):
    response = client_for(world.coordinator).get(reverse(name))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_htmx_partials_for_a_signed_in_user_are_not_stored(world, client_for):
    partial = client_for(world.coordinator).get(
        reverse("household_list"), headers={"HX-Request": "true"}
    )

    assert partial["Cache-Control"] == "no-store"


def test_hsts_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get(reverse("login"), secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
