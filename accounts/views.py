"""Login in two steps, the two-step setup, recovery codes, the account page and its sessions.

The password step is Django's ``LoginView`` (django-axes counts its failures). A user with a
confirmed device is not logged in after the password: the session only holds a pending marker
until the code is right; then Django's ``login()`` runs, which gives the session a new key.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login

from . import mfa
from .forms import CodeForm, LoginForm, SetupForm
from .sessions import active_sessions, rerecord_after_cycle, sessions_end_all

PENDING = "accounts_mfa_pending"
NEW_CODES = "accounts_new_recovery_codes"
SETUP_KEY = "accounts_mfa_setup_key"
# The code must follow the password within this many seconds.
PENDING_SECONDS = 300


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The lockout page (django-axes' ``AXES_LOCKOUT_CALLABLE``): a plain Dutch explanation,
    status 429."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )


class LoginView(auth_views.LoginView):
    """Step one: username and password. Users with a device continue to step two."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not mfa.has_any_device(user):
            return super().form_valid(form)
        # New key already here: nothing from before the password survives into the session.
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": int(time.time()),
        }
        return redirect("mfa_verify")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mfa_off"] = not settings.REQUIRE_MFA
        return context


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@login_not_required
@never_cache
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the app or a recovery code. Also reached by a logged-in user
    who must use the second step but whose session has not passed it."""
    if request.user.is_authenticated:
        if mfa.is_verified(request):
            return redirect(_safe_next(request, request.GET.get("next")))
        user, pending = request.user, None
        if not mfa.has_any_device(user):
            return redirect("mfa_setup")
    else:
        user, pending = _pending_user(request)
        if user is None:
            messages.info(request, _("Please log in again."))
            return redirect("login")

    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return locked_out(request)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.check_code(user=user, code=form.cleaned_data["otp_token"])
        if device is not None:
            if pending is not None:
                next_url = pending["next"]
                request.session.pop(PENDING, None)
                auth_login(request, user, backend=pending["backend"])  # cycles the session key
            else:
                next_url = _safe_next(request, request.GET.get("next"))
                old_key = request.session.session_key
                request.session.cycle_key()
                rerecord_after_cycle(request, old_key=old_key)
            otp_login(request, device)
            return redirect(next_url)
        # A wrong code counts towards the lockout like a wrong password.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            return locked_out(request)
        form.add_error(
            "otp_token",
            _("This code is not right (or was already used). Wait for a new code and try again."),
        )
    return render(request, "accounts/mfa_verify.html", {"form": form}, status=200)


@never_cache
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if mfa.has_mfa(user):
        messages.info(request, _("Two-step login is already set up."))
        return redirect("account")
    key = request.session.get(SETUP_KEY)
    if not key:
        key = request.session[SETUP_KEY] = mfa.new_device_key()
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.confirm_app_device(user=user, key=key, code=form.cleaned_data["otp_token"])
        if device is not None:
            del request.session[SETUP_KEY]
            old_key = request.session.session_key
            request.session.cycle_key()
            rerecord_after_cycle(request, old_key=old_key)
            otp_login(request, device)
            request.session[NEW_CODES] = mfa.recovery_codes_create(user=user)
            messages.success(request, _("Two-step login is on."))
            return redirect("mfa_recovery_codes")
        form.add_error("otp_token", _("This code is not right. Check the time on your phone."))
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_svg": mfa.qr_svg(mfa.unsaved_app_device(user, key=key)),
            "secret": mfa.manual_secret(mfa.unsaved_app_device(user, key=key)),
            "required": mfa.mfa_required(user),
        },
    )


@never_cache
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    """New codes are shown once (right after they are made); POST makes a new set."""
    if not mfa.has_mfa(request.user):
        return redirect("mfa_setup")
    if not mfa.is_verified(request):
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('mfa_verify')}?{query}")
    if request.method == "POST":
        request.session[NEW_CODES] = mfa.recovery_codes_create(user=request.user)
        messages.success(request, _("New recovery codes made; the old ones no longer work."))
        return redirect("mfa_recovery_codes")
    codes = request.session.pop(NEW_CODES, None)
    return render(
        request,
        "accounts/mfa_recovery_codes.html",
        {"codes": codes, "left": mfa.recovery_codes_left(request.user)},
    )


@require_safe
@never_cache
def account(request: HttpRequest) -> HttpResponse:
    """The user's own account: two-step login, password, where they are logged in."""
    return render(
        request,
        "accounts/account.html",
        {
            "has_mfa": mfa.has_mfa(request.user),
            "mfa_required": mfa.mfa_required(request.user),
            "require_mfa_setting": settings.REQUIRE_MFA,
            "codes_left": mfa.recovery_codes_left(request.user),
            "sessions": active_sessions(request.user),
            "current_key": request.session.session_key,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "max_hours": settings.SESSION_MAX_HOURS,
        },
    )


@require_POST
def account_end_other_sessions(request: HttpRequest) -> HttpResponse:
    ended = sessions_end_all(user=request.user, keep=request.session.session_key)
    text = ngettext(
        "Logged out elsewhere: %(count)d session.",
        "Logged out elsewhere: %(count)d sessions.",
        ended,
    )
    messages.success(request, text % {"count": ended})
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; it gives the session a new key, so the session record follows."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)
        rerecord_after_cycle(self.request, old_key=old_key)
        return response


@login_not_required
def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """Replaces the admin's own login form: the admin is entered through the app's login."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(_safe_next(request, next_url))
        raise PermissionDenied
    return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
