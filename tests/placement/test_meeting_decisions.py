"""The meeting follows its decisions (issue 10, section 2).

Carla (coordinator) prepares next month's Drechtsteden meeting. Whatever she decides, in the
meeting or between meetings — nominating from the proposal or from the vacancy page, returning a
vacancy, deferring a household, recording a nomination's outcome — the agenda item it decides is
marked decided with what was decided, and each section counts only what is still open. A vacancy
whose return deadline falls before the meeting is flagged: waiting for the meeting is too late.
Cor (corporation) records a refusal: no reason is chosen for him.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from placement.meetings import agenda_build, meeting_close, proposal_accept
from placement.models import AgendaItem, Household, Meeting, Nomination, Vacancy
from placement.nominating import (
    nomination_cancel,
    nomination_create,
    nomination_refuse,
    nomination_sign_lease,
)

from .placement_builders import accepted_vacancy, household, messages_of, stored, today


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def dutch(message: str) -> str:
    """A message as the Dutch interface shows it (the catalogue the lead compiles)."""
    with translation.override("nl"):
        return gettext(message)


@pytest.fixture
def agenda(world):
    """Next month's meeting (in four weeks) with two vacancies to fill, two households waiting
    nine weeks, and a meeting after it."""
    meeting = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=4)
    )
    following = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=8)
    )
    singel = accepted_vacancy(
        world, street="Singel 250", return_deadline=today() + datetime.timedelta(weeks=6)
    )
    voorstraat = accepted_vacancy(
        world, street="Voorstraat 12", return_deadline=today() + datetime.timedelta(weeks=5)
    )
    nine_weeks = today() - datetime.timedelta(weeks=9)
    first = household(world, reference="DS-2026-0101", link_date=nine_weeks)
    second = household(world, reference="DS-2026-0102", link_date=nine_weeks)
    agenda_build(meeting=meeting, today=today())
    return meeting, following, singel, voorstraat, first, second


def item_of(meeting: Meeting, **subject) -> AgendaItem:
    return meeting.items.get(**subject)


def section_heading(html: str, number: int) -> str:
    match = re.search(rf"<h2[^>]*>{number}\. ([^<]*)</h2>", html)
    assert match, f"section {number} not found"
    return match.group(1).strip()


# --- Nominations decide the vacancy and the household ------------------------------------


def test_after_every_agenda_vacancy_got_a_nomination_the_section_counts_none(
    agenda, client_for, world
):
    meeting, _following, singel, voorstraat, first, second = agenda
    carla = client_for(world.coordinator)
    assert section_heading(carla.get(meeting.get_absolute_url()).content.decode(), 1) == (
        "Woningen zonder voordracht (2)"
    )

    # Singel from the whole-meeting proposal, Voorstraat from the vacancy page.
    proposal_accept(
        meeting=meeting, lines=[(singel.pk, 1, first.pk)], by=world.coordinator, today=today()
    )
    carla.post(reverse("vacancy_nominate", args=[voorstraat.pk]), {"household": second.pk})

    html = carla.get(meeting.get_absolute_url()).content.decode()
    assert section_heading(html, 1) == "Woningen zonder voordracht (0)"
    assert section_heading(html, 2) == "Langst wachtende huishoudens (0)"
    decided = {item.vacancy_id: item for item in meeting.items.filter(kind="vacancy")}
    assert {item.outcome for item in decided.values()} == {"decided"}
    assert "DS-2026-0101" in decided[singel.pk].decision
    assert "DS-2026-0102" in decided[voorstraat.pk].decision
    # Decided items stay on the page, with their decision, after the open ones.
    assert decided[singel.pk].decision.splitlines()[0] in html.replace("<br>", "\n")


def test_a_nomination_outside_the_meeting_says_so_in_the_decision(agenda, world):
    meeting, _following, singel, _voorstraat, first, _second = agenda

    nomination_create(vacancy=singel, household=first, by=world.coordinator)

    item = item_of(meeting, vacancy=singel)
    assert item.outcome == "decided"
    assert "DS-2026-0101" in item.decision
    assert re.search(r"\(.+, \d{1,2} \w+ \d{4}\)", item.decision)  # outside the meeting, on a day
    waiting = item_of(meeting, household=first)
    assert waiting.outcome == "decided"
    assert "Singel 250" in waiting.decision


def test_a_nomination_made_in_the_meeting_names_only_the_household(agenda, world):
    meeting, _following, singel, _voorstraat, first, _second = agenda

    nomination_create(vacancy=singel, household=first, by=world.coordinator, meeting=meeting)

    assert item_of(meeting, vacancy=singel).decision == dutch("Nominated: %(households)s.") % {
        "households": "DS-2026-0101"
    }


def test_a_shared_dwelling_stays_open_until_every_place_is_nominated(world):
    meeting = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=3)
    )
    rooms = accepted_vacancy(
        world,
        street="Spuiboulevard 9",
        dwelling_type=Vacancy.DwellingType.SHARED,
        places=2,
        rooms=3,
        bedrooms=2,
        base_rent="420.00",
    )
    agenda_build(meeting=meeting, today=today())

    nomination_create(vacancy=rooms, household=household(world), by=world.coordinator)
    assert item_of(meeting, vacancy=rooms).outcome == "open"

    nomination_create(vacancy=rooms, household=household(world), by=world.coordinator)
    assert item_of(meeting, vacancy=rooms).outcome == "decided"


def test_a_decision_written_before_is_kept_in_front(agenda, world):
    meeting, _following, singel, _voorstraat, first, _second = agenda
    meeting.items.filter(vacancy=singel).update(decision="Voorkeur voor een gezin")

    nomination_create(vacancy=singel, household=first, by=world.coordinator, meeting=meeting)

    assert item_of(meeting, vacancy=singel).decision.startswith("Voorkeur voor een gezin\n")


def test_a_closed_meetings_items_do_not_change(agenda, world):
    meeting, _following, singel, _voorstraat, first, _second = agenda
    meeting_close(meeting=meeting, undecided="drop", today=today())
    before = item_of(meeting, vacancy=singel).decision

    nomination_create(vacancy=singel, household=first, by=world.coordinator)

    item = item_of(meeting, vacancy=singel)
    assert (item.outcome, item.decision) == ("dropped", before)


# --- Returning, withdrawing, deferring ----------------------------------------------------


def test_returning_a_vacancy_decides_its_item(agenda, client_for, world):
    meeting, _following, singel, _voorstraat, _first, _second = agenda

    client_for(world.coordinator).post(
        reverse("vacancy_return", args=[singel.pk]),
        {"reason": "Geen passend huishouden", "confirm": "1"},
    )

    assert stored(singel).status == Vacancy.Status.RETURNED
    item = item_of(meeting, vacancy=singel)
    assert item.outcome == "decided"
    assert "Geen passend huishouden" in item.decision
    html = client_for(world.coordinator).get(meeting.get_absolute_url()).content.decode()
    assert section_heading(html, 1) == "Woningen zonder voordracht (1)"


def test_a_withdrawn_vacancy_decides_its_item(agenda, client_for, world):
    meeting, _following, singel, _voorstraat, _first, _second = agenda

    response = client_for(world.corporation).post(
        reverse("vacancy_withdraw", args=[singel.pk]), {"confirm": "1"}
    )

    assert response.status_code == 302
    assert item_of(meeting, vacancy=singel).outcome == "decided"


def item_url(item: AgendaItem) -> str:
    return reverse("agenda_item_edit", args=[item.meeting_id, item.pk])


def item_data(item: AgendaItem, **values) -> dict:
    return {f"item{item.pk}-{name}": value for name, value in values.items()}


def test_deferring_a_household_puts_it_on_the_next_meetings_agenda(agenda, client_for, world):
    meeting, following, _singel, _voorstraat, first, _second = agenda
    item = item_of(meeting, household=first)

    response = client_for(world.coordinator).post(
        item_url(item),
        item_data(item, notes="Wacht op medische verklaring", decision="", outcome="deferred"),
    )

    assert response.status_code == 302
    item = stored(item)
    assert item.outcome == "deferred"
    assert item.notes == "Wacht op medische verklaring"
    day = f"{following.date.day} "
    assert day in item.decision  # "Doorgeschoven naar het overleg van <day> <month> <year>."
    moved = following.items.get()
    assert (moved.kind, moved.household, moved.outcome) == ("household", first, "open")
    assert moved.notes == "Wacht op medische verklaring"
    html = client_for(world.coordinator).get(meeting.get_absolute_url()).content.decode()
    assert section_heading(html, 2) == "Langst wachtende huishoudens (1)"


def test_a_deferred_item_cannot_be_reopened_here(agenda, client_for, world):
    meeting, following, _singel, _voorstraat, first, _second = agenda
    item = item_of(meeting, household=first)
    carla = client_for(world.coordinator)
    carla.post(item_url(item), item_data(item, notes="", decision="", outcome="deferred"))

    response = carla.post(item_url(item), item_data(item, notes="", decision="", outcome="open"))

    assert response.status_code == 400
    assert f'id="id_item{item.pk}-outcome_error"' in response.content.decode()
    assert stored(item).outcome == "deferred"
    assert following.items.count() == 1


def test_deferring_with_htmx_answers_with_the_fragment(agenda, client_for, world):
    meeting, following, _singel, _voorstraat, first, _second = agenda
    item = item_of(meeting, household=first)

    response = client_for(world.coordinator).post(
        item_url(item),
        item_data(item, notes="", decision="", outcome="deferred"),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<div id="item-{item.pk}">')
    assert following.items.filter(household=first).exists()


def test_closing_records_where_the_open_items_went(agenda, world):
    meeting, following, singel, _voorstraat, first, _second = agenda
    nomination_create(vacancy=singel, household=first, by=world.coordinator, meeting=meeting)

    meeting_close(meeting=meeting, undecided="defer", today=today())

    outcomes = dict(meeting.items.values_list("vacancy__street", "outcome").filter(kind="vacancy"))
    assert outcomes == {"Singel 250": "decided", "Voorstraat 12": "deferred"}
    assert following.items.filter(kind="vacancy").count() == 1  # Singel is not carried over
    assert following.items.filter(kind="household").count() == 1  # only the one not nominated
    deferred = item_of(meeting, vacancy__street="Voorstraat 12")
    assert str(following.date.year) in deferred.decision


def test_a_meeting_whose_items_were_all_decided_elsewhere_closes_without_a_choice(agenda, world):
    meeting, _following, singel, voorstraat, first, second = agenda
    nomination_create(vacancy=singel, household=first, by=world.coordinator)
    nomination_create(vacancy=voorstraat, household=second, by=world.coordinator)

    meeting_close(meeting=meeting, undecided=None, today=today())

    assert stored(meeting).status == Meeting.Status.CLOSED


# --- Nomination items, and decisions that did not hold -----------------------------------


def test_an_open_nomination_is_decided_by_its_outcome(world):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )
    meeting = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=2)
    )
    agenda_build(meeting=meeting, today=today())
    assert item_of(meeting, kind="nomination").outcome == "open"

    nomination_sign_lease(nomination=nomination, signed_on=today(), lease_start=today())

    item = item_of(meeting, kind="nomination")
    assert item.outcome == "decided"
    assert str(today().year) in item.decision


def test_a_refusal_decides_the_nomination_and_opens_the_vacancy_again(agenda, world):
    meeting, _following, singel, _voorstraat, first, _second = agenda
    nomination = nomination_create(
        vacancy=singel, household=first, by=world.coordinator, meeting=meeting
    )
    assert item_of(meeting, vacancy=singel).outcome == "decided"

    nomination_refuse(nomination=nomination, reason="location", justified=False)

    vacancy_item = item_of(meeting, vacancy=singel)
    assert (vacancy_item.outcome, vacancy_item.decision) == ("open", "")
    assert "DS-2026-0101" in vacancy_item.notes  # what happened, and the earlier decision
    assert item_of(meeting, household=first).outcome == "open"
    assert stored(singel).status == Vacancy.Status.ON_AGENDA


def test_a_cancelled_nomination_opens_the_vacancy_again(agenda, world):
    meeting, _following, singel, _voorstraat, first, _second = agenda
    nomination = nomination_create(
        vacancy=singel, household=first, by=world.coordinator, meeting=meeting
    )
    assert item_of(meeting, vacancy=singel).outcome == "decided"

    nomination_cancel(nomination=nomination, reason="Dubbel ingevoerd")

    assert item_of(meeting, vacancy=singel).outcome == "open"
    assert stored(nomination).status == Nomination.Status.CANCELLED


def test_building_again_settles_what_was_decided_before(agenda, world):
    """Agendas from before this rule: the items stayed open though their decision was taken."""
    meeting, _following, singel, _voorstraat, first, _second = agenda
    nomination_create(vacancy=singel, household=first, by=world.coordinator)
    meeting.items.update(outcome="open", decision="")

    agenda_build(meeting=meeting, today=today())

    assert item_of(meeting, vacancy=singel).outcome == "decided"
    assert item_of(meeting, household=first).outcome == "decided"


def test_a_household_that_leaves_the_pool_is_no_longer_waiting(agenda, client_for, world):
    meeting, _following, _singel, _voorstraat, first, _second = agenda

    client_for(world.coordinator).post(
        reverse("household_status", args=[first.pk]),
        {"status": Household.Status.WITHDRAWN, "reason": "Omgekoppeld naar Utrecht"},
    )

    assert stored(first).status == Household.Status.WITHDRAWN
    assert item_of(meeting, household=first).outcome == "decided"


# --- Deadline before the meeting ---------------------------------------------------------


@pytest.fixture
def late(world):
    """A meeting in three weeks; Lange Geldersekade must be nominated in ten days."""
    meeting = Meeting.objects.create(
        region=world.drecht,
        date=today() + datetime.timedelta(weeks=3),
        status=Meeting.Status.PLANNED,
    )
    early = accepted_vacancy(
        world, street="Lange Geldersekade 3", return_deadline=today() + datetime.timedelta(days=10)
    )
    on_the_day = accepted_vacancy(world, street="Singel 250", return_deadline=meeting.date)
    agenda_build(meeting=meeting, today=today())
    return meeting, early, on_the_day


def test_a_vacancy_due_before_the_meeting_is_flagged_with_a_way_to_nominate(
    late, client_for, world
):
    meeting, early, on_the_day = late

    html = client_for(world.coordinator).get(meeting.get_absolute_url()).content.decode()

    flag = dutch("decide before the meeting")
    rows = {
        street: row
        for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S)
        for street in ("Lange Geldersekade 3", "Singel 250")
        if street in row
    }
    assert flag in rows["Lange Geldersekade 3"]
    assert reverse("vacancy_candidates", args=[early.pk]) in rows["Lange Geldersekade 3"]
    assert flag not in rows["Singel 250"]  # its deadline is the meeting day itself
    assert 'id="decide-before-meeting"' in html


def test_the_printed_agenda_flags_it_too(late, client_for, world):
    meeting, early, _on_the_day = late

    response = client_for(world.coordinator).get(reverse("meeting_agenda_pdf", args=[meeting.pk]))

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert dutch("decide before the meeting") in text
    links = [
        annotation.get_object().get("/A", {}).get("/URI", "")
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
    ]
    assert any(reverse("vacancy_candidates", args=[early.pk]) in link for link in links)


def test_nothing_is_flagged_when_every_deadline_is_after_the_meeting(agenda, client_for, world):
    meeting = agenda[0]

    html = client_for(world.coordinator).get(meeting.get_absolute_url()).content.decode()

    assert 'id="decide-before-meeting"' not in html


# --- Refusal reason ----------------------------------------------------------------------


@pytest.fixture
def nominated(world):
    return nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )


def test_the_refusal_form_has_no_reason_chosen(nominated, client_for, world):
    html = client_for(world.corporation).get(nominated.get_absolute_url()).content.decode()

    form = re.search(r'<form[^>]*id="refusal-form".*?</form>', html, flags=re.S).group(0)
    select = re.search(r"<select[^>]*>.*?</select>", form, flags=re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select)
    assert options[0][0] == "" and options[0][2] == dutch("— choose a reason —")
    assert [value for value, attrs, _label in options if "selected" in attrs] in ([], [""])


def test_a_refusal_without_a_reason_is_refused_with_a_message(nominated, client_for, world):
    response = client_for(world.corporation).post(
        reverse("nomination_outcome", args=[nominated.pk, "refusal"]),
        {"refusal-reason": "", "refusal-justified": "yes"},
    )

    assert response.status_code == 302
    assert stored(nominated).status == Nomination.Status.NOMINATED
    assert stored(nominated).refusal_reason == ""
    assert any(dutch("Choose the reason for the refusal.") in m for m in messages_of(response))


def test_a_refusal_with_a_reason_is_recorded(nominated, client_for, world):
    client_for(world.corporation).post(
        reverse("nomination_outcome", args=[nominated.pk, "refusal"]),
        {"refusal-reason": "cost", "refusal-justified": "no", "confirm": "1"},
    )

    assert (stored(nominated).status, stored(nominated).refusal_reason) == ("refused", "cost")


# --- The meeting page stays as cheap with many items -------------------------------------


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_meeting_page_query_count_does_not_grow_with_items(world, client_for):
    meeting = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=3)
    )
    nine_weeks = today() - datetime.timedelta(weeks=9)

    def add(n: int) -> None:
        for i in range(n):
            accepted_vacancy(world, return_deadline=today() + datetime.timedelta(days=5 + i))
            household(world, persons=3, link_date=nine_weeks)
            nomination_create(
                vacancy=accepted_vacancy(world),
                household=household(world, persons=2),
                by=world.coordinator,
            )
        agenda_build(meeting=meeting, today=today())
        # Some decided, some open, in every section.
        first = meeting.items.filter(outcome="open").order_by("pk").first()
        first.outcome, first.decision = "decided", "Besproken"
        first.save()

    carla = client_for(world.coordinator)
    url = meeting.get_absolute_url()
    add(3)
    few = page_queries(carla, url)
    add(27)
    many = page_queries(carla, url)

    assert meeting.items.count() >= 90
    assert many == few


def test_the_rules_page_states_when_an_item_is_decided(client_for, world):
    html = client_for(world.officer).get(reverse("rules")).content.decode()

    section = re.search(r'<section[^>]*id="agenda-decisions".*?</section>', html, flags=re.S)
    assert section is not None
    assert dutch("decide before the meeting") in section.group(0)
