"""PDFs at national size: fixed table layout (every column has a width, so WeasyPrint does not
measure every cell), big agendas made in the background, and the time an agenda of 136 items
and an invoice take."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from weasyprint import HTML

from downloads.models import PreparedDownload
from placement.meetings import agenda_build
from placement.models import Meeting
from placement.views.meetings import _pdf_context, agenda_pdf_document

from ..factories import VacancyFactory
from .placement_builders import household, today

WIDTH = re.compile(r"table\.([\w-]+) th:nth-child\((\d+)\) \{ width: (\d+)%; \}")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def big_meeting(world, vacancies: int, households: int) -> Meeting:
    """A meeting whose agenda lists ``vacancies`` accepted vacancies and ``households`` long
    waiting households (at most 30: the agenda's limit)."""
    for i in range(vacancies):
        VacancyFactory(
            corporation=world.trivire,
            municipality=world.dordrecht,
            status="accepted",
            street=f"Lange Geldersekade {i + 1}",
            return_deadline=today() + datetime.timedelta(days=20 + i % 20),
        )
    for i in range(households):
        household(world, persons=1 + i % 4, link_date=today() - datetime.timedelta(weeks=9 + i % 3))
    meeting = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(days=10), place="Stadskantoor"
    )
    agenda_build(meeting=meeting, today=today())
    assert meeting.items.count() == vacancies + households
    return meeting


def widths(html: str) -> dict[str, dict[int, int]]:
    """Column widths per table class, from the stylesheet of a rendered PDF template."""
    found: dict[str, dict[int, int]] = {}
    for name, column, width in WIDTH.findall(html):
        found.setdefault(name, {})[int(column)] = int(width)
    return found


def assert_fixed_layout(html: str) -> None:
    """Every table of the document is laid out fixed, and every column of it has a width;
    the widths of a table add up to 100%."""
    assert re.search(r"table \{[^}]*table-layout: fixed;", html)
    defined = widths(html)
    assert "<table>" not in html  # every table names its column widths
    tables = re.findall(r'<table class="([\w-]+)">\s*<thead><tr>(.*?)</tr></thead>', html, re.S)
    assert tables
    for name, header in tables:
        columns = header.count("<th")
        assert sorted(defined[name]) == list(range(1, columns + 1)), name
        assert sum(defined[name].values()) == 100, name


def test_agenda_and_decision_list_tables_have_fixed_column_widths(world):
    meeting = big_meeting(world, vacancies=2, households=2)
    context = _pdf_context(meeting)
    for template in ("placement/pdf/agenda.html", "placement/pdf/decisions.html"):
        html = render_to_string(template, context)
        assert_fixed_layout(html)
    # The agenda's three sections (vacancies, households, open nominations) all have widths.
    assert {"vacancies", "households", "nominations"} <= set(
        widths(render_to_string("placement/pdf/agenda.html", context))
    )


def test_invoice_table_has_fixed_column_widths():
    with open("templates/billing/pdf/invoice.html", encoding="utf-8") as template:
        html = template.read()
    assert re.search(r"table \{[^}]*table-layout: fixed;", html)
    assert widths(html) == {"lines": {1: 75, 2: 25}}
    assert '<table class="lines">' in html


