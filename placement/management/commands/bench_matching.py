"""Benchmark of the matching engine on a synthetic pool built in memory (no database).

The last line is machine-readable ``key=value`` pairs:
rank_ms (one vacancy against 5,000 waiting households, the 25 best explained as the page does),
rank_all_ms (the same, every suitable household explained), proposal_ms (exact proposal for 200
vacancies x 2,000 households, including evaluating every pair; with ``--places N``: dwellings
with N places in all against the whole ``--households`` pool), greedy_ms, and for the exact
proposal and the greedy one (one vacancy at a time) the three figures the proposal maximises in
this order: optimal_places / greedy_places (places filled), optimal_persons / greedy_persons
(persons housed), optimal_score / greedy_score (total score). optimal_nominations and
greedy_nominations repeat the places filled.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import statistics
import time

from django.core.management.base import BaseCommand

from placement import matching

CAPS = matching.RentCaps(
    year=2026, income_limit_single=29400, income_limit_multi=39925, cap_small=713, cap_large=764.14
)
TYPES = ["single_family", "apartment", "apartment", "senior", "shared", "flex"]
PLACES = ["Dordrecht", "Zwijndrecht", "Papendrecht", "Alblasserdam", "Hendrik-Ido-Ambacht"]


def synthetic_households(n: int, rng: random.Random, today: datetime.date):
    households = []
    for i in range(n):
        # Many singles, some large families: the real shape of the pool.
        size = rng.choices([1, 2, 3, 4, 5, 6, 8], weights=[45, 12, 12, 12, 9, 6, 4])[0]
        expected = size + (rng.random() < 0.1) * rng.randint(1, 3)
        households.append(
            matching.Candidate(
                id=i,
                reference=f"B-{i:05d}",
                size=size,
                expected_size=expected,
                link_date=today - datetime.timedelta(days=rng.randint(0, 160)),
                needs_wheelchair=rng.random() < 0.03,
                needs_ground_floor=rng.random() < 0.08,
                income_type=rng.choice(["benefit", "benefit", "benefit", "wage"]),
                annual_income=rng.choice([None, 24000.0, 31000.0, 45000.0]),
                work_study_location=rng.choice(["", "", ""] + PLACES),
            )
        )
    return households


def dwellings_with_places(places: int, rng: random.Random, today: datetime.date):
    """Synthetic dwellings until they have ``places`` places in all (the last one trimmed)."""
    dwellings, total = [], 0
    while total < places:
        dwelling = synthetic_dwellings(1, rng, today)[0]
        dwelling = dataclasses.replace(
            dwelling, id=len(dwellings), places=min(dwelling.places, places - total)
        )
        dwellings.append(dwelling)
        total += dwelling.places
    return dwellings


def synthetic_dwellings(n: int, rng: random.Random, today: datetime.date):
    dwellings = []
    for i in range(n):
        kind = rng.choice(TYPES)
        shared = kind == "shared"
        dwellings.append(
            matching.Dwelling(
                id=i,
                label=f"W-{i}",
                dwelling_type=kind,
                bedrooms=1 if shared else rng.randint(0, 4),
                rent=round(rng.uniform(420, 820), 2),
                places=rng.randint(2, 4) if shared else 1,
                wheelchair_accessible=rng.random() < 0.1,
                floor=rng.randint(0, 5),
                has_lift=rng.random() < 0.4,
                place=rng.choice(PLACES),
                municipality=rng.choice(PLACES),
                caps=CAPS,
                return_deadline=today + datetime.timedelta(days=rng.randint(3, 45)),
            )
        )
    return dwellings


class Command(BaseCommand):
    help = "Time the matching engine on a synthetic pool (prints key=value pairs last)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=5000)
        parser.add_argument("--proposal-vacancies", type=int, default=200)
        parser.add_argument("--proposal-households", type=int, default=2000)
        parser.add_argument(
            "--places",
            type=int,
            default=0,
            help="Proposal for dwellings with this many places in all against the whole "
            "--households pool (e.g. --households 15000 --places 70: a national meeting).",
        )
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--seed", type=int, default=20261127)

    def handle(self, *args, **options):
        rng = random.Random(options["seed"])
        today = datetime.date(2026, 11, 17)
        settings = matching.MatchSettings()
        pool = synthetic_households(options["households"], rng, today)
        dwelling = synthetic_dwellings(1, rng, today)[0]
        rank_times, rank_all_times = [], []
        for _ in range(options["repeat"]):
            start = time.perf_counter()
            ranked = matching.ranking(dwelling, pool, settings, today, limit=25)
            rank_times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            matching.rank(dwelling, pool, settings, today)
            rank_all_times.append((time.perf_counter() - start) * 1000)

        if options["places"]:
            households = pool
            dwellings = dwellings_with_places(options["places"], rng, today)
        else:
            households = pool[: options["proposal_households"]]
            dwellings = synthetic_dwellings(options["proposal_vacancies"], rng, today)
        proposal_times, greedy_times = [], []
        for _ in range(options["repeat"]):
            start = time.perf_counter()
            evaluation = matching.evaluate(dwellings, households, settings, today)
            optimal = matching.propose(
                dwellings, households, settings, today, evaluation=evaluation
            )
            proposal_times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            greedy = matching.greedy(dwellings, households, settings, today, evaluation=evaluation)
            greedy_times.append((time.perf_counter() - start) * 1000)
        places = sum(d.places for d in dwellings)
        self.stdout.write(
            f"rank: 1 vacancy x {len(pool)} households, {ranked.suitable} suitable; "
            f"proposal: {len(dwellings)} vacancies ({places} places) x {len(households)} "
            f"households; median of {options['repeat']} runs"
        )
        for name, proposal in (("optimal", optimal), ("one vacancy at a time", greedy)):
            self.stdout.write(
                f"{name}: {proposal.places_filled} places filled, "
                f"{proposal.persons_housed} persons housed, total score {proposal.total:.2f}"
            )
        self.stdout.write(
            f"rank_ms={statistics.median(rank_times):.1f} "
            f"rank_all_ms={statistics.median(rank_all_times):.1f} "
            f"proposal_ms={statistics.median(proposal_times):.1f} "
            f"greedy_ms={statistics.median(greedy_times):.1f} "
            f"optimal_places={optimal.places_filled} optimal_persons={optimal.persons_housed} "
            f"optimal_score={optimal.total:.2f} "
            f"greedy_places={greedy.places_filled} greedy_persons={greedy.persons_housed} "
            f"greedy_score={greedy.total:.2f} "
            f"optimal_nominations={len(optimal.lines)} greedy_nominations={len(greedy.lines)}"
        )
