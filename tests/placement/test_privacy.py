"""Minimisation by purpose (issue 9, AVG art. 5 and 25): per role, which groups of a household's
data a page shows. Each test looks for the actual name, V-number, income, medical text and
notes in the HTML."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from placement.models import Household, Nomination, PersonalDataView, SupportLink
from regions.access import (
    ALL_GROUPS,
    Group,
    HouseholdFacts,
    disclosed_groups,
    disclosing_conditions,
)
from regions.models import Organisation, Role

from .placement_builders import accepted_vacancy, household, members_of, today

# Dutch once the translations are merged; the English source string until then.
HIDDEN = ("Niet zichtbaar voor uw rol", "Not visible for your role")


def _says_hidden(html: str) -> bool:
    return any(text in html for text in HIDDEN)


def _private(world, municipality, tag: str) -> Household:
    h = household(
        world,
        persons=2,
        municipality=municipality,
        annual_income=Decimal("23456.78"),
        income_type=Household.IncomeType.WAGE,
        medical_notes=f"Astma-MEDISCH-{tag}",
        notes=f"NOTITIE-{tag}",
        coa_location=f"COA-Budel-{tag}",
    )
    return h


def _texts(h: Household) -> dict[str, list[str]]:
    members = members_of(h)
    return {
        Group.IDENTITY: [m.full_name for m in members] + [m.v_number for m in members],
        Group.BACKGROUND: [h.notes, h.coa_location],
        # However the amount is written: "23.456,78" (Dutch), "23,456.78" (English), plain.
        Group.INCOME: ["23.456,78", "23,456.78", "23456,78", "23456.78"],
        Group.MEDICAL: [h.medical_notes],
    }


def _assert_groups(html: str, h: Household, shown: set[Group]) -> None:
    for group, texts in _texts(h).items():
        if group == Group.INCOME:
            present = any(t in html for t in texts)
            assert present == (group in shown), (group, shown)
            continue
        for text in texts:
            assert (text in html) == (group in shown), (group, text, shown)


@pytest.fixture
def households(world):
    own = _private(world, world.zwijndrecht, "own")
    other = _private(world, world.dordrecht, "other")
    housed_here = _private(world, world.dordrecht, "housed")
    vacancy = accepted_vacancy(world, municipality=world.zwijndrecht)
    Nomination.objects.create(
        vacancy=vacancy,
        household=housed_here,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on=today(),
        lease_start=today() + datetime.timedelta(days=7),
    )
    return own, other, housed_here


def _detail(client, h):
    response = client.get(reverse("household_detail", args=[h.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- The rule itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "facts", "expected"),
    [
        (Role.COORDINATOR, HouseholdFacts(), ALL_GROUPS),
        (Role.MUNICIPALITY_OFFICER, HouseholdFacts(own_municipality=True), ALL_GROUPS),
        (Role.MUNICIPALITY_OFFICER, HouseholdFacts(in_caseload=True), {Group.MEETING}),
        (Role.PARTNER, HouseholdFacts(), {Group.MEETING}),
        (
            Role.PARTNER,
            HouseholdFacts(in_caseload=True),
            {Group.MEETING, Group.IDENTITY, Group.BACKGROUND},
        ),
        (
            Role.PARTNER,
            HouseholdFacts(in_caseload=True, medical_granted=True),
            {Group.MEETING, Group.IDENTITY, Group.BACKGROUND, Group.MEDICAL},
        ),
        # A grant without the caseload link gives nothing.
        (Role.PARTNER, HouseholdFacts(income_granted=True, medical_granted=True), {Group.MEETING}),
        (Role.CORPORATION, HouseholdFacts(own_municipality=True), {Group.MEETING}),
        (Role.FINANCE, HouseholdFacts(own_municipality=True), {Group.MEETING}),
        (None, HouseholdFacts(own_municipality=True), set()),
    ],
)
def test_disclosed_groups_per_role(role, facts, expected):
    assert disclosed_groups(role, facts) == frozenset(expected)


def test_sql_conditions_are_derived_from_the_rule():
    assert disclosing_conditions(Role.COORDINATOR, Group.MEDICAL) == [{}]
    assert disclosing_conditions(Role.PARTNER, Group.INCOME) == [
        {"in_caseload": True, "income_granted": True}
    ]
    assert disclosing_conditions(Role.FINANCE, Group.IDENTITY) == []


# --- Household page per role x group ---------------------------------------------------------


def test_coordinator_sees_everything(world, households, client_for):
    _own, other, _housed = households
    html = _detail(client_for(world.coordinator), other)
    _assert_groups(html, other, set(ALL_GROUPS))
    assert not _says_hidden(html)


def test_officer_sees_own_municipality_in_full(world, households, client_for):
    own, _other, _housed = households
    html = _detail(client_for(world.officer), own)
    _assert_groups(html, own, set(ALL_GROUPS))


def test_officer_sees_household_being_housed_in_own_municipality_in_full(
    world, households, client_for
):
    _own, _other, housed_here = households
    html = _detail(client_for(world.officer), housed_here)
    _assert_groups(html, housed_here, set(ALL_GROUPS))


def test_officer_sees_only_meeting_data_of_the_rest_of_the_pool(world, households, client_for):
    _own, other, _housed = households
    html = _detail(client_for(world.officer), other)
    _assert_groups(html, other, {Group.MEETING})
    assert _says_hidden(html)
    assert other.reference in html
    # The meeting data stays: composition by role and age.
    assert "hoofdaanvrager" in html or "main applicant" in html


def test_partner_without_caseload_sees_only_meeting_data(world, households, client_for):
    own, _other, _housed = households
    html = _detail(client_for(world.partner), own)
    _assert_groups(html, own, {Group.MEETING})
    assert _says_hidden(html)


def test_partner_caseload_in_full_except_income_and_medical(world, households, client_for):
    own, _other, _housed = households
    SupportLink.objects.create(household=own, organisation=world.partner.membership.organisation)
    html = _detail(client_for(world.partner), own)
    _assert_groups(html, own, {Group.MEETING, Group.IDENTITY, Group.BACKGROUND})
    assert _says_hidden(html)


def test_partner_sees_income_and_medical_only_when_granted(world, households, client_for):
    own, _other, _housed = households
    link = SupportLink.objects.create(
        household=own,
        organisation=world.partner.membership.organisation,
        may_see_income=True,
    )
    html = _detail(client_for(world.partner), own)
    _assert_groups(html, own, {Group.MEETING, Group.IDENTITY, Group.BACKGROUND, Group.INCOME})
    link.may_see_medical = True
    link.save()
    html = _detail(client_for(world.partner), own)
    _assert_groups(html, own, set(ALL_GROUPS))


def test_caseload_of_another_organisation_gives_partner_nothing(world, households, client_for):
    own, _other, _housed = households
    elsewhere = Organisation.objects.create(
        region=world.drecht, name="Stichting Anders", kind=Organisation.Kind.SUPPORT
    )
    SupportLink.objects.create(
        household=own, organisation=elsewhere, may_see_income=True, may_see_medical=True
    )
    html = _detail(client_for(world.partner), own)
    _assert_groups(html, own, {Group.MEETING})


# --- Pool list and search --------------------------------------------------------------------


def test_pool_list_shows_names_only_where_identity_is_shown(world, households, client_for):
    own, other, housed_here = households
    html = client_for(world.officer).get(reverse("household_list")).content.decode()
    main = {h: next(m for m in members_of(h) if m.role == "main") for h in households}
    assert main[own].full_name in html
    assert main[housed_here].full_name in html
    assert main[other].full_name not in html
    assert other.reference in html


def test_partner_pool_list_shows_no_names_outside_caseload(world, households, client_for):
    html = client_for(world.partner).get(reverse("household_list")).content.decode()
    for h in households:
        for text in _texts(h)[Group.IDENTITY]:
            assert text not in html
        assert h.reference in html


def test_search_by_name_or_v_number_only_within_what_the_user_may_see(
    world, households, client_for
):
    own, other, _housed = households
    client = client_for(world.officer)
    other_main = next(m for m in members_of(other) if m.role == "main")
    own_main = next(m for m in members_of(own) if m.role == "main")
    for query in (other_main.full_name, other_main.v_number):
        html = client.get(reverse("household_list"), {"q": query}).content.decode()
        assert other.reference not in html
    html = client.get(reverse("household_list"), {"q": own_main.v_number}).content.decode()
    assert own.reference in html
    # The coordinator finds anyone by name.
    html = (
        client_for(world.coordinator)
        .get(reverse("household_list"), {"q": other_main.full_name})
        .content.decode()
    )
    assert other.reference in html


# --- Other pages that show household data ------------------------------------------------------


def _refused(world, h: Household) -> Nomination:
    return Nomination.objects.create(
        vacancy=accepted_vacancy(world),
        household=h,
        status=Nomination.Status.REFUSED,
        refusal_reason=Nomination.RefusalReason.HEALTH,
        refusal_justified=True,
        refusal_notes="WEIGERING-detail-xyz",
    )


def test_nomination_notes_follow_the_households_background(world, households, client_for):
    own, other, _housed = households
    nomination = _refused(world, other)
    url = reverse("nomination_detail", args=[nomination.pk])
    assert "WEIGERING-detail-xyz" in client_for(world.coordinator).get(url).content.decode()
    assert "WEIGERING-detail-xyz" not in client_for(world.officer).get(url).content.decode()
    assert "WEIGERING-detail-xyz" not in client_for(world.partner).get(url).content.decode()
    own_nomination = _refused(world, own)
    own_url = reverse("nomination_detail", args=[own_nomination.pk])
    assert "WEIGERING-detail-xyz" in client_for(world.officer).get(own_url).content.decode()


def test_fitting_vacancies_page_shows_no_personal_data_to_others(world, households, client_for):
    _own, other, _housed = households
    accepted_vacancy(world)
    response = client_for(world.officer).get(reverse("household_vacancies", args=[other.pk]))
    assert response.status_code == 200
    _assert_groups(response.content.decode(), other, {Group.MEETING})


def test_candidates_page_shows_no_personal_data_to_partner(world, households, client_for):
    own, _other, _housed = households
    vacancy = accepted_vacancy(world)
    response = client_for(world.partner).get(
        reverse("vacancy_candidates", args=[vacancy.pk]), {"household": own.reference}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert own.reference in html
    _assert_groups(html, own, {Group.MEETING})


def test_relink_list_shows_no_home_addresses_to_finance(world, client_for):
    h = household(world, municipality=world.dordrecht)
    vacancy = accepted_vacancy(world, municipality=world.zwijndrecht, street="Geheimstraat 7")
    Nomination.objects.create(
        vacancy=vacancy,
        household=h,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on=today(),
        lease_start=today(),
    )
    url = reverse("quota_relinks")
    finance = client_for(world.finance).get(url).content.decode()
    assert h.reference in finance
    assert "Geheimstraat 7" not in finance
    assert "Geheimstraat 7" in client_for(world.coordinator).get(url).content.decode()


# --- Caseload links: managed by the coordinator ---------------------------------------------


def test_coordinator_adds_a_caseload_link_with_grants(world, households, client_for):
    own, _other, _housed = households
    vwn = world.partner.membership.organisation
    response = client_for(world.coordinator).post(
        reverse("support_link_add", args=[own.pk]),
        {"organisation": vwn.pk, "may_see_income": "on"},
    )
    assert response.status_code == 302
    link = SupportLink.objects.get(household=own, organisation=vwn)
    assert link.may_see_income and not link.may_see_medical
    assert link.created_by == world.coordinator


def test_caseload_link_refuses_a_duplicate_or_a_non_support_organisation(
    world, households, client_for
):
    own, _other, _housed = households
    vwn = world.partner.membership.organisation
    SupportLink.objects.create(household=own, organisation=vwn)
    client = client_for(world.coordinator)
    for organisation in (vwn, world.trivire):
        response = client.post(
            reverse("support_link_add", args=[own.pk]), {"organisation": organisation.pk}
        )
        assert response.status_code == 400
        assert "organisation" in response.context["support_form"].errors
    assert SupportLink.objects.filter(household=own).count() == 1


@pytest.mark.parametrize("persona", ["officer", "partner", "corporation", "finance", "outsider"])
def test_only_the_coordinator_manages_caseloads(world, households, client_for, persona):
    own, _other, _housed = households
    vwn = world.partner.membership.organisation
    response = client_for(getattr(world, persona)).post(
        reverse("support_link_add", args=[own.pk]),
        {"organisation": vwn.pk, "may_see_income": "on", "may_see_medical": "on"},
    )
    assert response.status_code in (403, 404)
    assert not SupportLink.objects.exists()


def test_coordinator_changes_grants_and_removes_after_confirming(world, households, client_for):
    own, _other, _housed = households
    link = SupportLink.objects.create(
        household=own, organisation=world.partner.membership.organisation
    )
    client = client_for(world.coordinator)
    client.post(
        reverse("support_link_grants", args=[own.pk, link.pk]),
        {f"link{link.pk}-may_see_medical": "on"},
    )
    link.refresh_from_db()
    assert link.may_see_medical and not link.may_see_income
    remove = reverse("support_link_remove", args=[own.pk, link.pk])
    confirm = client.get(remove)
    assert confirm.status_code == 200
    assert SupportLink.objects.filter(pk=link.pk).exists()
    assert "placement/support_link_remove.html" in [t.name for t in confirm.templates]
    assert client.post(remove).status_code == 302
    assert not SupportLink.objects.filter(pk=link.pk).exists()


def test_partner_cannot_remove_or_widen_a_link(world, households, client_for):
    own, _other, _housed = households
    link = SupportLink.objects.create(
        household=own, organisation=world.partner.membership.organisation
    )
    client = client_for(world.partner)
    assert (
        client.post(
            reverse("support_link_grants", args=[own.pk, link.pk]),
            {f"link{link.pk}-may_see_medical": "on"},
        ).status_code
        == 403
    )
    assert client.post(reverse("support_link_remove", args=[own.pk, link.pk])).status_code == 403
    link.refresh_from_db()
    assert not link.may_see_medical


# --- Free-text limits -------------------------------------------------------------------------


def test_too_long_medical_notes_are_a_form_error_not_a_500(world, households, client_for):
    own, _other, _housed = households
    client = client_for(world.coordinator)
    page = client.get(reverse("household_edit", args=[own.pk]))
    form = page.context["form"]
    formset = page.context["formset"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["link_date"] = own.link_date.isoformat()
    data["medical_notes"] = "x" * 1001
    for key, value in formset.management_form.initial.items():
        data[f"members-{key}"] = value
    for i, member_form in enumerate(formset.forms):
        for name in member_form.fields:
            value = member_form[name].value()
            if value is None or value is False:
                continue
            data[f"members-{i}-{name}"] = "on" if value is True else value
    data["members-0-date_of_birth"] = members_of(own)[0].date_of_birth.isoformat()
    response = client.post(reverse("household_edit", args=[own.pk]), data)
    assert response.status_code == 200
    assert "medical_notes" in response.context["form"].errors
    assert "1000" in " ".join(response.context["form"].errors["medical_notes"])
    own.refresh_from_db()
    assert own.medical_notes == "Astma-MEDISCH-own"


def test_too_long_status_reason_is_refused_with_a_message(world, households, client_for):
    own, _other, _housed = households
    response = client_for(world.coordinator).post(
        reverse("household_status", args=[own.pk]), {"status": "withdrawn", "reason": "r" * 501}
    )
    assert response.status_code == 400
    own.refresh_from_db()
    assert own.status == Household.Status.SEARCHING


@pytest.mark.django_db(transaction=False)
def test_database_refuses_over_long_medical_notes_and_notes(world):
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("CHECK on length is tested on PostgreSQL")
    h = household(world)
    for field, limit in (("medical_notes", 1000), ("notes", 2000)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Household.objects.filter(pk=h.pk).update(**{field: "x" * (limit + 1)})
        Household.objects.filter(pk=h.pk).update(**{field: "x" * limit})


def test_meeting_nomination_dashboard_and_quota_pages_show_only_references(
    world, households, client_for
):
    """Pages made for the meeting and the figures show references and composition, never a
    name, V-number, income or medical note, whatever the role (so they need no logging)."""
    from placement.models import AgendaItem, Meeting

    from .placement_builders import personal_data

    own, other, housed_here = households
    meeting = Meeting.objects.create(region=world.drecht, date=today() + datetime.timedelta(days=9))
    AgendaItem.objects.create(meeting=meeting, kind=AgendaItem.Kind.HOUSEHOLD, household=other)
    AgendaItem.objects.create(meeting=meeting, kind=AgendaItem.Kind.HOUSEHOLD, household=own)
    pages = [
        reverse("meeting_detail", args=[meeting.pk]),
        reverse("nomination_list") + "?status=all",
        reverse("dashboard"),
        reverse("quota_relinks"),
    ]
    leaks = personal_data(own, other, housed_here) + [
        "23456,78",
        "23.456,78",
        *(h.medical_notes for h in households),
        *(h.notes for h in households),
    ]
    for persona in ("coordinator", "officer", "partner"):
        client = client_for(getattr(world, persona))
        for path in pages:
            html = client.get(path).content.decode()
            assert not [text for text in leaks if text in html], (persona, path)
    assert not PersonalDataView.objects.exists()
