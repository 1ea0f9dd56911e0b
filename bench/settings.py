"""Settings for the bench server: the production settings plus two bench-only additions.

``BENCH_QUERY_COUNT=1`` adds ``bench.middleware.QueryCountMiddleware`` (an ``X-Query-Count``
and ``X-Server-Ms`` header on every response); the URLs add a bare view (``bench_bare``) that
passes the same middleware as every page and does nothing else. Everything else — DEBUG, the
database, the connection settings — comes from config.settings and the environment the bench
runner sets (DEBUG=0, REQUIRE_MFA=0, a loopback server without TLS).
"""

import os

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Collected by the bench runner (again only when a static file changed), away from the deploy's
# own staticfiles/. BENCH_PLAIN_STATIC=1 (the smoke test) skips the compression, which takes
# half a minute; the pages, not the static files, are what the bench measures.
if os.environ.get("BENCH_PLAIN_STATIC") == "1":
    STATIC_ROOT = BASE_DIR / "var" / "bench" / "static-plain"
    STORAGES = {
        **STORAGES,  # noqa: F405
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
else:
    STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"

if os.environ.get("BENCH_QUERY_COUNT") == "1":
    MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
