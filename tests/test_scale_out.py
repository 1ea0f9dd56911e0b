"""Scale-out: web processes keep no state of their own, workers share the PostgreSQL queue.

Two real gunicorn processes (production settings, DEBUG=0, the gthread worker of
gunicorn.conf.py; one with psycopg's pool, one with persistent connections) and one
``db_worker`` run against the test database. A user logs in on web A and goes on with the same
session cookie on web B; an export too large for the request is queued through B, run by the
worker and downloaded from A; ``/health/`` answers on both. Also the connection settings
that production picks from the environment (docs/DEPLOY.md).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

from downloads.models import PreparedDownload
from tests.placement.placement_builders import household

ROOT = Path(__file__).resolve().parent.parent
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="scale-out runs against PostgreSQL"
)


# --- Connection settings per environment ---------------------------------------------------


def settings_under(**env: str) -> dict:
    """The default database settings that config/settings.py makes from ``env``."""
    code = (
        "import json; from config import settings as s; d = s.DATABASES['default']; "
        "print(json.dumps({k: d.get(k) for k in ('ENGINE', 'CONN_MAX_AGE', "
        "'CONN_HEALTH_CHECKS', 'OPTIONS')}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "CONN_", "WEB_"))}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {**json.loads(done.stdout), "OPTIONS": json.loads(done.stdout)["OPTIONS"] or {}}


def test_postgresql_keeps_connections_for_a_minute_and_checks_them_before_reuse():
    got = settings_under()
    assert (got["CONN_MAX_AGE"], got["CONN_HEALTH_CHECKS"]) == (60, True)
    assert "pool" not in got["OPTIONS"]
    assert settings_under(CONN_MAX_AGE="5")["CONN_MAX_AGE"] == 5


def test_db_pool_turns_on_psycopgs_pool_sized_by_the_threads():
    got = settings_under(DB_POOL="1", WEB_THREADS="6")
    # Django refuses a pool with persistent connections: CONN_MAX_AGE must be 0.
    assert got["CONN_MAX_AGE"] == 0
    assert got["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 6, "timeout": 10}


def test_sqlite_gets_neither_pool_nor_kept_connections():
    got = settings_under(DB_POOL="1", DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert got["ENGINE"] == "django.db.backends.sqlite3"
    assert got["CONN_MAX_AGE"] == 0
    assert "pool" not in got["OPTIONS"]


# --- Two web processes and a worker --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    user, port = s.get("USER") or "postgres", s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """The hashed static files DEBUG=0 serves (the image collects them at build time)."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": "build-only", "STATIC_ROOT": str(root)},
        check=True,
        timeout=300,
    )
    return root


class Web:
    def __init__(self, port: int, process: subprocess.Popen):
        self.port, self.process = port, process

    def request(self, method: str, path: str, *, cookies: dict | None = None, body: str = ""):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


def set_cookies(headers) -> dict[str, str]:
    found = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, _, rest = line.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


@pytest.fixture
def stack(db, static_root, tmp_path):
    """Web A (psycopg pool), web B (persistent connections) and one worker; always stopped."""
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "SECRET_KEY": "scale-out-test-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND_HOST": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
        "LOG_FORMAT": "json",
        # Every export goes to the queue.
        "EXPORT_INLINE_MAX_ROWS": "0",
    }
    base.pop("TASKS_BACKEND", None)
    processes: list[subprocess.Popen] = []
    webs = []

    def start(args, env) -> subprocess.Popen:
        log = (tmp_path / f"process-{len(processes)}.log").open("w")
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=log)
        process.log = log.name
        processes.append(process)
        return process

    try:
        for extra in ({"DB_POOL": "1"}, {"CONN_MAX_AGE": "60"}):
            port = free_port()
            gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
            webs.append(Web(port, start(gunicorn, {**base, **extra, "PORT": str(port)})))
        worker = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"]
        start(worker, base)
        deadline = time.monotonic() + 60
        for web in webs:
            while True:
                if web.process.poll() is not None:
                    pytest.fail(f"a web process stopped:\n{Path(web.process.log).read_text()}")
                try:
                    if web.request("GET", "/health/")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "a web process did not come up in 60 s"
                time.sleep(0.2)
        yield webs
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_session_from_web_a_works_on_web_b_and_the_worker_runs_what_b_queued(world, stack):
    web_a, web_b = stack
    household(world, persons=2)
    # The suite hashes with MD5 for speed (tests/conftest.py); the servers know the real hasher.
    hashed = PBKDF2PasswordHasher().encode("demo", get_random_string(22), iterations=1000)
    type(world.officer).objects.filter(pk=world.officer.pk).update(password=hashed)

    status, headers, body = web_a.request("GET", "/accounts/login/")
    assert status == 200
    csrf = set_cookies(headers)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    status, headers, _ = web_a.request(
        "POST",
        "/accounts/login/",
        cookies={"csrftoken": csrf},
        body=f"csrfmiddlewaretoken={token}&username=gert&password=demo",
    )
    assert status == 302, "Gert is logged in on web A"
    session = {"sessionid": set_cookies(headers)["sessionid"]}

    # Web B knows nothing of the login but what is in the database.
    assert web_b.request("GET", "/")[0] == 302, "without the cookie: to the login page"
    status, _, body = web_b.request("GET", "/", cookies=session)
    assert status == 200
    assert b'id="main"' in body or b"<main" in body

    # Queued through web B...
    status, headers, _ = web_b.request(
        "GET", "/uitwisseling/export/huishoudens/?format=csv", cookies=session
    )
    assert status == 302
    download_path = headers["Location"]
    download = PreparedDownload.objects.get(pk=int(re.search(r"/(\d+)/$", download_path)[1]))
    assert download.owner == world.officer

    # ...run by the worker, downloaded from web A.
    deadline = time.monotonic() + 60
    while True:
        status, headers, body = web_a.request("GET", f"{download_path}bestand/", cookies=session)
        if status == 200:
            break
        assert status == 302, status
        assert time.monotonic() < deadline, "the worker did not prepare the export in 60 s"
        time.sleep(0.3)
    assert headers["Content-Type"].startswith("text/csv")
    assert len(body.decode("utf-8-sig").strip().splitlines()) == 2, "header and one household"
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert len(task.worker_ids) == 1

    for web in stack:
        status, _, body = web.request("GET", "/health/")
        assert status == 200
        result = json.loads(body)
        assert result["status"] == "ok"
        assert result["queue"]["ready"] == 0
