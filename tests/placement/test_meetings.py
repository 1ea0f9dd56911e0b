"""The monthly regional meeting: schedule, agenda, closing, and the agenda-item form.

Carla (coordinator) runs the Drechtsteden meeting on the third Tuesday of the month. She builds
the agenda from the data, decides items during the meeting, and closes it: what was not decided
moves to the next meeting or is dropped, never silently lost.
"""

from __future__ import annotations

import datetime
import html as html_lib
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from placement.meetings import MeetingError, agenda_build, meeting_close, meetings_schedule
from placement.models import AgendaItem, Household, Meeting, Vacancy
from placement.nominating import nomination_create, nomination_sign_lease

from ..factories import HouseholdFactory, VacancyFactory
from ..login import log_in
from .placement_builders import accepted_vacancy, household, messages_of, stored, today


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def next_meeting(world, *, weeks_ahead: int = 2, **kwargs) -> Meeting:
    return Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=weeks_ahead), **kwargs
    )


def items(meeting: Meeting, kind: str) -> list[AgendaItem]:
    return list(meeting.items.filter(kind=kind).order_by("position", "id"))


# --- Schedule -----------------------------------------------------------------------------


def test_the_next_twelve_meetings_fall_on_the_third_tuesday(world):
    # Friday 27 November 2026: November's meeting (Tuesday 17th) has passed.
    meetings = meetings_schedule(region=world.drecht, today=datetime.date(2026, 11, 27))

    assert [m.date for m in meetings] == [
        datetime.date(2026, 12, 15),
        datetime.date(2027, 1, 19),
        datetime.date(2027, 2, 16),
        datetime.date(2027, 3, 16),
        datetime.date(2027, 4, 20),
        datetime.date(2027, 5, 18),
        datetime.date(2027, 6, 15),
        datetime.date(2027, 7, 20),
        datetime.date(2027, 8, 17),
        datetime.date(2027, 9, 21),
        datetime.date(2027, 10, 19),
        datetime.date(2027, 11, 16),
    ]
    assert all(m.date.weekday() == 1 and 15 <= m.date.day <= 21 for m in meetings)
    assert all(m.status == Meeting.Status.PLANNED and m.region == world.drecht for m in meetings)


def test_a_meeting_held_today_is_still_scheduled(world):
    meetings = meetings_schedule(region=world.drecht, today=datetime.date(2026, 11, 17))

    assert meetings[0].date == datetime.date(2026, 11, 17)
    assert meetings[-1].date == datetime.date(2027, 10, 19)
    assert len(meetings) == 12


def test_a_region_with_another_rule_gets_its_own_dates(world):
    # Woerden e.o. meets on the last Thursday: 26 November 2026 has passed, 31 December has not.
    world.woerden_region.meeting_week = -1
    world.woerden_region.meeting_weekday = 3
    world.woerden_region.save()

    meetings = meetings_schedule(region=world.woerden_region, today=datetime.date(2026, 11, 27))

    assert [m.date for m in meetings[:3]] == [
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 28),
        datetime.date(2027, 2, 25),
    ]
    assert not Meeting.objects.filter(region=world.drecht).exists()


def test_scheduling_again_creates_nothing(world):
    first = meetings_schedule(region=world.drecht, today=datetime.date(2026, 11, 27))

    second = meetings_schedule(region=world.drecht, today=datetime.date(2026, 11, 27))

    assert [m.pk for m in second] == [m.pk for m in first]
    assert Meeting.objects.filter(region=world.drecht).count() == 12


def test_scheduling_keeps_a_meeting_that_already_has_notes(world):
    kept = Meeting.objects.create(
        region=world.drecht, date=datetime.date(2027, 1, 19), place="Stadskantoor", notes="Zaal 3"
    )

    meetings = meetings_schedule(region=world.drecht, today=datetime.date(2026, 11, 27))

    assert kept.pk in [m.pk for m in meetings]
    assert stored(kept).notes == "Zaal 3"
    assert Meeting.objects.filter(region=world.drecht).count() == 12


# --- Building the agenda ------------------------------------------------------------------


