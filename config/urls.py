from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from config.health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("taakstelling/", include("quota.urls")),
    path("rapportage/", include("reports.urls")),
    path("facturen/", include("billing.urls")),
    path("uitwisseling/", include("exchange.urls")),
    path("downloads/", include("downloads.urls")),
    path("meldingen/", include("notices.urls")),
    path("deelnemers/", include("directory.urls")),
    path("", include("audit.urls")),
    path("", include("placement.urls")),
]
