"""The nomination workflow (voordracht): from nominating a household to the day it moves in.

A worked example first: Carla nominates a family of four for Trivire's apartment at Singel 250;
Cor of Trivire plans the viewing, the family accepts, signs the lease and moves in. At each step
the nomination, the household and the vacancy move together. Then the side roads: refusal,
cancellation, shared housing, the hard matching rules and their override, and what the
database refuses on its own. Last, the same through the pages, as Cor and Carla use them.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from placement.models import AgendaItem, Household, Meeting, Nomination, Person, Vacancy
from placement.nominating import (
    NominationRefused,
    OutcomeError,
    nomination_accept,
    nomination_cancel,
    nomination_create,
    nomination_mark_housed,
    nomination_plan_viewing,
    nomination_refuse,
    nomination_sign_lease,
)

from .placement_builders import (
    accepted_vacancy,
    household,
    members_of,
    messages_of,
    personal_data,
    shared_vacancy,
    stored,
    today,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    """Service messages read in English here; the pages below are checked in Dutch."""
    with translation.override("en"):
        yield


def statuses(nomination: Nomination) -> tuple[str, str, str]:
    """(nomination, household, vacancy) as stored now."""
    n = Nomination.objects.select_related("household", "vacancy").get(pk=nomination.pk)
    return n.status, n.household.status, n.vacancy.status


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def in_days(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def one_bedroom(world, **kwargs) -> Vacancy:
    return accepted_vacancy(world, rooms=2, bedrooms=1, street="Dubbeldamseweg 4", **kwargs)


# --- The worked example -------------------------------------------------------------------


def test_a_family_goes_from_nominated_to_housed(world):
    vacancy = accepted_vacancy(world, street="Singel 250")  # 2 bedrooms: room for 4
    family = household(world, persons=4)

    nomination = nomination_create(vacancy=vacancy, household=family, by=world.coordinator)
    assert statuses(nomination) == ("nominated", "nominated", "nominated")
    assert (nomination.place, nomination.nominated_by) == (1, world.coordinator)
    assert nomination.rule_failures == [] and nomination.override_reason == ""

    nomination_plan_viewing(nomination=nomination, when=at(in_days(5)))
    assert statuses(nomination) == ("viewing", "viewing", "nominated")
    assert stored(nomination).viewing_at == at(in_days(5))

    nomination_accept(nomination=nomination)
    assert statuses(nomination) == ("accepted", "viewing", "nominated")

    nomination_sign_lease(nomination=nomination, signed_on=in_days(-1), lease_start=in_days(14))
    assert statuses(nomination) == ("lease_signed", "lease_signed", "let")
    leased = stored(nomination)
    assert (leased.lease_signed_on, leased.lease_start) == (in_days(-1), in_days(14))

    nomination_mark_housed(nomination=nomination, move_in_date=in_days(15))
    assert statuses(nomination) == ("housed", "housed", "let")
    assert stored(nomination).move_in_date == in_days(15)


def test_moving_the_viewing_keeps_the_step_and_changes_the_time(world):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )
    nomination_plan_viewing(nomination=nomination, when=at(in_days(3)))

    nomination_plan_viewing(nomination=nomination, when=at(in_days(4), hour=14))

    assert statuses(nomination)[0] == "viewing"
    assert stored(nomination).viewing_at == at(in_days(4), hour=14)


def test_signing_the_lease_straight_after_nomination_counts_as_accepted(world):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )

    nomination_sign_lease(nomination=nomination, signed_on=today(), lease_start=in_days(7))

    assert statuses(nomination) == ("lease_signed", "lease_signed", "let")


def test_a_lease_that_starts_more_than_a_year_before_signing_is_refused(world, english):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )

    with pytest.raises(OutcomeError, match="Check the dates"):
        nomination_sign_lease(nomination=nomination, signed_on=today(), lease_start=in_days(-400))

    assert statuses(nomination) == ("nominated", "nominated", "nominated")


def housed_before_the_lease(n):
    nomination_mark_housed(nomination=n, move_in_date=today())


def accepted_twice(n):
    nomination_accept(nomination=n)
    nomination_accept(nomination=n)


def viewing_after_accepting(n):
    nomination_accept(nomination=n)
    nomination_plan_viewing(nomination=n, when=at(in_days(2)))


@pytest.mark.parametrize("call", [housed_before_the_lease, accepted_twice, viewing_after_accepting])
def test_an_impossible_step_is_refused(world, call):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )

    with pytest.raises(OutcomeError):
        call(nomination)

    assert stored(nomination).status in ("nominated", "accepted")
    assert stored(nomination).move_in_date is None


def test_nothing_follows_a_refusal(world):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )
    nomination_refuse(nomination=nomination, reason="location", justified=True)

    with pytest.raises(OutcomeError):
        nomination_sign_lease(nomination=nomination, signed_on=today(), lease_start=today())
    with pytest.raises(OutcomeError):
        nomination_accept(nomination=nomination)

    assert statuses(nomination) == ("refused", "searching", "accepted")


def test_a_housed_household_is_too_late_to_cancel(world):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )
    nomination_sign_lease(nomination=nomination, signed_on=today(), lease_start=today())
    nomination_mark_housed(nomination=nomination, move_in_date=today())

    with pytest.raises(OutcomeError):
        nomination_cancel(nomination=nomination, reason="Vergissing")

    assert statuses(nomination) == ("housed", "housed", "let")


# --- Refusal and cancellation -------------------------------------------------------------


def test_a_refusal_sends_the_household_back_and_the_vacancy_to_the_next_meeting(world):
    meeting = Meeting.objects.create(region=world.drecht, date=in_days(18))
    vacancy = accepted_vacancy(world, street="Singel 250")
    family = household(world, persons=3)
    nomination = nomination_create(vacancy=vacancy, household=family, by=world.coordinator)
    nomination_plan_viewing(nomination=nomination, when=at(in_days(2)))

    nomination_refuse(
        nomination=nomination, reason="location", justified=False, notes="Te ver van werk"
    )

    assert statuses(nomination) == ("refused", "searching", "on_agenda")
    refused = stored(nomination)
    assert (refused.refusal_reason, refused.refusal_justified, refused.refusal_notes) == (
        "location",
        False,
        "Te ver van werk",
    )
    assert stored(family).refusal_justified is False
    assert "Singel 250" in stored(family).status_reason
    assert meeting.items.filter(kind="vacancy", vacancy=vacancy, outcome="open").count() == 1


def test_a_justified_refusal_is_stored_on_the_household(world):
    family = household(world, persons=2)
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=family, by=world.coordinator
    )

    nomination_refuse(nomination=nomination, reason="health", justified=True)

    assert stored(family).refusal_justified is True
    assert stored(family).status == Household.Status.SEARCHING


def test_a_refusal_without_an_open_meeting_returns_the_vacancy_to_accepted(world):
    Meeting.objects.create(region=world.drecht, date=in_days(-20), status=Meeting.Status.CLOSED)
    Meeting.objects.create(region=world.woerden_region, date=in_days(10))
    vacancy = accepted_vacancy(world)
    nomination = nomination_create(
        vacancy=vacancy, household=household(world), by=world.coordinator
    )

    nomination_refuse(nomination=nomination, reason="cost", justified=False)

    assert statuses(nomination) == ("refused", "searching", "accepted")
    assert not AgendaItem.objects.filter(vacancy=vacancy).exists()


def test_a_refused_vacancy_already_on_the_agenda_is_not_listed_twice(world):
    meeting = Meeting.objects.create(region=world.drecht, date=in_days(18))
    vacancy = accepted_vacancy(world)
    AgendaItem.objects.create(meeting=meeting, kind="vacancy", vacancy=vacancy, position=1)
    nomination = nomination_create(
        vacancy=vacancy, household=household(world), by=world.coordinator
    )

    nomination_refuse(nomination=nomination, reason="condition", justified=True)

    assert meeting.items.filter(vacancy=vacancy).count() == 1
    assert stored(vacancy).status == Vacancy.Status.ON_AGENDA


def test_an_unknown_refusal_reason_is_refused(world, english):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )

    with pytest.raises(OutcomeError, match="Choose a refusal reason"):
        nomination_refuse(nomination=nomination, reason="weather", justified=True)

    assert statuses(nomination) == ("nominated", "nominated", "nominated")


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_cancelling_needs_a_reason(world, english, reason):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )

    with pytest.raises(OutcomeError, match="Give a reason"):
        nomination_cancel(nomination=nomination, reason=reason)

    assert statuses(nomination) == ("nominated", "nominated", "nominated")


def test_cancelling_frees_the_household_and_the_place(world):
    family = household(world, persons=2)
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=family, by=world.coordinator
    )

    nomination_cancel(nomination=nomination, reason="  Gezin verhuist naar familie  ")

    assert statuses(nomination) == ("cancelled", "searching", "accepted")
    assert stored(nomination).cancel_reason == "Gezin verhuist naar familie"
    assert stored(family).status_reason == "Gezin verhuist naar familie"


def test_after_a_refusal_the_place_and_the_household_can_be_nominated_again(world):
    vacancy = accepted_vacancy(world)
    first, second = household(world), household(world)
    refused = nomination_create(vacancy=vacancy, household=first, by=world.coordinator)
    nomination_refuse(nomination=refused, reason="location", justified=True)

    again = nomination_create(vacancy=vacancy, household=second, by=world.coordinator)
    elsewhere = nomination_create(
        vacancy=accepted_vacancy(world), household=first, by=world.coordinator
    )

    assert again.place == 1
    assert statuses(again) == ("nominated", "nominated", "nominated")
    assert statuses(elsewhere) == ("nominated", "nominated", "nominated")


# --- Shared housing -----------------------------------------------------------------------


def test_three_singles_fill_the_three_places_and_a_fourth_is_refused(world, english):
    vacancy = shared_vacancy(world, places=3)
    singles = [household(world) for _ in range(4)]

    nominations = [
        nomination_create(vacancy=vacancy, household=h, by=world.coordinator) for h in singles[:2]
    ]
    assert stored(vacancy).status == Vacancy.Status.ACCEPTED  # a place is still free
    nominations.append(
        nomination_create(vacancy=vacancy, household=singles[2], by=world.coordinator)
    )

    assert [n.place for n in nominations] == [1, 2, 3]
    assert stored(vacancy).status == Vacancy.Status.NOMINATED
    with pytest.raises(NominationRefused, match="Every place of this vacancy"):
        nomination_create(vacancy=vacancy, household=singles[3], by=world.coordinator)
    assert stored(singles[3]).status == Household.Status.SEARCHING
    assert vacancy.nominations.count() == 3


def test_a_place_already_taken_cannot_be_chosen(world, english):
    vacancy = shared_vacancy(world, places=3)
    nomination_create(vacancy=vacancy, household=household(world), by=world.coordinator, place=2)

    with pytest.raises(NominationRefused, match="Place 2 of this vacancy"):
        nomination_create(
            vacancy=vacancy, household=household(world), by=world.coordinator, place=2
        )
    third = nomination_create(vacancy=vacancy, household=household(world), by=world.coordinator)

    assert third.place == 1


def test_one_lease_in_shared_housing_does_not_let_the_whole_dwelling(world):
    vacancy = shared_vacancy(world, places=2)
    first = nomination_create(vacancy=vacancy, household=household(world), by=world.coordinator)
    second = nomination_create(vacancy=vacancy, household=household(world), by=world.coordinator)

    nomination_sign_lease(nomination=first, signed_on=today(), lease_start=today())
    assert stored(vacancy).status == Vacancy.Status.NOMINATED

    nomination_sign_lease(nomination=second, signed_on=today(), lease_start=today())
    assert stored(vacancy).status == Vacancy.Status.LET


def test_a_family_does_not_fit_shared_housing(world, english):
    vacancy = shared_vacancy(world, places=3)

    with pytest.raises(NominationRefused) as refused:
        nomination_create(
            vacancy=vacancy, household=household(world, persons=2), by=world.coordinator
        )

    assert "Shared housing is for singles only." in refused.value.reasons


# --- Hard rules and their override --------------------------------------------------------


def test_five_persons_for_one_bedroom_are_refused_with_the_reason(world, english):
    vacancy = one_bedroom(world)
    family = household(world, persons=5)

    with pytest.raises(NominationRefused, match="does not meet the rules") as refused:
        nomination_create(vacancy=vacancy, household=family, by=world.coordinator)

    assert refused.value.reasons == [
        "Too many persons: 5 (family members expected later included), the dwelling fits at most 2."
    ]
    assert not Nomination.objects.exists()
    assert stored(family).status == Household.Status.SEARCHING
    assert stored(vacancy).status == Vacancy.Status.ACCEPTED


def test_a_justification_of_only_spaces_does_not_override_a_rule(world):
    with pytest.raises(NominationRefused):
        nomination_create(
            vacancy=one_bedroom(world),
            household=household(world, persons=5),
            by=world.coordinator,
            override_reason="   ",
        )

    assert not Nomination.objects.exists()


def test_with_a_justification_the_rule_is_overridden_and_both_are_stored(world, english):
    vacancy = one_bedroom(world)
    family = household(world, persons=5)

    nomination = nomination_create(
        vacancy=vacancy,
        household=family,
        by=world.coordinator,
        override_reason="  Tijdelijk, tot de eengezinswoning in maart vrijkomt.  ",
    )

    saved = stored(nomination)
    assert saved.override_reason == "Tijdelijk, tot de eengezinswoning in maart vrijkomt."
    assert saved.rule_failures == [
        "Too many persons: 5 (family members expected later included), the dwelling fits at most 2."
    ]
    assert statuses(nomination) == ("nominated", "nominated", "nominated")


def test_a_justification_is_not_stored_when_no_rule_was_broken(world):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world),
        household=household(world, persons=2),
        by=world.coordinator,
        override_reason="Voor de zekerheid",
    )

    assert (stored(nomination).rule_failures, stored(nomination).override_reason) == ([], "")


def test_family_members_expected_later_count_for_the_size_rule(world, english):
    family = household(world, persons=2)
    for _ in range(2):
        Person.objects.create(
            household=family,
            full_name="Nareiziger",
            date_of_birth=datetime.date(2019, 4, 1),
            role="child",
            present=False,
        )

    with pytest.raises(NominationRefused) as refused:
        nomination_create(vacancy=one_bedroom(world), household=family, by=world.coordinator)

    assert refused.value.reasons[0].startswith("Too many persons: 4")


# --- Who and what can be nominated --------------------------------------------------------


def test_a_household_in_an_active_nomination_cannot_be_nominated_again(world, english):
    family = household(world, persons=2)
    nomination_create(vacancy=accepted_vacancy(world), household=family, by=world.coordinator)
    other = accepted_vacancy(world)

    with pytest.raises(NominationRefused, match=f"Household {family.reference} already has"):
        nomination_create(vacancy=other, household=family, by=world.coordinator)

    assert stored(other).status == Vacancy.Status.ACCEPTED
    assert family.nominations.count() == 1


def test_a_vacancy_of_another_region_is_refused(world, english):
    woerden_vacancy = accepted_vacancy(
        world, corporation=world.groenwest, municipality=world.woerden, place="Woerden"
    )
    family = household(world, persons=2)

    with pytest.raises(NominationRefused, match="different regions"):
        nomination_create(vacancy=woerden_vacancy, household=family, by=world.coordinator)

    assert stored(family).status == Household.Status.SEARCHING
    assert stored(woerden_vacancy).status == Vacancy.Status.ACCEPTED


@pytest.mark.parametrize("status", ["submitted", "returned", "withdrawn", "let"])
def test_a_vacancy_the_desk_has_not_taken_on_cannot_be_nominated_for(world, english, status):
    extra = {"return_reason": "Te duur"} if status == "returned" else {}
    vacancy = accepted_vacancy(world, status=status, **extra)

    with pytest.raises(NominationRefused, match="cannot take a nomination"):
        nomination_create(vacancy=vacancy, household=household(world), by=world.coordinator)


@pytest.mark.parametrize("status", ["housed", "own_home", "withdrawn", "refused"])
def test_a_household_that_left_the_pool_cannot_be_nominated(world, english, status):
    family = household(world, status=status)

    with pytest.raises(NominationRefused, match="cannot be nominated"):
        nomination_create(vacancy=accepted_vacancy(world), household=family, by=world.coordinator)

    assert stored(family).status == status


# --- What the database refuses on its own -------------------------------------------------


def test_the_database_holds_one_active_nomination_per_place(world):
    vacancy = accepted_vacancy(world)
    nomination_create(vacancy=vacancy, household=household(world), by=world.coordinator)

    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(vacancy=vacancy, place=1, household=household(world))

    assert vacancy.nominations.count() == 1


def test_the_database_holds_one_active_nomination_per_household(world):
    family = household(world)
    nomination_create(vacancy=accepted_vacancy(world), household=family, by=world.coordinator)

    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            vacancy=accepted_vacancy(world), place=1, household=family, status="viewing"
        )

    assert family.nominations.count() == 1


def test_the_database_lets_a_refused_nomination_stand_beside_a_new_one(world):
    vacancy = accepted_vacancy(world)
    family = household(world)
    Nomination.objects.create(
        vacancy=vacancy, place=1, household=family, status="refused", refusal_reason="location"
    )

    Nomination.objects.create(vacancy=vacancy, place=1, household=family)

    assert vacancy.nominations.count() == 2


def test_the_database_refuses_a_rule_failure_without_justification(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(
            vacancy=accepted_vacancy(world),
            household=household(world),
            rule_failures=["Te veel personen"],
        )


# --- Through the pages: Cor of Trivire and Carla of the desk ------------------------------


@pytest.fixture
def trivire_nomination(world):
    """A family of three nominated for Trivire's Singel 250."""
    family = household(world, persons=3, language="Tigrinya")
    return nomination_create(
        vacancy=accepted_vacancy(world, street="Singel 250"),
        household=family,
        by=world.coordinator,
    )


