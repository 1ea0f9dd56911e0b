"""Spreadsheets out: typed cells, safe against formula injection, as XLSX or CSV.

Every export of the app goes through here, so the two promises hold everywhere:

- **typed cells**: a date is a date, an amount a number (with two decimals), a count an
  integer; in XLSX as real cell types with a Dutch display format, in CSV as ISO 8601 dates
  (``2026-12-31``) and numbers with a decimal point, so any program reads them back the same;
- **no formula injection**: a text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return could be run as a formula by a spreadsheet program. In XLSX such a cell is
  stored as text with Excel's own quote prefix (shown as typed, never evaluated); in CSV it is
  prefixed with an apostrophe (``'=1+1``). Importers undo the CSV prefix (``unneutralise``).

CSV files are UTF-8 with a byte-order mark (Excel then reads the accents right), comma
separated, one header row. Header cells follow the same rules as text cells. Control characters
that the XLSX format cannot hold (everything below a space but tab, line feed and carriage
return) are left out of XLSX cells, so no text a user typed can break a download.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot store; openpyxl refuses a cell holding one.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    AMOUNT = "amount"  # euros, two decimals
    DECIMAL = "decimal"  # any other number (a score, a share)
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    """One column: its header (already translated), the kind of its cells and how to read a
    row's value (a key of a dict row, or a function of the row)."""

    header: str
    kind: Kind = Kind.TEXT
    value: str | Callable[[object], object] | None = None
    width: int | None = None

    def read(self, row: object) -> object:
        if callable(self.value):
            return self.value(row)
        key = self.value or self.header
        if isinstance(row, dict):
            return row.get(key)
        return getattr(row, key)


def is_dangerous(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """The CSV form of a text cell: an apostrophe before a text a spreadsheet would run."""
    return "'" + text if is_dangerous(text) else text


def unneutralise(text: str) -> str:
    """Undo ``neutralise`` on a cell read back from a CSV export."""
    if text.startswith("'") and is_dangerous(text[1:]):
        return text[1:]
    return text


def _typed(value: object, kind: Kind) -> object:
    """The value as its kind, or None for an empty cell."""
    if value is None or value == "":
        return None
    if kind is Kind.DATE:
        if isinstance(value, datetime.datetime):
            return value.date()
        return value if isinstance(value, datetime.date) else None
    if kind is Kind.INTEGER:
        return int(value)
    if kind in (Kind.AMOUNT, Kind.DECIMAL):
        return Decimal(value) if not isinstance(value, Decimal) else value
    if kind is Kind.BOOLEAN:
        return bool(value)
    return str(value)


def _csv_text(value: object, kind: Kind) -> str:
    typed = _typed(value, kind)
    if typed is None:
        return ""
    if kind is Kind.DATE:
        return typed.isoformat()
    if kind is Kind.AMOUNT:
        return f"{typed:.2f}"
    if kind is Kind.BOOLEAN:
        return "1" if typed else "0"
    if kind is Kind.TEXT:
        return neutralise(typed)
    return str(typed)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[Column], rows: Iterable[object]) -> Iterator[str]:
    """The CSV file line by line (for streaming): BOM and header first."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(c.header) for c in columns])
    for row in rows:
        yield writer.writerow([_csv_text(c.read(row), c.kind) for c in columns])


def csv_bytes(columns: Sequence[Column], rows: Iterable[object]) -> bytes:
    return "".join(csv_lines(columns, rows)).encode("utf-8")


XLSX_FORMATS = {
    Kind.DATE: "dd-mm-yyyy",
    Kind.AMOUNT: "#,##0.00",
    Kind.INTEGER: "0",
}


def xlsx_bytes(
    columns: Sequence[Column], rows: Iterable[object], *, title: str = "Export"
) -> bytes:
    """An XLSX workbook with one sheet: a bold header row (frozen), typed cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = column.width or _default_width(column)
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = _xlsx_text_cell(sheet, WriteOnlyCell, str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value = _typed(column.read(row), column.kind)
            if isinstance(value, str):
                cell = _xlsx_text_cell(sheet, WriteOnlyCell, value)
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if value is not None and column.kind in XLSX_FORMATS:
                    cell.number_format = XLSX_FORMATS[column.kind]
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_text_cell(sheet, cell_class, text: str):
    """A text cell that stays text, even when it looks like a formula (Excel's quote prefix
    shows it as typed and never evaluates it)."""
    text = _XLSX_ILLEGAL.sub("", text)
    cell = cell_class(sheet, value=text)
    cell.data_type = "s"
    if is_dangerous(text):
        cell.quotePrefix = True
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return (cleaned or "Export")[:31]


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _default_width(column: Column) -> int:
    base = {Kind.DATE: 12, Kind.INTEGER: 8, Kind.AMOUNT: 14, Kind.BOOLEAN: 8}.get(column.kind, 24)
    return max(base, min(len(column.header) + 2, 40))


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")


def filename(stem: str, fmt: str) -> str:
    return f"{slugify(stem) or 'export'}.{fmt}"


def response(
    fmt: str,
    stem: str,
    columns: Sequence[Column],
    rows: Iterable[object],
    *,
    title: str = "Export",
) -> HttpResponse | StreamingHttpResponse:
    """The download: CSV streamed row by row, XLSX built in memory (write-only mode)."""
    name = filename(stem, fmt)
    if fmt == "csv":
        result = StreamingHttpResponse(csv_lines(columns, rows), content_type=CSV_TYPE)
    else:
        result = HttpResponse(xlsx_bytes(columns, rows, title=title), content_type=XLSX_TYPE)
    result["Content-Disposition"] = f'attachment; filename="{name}"'
    return result
