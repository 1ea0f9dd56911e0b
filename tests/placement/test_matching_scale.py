"""Matching at national size: candidates as columns straight from the database rows, the hard
rules SQL can check applied in the query, explanations only for the rows shown, and the
proposal solved over the households that can matter. Each shortcut must give the same answer
as the whole-pool path it replaces."""

from __future__ import annotations

import datetime
import random
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from placement import candidates, matching
from placement.management.commands.bench_matching import (
    dwellings_with_places,
    synthetic_dwellings,
    synthetic_households,
)

from ..factories import household_with_members
from .placement_builders import accepted_vacancy, shared_vacancy, today

TODAY = datetime.date(2026, 11, 17)
SETTINGS = matching.MatchSettings()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def mixed_pool(world) -> dict[str, object]:
    """Households that each fail or pass a different SQL-checkable rule."""
    weeks = iter(range(8, 30))

    def make(sizes, expected=0, **kwargs):
        return household_with_members(
            municipality=world.zwijndrecht,
            sizes=sizes,
            expected=expected,
            status="searching",
            link_date=today() - datetime.timedelta(weeks=next(weeks)),
            **kwargs,
        )

    return {
        "single": make(("main",)),
        "couple": make(("main", "partner")),
        "family": make(("main", "partner", "child")),
        "couple_expecting": make(("main", "partner"), expected=1),  # expected size 3
        "single_wheelchair": make(("main",), needs_wheelchair_access=True),
        "single_ground": make(("main",), needs_ground_floor=True),
        "large": make(("main", "partner", "child", "child", "child")),
    }


def names(pool: dict, ids) -> set[str]:
    by_id = {h.pk: name for name, h in pool.items()}
    return {by_id[i] for i in ids}


def test_the_sql_prefilter_keeps_the_households_that_pass_the_sql_rules(world):
    """Worked by hand: a one-bedroom flat on floor 3 without a lift fits at most 2 persons
    and nobody who needs a wheelchair or a ground floor: the single and the couple. A shared
    dwelling on the ground floor takes singles (expected size 1) without a wheelchair: the
    single and the single who needs a ground floor. Both together: the union of the two."""
    pool = mixed_pool(world)
    flat = matching.Dwelling(
        id=1, label="flat", dwelling_type="apartment", bedrooms=1, rent=500, floor=3
    )
    room = matching.Dwelling(id=2, label="room", dwelling_type="shared", bedrooms=1, rent=400)
    region = world.drecht.pk

    def kept(dwellings):
        return names(pool, candidates.candidates_for(region, dwellings, SETTINGS).columns.id)

    assert kept([flat]) == {"single", "couple"}
    assert kept([room]) == {"single", "single_ground"}
    assert kept([flat, room]) == {"single", "couple", "single_ground"}
    assert kept([]) == set()


def test_ranking_from_rows_equals_ranking_the_whole_pool(world):
    """For each kind of dwelling the page ranks exactly as the whole pool as model rows would:
    the same households in the same order, the same number suitable."""
    pool = mixed_pool(world)
    vacancies = [
        accepted_vacancy(world, bedrooms=1, rooms=2, floor=3, has_lift=False),
        accepted_vacancy(world, bedrooms=3, rooms=4, floor=0, wheelchair_accessible=True),
        shared_vacancy(world, places=2),
    ]
    caps = candidates.rent_caps()
    whole = candidates.to_candidates(candidates.nominatable_households(world.drecht.pk))
    assert len(whole) == len(pool)
    for vacancy in vacancies:
        dwelling = candidates.to_dwelling(vacancy, caps)
        expected = matching.rank(dwelling, whole, SETTINGS, TODAY)
        rows = candidates.candidates_for(world.drecht.pk, [dwelling], SETTINGS)
        ranked = matching.ranking(dwelling, rows, SETTINGS, TODAY, limit=25)
        assert ranked.suitable == len(expected)
        assert [e.household for e in ranked.rows] == [e.household for e in expected]
        assert [e.total for e in ranked.rows] == [e.total for e in expected]


