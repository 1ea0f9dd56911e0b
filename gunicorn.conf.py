"""gunicorn settings for production (read automatically from the working directory).

gthread workers: each process serves WEB_THREADS requests at once, so a request waiting on
PostgreSQL or rendering a PDF does not hold up the others, and each thread keeps its own
database connection (CONN_MAX_AGE) or takes one from the process's pool (DB_POOL=1).
Sizing (docs/DEPLOY.md): on 2 cores, 2-3 processes x 4 threads; roughly (2 x cores) + 1
processes at most, and threads no more than the pool's DB_POOL_MAX_SIZE.
"""

import gc
import os

bind = f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# Agenda and invoice PDFs render inside the request (the large ones go to the queue).
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then, staggered, so a slow leak never builds up.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Django decides about X-Forwarded-Proto (BEHIND_TLS_PROXY); gunicorn only logs.
# Load the app and its URL configuration (every view module: WeasyPrint, SciPy, ...) once in
# the master, before forking: workers start warm (a cold first request takes seconds) and share
# that memory. No database connection is open at that point (checked in when_ready).
preload_app = os.environ.get("WEB_PRELOAD", "1") == "1"


def when_ready(server):
    if not preload_app:
        return
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    # A connection (or pool) opened here would be shared by every forked worker.
    connections.close_all()
    # Everything loaded so far lives as long as the process: out of the collector's reach, so
    # a full collection in a worker walks only what requests made (on the quota dashboard, the
    # p95 fell from 165 to 118 ms; docs/PERFORMANCE.md). It also keeps the shared pages shared:
    # the collector no longer writes to those objects after the fork.
    gc.freeze()


# No control socket (gunicorn >= 25): nothing uses it, the app user cannot write its default
# path in the image, and several servers on one host would share it.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

if os.environ.get("LOG_FORMAT") == "json":
    # gunicorn's own lines through the same JSON formatter as the app's (config/jsonlog.py).
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.jsonlog.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            },
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