def test_accepted_vacancies_go_on_the_agenda_soonest_return_deadline_first(world):
    meeting = next_meeting(world)
    later = accepted_vacancy(
        world, street="Singel 250", return_deadline=today() + datetime.timedelta(weeks=6)
    )
    sooner = accepted_vacancy(
        world, street="Voorstraat 12", return_deadline=today() + datetime.timedelta(weeks=2)
    )
    submitted = accepted_vacancy(world, status=Vacancy.Status.SUBMITTED)
    elsewhere = accepted_vacancy(
        world, corporation=world.groenwest, municipality=world.woerden, street="Rijnstraat 1"
    )

    agenda_build(meeting=meeting, today=today())

    assert [item.vacancy for item in items(meeting, "vacancy")] == [sooner, later]
    assert stored(sooner).status == Vacancy.Status.ON_AGENDA
    assert stored(later).status == Vacancy.Status.ON_AGENDA
    assert stored(submitted).status == Vacancy.Status.SUBMITTED
    assert stored(elsewhere).status == Vacancy.Status.ACCEPTED


def test_households_waiting_eight_weeks_or_more_go_on_the_agenda(world):
    meeting = next_meeting(world)
    eight_weeks = household(world, link_date=today() - datetime.timedelta(weeks=8))
    eleven_weeks = household(world, link_date=today() - datetime.timedelta(weeks=11))
    a_day_short = household(world, link_date=today() - datetime.timedelta(weeks=8, days=-1))
    registered = household(
        world,
        link_date=today() - datetime.timedelta(weeks=9),
        status=Household.Status.REGISTERED,
    )
    housed = household(
        world, link_date=today() - datetime.timedelta(weeks=20), status=Household.Status.HOUSED
    )
    other_region = household(
        world, municipality=world.woerden, link_date=today() - datetime.timedelta(weeks=12)
    )

    agenda_build(meeting=meeting, today=today())

    on_agenda = [item.household for item in items(meeting, "household")]
    assert on_agenda == [eleven_weeks, registered, eight_weeks]  # longest waiting first
    assert a_day_short not in on_agenda
    assert housed not in on_agenda
    assert other_region not in on_agenda


def test_a_household_already_nominated_is_on_the_agenda_as_a_nomination_not_as_waiting(world):
    meeting = next_meeting(world)
    waiting = household(world, link_date=today() - datetime.timedelta(weeks=10))
    nomination = nomination_create(
        vacancy=accepted_vacancy(world), household=waiting, by=world.coordinator
    )

    agenda_build(meeting=meeting, today=today())

    assert items(meeting, "household") == []
    assert [item.nomination for item in items(meeting, "nomination")] == [nomination]


def test_nominations_awaiting_an_outcome_go_on_the_agenda(world):
    meeting = next_meeting(world)
    nominated = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )
    leased = nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )
    nomination_sign_lease(nomination=leased, signed_on=today(), lease_start=today())

    agenda_build(meeting=meeting, today=today())

    assert [item.nomination for item in items(meeting, "nomination")] == [nominated]


def test_building_the_agenda_twice_adds_nothing_the_second_time(world):
    meeting = next_meeting(world)
    accepted_vacancy(world)
    household(world, link_date=today() - datetime.timedelta(weeks=9))
    nomination_create(
        vacancy=accepted_vacancy(world), household=household(world), by=world.coordinator
    )

    first = agenda_build(meeting=meeting, today=today())
    second = agenda_build(meeting=meeting, today=today())

    assert first == 3
    assert second == 0
    assert meeting.items.count() == 3


def test_building_again_adds_only_what_is_new_and_keeps_the_notes(world):
    meeting = next_meeting(world)
    old = accepted_vacancy(world, street="Singel 250")
    agenda_build(meeting=meeting, today=today())
    meeting.items.filter(vacancy=old).update(notes="Corporatie vraagt om een gezin")
    new = accepted_vacancy(world, street="Voorstraat 12")

    added = agenda_build(meeting=meeting, today=today())

    assert added == 1
    assert {item.vacancy for item in items(meeting, "vacancy")} == {old, new}
    assert meeting.items.get(vacancy=old).notes == "Corporatie vraagt om een gezin"


def test_a_closed_meeting_refuses_to_build_its_agenda(world, english):
    meeting = next_meeting(world, status=Meeting.Status.CLOSED)
    vacancy = accepted_vacancy(world)

    with pytest.raises(MeetingError, match="closed meeting"):
        agenda_build(meeting=meeting, today=today())

    assert meeting.items.count() == 0
    assert stored(vacancy).status == Vacancy.Status.ACCEPTED


# --- Closing a meeting --------------------------------------------------------------------


@pytest.fixture
def agenda(world):
    """This month's meeting with a vacancy and a household; a later meeting already planned."""
    meeting = next_meeting(world, weeks_ahead=1)
    following = next_meeting(world, weeks_ahead=5)
    vacancy = accepted_vacancy(world, street="Singel 250")
    waiting = household(world, link_date=today() - datetime.timedelta(weeks=9))
    agenda_build(meeting=meeting, today=today())
    return meeting, following, vacancy, waiting


