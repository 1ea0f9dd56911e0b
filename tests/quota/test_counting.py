"""The counting rule (``quota.counting``): which persons count as realised, on which day, for
which municipality, and what is still in the pipeline.

The worked example is the Haddad family, linked by COA to Zwijndrecht and housed in a Trivire
apartment in Dordrecht:

    lease signed 20 Jan 2026, lease starts 1 Feb, they move in 5 Feb, reported to COA 9 Feb
    members: main applicant, partner and a child present from the start
             a second child who arrived on 3 Feb (after the lease start, before the move-in)
             a third child who arrived on 10 Mar (nareiziger)
             a fourth child still expected (not arrived: never counts yet)

    rule (count on / for)       events (day: persons, for)                       total
    lease start / dwelling      1 Feb: 3 Dordrecht · 3 Feb: +1 · 10 Mar: +1        5
    move-in / dwelling          5 Feb: 4 Dordrecht (the 3 Feb child was there) · 10 Mar: +1
    reported to COA / dwelling  9 Feb: 4 Dordrecht · 10 Mar: +1                    5
    lease start / linked        as the first row, for Zwijndrecht                  5
"""

from __future__ import annotations

import datetime

import pytest

from placement.models import Nomination
from quota import counting
from quota.models import CountingDate, CreditedMunicipality, QuotaRule

from .quota_builders import d, placement

# Every placement below has counted by this day (a later lease start is pipeline: test_ledger).
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def rule(world, counting_date=CountingDate.LEASE_START, credited=CreditedMunicipality.DWELLING):
    return QuotaRule(region=world.drecht, counting_date=counting_date, credited=credited)


def names(world) -> dict[int, str]:
    return {m.pk: m.name for m in (world.dordrecht, world.zwijndrecht, world.papendrecht)} | {
        world.sliedrecht.pk: world.sliedrecht.name,
        world.woerden.pk: world.woerden.name,
    }


def events_of(world, the_rule) -> list[tuple[str, str, datetime.date, int, bool]]:
    """(reference, municipality, day, persons, joined later) per counted event."""
    events, _ = counting.region_events(world.drecht.pk, the_rule, TODAY)
    municipality = names(world)
    return [
        (e.reference, municipality[e.municipality_id], e.day, e.persons, e.joined_later)
        for e in events
    ]


def pipeline_of(world, the_rule) -> list[tuple[str, str, int, str]]:
    """(reference, municipality, persons, stage) per placement that has not counted yet."""
    _, pipeline = counting.region_events(world.drecht.pk, the_rule, TODAY)
    municipality = names(world)
    return [(p.reference, municipality[p.municipality_id], p.persons, p.stage) for p in pipeline]


@pytest.fixture
def haddad(world) -> Nomination:
    return placement(
        reference="DS-HADDAD",
        dwelling=world.dordrecht,
        linked=world.zwijndrecht,
        persons=3,
        lease_signed_on="2026-01-20",
        lease_start="2026-02-01",
        move_in="2026-02-05",
        reported="2026-02-09",
        joined=["2026-02-03", "2026-03-10"],
        expected=1,
    )


# --- The worked example, under each setting of the rule -------------------------------------


def test_the_default_rule_counts_on_the_lease_start_for_the_dwelling(world, haddad):
    assert QuotaRule.for_region(world.drecht).counting_date == CountingDate.LEASE_START
    assert QuotaRule.for_region(world.drecht).credited == CreditedMunicipality.DWELLING

    assert events_of(world, QuotaRule.for_region(world.drecht)) == [
        # the three present at the lease start
        ("DS-HADDAD", "Dordrecht", d("2026-02-01"), 3, False),
        # each later arrival on its own day, for the same municipality
        ("DS-HADDAD", "Dordrecht", d("2026-02-03"), 1, True),
        ("DS-HADDAD", "Dordrecht", d("2026-03-10"), 1, True),
    ]  # 5 persons: the child still expected does not count
    assert pipeline_of(world, rule(world)) == []


def test_counting_on_the_move_in_date_includes_who_arrived_before_it(world, haddad):
    assert events_of(world, rule(world, CountingDate.MOVE_IN)) == [
        ("DS-HADDAD", "Dordrecht", d("2026-02-05"), 4, False),  # 3 + the 3 Feb child
        ("DS-HADDAD", "Dordrecht", d("2026-03-10"), 1, True),
    ]


def test_counting_on_the_date_reported_to_coa(world, haddad):
    assert events_of(world, rule(world, CountingDate.REPORTED_TO_COA)) == [
        ("DS-HADDAD", "Dordrecht", d("2026-02-09"), 4, False),
        ("DS-HADDAD", "Dordrecht", d("2026-03-10"), 1, True),
    ]


