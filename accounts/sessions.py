"""Session rules: the limits (idle, absolute) and the record of each user's sessions.

The login time and the last-seen time are kept in the session itself; the middleware
(``accounts.middleware.SessionLimitsMiddleware``) ends a session past either limit.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .ip import client_ip
from .models import UserSession

LOGIN_AT = "accounts_login_at"
SEEN_AT = "accounts_seen_at"
# The last-seen stamp is written at most once a minute: no session write on every page.
SEEN_RESOLUTION_SECONDS = 60


def stamp_login(request: HttpRequest) -> None:
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


def expired_reason(request: HttpRequest, *, now: float | None = None) -> str | None:
    """``"idle"``, ``"absolute"`` or None for a logged-in request's session. A session
    without a login stamp (made before these rules) counts as past its lifetime."""
    now = time.time() if now is None else now
    login_at = request.session.get(LOGIN_AT)
    seen_at = request.session.get(SEEN_AT, login_at)
    if login_at is None or now - login_at > settings.SESSION_MAX_HOURS * 3600:
        return "absolute"
    if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    return None


def touch(request: HttpRequest, *, now: float | None = None) -> None:
    now = time.time() if now is None else now
    if now - request.session.get(SEEN_AT, 0) >= SEEN_RESOLUTION_SECONDS:
        request.session[SEEN_AT] = int(now)


def record_session(request: HttpRequest, user) -> None:
    """Remember the session key of a fresh login (or of a session whose key was cycled)."""
    if not request.session.session_key:
        request.session.save()
    previous = getattr(request, "_accounts_recorded_key", None)
    if previous and previous != request.session.session_key:
        UserSession.objects.filter(session_key=previous).delete()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request) or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )
    request._accounts_recorded_key = request.session.session_key


def rerecord_after_cycle(request: HttpRequest, *, old_key: str | None) -> None:
    """After ``session.cycle_key()``: the record follows the session to its new key."""
    if old_key:
        UserSession.objects.filter(session_key=old_key).delete()
    record_session(request, request.user)


def forget_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sessions_end_all(*, user, keep: str | None = None) -> int:
    """End every recorded session of ``user`` (except ``keep``); returns how many ended.
    The session rows are deleted, so those browsers are logged out at their next request."""
    records = UserSession.objects.filter(user=user)
    if keep:
        records = records.exclude(session_key=keep)
    keys = list(records.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    records.delete()
    return len(keys)


def active_sessions(user) -> list[UserSession]:
    """The user's recorded sessions that still exist and have not expired."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(UserSession.objects.filter(user=user, session_key__in=live))