def test_closing_with_undecided_items_and_no_choice_is_refused(agenda, english):
    meeting, _following, _vacancy, _waiting = agenda

    with pytest.raises(MeetingError, match="2 agenda items have no decision yet"):
        meeting_close(meeting=meeting, undecided=None, today=today())

    assert stored(meeting).status == Meeting.Status.PLANNED
    assert set(meeting.items.values_list("outcome", flat=True)) == {"open"}


def test_deferring_copies_open_items_to_the_next_meeting(agenda):
    meeting, following, vacancy, waiting = agenda
    decided = meeting.items.get(kind="vacancy")
    decided.notes = "Twee kandidaten besproken"
    decided.outcome, decided.decision = "decided", "Volgende maand opnieuw"
    decided.save()

    meeting_close(meeting=meeting, undecided="defer", today=today())

    assert stored(meeting).status == Meeting.Status.CLOSED
    assert stored(meeting).closed_at is not None
    assert meeting.items.get(kind="household").outcome == AgendaItem.Outcome.DEFERRED
    assert meeting.items.get(kind="vacancy").outcome == AgendaItem.Outcome.DECIDED
    moved = following.items.get()
    assert (moved.kind, moved.household, moved.outcome) == ("household", waiting, "open")


def test_deferring_keeps_the_notes_of_the_item(agenda):
    meeting, following, _vacancy, waiting = agenda
    meeting.items.filter(kind="household").update(notes="Wacht op medische verklaring")
    meeting.items.filter(kind="vacancy").update(outcome="decided", decision="Teruggeven")

    meeting_close(meeting=meeting, undecided="defer", today=today())

    assert following.items.get(household=waiting).notes == "Wacht op medische verklaring"


def test_deferring_without_a_next_meeting_schedules_one(world):
    meeting = next_meeting(world, weeks_ahead=1)
    accepted_vacancy(world)
    agenda_build(meeting=meeting, today=today())

    meeting_close(meeting=meeting, undecided="defer", today=today())

    following = Meeting.objects.filter(date__gt=meeting.date).order_by("date").first()
    assert following is not None
    assert following.date.weekday() == 1 and 15 <= following.date.day <= 21
    assert following.items.filter(kind="vacancy", outcome="open").count() == 1


def test_dropping_marks_the_open_items_dropped(agenda):
    meeting, following, _vacancy, _waiting = agenda

    meeting_close(meeting=meeting, undecided="drop", today=today())

    assert stored(meeting).status == Meeting.Status.CLOSED
    assert set(meeting.items.values_list("outcome", flat=True)) == {"dropped"}
    assert following.items.count() == 0


def test_a_meeting_where_everything_was_decided_closes_without_a_choice(agenda):
    meeting, _following, _vacancy, _waiting = agenda
    meeting.items.update(outcome="decided", decision="Besproken")

    meeting_close(meeting=meeting, undecided=None, today=today())

    assert stored(meeting).status == Meeting.Status.CLOSED


def test_a_closed_meeting_cannot_be_closed_again(agenda, english):
    meeting, _following, _vacancy, _waiting = agenda
    meeting_close(meeting=meeting, undecided="drop", today=today())

    with pytest.raises(MeetingError, match="already closed"):
        meeting_close(meeting=meeting, undecided="drop", today=today())


# --- Through the pages --------------------------------------------------------------------


def browser_for(user) -> Client:
    """A client that, like a browser, must send the CSRF token from the page it posts from."""
    return log_in(Client(enforce_csrf_checks=True), user)


def token_from(client: Client, url: str) -> str:
    return str(client.get(url).context["csrf_token"])


def test_closing_without_a_choice_shows_the_question_again(agenda, world):
    meeting, _following, _vacancy, _waiting = agenda
    browser = browser_for(world.coordinator)
    url = reverse("meeting_close", args=[meeting.pk])

    # No radio button chosen: the browser sends only the form's CSRF token.
    response = browser.post(url, {"csrfmiddlewaretoken": token_from(browser, url)})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Agendapunten zonder besluit: 2. Schuif ze door of laat ze vervallen." in html
    assert 'id="id_undecided_error"' in html
    assert stored(meeting).status == Meeting.Status.PLANNED


