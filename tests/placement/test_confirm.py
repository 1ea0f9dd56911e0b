"""What cannot be undone is confirmed first (issue 11).

Cor (corporation) withdraws a vacancy, Carla (coordinator) returns one, records a refusal,
cancels a nomination, records a dissolved lease, closes a meeting and nominates the ticked lines
of the proposal; Fien (finance) issues an invoice and a whole run. Each first POST changes
nothing and says exactly what will happen, with the posted data kept in hidden fields and a
"Yes, …" button; only the POST with ``confirm=1`` acts. A form with errors shows them first.
With htmx the same step comes as a <dialog> fragment; every other answer is a whole page.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from billing.models import Invoice
from placement.meetings import agenda_build
from placement.models import Meeting, Nomination, Vacancy
from placement.nominating import nomination_create, nomination_sign_lease
from tests.billing.billing_builders import cost_key, invoice_for, run_period, worked_example

from .placement_builders import accepted_vacancy, household, stored, today

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def page(response) -> str:
    return response.content.decode()


def hidden_fields(html: str) -> dict[str, list[str]]:
    form = re.search(r'<section class="confirm.*?</section>', html, flags=re.S).group(0)
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        fields.setdefault(name, []).append(value)
    return fields


def asks(response, *texts: str) -> str:
    """The answer is the confirm step (a page) saying ``texts``, ready to post again."""
    html = page(response)
    assert response.status_code == 200
    assert 'id="confirm-yes"' in html and 'id="confirm-cancel"' in html
    assert hidden_fields(html)["confirm"] == ["1"]
    for text in texts:
        assert escape(text) in html, text
    return html


# --- Vacancies -------------------------------------------------------------------------------


def submitted_vacancy(world) -> Vacancy:
    vacancy = accepted_vacancy(world, street="Singel 250")
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.SUBMITTED)
    return stored(vacancy)


def test_withdrawing_a_vacancy_asks_first_and_acts_only_when_confirmed(world, client_for):
    vacancy = submitted_vacancy(world)
    cor = client_for(world.corporation)
    url = reverse("vacancy_withdraw", args=[vacancy.pk])

    first = cor.post(url)

    html = asks(first, nl("Yes, withdraw the vacancy"))
    assert str(vacancy) in html
    assert f'href="{vacancy.get_absolute_url()}"' in html  # "Cancel" goes back
    assert stored(vacancy).status == Vacancy.Status.SUBMITTED

    second = cor.post(url, hidden_fields(html))

    assert second.status_code == 302
    assert stored(vacancy).status == Vacancy.Status.WITHDRAWN


def test_a_withdrawal_the_workflow_refuses_is_not_asked_about(world, client_for):
    vacancy = submitted_vacancy(world)
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.WITHDRAWN)

    response = client_for(world.corporation).post(reverse("vacancy_withdraw", args=[vacancy.pk]))

    assert response.status_code == 302  # straight back with the reason as a message


def test_returning_a_vacancy_names_the_corporation_and_the_reason(world, client_for):
    vacancy = submitted_vacancy(world)
    carla = client_for(world.coordinator)
    url = reverse("vacancy_return", args=[vacancy.pk])

    html = asks(
        carla.post(url, {"reason": "Huur te hoog"}), "Huur te hoog", str(vacancy.corporation)
    )
    assert hidden_fields(html)["reason"] == ["Huur te hoog"]
    assert stored(vacancy).status == Vacancy.Status.SUBMITTED

    carla.post(url, hidden_fields(html))

    assert (stored(vacancy).status, stored(vacancy).return_reason) == ("returned", "Huur te hoog")


def test_a_return_without_a_reason_shows_the_error_before_any_question(world, client_for):
    vacancy = submitted_vacancy(world)

    response = client_for(world.coordinator).post(
        reverse("vacancy_return", args=[vacancy.pk]), {"reason": " "}
    )

    assert response.status_code == 400
    assert 'id="confirm-yes"' not in page(response)
    assert stored(vacancy).status == Vacancy.Status.SUBMITTED


# --- Nominations -----------------------------------------------------------------------------


def outcome(n: Nomination, action: str) -> str:
    return reverse("nomination_outcome", args=[n.pk, action])


@pytest.fixture
def nominated(world) -> Nomination:
    return nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )


def test_a_refusal_is_confirmed_with_its_reason(world, client_for, nominated):
    carla = client_for(world.coordinator)
    data = {"refusal-reason": "location", "refusal-justified": "no", "refusal-notes": "Te ver"}

    html = asks(
        carla.post(outcome(nominated, "refusal"), data),
        nominated.household.reference,
        nl("not justified"),
        nl("Yes, record the refusal"),
    )
    assert stored(nominated).status == Nomination.Status.NOMINATED

    carla.post(outcome(nominated, "refusal"), hidden_fields(html))

    refused = stored(nominated)
    assert (refused.status, refused.refusal_reason, refused.refusal_notes) == (
        "refused",
        "location",
        "Te ver",
    )


def test_cancelling_is_confirmed_and_a_missing_reason_is_said_first(world, client_for, nominated):
    carla = client_for(world.coordinator)

    refused = carla.post(outcome(nominated, "cancel"), {"cancel-reason": ""})
    assert refused.status_code == 302  # the error, as a message on the nomination page

    html = asks(carla.post(outcome(nominated, "cancel"), {"cancel-reason": "Dubbel"}), "Dubbel")
    assert stored(nominated).status == Nomination.Status.NOMINATED

    carla.post(outcome(nominated, "cancel"), hidden_fields(html))

    assert stored(nominated).status == Nomination.Status.CANCELLED


def test_a_dissolved_lease_is_confirmed_with_what_follows(world, client_for, nominated):
    signed = today() - datetime.timedelta(days=7)
    nomination_sign_lease(nomination=nominated, signed_on=signed, lease_start=today())
    carla = client_for(world.coordinator)
    data = {
        "dissolve-reason": "income_check",
        "dissolve-dissolved_on": today().isoformat(),
        "dissolve-vacancy_to": "open",
    }

    html = asks(
        carla.post(outcome(nominated, "dissolve"), data),
        nl("The placement no longer counts for the quota."),
    )
    assert stored(nominated).status == Nomination.Status.LEASE_SIGNED

    carla.post(outcome(nominated, "dissolve"), hidden_fields(html))

    assert stored(nominated).status == Nomination.Status.DISSOLVED


# --- Meetings --------------------------------------------------------------------------------


@pytest.fixture
def meeting(world) -> Meeting:
    meeting = Meeting.objects.create(region=world.drecht, date=today() + datetime.timedelta(days=7))
    Meeting.objects.create(region=world.drecht, date=today() + datetime.timedelta(days=35))
    accepted_vacancy(world, street="Singel 250")
    household(world, reference="DS-2026-0101", link_date=today() - datetime.timedelta(weeks=9))
    agenda_build(meeting=meeting, today=today())
    return meeting


def test_closing_a_meeting_says_what_happens_to_the_open_items(world, client_for, meeting):
    carla = client_for(world.coordinator)
    url = reverse("meeting_close", args=[meeting.pk])
    open_count = meeting.items.filter(outcome="open").count()
    assert open_count

    html = asks(carla.post(url, {"undecided": "drop"}), nl("Yes, close the meeting"))
    assert str(open_count) in html
    assert stored(meeting).status == Meeting.Status.PLANNED

    carla.post(url, hidden_fields(html))

    assert stored(meeting).status == Meeting.Status.CLOSED


def test_nominating_the_ticked_lines_lists_every_nomination_first(world, client_for, meeting):
    carla = client_for(world.coordinator)
    url = reverse("meeting_proposal", args=[meeting.pk])
    lines = re.findall(r'name="line" value="([^"]+)"', page(carla.get(url)))
    assert lines

    html = asks(carla.post(url, {"line": lines}), "DS-2026-0101 → Singel 250")
    assert hidden_fields(html)["line"] == lines
    assert not Nomination.objects.filter(meeting=meeting).exists()

    carla.post(url, hidden_fields(html))

    assert Nomination.objects.filter(meeting=meeting).count() == len(lines)


# --- Invoices --------------------------------------------------------------------------------


@pytest.fixture
def run(world):
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    return run_period(world, 2026, 1)


def test_issuing_an_invoice_names_the_municipality_the_amount_and_the_number(
    world, client_for, run
):
    draft = invoice_for(run, world.zwijndrecht)
    fien = client_for(world.finance)
    url = reverse("billing_invoice_action", args=[draft.pk, "issue"])

    html = asks(
        fien.post(url, {"issue-issue_date": "2026-07-15"}),
        str(world.zwijndrecht),
        "4.200,00",
        f"{draft.region.code}-2026-0001F",
    )
    assert stored(draft).status == Invoice.Status.DRAFT

    fien.post(url, hidden_fields(html))

    assert (stored(draft).status, stored(draft).number) == ("issued", "DS-2026-0001F")


def test_issuing_a_run_lists_each_invoice_first(world, client_for, run):
    fien = client_for(world.finance)
    url = reverse("billing_run_issue", args=[run.pk])

    html = asks(fien.post(url, {"issue_date": "2026-07-15"}), str(world.papendrecht), "1.050,00")
    assert not run.invoices.exclude(status=Invoice.Status.DRAFT).exists()

    fien.post(url, hidden_fields(html))

    assert not run.invoices.filter(status=Invoice.Status.DRAFT).exists()


# --- With htmx: a dialog, and whole pages for everything else --------------------------------


def test_with_htmx_the_confirm_step_is_a_dialog(world, client_for):
    vacancy = submitted_vacancy(world)

    response = client_for(world.corporation).post(
        reverse("vacancy_withdraw", args=[vacancy.pk]), **HTMX
    )

    html = page(response)
    assert html.lstrip().startswith("<dialog") and "data-confirm-dialog" in html
    assert "<html" not in html
    assert stored(vacancy).status == Vacancy.Status.SUBMITTED


def test_with_htmx_a_redirect_and_a_page_with_errors_are_whole_pages(world, client_for):
    vacancy = submitted_vacancy(world)
    carla = client_for(world.coordinator)
    url = reverse("vacancy_return", args=[vacancy.pk])

    errors = carla.post(url, {"reason": ""}, **HTMX)
    done = carla.post(url, {"reason": "Huur te hoog", "confirm": "1"}, **HTMX)

    assert errors.status_code == 400 and errors["HX-Retarget"] == "body"
    assert done["HX-Redirect"] == vacancy.get_absolute_url()
    assert stored(vacancy).status == Vacancy.Status.RETURNED


# --- Work that takes a moment says so --------------------------------------------------------


def test_slow_actions_carry_the_busy_marker_that_disables_their_button(world, client_for, meeting):
    """``static/js/app.js`` disables a form's button and writes "Bezig…" on every form or link
    marked ``data-busy`` (building the agenda, the PDFs): the pages must carry the marker."""
    carla = client_for(world.coordinator)
    html = page(carla.get(meeting.get_absolute_url()))

    busy = {
        reverse("meeting_build_agenda", args=[meeting.pk]): "form",
        reverse("meeting_agenda_pdf", args=[meeting.pk]): "a",
        reverse("meeting_decisions_pdf", args=[meeting.pk]): "a",
    }
    for url, tag in busy.items():
        attribute = "action" if tag == "form" else "href"
        element = re.search(rf'<{tag}\b[^>]*\b{attribute}="{re.escape(url)}"[^>]*>', html)
        assert element, url
        assert f'data-busy="{nl("Working…")}"' in element.group(0), url
