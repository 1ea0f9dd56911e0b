"""What pooling gains: the replay (``reports.whatif``) on cases worked out by hand."""

from __future__ import annotations

import datetime

import pytest

from placement import matching
from placement.models import Meeting, Nomination, Vacancy
from quota.models import CreditedMunicipality
from reports import whatif
from reports.whatif import Inputs, Offer, Seeker
from tests.placement.placement_builders import accepted_vacancy, household

A, B = 1, 2
DAY = datetime.date(2026, 1, 1)


def days(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)


def offer(pk, municipality, *, bedrooms=2, kind="apartment", submitted=0, deadline=30):
    return Offer(
        dwelling=matching.Dwelling(
            id=pk, label=f"D{pk}", dwelling_type=kind, bedrooms=bedrooms, rent=500.0
        ),
        municipality_id=municipality,
        submitted=days(submitted),
        return_deadline=days(deadline),
        available_from=days(deadline + 10),
    )


def seeker(pk, municipality, size, *, link=-10, leaves=None):
    return Seeker(
        candidate=matching.Candidate(
            id=pk, reference=f"H{pk}", size=size, expected_size=size, link_date=days(link)
        ),
        municipality_id=municipality,
        persons=size,
        leaves_on=leaves,
    )


def inputs(offers, seekers, meetings=(20,), **kwargs):
    return Inputs(
        offers=offers,
        seekers=seekers,
        meetings=[days(m) for m in meetings],
        municipalities={A: "Aa", B: "Bee"},
        **kwargs,
    )


def run(data, seed=1):
    return whatif.replay(data, seed=seed, start=DAY, end=days(180))


def figures(result) -> dict[str, tuple]:
    return {f["key"]: (f["regional"], f["per_municipality"]) for f in result.comparison()}


# --- The engine on plain data ---------------------------------------------------------------


def test_dwellings_in_a_and_households_linked_to_b_only_pooling_houses_them():
    # Three dwellings in A, three households linked to B, one meeting (day 20) in every window.
    data = inputs(
        [offer(1, A), offer(2, A), offer(3, A)],
        [seeker(11, B, 1), seeker(12, B, 2), seeker(13, B, 3)],
    )
    result = run(data)
    got = figures(result)
    assert got["households"] == (3, 0)
    assert got["persons"] == (6, 0)
    assert got["unfilled"] == (0, 3)
    assert result.per_municipality.unfilled_dwellings == 3
    # Lease 28 days after the meeting on day 20; linked on day -10: 30 + 28 = 58 days each.
    assert got["median"] == (58, None)
    assert got["p90"] == (58, None)
    # Counted where the dwelling is: all six persons for A, in the regional replay only.
    rows = {r["name"]: r for r in result.municipality_rows()}
    assert (rows["Aa"]["regional"], rows["Aa"]["per_municipality"]) == (6, 0)
    assert (rows["Bee"]["regional"], rows["Bee"]["per_municipality"]) == (0, 0)


def sizes_and_rules() -> list:
    # D1 in A: one bedroom (at most 2 persons). D2 in B: three bedrooms (at most 6).
    # D3 in A: a room in shared housing (singles only).
    # H1: 5 persons linked to A; H2: a single linked to B; H3: a couple linked to A.
    offers = [offer(1, A, bedrooms=1), offer(2, B, bedrooms=3), offer(3, A, kind="shared")]
    seekers = [seeker(1, A, 5), seeker(2, B, 1), seeker(3, A, 2)]
    return offers, seekers


