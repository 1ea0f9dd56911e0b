"""Builders for the COA list import tests (not a test module)."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange import coa
from exchange.models import ImportBatch

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
CLEAN_SAMPLE = SAMPLES / "coa-koppelingen-voorbeeld.csv"
ERROR_SAMPLE = SAMPLES / "coa-koppelingen-fouten.csv"
HEADER = [
    "v-nummer",
    "v-nummer hoofdaanvrager",
    "naam",
    "geboortedatum",
    "geslacht",
    "gemeente",
    "koppeldatum",
    "coa-locatie",
    "taal",
    "nareiziger",
]


def csv_file(rows: list[list[str]], *, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode(encoding)


def person_row(
    v,
    main="",
    name="Test Persoon",
    born="01-01-1990",
    sex="M",
    place="Dordrecht",
    linked="01-10-2026",
    location="azc Dordrecht",
    language="Arabisch",
    later="nee",
):
    return [v, main, name, born, sex, place, linked, location, language, later]


def upload(client, data: bytes, name: str = "coa.csv"):
    return client.post(
        reverse("import_upload"), {"file": SimpleUploadedFile(name, data)}, follow=False
    )


def upload_batch(client, data: bytes, name: str = "coa.csv") -> ImportBatch:
    response = upload(client, data, name)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def confirm(client, batch: ImportBatch):
    return client.post(reverse("import_confirm", args=[batch.pk]), {"confirm": "1"})


def households_of(batch: ImportBatch) -> dict[str, dict]:
    batch.refresh_from_db()
    return {h["key"]: h for h in batch.preview["households"]}


def codes_of(household: dict) -> set[str]:
    return {e["code"] for e in household["errors"]}


def xlsx_file(rows: list[list[object]], header=HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def big_file(n_rows: int, *, start: int = 4_000_000_000) -> bytes:
    """``n_rows`` persons in households of 1, 2, 3 and 4 in turn (main first), in Dordrecht:
    5,000 rows are 2,000 households."""
    rows = []
    v = start
    households = 0
    while len(rows) < n_rows:
        size = min(1 + households % 4, n_rows - len(rows))  # 1, 2, 3, 4: 10 rows per 4
        households += 1
        main = str(v)
        for i in range(size):
            born = "01-01-1985" if i < 2 else "01-01-2015"
            rows.append(person_row(str(v), main, f"Persoon {v}", born))
            v += 1
    return csv_file(rows)


def ready_batch(world) -> ImportBatch:
    """A COA list the coordinator uploaded and that waits for its confirm: one new household
    linked to Zwijndrecht."""
    data = csv_file([person_row("4700000001", name="Matrix Import", place="Zwijndrecht")])
    batch = coa.import_start(
        user=world.coordinator,
        scope_municipality=None,
        region=world.drecht,
        filename="coa-matrix.csv",
        data=data,
    )
    coa.analyse_batch(batch.pk)
    batch.refresh_from_db()
    return batch
