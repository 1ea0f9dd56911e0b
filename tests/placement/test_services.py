"""Status workflows of vacancies and households, and registering a new household."""

import datetime

import pytest

from placement import services
from placement.models import Household, Person, Vacancy
from tests.factories import HouseholdFactory, VacancyFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stored(obj):
    """The row as the database has it now."""
    return type(obj).objects.get(pk=obj.pk)


# --- Vacancies ----------------------------------------------------------------------------


@pytest.fixture
def submitted(world):
    return VacancyFactory(corporation=world.trivire, municipality=world.dordrecht)


def test_the_desk_accepts_a_submitted_vacancy(submitted):
    services.vacancy_accept(vacancy=submitted)

    assert stored(submitted).status == Vacancy.Status.ACCEPTED


def test_accepting_a_vacancy_twice_is_refused(submitted):
    services.vacancy_accept(vacancy=submitted)

    with pytest.raises(services.TransitionError):
        services.vacancy_accept(vacancy=stored(submitted))

    assert stored(submitted).status == Vacancy.Status.ACCEPTED


def test_returning_a_vacancy_needs_a_reason(submitted):
    with pytest.raises(services.TransitionError):
        services.vacancy_return(vacancy=submitted, reason="")

    assert stored(submitted).status == Vacancy.Status.SUBMITTED


def test_a_reason_of_only_spaces_is_no_reason(submitted):
    with pytest.raises(services.TransitionError):
        services.vacancy_return(vacancy=submitted, reason="   \n ")

    assert stored(submitted).status == Vacancy.Status.SUBMITTED


def test_returning_a_vacancy_stores_the_reason_for_the_corporation(submitted):
    services.vacancy_return(vacancy=submitted, reason="  Huur boven de aftoppingsgrens.  ")

    vacancy = stored(submitted)
    assert vacancy.status == Vacancy.Status.RETURNED
    assert vacancy.return_reason == "Huur boven de aftoppingsgrens."


def test_a_resubmitted_vacancy_is_submitted_again_and_the_old_reason_is_cleared(submitted):
    services.vacancy_return(vacancy=submitted, reason="Geen lift op de derde verdieping.")
    returned = stored(submitted)
    returned.has_lift = True

    services.vacancy_resubmit(vacancy=returned)

    vacancy = stored(submitted)
    assert vacancy.status == Vacancy.Status.SUBMITTED
    assert vacancy.return_reason == ""
    assert vacancy.has_lift is True


def test_a_vacancy_that_was_not_returned_cannot_be_resubmitted(submitted):
    with pytest.raises(services.TransitionError):
        services.vacancy_resubmit(vacancy=submitted)


def test_a_corporation_may_withdraw_a_submitted_vacancy(submitted):
    services.vacancy_withdraw(vacancy=submitted)

    assert stored(submitted).status == Vacancy.Status.WITHDRAWN


def test_a_let_vacancy_cannot_be_withdrawn(world):
    let = VacancyFactory(
        corporation=world.trivire, municipality=world.dordrecht, status=Vacancy.Status.LET
    )

    with pytest.raises(services.TransitionError):
        services.vacancy_withdraw(vacancy=let)

    assert stored(let).status == Vacancy.Status.LET


def test_the_refusal_message_names_both_statuses(world):
    let = VacancyFactory(
        corporation=world.trivire, municipality=world.dordrecht, status=Vacancy.Status.LET
    )

    with pytest.raises(services.TransitionError) as excinfo:
        services.vacancy_withdraw(vacancy=let)

    message = str(excinfo.value)
    assert str(Vacancy.Status.LET.label) in message
    assert str(Vacancy.Status.WITHDRAWN.label) in message


def test_submitting_records_who_submitted(world):
    vacancy = VacancyFactory.build(corporation=world.trivire, municipality=world.dordrecht)

    services.vacancy_submit(vacancy=vacancy, by=world.corporation)

    saved = stored(vacancy)
    assert saved.status == Vacancy.Status.SUBMITTED
    assert saved.submitted_by == world.corporation


# --- Households: manual status changes ----------------------------------------------------


