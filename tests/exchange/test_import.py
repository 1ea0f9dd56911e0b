"""The COA list import: upload -> preview -> confirm, idempotency, scope, round trip, samples."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from exchange import coa
from exchange.models import ImportBatch
from placement.models import Household, Person
from tests.exchange.import_builders import (
    CLEAN_SAMPLE,
    codes_of,
    confirm,
    csv_file,
    households_of,
    person_row,
    upload,
    upload_batch,
)
from tests.factories import HouseholdFactory, PersonFactory
from tests.placement.placement_builders import messages_of

pytestmark = pytest.mark.django_db


def test_clean_sample_previews_twelve_new_households_and_writes_nothing(world, client_for):
    client = client_for(world.coordinator)
    batch = upload_batch(client, CLEAN_SAMPLE.read_bytes(), "coa-koppelingen-voorbeeld.csv")
    assert batch.status == ImportBatch.Status.READY
    assert batch.row_count == 28
    assert batch.data is None  # the file is not kept once analysed
    assert batch.preview["counts"] == {"new": 12}
    assert not Household.objects.exists()
    page = client.get(reverse("import_preview", args=[batch.pk])).content.decode()
    assert 'id="count-new">12<' in page
    assert "nationaliteit" in page  # named as ignored
    haddad = households_of(batch)["2100000011"]
    assert [m["role"] for m in haddad["members"]] == ["main", "partner", "child", "child"]
    # Two adults besides the main applicant: the first is the partner, the next "other".
    brothers = households_of(batch)["2100000081"]
    assert [m["role"] for m in brothers["members"]] == ["main", "partner", "other"]


def test_confirm_imports_with_roles_followers_and_change_reason(world, client_for):
    client = client_for(world.coordinator)
    batch = upload_batch(client, CLEAN_SAMPLE.read_bytes(), "coa-koppelingen-voorbeeld.csv")
    first = client.post(reverse("import_confirm", args=[batch.pk]))  # the confirm step
    assert first.status_code == 200 and b'id="confirm-yes"' in first.content
    assert not Household.objects.exists()
    response = confirm(client, batch)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED and batch.preview is None
    assert batch.result["new"] == 12
    assert Household.objects.count() == 12 and Person.objects.count() == 28
    yusuf = Person.objects.get(v_number="2100000031").household
    assert yusuf.linked_municipality == world.papendrecht
    assert yusuf.link_date == datetime.date(2026, 9, 29)
    assert yusuf.coa_location == "azc Budel" and yusuf.language == "Somalisch"
    assert yusuf.reference == f"DS-2026-{yusuf.pk:05d}"
    assert yusuf.created_by == world.coordinator
    abdi = Person.objects.get(v_number="2100000033")
    assert (abdi.present, abdi.role, abdi.sex) == (False, "partner", "m")
    assert Person.objects.get(v_number="2100000091").sex == "x"
    assert Person.objects.get(v_number="2100000012").sex == "f"
    record = yusuf.history.first()
    assert record.history_change_reason == "COA-lijst coa-koppelingen-voorbeeld.csv"
    assert record.history_user == world.coordinator
    assert abdi.history.first().history_change_reason.startswith("COA-lijst")


def test_importing_twice_finds_everything_unchanged_and_a_second_confirm_is_a_no_op(
    world, client_for
):
    client = client_for(world.coordinator)
    batch = upload_batch(client, CLEAN_SAMPLE.read_bytes())
    confirm(client, batch)
    again = confirm(client, batch)
    with translation.override("nl"):
        said = gettext("This list was imported already; nothing was changed.")
    assert messages_of(again)[-1] == said
    assert Household.objects.count() == 12
    second = upload_batch(client, CLEAN_SAMPLE.read_bytes())
    assert second.preview["counts"] == {"unchanged": 12}
    page = client.get(reverse("import_preview", args=[second.pk])).content.decode()
    assert 'id="nothing-to-import"' in page
    history_rows = Person.history.count()
    confirm(client, second)  # nothing to write: the batch is only marked as imported
    assert Person.history.count() == history_rows


def test_update_shows_old_and_new_and_changes_only_what_coa_owns(world, client_for):
    household = HouseholdFactory(
        linked_municipality=world.dordrecht,
        link_date=datetime.date(2026, 10, 1),
        status=Household.Status.SEARCHING,
        notes="Eigen aantekening",
        language="Arabisch",
    )
    PersonFactory(
        household=household,
        v_number="2200000001",
        full_name="Ahmad Old",
        date_of_birth=datetime.date(1990, 1, 1),
        role="main",
    )
    PersonFactory(
        household=household,
        v_number="2200000002",
        full_name="Child",
        date_of_birth=datetime.date(2015, 1, 1),
        role="child",
        present=False,
    )
    rows = [
        person_row(
            "2200000001",
            "2200000001",
            "Ahmad New",
            "01-01-1990",
            place="Zwijndrecht",
            language="Koerdisch",
        ),
        person_row("2200000002", "2200000001", "Child", "01-01-2015", place="", later="nee"),
        person_row("2200000003", "2200000001", "Baby", "01-01-2025", place="Zwijndrecht"),
    ]
    client = client_for(world.coordinator)
    batch = upload_batch(client, csv_file(rows))
    planned = households_of(batch)["2200000001"]
    assert planned["status"] == "update"
    assert {c["field"]: (c["old"], c["new"]) for c in planned["changes"]} == {
        "municipality": ("Dordrecht", "Zwijndrecht"),
        "language": ("Arabisch", "Koerdisch"),
        "coa_location": ("", "azc Dordrecht"),
    }
    assert [m["action"] for m in planned["members"]] == ["update", "update", "new"]
    page = client.get(reverse("import_preview", args=[batch.pk])).content.decode()
    assert "Ahmad Old → Ahmad New" in page
    confirm(client, batch)
    household.refresh_from_db()
    assert household.linked_municipality == world.zwijndrecht
    assert household.language == "Koerdisch" and household.notes == "Eigen aantekening"
    assert household.status == Household.Status.SEARCHING
    child = Person.objects.get(v_number="2200000002")
    assert child.present and child.arrival_date == coa.timezone.localdate()
    baby = Person.objects.get(v_number="2200000003")
    assert (baby.household, baby.role) == (household, "child")
    assert household.history.first().history_change_reason.startswith("COA-lijst")


def test_municipality_of_a_nominated_or_closed_household_cannot_change(world, client_for):
    closed = HouseholdFactory(linked_municipality=world.dordrecht, status=Household.Status.HOUSED)
    PersonFactory(household=closed, v_number="2300000001", role="main")
    client = client_for(world.coordinator)
    batch = upload_batch(client, csv_file([person_row("2300000001", place="Zwijndrecht")]))
    planned = households_of(batch)["2300000001"]
    assert planned["status"] == "error" and codes_of(planned) == {"municipality_locked"}


def test_data_changed_after_the_preview_is_reported_not_overwritten(world, client_for):
    household = HouseholdFactory(linked_municipality=world.dordrecht)
    person = PersonFactory(household=household, v_number="2400000001", full_name="A", role="main")
    client = client_for(world.coordinator)
    rows = [person_row("2400000001", name="B"), person_row("2400000002", name="New One")]
    batch = upload_batch(client, csv_file(rows))
    assert batch.preview["counts"] == {"update": 1, "new": 1}
    person.full_name = "Changed by hand"
    person.save()
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.result["update"] == 0 and batch.result["new"] == 1
    assert batch.result["changed"] == [{"rows": [2], "reference": household.reference}]
    person.refresh_from_db()
    assert person.full_name == "Changed by hand"
    page = client.get(reverse("import_preview", args=[batch.pk])).content.decode()
    assert 'id="applied-changed">1<' in page


def test_officer_imports_for_own_municipality_only(world, client_for):
    client = client_for(world.officer)
    rows = [person_row("2500000001", place="Zwijndrecht"), person_row("2500000002")]
    batch = upload_batch(client, csv_file(rows))
    assert batch.municipality == world.zwijndrecht
    planned = households_of(batch)
    assert planned["2500000001"]["status"] == "new"
    assert codes_of(planned["2500000002"]) == {"municipality_out_of_scope"}
    confirm(client, batch)
    assert list(Person.objects.values_list("v_number", flat=True)) == ["2500000001"]


def test_officer_cannot_update_a_household_of_another_municipality(world, client_for):
    household = HouseholdFactory(linked_municipality=world.dordrecht)
    PersonFactory(household=household, v_number="2500000011", role="main")
    batch = upload_batch(
        client_for(world.officer), csv_file([person_row("2500000011", place="Zwijndrecht")])
    )
    planned = households_of(batch)["2500000011"]
    assert "household_out_of_scope" in codes_of(planned)
    assert household.reference not in str(planned["errors"])


def test_batches_are_scoped(world, client_for):
    batch = upload_batch(client_for(world.coordinator), csv_file([person_row("2600000001")]))
    url = reverse("import_preview", args=[batch.pk])
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.officer).get(url).status_code == 404
    assert client_for(world.partner).get(url).status_code == 403
    assert (
        client_for(world.outsider)
        .post(reverse("import_confirm", args=[batch.pk]), {"confirm": "1"})
        .status_code
        == 404
    )
    assert not Household.objects.exists()


def test_round_trip_export_then_import_is_all_unchanged(world, client_for):
    client = client_for(world.coordinator)
    confirm(client, upload_batch(client, CLEAN_SAMPLE.read_bytes()))
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("import_current_list") + f"?format={fmt}")
        assert response.status_code == 200
        data = b"".join(response.streaming_content) if response.streaming else response.content
        batch = upload_batch(client, data, f"huidig.{fmt}")
        assert batch.preview["counts"] == {"unchanged": 12}, fmt
        history = Household.history.count() + Person.history.count()
        confirm(client, batch)
        assert Household.history.count() + Person.history.count() == history


def test_households_list_links_to_the_import_for_those_who_may(world, client_for):
    page = client_for(world.coordinator).get(reverse("household_list")).content.decode()
    assert 'id="import-coa-list"' in page
    page = client_for(world.partner).get(reverse("household_list")).content.decode()
    assert 'id="import-coa-list"' not in page


def test_upload_page_lists_columns_and_refuses_an_empty_form(world, client_for):
    client = client_for(world.coordinator)
    page = client.get(reverse("import_upload")).content.decode()
    assert "v-nummer hoofdaanvrager" in page and 'id="current-list-xlsx"' in page
    response = upload(client, b"")
    assert response.status_code == 400
    assert client.post(reverse("import_upload")).status_code == 400


def test_purge_clears_applied_and_expired_previews(world, client_for):
    client = client_for(world.coordinator)
    applied = upload_batch(client, csv_file([person_row("2700000001")]))
    confirm(client, applied)
    waiting = upload_batch(client, csv_file([person_row("2700000002")]))
    assert coa.purge_import_previews() == 0  # applied cleared at once; the other is fresh
    later = coa.timezone.now() + datetime.timedelta(days=31)
    assert coa.purge_import_previews(now=later) == 1
    waiting.refresh_from_db()
    assert waiting.preview is None and waiting.status == ImportBatch.Status.FAILED


def test_the_daily_purge_command_clears_import_previews(world, client_for):
    from django.core.management import call_command

    batch = upload_batch(client_for(world.coordinator), csv_file([person_row("2800000001")]))
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=coa.timezone.now() - datetime.timedelta(days=31)
    )
    call_command("purge_personal_data", "--apply", stdout=__import__("io").StringIO())
    batch.refresh_from_db()
    assert batch.preview is None and batch.purged_at is not None
