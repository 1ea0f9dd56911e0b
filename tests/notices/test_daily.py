"""The daily checks of ``send_notices``: each notice on the right day, once (time travel with
``--today``), to the right people."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from notices.models import Kind, Notice
from notices.services import run_daily
from placement.models import Household, Meeting, Nomination
from placement.nominating import nomination_create, nomination_plan_viewing
from tests.placement.placement_builders import accepted_vacancy, household

pytestmark = pytest.mark.django_db

LINKED = datetime.date(2026, 1, 5)  # a Monday


def of_kind(kind, **filters):
    return Notice.objects.filter(kind=kind, **filters)


def run(day: datetime.date) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_notices", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def test_the_8_week_notice_comes_on_day_56_not_55_and_not_again_on_57(world):
    family = household(world, persons=3, link_date=LINKED)
    day = lambda n: LINKED + datetime.timedelta(days=n)  # noqa: E731

    assert "household_waiting: 0" in run(day(55))
    assert not of_kind(Kind.HOUSEHOLD_WAITING).exists()

    assert "household_waiting: 1" in run(day(56))
    notice = of_kind(Kind.HOUSEHOLD_WAITING).get()
    assert (notice.recipient, notice.household, notice.threshold) == (
        world.coordinator,
        family,
        8,
    )
    assert notice.data["size"] == 3

    assert "household_waiting: 0" in run(day(57))
    assert of_kind(Kind.HOUSEHOLD_WAITING).count() == 1
    # Two weeks later the 10-week threshold, once.
    run(day(70))
    run(day(71))
    assert sorted(of_kind(Kind.HOUSEHOLD_WAITING).values_list("threshold", flat=True)) == [8, 10]


def test_a_late_run_sends_only_the_highest_threshold_reached(world):
    household(world, link_date=LINKED)
    run(LINKED + datetime.timedelta(weeks=12, days=3))
    assert list(of_kind(Kind.HOUSEHOLD_WAITING).values_list("threshold", flat=True)) == [12]


def test_a_household_no_longer_open_gets_no_waiting_notice(world):
    household(world, link_date=LINKED, status=Household.Status.HOUSED)
    household(world, link_date=LINKED, status=Household.Status.WITHDRAWN)
    run(LINKED + datetime.timedelta(weeks=8))
    assert not of_kind(Kind.HOUSEHOLD_WAITING).exists()


def test_the_other_regions_coordinator_hears_nothing_of_drechtsteden(world):
    household(world, link_date=LINKED)
    run(LINKED + datetime.timedelta(weeks=8))
    assert set(Notice.objects.values_list("recipient__username", flat=True)) == {"carla"}


def test_vacancy_without_nomination_within_the_default_7_days(world):
    today = datetime.date(2026, 3, 2)
    vacancy = accepted_vacancy(world, return_deadline=today + datetime.timedelta(days=8))
    run(today)
    assert not of_kind(Kind.VACANCY_UNFILLED).exists()
    run(today + datetime.timedelta(days=1))  # 7 days before
    notice = of_kind(Kind.VACANCY_UNFILLED).get()
    assert (notice.recipient, notice.vacancy) == (world.coordinator, vacancy)
    run(today + datetime.timedelta(days=2))
    assert of_kind(Kind.VACANCY_UNFILLED).count() == 1


def test_the_vacancy_days_setting_moves_the_notice(world, settings):
    settings.NOTICE_VACANCY_DAYS = 10
    today = datetime.date(2026, 3, 2)
    accepted_vacancy(world, return_deadline=today + datetime.timedelta(days=10))
    accepted_vacancy(world, return_deadline=today + datetime.timedelta(days=11))
    assert "vacancy_unfilled: 1" in run(today)


def test_a_vacancy_with_a_nomination_or_not_yet_accepted_gets_no_notice(world):
    today = datetime.date.today()
    soon = today + datetime.timedelta(days=3)
    nominated = accepted_vacancy(world, return_deadline=soon)
    nomination_create(vacancy=nominated, household=household(world), by=world.coordinator)
    accepted_vacancy(world, return_deadline=soon, status="submitted")
    run(today)
    assert not of_kind(Kind.VACANCY_UNFILLED).exists()


def test_a_stalled_nomination_after_7_and_after_14_days(world):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )
    start = datetime.date(2026, 4, 1)
    Nomination.objects.filter(pk=nomination.pk).update(
        created_at=datetime.datetime(2026, 4, 1, 10, 0, tzinfo=datetime.UTC)
    )
    for days in (6, 7, 8, 13, 14, 15):
        run(start + datetime.timedelta(days=days))
    stalled = of_kind(Kind.NOMINATION_STALLED)
    assert sorted(stalled.values_list("threshold", flat=True)) == [7, 14]
    assert {n.recipient for n in stalled} == {world.coordinator}


def test_an_outcome_due_after_the_viewing_goes_to_the_corporation_only(world):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )
    viewing = datetime.datetime(2026, 5, 12, 14, 0, tzinfo=datetime.UTC)
    nomination_plan_viewing(nomination=nomination, when=viewing)
    run(datetime.date(2026, 5, 12))  # the viewing is today: not yet
    assert not of_kind(Kind.OUTCOME_DUE).exists()
    run(datetime.date(2026, 5, 13))
    run(datetime.date(2026, 5, 14))
    notice = of_kind(Kind.OUTCOME_DUE).get()
    assert notice.recipient == world.corporation
    assert notice.nomination == nomination


def test_the_agenda_goes_out_automatically_n_days_before_a_meeting_with_items(world, settings):
    from placement.meetings import agenda_build

    day = datetime.date(2026, 6, 1)
    meeting = Meeting.objects.create(region=world.drecht, date=day + datetime.timedelta(days=7))
    empty = Meeting.objects.create(region=world.drecht, date=day + datetime.timedelta(days=6))
    accepted_vacancy(world)
    agenda_build(meeting=meeting, today=day)

    run(day - datetime.timedelta(days=1))  # 8 days before
    assert not of_kind(Kind.AGENDA_READY).exists()
    assert "agenda_ready: 3" in run(day)
    told = of_kind(Kind.AGENDA_READY)
    # The table: desk, municipality officer and partner; not the corporation, not finance.
    assert {n.recipient.username for n in told} == {"carla", "gert", "petra"}
    assert {n.meeting for n in told} == {meeting}
    assert not of_kind(Kind.AGENDA_READY, meeting=empty).exists()
    assert "agenda_ready: 0" in run(day + datetime.timedelta(days=1))

    settings.NOTICE_AGENDA_DAYS = 3
    later = Meeting.objects.create(region=world.drecht, date=day + datetime.timedelta(days=30))
    agenda_build(meeting=later, today=day)
    run(later.date - datetime.timedelta(days=4))
    assert not of_kind(Kind.AGENDA_READY, meeting=later).exists()
    run(later.date - datetime.timedelta(days=3))
    assert of_kind(Kind.AGENDA_READY, meeting=later).count() == 3


def test_the_summary_names_every_kind(world):
    out = run(datetime.date(2026, 1, 1))
    for kind in Kind.values:
        assert f"{kind}: 0" in out
    assert "total: 0" in out


def test_a_wrong_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_notices", "--today", "2026-02-30")


def test_run_daily_counts_per_kind(world):
    household(world, link_date=LINKED)
    counts = run_daily(today=LINKED + datetime.timedelta(weeks=8))
    assert counts[Kind.HOUSEHOLD_WAITING] == 1
    assert sum(counts.values()) == 1
