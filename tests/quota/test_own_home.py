"""A household that finds its own home (issue 10, section 7): registered with the municipality
where it registers (inschrijft) and the date, it counts for that municipality's quota on that
day with the persons present, unless the region agreed otherwise; the drill-down names it
"eigen woning". And the pipeline counts once, in the current period.

Worked example on Friday 27 November 2026 (in 2026-II), counting on the lease start:
    Papendrecht  target 2026-II: 9
      placement  family of 3, lease from 1 Sept 2026                              3
      own home   couple linked to Zwijndrecht, registers in Papendrecht 5 Oct    2
                 and their child arrives 20 Oct (joins later)                     1
                 realised 2026-II                                                 6
    Zwijndrecht  own home of a single registered 1 Dec 2026: not yet (after today)
    With "linked municipality": the couple's 2 + 1 count for Zwijndrecht instead.
    With "not counted": Papendrecht realises 3 only.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from placement.models import Household, Nomination
from quota.ledger import build_ledger
from quota.models import OwnHomeCredited, QuotaRule

from .quota_builders import d, nl, own_home, period, placement, table_rows, target

TODAY = d("2026-11-27")


@pytest.fixture(autouse=True)
def on_27_november_2026(monkeypatch):
    monkeypatch.setattr("quota.views.timezone", SimpleNamespace(localdate=lambda: TODAY))


@pytest.fixture
def example(world):
    p2026_2 = period(2026, 2)
    target(p2026_2, world.papendrecht, 9)
    target(p2026_2, world.zwijndrecht, 5)
    placement(dwelling=world.papendrecht, persons=3, lease_start="2026-09-01", move_in="2026-09-01")
    couple = own_home(
        world,
        world.papendrecht,
        linked=world.zwijndrecht,
        persons=2,
        day="2026-10-05",
        joined=["2026-10-20"],
        expected=1,
        reference="DS-EIGEN-1",
    )
    own_home(world, world.zwijndrecht, persons=1, day="2026-12-01")
    return SimpleNamespace(world=world, period=p2026_2, couple=couple)


def position(world, municipality, the_period):
    ledger = build_ledger(region=world.drecht, today=TODAY)
    return ledger.positions[(municipality.pk, the_period.pk)]


def test_an_own_home_counts_where_the_household_registers_on_that_day(example):
    papendrecht = position(example.world, example.world.papendrecht, example.period)

    assert papendrecht.realised == 3 + 2 + 1
    own = [e for e in papendrecht.events if e.own_home]
    assert [(e.day, e.persons, e.joined_later) for e in own] == [
        (d("2026-10-05"), 2, False),
        (d("2026-10-20"), 1, True),
    ]
    # The single registers on 1 December: not counted yet on 27 November.
    assert position(example.world, example.world.zwijndrecht, example.period).realised == 0


def test_a_region_that_agreed_on_the_linked_municipality_counts_it_there(example):
    rule = QuotaRule.for_region(example.world.drecht)
    rule.own_home_credited = OwnHomeCredited.LINKED
    rule.save()

    assert position(example.world, example.world.papendrecht, example.period).realised == 3
    assert position(example.world, example.world.zwijndrecht, example.period).realised == 3


def test_a_region_that_agreed_not_to_count_own_homes(example):
    rule = QuotaRule.for_region(example.world.drecht)
    rule.own_home_credited = OwnHomeCredited.NOT_COUNTED
    rule.save()

    assert position(example.world, example.world.papendrecht, example.period).realised == 3


def test_the_drilldown_labels_the_own_home(example, client_for):
    url = reverse("quota_drilldown", args=[example.world.papendrecht.pk, "2026-2"])
    response = client_for(example.world.coordinator).get(url)

    rows = table_rows(response, "realised-events")[1:-1]
    assert [r[2:4] for r in rows if r[1] != "DS-EIGEN-1"] == [["3", nl("placement")]]
    own_rows = [r for r in rows if r[1] == "DS-EIGEN-1"]
    assert [r[2:4] for r in own_rows] == [
        ["2", nl("own home")],
        ["1", nl("family member(s) joined")],
    ]


def test_the_rule_page_offers_and_shows_the_own_home_setting(world, client_for):
    client = client_for(world.coordinator)

    page = client.get(reverse("quota_rule")).content.decode()
    assert 'name="own_home_credited"' in page
    response = client.post(
        reverse("quota_rule"),
        {"counting_date": "lease_start", "credited": "dwelling", "own_home_credited": "linked"},
    )

    assert response.status_code == 302
    assert QuotaRule.for_region(world.drecht).own_home_credited == OwnHomeCredited.LINKED
    rules = client.get(reverse("rules")).content.decode()
    assert 'id="quota-rules"' in rules


# --- Registering an own home ---------------------------------------------------------------


@pytest.fixture
def searching(world):
    from tests.placement.placement_builders import household

    return household(
        world, persons=2, municipality=world.zwijndrecht, link_date=datetime.date(2026, 9, 1)
    )


def register(client, household, **data):
    values = {
        "own_home-municipality": data.get("municipality", ""),
        "own_home-registered_on": data.get("day", ""),
        "own_home-reason": data.get("reason", ""),
    }
    return client.post(reverse("household_own_home", args=[household.pk]), values)


@pytest.fixture
def real_today(monkeypatch):
    """The form and the service read the real "today"; fix it at 27 November 2026."""
    monkeypatch.setattr("placement.forms.timezone", SimpleNamespace(localdate=lambda: TODAY))
    monkeypatch.setattr(
        "placement.services.timezone",
        SimpleNamespace(localdate=lambda: TODAY, now=timezone.now),
    )


def test_the_coordinator_registers_an_own_home_in_one_step(
    world, client_for, searching, real_today
):
    response = register(
        client_for(world.coordinator),
        searching,
        municipality=world.papendrecht.pk,
        day="2026-11-02",
        reason="Kamer gevonden via familie",
    )

    assert response.status_code == 302
    searching.refresh_from_db()
    assert searching.status == Household.Status.OWN_HOME
    assert (searching.own_home_municipality, searching.own_home_date) == (
        world.papendrecht,
        d("2026-11-02"),
    )
    assert searching.status_reason == "Kamer gevonden via familie"
    page = client_for(world.coordinator).get(response["Location"])
    shown = page.content.decode()
    assert 'id="household-own-home"' in shown
    assert "Papendrecht" in shown.split('id="household-own-home"')[1].split("</dd>")[0]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-11-28", "The registration date cannot be in the future."),
        ("2026-08-31", "The registration date cannot be before the link date (%(date)s)."),
        ("", "Vul een datum in bij “ingeschreven op”."),
    ],
)
def test_impossible_dates_are_refused_at_the_field_and_nothing_is_saved(
    world, client_for, searching, real_today, day, message
):
    response = register(
        client_for(world.coordinator), searching, municipality=world.papendrecht.pk, day=day
    )

    assert response.status_code == 400
    errors = response.context["own_home_form"].errors
    assert list(errors) == ["registered_on"]
    expected = nl(message)
    if "%(date)s" in expected:
        expected = expected % {"date": "01-09-2026"}
    assert errors["registered_on"] == [expected]
    searching.refresh_from_db()
    assert (searching.status, searching.own_home_municipality, searching.own_home_date) == (
        Household.Status.SEARCHING,
        None,
        None,
    )


def test_a_municipality_of_another_region_is_refused(world, client_for, searching, real_today):
    response = register(
        client_for(world.coordinator), searching, municipality=world.woerden.pk, day="2026-11-02"
    )

    assert response.status_code == 400
    assert list(response.context["own_home_form"].errors) == ["municipality"]
    searching.refresh_from_db()
    assert searching.status == Household.Status.SEARCHING


def test_another_municipalitys_officer_cannot_register_it(world, client_for, searching):
    other = Household.objects.filter(pk=searching.pk).update(linked_municipality=world.papendrecht)
    assert other == 1

    response = register(
        client_for(world.officer), searching, municipality=world.papendrecht.pk, day="2026-11-02"
    )

    assert response.status_code == 404


def test_a_housed_household_cannot_register_an_own_home(world, client_for, real_today):
    nomination = placement(
        dwelling=world.zwijndrecht, persons=2, lease_start="2026-10-01", move_in="2026-10-02"
    )
    household = nomination.household
    Household.objects.filter(pk=household.pk).update(link_date=d("2026-09-01"))

    response = register(
        client_for(world.coordinator),
        household,
        municipality=world.zwijndrecht.pk,
        day="2026-11-20",
    )

    assert response.status_code == 302  # refused with a message: not from "housed"
    household.refresh_from_db()
    assert household.status == Household.Status.HOUSED
    assert household.own_home_municipality is None


def test_the_plain_status_form_no_longer_offers_own_home(world, client_for, searching):
    html = client_for(world.coordinator).get(searching.get_absolute_url()).content.decode()

    assert 'value="own_home"' not in html
    assert 'id="own-home-form"' in html


def test_the_database_refuses_an_own_home_without_municipality_or_date(world, searching):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=searching.pk).update(status=Household.Status.OWN_HOME)
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=searching.pk).update(
            status=Household.Status.OWN_HOME,
            own_home_municipality=world.zwijndrecht,
            own_home_date=d("2026-08-01"),  # before the link date
        )


# --- The pipeline counts once ----------------------------------------------------------------


def test_the_pipeline_counts_once_in_the_current_period_even_with_later_periods(world):
    current, later, after = period(2026, 2), period(2027, 1), period(2027, 2)
    for p in (current, later, after):
        target(p, world.dordrecht, 10)
    placement(dwelling=world.dordrecht, persons=4, status=Nomination.Status.VIEWING)
    placement(
        dwelling=world.dordrecht,
        persons=3,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on="2026-11-20",
        lease_start="2027-01-01",
    )

    ledger = build_ledger(region=world.drecht, today=TODAY)

    assert ledger.pipeline_period == current
    figures = [
        (ledger.totals(p)["pipeline_nominated"], ledger.totals(p)["pipeline_lease_signed"])
        for p in ledger.periods
    ]
    assert figures == [(4, 3), (0, 0), (0, 0)]
