"""/health/ for load balancers and compose healthchecks, and JSON logs for log collectors."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from config import health
from tests.worker_tasks import note_the_worker

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_migration_check():
    health._migrated.clear()
    yield
    health._migrated.clear()


def test_anonymous_probe_gets_200_and_only_counts(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": True,
        "migrations_pending": 0,
        "queue": {"ready": 0, "oldest_seconds": 0.0, "ok": True},
    }


def test_only_get(client, db):
    assert client.post(reverse("health")).status_code == 405


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the queue is in PostgreSQL")
def test_queue_depth_and_the_age_of_the_oldest_ready_task(client, db, settings):
    settings.HEALTH_QUEUE_MAX_AGE = 600
    for n in range(3):
        note_the_worker.using(backend="database").enqueue(n)
    # One is not ready yet (to run later), one waits since 20 minutes.
    later, oldest, _ = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=later.pk).update(
        run_after=timezone.now() + datetime.timedelta(hours=1)
    )
    DBTaskResult.objects.filter(pk=oldest.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    body = client.get(reverse("health")).json()
    assert body["queue"]["ready"] == 2
    assert 1200 <= body["queue"]["oldest_seconds"] < 1260
    assert body["queue"]["ok"] is False
    # A stale queue is the worker's failure, not the web's: it still serves.
    assert body["status"] == "ok"


def test_a_pending_migration_answers_503(client, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations)"
        )
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["migrations_pending"] == 1


def test_once_migrated_a_probe_costs_two_queries(client, db, django_assert_num_queries):
    client.get(reverse("health"))
    with django_assert_num_queries(2):  # SELECT 1 and the queue's count
        assert client.get(reverse("health")).status_code == 200


def test_answers_over_plain_http_when_the_site_redirects_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_the_worker_check_without_http_fails_on_a_stale_queue(db, settings, capsys):
    assert health.main(["--worker"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ok"
    if connection.vendor != "postgresql":
        return
    settings.HEALTH_QUEUE_MAX_AGE = 60
    note_the_worker.using(backend="database").enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=5))
    assert health.main([]) == 0, "the web's check ignores the queue"
    assert health.main(["--worker"]) == 1


def test_log_format_json_writes_one_object_per_line():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('placement').warning('vacancy %s returned', 7, extra={'region': 'DS'});"
        "\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n    logging.getLogger('x').exception('oops')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    first, second = (json.loads(line) for line in done.stderr.strip().splitlines())
    assert first["level"] == "WARNING"
    assert first["logger"] == "placement"
    assert first["message"] == "vacancy 7 returned"
    assert first["region"] == "DS"
    assert datetime.datetime.fromisoformat(first["time"]).tzinfo is not None
    assert second["level"] == "ERROR"
    assert "ZeroDivisionError" in second["exception"]
