"""The app's URLs plus the bare view, for the bench server only (bench.settings)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """Nothing but the middleware (session, user, membership checks): the floor under every
    page of the same user."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare, name="bench_bare"), *app_urlpatterns]
