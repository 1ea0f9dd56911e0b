"""Background work: tasks queued in PostgreSQL are run by `manage.py db_worker` processes.

Two real worker processes drain one queue together: every task runs exactly once, and both
workers take a share — what lets production run any number of workers on any number of
machines (README, "Background work").
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.worker_tasks import note_the_worker

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the queue test needs PostgreSQL"),
]


def database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


def start_worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--backend",
            "database",
            "--batch",
            "--no-reload",
            "--interval",
            "0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_workers_share_one_queue_and_run_each_task_once():
    results = [note_the_worker.using(backend="database").enqueue(n) for n in range(30)]
    assert DBTaskResult.objects.filter(status="READY").count() == 30

    workers = [start_worker(), start_worker()]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs

    rows = DBTaskResult.objects.filter(id__in=[r.id for r in results])
    assert sorted(rows.order_by().values_list("status", flat=True).distinct()) == ["SUCCESSFUL"]
    numbers = sorted(row.return_value["number"] for row in rows)
    assert numbers == list(range(30)), "every task ran, none twice"
    assert all(len(row.worker_ids) == 1 for row in rows), "each task was claimed once"
    pids = {row.return_value["pid"] for row in rows}
    assert pids <= {w.pid for w in workers}
    assert len(pids) == 2, "both workers took tasks from the shared queue"