def household(world, status) -> Household:
    if status == Household.Status.OWN_HOME:
        return HouseholdFactory(
            linked_municipality=world.dordrecht,
            status=status,
            own_home_municipality=world.dordrecht,
            own_home_date=datetime.date.today(),
        )
    return HouseholdFactory(linked_municipality=world.dordrecht, status=status)


def test_a_registered_household_can_start_searching(world):
    registered = household(world, Household.Status.REGISTERED)

    services.household_change_status(household=registered, to=Household.Status.SEARCHING)

    assert stored(registered).status == Household.Status.SEARCHING


def test_a_household_cannot_be_marked_housed_by_hand(world):
    registered = household(world, Household.Status.REGISTERED)

    with pytest.raises(services.TransitionError):
        services.household_change_status(household=registered, to=Household.Status.HOUSED)

    assert stored(registered).status == Household.Status.REGISTERED


def test_a_household_cannot_be_nominated_by_hand(world):
    searching = household(world, Household.Status.SEARCHING)

    with pytest.raises(services.TransitionError):
        services.household_change_status(household=searching, to=Household.Status.NOMINATED)


def test_a_searching_household_that_found_its_own_home_leaves_the_pool(world):
    searching = household(world, Household.Status.SEARCHING)

    services.household_register_own_home(
        household=searching,
        municipality=world.papendrecht,
        day=searching.link_date,
        reason="Huurt via familie in Papendrecht.",
    )

    saved = stored(searching)
    assert saved.status == Household.Status.OWN_HOME
    assert (saved.own_home_municipality, saved.own_home_date) == (
        world.papendrecht,
        searching.link_date,
    )
    assert saved.status_reason == "Huurt via familie in Papendrecht."
    assert not saved.is_open


def test_own_home_is_not_a_plain_status_change(world):
    searching = household(world, Household.Status.SEARCHING)

    with pytest.raises(services.TransitionError):
        services.household_change_status(household=searching, to=Household.Status.OWN_HOME)

    assert stored(searching).status == Household.Status.SEARCHING


def test_a_household_that_found_its_own_home_cannot_go_back_by_hand(world):
    own_home = household(world, Household.Status.OWN_HOME)

    with pytest.raises(services.TransitionError):
        services.household_change_status(household=own_home, to=Household.Status.SEARCHING)


# --- Registering a household --------------------------------------------------------------


def new_household(world, *, link_date, pk=None) -> Household:
    return Household(pk=pk, linked_municipality=world.dordrecht, link_date=link_date)


def members() -> list[Person]:
    return [
        Person(full_name="Amal Haddad", date_of_birth=datetime.date(1988, 4, 2), role="main"),
        Person(full_name="Yusuf Haddad", date_of_birth=datetime.date(2016, 9, 30), role="child"),
        Person(
            full_name="Omar Haddad",
            date_of_birth=datetime.date(1986, 1, 15),
            role="partner",
            present=False,
        ),
    ]


def test_a_new_household_gets_region_code_link_year_and_number(world):
    created = services.household_create(
        household=new_household(world, link_date=datetime.date(2026, 3, 9), pk=42),
        members=members(),
        by=world.coordinator,
    )

    assert created.reference == "DS-2026-00042"
    assert stored(created).reference == "DS-2026-00042"


def test_the_reference_uses_the_link_year_not_the_year_of_registration(world):
    created = services.household_create(
        household=new_household(world, link_date=datetime.date(2025, 12, 15), pk=7),
        members=members(),
        by=world.coordinator,
    )

    assert created.reference == "DS-2025-00007"


def test_registering_a_household_saves_its_members_and_who_registered_it(world):
    created = services.household_create(
        household=new_household(world, link_date=datetime.date(2026, 3, 9)),
        members=members(),
        by=world.coordinator,
    )

    saved = Household.objects.with_sizes().get(pk=created.pk)
    assert sorted(saved.members.values_list("full_name", flat=True)) == [
        "Amal Haddad",
        "Omar Haddad",
        "Yusuf Haddad",
    ]
    assert (saved.size, saved.expected_size) == (2, 3)
    assert saved.created_by == world.coordinator
    assert saved.reference == f"DS-2026-{created.pk:05d}"