@pytest.fixture
def woonbron_nomination(world):
    return nomination_create(
        vacancy=accepted_vacancy(world, corporation=world.woonbron, street="Bleijenhoek 7"),
        household=household(world, persons=2),
        by=world.coordinator,
    )


def detail(nomination: Nomination) -> str:
    return reverse("nomination_detail", args=[nomination.pk])


def outcome(nomination: Nomination, action: str) -> str:
    return reverse("nomination_outcome", args=[nomination.pk, action])


def test_the_corporation_sees_nominations_for_its_own_vacancies_only(
    world, client_for, trivire_nomination, woonbron_nomination
):
    cor = client_for(world.corporation)

    assert cor.get(detail(trivire_nomination)).status_code == 200
    assert cor.get(detail(woonbron_nomination)).status_code == 404
    assert cor.post(outcome(woonbron_nomination, "accept")).status_code == 404
    listed = cor.get(reverse("nomination_list")).content.decode()
    assert trivire_nomination.household.reference in listed
    assert woonbron_nomination.household.reference not in listed
    assert stored(woonbron_nomination).status == "nominated"


def test_the_other_corporation_sees_its_own_and_not_trivires(
    world, client_for, trivire_nomination, woonbron_nomination
):
    wim = client_for(world.other_corporation)

    assert wim.get(detail(woonbron_nomination)).status_code == 200
    assert wim.get(detail(trivire_nomination)).status_code == 404


