"""The state's table of targets can also be uploaded as a CSV file (spreadsheet export)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quota.models import QuotaPeriod, QuotaTarget


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(client, content: bytes, name: str = "taakstelling.csv"):
    return client.post(
        reverse("quota_targets", args=["2026-2"]),
        {"paste": "1", "upload": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_an_uploaded_csv_fills_the_form_for_checking_and_saves_nothing(world, client_for):
    QuotaPeriod.objects.create(year=2026, half=2)
    # Excel on Windows saves CSV as cp1252 with semicolons; the header line is skipped.
    content = "Gemeente;Taakstelling 2026-II\r\nDordrecht;131\r\nGM0642;48\r\n".encode("cp1252")

    response = upload(client_for(world.coordinator), content)

    assert response.status_code == 200
    shown = {f.municipality.name: f.initial.get("net_target") for f in response.context["forms"]}
    assert shown["Dordrecht"] == 131
    assert shown["Zwijndrecht"] == 48
    assert QuotaTarget.objects.count() == 0


def test_an_upload_with_a_bad_line_lists_the_line(world, client_for):
    QuotaPeriod.objects.create(year=2026, half=2)

    response = upload(client_for(world.coordinator), b"Dordrecht;131\nUtrecht;40\n")

    assert response.status_code == 400
    assert any("2" in e and "Utrecht" in e for e in response.context["paste_errors"])
    assert QuotaTarget.objects.count() == 0


def test_a_binary_file_is_refused_next_to_the_upload_field(world, client_for):
    QuotaPeriod.objects.create(year=2026, half=2)

    response = upload(client_for(world.coordinator), bytes(range(256)) * 4, "targets.xlsx")

    assert response.status_code == 400
    assert 'id="id_upload_error"' in response.content.decode()
