"""The client's IP address, for the lockout (django-axes calls ``client_ip``)."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """``REMOTE_ADDR``; behind our TLS proxy (``BEHIND_TLS_PROXY``) the address the proxy added
    to ``X-Forwarded-For``. Only the right-most ``TRUSTED_PROXY_COUNT`` entries are written by
    our own proxies: anything left of them comes from the client and may be forged."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not settings.BEHIND_TLS_PROXY:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1 or len(forwarded) < count:
        return remote
    return forwarded[-count]