def test_the_corporation_sees_a_minimised_profile_without_personal_data(
    world, client_for, trivire_nomination
):
    family = trivire_nomination.household

    html = client_for(world.corporation).get(detail(trivire_nomination)).content.decode()

    profile = html[html.index('id="household-profile"') :]
    assert family.reference in profile
    assert "3 personen" in profile
    for person in members_of(family):
        role = {"main": "hoofdaanvrager", "partner": "partner", "child": "kind"}[person.role]
        assert f"{role}, {person.age_on(today())} jaar" in profile
    assert "Tigrinya" in profile
    for leak in personal_data(family):
        assert leak not in html, f"{leak!r} is shown to the corporation"
    assert family.get_absolute_url() not in html  # no link into the pool


def test_the_corporation_records_a_viewing_and_then_a_refusal(
    world, client_for, trivire_nomination
):
    cor = client_for(world.corporation)
    when = in_days(6)

    response = cor.post(
        outcome(trivire_nomination, "viewing"), {"viewing-when": f"{when:%Y-%m-%d}T10:30"}
    )
    assert response.status_code == 302 and response.url == detail(trivire_nomination)
    assert messages_of(response) == ["Vastgelegd: bezichtiging gepland."]
    assert statuses(trivire_nomination) == ("viewing", "viewing", "nominated")
    assert stored(trivire_nomination).viewing_at == at(when).replace(minute=30)

    response = cor.post(
        outcome(trivire_nomination, "refusal"),
        {
            "refusal-reason": "location",
            "refusal-justified": "no",
            "refusal-notes": "Te ver",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    assert statuses(trivire_nomination) == ("refused", "searching", "accepted")
    refused = stored(trivire_nomination)
    assert (refused.refusal_reason, refused.refusal_justified, refused.refusal_notes) == (
        "location",
        False,
        "Te ver",
    )
    assert stored(trivire_nomination.household).refusal_justified is False


def test_the_corporation_records_the_lease_and_the_move(world, client_for, trivire_nomination):
    cor = client_for(world.corporation)

    cor.post(outcome(trivire_nomination, "accept"))
    cor.post(
        outcome(trivire_nomination, "lease"),
        {"lease-signed_on": f"{today():%Y-%m-%d}", "lease-lease_start": f"{in_days(3):%Y-%m-%d}"},
    )
    assert statuses(trivire_nomination) == ("lease_signed", "lease_signed", "let")
    cor.post(
        outcome(trivire_nomination, "housed"), {"housed-move_in_date": f"{in_days(4):%Y-%m-%d}"}
    )

    assert statuses(trivire_nomination) == ("housed", "housed", "let")


@pytest.mark.parametrize("persona", ["partner", "officer", "finance"])
def test_only_the_desk_and_the_corporation_record_outcomes(
    world, client_for, trivire_nomination, persona
):
    response = client_for(getattr(world, persona)).post(
        outcome(trivire_nomination, "viewing"), {"viewing-when": f"{in_days(2):%Y-%m-%d}T10:00"}
    )

    assert response.status_code == 403
    assert statuses(trivire_nomination) == ("nominated", "nominated", "nominated")


def test_the_corporation_cannot_cancel_a_nomination(world, client_for, trivire_nomination):
    response = client_for(world.corporation).post(
        outcome(trivire_nomination, "cancel"), {"cancel-reason": "Liever een ander gezin"}
    )

    assert response.status_code == 403
    assert stored(trivire_nomination).status == "nominated"


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("viewing", {}),
        ("viewing", {"viewing-when": "volgende week"}),
        ("lease", {"lease-signed_on": "2026-11-20"}),
        ("lease", {"lease-lease_start": "2026-12-01"}),
        ("housed", {}),
        ("refusal", {"refusal-reason": "weather", "refusal-justified": "yes"}),
        ("refusal", {"refusal-reason": "location"}),
    ],
)
def test_bad_input_gives_a_message_and_changes_nothing(
    world, client_for, trivire_nomination, action, data
):
    response = client_for(world.corporation).post(outcome(trivire_nomination, action), data)

    assert response.status_code == 302
    assert response.url == detail(trivire_nomination)
    assert messages_of(response), "the user is told what is wrong"
    assert statuses(trivire_nomination) == ("nominated", "nominated", "nominated")


