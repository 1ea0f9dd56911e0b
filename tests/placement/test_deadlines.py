"""The placement deadline: housed within 10 weeks of the link date; warnings at 8, 10, 12 and 14
weeks, the first before the deadline ("deadline in 2 weeks"), not on the deadline day.

Worked example used throughout: COA links a household on Wednesday 2 September 2026.
   8 weeks (56 days) later is Wednesday 28 October 2026: the first warning, "deadline in 2 weeks".
  10 weeks (70 days) later is Wednesday 11 November 2026: the deadline ("deadline reached").
  12 weeks (84 days) later is Wednesday 25 November 2026 ("2 weeks past the deadline").
  14 weeks (98 days) later is Wednesday 9 December 2026 ("4 weeks past the deadline").
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from placement import deadlines
from placement.models import Household
from tests.factories import HouseholdFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


LINKED = datetime.date(2026, 9, 2)


@pytest.fixture(autouse=True)
def english():
    """Labels are read in English here; the rules page test reads the Dutch one."""
    with translation.override("en"):
        yield


def test_the_deadline_is_ten_weeks_after_the_link_date():
    assert deadlines.deadline_for(LINKED) == datetime.date(2026, 11, 11)


def test_the_deadline_crosses_the_year_end():
    # 1 December 2026 + 70 days: 30 days to 31 December, then 40 more into 2027.
    assert deadlines.deadline_for(datetime.date(2026, 12, 1)) == datetime.date(2027, 2, 9)


def test_a_household_shows_its_deadline(world):
    household = HouseholdFactory(linked_municipality=world.dordrecht, link_date=LINKED)

    assert household.deadline == datetime.date(2026, 11, 11)


def test_a_shorter_deadline_setting_moves_the_deadline(settings, world):
    settings.PLACEMENT_DEADLINE_WEEKS = 8
    household = HouseholdFactory(linked_municipality=world.dordrecht, link_date=LINKED)

    # 8 weeks = 56 days after 2 September 2026.
    assert household.deadline == datetime.date(2026, 10, 28)


@pytest.mark.parametrize(
    ("today", "weeks"),
    [
        (datetime.date(2026, 8, 30), 0),  # before the link: not negative
        (datetime.date(2026, 9, 2), 0),  # the link day itself
        (datetime.date(2026, 9, 8), 0),  # 6 days
        (datetime.date(2026, 9, 9), 1),  # 7 days
        (datetime.date(2026, 11, 10), 9),  # 69 days
        (datetime.date(2026, 11, 11), 10),  # 70 days
        (datetime.date(2026, 11, 27), 12),  # 86 days
    ],
)
def test_weeks_waiting_counts_whole_weeks_since_the_link(today, weeks):
    assert deadlines.weeks_waiting(LINKED, today) == weeks


def test_a_household_counts_its_weeks_waiting(world):
    household = HouseholdFactory(linked_municipality=world.dordrecht, link_date=LINKED)

    assert household.weeks_waiting(datetime.date(2026, 11, 25)) == 12


def test_no_warning_one_day_before_eight_weeks():
    assert deadlines.warning_for(LINKED, datetime.date(2026, 10, 27)) is None


def test_no_warning_in_the_first_weeks():
    assert deadlines.warning_for(LINKED, datetime.date(2026, 9, 3)) is None


def test_the_first_warning_comes_two_weeks_before_the_deadline():
    warning = deadlines.warning_for(LINKED, datetime.date(2026, 10, 28))

    assert warning is not None
    assert (warning.weeks, warning.level) == (8, "warning")
    assert warning.label == "deadline in 2 weeks"


def test_the_day_before_the_deadline_still_warns_in_amber():
    warning = deadlines.warning_for(LINKED, datetime.date(2026, 11, 10))

    assert (warning.weeks, warning.level) == (8, "warning")


def test_on_the_deadline_day_the_warning_turns_to_danger():
    warning = deadlines.warning_for(LINKED, datetime.date(2026, 11, 11))

    assert (warning.weeks, warning.level, warning.label) == (10, "danger", "deadline reached")


def test_between_ten_and_twelve_weeks_the_warning_stays_at_ten():
    warning = deadlines.warning_for(LINKED, datetime.date(2026, 11, 24))

    assert (warning.weeks, warning.level) == (10, "danger")


def test_at_exactly_twelve_weeks_the_warning_says_two_weeks_past():
    warning = deadlines.warning_for(LINKED, datetime.date(2026, 11, 25))

    assert (warning.weeks, warning.level, warning.label) == (
        12,
        "danger",
        "2 weeks past the deadline",
    )


def test_at_exactly_fourteen_weeks_the_warning_is_danger_at_fourteen():
    warning = deadlines.warning_for(LINKED, datetime.date(2026, 12, 9))

    assert (warning.weeks, warning.level) == (14, "danger")


def test_long_after_fourteen_weeks_the_warning_stays_at_fourteen():
    warning = deadlines.warning_for(LINKED, datetime.date(2027, 3, 1))

    assert (warning.weeks, warning.level) == (14, "danger")


def test_the_rules_page_lists_each_warning(world, client_for):
    html = client_for(world.coordinator).get(reverse("rules")).content.decode()
    items = html.split('id="deadline-warnings"')[1].split("</ul>")[0]

    with translation.override("nl"):
        first = deadlines.warning_label(8)
    assert first in items
    assert items.count("<li>") == 4


def test_a_searching_household_at_twelve_weeks_shows_danger(world):
    household = HouseholdFactory(
        linked_municipality=world.dordrecht, link_date=LINKED, status=Household.Status.SEARCHING
    )

    warning = household.deadline_warning(datetime.date(2026, 11, 25))

    assert (warning.weeks, warning.level) == (12, "danger")


@pytest.mark.parametrize(
    "status",
    [
        Household.Status.HOUSED,
        Household.Status.LEASE_SIGNED,
        Household.Status.OWN_HOME,
        Household.Status.WITHDRAWN,
    ],
)
def test_a_household_no_longer_waiting_shows_no_warning(world, status):
    own_home = (
        {"own_home_municipality": world.dordrecht, "own_home_date": LINKED}
        if status == Household.Status.OWN_HOME
        else {}
    )
    household = HouseholdFactory(
        linked_municipality=world.dordrecht, link_date=LINKED, status=status, **own_home
    )

    assert household.deadline_warning(datetime.date(2026, 12, 9)) is None


def test_warning_thresholds_follow_the_setting(settings):
    settings.PLACEMENT_WARNING_WEEKS = (8, 10)

    eight = deadlines.warning_for(LINKED, datetime.date(2026, 10, 28))
    ten = deadlines.warning_for(LINKED, datetime.date(2026, 11, 11))

    assert (eight.weeks, eight.level) == (8, "warning")
    assert (ten.weeks, ten.level) == (10, "danger")
