"""The deadline badge's colour is a severity scale that stays meaningful (issue 11, "Looks"):
a calm "info" for an early warning, amber near the deadline, red only from the deadline on, and
always a label in words beside the colour.

Deadline 10 weeks after the link date. With warnings at 4, 6, 8, 10, 12 and 14 weeks:
   4 weeks: "deadline in 6 weeks"   info
   6 weeks: "deadline in 4 weeks"   info
   8 weeks: "deadline in 2 weeks"   warning (near: two weeks or less)
  10 weeks: "deadline reached"      danger
  14 weeks: "4 weeks past ..."      danger, and the words say how far past
"""

import datetime

import pytest
from django.utils import translation

from placement import deadlines
from tests.factories import HouseholdFactory

LINKED = datetime.date(2026, 9, 2)


@pytest.fixture(autouse=True)
def early_warnings(settings):
    settings.PLACEMENT_DEADLINE_WEEKS = 10
    settings.PLACEMENT_WARNING_WEEKS = (4, 6, 8, 10, 12, 14)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("weeks", "level", "label"),
    [
        (4, "info", "deadline in 6 weeks"),
        (6, "info", "deadline in 4 weeks"),
        (8, "warning", "deadline in 2 weeks"),
        (9, "warning", "deadline in 2 weeks"),  # the day before the deadline: still amber
        (10, "danger", "deadline reached"),
        (12, "danger", "2 weeks past the deadline"),
        (14, "danger", "4 weeks past the deadline"),
        (30, "danger", "4 weeks past the deadline"),
    ],
)
def test_the_badge_grades_from_info_to_danger(weeks, level, label):
    today = LINKED + datetime.timedelta(weeks=weeks, days=6 if weeks == 9 else 0)

    warning = deadlines.warning_for(LINKED, today)

    assert (warning.level, warning.label) == (level, label)


def test_only_households_at_or_past_the_deadline_are_red():
    today = LINKED + datetime.timedelta(weeks=20)
    links = [today - datetime.timedelta(weeks=w) for w in (4, 6, 8, 9, 10, 12, 14)]

    levels = [deadlines.warning_for(link, today).level for link in links]

    assert levels == ["info", "info", "warning", "warning", "danger", "danger", "danger"]


def test_the_household_page_shows_the_badge_in_words_and_colour(world, client_for):
    household = HouseholdFactory(
        linked_municipality=world.dordrecht,
        link_date=datetime.date.today() - datetime.timedelta(weeks=6),
    )

    html = client_for(world.coordinator).get(household.get_absolute_url()).content.decode()

    with translation.override("nl"):
        label = deadlines.warning_label(6)
    assert f'<span class="badge text-bg-info fs-6">{label}</span>' in html