def test_sizes_and_rules_regional_fills_every_place():
    # Regional: D3 <- H2 (the only single), D1 <- H3 (H1 is too large), D2 <- H1: 3 households,
    # 8 persons. Per municipality: A has D1 <- H3 and nobody for the shared room D3 (H1 and H3
    # are no singles); B has D2 <- H2: 2 households, 3 persons, 1 place back.
    offers, seekers = sizes_and_rules()
    result = run(inputs(offers, seekers))
    got = figures(result)
    assert got["households"] == (3, 2)
    assert got["persons"] == (8, 3)
    assert got["unfilled"] == (1 - 1, 1)
    regional = {(p.offer_id, p.household_id) for p in result.regional.placements}
    assert regional == {(3, 2), (1, 3), (2, 1)}
    own = {(p.offer_id, p.household_id) for p in result.per_municipality.placements}
    assert own == {(1, 3), (2, 2)}
    # Counted where the dwelling is: A gets H3 (2) + H2 (1), B gets H1 (5); per municipality
    # A gets H3 (2) and B gets H2 (1).
    assert result.regional.credited == {A: 3, B: 5}
    assert result.per_municipality.credited == {A: 2, B: 1}


def test_the_linked_municipality_rule_credits_where_households_were_linked():
    offers, seekers = sizes_and_rules()
    result = run(inputs(offers, seekers, credited=CreditedMunicipality.LINKED))
    # Regional: H1 (5) and H3 (2) for A, H2 (1) for B. Per municipality: the same as above.
    assert result.regional.credited == {A: 7, B: 1}
    assert result.per_municipality.credited == {A: 2, B: 1}
    rows = {r["name"]: r["difference"] for r in result.municipality_rows()}
    assert rows == {"Aa": 5, "Bee": 0}


def test_a_refused_household_is_not_offered_the_same_dwelling_again():
    # Everyone refuses: at the first meeting one single is proposed and refuses, at the second
    # the other; nobody else fits, so the dwelling goes back. Two refusals in each replay.
    data = inputs([offer(1, A)], [seeker(1, A, 1), seeker(2, A, 1)], (10, 25), refusal_rate=1.0)
    result = run(data)
    got = figures(result)
    assert got["refusals"] == (2, 2)
    assert got["households"] == (0, 0)
    assert got["unfilled"] == (1, 1)
    assert got["median"] == (None, None)


def test_households_enter_the_pool_when_linked_and_leave_when_they_left():
    # H1 is linked after the meeting, H2 left the pool (own home) before it, H3 waits.
    data = inputs(
        [offer(1, A)],
        [seeker(1, A, 4, link=21), seeker(2, A, 4, leaves=days(19)), seeker(3, A, 1)],
    )
    result = run(data)
    assert [p.household_id for p in result.regional.placements] == [3]


def test_the_same_seed_gives_the_same_run_and_seeds_break_ties():
    # Three households exactly alike, two dwellings at two meetings, refusals drawn at 30 %.
    alike = [seeker(1, A, 2), seeker(2, A, 2), seeker(3, A, 2)]
    dwellings = [offer(1, A), offer(2, A, submitted=40, deadline=70)]
    data = inputs(dwellings, alike, (20, 50), refusal_rate=0.3)
    first, again = run(data, seed=7), run(data, seed=7)
    assert first.regional.placements == again.regional.placements
    assert first.per_municipality.placements == again.per_municipality.placements
    assert first.regional.refusals == again.regional.refusals
    outcomes = {
        tuple((p.offer_id, p.household_id) for p in run(data, seed=s).regional.placements)
        for s in range(20)
    }
    assert len(outcomes) > 1
    # Without refusals the seed alone decides who gets the first dwelling: each of the three.
    data = inputs(dwellings[:1], alike)
    winners = {run(data, seed=s).regional.placements[0].household_id for s in range(20)}
    assert winners == {1, 2, 3}


def test_a_dwelling_without_a_meeting_in_its_window_is_decided_on_its_return_deadline():
    early = offer(1, A, submitted=1, deadline=5)  # no meeting between day 1 and day 5
    late = offer(2, A, submitted=30, deadline=20)  # submitted after its deadline: at once
    held = offer(3, A, submitted=0, deadline=40)  # meetings on day 20 and 35
    got = whatif.decision_days([early, late, held], [days(20), days(35)])
    assert [(day, [o.dwelling.id for o in offers]) for day, offers in got] == [
        (days(5), [1]),
        (days(20), [3]),
        (days(30), [2]),
        (days(35), [3]),
    ]


