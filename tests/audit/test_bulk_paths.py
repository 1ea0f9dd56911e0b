"""Writes that bypass model signals (``update()``, ``bulk_create``) would leave no history: the
meeting workflows that wrote in bulk now go through save() or simple_history's bulk helpers.
Each test fails when its path goes back to a plain bulk write."""

from __future__ import annotations

import datetime

import pytest

from placement.meetings import agenda_build, meeting_close, meetings_schedule
from placement.models import AgendaItem, Meeting, Vacancy
from tests.placement.placement_builders import accepted_vacancy, household, today

pytestmark = pytest.mark.django_db


def _meeting(world) -> Meeting:
    return Meeting.objects.create(region=world.drecht, date=today() + datetime.timedelta(weeks=2))


def test_scheduling_meetings_records_their_creation(world):
    meetings = meetings_schedule(region=world.drecht, today=datetime.date(2026, 11, 27))
    created = Meeting.history.filter(history_type="+", region=world.drecht)
    assert sorted(created.values_list("id", flat=True)) == sorted(m.pk for m in meetings)


def test_building_the_agenda_records_new_items_and_vacancies_put_on_the_agenda(world):
    meeting = _meeting(world)
    vacancy = accepted_vacancy(world)
    waiting = household(world, link_date=today() - datetime.timedelta(weeks=11))

    added = agenda_build(meeting=meeting, today=today())

    assert added == 2
    created = AgendaItem.history.filter(meeting_id=meeting.pk, history_type="+")
    assert sorted(created.values_list("kind", flat=True)) == ["household", "vacancy"]
    assert created.get(kind="household").household_id == waiting.pk
    latest = Vacancy.history.filter(id=vacancy.pk).order_by("-history_date").first()
    assert latest.history_type == "~"
    assert latest.status == Vacancy.Status.ON_AGENDA


@pytest.mark.parametrize(
    ("undecided", "outcome"),
    [("defer", AgendaItem.Outcome.DEFERRED), ("drop", AgendaItem.Outcome.DROPPED)],
)
def test_closing_a_meeting_records_the_outcome_of_undecided_items(world, undecided, outcome):
    meeting = _meeting(world)
    Meeting.objects.create(region=world.drecht, date=today() + datetime.timedelta(weeks=6))
    household(world, link_date=today() - datetime.timedelta(weeks=11))
    agenda_build(meeting=meeting, today=today())
    item = meeting.items.get()

    meeting_close(meeting=meeting, undecided=undecided, today=today())

    latest = AgendaItem.history.filter(id=item.pk).order_by("-history_date").first()
    assert latest.history_type == "~"
    assert latest.outcome == outcome
