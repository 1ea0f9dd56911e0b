"""Change history: recorded with the user who made the change, shown to coordinators (and
invoice history to central finance) on each detail page, to nobody else."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit import history
from billing import services as billing_services
from placement.models import Household, Meeting, Nomination, PersonalDataView
from quota.models import QuotaRule, QuotaTarget
from tests.billing.billing_builders import (
    ISSUED_ON,
    cost_key,
    invoice_for,
    nl,
    run_period,
    worked_example,
)
from tests.billing.billing_builders import period as quota_period
from tests.placement.placement_builders import accepted_vacancy, household, members_of

pytestmark = pytest.mark.django_db

SECTION = 'id="wijzigingen"'


def test_a_change_through_a_page_records_who_when_and_old_to_new(world, client_for):
    family = household(world, persons=2)
    response = client_for(world.coordinator).post(
        reverse("household_own_home", args=[family.pk]),
        {
            "own_home-municipality": family.linked_municipality_id,
            "own_home-registered_on": timezone.localdate().isoformat(),
            "own_home-reason": "Koopwoning gevonden",
        },
    )
    assert response.status_code == 302
    row = family.history.order_by("-history_date").first()
    assert row.history_user == world.coordinator
    assert row.status == Household.Status.OWN_HOME

    entry = history.entries_for(family)[0]
    assert entry.user == "Carla"
    assert entry.action == "changed"
    labels = {c.label: (c.old, c.new) for c in entry.changes}
    # Verbose names and choice labels, not field names and raw values (Dutch interface).
    assert labels[nl("status")] == (nl("searching"), nl("found own home"))


def test_the_household_page_shows_changes_of_its_members_newest_first(world, client_for):
    family = household(world, persons=2)
    member = members_of(family)[0]
    member.date_of_birth = datetime.date(1986, 4, 1)
    member.save()
    family.language = "Tigrinya"
    family.save()

    entries = history.entries_for(family)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    newest, member_change = entries[0], entries[1]
    assert [(c.old, c.new) for c in newest.changes] == [("Arabisch", "Tigrinya")]
    assert member.full_name in member_change.subject
    # Dates formatted for the reader (the short date: "14 mrt 1986").
    assert [(c.old, c.new) for c in member_change.changes] == [("14 mrt 1986", "1 apr 1986")]

    page = client_for(world.coordinator).get(reverse("household_detail", args=[family.pk]))
    assert SECTION in page.text
    assert "Tigrinya" in page.text


def test_medical_notes_changes_are_listed_without_their_content(world, client_for):
    family = household(world)
    family.medical_notes = "Rolstoel, hartpatiënt"
    family.save()
    entry = history.entries_for(family)[0]
    assert [c.hidden for c in entry.changes] == [True]
    page = client_for(world.coordinator).get(reverse("household_detail", args=[family.pk]))
    section = page.text.split(SECTION)[1]
    assert "hartpatiënt" not in section


@pytest.mark.parametrize("persona", ["officer", "partner"])
def test_other_roles_do_not_see_the_household_history(world, client_for, persona):
    family = household(world)  # linked to Zwijndrecht: the officer's own municipality
    family.language = "Tigrinya"
    family.save()
    client = client_for(getattr(world, persona))
    page = client.get(reverse("household_detail", args=[family.pk]))
    assert page.status_code == 200
    assert SECTION not in page.text
    full = client.get(reverse("change_history", args=["huishouden", family.pk]))
    assert full.status_code == 403


def test_the_outsider_cannot_open_the_history_of_another_region(world, client_for):
    family = household(world)
    response = client_for(world.outsider).get(
        reverse("change_history", args=["huishouden", family.pk])
    )
    assert response.status_code == 404


def test_vacancy_nomination_and_meeting_pages_show_the_section_to_the_coordinator(
    world, client_for
):
    vacancy = accepted_vacancy(world)
    vacancy.base_rent = "655.50"
    vacancy.save()
    meeting = Meeting.objects.create(region=world.drecht, date=datetime.date(2026, 12, 10))
    meeting.place = "Stadskantoor"
    meeting.save()
    nomination = Nomination.objects.create(
        vacancy=vacancy, household=household(world), nominated_by=world.coordinator
    )
    nomination.viewing_at = timezone.now()
    nomination.save()
    coordinator = client_for(world.coordinator)
    for url in (
        reverse("vacancy_detail", args=[vacancy.pk]),
        reverse("meeting_detail", args=[meeting.pk]),
        reverse("nomination_detail", args=[nomination.pk]),
    ):
        assert SECTION in coordinator.get(url).text
        for persona in ("officer", "partner", "corporation"):
            page = client_for(getattr(world, persona)).get(url)
            if page.status_code == 200:
                assert SECTION not in page.text
    corporation_page = client_for(world.corporation).get(
        reverse("nomination_detail", args=[nomination.pk])
    )
    assert corporation_page.status_code == 200 and SECTION not in corporation_page.text
    entry = history.entries_for(vacancy)[0]
    assert [(c.old, c.new) for c in entry.changes] == [("640,00", "655,50")]


def test_quota_figures_history_on_the_municipality_page(world, client_for):
    target = QuotaTarget.objects.create(
        period=quota_period(2026, 1), municipality=world.zwijndrecht, net_target=40
    )
    target.opening_override = -3
    target.override_reason = "Telling COA"
    target.save()
    url = reverse("quota_municipality", args=[world.zwijndrecht.pk])
    page = client_for(world.coordinator).get(url)
    assert SECTION in page.text and "Telling COA" in page.text
    assert SECTION not in client_for(world.officer).get(url).text


def test_invoice_history_is_for_central_finance_only(world, client_for):
    worked_example(world)
    cost_key(world, "per_person", tariff="100.00")
    invoice = invoice_for(run_period(world), world.zwijndrecht)
    billing_services.invoice_issue(invoice=invoice, issue_date=ISSUED_ON)
    url = reverse("billing_invoice", args=[invoice.pk])
    page = client_for(world.finance).get(url)
    assert SECTION in page.text
    officer_page = client_for(world.officer).get(url)  # Zwijndrecht's own invoice
    assert officer_page.status_code == 200 and SECTION not in officer_page.text
    entry = history.entries_for(invoice)[0]
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes[nl("status")] == (nl("draft"), nl("issued"))
    assert changes[nl("issue date")] == ("—", "15 jul 2026")  # ISSUED_ON, a short date


def test_the_full_history_page_pages_and_the_section_links_to_it(world, client_for):
    family = household(world)
    for n in range(12):
        family.language = f"Taal {n}"
        family.save()
    client = client_for(world.coordinator)
    page = client.get(reverse("household_detail", args=[family.pk]))
    full_url = reverse("change_history", args=["huishouden", family.pk])
    assert full_url in page.text
    assert "Taal 11" in page.text and "Taal 0<" not in page.text
    full = client.get(full_url)
    assert full.status_code == 200
    assert "Taal 0" in full.text and "Taal 11" in full.text


def test_the_section_costs_the_same_queries_for_few_and_many_changes(world, client_for):
    family = household(world, persons=3)
    client = client_for(world.coordinator)
    url = reverse("household_detail", args=[family.pk])
    client.get(url)  # warm up caches (session, membership)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        family.language = f"Taal {n}"
        family.save()
        for member in members_of(family):
            member.v_number = f"{5500000000 + n * 10 + member.pk % 10}"
            member.save()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    history_queries = [q for q in many.captured_queries if "audit_historical" in q["sql"]]
    # Household rows and member rows; and household rows again for the timeline
    # (placement/timeline.py; its nominations' rows too, when there are nominations).
    assert len(history_queries) == 3
    assert len(many.captured_queries) == len(few.captured_queries)


def test_counting_rule_history_for_coordinators_cost_key_history_for_finance(world, client_for):
    rule = QuotaRule.for_region(world.drecht)
    rule.counting_date = "move_in"
    rule.save()
    key = cost_key(world, "per_person", tariff="100.00")
    key.tariff = "110.00"
    key.save()

    assert SECTION in client_for(world.coordinator).get(reverse("quota_rule")).text
    finance = client_for(world.finance)
    key_page = finance.get(reverse("billing_cost_key_edit", args=[key.pk]))
    assert SECTION in key_page.text and "110,00" in key_page.text
    full = finance.get(reverse("change_history", args=["verdeelsleutel", key.pk]))
    assert full.status_code == 200
    refused = client_for(world.coordinator).get(
        reverse("change_history", args=["verdeelsleutel", key.pk])
    )
    assert refused.status_code == 403


def test_reading_a_households_full_history_is_logged(world, client_for):
    family = household(world)
    client_for(world.coordinator).get(reverse("change_history", args=["huishouden", family.pk]))
    read = PersonalDataView.objects.get(household=family, page="change_history")
    assert read.user == world.coordinator
    assert "identity" in read.groups and "medical" not in read.groups