def test_an_impossible_step_through_the_page_gives_a_message(world, client_for, trivire_nomination):
    response = client_for(world.corporation).post(
        outcome(trivire_nomination, "housed"), {"housed-move_in_date": f"{today():%Y-%m-%d}"}
    )

    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    assert "kan niet naar “gehuisvest”" in messages_of(response)[0]
    assert statuses(trivire_nomination) == ("nominated", "nominated", "nominated")


def test_an_unknown_step_leads_back_to_the_nomination(world, client_for, trivire_nomination):
    response = client_for(world.corporation).post(outcome(trivire_nomination, "teleport"))

    assert response.status_code == 302
    assert response.url == detail(trivire_nomination)
    assert stored(trivire_nomination).status == "nominated"


def test_the_desk_cancels_with_a_reason_only(world, client_for, trivire_nomination):
    carla = client_for(world.coordinator)

    refused = carla.post(outcome(trivire_nomination, "cancel"), {"cancel-reason": ""})
    assert refused.status_code == 302 and messages_of(refused)
    assert stored(trivire_nomination).status == "nominated"

    carla.post(
        outcome(trivire_nomination, "cancel"),
        {"cancel-reason": "Gezin is verhuisd", "confirm": "1"},
    )
    assert statuses(trivire_nomination) == ("cancelled", "searching", "accepted")


