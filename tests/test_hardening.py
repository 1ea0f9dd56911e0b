"""Regression tests for what a review found: workflow holes, access at the edges, and inputs
that used to end in a server error."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from placement import nominating, services
from placement.models import Meeting, Nomination, Vacancy
from regions.access import capabilities
from regions.models import Membership, Role

from .factories import OrganisationFactory, UserFactory
from .placement.placement_builders import (
    accepted_vacancy,
    household,
    messages_of,
    shared_vacancy,
    stored,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def half_nominated(world):
    """A shared dwelling with two rooms, one of them nominated: the vacancy stays open."""
    vacancy = shared_vacancy(world, places=2)
    single = household(world)
    nomination = nominating.nomination_create(
        vacancy=vacancy, household=single, by=world.coordinator
    )
    return stored(vacancy), nomination


# --- A vacancy with an active nomination --------------------------------------------------


def test_a_corporation_cannot_withdraw_a_vacancy_with_an_active_nomination(
    world, client_for, half_nominated
):
    vacancy, nomination = half_nominated

    response = client_for(world.corporation).post(
        reverse("vacancy_withdraw", args=[vacancy.pk]), {"confirm": "1"}
    )

    assert response.status_code == 302
    assert stored(vacancy).status == vacancy.status != Vacancy.Status.WITHDRAWN
    assert stored(nomination).status == Nomination.Status.NOMINATED


def test_the_desk_cannot_return_a_vacancy_with_an_active_nomination(world, half_nominated):
    vacancy, _nomination = half_nominated

    with pytest.raises(services.TransitionError):
        services.vacancy_return(vacancy=vacancy, reason="Niet meer nodig")

    assert stored(vacancy).status != Vacancy.Status.RETURNED


def test_a_nomination_on_a_withdrawn_vacancy_can_only_be_cancelled(world, half_nominated):
    vacancy, nomination = half_nominated
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.WITHDRAWN)  # old data

    with pytest.raises(nominating.OutcomeError):
        nominating.nomination_sign_lease(
            nomination=nomination,
            signed_on=datetime.date.today(),
            lease_start=datetime.date.today(),
        )
    nominating.nomination_cancel(nomination=nomination, reason="Woning ingetrokken")
    assert stored(nomination).status == Nomination.Status.CANCELLED


# --- Editing a vacancy --------------------------------------------------------------------


def test_the_desk_cannot_edit_a_let_vacancy(world, client_for):
    vacancy = accepted_vacancy(world, status=Vacancy.Status.LET)

    response = client_for(world.coordinator).post(
        reverse("vacancy_edit", args=[vacancy.pk]), {"municipality": world.zwijndrecht.pk}
    )

    assert response.status_code == 302
    assert stored(vacancy).municipality == world.dordrecht


def test_a_shared_dwelling_keeps_the_places_that_have_a_nomination(world, client_for):
    vacancy = shared_vacancy(world, places=3)
    nominating.nomination_create(
        vacancy=vacancy, household=household(world), place=3, by=world.coordinator
    )
    client = client_for(world.coordinator)
    form = client.get(reverse("vacancy_edit", args=[vacancy.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v not in (None, False)}

    response = client.post(reverse("vacancy_edit", args=[vacancy.pk]), {**data, "places": 2})

    assert response.status_code == 200
    assert "places" in response.context["form"].errors
    assert stored(vacancy).places == 3


# --- Finance belongs to the centre --------------------------------------------------------


def test_finance_at_a_non_central_municipality_is_refused_and_gets_no_billing(world):
    organisation = OrganisationFactory(
        region=world.drecht,
        name="Gemeente Papendrecht",
        kind="municipality",
        municipality=world.papendrecht,
    )
    user = UserFactory(username="pien")
    membership = Membership(user=user, organisation=organisation, role=Role.FINANCE)

    with pytest.raises(ValidationError):
        membership.full_clean()
    membership.save()  # as if made around the form: it still gets no billing powers
    assert not capabilities(user).manages_billing
    assert not capabilities(user).sees_invoices
    assert capabilities(world.finance).manages_billing  # Dordrecht, the central municipality


# --- Personal data in free text -----------------------------------------------------------


def test_a_corporation_does_not_read_the_override_justification(world, client_for):
    vacancy = accepted_vacancy(world, bedrooms=1, rooms=2)
    family = household(world, persons=5)
    nomination = nominating.nomination_create(
        vacancy=vacancy,
        household=family,
        by=world.coordinator,
        override_reason="Moeder heeft epilepsie, zie dossier",
    )

    page = client_for(world.corporation).get(nomination.get_absolute_url()).content.decode()

    assert "epilepsie" not in page


# --- Inputs that used to end in a server error --------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/huishoudens/?per_page=-1",
        "/huishoudens/?per_page=99999999999999999999",
        "/woningaanbod/?per_page=-1",
        "/voordrachten/?per_page=-5",
        "/huishoudens/?weeks_min=99999999999",
        "/huishoudens/?weeks_min=200000",
        "/huishoudens/?size_min=99999999999999999999",
    ],
)
def test_odd_list_parameters_never_break_a_page(world, client_for, url):
    assert client_for(world.coordinator).get(url).status_code == 200


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("viewing", {"viewing-when": "0001-01-01T00:00"}),
        ("lease", {"lease-signed_on": "0001-01-01", "lease-lease_start": "0001-01-01"}),
        ("housed", {"housed-move_in_date": "9999-12-31"}),
    ],
)
def test_dates_far_out_of_range_are_refused_with_a_message(world, client_for, action, data):
    nomination = nominating.nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )

    response = client_for(world.coordinator).post(
        reverse("nomination_outcome", args=[nomination.pk, action]), data
    )

    assert response.status_code == 302
    assert messages_of(response)
    assert stored(nomination).status == Nomination.Status.NOMINATED


def test_a_huge_quota_target_is_refused_next_to_the_field(world, client_for):
    from quota.models import QuotaPeriod, QuotaTarget

    QuotaPeriod.objects.create(year=2026, half=2)
    data = {"save": "1", f"m{world.dordrecht.pk}-net_target": "99999999999999999999"}

    response = client_for(world.coordinator).post(reverse("quota_targets", args=["2026-2"]), data)

    assert response.status_code == 400
    assert not QuotaTarget.objects.exists()


def test_a_closed_meeting_cannot_be_edited(world, client_for):
    meeting = Meeting.objects.create(
        region=world.drecht, date=datetime.date(2026, 10, 20), status=Meeting.Status.CLOSED
    )

    response = client_for(world.coordinator).post(
        reverse("meeting_edit", args=[meeting.pk]), {"place": "Elders", "notes": "later"}
    )

    assert response.status_code == 302
    assert stored(meeting).place == ""
