"""Request-wide rules that no single view should have to remember: the interface language,
malformed input, the admin's networks, and no caching of pages with personal data."""

import ipaddress

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, UnreadablePostError
from django.shortcuts import render

from accounts.ip import client_ip


class IgnoreBrowserLanguageMiddleware:
    """Dutch first: the interface language is Dutch unless the user picked another in the header.

    The browser's Accept-Language is ignored on purpose: staff often have an English browser on
    a Dutch workplace, and the product's language is a choice made in the app (language cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseMalformedInputMiddleware:
    """Answer 400 (the Dutch ``400.html``) for input no page can use, before any view runs:
    a NUL byte in the path or in any GET/POST key or value (PostgreSQL refuses NUL in text and
    would turn it into a server error), and a query-string value longer than
    ``MAX_QUERY_VALUE_LENGTH`` characters. Views still validate their parameters with forms;
    this is the net under them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._malformed(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _malformed(request) -> bool:
        if "\x00" in request.path_info:
            return True
        limit = settings.MAX_QUERY_VALUE_LENGTH
        for key, values in request.GET.lists():
            if "\x00" in key or len(key) > limit:
                return True
            if any("\x00" in value or len(value) > limit for value in values):
                return True
        if request.method == "POST":
            try:
                items = list(request.POST.lists())
            except (RequestDataTooBig, TooManyFieldsSent, UnreadablePostError):
                # Django answers these itself (400/413) when the view reads the data.
                return False
            for key, values in items:
                if "\x00" in key or any("\x00" in value for value in values):
                    return True
        return False


class AdminNetworkMiddleware:
    """The admin exists only for staff networks: from any other address its URLs answer 404, as
    if there were no admin. ``ADMIN_ALLOWED_NETWORKS`` is a list of CIDR ranges (empty: from
    anywhere). The address is the client's as ``accounts.ip.client_ip`` finds it (the same rule
    as the login lockout)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = settings.ADMIN_ALLOWED_NETWORKS
        prefix = "/" + settings.ADMIN_URL.lstrip("/")
        if (
            networks
            and request.path_info.startswith(prefix)
            and not address_in(client_ip(request), networks)
        ):
            raise Http404
        return self.get_response(request)


def address_in(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in user carry personal data: no browser or proxy may keep a copy
    (``Cache-Control: no-store``), PDFs and htmx partials included. Static files are served
    by WhiteNoise before this runs and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