# --- Nominating from the vacancy page -----------------------------------------------------


def test_nominating_an_unsuitable_household_shows_the_reasons(world, client_for):
    vacancy = one_bedroom(world)
    family = household(world, persons=5, link_date=in_days(-60))
    carla = client_for(world.coordinator)

    response = carla.post(
        reverse("vacancy_nominate", args=[vacancy.pk]),
        {"household": family.pk, "override_reason": ""},
    )

    assert response.status_code == 302
    assert response.url == (
        f"{reverse('vacancy_candidates', args=[vacancy.pk])}?household={family.reference}"
    )
    said = " ".join(messages_of(response))
    assert "Te veel personen: 5" in said
    assert "motivering" in said
    assert not Nomination.objects.exists()
    page = carla.get(response.url).content.decode()
    assert "Te veel personen: 5" in page


def test_nominating_an_unsuitable_household_with_a_justification(world, client_for):
    vacancy = one_bedroom(world)
    family = household(world, persons=5)
    meeting = Meeting.objects.create(
        region=world.drecht, date=today(), status=Meeting.Status.IN_PROGRESS
    )

    response = client_for(world.coordinator).post(
        reverse("vacancy_nominate", args=[vacancy.pk]),
        {"household": family.pk, "override_reason": "Tijdelijk, in overleg met Trivire"},
    )

    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response.url == detail(nomination)
    assert nomination.override_reason == "Tijdelijk, in overleg met Trivire"
    assert nomination.rule_failures and "Te veel personen: 5" in nomination.rule_failures[0]
    assert nomination.meeting == meeting  # made during the meeting: it is on the decision list
    assert statuses(nomination) == ("nominated", "nominated", "nominated")


def test_a_household_of_another_region_cannot_be_picked(world, client_for):
    vacancy = accepted_vacancy(world)
    woerden_family = household(world, municipality=world.woerden)

    response = client_for(world.coordinator).post(
        reverse("vacancy_nominate", args=[vacancy.pk]), {"household": woerden_family.pk}
    )

    assert response.status_code == 302
    assert messages_of(response)
    assert not Nomination.objects.exists()


def test_only_the_desk_nominates(world, client_for):
    vacancy = accepted_vacancy(world)
    family = household(world)

    response = client_for(world.corporation).post(
        reverse("vacancy_nominate", args=[vacancy.pk]), {"household": family.pk}
    )

    assert response.status_code == 403
    assert not Nomination.objects.exists()
