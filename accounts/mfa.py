"""Two-step login (TOTP app + recovery codes) on django-otp: who must use it, and the device
work the views need. Verification itself is django-otp's (``verify_token``, with its
throttling); a verified session carries the device id the way ``django_otp.login`` stores it.
"""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from regions.access import get_membership
from regions.models import Role

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "app"
RECOVERY_DEVICE_NAME = "recovery"
# Roles whose data or money is sensitive enough that a password alone is not enough.
MFA_ROLES = frozenset({Role.COORDINATOR, Role.FINANCE})


def mfa_required(user) -> bool:
    """Must this user log in with a second step? (Only when ``REQUIRE_MFA`` is on.)"""
    if not settings.REQUIRE_MFA or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    membership = get_membership(user)
    return membership is not None and membership.role in MFA_ROLES


def has_mfa(user) -> bool:
    """The user has a confirmed authenticator app (recovery codes alone do not count)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def has_any_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def is_verified(request) -> bool:
    """The session passed the second step (django-otp's ``OTPMiddleware`` sets ``otp_device``)."""
    return getattr(request.user, "otp_device", None) is not None


def unsaved_app_device(user, *, key: str) -> TOTPDevice:
    """The app device being set up, not stored until a code confirms it: the key waits in
    the session, so that opening the setup page changes nothing."""
    return TOTPDevice(user=user, name=APP_DEVICE_NAME, key=key, confirmed=False)


def new_device_key() -> str:
    return default_key()


def manual_secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, to type into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` URL as an inline SVG (paths only: no script, no style attribute)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def check_code(*, user, code: str):
    """The confirmed device (app or recovery codes) that accepts ``code``, or None.
    A recovery code is deleted when used (django-otp's static device), so it works once."""
    code = "".join(code.split()).lower()
    if not code or len(code) > 16:
        return None
    for device in devices_for_user(user, confirmed=True):
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def confirm_app_device(*, user, key: str, code: str) -> TOTPDevice | None:
    """Store the app device with ``key`` if ``code`` is the app's current code (one step
    either way for clock drift); any older app device of the user is replaced."""
    code = "".join(code.split())
    device = unsaved_app_device(user, key=key)
    if not code.isdigit() or len(code) != device.digits:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not totp.verify(int(code), device.tolerance):
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.last_t = totp.t()  # this code cannot be used again to log in
    device.save()
    return device


@transaction.atomic
def recovery_codes_create(*, user) -> list[str]:
    """A fresh set of recovery codes; earlier codes stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