def test_an_empty_post_to_close_also_says_why_it_was_refused(agenda, client_for, world):
    meeting, _following, _vacancy, _waiting = agenda

    response = client_for(world.coordinator).post(reverse("meeting_close", args=[meeting.pk]))

    assert response.status_code == 400
    assert "Agendapunten zonder besluit: 2" in response.content.decode()


def test_closing_with_a_choice_that_does_not_exist_is_a_form_error(agenda, client_for, world):
    meeting, _following, _vacancy, _waiting = agenda

    response = client_for(world.coordinator).post(
        reverse("meeting_close", args=[meeting.pk]), {"undecided": "forget"}
    )

    assert response.status_code == 400
    assert stored(meeting).status == Meeting.Status.PLANNED


def test_closing_with_defer_through_the_page(agenda, client_for, world):
    meeting, following, _vacancy, _waiting = agenda

    response = client_for(world.coordinator).post(
        reverse("meeting_close", args=[meeting.pk]), {"undecided": "defer", "confirm": "1"}
    )

    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert messages_of(response) == ["Regio-overleg afgesloten."]
    assert stored(meeting).status == Meeting.Status.CLOSED
    assert following.items.count() == 2


@pytest.mark.parametrize("persona", ["partner", "officer", "corporation"])
def test_only_the_coordinator_closes_a_meeting(agenda, client_for, world, persona):
    meeting, _following, _vacancy, _waiting = agenda

    response = client_for(getattr(world, persona)).post(
        reverse("meeting_close", args=[meeting.pk]), {"undecided": "drop"}
    )

    assert response.status_code == 403
    assert stored(meeting).status == Meeting.Status.PLANNED


def item_url(item: AgendaItem) -> str:
    return reverse("agenda_item_edit", args=[item.meeting_id, item.pk])


def item_data(item: AgendaItem, **values) -> dict:
    return {f"item{item.pk}-{name}": value for name, value in values.items()}


def test_deciding_an_item_without_writing_the_decision_is_refused(agenda, client_for, world):
    meeting, _following, _vacancy, _waiting = agenda
    item = meeting.items.get(kind="vacancy")

    response = client_for(world.coordinator).post(
        item_url(item), item_data(item, notes="Besproken", decision="  ", outcome="decided")
    )

    assert response.status_code == 400
    assert "Noteer het besluit." in response.content.decode()
    item = stored(item)
    assert (item.outcome, item.notes, item.decision) == ("open", "", "")


