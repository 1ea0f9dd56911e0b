"""Two coordinators nominate at the same moment: the database and the row locks decide.

Carla and a colleague both click "nominate" in the same second. Whatever the timing, a place of
a vacancy and a household end up in at most one active nomination, and the one who lost the race
gets a clear refusal instead of an error page.

PostgreSQL only: SQLite has no row locks (``select_for_update`` is a no-op there). Run with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/race_helper``.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from placement import matching
from placement.models import Household, Nomination, Vacancy
from placement.nominating import NominationRefused, nomination_create

from .placement_builders import accepted_vacancy, household, stored

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]

HOLD_SECONDS = 0.3


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def slow_matching(monkeypatch):
    """Hold each nomination inside its transaction for a moment after taking the locks, so the
    two requests truly overlap instead of one finishing before the other starts."""
    explain = matching.explain

    def slow_explain(*args, **kwargs):
        time.sleep(HOLD_SECONDS)
        return explain(*args, **kwargs)

    monkeypatch.setattr(matching, "explain", slow_explain)


def at_the_same_moment(*calls) -> list[object]:
    """Run each call in its own thread (own DB connection), released together by a barrier.
    Returns what each call returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # the outcome under test, reported to the main thread
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a nomination hung (deadlock?)"
    return results


def split(results):
    won = [r for r in results if isinstance(r, Nomination)]
    lost = [r for r in results if isinstance(r, NominationRefused)]
    assert len(won) + len(lost) == len(results), f"unexpected outcome: {results!r}"
    return won, lost


def test_two_households_for_the_last_place_one_wins(world, slow_matching):
    vacancy = accepted_vacancy(world, street="Singel 250")
    first, second = household(world, persons=2), household(world, persons=2)

    results = at_the_same_moment(
        lambda: nomination_create(vacancy=vacancy, household=first, by=world.coordinator),
        lambda: nomination_create(vacancy=vacancy, household=second, by=world.coordinator),
    )

    won, lost = split(results)
    assert len(won) == 1 and len(lost) == 1
    assert Nomination.objects.filter(vacancy=vacancy, status__in=Nomination.HOLDING).count() == 1
    # The loser waited for the lock and was refused by the re-check, not by the constraint.
    assert str(lost[0]) == "Voor elke plaats in deze woning is al een voordracht."
    assert stored(vacancy).status == Vacancy.Status.NOMINATED
    winner = won[0].household
    loser = second if winner == first else first
    assert stored(winner).status == Household.Status.NOMINATED
    assert stored(loser).status == Household.Status.SEARCHING  # nothing written for the loser


def test_one_household_for_two_vacancies_one_wins(world, slow_matching):
    family = household(world, persons=2)
    singel, voorstraat = (
        accepted_vacancy(world, street="Singel 250"),
        accepted_vacancy(world, street="Voorstraat 12"),
    )

    results = at_the_same_moment(
        lambda: nomination_create(vacancy=singel, household=family, by=world.coordinator),
        lambda: nomination_create(vacancy=voorstraat, household=family, by=world.coordinator),
    )

    won, lost = split(results)
    assert len(won) == 1 and len(lost) == 1
    assert Nomination.objects.filter(household=family, status__in=Nomination.HOLDING).count() == 1
    assert str(lost[0]) == f"Voor huishouden {family.reference} loopt al een voordracht."
    assert stored(family).status == Household.Status.NOMINATED
    losing_vacancy = voorstraat if won[0].vacancy == singel else singel
    assert stored(losing_vacancy).status == Vacancy.Status.ACCEPTED


def test_without_the_delay_the_outcome_is_the_same(world):
    # The plain race, as it happens in production: no help with the timing.
    vacancy = accepted_vacancy(world)
    households = [household(world) for _ in range(4)]

    results = at_the_same_moment(
        *[
            (lambda h=h: nomination_create(vacancy=vacancy, household=h, by=world.coordinator))
            for h in households
        ]
    )

    won, lost = split(results)
    assert len(won) == 1 and len(lost) == 3
    assert Nomination.objects.filter(vacancy=vacancy, status__in=Nomination.HOLDING).count() == 1


def test_three_singles_racing_for_two_shared_places_two_win(world, slow_matching):
    vacancy = accepted_vacancy(
        world, dwelling_type="shared", places=2, rooms=3, bedrooms=2, base_rent="420.00"
    )
    singles = [household(world) for _ in range(3)]

    results = at_the_same_moment(
        *[
            (lambda h=h: nomination_create(vacancy=vacancy, household=h, by=world.coordinator))
            for h in singles
        ]
    )

    won, lost = split(results)
    assert len(won) == 2 and len(lost) == 1
    assert sorted(n.place for n in won) == [1, 2]
    assert stored(vacancy).status == Vacancy.Status.NOMINATED
