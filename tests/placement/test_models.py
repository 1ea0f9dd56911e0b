"""Households and vacancies: sizes, what the database refuses, and who sees or edits what."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from placement.models import Household, Person, Vacancy
from tests.factories import (
    HouseholdFactory,
    PersonFactory,
    VacancyFactory,
    household_with_members,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Household size -----------------------------------------------------------------------


def test_size_counts_members_present_and_expected_size_adds_those_arriving_later(world):
    # A mother and her son are here; the father follows later (nareiziger).
    household = household_with_members(
        municipality=world.dordrecht, sizes=("main", "child"), expected=1
    )

    sized = Household.objects.with_sizes().get(pk=household.pk)

    assert sized.size == 2
    assert sized.expected_size == 3


def test_a_single_person_household_has_size_one(world):
    household = household_with_members(municipality=world.dordrecht, sizes=("main",))

    sized = Household.objects.with_sizes().get(pk=household.pk)

    assert (sized.size, sized.expected_size) == (1, 1)


def test_sizes_are_counted_per_household(world):
    family = household_with_members(
        municipality=world.dordrecht, sizes=("main", "partner", "child", "child")
    )
    single = household_with_members(municipality=world.zwijndrecht, sizes=("main",), expected=2)

    sizes = {h.pk: (h.size, h.expected_size) for h in Household.objects.with_sizes()}

    assert sizes[family.pk] == (4, 4)
    assert sizes[single.pk] == (1, 3)


# --- What the database refuses ------------------------------------------------------------


def test_the_database_refuses_an_unknown_household_status(world):
    household = HouseholdFactory(linked_municipality=world.dordrecht)

    with transaction.atomic(), pytest.raises(IntegrityError):
        Household.objects.filter(pk=household.pk).update(status="bogus")


def test_the_database_refuses_more_bedrooms_than_rooms(world):
    with transaction.atomic(), pytest.raises(IntegrityError):
        VacancyFactory(corporation=world.trivire, rooms=2, bedrooms=3)


def test_the_database_refuses_a_negative_rent(world):
    with transaction.atomic(), pytest.raises(IntegrityError):
        VacancyFactory(corporation=world.trivire, base_rent=Decimal("-1.00"))


def test_the_database_refuses_negative_service_charges(world):
    with transaction.atomic(), pytest.raises(IntegrityError):
        VacancyFactory(corporation=world.trivire, service_charges=Decimal("-0.01"))


def test_a_return_deadline_weeks_before_available_from_is_stored(world):
    """A desk nominates before the dwelling is free (viewing, contract): issue 10."""
    vacancy = VacancyFactory(
        corporation=world.trivire,
        available_from=datetime.date(2026, 12, 29),
        return_deadline=datetime.date(2026, 12, 1),
    )

    vacancy.refresh_from_db()
    assert vacancy.return_deadline < vacancy.available_from


def test_a_return_deadline_on_the_available_from_day_is_allowed(world):
    vacancy = VacancyFactory(
        corporation=world.trivire,
        available_from=datetime.date(2026, 12, 1),
        return_deadline=datetime.date(2026, 12, 1),
    )

    assert vacancy.pk is not None


def test_the_database_refuses_three_households_in_an_apartment(world):
    with transaction.atomic(), pytest.raises(IntegrityError):
        VacancyFactory(
            corporation=world.trivire, dwelling_type=Vacancy.DwellingType.APARTMENT, places=3
        )


def test_shared_housing_may_take_three_households(world):
    vacancy = VacancyFactory(
        corporation=world.trivire, dwelling_type=Vacancy.DwellingType.SHARED, places=3
    )

    assert vacancy.places == 3


def test_the_database_refuses_a_returned_vacancy_without_reason(world):
    with transaction.atomic(), pytest.raises(IntegrityError):
        VacancyFactory(corporation=world.trivire, status=Vacancy.Status.RETURNED, return_reason="")


def test_the_database_refuses_two_main_applicants_in_one_household(world):
    household = HouseholdFactory(linked_municipality=world.dordrecht)
    PersonFactory(household=household, role=Person.Role.MAIN)

    with transaction.atomic(), pytest.raises(IntegrityError):
        PersonFactory(household=household, role=Person.Role.MAIN)


def test_two_households_each_have_their_own_main_applicant(world):
    PersonFactory(household=HouseholdFactory(linked_municipality=world.dordrecht), role="main")
    PersonFactory(household=HouseholdFactory(linked_municipality=world.dordrecht), role="main")

    assert Person.objects.filter(role=Person.Role.MAIN).count() == 2


def test_the_database_refuses_a_v_number_used_twice(world):
    PersonFactory(
        household=HouseholdFactory(linked_municipality=world.dordrecht), v_number="1234567890"
    )
    other = HouseholdFactory(linked_municipality=world.zwijndrecht)

    with transaction.atomic(), pytest.raises(IntegrityError):
        PersonFactory(household=other, v_number="1234567890")


def test_several_members_without_v_number_are_allowed(world):
    household = HouseholdFactory(linked_municipality=world.dordrecht)
    PersonFactory(household=household, role="main", v_number="")
    PersonFactory(household=household, role="child", v_number="")

    assert household.members.count() == 2


def test_the_database_refuses_a_v_number_of_five_digits(world):
    household = HouseholdFactory(linked_municipality=world.dordrecht)

    with transaction.atomic(), pytest.raises(IntegrityError):
        PersonFactory(household=household, v_number="12345")


# --- Who sees which households -------------------------------------------------------------


@pytest.fixture
def pool(world):
    """Households in both regions: two in Drechtsteden, one in Woerden e.o."""
    return {
        "dordrecht": HouseholdFactory(linked_municipality=world.dordrecht),
        "zwijndrecht": HouseholdFactory(linked_municipality=world.zwijndrecht),
        "woerden": HouseholdFactory(linked_municipality=world.woerden),
    }


def test_the_coordinator_sees_only_her_own_regions_households(world, pool):
    visible = set(Household.objects.visible_to(world.coordinator))

    assert visible == {pool["dordrecht"], pool["zwijndrecht"]}


def test_an_officer_sees_the_whole_regional_pool_not_only_his_municipality(world, pool):
    visible = set(Household.objects.visible_to(world.officer))

    assert visible == {pool["dordrecht"], pool["zwijndrecht"]}


def test_the_partner_sees_the_regional_pool(world, pool):
    assert set(Household.objects.visible_to(world.partner)) == {
        pool["dordrecht"],
        pool["zwijndrecht"],
    }


def test_the_corporation_sees_no_households(world, pool):
    assert not Household.objects.visible_to(world.corporation).exists()


def test_finance_sees_no_households(world, pool):
    assert not Household.objects.visible_to(world.finance).exists()


def test_the_other_regions_coordinator_sees_none_of_drechtsteden(world, pool):
    assert list(Household.objects.visible_to(world.outsider)) == [pool["woerden"]]


# --- Who may edit which households ---------------------------------------------------------


def test_the_zwijndrecht_officer_edits_zwijndrecht_households_only(world, pool):
    editable = Household.objects.editable_by(world.officer)

    assert list(editable) == [pool["zwijndrecht"]]
    assert not editable.filter(pk=pool["dordrecht"].pk).exists()


def test_the_coordinator_edits_every_household_in_her_region(world, pool):
    assert set(Household.objects.editable_by(world.coordinator)) == {
        pool["dordrecht"],
        pool["zwijndrecht"],
    }


def test_the_partner_edits_no_households(world, pool):
    assert not Household.objects.editable_by(world.partner).exists()


def test_the_other_regions_coordinator_edits_none_of_drechtsteden(world, pool):
    assert list(Household.objects.editable_by(world.outsider)) == [pool["woerden"]]


# --- Who sees which vacancies --------------------------------------------------------------


def vacancy(corporation, municipality, status, **kwargs) -> Vacancy:
    if status == Vacancy.Status.RETURNED:
        kwargs.setdefault("return_reason", "Huur te hoog")
    return VacancyFactory(
        corporation=corporation, municipality=municipality, status=status, **kwargs
    )


def test_a_corporation_sees_only_its_own_vacancies(world):
    trivire_home = vacancy(world.trivire, world.dordrecht, Vacancy.Status.SUBMITTED)
    vacancy(world.woonbron, world.dordrecht, Vacancy.Status.ACCEPTED)

    assert list(Vacancy.objects.visible_to(world.corporation)) == [trivire_home]


def test_a_corporation_sees_its_own_returned_and_withdrawn_vacancies(world):
    returned = vacancy(world.trivire, world.dordrecht, Vacancy.Status.RETURNED)
    withdrawn = vacancy(world.trivire, world.zwijndrecht, Vacancy.Status.WITHDRAWN)

    assert set(Vacancy.objects.visible_to(world.corporation)) == {returned, withdrawn}


@pytest.mark.parametrize("persona", ["officer", "partner"])
def test_officer_and_partner_see_what_the_desk_accepted_not_raw_submissions(world, persona):
    accepted = vacancy(world.trivire, world.dordrecht, Vacancy.Status.ACCEPTED)
    on_agenda = vacancy(world.woonbron, world.zwijndrecht, Vacancy.Status.ON_AGENDA)
    vacancy(world.trivire, world.dordrecht, Vacancy.Status.SUBMITTED)
    vacancy(world.woonbron, world.dordrecht, Vacancy.Status.WITHDRAWN)

    visible = set(Vacancy.objects.visible_to(getattr(world, persona)))

    assert visible == {accepted, on_agenda}


def test_the_coordinator_sees_submitted_vacancies_to_review(world):
    submitted = vacancy(world.trivire, world.dordrecht, Vacancy.Status.SUBMITTED)

    assert list(Vacancy.objects.visible_to(world.coordinator)) == [submitted]


def test_the_other_region_sees_none_of_drechtstedens_vacancies(world):
    vacancy(world.trivire, world.dordrecht, Vacancy.Status.ACCEPTED)
    vacancy(world.woonbron, world.zwijndrecht, Vacancy.Status.SUBMITTED)

    assert not Vacancy.objects.visible_to(world.outsider).exists()
    assert not Vacancy.objects.visible_to(world.outsider_corporation).exists()


def test_finance_sees_no_vacancies(world):
    vacancy(world.trivire, world.dordrecht, Vacancy.Status.ACCEPTED)

    assert not Vacancy.objects.visible_to(world.finance).exists()
