"""5,000 rows through the background path, and two confirms at once (PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from exchange import coa
from exchange.models import ImportBatch
from placement.models import Household, Person
from tests.exchange.import_builders import (
    big_file,
    confirm,
    csv_file,
    person_row,
    upload_batch,
)


@pytest.mark.django_db
def test_five_thousand_rows_run_as_tasks_and_progress_reaches_the_total(
    world, client_for, monkeypatch
):
    from exchange import tasks

    enqueued = []
    for name in ("analyse_import", "apply_import"):
        original = getattr(tasks, name)

        class Spy:
            def __init__(self, task, name=name):
                self.task, self.name = task, name

            def enqueue(self, *args):
                enqueued.append(self.name)
                return self.task.enqueue(*args)

        monkeypatch.setattr(tasks, name, Spy(original))
    client = client_for(world.coordinator)
    started = time.monotonic()
    batch = upload_batch(client, big_file(5000))
    analysed = time.monotonic() - started
    assert enqueued == ["analyse_import"]
    assert (batch.status, batch.progress_done, batch.progress_total) == ("ready", 5000, 5000)
    assert batch.preview["counts"] == {"new": 2000}
    page = client.get(reverse("import_preview", args=[batch.pk])).content.decode()
    assert "And 1.800 more" in page or "1.800" in page  # 200 shown, the rest counted
    started = time.monotonic()
    confirm(client, batch)
    applied = time.monotonic() - started
    assert enqueued == ["analyse_import", "apply_import"]
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.progress_done == 5000
    assert Household.objects.count() == 2000 and Person.objects.count() == 5000
    print(f"5,000 rows: analysed in {analysed:.1f} s, imported in {applied:.1f} s")
    assert analysed < 60 and applied < 60


@pytest.mark.django_db
def test_the_progress_part_polls_while_busy_and_refreshes_when_done(world, client_for):
    client = client_for(world.coordinator)
    batch = upload_batch(client, csv_file([person_row("4900000001")]))
    ImportBatch.objects.filter(pk=batch.pk).update(status="analysing", progress_done=0)
    part = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"})
    assert b"<progress" in part.content and b"every 1s" in part.content
    assert b'id="import-refresh"' in part.content  # without JavaScript: a link
    ImportBatch.objects.filter(pk=batch.pk).update(status="ready")
    done = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_once_import_once(world, client_for):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    client = client_for(world.coordinator)
    rows = [person_row(f"{4800000000 + i}") for i in range(30)]
    batch = upload_batch(client, csv_file(rows))
    ImportBatch.objects.filter(pk=batch.pk).update(status="applying")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(coa.apply_and_report(batch_id=batch.pk, user=world.coordinator))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(r is None for r in results) == [False, True]  # one applied, one no-op
    assert Household.objects.count() == 30 and Person.objects.count() == 30
