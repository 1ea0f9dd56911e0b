"""Settings for the placement desk: one module, everything read from environment variables.

With nothing set, the app runs on SQLite under ``var/`` (the embedded default) in debug mode.
Production (docker-compose) and CI set ``DATABASE_URL`` to PostgreSQL.
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "regions",
    "placement",
    "quota",
    "billing",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "accounts",
    "simple_history",
    "audit",
    "django_tasks_db",
    "exchange",
    "notices",
    "downloads",
    "reports",
    "directory",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "config.middleware.RefuseMalformedInputMiddleware",
    "config.middleware.AdminNetworkMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regions.context_processors.membership",
                "notices.context_processors.unread_notices",
            ],
        },
    },
]

# Connections (issue 14, docs/DEPLOY.md "Database connections"). On PostgreSQL a connection is
# kept for CONN_MAX_AGE seconds (default 60) and checked before reuse, instead of one new
# connection per request; or, with DB_POOL=1, psycopg's pool per process (Django's "pool"
# option, which requires CONN_MAX_AGE 0). SQLite opens a file: nothing to keep.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("DB_POOL", False):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            # Per process; a gthread worker needs one per thread at most (WEB_THREADS).
            "min_size": env_int("DB_POOL_MIN_SIZE", 2),
            "max_size": env_int("DB_POOL_MAX_SIZE", env_int("WEB_THREADS", 4)),
            # Seconds a request waits for a free connection before failing.
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
    else:
        # CONN_MAX_AGE is the name in the docs; DB_CONN_MAX_AGE the older one, still read.
        DATABASES["default"]["CONN_MAX_AGE"] = env_int(
            "CONN_MAX_AGE", env_int("DB_CONN_MAX_AGE", 60)
        )
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django 6.1's blank choice label has no Dutch translation of its own yet: ours is in locale/.
gettext_noop("- Select an option -")
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
# Short dates ("7 okt 2026" / "7 Oct 2026") per language; numbers use Django's own separators.
# Thousands are grouped where amounts and figures are shown (the euro and number filters), not
# everywhere: a global USE_THOUSAND_SEPARATOR would also write years as "2.026".
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The region's logo in the header, per region code: REGION_LOGOS="DS=regions/drechtsteden.svg"
# (paths under static/; shown with the region's name as alt text). Regions without a logo show
# their name only.
REGION_LOGOS = dict(item.split("=", 1) for item in env_list("REGION_LOGOS", "") if "=" in item)
# Collected into the image at build time (Dockerfile); the env moves it (tests/test_scale_out.py).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security headers and production (part "harden" of issue 9) ---------------------------
# Production is DEBUG=0 behind TLS; `manage.py check --deploy --fail-level WARNING` passes with
# it (tests/test_security_settings.py runs it). Pages with personal data are never cached
# (config.middleware.NoStoreForSignedInMiddleware).
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # __Host-: the browser only accepts the cookie over HTTPS, for this host, on path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # the token travels in forms and hx-headers, never read from JS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No inline script or style anywhere: behaviour lives in static/js/app.js, styles in static/css.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# A NUL byte anywhere, or a query-string value longer than this, is answered with 400
# (config.middleware.RefuseMalformedInputMiddleware).
MAX_QUERY_VALUE_LENGTH = env_int("MAX_QUERY_VALUE_LENGTH", 200)
# The admin's path, and the staff networks it answers from (CIDR, comma separated; empty:
# from anywhere). From elsewhere the admin answers 404.
ADMIN_URL = (env_str("ADMIN_URL", "admin/").strip("/") or "admin") + "/"
# Parsed here so that a mistyped range stops the start instead of failing per request.
ADMIN_ALLOWED_NETWORKS = [
    str(ipaddress.ip_network(network, strict=False))
    for network in env_list("ADMIN_ALLOWED_NETWORKS", "")
]
# --- end of security headers and production -------------------------------------------------

# --- Scale-out (issue 14, docs/DEPLOY.md) ---------------------------------------------------
# Web processes keep no state of their own, so any number of them can serve behind one proxy:
# sessions in the database, the cache in PostgreSQL (one table, `manage.py createcachetable`,
# run by docker/entrypoint.sh and `make migrate`): anything cached and cleared on a write is
# cleared for every process. Prepared downloads and imports are stored in the database, static
# files come from the image (WhiteNoise), background work from the shared queue.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
        "TIMEOUT": env_int("CACHE_TIMEOUT", 300),
    }
}
# /health/ (config/health.py) answers over plain http too: the container's probe has no TLS.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# A ready task older than this (seconds) means no worker drains the queue: the worker's health
# check fails.
HEALTH_QUEUE_MAX_AGE = env_int("HEALTH_QUEUE_MAX_AGE", 900)
# --- end of scale-out -----------------------------------------------------------------------

# Bootstrap 5 with the table in its own scrolling container (templates/django_tables2/).
DJANGO_TABLES2_TEMPLATE = "django_tables2/desk.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# LOG_FORMAT=json: one JSON object per line (config/jsonlog.py), for log collectors.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"}
        | ({"formatter": "json"} if LOG_FORMAT == "json" else {})
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Placement rules (defaults; shown on the "Regels" page) ---------------------------------
# Weeks after the link date (koppeldatum) by which a household should be housed, and the
# weeks at which the pool warns. Source: COA practice, 10 weeks + 2 weeks to move.
PLACEMENT_DEADLINE_WEEKS = env_int("PLACEMENT_DEADLINE_WEEKS", 10)
# Weeks since the link date at which the pool warns; the first comes before the deadline.
PLACEMENT_WARNING_WEEKS = tuple(int(w) for w in env_list("PLACEMENT_WARNING_WEEKS", "8,10,12,14"))
# A vacancy counts as "near its return deadline" this many days ahead.
VACANCY_RETURN_WARNING_DAYS = env_int("VACANCY_RETURN_WARNING_DAYS", 14)
# Exports of more rows than this are made in the background (downloads app), not at once.
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 2000)
# Agenda and decision-list PDFs of meetings of more items than this are made in the background
# (downloads app). With fixed table layouts WeasyPrint needs about 6 ms per agenda item and 5 ms
# per decision-list item here (national bench: 389 items 2.4 s, 393 items 1.9 s), so a big
# monthly meeting (136 items: 1.3 s at most) still prints at once; larger ones would keep a web
# process busy for seconds.
AGENDA_PDF_INLINE_MAX_ITEMS = env_int("AGENDA_PDF_INLINE_MAX_ITEMS", 150)

# Matching (placement/matching.py). A dwelling fits at most this many persons per bedroom
# (expected family members included); the weights set how much each score part can add.
MATCHING_PERSONS_PER_BEDROOM = env_int("MATCHING_PERSONS_PER_BEDROOM", 2)
MATCHING_WEIGHT_WAITING = env_int("MATCHING_WEIGHT_WAITING", 40)
MATCHING_WEIGHT_URGENCY = env_int("MATCHING_WEIGHT_URGENCY", 30)
MATCHING_WEIGHT_SIZE_FIT = env_int("MATCHING_WEIGHT_SIZE_FIT", 30)
MATCHING_WEIGHT_LOCATION = env_int("MATCHING_WEIGHT_LOCATION", 10)
# Weeks of waiting at which the waiting part reaches its maximum.
MATCHING_WAITING_FULL_WEEKS = env_int("MATCHING_WAITING_FULL_WEEKS", 20)

# --- Change history and retention (part "audit" of issue 9) ---------------------------------
# Personal data of a household stays this many months after it was closed (housed, own home,
# withdrawn, refused); then `manage.py purge_personal_data --apply` anonymises it.
RETENTION_PERSONAL_DATA_MONTHS = env_int("RETENTION_PERSONAL_DATA_MONTHS", 24)
# How long the change history of anonymised records and the read-access log stay.
RETENTION_LOG_MONTHS = env_int("RETENTION_LOG_MONTHS", 24)
# Shown on the privacy page: whom data subjects and staff contact about personal data.
PRIVACY_CONTACT_NAME = env_str("PRIVACY_CONTACT_NAME", "Functionaris gegevensbescherming")
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privacy@example.org")
# --- end of change history and retention ----------------------------------------------------

# --- Accounts, login and sessions (part "acct" of issue 9) ----------------------------------
# Two-step login (accounts/mfa.py): coordinators, finance and staff must use it when on.
# `make run` (the demo) turns it off and the login page says so.
REQUIRE_MFA = env_bool("REQUIRE_MFA", True)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Plaatsingsdesk")
# Lockout (django-axes): after this many failed logins (or wrong codes) per username OR per IP
# address, no login for the cool-off time, even with the right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# The client address comes from REMOTE_ADDR, or behind our TLS proxy from the right-most
# X-Forwarded-For entries our own proxies wrote (accounts/ip.py).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
AXES_CLIENT_IP_CALLABLE = "accounts.ip.client_ip"
# Sessions: ended after this many idle minutes, and at the latest this many hours after login
# (accounts/middleware.py); the cookie lives no longer than the absolute limit.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
# Password reset e-mail, through Django 6.1's MAILERS (the EMAIL_* settings are deprecated;
# the environment variables keep their usual names). In debug the console backend prints it.
_MAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
# COA list import (exchange app, docs/IMPORT.md): a larger file or more data rows are refused;
# above IMPORT_BACKGROUND_ROWS rows the analysis and the confirm run as background tasks.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000)
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 500)
# Background work (imports, e-mail, large exports, PDF batches) through Django's Tasks framework.
# The database backend queues in PostgreSQL: any number of `manage.py db_worker` processes on
# any number of machines share it. Tests run tasks immediately (config/settings_test.py).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "plaatsingsdesk@localhost")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3600)
LOGGING["loggers"]["accounts.security"] = {"level": "INFO"}
# django-axes reports every login at INFO; its failures and lockouts are WARNING.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}
# --- end of accounts, login and sessions ----------------------------------------------------

# --- Notices (notices/rules.py; shown on the notices page) ----------------------------------
# Links in e-mails point here (no request to take the host from when send_notices runs).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Coordinators hear of a vacancy without a nomination this many days before its return deadline.
NOTICE_VACANCY_DAYS = env_int("NOTICE_VACANCY_DAYS", 7)
# Coordinators hear of a nomination without an outcome after each of these days.
NOTICE_STALLED_DAYS = tuple(int(d) for d in env_list("NOTICE_STALLED_DAYS", "7,14"))
# The agenda goes to the table automatically this many days before the meeting, if not sent.
NOTICE_AGENDA_DAYS = env_int("NOTICE_AGENDA_DAYS", 7)
# --- end of notices -------------------------------------------------------------------------
