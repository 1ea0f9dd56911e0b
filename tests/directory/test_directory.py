"""Who's who (deelnemers): the region's people at the table, who may see and keep them, the
meeting's attendees (picked from it, printed on the agenda) and the exports."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from directory import vcard
from directory.models import Attendance, Participant
from placement.models import Meeting
from regions.models import Organisation
from tests.placement.placement_builders import today

pytestmark = pytest.mark.django_db


def org(world, name: str) -> Organisation:
    return Organisation.objects.get(name=name)


@pytest.fixture
def table(world):
    """Drechtsteden: Gert (linked to his account) and his wethouder for Zwijndrecht, Cor's
    colleague at Trivire; Woerden: Otto's colleague at Ferm Werk. A planned meeting in three
    weeks."""
    zwijndrecht = org(world, "Gemeente Zwijndrecht")
    meeting = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=3), place="Stadskantoor"
    )
    return {
        "gert": Participant.objects.create(
            organisation=zwijndrecht,
            name="Gert Bakker",
            table_role=Participant.Role.EXECUTIVE,
            email="gert@zwijndrecht.example",
            phone="078-770 12 34",
            user=world.officer,
        ),
        "wethouder": Participant.objects.create(
            organisation=zwijndrecht,
            name="Wil Wethouder",
            table_role=Participant.Role.DECISION_MAKER,
            email="wil@zwijndrecht.example",
        ),
        "trivire": Participant.objects.create(
            organisation=world.trivire,
            name="Tineke Trivire",
            table_role=Participant.Role.EXECUTIVE,
        ),
        "woerden": Participant.objects.create(
            organisation=org(world, "Ferm Werk"),
            name="Wendy Woerden",
            table_role=Participant.Role.CHAIR,
        ),
        "meeting": meeting,
    }


def listed(response) -> set[int]:
    html = response.content.decode()
    return {p.pk for p in Participant.objects.all() if f'data-participant="{p.pk}"' in html}


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "officer", "corporation", "partner", "finance"])
def test_every_role_of_the_region_sees_its_table_and_no_other(world, table, client_for, persona):
    response = client_for(getattr(world, persona)).get(reverse("directory_list"))

    assert response.status_code == 200
    assert listed(response) == {table["gert"].pk, table["wethouder"].pk, table["trivire"].pk}
    assert 'href="mailto:gert@zwijndrecht.example"' in response.content.decode()
    assert 'href="tel:+31787701234"' in response.content.decode()


def test_otto_sees_only_woerden(world, table, client_for):
    response = client_for(world.outsider).get(reverse("directory_list"))

    assert listed(response) == {table["woerden"].pk}


def test_another_regions_entry_is_not_found(world, table, client_for):
    otto = client_for(world.outsider)

    assert otto.get(reverse("directory_edit", args=[table["gert"].pk])).status_code == 404
    response = otto.post(reverse("directory_remove", args=[table["gert"].pk]), {"confirm": "1"})
    assert response.status_code == 404
    assert Participant.objects.get(pk=table["gert"].pk).active


@pytest.mark.parametrize("persona", ["officer", "corporation", "partner", "finance"])
def test_only_the_coordinator_keeps_the_table(world, table, client_for, persona):
    client = client_for(getattr(world, persona))
    data = {
        "organisation": world.trivire.pk,
        "name": "Nieuw Iemand",
        "table_role": "executive",
    }

    assert client.post(reverse("directory_add"), data).status_code == 403
    assert (
        client.post(reverse("directory_org_add"), {"name": "X", "kind": "support"}).status_code
        == 403
    )
    response = client.post(
        reverse("directory_remove", args=[table["trivire"].pk]), {"confirm": "1"}
    )
    assert response.status_code == 403
    assert not Participant.objects.filter(name="Nieuw Iemand").exists()
    assert not Organisation.objects.filter(name="X").exists()


def test_the_coordinator_adds_an_organisation_and_a_person(world, client_for):
    client = client_for(world.coordinator)
    response = client.post(
        reverse("directory_org_add"), {"name": "Sociale Dienst Drechtsteden", "kind": "support"}
    )
    assert response.status_code == 302
    added = Organisation.objects.get(name="Sociale Dienst Drechtsteden")
    assert added.region == world.drecht

    response = client.post(
        reverse("directory_add"),
        {"organisation": added.pk, "name": "Sam Sociaal", "table_role": "decision_maker"},
    )
    assert response.status_code == 302
    assert Participant.objects.get(name="Sam Sociaal").organisation == added


def test_an_organisation_of_another_region_cannot_be_chosen(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("directory_add"),
        {"organisation": world.groenwest.pk, "name": "Gluiper", "table_role": "executive"},
    )

    assert response.status_code == 400
    assert not Participant.objects.filter(name="Gluiper").exists()


def test_a_linked_account_must_belong_to_the_organisation(world, table, client_for):
    response = client_for(world.coordinator).post(
        reverse("directory_edit", args=[table["trivire"].pk]),
        {
            "organisation": world.trivire.pk,
            "name": "Tineke Trivire",
            "table_role": "executive",
            "user": world.officer.pk,  # Gert works for Zwijndrecht
        },
    )

    assert response.status_code == 400
    assert Participant.objects.get(pk=table["trivire"].pk).user is None


def test_a_person_edits_their_own_entry_only(world, table, client_for):
    gert = client_for(world.officer)
    response = gert.post(
        reverse("directory_edit", args=[table["gert"].pk]),
        {
            "name": "Gert Bakker",
            "email": "g.bakker@zwijndrecht.example",
            "phone": "06-12345678",
            # Not on his form: ignored.
            "table_role": "chair",
            "organisation": world.trivire.pk,
        },
    )

    assert response.status_code == 302
    entry = Participant.objects.get(pk=table["gert"].pk)
    assert (entry.email, entry.phone) == ("g.bakker@zwijndrecht.example", "06-12345678")
    assert entry.table_role == "executive" and entry.organisation.name == "Gemeente Zwijndrecht"

    other = gert.post(
        reverse("directory_edit", args=[table["wethouder"].pk]), {"name": "Overgenomen"}
    )
    assert other.status_code == 403
    assert Participant.objects.get(pk=table["wethouder"].pk).name == "Wil Wethouder"


def test_leaving_the_table_asks_first_then_drops_the_meetings_to_come(world, table, client_for):
    Attendance.objects.create(participant=table["wethouder"], meeting=table["meeting"])
    client = client_for(world.coordinator)
    url = reverse("directory_remove", args=[table["wethouder"].pk])

    asked = client.post(url)
    assert asked.status_code == 200
    assert 'id="confirm-yes"' in asked.content.decode()
    assert Participant.objects.get(pk=table["wethouder"].pk).active

    done = client.post(url, {"confirm": "1"})
    assert done.status_code == 302
    assert not Participant.objects.get(pk=table["wethouder"].pk).active
    assert not Attendance.objects.filter(participant=table["wethouder"]).exists()
    assert table["wethouder"].pk not in listed(
        client_for(world.officer).get(reverse("directory_list"))
    )


def test_the_list_does_not_query_per_person(
    world, table, client_for, django_assert_max_num_queries
):
    client = client_for(world.coordinator)
    client.get(reverse("directory_list"))  # warm the session and membership caches
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("directory_list"))
    for n in range(12):
        Participant.objects.create(organisation=world.woonbron, name=f"Extra {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("directory_list"))


# --- Meeting attendees -----------------------------------------------------------------------


def test_the_coordinator_picks_attendees_and_their_organisations_attend(world, table, client_for):
    meeting = table["meeting"]
    meeting.attendees.set([world.desk])
    response = client_for(world.coordinator).post(
        reverse("directory_attendance", args=[meeting.pk]),
        {"participants": [table["wethouder"].pk, table["trivire"].pk]},
    )

    assert response.status_code == 302
    assert set(meeting.attendances.values_list("participant_id", flat=True)) == {
        table["wethouder"].pk,
        table["trivire"].pk,
    }
    assert set(meeting.attendees.values_list("name", flat=True)) == {
        world.desk.name,
        "Gemeente Zwijndrecht",
        "Trivire",
    }
    page = client_for(world.partner).get(reverse("meeting_detail", args=[meeting.pk]))
    assert f'data-participant="{table["wethouder"].pk}"' in page.content.decode()


def test_unticking_someone_takes_them_off_the_meeting(world, table, client_for):
    meeting = table["meeting"]
    Attendance.objects.create(participant=table["gert"], meeting=meeting)
    client_for(world.coordinator).post(
        reverse("directory_attendance", args=[meeting.pk]), {"participants": [table["trivire"].pk]}
    )

    assert list(meeting.attendances.values_list("participant_id", flat=True)) == [
        table["trivire"].pk
    ]


def test_no_attendee_from_another_region(world, table, client_for):
    meeting = table["meeting"]
    response = client_for(world.coordinator).post(
        reverse("directory_attendance", args=[meeting.pk]),
        {"participants": [table["woerden"].pk]},
    )

    assert response.status_code == 400
    assert not meeting.attendances.exists()


def test_the_agenda_pdf_lists_the_attendees(world, table, client_for):
    meeting = table["meeting"]
    for person in (table["wethouder"], table["trivire"]):
        Attendance.objects.create(participant=person, meeting=meeting)

    response = client_for(world.coordinator).get(reverse("meeting_agenda_pdf", args=[meeting.pk]))

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "Wil Wethouder" in text and "Gemeente Zwijndrecht" in text
    assert "Tineke Trivire" in text and "Trivire" in text
    assert "Gert Bakker" not in text  # not picked for this meeting
    with translation.override("nl"):  # the PDF speaks Dutch, as the pages do
        assert str(Participant.Role.DECISION_MAKER.label) in text


# --- Exports -----------------------------------------------------------------------------------


def test_vcard_escapes_and_has_one_card_per_person(world, table, client_for):
    table["trivire"].name = "Jansen, Piet; \\ junior"
    table["trivire"].save()
    response = client_for(world.partner).get(reverse("directory_vcard"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vcard")
    text = response.content.decode()
    assert text.count("BEGIN:VCARD\r\n") == 3 == text.count("END:VCARD\r\n")
    assert text.count("VERSION:4.0\r\n") == 3
    assert "FN:Jansen\\, Piet\\; \\\\ junior\r\n" in text
    assert "EMAIL;TYPE=work:gert@zwijndrecht.example\r\n" in text
    assert "TEL;VALUE=uri;TYPE=work:tel:+31787701234\r\n" in text
    assert "Wendy Woerden" not in text  # another region
    assert all(line.endswith("\r") or not line for line in text.split("\n")[:-1])


def test_vcard_folds_long_lines_at_75_octets():
    long_name = "Ä" * 60  # 120 octets in UTF-8
    line = f"FN:{vcard.escape(long_name)}"
    folded = vcard.fold(line)
    parts = folded.split("\r\n")

    assert len(parts) > 1
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


@pytest.mark.parametrize(
    "phone, uri",
    [
        ("078-770 12 34", "tel:+31787701234"),
        ("+49 30 1234567", "tel:+49301234567"),
        ("0032 2 123 45 67", "tel:+3221234567"),
        ("onbekend", None),
    ],
)
def test_tel_uri(phone, uri):
    assert vcard.tel_uri(phone) == uri


def test_csv_export_is_typed_and_formula_safe(world, table, client_for):
    table["trivire"].name = '=HYPERLINK("http://x")'
    table["trivire"].save()
    Attendance.objects.create(participant=table["wethouder"], meeting=table["meeting"])
    response = client_for(world.finance).get(
        reverse("directory_export") + "?format=csv", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 3
    by_name = {row[2]: row for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in by_name
    wethouder = by_name["Wil Wethouder"]
    assert wethouder[0] == "Gemeente Zwijndrecht"
    assert wethouder[6] == table["meeting"].date.isoformat()  # next meeting, ISO date
    assert wethouder[7:] == ["1", "0"]  # meetings to come, attended
    assert by_name["Gert Bakker"][6:] == ["", "0", "0"]


def test_xlsx_export_has_typed_cells(world, table, client_for):
    from openpyxl import load_workbook

    Attendance.objects.create(participant=table["wethouder"], meeting=table["meeting"])
    response = client_for(world.coordinator).get(reverse("directory_export") + "?format=xlsx")

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    wethouder = next(r for r in rows if r[2] == "Wil Wethouder")
    assert wethouder[6].date() == table["meeting"].date
    assert wethouder[7] == 1


def test_unknown_export_format_is_not_found(world, client_for):
    response = client_for(world.coordinator).get(reverse("directory_export") + "?format=pdf")
    assert response.status_code == 404