def test_candidates_from_rows_equal_candidates_from_model_rows(world):
    mixed_pool(world)
    from_models = {
        c.id: c
        for c in candidates.to_candidates(candidates.nominatable_households(world.drecht.pk))
    }
    everything = [
        matching.Dwelling(id=1, label="big", dwelling_type="apartment", bedrooms=4, rent=500),
        matching.Dwelling(
            id=2,
            label="accessible",
            dwelling_type="apartment",
            bedrooms=4,
            rent=500,
            wheelchair_accessible=True,
        ),
    ]
    pool = candidates.candidates_for(world.drecht.pk, everything, SETTINGS)
    assert {c.id: c for c in pool} == from_models


def test_only_the_rows_shown_are_explained(monkeypatch):
    rng = random.Random(7)
    households = synthetic_households(400, rng, TODAY)
    dwelling = matching.Dwelling(
        id=1,
        label="big",
        dwelling_type="apartment",
        bedrooms=4,
        rent=500,
        wheelchair_accessible=True,
    )
    calls = []
    real = matching.explain_pair
    monkeypatch.setattr(
        matching, "explain_pair", lambda ev, d, h: calls.append(h) or real(ev, d, h)
    )
    ranked = matching.ranking(dwelling, households, SETTINGS, TODAY, limit=25)
    assert len(calls) == 25
    calls.clear()
    everything = matching.rank(dwelling, households, SETTINGS, TODAY)
    assert len(calls) == ranked.suitable == len(everything) > 300
    assert ranked.rows == everything[:25]


def test_a_pool_makes_candidates_only_for_rows_looked_at(world):
    mixed_pool(world)
    dwelling = matching.Dwelling(
        id=1,
        label="big",
        dwelling_type="apartment",
        bedrooms=4,
        rent=500,
        wheelchair_accessible=True,
    )
    pool = candidates.candidates_for(world.drecht.pk, [dwelling], SETTINGS)
    assert len(pool) == 7
    matching.ranking(dwelling, pool, SETTINGS, TODAY, limit=2)
    assert len(pool._made) == 2


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_proposal_over_its_contenders_is_as_good_as_over_every_household(seed, monkeypatch):
    """The solve only sees each place's P best households (P places); the optimum stays the
    same (places, then persons, then score) as solving over every suitable household."""
    rng = random.Random(seed)
    households = synthetic_households(600, rng, TODAY)
    dwellings = dwellings_with_places(12, rng, TODAY)
    ev = matching.evaluate(dwellings, households, SETTINGS, TODAY)
    pruned = matching.propose(dwellings, households, SETTINGS, TODAY, evaluation=ev)
    monkeypatch.setattr(
        matching, "_contenders", lambda ev, rows, hs: np.flatnonzero(ev.feasible[rows].any(axis=0))
    )
    full = matching.propose(dwellings, households, SETTINGS, TODAY, evaluation=ev)
    assert pruned.objective == full.objective
    assert pruned.places_filled == 12


def test_contenders_are_a_small_part_of_a_large_pool():
    rng = random.Random(11)
    households = synthetic_households(3000, rng, TODAY)
    dwellings = synthetic_dwellings(10, rng, TODAY)
    ev = matching.evaluate(dwellings, households, SETTINGS, TODAY)
    rows = np.arange(len(dwellings))
    contenders = matching._contenders(ev, rows, households)
    assert 0 < contenders.size <= 10 * 10


def test_bench_matching_has_a_national_mode():
    out = StringIO()
    call_command("bench_matching", households=400, places=9, repeat=1, stdout=out)
    text = out.getvalue()
    assert "x 400 households" in text.splitlines()[0].split("proposal:")[1]
    figures = dict(pair.split("=", 1) for pair in text.strip().splitlines()[-1].split())
    assert int(figures["optimal_places"]) <= 9
    assert float(figures["rank_all_ms"]) >= 0
    assert "(9 places)" in text
