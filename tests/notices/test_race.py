"""Two ``send_notices`` at the same moment (two cron hosts, a retry): every notice once, every
e-mail once. PostgreSQL only, like the other race tests."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from notices import rules
from notices.models import Kind, Notice
from notices.services import run_daily
from tests.placement.placement_builders import household

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

LINKED = datetime.date(2026, 1, 5)


def test_two_runs_at_once_give_each_notice_once(world, monkeypatch, mailoutbox):
    for user in (world.coordinator,):
        user.email = "carla@example.org"
        user.save()
    for _ in range(5):
        household(world, link_date=LINKED)
    # Both runs finish their checks before either creates a notice: they truly overlap.
    barrier = threading.Barrier(2)
    checks = rules.due_today

    def overlapping(today):
        found = list(checks(today))
        barrier.wait(timeout=10)
        return found

    monkeypatch.setattr(rules, "due_today", overlapping)
    results: list[object] = [None, None]

    def run(index):
        try:
            results[index] = run_daily(today=LINKED + datetime.timedelta(weeks=8))
        except Exception as exc:  # reported to the main thread
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(isinstance(r, Exception) for r in results), results
    assert sum(r[Kind.HOUSEHOLD_WAITING] for r in results) == 5
    assert Notice.objects.filter(kind=Kind.HOUSEHOLD_WAITING).count() == 5
    assert len(mailoutbox) == 5
    assert Notice.objects.filter(emailed_at__isnull=True).count() == 0


def test_the_database_refuses_a_second_notice_for_the_same_key(world):
    family = household(world)
    values = {
        "recipient": world.coordinator,
        "kind": Kind.HOUSEHOLD_WAITING,
        "subject_key": f"household:{family.pk}",
        "threshold": 8,
        "household": family,
    }
    Notice.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(**values)
