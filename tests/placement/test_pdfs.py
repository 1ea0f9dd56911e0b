"""The printed agenda and decision list of the regional meeting.

Both go round the table and by e-mail to every partner, so they show what the meeting needs
(dwellings, household references, composition, deadlines, decisions) and nothing that identifies
a person: no names, V-numbers or dates of birth.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from placement.meetings import agenda_build
from placement.models import Meeting
from placement.nominating import nomination_create

from .placement_builders import accepted_vacancy, household, personal_data, today


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def meeting(world):
    """Next month's meeting: Singel 250 to fill, DS-2026-0042 (four persons, waiting nine
    weeks), and a nomination already waiting for an outcome (Voorstraat 12 <- DS-2026-0017).
    In the meeting itself Carla nominates DS-2026-0031 for Bleijenhoek 7, and decisions are
    written down for the vacancy and the household."""
    meeting = Meeting.objects.create(
        region=world.drecht,
        date=today() + datetime.timedelta(days=10),
        place="Stadskantoor Dordrecht",
        status=Meeting.Status.IN_PROGRESS,
    )
    meeting.attendees.set([world.desk, world.trivire])
    open_nomination = nomination_create(
        vacancy=accepted_vacancy(world, street="Voorstraat 12"),
        household=household(world, persons=2, reference="DS-2026-0017"),
        by=world.coordinator,
    )
    singel = accepted_vacancy(world, street="Singel 250")
    waiting = household(
        world,
        persons=4,
        reference="DS-2026-0042",
        link_date=today() - datetime.timedelta(weeks=9),
    )
    agenda_build(meeting=meeting, today=today())
    meeting.items.filter(vacancy=singel).update(
        outcome="decided", decision="Voordragen: gezin met twee kinderen uit de pool"
    )
    meeting.items.filter(household=waiting).update(
        outcome="decided", decision="Trivire vraagt naar benedenwoning"
    )
    made_here = nomination_create(
        vacancy=accepted_vacancy(world, corporation=world.woonbron, street="Bleijenhoek 7"),
        household=household(world, persons=3, reference="DS-2026-0031"),
        by=world.coordinator,
        meeting=meeting,
    )
    meeting.households = [open_nomination.household, waiting, made_here.household]
    return meeting


def pdf_text(response) -> str:
    """All text of the PDF, with runs of whitespace (line breaks in cells) made single."""
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def download(client, name: str, meeting: Meeting):
    response = client.get(reverse(name, args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return response


def test_the_agenda_lists_vacancies_households_and_open_nominations(world, client_for, meeting):
    response = download(client_for(world.coordinator), "meeting_agenda_pdf", meeting)

    text = pdf_text(response)
    assert 'filename="agenda-DS-' in response["Content-Disposition"]
    assert "Drechtsteden" in text
    assert "Singel 250" in text
    assert "DS-2026-0042" in text
    assert "4 pers." in text
    assert "Voorstraat 12" in text and "DS-2026-0017" in text  # the open nomination
    assert "2 pers." in text
    assert "Stadskantoor Dordrecht" in text
    assert "Pagina 1 van" in text


def test_the_agenda_has_no_names_v_numbers_or_dates_of_birth(world, client_for, meeting):
    text = pdf_text(download(client_for(world.coordinator), "meeting_agenda_pdf", meeting))

    for leak in personal_data(*meeting.households):
        assert leak not in text, f"{leak!r} is printed on the agenda"


def test_the_decision_list_has_the_nominations_and_the_decisions(world, client_for, meeting):
    response = download(client_for(world.coordinator), "meeting_decisions_pdf", meeting)

    text = pdf_text(response)
    assert 'filename="besluitenlijst-DS-' in response["Content-Disposition"]
    assert "Besluitenlijst" in text and "Drechtsteden" in text
    # The nomination made in the meeting, with its composition.
    assert "DS-2026-0031" in text and "3 pers." in text and "Bleijenhoek 7" in text
    # The decisions of the agenda items.
    assert "Voordragen: gezin met twee kinderen uit de pool" in text
    assert "Trivire vraagt naar benedenwoning" in text
    assert "Singel 250" in text and "DS-2026-0042 (4 pers.)" in text
    assert "Pagina 1 van" in text


def test_the_decision_list_has_no_names_v_numbers_or_dates_of_birth(world, client_for, meeting):
    text = pdf_text(download(client_for(world.coordinator), "meeting_decisions_pdf", meeting))

    for leak in personal_data(*meeting.households):
        assert leak not in text, f"{leak!r} is printed on the decision list"


def test_a_nomination_made_elsewhere_is_not_a_decision_of_this_meeting(world, client_for, meeting):
    text = pdf_text(download(client_for(world.coordinator), "meeting_decisions_pdf", meeting))

    nominations_section = text[: text.index("Besluiten per agendapunt")]
    assert "DS-2026-0031" in nominations_section
    assert "DS-2026-0017" not in nominations_section


def test_a_long_agenda_runs_over_pages_and_says_so(world, client_for, meeting):
    for n in range(40):
        accepted_vacancy(world, street=f"Lange Geldersekade {n + 1}")
    agenda_build(meeting=meeting, today=today())

    response = download(client_for(world.coordinator), "meeting_agenda_pdf", meeting)

    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    text = pdf_text(response)
    assert pages > 1
    assert f"Pagina 1 van {pages}" in text and f"Pagina {pages} van {pages}" in text
    assert "Lange Geldersekade 40" in text


@pytest.mark.parametrize("persona", ["officer", "partner"])
def test_municipalities_and_partners_get_the_agenda_too(world, client_for, meeting, persona):
    download(client_for(getattr(world, persona)), "meeting_agenda_pdf", meeting)


@pytest.mark.parametrize("persona", ["corporation", "finance", "outsider"])
@pytest.mark.parametrize("name", ["meeting_agenda_pdf", "meeting_decisions_pdf"])
def test_others_do_not_get_the_meeting_documents(world, client_for, meeting, persona, name):
    response = client_for(getattr(world, persona)).get(reverse(name, args=[meeting.pk]))

    assert response.status_code == 404
