"""Bad input: each case has its own message, and nothing is written before the confirm."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from exchange.models import ImportBatch
from placement.models import Household, Person
from tests.exchange.import_builders import (
    ERROR_SAMPLE,
    HEADER,
    codes_of,
    confirm,
    csv_file,
    households_of,
    person_row,
    upload,
    upload_batch,
    xlsx_file,
)
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def refused(client, data: bytes, name: str = "coa.csv") -> str:
    """The upload is refused at the file field (the pages are Dutch): nothing is stored."""
    response = upload(client, data, name)
    assert response.status_code == 400
    assert not ImportBatch.objects.exists() and not Household.objects.exists()
    page = response.content.decode()
    assert 'id="id_file_error"' in page
    return page


def dutch(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


@pytest.fixture
def coordinator(world, client_for):
    return client_for(world.coordinator)


def test_error_sample_reports_every_row_and_imports_only_the_good_one(world, coordinator):
    other = HouseholdFactory(linked_municipality=world.woerden)
    PersonFactory(household=other, v_number="3000000161", full_name="Secret Woerden")
    batch = upload_batch(coordinator, ERROR_SAMPLE.read_bytes(), "coa-koppelingen-fouten.csv")
    households = households_of(batch)
    by_row = {e["row"]: e["code"] for h in households.values() for e in h["errors"]}
    assert by_row == {
        2: "v_invalid",
        3: "v_duplicate",
        4: "v_duplicate",
        5: "main_missing",
        6: "municipality_unknown",
        7: "municipality_other_region",
        8: "municipality_not_participating",
        9: "date_impossible",
        10: "date_format",
        11: "born_future",
        12: "link_future",
        13: "sex_invalid",
        14: "follower_invalid",
        15: "name_missing",
        16: "main_follower",
        17: "date_missing",
        18: "v_other_region",
    }
    assert batch.preview["counts"] == {"error": 16, "new": 1}
    page = coordinator.get(batch.get_absolute_url()).content.decode()
    assert "Secret Woerden" not in page and "Woerden e.o." not in page.split("<main")[1]
    confirm(coordinator, batch)
    assert list(Person.objects.exclude(household=other).values_list("full_name", flat=True)) == [
        "=Goed Ingelezen"  # our own export's apostrophe before a formula, undone
    ]


def test_a_household_with_one_bad_row_is_skipped_whole(world, coordinator):
    rows = [
        person_row("3100000001", "3100000001", "Main"),
        person_row("3100000002", "3100000001", "Kid", born="31-02-2015"),
    ]
    batch = upload_batch(coordinator, csv_file(rows))
    assert households_of(batch)["3100000001"]["status"] == "error"
    confirm(coordinator, batch)
    assert not Person.objects.exists()


def test_missing_columns_are_named_with_the_accepted_ones(coordinator):
    page = refused(coordinator, csv_file([["1", "x"]], header=["vnr", "naam", "land"]))
    assert "geboortedatum, gemeente, koppeldatum" in page
    assert "v-nummer hoofdaanvrager" in page  # the accepted list
    assert "land" in page


def test_windows_1252_is_read_and_said(world, coordinator):
    data = csv_file([person_row("3200000001", name="Zoë Müller")], encoding="cp1252")
    batch = upload_batch(coordinator, data)
    page = coordinator.get(batch.get_absolute_url()).content.decode()
    assert "Windows-1252" in page
    assert batch.preview["households"][0]["rows"][0]["name"] == "Zoë Müller"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiters(world, coordinator, delimiter):
    batch = upload_batch(coordinator, csv_file([person_row("3300000001")], delimiter=delimiter))
    assert batch.preview["counts"] == {"new": 1}


@pytest.mark.parametrize(
    "written", ["31-12-1990", "31/12/1990", "1990-12-31", "1990-12-31 00:00:00"]
)
def test_dutch_and_iso_dates(world, coordinator, written):
    batch = upload_batch(coordinator, csv_file([person_row("3400000001", born=written)]))
    assert households_of(batch)["3400000001"]["rows"][0]["born"] == "1990-12-31"


def test_real_xlsx_dates_and_numeric_v_numbers(world, coordinator):
    row = [
        3500000001,
        None,
        "Excel Persoon",
        datetime.datetime(1990, 12, 31),
        "v",
        "GM0505",
        datetime.date(2026, 10, 1),
        "azc",
        "Dari",
        "nee",
    ]
    batch = upload_batch(coordinator, xlsx_file([row]), "coa.xlsx")
    planned = households_of(batch)["3500000001"]
    assert planned["status"] == "new"
    assert planned["rows"][0]["born"] == "1990-12-31" and planned["rows"][0]["sex"] == "f"


def test_v_number_registered_in_the_same_region_under_another_household(world, coordinator):
    household = HouseholdFactory(linked_municipality=world.dordrecht)
    PersonFactory(household=household, v_number="3600000002", role="main")
    rows = [person_row("3600000001", "3600000001"), person_row("3600000002", "3600000001")]
    planned = households_of(upload_batch(coordinator, csv_file(rows)))["3600000001"]
    assert codes_of(planned) == {"v_other_household"}


def test_empty_files(coordinator):
    refused(coordinator, b"")
    page = refused(coordinator, (",".join(HEADER) + "\n").encode())
    assert dutch("The file has a header but no rows with data.") in page


def test_over_the_size_limit(coordinator, settings):
    settings.IMPORT_MAX_BYTES = 100
    page = refused(coordinator, csv_file([person_row("3700000001")] * 3))
    assert "100" in page and dutch("bytes") in page


def test_over_the_row_limit_names_both_numbers(coordinator):
    rows = [person_row(f"{3800000000 + i}") for i in range(10_000)]
    page = refused(coordinator, csv_file(rows))
    assert "10.000" in page and "5.000" in page  # the file's rows and the limit, Dutch style


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n\x00\x01binary", "coa.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "coa.xls"),
        (b"PK\x03\x04not really a zip", "coa.xlsx"),
    ],
)
def test_neither_csv_nor_xlsx(coordinator, data, name):
    page = refused(coordinator, data, name)
    assert (
        dutch("This file is not a CSV or XLSX file. Save the list as .xlsx or .csv and try again.")
        in page
    )
