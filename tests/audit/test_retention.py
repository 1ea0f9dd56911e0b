"""Retention: ``purge_personal_data`` anonymises households closed longer than the retention
period, keeps what the quota ledger and the invoices need, deletes old history and read logs,
changes nothing in a dry run and does nothing twice.

Worked example (RETENTION_PERSONAL_DATA_MONTHS = 24, today 15 March 2026, so the cutoff is
15 March 2024):
    closed 15 February 2024  -> 25 months ago: anonymised
    closed 15 March 2024     -> exactly 24 months: anonymised
    closed 15 April 2024     -> 23 months ago: kept
    searching since 2020     -> not closed: kept
"""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import ANONYMISED_REASON, Anonymisation, PurgeRun
from audit.retention import ANONYMOUS_NAME, due_households, months_before, purge_personal_data
from billing import services as billing_services
from placement.access_log import record_views
from placement.models import AgendaItem, Household, Meeting, Nomination, Person, PersonalDataView
from quota.ledger import build_ledger
from regions.access import Group
from tests.billing.billing_builders import (
    TODAY,
    cost_key,
    invoice_for,
    run_period,
    worked_example,
)
from tests.placement.placement_builders import accepted_vacancy, household, members_of

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
TODAY_2026 = datetime.date(2026, 3, 15)
NOW_2026 = datetime.datetime(2026, 3, 15, 3, 0, tzinfo=AMS)


def closed_on(family: Household, day: datetime.date, status=Household.Status.HOUSED) -> Household:
    # Test set-up only: put the status change in the past (auto_now_add sets it to now).
    own_home = (
        {"own_home_municipality": family.linked_municipality, "own_home_date": family.link_date}
        if status == Household.Status.OWN_HOME
        else {}
    )
    Household.objects.filter(pk=family.pk).update(
        status=status,
        status_changed_at=datetime.datetime.combine(day, datetime.time(12), AMS),
        **own_home,
    )
    family.refresh_from_db()
    return family


def purge(*, apply: bool, now=NOW_2026, today=TODAY_2026) -> PurgeRun:
    return purge_personal_data(today=today, now=now, months=24, log_months=24, apply=apply)


@pytest.fixture
def example(world):
    def sensitive(**kwargs):
        family = household(
            world,
            persons=2,
            medical_notes="Astma",
            notes="Broer woont in Dordrecht",
            preferences="Dichtbij school",
            coa_location="AZC Gilze",
            work_study_location="Da Vinci College",
            annual_income="18000.00",
            needs_ground_floor=True,
            status_reason="Sleutel ontvangen",
            **kwargs,
        )
        return family

    return {
        "25_months": closed_on(sensitive(), datetime.date(2024, 2, 15)),
        "24_months": closed_on(
            sensitive(), datetime.date(2024, 3, 15), status=Household.Status.OWN_HOME
        ),
        "23_months": closed_on(sensitive(), datetime.date(2024, 4, 15)),
        "open": closed_on(sensitive(), datetime.date(2020, 1, 1), status="searching"),
    }


def test_months_before_counts_calendar_months():
    assert months_before(datetime.date(2026, 3, 15), 24) == datetime.date(2024, 3, 15)
    assert months_before(datetime.date(2026, 3, 15), 25) == datetime.date(2024, 2, 15)
    # A shorter month: its last day.
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 10), 13) == datetime.date(2024, 12, 10)


def test_due_are_closed_households_at_or_past_the_period(example):
    due = set(due_households(today=TODAY_2026, months=24))
    assert due == {example["25_months"], example["24_months"]}


def test_apply_anonymises_personal_data_and_keeps_what_counts(world, example):
    family = example["25_months"]
    members_before = members_of(family)
    names = [m.full_name for m in members_before]
    v_numbers = [m.v_number for m in members_before]
    vacancy = accepted_vacancy(world)
    nomination = Nomination.objects.create(
        vacancy=vacancy,
        household=family,
        status=Nomination.Status.HOUSED,
        refusal_notes="Eerder geweigerd wegens trap",
        lease_signed_on=datetime.date(2024, 1, 20),
        lease_start=datetime.date(2024, 2, 1),
        move_in_date=datetime.date(2024, 2, 1),
    )
    meeting = Meeting.objects.create(region=world.drecht, date=datetime.date(2024, 1, 16))
    item = AgendaItem.objects.create(
        meeting=meeting, kind="nomination", nomination=nomination, notes="Familie Haddad"
    )

    run = purge(apply=True)

    family.refresh_from_db()
    assert family.medical_notes == family.notes == family.preferences == ""
    assert family.coa_location == family.work_study_location == family.status_reason == ""
    assert family.language == ""
    assert family.annual_income is None and family.needs_ground_floor is False
    # Kept: status, municipality, link date, reference.
    assert family.status == Household.Status.HOUSED
    assert family.linked_municipality == world.zwijndrecht
    members = members_of(family)
    assert [m.full_name for m in members] == [ANONYMOUS_NAME] * 2
    assert [m.v_number for m in members] == ["", ""]
    assert [m.date_of_birth for m in members] == [
        datetime.date(m.date_of_birth.year, 1, 1) for m in members_before
    ]
    assert [(m.role, m.present, m.arrival_date) for m in members] == [
        (m.role, m.present, m.arrival_date) for m in members_before
    ]
    nomination.refresh_from_db()
    assert nomination.refusal_notes == ""
    assert (nomination.status, nomination.lease_start, nomination.move_in_date) == (
        Nomination.Status.HOUSED,
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 1),
    )
    item.refresh_from_db()
    assert item.notes == ""

    # The old values are gone from the change history too; the anonymisation is recorded.
    assert not Person.history.filter(full_name__in=names).exists()
    assert not Person.history.filter(v_number__in=v_numbers).exists()
    assert not Household.history.filter(id=family.pk, medical_notes="Astma").exists()
    assert not Nomination.history.filter(refusal_notes__startswith="Eerder").exists()
    assert not AgendaItem.history.filter(notes="Familie Haddad").exists()
    remaining = Household.history.filter(id=family.pk)
    assert [r.history_change_reason for r in remaining] == [ANONYMISED_REASON]

    assert Anonymisation.objects.get(household=family).run == run
    assert (run.dry_run, run.households, run.persons) == (False, 2, 4)
    assert run.history_rows > 0

    # The 23-months household and the open one keep everything.
    for kept in (example["23_months"], example["open"]):
        kept.refresh_from_db()
        assert kept.medical_notes == "Astma"
        assert all(m.full_name != ANONYMOUS_NAME for m in members_of(kept))


