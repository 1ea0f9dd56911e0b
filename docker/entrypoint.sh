#!/bin/sh
# Container entrypoint: wait for the database, apply migrations, then run the given command
# (gunicorn by default; see the Dockerfile's CMD).
set -eu

cd /app
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings}"

# Wait for the database configured by DATABASE_URL, through Django's own settings: up to
# 60 tries, 2 s apart. Only connection errors are retried; a settings error (say, no
# SECRET_KEY with DEBUG=0) fails at once with its traceback.
python - <<'PY'
import sys
import time

import django
from django.db import OperationalError, connection

django.setup()
for attempt in range(1, 61):
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        print(f"entrypoint: waiting for the database ({attempt}/60): {exc}".strip(), file=sys.stderr)
        time.sleep(2)
    else:
        connection.close()
        break
else:
    sys.exit("entrypoint: database not reachable, giving up")
PY

# The web service migrates; workers (SKIP_MIGRATE=1) start after it and only wait.
# Several web replicas may start at once: a PostgreSQL advisory lock lets one migrate at a time
# (the others then find nothing to do). createcachetable makes the shared cache's table
# (CACHES in config/settings.py) if it is missing.
if [ "${SKIP_MIGRATE:-0}" != "1" ]; then
  python - <<'PY'
import django
from django.core.management import call_command
from django.db import connection

django.setup()
locked = connection.vendor == "postgresql"
if locked:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(74140001)")
try:
    call_command("migrate", interactive=False)
    call_command("createcachetable")
finally:
    if locked:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(74140001)")
PY
fi

exec "$@"