def test_with_htmx_the_item_form_answers_with_its_fragment_only(agenda, client_for, world):
    meeting, _following, _vacancy, _waiting = agenda
    item = meeting.items.get(kind="vacancy")

    response = client_for(world.coordinator).post(
        item_url(item), item_data(item, decision="", outcome="decided"), HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert html.lstrip().startswith(f'<div id="item-{item.pk}">')
    assert "<html" not in html and "<h1" not in html
    assert "Noteer het besluit." in html
    assert stored(item).outcome == "open"


# htmx 2's default ``responseHandling``: what it does with a response of each status code.
HTMX_DEFAULT_RESPONSE_HANDLING = [
    {"code": "204", "swap": False},
    {"code": "[23]..", "swap": True},
    {"code": "[45]..", "swap": False, "error": True},
]


def htmx_swaps(status: int, page: str) -> bool:
    """Whether htmx, as configured on ``page`` (``<meta name="htmx-config">``), puts a response
    with this status into the page. Mirrors htmx 2: the first matching rule decides."""
    rules = HTMX_DEFAULT_RESPONSE_HANDLING
    meta = re.search(r"<meta\s+name=[\"']htmx-config[\"']\s+content='([^']*)'", page)
    if meta:
        rules = json.loads(html_lib.unescape(meta.group(1))).get("responseHandling", rules)
    for rule in rules:
        if re.fullmatch(rule["code"], str(status)):
            return bool(rule.get("swap"))
    return False


def test_the_error_fragment_is_one_htmx_puts_on_the_page(agenda, client_for, world):
    meeting, _following, _vacancy, _waiting = agenda
    item = meeting.items.get(kind="vacancy")
    carla = client_for(world.coordinator)
    page = carla.get(meeting.get_absolute_url()).content.decode()
    assert f'hx-target="#item-{item.pk}"' in page  # the inline form on the meeting page

    response = carla.post(
        item_url(item), item_data(item, decision="", outcome="decided"), HTTP_HX_REQUEST="true"
    )

    assert "Noteer het besluit." in response.content.decode()
    assert htmx_swaps(response.status_code, page)


def test_with_htmx_a_decision_is_saved_and_the_fragment_says_so(agenda, client_for, world):
    meeting, _following, _vacancy, _waiting = agenda
    item = meeting.items.get(kind="vacancy")

    response = client_for(world.coordinator).post(
        item_url(item),
        item_data(item, decision="Voordragen: T-gezin", outcome="decided"),
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Opgeslagen." in html and "Voordragen: T-gezin" in html
    assert "<html" not in html
    assert (stored(item).outcome, stored(item).decision) == ("decided", "Voordragen: T-gezin")


def test_without_htmx_a_saved_item_redirects_to_the_meeting(agenda, client_for, world):
    meeting, _following, _vacancy, _waiting = agenda
    item = meeting.items.get(kind="household")

    response = client_for(world.coordinator).post(
        item_url(item), item_data(item, decision="Huisbezoek plannen", outcome="decided")
    )

    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert messages_of(response) == ["Agendapunt opgeslagen."]
    assert stored(item).decision == "Huisbezoek plannen"


def test_an_item_of_another_meeting_is_not_found(agenda, client_for, world):
    meeting, following, _vacancy, _waiting = agenda
    item = meeting.items.get(kind="vacancy")

    response = client_for(world.coordinator).post(
        reverse("agenda_item_edit", args=[following.pk, item.pk]),
        item_data(item, decision="x", outcome="decided"),
    )

    assert response.status_code == 404


def test_an_item_of_a_closed_meeting_does_not_change(agenda, client_for, world):
    meeting, _following, _vacancy, _waiting = agenda
    meeting_close(meeting=meeting, undecided="drop", today=today())
    item = meeting.items.get(kind="vacancy")
    recorded = item.decision  # closing records why it was dropped

    response = client_for(world.coordinator).post(
        item_url(item), item_data(item, decision="Toch nog", outcome="decided")
    )

    assert response.status_code < 500
    assert (stored(item).outcome, stored(item).decision) == ("dropped", recorded)


def test_building_the_agenda_through_the_page(client_for, world):
    meeting = next_meeting(world)
    accepted_vacancy(world)

    response = client_for(world.coordinator).post(
        reverse("meeting_build_agenda", args=[meeting.pk])
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Agenda bijgewerkt: 1 punten toegevoegd."]
    assert meeting.items.count() == 1


def test_building_a_closed_meetings_agenda_through_the_page_gives_a_message(client_for, world):
    meeting = next_meeting(world, status=Meeting.Status.CLOSED)
    accepted_vacancy(world)

    response = client_for(world.coordinator).post(
        reverse("meeting_build_agenda", args=[meeting.pk])
    )

    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    assert meeting.items.count() == 0


# --- Adding to the agenda by hand ---------------------------------------------------------


def test_the_coordinator_puts_a_household_on_the_agenda_by_reference(world, client_for):
    meeting = Meeting.objects.create(region=world.drecht, date=datetime.date(2026, 12, 15))
    urgent = HouseholdFactory(linked_municipality=world.papendrecht, reference="DS-2026-00777")

    response = client_for(world.coordinator).post(
        reverse("agenda_add", args=[meeting.pk]), {"household": "ds-2026-00777"}
    )

    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting, household=urgent).exists()
    again = client_for(world.coordinator).post(
        reverse("agenda_add", args=[meeting.pk]), {"household": "DS-2026-00777"}
    )
    assert again.status_code == 400
    assert AgendaItem.objects.filter(meeting=meeting, household=urgent).count() == 1


def test_a_household_of_another_region_cannot_be_put_on_the_agenda(world, client_for):
    meeting = Meeting.objects.create(region=world.drecht, date=datetime.date(2026, 12, 15))
    HouseholdFactory(linked_municipality=world.woerden, reference="WO-2026-00001")

    response = client_for(world.coordinator).post(
        reverse("agenda_add", args=[meeting.pk]), {"household": "WO-2026-00001"}
    )

    assert response.status_code == 400
    assert "household" in response.context["form"].errors
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_an_accepted_vacancy_added_by_hand_is_on_the_agenda(world, client_for):
    meeting = Meeting.objects.create(region=world.drecht, date=datetime.date(2026, 12, 15))
    vacancy = VacancyFactory(
        corporation=world.trivire, municipality=world.dordrecht, status="accepted"
    )

    response = client_for(world.coordinator).post(
        reverse("agenda_add", args=[meeting.pk]), {"vacancy": vacancy.pk}
    )

    assert response.status_code == 302
    assert stored(vacancy).status == "on_agenda"