def test_nearest_rank_percentiles():
    assert whatif.nearest_rank([10, 20, 30, 40], 50) == 20
    assert whatif.nearest_rank([10, 20, 30, 40], 90) == 40
    assert whatif.nearest_rank(list(range(1, 11)), 90) == 9
    assert whatif.nearest_rank([], 50) is None


def test_an_empty_period_has_no_figures_and_no_error():
    result = run(inputs([], [seeker(1, A, 1)]))
    assert result.empty
    got = figures(result)
    assert got["households"] == (0, 0)
    assert got["median"] == (None, None)
    assert {f["key"]: f["difference"] for f in result.comparison()}["median"] is None


# --- Reading the period from the database ---------------------------------------------------


def _submitted(vacancy: Vacancy, day: datetime.date) -> None:
    Vacancy.objects.filter(pk=vacancy.pk).update(
        created_at=datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    )


@pytest.mark.django_db
def test_load_reads_the_period_the_pool_and_the_observed_rates(world):
    replayed = accepted_vacancy(
        world, available_from=days(40), return_deadline=days(30), status=Vacancy.Status.LET
    )
    _submitted(replayed, days(5))
    other = accepted_vacancy(world, available_from=days(200), return_deadline=days(190))
    withdrawn = accepted_vacancy(
        world, available_from=days(40), return_deadline=days(30), status="withdrawn"
    )
    Meeting.objects.create(region=world.drecht, date=days(20))
    refuser = household(world, link_date=days(-30))
    signer = household(world, link_date=days(-20), status="lease_signed")
    elsewhere = household(world, link_date=days(-20), status="lease_signed")
    own_home = household(world, link_date=days(-20), status="own_home", own_home_date=days(12))
    Nomination.objects.create(
        vacancy=replayed, household=refuser, status="refused", refusal_reason="location"
    )
    signed = Nomination.objects.create(
        vacancy=replayed,
        household=signer,
        status="lease_signed",
        lease_signed_on=days(25),
        lease_start=days(40),
    )
    Nomination.objects.filter(pk=signed.pk).update(
        created_at=datetime.datetime.combine(days(19), datetime.time(12), tzinfo=datetime.UTC)
    )
    took = Nomination.objects.create(
        vacancy=other,
        household=elsewhere,
        status="lease_signed",
        lease_signed_on=days(25),
        lease_start=days(200),
    )
    Nomination.objects.filter(pk=took.pk).update(
        created_at=datetime.datetime.combine(days(15), datetime.time(12), tzinfo=datetime.UTC)
    )

    data = whatif.load(world.drecht, days(0), days(180))

    assert [o.dwelling.id for o in data.offers] == [replayed.pk]  # not the withdrawn one
    assert withdrawn.pk not in [o.dwelling.id for o in data.offers]
    assert data.offers[0].submitted == days(5)
    # One refused of two decided; lease 21 days after the nomination (day 19 to day 40).
    assert (data.refused_observed, data.decided_observed) == (1, 2)
    assert data.refusal_rate == 0.5
    assert (data.lease_days, data.lease_observed) == (21, 1)
    leaves = {s.candidate.id: s.leaves_on for s in data.seekers}
    assert leaves[refuser.pk] is None
    assert leaves[signer.pk] is None  # housed by a replayed dwelling: free in the replay
    assert leaves[elsewhere.pk] == days(15)  # nominated for a dwelling not replayed
    assert leaves[own_home.pk] == days(12)
    assert days(20) in data.meetings
    assert set(data.municipalities) == {
        world.dordrecht.pk,
        world.zwijndrecht.pk,
        world.papendrecht.pk,
    }
