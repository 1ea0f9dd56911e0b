"""Notices on events: each given once the action commits, to whom may see it, and nobody
else; never a name, V-number or date of birth."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from notices import texts
from notices.models import Kind, Notice
from placement.meetings import agenda_build, meeting_close
from placement.models import Meeting, Vacancy
from placement.nominating import nomination_create, nomination_sign_lease
from placement.services import vacancy_submit
from tests.factories import VacancyFactory
from tests.placement.placement_builders import accepted_vacancy, household, personal_data

pytestmark = pytest.mark.django_db


def recipients(kind) -> set[str]:
    return set(Notice.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_nomination_tells_its_corporation_and_no_other(
    addressed, django_capture_on_commit_callbacks, mailoutbox
):
    world = addressed
    family = household(world, persons=3, reference="DS-2026-0777")
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nomination_create(
            vacancy=accepted_vacancy(world, street="Voorstraat 12"),
            household=family,
            by=world.coordinator,
        )
    assert recipients(Kind.NOMINATION_RECEIVED) == {"cor"}
    notice = Notice.objects.get(kind=Kind.NOMINATION_RECEIVED)
    assert (notice.nomination, notice.household) == (nomination, family)
    text = texts.summary(notice)
    assert "DS-2026-0777" in text and "3" in text and "Voorstraat 12" in text
    # The e-mail too: reference and size, nothing that identifies a person.
    [mail] = mailoutbox
    assert mail.to == ["cor@example.org"]
    body = mail.body + mail.alternatives[0].content
    assert "DS-2026-0777" in body
    for leak in personal_data(family):
        assert leak not in body and leak not in text


def test_notices_wait_for_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                nomination_create(
                    vacancy=accepted_vacancy(world),
                    household=household(world),
                    by=world.coordinator,
                )
                raise RuntimeError("the request fails after the nomination")
        except RuntimeError:
            pass
    assert not Notice.objects.exists()


def test_a_submitted_vacancy_tells_the_regions_coordinators(
    world, django_capture_on_commit_callbacks
):
    vacancy = VacancyFactory.build(corporation=world.trivire, municipality=world.zwijndrecht)
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_submit(vacancy=vacancy, by=world.corporation)
    assert recipients(Kind.VACANCY_SUBMITTED) == {"carla"}
    assert Notice.objects.get().vacancy == vacancy


def test_closing_a_meeting_sends_the_decision_list_to_the_table(
    addressed, django_capture_on_commit_callbacks, mailoutbox
):
    from .conftest import pdf_text

    world = addressed
    today = datetime.date.today()
    meeting = Meeting.objects.create(region=world.drecht, date=today, status="in_progress")
    family = household(world, persons=2, reference="DS-2026-0888")
    nomination_create(
        vacancy=accepted_vacancy(world), household=family, by=world.coordinator, meeting=meeting
    )
    agenda_build(meeting=meeting, today=today)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_close(meeting=meeting, undecided="drop", today=today)
    assert recipients(Kind.DECISIONS_READY) == {"carla", "gert", "petra"}
    decisions = [m for m in mailoutbox if "besluitenlijst" in (m.attachments or [[""]])[0][0]]
    assert sorted(m.to[0] for m in decisions) == [
        "carla@example.org",
        "gert@example.org",
        "petra@example.org",
    ]
    name, content, mimetype = decisions[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    printed = pdf_text(content)
    assert "DS-2026-0888" in printed
    for leak in personal_data(family):
        assert leak not in printed


def test_a_lease_in_another_municipality_tells_the_linked_municipalitys_officer(
    world, django_capture_on_commit_callbacks
):
    elsewhere = nomination_create(
        vacancy=accepted_vacancy(world, municipality=world.dordrecht),
        household=household(world, municipality=world.zwijndrecht, reference="DS-2026-0999"),
        by=world.coordinator,
    )
    at_home = nomination_create(
        vacancy=accepted_vacancy(world, municipality=world.zwijndrecht),
        household=household(world, municipality=world.zwijndrecht),
        by=world.coordinator,
    )
    day = datetime.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        nomination_sign_lease(nomination=elsewhere, signed_on=day, lease_start=day)
        nomination_sign_lease(nomination=at_home, signed_on=day, lease_start=day)
    notice = Notice.objects.get(kind=Kind.HOUSED_ELSEWHERE)
    assert notice.recipient == world.officer
    assert notice.nomination == elsewhere
    assert texts.path(notice) == "/taakstelling/omkoppelingen/"
    assert "DS-2026-0999" in texts.summary(notice)


def test_an_officer_of_another_municipality_hears_nothing(
    world, django_capture_on_commit_callbacks
):
    nomination = nomination_create(
        vacancy=accepted_vacancy(world, municipality=world.zwijndrecht),
        household=household(world, municipality=world.papendrecht),
        by=world.coordinator,
    )
    day = datetime.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        nomination_sign_lease(nomination=nomination, signed_on=day, lease_start=day)
    # Papendrecht has no officer among the personas; Gert (Zwijndrecht) is not told.
    assert not Notice.objects.filter(kind=Kind.HOUSED_ELSEWHERE).exists()
    assert Vacancy.objects.get(pk=nomination.vacancy_id).status == "let"
