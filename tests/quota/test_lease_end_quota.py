"""What the quota counts of a lease that falls through and of a household that leaves.

Worked by hand, Dordrecht, counted on the lease start for the dwelling's municipality (the
default), on Friday 15 May 2026 (in 2026-I):

    placement                                   lease start   counts in    persons
    A  housed, 4 persons                        1 Feb 2026    2026-I       4
    C  2 persons, a child joined 1 Dec 2025,    1 Oct 2025    2025-II      2 + 1 = 3
       moved out 1 Feb 2026; a second child
       arrived 1 Mar 2026, after they left                    -            0
    B  3 persons, lease signed 1 Dec 2025,      15 Dec 2025   2025-II      3, until dissolved
       dissolved 10 Jan 2026                                               (then never)
    D  5 persons, lease signed 1 May 2026,      1 Jul 2026    pipeline     5, until dissolved
       dissolved 10 May 2026                                               (then nowhere)

                          before B and D are dissolved      after
    2025-II net target 6    realised 3 + 3 = 6, closing 0     realised 3, closing -3
    2026-I  net target 10   opening 0, adjusted 10,           opening -3, adjusted 13,
                            realised 4, remaining 6,          realised 4, remaining 9,
                            closing -6, lease signed 5        closing -9, lease signed 0
"""

from __future__ import annotations

import pytest

from placement.models import Household, Nomination, Person
from placement.nominating import nomination_dissolve_lease
from quota.ledger import build_ledger
from quota.models import CountingDate, QuotaRule

from .quota_builders import d, period, placement, target

TODAY = d("2026-05-15")


@pytest.fixture
def example(world):
    p1, p2 = period(2025, 2), period(2026, 1)
    target(p1, world.dordrecht, 6)
    target(p2, world.dordrecht, 10)
    dordrecht = world.dordrecht
    a = placement(dwelling=dordrecht, persons=4, lease_start="2026-02-01", move_in="2026-02-01")
    c = placement(
        dwelling=dordrecht,
        persons=2,
        lease_start="2025-10-01",
        move_in="2025-10-03",
        joined=["2025-12-01", "2026-03-01"],
    )
    Nomination.objects.filter(pk=c.pk).update(status="moved_out", moved_out_on=d("2026-02-01"))
    Household.objects.filter(pk=c.household_id).update(status="left")
    b = placement(
        dwelling=dordrecht,
        persons=3,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on="2025-12-01",
        lease_start="2025-12-15",
    )
    dd = placement(
        dwelling=dordrecht,
        persons=5,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on="2026-05-01",
        lease_start="2026-07-01",
    )
    return {"periods": (p1, p2), "a": a, "b": b, "c": c, "d": dd}


def figures(world, example):
    ledger = build_ledger(region=world.drecht, today=TODAY)
    p1, p2 = example["periods"]
    first = ledger.positions[(world.dordrecht.pk, p1.pk)]
    second = ledger.positions[(world.dordrecht.pk, p2.pk)]
    return {
        "2025-II": (first.realised, first.closing_balance),
        "2026-I": (
            second.opening_balance,
            second.adjusted_target,
            second.realised,
            second.remaining,
            second.closing_balance,
            second.pipeline_lease_signed,
        ),
    }


def dissolve(nomination: Nomination, on: str) -> None:
    nomination_dissolve_lease(
        nomination=nomination,
        reason=Nomination.DissolutionReason.HOUSEHOLD_WITHDREW,
        dissolved_on=d(on),
        vacancy_to="withdrawn",
        today=TODAY,
    )


def test_before_the_leases_fall_through_they_count(world, example):
    assert figures(world, example) == {
        "2025-II": (6, 0),
        "2026-I": (0, 10, 4, 6, -6, 5),
    }


def test_a_dissolved_lease_never_counts_and_leaves_the_pipeline(world, example):
    dissolve(example["b"], "2026-01-10")
    dissolve(example["d"], "2026-05-10")

    assert figures(world, example) == {
        "2025-II": (3, -3),
        "2026-I": (-3, 13, 4, 9, -9, 0),
    }
    ledger = build_ledger(region=world.drecht, today=TODAY)
    counted = {e.nomination_id for p in ledger.positions.values() for e in p.events}
    assert counted == {example["a"].pk, example["c"].pk}
    assert [e.nomination_id for e in ledger.pipeline] == []


def test_a_household_that_left_stays_counted_in_its_period(world, example):
    ledger = build_ledger(region=world.drecht, today=TODAY)
    p1, p2 = example["periods"]
    left = [
        (e.day, e.persons, e.joined_later)
        for e in ledger.positions[(world.dordrecht.pk, p1.pk)].events
        if e.nomination_id == example["c"].pk
    ]
    assert left == [(d("2025-10-01"), 2, False), (d("2025-12-01"), 1, True)]
    # The child who arrived after the family left does not count for that placement.
    later = ledger.positions[(world.dordrecht.pk, p2.pk)].events
    assert [e.nomination_id for e in later] == [example["a"].pk]


def test_a_household_that_left_before_its_counting_day_never_counts(world):
    period(2026, 1)
    rule = QuotaRule.for_region(world.drecht)
    rule.counting_date = CountingDate.REPORTED_TO_COA
    rule.save()
    n = placement(
        dwelling=world.dordrecht, persons=2, lease_start="2026-02-01", move_in="2026-02-01"
    )
    Nomination.objects.filter(pk=n.pk).update(status="moved_out", moved_out_on=d("2026-03-01"))

    ledger = build_ledger(region=world.drecht, today=TODAY)

    assert sum(p.realised for p in ledger.positions.values()) == 0
    assert ledger.pipeline == []
    assert Person.objects.filter(household=n.household).count() == 2
