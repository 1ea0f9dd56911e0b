"""Regions, municipalities and memberships: the monthly meeting rule, CBS codes, who may hold
which role, and what each role may see and do (``regions.access``)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from regions.access import capabilities
from regions.models import Membership, Region, Role, Weekday, WeekOfMonth, cbs_code_validator
from tests.factories import MunicipalityFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- The monthly meeting ------------------------------------------------------------------
# Worked examples from the 2026 calendar: the Tuesdays of November 2026 are 3, 10, 17 and 24;
# those of December 2026 are 1, 8, 15, 22 and 29; those of January 2027 are 5, 12, 19 and 26.


def region(**rule) -> Region:
    """An unsaved region: the meeting rule needs no database."""
    return Region(name="Drechtsteden", code="DS", **rule)


def test_by_default_a_region_meets_on_the_third_tuesday():
    drechtsteden = region()

    assert drechtsteden.meeting_date_in(2026, 11) == datetime.date(2026, 11, 17)
    assert drechtsteden.meeting_date_in(2026, 12) == datetime.date(2026, 12, 15)


def test_a_region_meeting_on_the_last_tuesday_meets_on_the_final_one_of_the_month():
    drechtsteden = region(meeting_week=WeekOfMonth.LAST)

    # November 2026 has four Tuesdays, December 2026 five.
    assert drechtsteden.meeting_date_in(2026, 11) == datetime.date(2026, 11, 24)
    assert drechtsteden.meeting_date_in(2026, 12) == datetime.date(2026, 12, 29)


def test_a_region_can_meet_on_the_first_monday():
    woerden = region(meeting_week=WeekOfMonth.FIRST, meeting_weekday=Weekday.MONDAY)

    # 1 November 2026 is a Sunday, so the first Monday is the 2nd.
    assert woerden.meeting_date_in(2026, 11) == datetime.date(2026, 11, 2)


def test_next_meeting_after_this_months_meeting_is_next_month():
    assert region().next_meeting_date(datetime.date(2026, 11, 18)) == datetime.date(2026, 12, 15)


def test_next_meeting_before_this_months_meeting_is_this_month():
    assert region().next_meeting_date(datetime.date(2026, 11, 2)) == datetime.date(2026, 11, 17)


def test_on_the_meeting_day_itself_the_next_meeting_is_today():
    assert region().next_meeting_date(datetime.date(2026, 11, 17)) == datetime.date(2026, 11, 17)


def test_next_meeting_after_the_december_meeting_is_in_january_of_the_next_year():
    assert region().next_meeting_date(datetime.date(2026, 12, 16)) == datetime.date(2027, 1, 19)


def test_last_week_rule_rolls_over_the_year_too():
    drechtsteden = region(meeting_week=WeekOfMonth.LAST)

    # The last Tuesday of December 2026 is the 29th; on the 30th the next is 26 January 2027.
    assert drechtsteden.next_meeting_date(datetime.date(2026, 12, 30)) == datetime.date(2027, 1, 26)


# --- CBS codes ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["GM0505", "GM0642", "GM1978"])
def test_a_cbs_code_is_gm_and_four_digits(code):
    cbs_code_validator(code)  # does not raise


@pytest.mark.parametrize("code", ["GM505", "GM05050", "gm0505", "0505", "GM 0505", ""])
def test_a_malformed_cbs_code_is_refused_with_an_example(code):
    with pytest.raises(ValidationError) as excinfo:
        cbs_code_validator(code)

    assert "GM0505" in str(excinfo.value.messages)


def test_the_database_refuses_a_cbs_code_with_three_digits(db):
    with transaction.atomic(), pytest.raises(IntegrityError):
        MunicipalityFactory(name="Dordrecht", cbs_code="GM505")


def test_the_database_accepts_a_proper_cbs_code(db):
    dordrecht = MunicipalityFactory(name="Dordrecht", cbs_code="GM0505")

    assert dordrecht.pk is not None


# --- Memberships --------------------------------------------------------------------------


def test_a_corporation_role_at_the_desk_is_refused(world):
    membership = Membership(user=UserFactory(), organisation=world.desk, role=Role.CORPORATION)

    with pytest.raises(ValidationError) as excinfo:
        membership.clean()

    assert "role" in excinfo.value.message_dict


def test_a_coordinator_at_a_corporation_is_refused(world):
    membership = Membership(user=UserFactory(), organisation=world.trivire, role=Role.COORDINATOR)

    with pytest.raises(ValidationError) as excinfo:
        membership.clean()

    assert "role" in excinfo.value.message_dict


def test_a_corporation_role_at_a_corporation_is_fine(world):
    Membership(user=UserFactory(), organisation=world.woonbron, role=Role.CORPORATION).clean()


def test_the_personas_have_memberships_that_fit_their_organisation(world):
    for persona in (world.coordinator, world.officer, world.corporation, world.partner):
        persona.membership.full_clean()


# --- What each role may see and do --------------------------------------------------------

# (persona, sees pool, sees personal data, edits households, reviews vacancies, submits vacancies)
CAPABILITY_MATRIX = [
    ("coordinator", True, True, True, True, False),
    ("officer", True, True, True, False, False),
    ("partner", True, True, False, False, False),
    ("corporation", False, False, False, False, True),
    ("finance", False, False, False, False, False),
]


@pytest.mark.parametrize(
    ("persona", "pool", "personal", "edits", "reviews", "submits"), CAPABILITY_MATRIX
)
def test_what_each_role_may_do(world, persona, pool, personal, edits, reviews, submits):
    can = capabilities(getattr(world, persona))

    assert can.sees_pool is pool
    assert can.sees_personal_data is personal
    assert can.edits_households is edits
    assert can.reviews_vacancies is reviews
    assert can.submits_vacancies is submits


def test_a_corporation_sees_vacancies_but_not_the_pool(world):
    can = capabilities(world.corporation)

    assert can.sees_vacancies
    assert not can.sees_pool


def test_a_user_without_membership_may_do_nothing(db):
    can = capabilities(UserFactory(username="nobody"))

    assert not can.is_member
    assert not can.sees_pool
    assert not can.sees_vacancies
    assert not can.edits_households
    assert not can.submits_vacancies


def test_an_anonymous_visitor_may_do_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    can = capabilities(AnonymousUser())

    assert not can.is_member
    assert not can.sees_pool