def test_counting_for_the_linked_municipality(world, haddad):
    assert events_of(world, rule(world, credited=CreditedMunicipality.LINKED)) == [
        ("DS-HADDAD", "Zwijndrecht", d("2026-02-01"), 3, False),
        ("DS-HADDAD", "Zwijndrecht", d("2026-02-03"), 1, True),
        ("DS-HADDAD", "Zwijndrecht", d("2026-03-10"), 1, True),
    ]


def test_count_events_works_on_any_set_of_placements(world, haddad):
    """``count_events`` is the rule itself; ``region_events`` only selects the region's rows."""
    placements = counting.placements(Nomination.objects.filter(pk=haddad.pk))
    events, pipeline = counting.count_events(placements, rule(world, CountingDate.MOVE_IN), TODAY)

    assert [(e.day, e.persons, e.joined_later) for e in events] == [
        (d("2026-02-05"), 4, False),
        (d("2026-03-10"), 1, True),
    ]
    assert {(e.nomination_id, e.household_id) for e in events} == {(haddad.pk, haddad.household_id)}
    assert pipeline == []


# --- Who is present on the counting day ------------------------------------------------------


def test_a_member_arriving_on_the_counting_day_counts_with_the_placement(world):
    placement(
        reference="DS-ON-DAY",
        dwelling=world.papendrecht,
        persons=2,
        lease_start="2026-04-01",
        move_in="2026-04-01",
        joined=["2026-04-01"],
    )

    assert events_of(world, rule(world)) == [
        ("DS-ON-DAY", "Papendrecht", d("2026-04-01"), 3, False),
    ]


def test_members_arriving_on_the_same_later_day_are_one_event(world):
    placement(
        reference="DS-TWINS",
        dwelling=world.papendrecht,
        persons=1,
        lease_start="2026-04-01",
        move_in="2026-04-03",
        joined=["2026-09-15", "2026-09-15"],
    )

    assert events_of(world, rule(world)) == [
        ("DS-TWINS", "Papendrecht", d("2026-04-01"), 1, False),
        ("DS-TWINS", "Papendrecht", d("2026-09-15"), 2, True),
    ]


def test_a_member_who_joined_before_the_placement_counts_with_it(world):
    # Arrived in the Netherlands (and joined the household at COA) before the lease started.
    placement(
        reference="DS-EARLY",
        dwelling=world.dordrecht,
        persons=1,
        lease_start="2026-05-01",
        move_in="2026-05-02",
        joined=["2026-01-15"],
    )

    assert events_of(world, rule(world)) == [
        ("DS-EARLY", "Dordrecht", d("2026-05-01"), 2, False),
    ]


def test_members_still_expected_do_not_count(world):
    placement(
        reference="DS-WAIT",
        dwelling=world.dordrecht,
        persons=1,
        lease_start="2026-05-01",
        move_in="2026-05-02",
        expected=3,
    )

    assert events_of(world, rule(world)) == [("DS-WAIT", "Dordrecht", d("2026-05-01"), 1, False)]


# --- The pipeline: not counted yet ----------------------------------------------------------


def test_a_placement_without_its_counting_date_is_in_the_pipeline(world):
    # Lease signed on 20 Nov, starts 1 Dec; the family has not moved in yet.
    placement(
        reference="DS-SOON",
        dwelling=world.zwijndrecht,
        persons=2,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on="2026-11-20",
        lease_start="2026-12-01",
        expected=1,
    )

    # Counting on the lease start: on 27 Nov it has not started, so it waits as "lease signed".
    assert events_of(world, rule(world)) == []
    assert pipeline_of(world, rule(world)) == [("DS-SOON", "Zwijndrecht", 2, "lease_signed")]
    # Counting on the move-in date: not yet, it waits as "lease signed" with the 2 present.
    move_in = rule(world, CountingDate.MOVE_IN)
    assert events_of(world, move_in) == []
    assert pipeline_of(world, move_in) == [("DS-SOON", "Zwijndrecht", 2, "lease_signed")]


def test_a_housed_household_not_reported_to_coa_waits_under_the_coa_rule(world):
    placement(
        reference="DS-UNREP",
        dwelling=world.dordrecht,
        persons=3,
        lease_start="2026-10-01",
        move_in="2026-10-04",
    )

    coa = rule(world, CountingDate.REPORTED_TO_COA)
    assert events_of(world, coa) == []
    assert pipeline_of(world, coa) == [("DS-UNREP", "Dordrecht", 3, "lease_signed")]


@pytest.mark.parametrize(
    "status", [Nomination.Status.NOMINATED, Nomination.Status.VIEWING, Nomination.Status.ACCEPTED]
)
def test_a_nomination_awaiting_its_outcome_is_pipeline_nominated(world, status):
    placement(
        reference="DS-NOM",
        dwelling=world.dordrecht,
        linked=world.papendrecht,
        persons=4,
        status=status,
        expected=1,
    )

    for setting in CountingDate.values:
        assert events_of(world, rule(world, setting)) == []
        assert pipeline_of(world, rule(world, setting)) == [("DS-NOM", "Dordrecht", 4, "nominated")]
    linked = rule(world, credited=CreditedMunicipality.LINKED)
    assert pipeline_of(world, linked) == [("DS-NOM", "Papendrecht", 4, "nominated")]


