"""The quota ledger (``quota.ledger``): targets, carried balances and what remains, per
municipality and period. Every number below is worked by hand from the formulas:

    adjusted target = net target - opening balance
    closing balance = opening balance + realised - net target  (carried into the next period)

The Drechtsteden example, counted on the lease start for the dwelling's municipality (the
default), on Friday 27 November 2026 (in 2026-II):

    Dordrecht         2025-II      2026-I       2026-II      2027-I (no target row yet)
    net target          10           12            8            0
    opening balance     -5 *         -8           -5           -7         * override, with reason
    adjusted target     15           20           13            7
    realised             7           15            6            0
    remaining            8            5            7            7
    closing balance     -8           -5           -7           -7
    percent done        47           75           46            0
    months left          0            0            2            6        (Nov + Dec; Jan-Jun)
    pace per month       -            -          3.5          1.2        (7/2; 7/6 = 1.17 up)
    nominated            0            0            3            0        (pipeline: once, in the
                                                                          current period only)
  realised, placement by placement (lease start: persons present):
    2025-II  A 1 Aug: 4 · B 1 Dec: 3                                               = 7
    2026-I   B's child arrives 10 Feb: 1 · C 1 Mar: 5 · D 1 Apr: 5 · E 30 Jun: 4   = 15
    2026-II  F 1 Jul: 2 · G 1 Oct: 4 (lease signed, not moved in yet)              = 6
    pipeline H nominated: 3 persons (and 1 still expected, not counted)

    Papendrecht: only a 2026-II target of 9, nothing realised yet, a nomination of 2.
      2025-II and 2026-I count net 0 and carry 0; 2026-II: adjusted 9, remaining 9,
      2 months left -> 4.5 a month; closing -9.
    Zwijndrecht: only a 2026-II target of 5, opening overridden to +6 (surplus):
      adjusted 5 - 6 = -1, shown as 0 with a surplus of 1 carried (already met: no
      percentage), remaining 0, pace 0.0, closing +1.
    Sliedrecht does not take part in the regional quota: its placement of 10 shows nowhere.

    Region 2026-II: net 8 + 9 + 5 = 22 · opening -5 + 0 + 6 = 1 · adjusted 13 + 9 + 0 = 22 ·
    realised 6 · remaining 7 + 9 + 0 = 16 · closing -7 - 9 + 1 = -15 · nominated 3 + 2 = 5.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from placement.models import Nomination
from quota.ledger import build_ledger, current_period
from quota.models import CountingDate, QuotaPeriod, QuotaRule, QuotaTarget

from .quota_builders import d, period, placement, target

TODAY = d("2026-11-27")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def periods(db):
    return SimpleNamespace(
        p1=period(2025, 2), p2=period(2026, 1), p3=period(2026, 2), p4=period(2027, 1)
    )


@pytest.fixture
def example(world, periods):
    """The worked example of the module docstring."""
    dordrecht, papendrecht, zwijndrecht = world.dordrecht, world.papendrecht, world.zwijndrecht
    target(periods.p1, dordrecht, 10, override=-5, reason="Achterstand volgens provincie")
    target(periods.p2, dordrecht, 12)
    target(periods.p3, dordrecht, 8)
    target(periods.p3, papendrecht, 9)
    target(periods.p3, zwijndrecht, 5, override=6, reason="Voorsprong na herberekening COA")

    def housed(reference, persons, lease_start, **kwargs):
        return placement(
            reference=reference,
            dwelling=dordrecht,
            persons=persons,
            lease_start=lease_start,
            move_in=lease_start,
            **kwargs,
        )

    housed("A", 4, "2025-08-01")
    housed("B", 3, "2025-12-01", joined=["2026-02-10"])
    housed("C", 5, "2026-03-01")
    housed("D", 5, "2026-04-01")
    housed("E", 4, "2026-06-30")  # the last day of 2026-I
    housed("F", 2, "2026-07-01")  # the first day of 2026-II
    placement(  # counts for Dordrecht, where the dwelling is, on its lease start
        reference="G",
        dwelling=dordrecht,
        linked=zwijndrecht,
        persons=4,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on="2026-09-20",
        lease_start="2026-10-01",
    )
    placement(
        reference="H", dwelling=dordrecht, persons=3, status=Nomination.Status.NOMINATED, expected=1
    )
    placement(reference="J", dwelling=papendrecht, persons=2, status=Nomination.Status.VIEWING)
    placement(
        reference="S", dwelling=world.sliedrecht, persons=10, lease_start="2026-09-01",
        move_in="2026-09-01",
    )  # fmt: skip
    return world


def figures(position, today=TODAY) -> dict:
    return {
        "net": position.net_target,
        "opening": position.opening_balance,
        "adjusted": position.adjusted_target,
        "realised": position.realised,
        "remaining": position.remaining,
        "closing": position.closing_balance,
        "percent": position.percent_done,
        "months": position.months_left(today),
        "pace": position.monthly_pace(today),
        "nominated": position.pipeline_nominated,
        "lease_signed": position.pipeline_lease_signed,
    }


# --- Three periods with carry-over -----------------------------------------------------------


def test_dordrecht_carries_its_backlog_through_three_periods(example, periods):
    ledger = build_ledger(region=example.drecht, today=TODAY)
    p1, p2, p3, p4 = ledger.for_municipality(example.dordrecht)

    assert figures(p1) == {
        "net": 10, "opening": -5, "adjusted": 15, "realised": 7, "remaining": 8, "closing": -8,
        "percent": 47, "months": 0, "pace": None, "nominated": 0, "lease_signed": 0,
    }  # fmt: skip
    assert (p1.opening_overridden, p1.override_reason) == (True, "Achterstand volgens provincie")
    assert figures(p2) == {
        "net": 12, "opening": -8, "adjusted": 20, "realised": 15, "remaining": 5, "closing": -5,
        "percent": 75, "months": 0, "pace": None, "nominated": 0, "lease_signed": 0,
    }  # fmt: skip
    assert not p2.opening_overridden
    assert figures(p3) == {
        "net": 8, "opening": -5, "adjusted": 13, "realised": 6, "remaining": 7, "closing": -7,
        "percent": 46, "months": 2, "pace": 3.5, "nominated": 3, "lease_signed": 0,
    }  # fmt: skip
    assert figures(p4) == {
        "net": 0, "opening": -7, "adjusted": 7, "realised": 0, "remaining": 7, "closing": -7,
        "percent": 0, "months": 6, "pace": 1.2, "nominated": 0, "lease_signed": 0,
    }  # fmt: skip
    assert [p.has_target for p in (p1, p2, p3, p4)] == [True, True, True, False]


def test_the_realised_number_is_made_of_the_placements_that_counted_in_the_period(example):
    ledger = build_ledger(region=example.drecht, today=TODAY)
    p1, p2, p3, p4 = ledger.for_municipality(example.dordrecht)

    def made_of(position):
        return [(e.reference, e.day, e.persons, e.joined_later) for e in position.events]

    assert made_of(p1) == [("A", d("2025-08-01"), 4, False), ("B", d("2025-12-01"), 3, False)]
    assert made_of(p2) == [
        ("B", d("2026-02-10"), 1, True),  # the nareiziger counts in the period they arrive
        ("C", d("2026-03-01"), 5, False),
        ("D", d("2026-04-01"), 5, False),
        ("E", d("2026-06-30"), 4, False),
    ]
    assert made_of(p3) == [("F", d("2026-07-01"), 2, False), ("G", d("2026-10-01"), 4, False)]
    assert made_of(p4) == []


def test_a_municipality_without_target_rows_counts_net_zero_and_carries(example):
    ledger = build_ledger(region=example.drecht, today=TODAY)
    p1, p2, p3, p4 = ledger.for_municipality(example.papendrecht)

    assert [
        (p.has_target, p.net_target, p.opening_balance, p.closing_balance) for p in (p1, p2)
    ] == [
        (False, 0, 0, 0),
        (False, 0, 0, 0),
    ]
    assert figures(p3) == {
        "net": 9, "opening": 0, "adjusted": 9, "realised": 0, "remaining": 9, "closing": -9,
        "percent": 0, "months": 2, "pace": 4.5, "nominated": 2, "lease_signed": 0,
    }  # fmt: skip
    # 2027-I has no target row: net 0, the backlog of 9 carried, 6 months to make it up.
    assert figures(p4) == {
        "net": 0, "opening": -9, "adjusted": 9, "realised": 0, "remaining": 9, "closing": -9,
        "percent": 0, "months": 6, "pace": 1.5, "nominated": 0, "lease_signed": 0,
    }  # fmt: skip


def test_a_surplus_larger_than_the_target_leaves_nothing_to_do(example):
    """Zwijndrecht opens 2026-II with a surplus of 6 against a target of 5: the adjusted target
    is 0, not -1, and the 1 left over is carried (closing 6 + 0 - 5 = +1)."""
    ledger = build_ledger(region=example.drecht, today=TODAY)
    p3 = ledger.positions[(example.zwijndrecht.pk, ledger.periods[2].pk)]

    assert figures(p3) == {
        "net": 5, "opening": 6, "adjusted": 0, "realised": 0, "remaining": 0, "closing": 1,
        "percent": None, "months": 2, "pace": 0.0, "nominated": 0, "lease_signed": 0,
    }  # fmt: skip
    assert p3.surplus_carried == 1
    # 2027-I (no target row): the +1 carries on; adjusted max(0 - 1, 0) = 0, surplus 1.
    p4 = ledger.positions[(example.zwijndrecht.pk, ledger.periods[3].pk)]
    assert (p4.opening_balance, p4.adjusted_target, p4.surplus_carried) == (1, 0, 1)


def test_an_override_in_the_middle_period_breaks_the_carry(example, periods):
    # COA recalculated Dordrecht's position on 1 January 2026: a surplus of 2, whatever the
    # ledger had carried (-8).
    QuotaTarget.objects.filter(period=periods.p2, municipality=example.dordrecht).update(
        opening_override=2, override_reason="Herberekening COA 1 januari 2026"
    )

    ledger = build_ledger(region=example.drecht, today=TODAY)
    p1, p2, p3, _ = ledger.for_municipality(example.dordrecht)

    assert p1.closing_balance == -8  # unchanged, but no longer carried
    # 2026-I: opening +2, adjusted 12 - 2 = 10, realised 15 -> closing 2 + 15 - 12 = +5
    assert figures(p2) | {"overridden": p2.opening_overridden} == {
        "net": 12, "opening": 2, "adjusted": 10, "realised": 15, "remaining": 0, "closing": 5,
        "percent": 150, "months": 0, "pace": None, "nominated": 0, "lease_signed": 0,
        "overridden": True,
    }  # fmt: skip
    # 2026-II carries the +5: adjusted 8 - 5 = 3, realised 6 -> closing 5 + 6 - 8 = +3
    assert figures(p3) | {"overridden": p3.opening_overridden} == {
        "net": 8, "opening": 5, "adjusted": 3, "realised": 6, "remaining": 0, "closing": 3,
        "percent": 200, "months": 2, "pace": 0.0, "nominated": 3, "lease_signed": 0,
        "overridden": False,
    }  # fmt: skip


def test_an_override_of_zero_is_an_override(example, periods):
    QuotaTarget.objects.filter(period=periods.p2, municipality=example.dordrecht).update(
        opening_override=0, override_reason="Provincie: stand op nul gezet"
    )

    p2 = build_ledger(region=example.drecht, today=TODAY).for_municipality(example.dordrecht)[1]

    assert (p2.opening_balance, p2.opening_overridden, p2.adjusted_target) == (0, True, 12)


def test_region_totals_of_the_current_period(example, periods):
    ledger = build_ledger(region=example.drecht, today=TODAY)

    assert [m.name for m in ledger.municipalities] == ["Dordrecht", "Papendrecht", "Zwijndrecht"]
    assert ledger.totals(ledger.periods[2]) == {
        "net_target": 22,
        "opening_balance": 1,
        "adjusted_target": 22,  # 13 + 9 + 0: Zwijndrecht's surplus does not count against it
        "surplus_carried": 1,
        "realised": 6,  # Sliedrecht's 10 do not take part
        "remaining": 16,
        "closing_balance": -15,
        "pipeline_nominated": 5,
        "pipeline_lease_signed": 0,
    }
    # 2025-II: only Dordrecht had a target; the past period shows no pipeline.
    assert ledger.totals(ledger.periods[0]) == {
        "net_target": 10,
        "opening_balance": -5,
        "adjusted_target": 15,
        "surplus_carried": 0,
        "realised": 7,
        "remaining": 8,
        "closing_balance": -8,
        "pipeline_nominated": 0,
        "pipeline_lease_signed": 0,
    }


def test_the_rule_decides_what_has_counted_and_what_waits(example):
    """Counted on the move-in date, G (lease from 1 Oct, not moved in) waits in the pipeline as
    "lease signed" instead of counting in 2026-II."""
    rule = QuotaRule.for_region(example.drecht)
    rule.counting_date = CountingDate.MOVE_IN
    rule.save()

    p1, p2, p3, p4 = build_ledger(region=example.drecht, today=TODAY).for_municipality(
        example.dordrecht
    )

    # Every other placement moved in on its lease start: 2025-II and 2026-I stay as they were.
    assert [p.realised for p in (p1, p2)] == [7, 15]
    # 2026-II: realised F's 2 only; closing -5 + 2 - 8 = -11, carried into 2027-I.
    assert figures(p3) == {
        "net": 8, "opening": -5, "adjusted": 13, "realised": 2, "remaining": 11, "closing": -11,
        "percent": 15, "months": 2, "pace": 5.5, "nominated": 3, "lease_signed": 4,
    }  # fmt: skip
    assert (p4.opening_balance, p4.adjusted_target, p4.closing_balance) == (-11, 11, -11)
    # The pipeline is in the current period only, not again in 2027-I.
    assert (p4.pipeline_nominated, p4.pipeline_lease_signed) == (0, 0)


def test_a_lease_signed_in_december_that_starts_in_january_counts_in_the_new_period(world):
    first, second = period(2026, 2), period(2027, 1)
    target(first, world.dordrecht, 5)
    target(second, world.dordrecht, 5)
    placement(
        reference="NEWYEAR",
        dwelling=world.dordrecht,
        persons=3,
        lease_signed_on="2026-12-15",
        lease_start="2027-01-01",
        move_in="2027-01-04",
    )

    p1, p2 = build_ledger(region=world.drecht, today=d("2027-02-01")).for_municipality(
        world.dordrecht
    )

    # 2026-II: nothing realised, closing 0 + 0 - 5 = -5; 2027-I: adjusted 5 + 5 = 10,
    # realised 3, remaining 7, closing -5 + 3 - 5 = -7.
    assert (p1.realised, p1.closing_balance) == (0, -5)
    assert (p2.realised, p2.adjusted_target, p2.remaining, p2.closing_balance) == (3, 10, 7, -7)


def test_a_lease_that_has_not_started_yet_is_pipeline_not_realised(world):
    current = period(2026, 2)
    target(current, world.dordrecht, 10)
    placement(
        reference="DECEMBER",
        dwelling=world.dordrecht,
        persons=3,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on="2026-11-25",
        lease_start="2026-12-01",
    )

    (position,) = build_ledger(region=world.drecht, today=TODAY).for_municipality(world.dordrecht)

    # On 27 November nobody has been housed yet: 0 realised, 3 with a signed lease.
    assert (position.realised, position.pipeline_lease_signed) == (0, 3)


def test_the_pipeline_leaves_a_period_once_it_has_ended(example):
    # On 1 February 2027 2026-II is over: its pipeline figures go, 2027-I keeps them.
    ledger = build_ledger(region=example.drecht, today=d("2027-02-01"))
    _, _, p3, p4 = ledger.for_municipality(example.dordrecht)

    assert (p3.pipeline_nominated, p3.months_left(d("2027-02-01"))) == (0, 0)
    assert p4.pipeline_nominated == 3
    # 5 months left (Feb-Jun) for the 7 remaining: 1.4 a month.
    assert (p4.months_left(d("2027-02-01")), p4.monthly_pace(d("2027-02-01"))) == (5, 1.4)


# --- Pace: months left and persons per month --------------------------------------------------


@pytest.mark.parametrize(
    ("today", "months", "pace"),
    [
        # Papendrecht, 2026-II: 9 persons remaining.
        ("2026-03-15", 6, 1.5),  # before the period: all six months; 9/6
        ("2026-07-01", 6, 1.5),
        ("2026-09-10", 4, 2.3),  # Sep-Dec; 9/4 = 2.25, rounded up
        ("2026-11-27", 2, 4.5),  # Nov, Dec
        ("2026-12-31", 1, 9.0),  # the last day: the whole rest this month
        ("2027-01-01", 0, None),  # over
    ],
)
def test_months_left_and_monthly_pace(example, today, months, pace):
    ledger = build_ledger(region=example.drecht, today=TODAY)
    position = ledger.positions[(example.papendrecht.pk, ledger.periods[2].pk)]

    assert position.remaining == 9
    assert position.months_left(d(today)) == months
    assert position.monthly_pace(d(today)) == pace


def test_the_pace_is_rounded_up_to_a_tenth(example):
    # 10 remaining over 3 months is 3.33...: 3.4 a month reaches the target, 3.3 does not.
    QuotaTarget.objects.filter(municipality=example.papendrecht).update(net_target=10)
    ledger = build_ledger(region=example.drecht, today=TODAY)
    position = ledger.positions[(example.papendrecht.pk, ledger.periods[2].pk)]

    assert position.monthly_pace(d("2026-10-05")) == 3.4


def test_current_period_is_the_one_containing_today_else_the_last_past_one(periods):
    ordered = [periods.p1, periods.p2, periods.p3, periods.p4]

    assert current_period(ordered, TODAY) == periods.p3
    assert current_period(ordered, d("2026-06-30")) == periods.p2
    assert current_period(ordered, d("2030-01-01")) == periods.p4
    assert current_period(ordered, d("2020-01-01")) == periods.p1
    assert current_period([], TODAY) is None


def test_periods_run_from_january_to_june_and_july_to_december(periods):
    assert (periods.p1.start, periods.p1.end) == (d("2025-07-01"), d("2025-12-31"))
    assert (periods.p2.start, periods.p2.end) == (d("2026-01-01"), d("2026-06-30"))
    assert (str(periods.p1), periods.p1.slug) == ("2025-II", "2025-2")
    assert QuotaPeriod.key_for(d("2026-06-30")) == (2026, 1)
    assert QuotaPeriod.key_for(d("2026-07-01")) == (2026, 2)


def test_an_empty_region_has_no_positions(world):
    ledger = build_ledger(region=world.drecht, today=TODAY)

    assert (ledger.periods, ledger.positions, ledger.pipeline) == ([], {}, [])


# --- What the database refuses ----------------------------------------------------------------


def refused(**values) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaTarget.objects.create(**values)


def test_the_database_refuses_a_negative_target(world, periods):
    refused(period=periods.p3, municipality=world.dordrecht, net_target=-1)


def test_the_database_refuses_a_second_target_for_the_same_period_and_municipality(world, periods):
    target(periods.p3, world.dordrecht, 8)

    refused(period=periods.p3, municipality=world.dordrecht, net_target=9)
    assert QuotaTarget.objects.get(municipality=world.dordrecht).net_target == 8


def test_the_database_refuses_an_override_without_a_reason(world, periods):
    refused(period=periods.p3, municipality=world.dordrecht, net_target=8, opening_override=-5)
    refused(
        period=periods.p3,
        municipality=world.dordrecht,
        net_target=8,
        opening_override=-5,
        override_reason="",
    )
    assert not QuotaTarget.objects.exists()


def test_the_database_refuses_a_duplicate_period_and_a_third_half(periods):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaPeriod.objects.create(year=2026, half=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaPeriod.objects.create(year=2026, half=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaPeriod.objects.create(year=1999, half=1)
    assert QuotaPeriod.objects.count() == 4


def test_the_database_refuses_an_unknown_counting_rule(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaRule.objects.create(region=world.drecht, counting_date="signed_on")
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaRule.objects.create(region=world.drecht, credited="province")


def test_a_period_with_targets_cannot_be_deleted(world, periods):
    target(periods.p3, world.dordrecht, 8)

    with pytest.raises(ProtectedError):
        periods.p3.delete()