def test_small_agenda_is_made_in_the_request(world, client_for, settings):
    settings.AGENDA_PDF_INLINE_MAX_ITEMS = 4
    meeting = big_meeting(world, vacancies=2, households=2)
    response = client_for(world.coordinator).get(reverse("meeting_agenda_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not PreparedDownload.objects.exists()


def test_big_agenda_is_made_in_the_background_and_offered_as_a_download(
    world, client_for, settings
):
    settings.AGENDA_PDF_INLINE_MAX_ITEMS = 3
    meeting = big_meeting(world, vacancies=2, households=2)
    client = client_for(world.coordinator)
    response = client.get(reverse("meeting_agenda_pdf", args=[meeting.pk]))

    download = PreparedDownload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("download_detail", args=[download.pk])
    # Tests run tasks at once: the file is ready, for Carla only.
    assert (download.kind, download.status, download.owner) == (
        "agenda_pdf",
        PreparedDownload.Status.READY,
        world.coordinator,
    )
    assert download.parameters["meeting"] == meeting.pk
    assert download.filename == f"agenda-{meeting.region.code}-{meeting.date:%Y-%m-%d}.pdf"
    assert (download.done, download.total) == (1, 1)
    file = client.get(reverse("download_file", args=[download.pk]))
    assert file.status_code == 200
    assert file["Content-Type"] == "application/pdf"
    content = b"".join(file.streaming_content) if file.streaming else file.content
    assert content.startswith(b"%PDF")
    assert download.size == len(content)


def test_a_big_meetings_decision_list_is_made_in_the_background_too(world, client_for, settings):
    settings.AGENDA_PDF_INLINE_MAX_ITEMS = 3
    meeting = big_meeting(world, vacancies=2, households=2)
    client = client_for(world.coordinator)
    response = client.get(reverse("meeting_decisions_pdf", args=[meeting.pk]))

    download = PreparedDownload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("download_detail", args=[download.pk])
    assert (download.kind, download.status, download.owner) == (
        "decisions_pdf",
        PreparedDownload.Status.READY,
        world.coordinator,
    )
    assert download.filename == f"besluitenlijst-{meeting.region.code}-{meeting.date:%Y-%m-%d}.pdf"
    file = client.get(reverse("download_file", args=[download.pk]))
    content = b"".join(file.streaming_content) if file.streaming else file.content
    assert content.startswith(b"%PDF")
    # Asked again once it is ready, it is made anew (a pending one is reused, as for the agenda).
    assert client.get(reverse("meeting_decisions_pdf", args=[meeting.pk])).status_code == 302
    # A small one prints at once.
    settings.AGENDA_PDF_INLINE_MAX_ITEMS = 60
    small = client.get(reverse("meeting_decisions_pdf", args=[meeting.pk]))
    assert small.status_code == 200 and small["Content-Type"] == "application/pdf"


def test_other_region_gets_no_decision_list_and_queues_nothing(world, client_for, settings):
    settings.AGENDA_PDF_INLINE_MAX_ITEMS = 3
    meeting = big_meeting(world, vacancies=2, households=2)
    response = client_for(world.outsider).get(reverse("meeting_decisions_pdf", args=[meeting.pk]))
    assert response.status_code == 404
    assert not PreparedDownload.objects.exists()


def test_a_pending_agenda_download_is_reused_not_queued_twice(world, client_for, settings):
    settings.AGENDA_PDF_INLINE_MAX_ITEMS = 3
    meeting = big_meeting(world, vacancies=2, households=2)
    pending = PreparedDownload.objects.create(
        owner=world.coordinator,
        kind="agenda_pdf",
        parameters={"meeting": meeting.pk, "site": "http://testserver/"},
        title="Agenda",
        filename="agenda.pdf",
        content_type="application/pdf",
    )
    response = client_for(world.coordinator).get(reverse("meeting_agenda_pdf", args=[meeting.pk]))
    assert response["Location"] == reverse("download_detail", args=[pending.pk])
    assert PreparedDownload.objects.count() == 1


def test_other_region_gets_no_agenda_and_queues_nothing(world, client_for, settings):
    settings.AGENDA_PDF_INLINE_MAX_ITEMS = 3
    meeting = big_meeting(world, vacancies=2, households=2)
    response = client_for(world.outsider).get(reverse("meeting_agenda_pdf", args=[meeting.pk]))
    assert response.status_code == 404
    assert not PreparedDownload.objects.exists()


def test_agenda_download_fails_when_the_owner_may_no_longer_see_the_meeting(world):
    from downloads.services import download_prepare

    meeting = big_meeting(world, vacancies=1, households=1)
    download = download_prepare(
        owner=world.outsider,
        kind="agenda_pdf",
        parameters={"meeting": meeting.pk, "site": "http://testserver/"},
        title="Agenda",
        filename="agenda.pdf",
        content_type="application/pdf",
    )
    download.refresh_from_db()
    assert download.status == PreparedDownload.Status.FAILED
    assert download.data is None


def test_fixed_table_layout_makes_the_136_item_agenda_faster_to_lay_out(world):
    """106 vacancies and 30 households (the agenda's household limit): 136 items, some 800
    cells. Laid out with fixed columns it takes well under the time of automatic layout (3.2 s
    at national size, 1.2 s of it measuring cells); absolute times depend on the machine, so
    the two layouts of the same document are compared, best of two runs each."""
    meeting = big_meeting(world, vacancies=106, households=30)
    with translation.override("nl"):
        html = render_to_string("placement/pdf/agenda.html", _pdf_context(meeting))
    automatic = html.replace("table-layout: fixed;", "")
    assert automatic != html

    def layout_seconds(document: str) -> float:
        runs = []
        for _ in range(2):
            start = time.perf_counter()
            HTML(string=document).render()
            runs.append(time.perf_counter() - start)
        return min(runs)

    HTML(string=html).render()  # fonts loaded once
    fixed, auto = layout_seconds(html), layout_seconds(automatic)
    assert fixed < 0.75 * auto, (fixed, auto)
    pdf, name = agenda_pdf_document(meeting, "http://testserver/")
    assert pdf.startswith(b"%PDF") and name.startswith("agenda-")