def test_refused_and_cancelled_nominations_do_not_count_anywhere(world):
    placement(
        dwelling=world.dordrecht,
        persons=4,
        status=Nomination.Status.REFUSED,
        refusal_reason=Nomination.RefusalReason.LOCATION,
    )
    placement(dwelling=world.dordrecht, persons=2, status=Nomination.Status.CANCELLED)

    for setting in CountingDate.values:
        events, pipeline = counting.region_events(world.drecht.pk, rule(world, setting), TODAY)
        assert events == []
        assert pipeline == []


def test_placements_of_another_region_are_not_counted(world):
    placement(dwelling=world.woerden, persons=5, lease_start="2026-03-01", move_in="2026-03-01")
    placement(reference="DS-OWN", dwelling=world.dordrecht, persons=1, lease_start="2026-03-01",
              move_in="2026-03-02")  # fmt: skip

    assert events_of(world, rule(world)) == [("DS-OWN", "Dordrecht", d("2026-03-01"), 1, False)]


# --- Re-links (omkoppeling) ------------------------------------------------------------------


def test_a_household_housed_outside_its_linked_municipality_is_a_relink(world, haddad):
    placement(  # linked to and housed in Dordrecht: no re-link
        reference="DS-HOME",
        dwelling=world.dordrecht,
        persons=2,
        lease_start="2026-02-01",
        move_in="2026-02-02",
    )
    placement(  # linked elsewhere but only nominated: not housed there (yet)
        reference="DS-MAYBE",
        dwelling=world.dordrecht,
        linked=world.papendrecht,
        persons=2,
        status=Nomination.Status.VIEWING,
    )

    listed = counting.relinks(world.drecht.pk, rule(world))
    assert [
        (r.nomination.household.reference, r.linked_municipality_id, r.dwelling_municipality_id)
        for r in listed
    ] == [("DS-HADDAD", world.zwijndrecht.pk, world.dordrecht.pk)]
    # The day it counts follows the rule.
    assert listed[0].day == d("2026-02-01")
    assert counting.relinks(world.drecht.pk, rule(world, CountingDate.MOVE_IN))[0].day == d(
        "2026-02-05"
    )

    # By default the family counts for Dordrecht, where the dwelling is ...
    assert {e[1] for e in events_of(world, rule(world)) if e[0] == "DS-HADDAD"} == {"Dordrecht"}
    # ... and for Zwijndrecht when the region counts for the linked municipality.
    linked = rule(world, credited=CreditedMunicipality.LINKED)
    assert {e[1] for e in events_of(world, linked) if e[0] == "DS-HADDAD"} == {"Zwijndrecht"}


def test_a_relink_not_yet_reported_has_no_day_under_the_coa_rule(world):
    placement(
        reference="DS-RELINK",
        dwelling=world.papendrecht,
        linked=world.dordrecht,
        persons=1,
        lease_start="2026-10-01",
        move_in="2026-10-02",
    )

    (listed,) = counting.relinks(world.drecht.pk, rule(world, CountingDate.REPORTED_TO_COA))
    assert listed.nomination.household.reference == "DS-RELINK"
    assert listed.day is None


# --- One municipality's share, read from the database --------------------------------------


@pytest.mark.parametrize("credited", list(CreditedMunicipality))
def test_a_municipalitys_events_are_the_regions_events_for_it(world, haddad, credited):
    """A municipality's pages read only what counts for it; the events are exactly the region's
    for that municipality, under either choice of credited municipality (Haddad: linked to
    Zwijndrecht, housed in Dordrecht)."""
    placement(reference="DS-PAP", dwelling=world.papendrecht, persons=2, lease_start="2026-03-01",
              move_in="2026-03-02")  # fmt: skip
    placement(reference="DS-NEXT", dwelling=world.dordrecht, linked=world.papendrecht, persons=3,
              status=Nomination.Status.VIEWING)  # fmt: skip
    the_rule = rule(world, credited=credited)
    events, pipeline = counting.region_events(world.drecht.pk, the_rule, TODAY)

    for municipality in (world.dordrecht, world.zwijndrecht, world.papendrecht):
        own_events, own_pipeline = counting.region_events(
            world.drecht.pk, the_rule, TODAY, municipality_ids={municipality.pk}
        )
        assert own_events == [e for e in events if e.municipality_id == municipality.pk]
        assert own_pipeline == [e for e in pipeline if e.municipality_id == municipality.pk]
    # The rule decided where each one lands: Haddad with the dwelling or with the link.
    haddad_in = {e.municipality_id for e in events if e.reference == "DS-HADDAD"}
    expected = world.zwijndrecht if credited == CreditedMunicipality.LINKED else world.dordrecht
    assert haddad_in == {expected.pk}
