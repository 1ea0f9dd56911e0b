"""The one spreadsheet writer (exchange/spreadsheet.py): typed cells and no formula injection,
read back the way a spreadsheet program reads them (openpyxl for XLSX, csv for CSV)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from exchange.spreadsheet import (
    FORMULA_TRIGGERS,
    Column,
    Kind,
    csv_bytes,
    response,
    unneutralise,
    xlsx_bytes,
)

COLUMNS = [
    Column("Referentie", value="ref"),
    Column("Koppeldatum", Kind.DATE, "day"),
    Column("Bedrag", Kind.AMOUNT, "amount"),
    Column("Personen", Kind.INTEGER, "persons"),
    Column("Score", Kind.DECIMAL, "score"),
    Column("Rolstoel", Kind.BOOLEAN, "wheelchair"),
]
ROW = {
    "ref": "DS-2026-001",
    "day": datetime.date(2026, 12, 31),
    "amount": Decimal("28375.5"),
    "persons": 4,
    "score": Decimal("87.25"),
    "wheelchair": True,
}
NEGATIVE = {
    "ref": "DS-2026-002",
    "day": datetime.datetime(2026, 1, 2, 13, 45),
    "amount": Decimal("-350.00"),
    "persons": -3,
    "score": Decimal("-0.5"),
    "wheelchair": False,
}
EMPTY = {"ref": "", "day": None, "amount": None, "persons": None, "score": None}
# Texts a spreadsheet would run as a formula: every trigger, as a value and as a header.
HOSTILE = [
    "=1+1",
    "+31 6 1234",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=cmd|' /C calc'!A0",
    '\r=HYPERLINK("http://x")',
]


def sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_trigger_is_covered():
    assert {text[0] for text in HOSTILE} == set(FORMULA_TRIGGERS)


def test_xlsx_cells_are_typed():
    ws = sheet(xlsx_bytes(COLUMNS, [ROW, NEGATIVE, EMPTY], title="Pool"))
    assert ws.title == "Pool"
    assert ws.freeze_panes == "A2"
    # (An empty last row is not stored: read it as one anyway.)
    header, first, negative, empty = list(ws.iter_rows(max_row=4, max_col=6))
    assert [c.value for c in header] == [c.header for c in COLUMNS]
    assert all(c.font.bold for c in header)
    ref, day, amount, persons, score, wheelchair = first
    assert (ref.value, ref.data_type) == ("DS-2026-001", "s")
    # Dates are dates (openpyxl reads them back as midnight datetimes) with a Dutch format.
    assert day.is_date and day.value == datetime.datetime(2026, 12, 31)
    assert day.number_format == "dd-mm-yyyy"
    assert amount.data_type == "n" and amount.value == 28375.5
    assert amount.number_format == "#,##0.00"
    assert persons.data_type == "n" and persons.value == 4 and isinstance(persons.value, int)
    assert persons.number_format == "0"
    assert score.data_type == "n" and score.value == 87.25
    assert wheelchair.value is True
    # Negative numbers stay numbers (not neutralised text); a datetime becomes its date.
    assert [c.value for c in negative[1:5]] == [datetime.datetime(2026, 1, 2), -350, -3, -0.5]
    assert all(c.data_type == "n" for c in negative[2:5])
    assert negative[5].value is False
    assert [c.value for c in empty] == [None] * 6


def test_csv_cells_are_iso_dates_and_decimal_points():
    header, first, negative, empty = csv_rows(csv_bytes(COLUMNS, [ROW, NEGATIVE, EMPTY]))
    assert header == [c.header for c in COLUMNS]
    assert first == ["DS-2026-001", "2026-12-31", "28375.50", "4", "87.25", "1"]
    # Negative numbers are written as numbers, without an apostrophe.
    assert negative == ["DS-2026-002", "2026-01-02", "-350.00", "-3", "-0.5", "0"]
    assert empty == [""] * 6


@pytest.mark.parametrize("text", HOSTILE)
def test_xlsx_never_holds_a_formula(text):
    columns = [Column(text, value="v"), Column("Plain", value="v")]
    ws = sheet(xlsx_bytes(columns, [{"v": text}]))
    (head, plain_head), (cell, _same) = list(ws.iter_rows())
    for got in (head, cell):
        assert got.data_type == "s", "stored as text, never as a formula"
        assert got.quotePrefix is True
        # XML reads a carriage return back as a line feed; the text is otherwise as typed.
        assert got.value.replace("\n", "\r") == text
    assert plain_head.quotePrefix is False


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_neutralises_every_trigger(text):
    columns = [Column(text, value="v")]
    header, row = csv_rows(csv_bytes(columns, [{"v": text}]))
    assert header == ["'" + text]
    assert row == ["'" + text]
    assert unneutralise(row[0]) == text


def test_a_harmless_apostrophe_is_kept():
    header, row = csv_rows(csv_bytes([Column("Naam", value="v")], [{"v": "'s-Gravendeel"}]))
    assert row == ["'s-Gravendeel"]
    assert unneutralise("'s-Gravendeel") == "'s-Gravendeel"


def test_control_characters_do_not_break_xlsx():
    """A text with characters XLSX cannot hold is written without them, not refused (a 500)."""
    ws = sheet(xlsx_bytes([Column("Notes", value="v")], [{"v": "a\x00b\x0b=c"}, {"v": "\x01=1"}]))
    _header, first, second = list(ws.iter_rows())
    assert first[0].value == "ab=c"
    assert (second[0].value, second[0].quotePrefix) == ("=1", True)


def test_response_streams_csv_and_names_the_file():
    streamed = response("csv", "Pool DS 2026", COLUMNS, [ROW])
    assert streamed.streaming
    assert streamed["Content-Disposition"] == 'attachment; filename="pool-ds-2026.csv"'
    assert csv_rows(b"".join(streamed.streaming_content))[1][0] == "DS-2026-001"
    workbook = response("xlsx", "Pool DS 2026", COLUMNS, [ROW])
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet(workbook.content)["A2"].value == "DS-2026-001"
