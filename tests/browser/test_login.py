"""Logging in with two-step login in a real browser: password, then the app's code."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from tests.login import app_device, fresh_code_for

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(page) -> str | None:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies.get(settings.SESSION_COOKIE_NAME)


def test_a_coordinator_logs_in_with_password_and_code(page, world):
    device = app_device(world.coordinator)
    code_field = page.locator("#id_otp_token")
    confirm = page.locator("main form:has(#id_otp_token) button[type=submit]")

    page.goto("/accounts/login/")
    page.locator("#id_username").fill("carla")
    page.locator("#id_password").fill("demo")
    page.locator("main form button[type=submit]").click()

    # Second step: the code page, and no access to the desk's pages yet.
    expect(page).to_have_url(re.compile(r"/accounts/tweestaps/$"))
    key_after_password = session_cookie(page)
    right = fresh_code_for(device)
    code_field.fill("000000" if right != "000000" else "111111")
    confirm.click()
    expect(code_field).to_have_attribute("aria-invalid", "true")

    code_field.fill(fresh_code_for(device))
    confirm.click()

    expect(page.locator("header form[action$='/accounts/logout/']")).to_be_visible()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    assert session_cookie(page) not in (None, key_after_password)
    logged_in = [s.get_decoded().get(SESSION_KEY) for s in Session.objects.all()]
    assert str(world.coordinator.pk) in logged_in