def test_dry_run_changes_nothing_but_reports_what_it_would_do(example):
    def snapshot():
        return (
            list(Household.objects.order_by("id").values()),
            list(Person.objects.order_by("id").values()),
            Household.history.count(),
            Person.history.count(),
            Anonymisation.objects.count(),
        )

    before = snapshot()
    dry = purge(apply=False)
    assert snapshot() == before
    assert (dry.dry_run, dry.households, dry.persons) == (True, 2, 4)

    applied = purge(apply=True)
    assert (applied.households, applied.persons, applied.history_rows) == (
        dry.households,
        dry.persons,
        dry.history_rows,
    )


def test_a_second_run_does_nothing(example):
    purge(apply=True)
    after_first = (
        list(Person.objects.order_by("id").values()),
        Household.history.count(),
        Person.history.count(),
    )
    second = purge(apply=True)
    assert (second.households, second.persons, second.history_rows) == (0, 0, 0)
    assert (
        list(Person.objects.order_by("id").values()),
        Household.history.count(),
        Person.history.count(),
    ) == after_first
    assert Anonymisation.objects.count() == 2


def test_quota_ledger_and_invoice_totals_are_identical_after_the_purge(world):
    worked_example(world)
    cost_key(world, "per_person", tariff="100.00")
    run = run_period(world)
    invoice = invoice_for(run, world.zwijndrecht)
    billing_services.invoice_issue(invoice=invoice, issue_date=datetime.date(2026, 7, 15))
    # Housed long ago as far as retention is concerned: everything closed is due.
    for family in Household.objects.filter(status=Household.Status.HOUSED):
        closed_on(family, datetime.date(2024, 1, 1))

    def figures():
        ledger = build_ledger(region=world.drecht, today=TODAY)
        positions = {
            key: (p.realised, p.opening_balance, p.closing_balance, len(p.events))
            for key, p in ledger.positions.items()
        }
        totals = {i.pk: billing_services.invoice_total(i) for i in run.invoices.all()}
        return positions, totals, len(ledger.pipeline)

    before = figures()
    done = purge(apply=True, now=timezone.now(), today=TODAY)
    assert done.households >= 7
    assert figures() == before


def test_history_of_anonymised_records_and_old_read_logs_go_after_the_log_period(world, example):
    family = example["25_months"]
    record_views(
        user=world.coordinator,
        shown=[(example["23_months"].pk, [Group.IDENTITY])],
        channel=PersonalDataView.Channel.PAGE,
        page="household_detail",
    )
    now = timezone.now()
    purge(apply=True, now=now, today=TODAY_2026)
    assert Household.history.filter(id=family.pk).count() == 1
    assert PersonalDataView.objects.count() == 1  # recorded just now: within the period

    later = now + datetime.timedelta(days=366 * 2 + 31)  # 25 months on
    run = purge(apply=True, now=later, today=timezone.localdate(later))
    assert Household.history.filter(id=family.pk).count() == 0
    assert PersonalDataView.objects.count() == 0
    assert run.read_log_rows == 1
    # The 23-months household has become due by then, and is anonymised now.
    assert Anonymisation.objects.filter(household=example["23_months"]).exists()


def test_the_command_is_a_dry_run_by_default_and_applies_with_apply(example, settings):
    settings.RETENTION_PERSONAL_DATA_MONTHS = 24
    out = io.StringIO()
    call_command("purge_personal_data", "--today", "2026-03-15", stdout=out)
    assert "Dry run" in out.getvalue()
    assert example["25_months"].reference in out.getvalue()
    assert not Anonymisation.objects.exists()
    assert PurgeRun.objects.get().dry_run is True

    out = io.StringIO()
    call_command("purge_personal_data", "--today", "2026-03-15", "--apply", stdout=out)
    assert "Anonymised 2 households" in out.getvalue()
    assert Anonymisation.objects.count() == 2


def test_the_household_page_says_it_was_anonymised(world, example, client_for):
    purge(apply=True)
    family = example["25_months"]
    page = client_for(world.coordinator).get(reverse("household_detail", args=[family.pk]))
    assert 'id="anonymised-notice"' in page.text
    assert ANONYMOUS_NAME in page.text
    kept = client_for(world.coordinator).get(
        reverse("household_detail", args=[example["23_months"].pk])
    )
    assert 'id="anonymised-notice"' not in kept.text
