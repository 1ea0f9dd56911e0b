"""The e-mail of a notice: subject, text and HTML parts, the link back, the language, the
attachment; preferences and a missing address; sent once, the time recorded."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from notices.models import Kind, Notice, NoticePreference
from notices.services import agenda_send, notify, run_daily
from notices.tasks import send_notice_emails
from placement.meetings import agenda_build
from placement.models import Meeting
from tests.placement.placement_builders import accepted_vacancy, household, personal_data

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

LINKED = datetime.date(2026, 1, 5)
EIGHT_WEEKS = LINKED + datetime.timedelta(weeks=8)


def test_the_email_has_prefix_text_html_and_an_absolute_link_in_dutch(
    addressed, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://desk.example.org"
    family = household(addressed, persons=2, link_date=LINKED, reference="DS-2026-0123")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        run_daily(today=EIGHT_WEEKS)  # whoever runs it in English, the recipient reads Dutch
    [mail] = mailoutbox
    assert mail.to == ["carla@example.org"]
    assert mail.subject.startswith("[Plaatsingsdesk] ")
    with translation.override("nl"):
        assert mail.subject == f"[Plaatsingsdesk] {Kind.HOUSEHOLD_WAITING.label}"
    assert mail.extra_headers["Content-Language"] == "nl"
    link = f"https://desk.example.org/huishoudens/{family.pk}/"
    assert link in mail.body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html and '<html lang="nl">' in html
    assert "DS-2026-0123" in mail.body and "DS-2026-0123" in html
    assert "8" in mail.body
    notice = Notice.objects.get()
    assert notice.emailed_at is not None


def test_an_email_is_sent_once_even_when_queued_twice(addressed, mailoutbox):
    household(addressed, link_date=LINKED)
    run_daily(today=EIGHT_WEEKS)  # inside the test's transaction: e-mails not queued yet
    notice = Notice.objects.get()
    assert send_notice_emails.call([notice.pk]) == 1
    assert send_notice_emails.call([notice.pk]) == 0
    assert len(mailoutbox) == 1


def test_a_user_without_an_address_gets_the_notice_in_the_app_only(world, mailoutbox):
    household(world, link_date=LINKED)
    run_daily(today=EIGHT_WEEKS)
    notice = Notice.objects.get()
    assert notice.in_app and not notice.email_wanted
    assert send_notice_emails.call([notice.pk]) == 0
    assert mailoutbox == []


def test_preferences_switch_a_kind_off(addressed, mailoutbox, django_capture_on_commit_callbacks):
    NoticePreference.objects.create(
        user=addressed.coordinator, kind=Kind.HOUSEHOLD_WAITING, in_app=True, email=False
    )
    household(addressed, link_date=LINKED)
    with django_capture_on_commit_callbacks(execute=True):
        run_daily(today=EIGHT_WEEKS)
    assert Notice.objects.get().email_wanted is False
    assert mailoutbox == []

    NoticePreference.objects.filter(user=addressed.coordinator).update(in_app=False)
    household(addressed, link_date=LINKED)
    run_daily(today=EIGHT_WEEKS)
    assert Notice.objects.count() == 1  # both channels off: nothing for the second household


def test_a_kind_the_role_does_not_get_is_never_given(world):
    vacancy = accepted_vacancy(world)
    created = notify(
        recipients=[world.corporation, world.finance],
        kind=Kind.VACANCY_SUBMITTED,
        subject={"vacancy": vacancy},
    )
    assert created == []


def test_the_agenda_pdf_is_attached_and_names_nobody(
    addressed, mailoutbox, django_capture_on_commit_callbacks
):
    today = datetime.date.today()
    meeting = Meeting.objects.create(
        region=addressed.drecht, date=today + datetime.timedelta(days=5)
    )
    waiting = household(
        addressed,
        persons=4,
        reference="DS-2026-0042",
        link_date=today - datetime.timedelta(weeks=9),
    )
    accepted_vacancy(addressed, street="Singel 250")
    agenda_build(meeting=meeting, today=today)
    with django_capture_on_commit_callbacks(execute=True):
        agenda_send(meeting=meeting)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "carla@example.org",
        "gert@example.org",
        "petra@example.org",
    ]
    pdfs = {m.attachments[0][1] for m in mailoutbox}
    assert len(pdfs) == 1  # rendered once for the whole table
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert name.startswith("agenda-DS-") and mimetype == "application/pdf"
    printed = pdf_text(content)
    assert "DS-2026-0042" in printed and "Singel 250" in printed
    for leak in personal_data(waiting):
        assert leak not in printed
    for mail in mailoutbox:
        assert "DS-2026-0042" not in mail.body  # the e-mail itself only says it is ready
