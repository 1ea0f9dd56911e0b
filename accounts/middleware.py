"""Session limits and the two-step requirement, applied to every request."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import mfa
from .sessions import expired_reason, touch

# Pages a logged-in user who still owes the second step may open.
OPEN_BEFORE_MFA = frozenset(
    {
        "login",
        "logout",
        "mfa_verify",
        "mfa_setup",
        "set_language",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


class SessionLimitsMiddleware:
    """Ends a session idle for ``SESSION_IDLE_MINUTES`` or older than ``SESSION_MAX_HOURS``
    (the login page then follows from ``LoginRequiredMiddleware``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = expired_reason(request)
            if reason is not None:
                logout(request)
                if reason == "idle":
                    text = _("You were logged out after %(minutes)d minutes without activity.")
                    messages.info(request, text % {"minutes": settings.SESSION_IDLE_MINUTES})
                else:
                    text = _("Your session lasted %(hours)d hours: please log in again.")
                    messages.info(request, text % {"hours": settings.SESSION_MAX_HOURS})
            else:
                touch(request)
        return self.get_response(request)


class RequireMFAMiddleware:
    """A user who must log in in two steps (``accounts.mfa.mfa_required``) reaches no page but
    the two-step pages, logout and password reset until the session has passed the second
    step: to the setup page without a device, to the code page with one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or mfa.is_verified(request):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_BEFORE_MFA:
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        if not mfa.mfa_required(request.user):
            return None
        if mfa.has_mfa(request.user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_verify')}?{query}")
        return redirect("mfa_setup")
