"""Logging a test client in the way a real login ends: for a user who must use two-step login
(accounts.mfa.mfa_required), the session is also verified, as django-otp records it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import APP_DEVICE_NAME, mfa_required


def app_device(user) -> TOTPDevice:
    """The user's confirmed authenticator-app device (made if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


def log_in(client: Client, user) -> Client:
    client.force_login(user)
    # A fresh instance: mfa_required caches the membership on the user object.
    if mfa_required(get_user_model().objects.get(pk=user.pk)):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = app_device(user).persistent_id
        session.save()
    return client


def code_for(device: TOTPDevice) -> str:
    """The 6-digit code the authenticator app shows now for ``device``."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def fresh_code_for(device: TOTPDevice) -> str:
    """A code not used yet: django-otp accepts each 30-second step once, so a test that logs
    the same user in twice within one step first forgets the last step used."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return code_for(device)


def device_for_login(user) -> TOTPDevice | None:
    """The device whose code a login of ``user`` will ask: made for users who must use
    two-step login, else the one they set up themselves (if any)."""
    if mfa_required(get_user_model().objects.get(pk=user.pk)):
        return app_device(user)
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
