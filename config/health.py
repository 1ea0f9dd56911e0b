"""Health of one process and what it depends on: ``/health/`` for load balancers and compose.

Answers without login, carries no personal data, and costs one or two small queries:

- ``database``: a ``SELECT 1`` over this process's connection (or pool);
- ``migrations``: every migration this code knows is applied (the migration executor's plan is
  empty). Once true it stays true for the process (a running process never gains migrations),
  so the migration graph is loaded once per process, not per probe;
- ``queue``: background tasks ready to run in the PostgreSQL queue (django-tasks-db) and the
  age in seconds of the oldest one. A queue older than ``HEALTH_QUEUE_MAX_AGE`` means no worker
  is draining it: the web stays healthy (it can serve), the worker's check
  (``python -m config.health --worker``) fails.

200 when the database is reachable and migrated, else 503; the body is JSON either way.
"""

from __future__ import annotations

import sys
import threading

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

_migrated = threading.Event()


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _migrations() -> int | None:
    """Migrations not applied yet (0 when up to date); None when they cannot be read."""
    if _migrated.is_set():
        return 0
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return None
    if pending == 0:
        _migrated.set()
    return pending


def _queue() -> dict[str, object]:
    from django.db.models import Count, Min
    from django_tasks_db.models import DBTaskResult

    try:
        row = (
            DBTaskResult.objects.ready().order_by().aggregate(n=Count("pk"), at=Min("enqueued_at"))
        )
    except DatabaseError:
        return {"ready": None, "oldest_seconds": None, "ok": False}
    oldest = (timezone.now() - row["at"]).total_seconds() if row["at"] else 0.0
    return {
        "ready": row["n"],
        "oldest_seconds": round(oldest, 1),
        "ok": oldest <= settings.HEALTH_QUEUE_MAX_AGE,
    }


def check() -> dict[str, object]:
    """The checks as a dict; ``status`` is "ok" when the web can serve (database, migrations)."""
    database = _database()
    pending = _migrations() if database else None
    queue = _queue() if database else {"ready": None, "oldest_seconds": None, "ok": False}
    ok = database and pending == 0
    return {
        "status": "ok" if ok else "fail",
        "database": database,
        "migrations_pending": pending,
        "queue": queue,
    }


@login_not_required
@require_GET
@never_cache
def health(request):
    result = check()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)


def main(argv: list[str]) -> int:
    """``python -m config.health [--worker]``: the same check without HTTP (exit 0 or 1), for
    containers that serve no HTTP (the worker). ``--worker`` also fails on a stale queue."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import json

    result = check()
    print(json.dumps(result))
    healthy = result["status"] == "ok"
    if "--worker" in argv:
        healthy = healthy and bool(result["queue"]["ok"])
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
