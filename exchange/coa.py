"""The COA list import: read the file, check every row, compare with the desk, apply.

COA sends the desk a list of the permit holders it linked to the region's municipalities: one
row per person. ``docs/IMPORT.md`` describes the columns, the steps and the rules; in short:

1. ``read_file`` reads a CSV (UTF-8, or Windows-1252 with a note; ``;`` or ``,``) or an XLSX
   and maps the header to the known columns. A file it cannot use at all (no CSV or XLSX, too
   large, too many rows, empty, required columns missing) raises ``FileProblem``: nothing is
   stored then.
2. ``analyse`` checks each row (``parse_row``), groups the rows into households by the main
   applicant's V-number, and compares each household with the desk (``plan``): **new**,
   **update** (with every change, old -> new), **unchanged** or **error** (every row's problem,
   by row number and column). The result is the batch's preview; nothing is written.
3. ``apply`` (the confirm) plans again against the data as it is then, in one transaction with
   the batch row locked: a household whose plan differs from the preview (someone changed it
   meanwhile) is reported and left alone, a household with an error is skipped entirely, the
   others are created or updated. A second confirm of the same batch changes nothing.

Messages are stored as codes with their values and translated when shown (``issue_text``), so
the preview reads in the language of whoever opens it.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from placement.models import Household, Nomination, Person, refresh_sizes
from placement.services import household_reference
from regions.models import Municipality

from . import spreadsheet
from .models import PREVIEW_RETENTION_DAYS, ImportBatch

# --- The columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str  # the Dutch header, as our own export writes it
    aliases: tuple[str, ...]
    required: bool
    kind: spreadsheet.Kind = spreadsheet.Kind.TEXT


COLUMNS = (
    ColumnSpec("v", "v-nummer", ("vnr", "vnummer", "vnumber", "v-number"), True),
    ColumnSpec(
        "main",
        "v-nummer hoofdaanvrager",
        ("hoofdaanvrager", "vnrhoofdaanvrager", "mainapplicant", "mainapplicantvnumber"),
        False,
    ),
    ColumnSpec("name", "naam", ("volledigenaam", "name", "fullname"), True),
    ColumnSpec(
        "born",
        "geboortedatum",
        ("dateofbirth", "birthdate", "born"),
        True,
        spreadsheet.Kind.DATE,
    ),
    ColumnSpec("sex", "geslacht", ("sex", "gender"), False),
    ColumnSpec(
        "municipality",
        "gemeente",
        ("gekoppeldegemeente", "municipality", "linkedmunicipality"),
        True,
    ),
    ColumnSpec("link_date", "koppeldatum", ("linkdate", "linkedon"), True, spreadsheet.Kind.DATE),
    ColumnSpec("coa_location", "coa-locatie", ("locatie", "coalocation", "location"), False),
    ColumnSpec("language", "taal", ("language", "voertaal"), False),
    ColumnSpec(
        "follower",
        "nareiziger",
        ("nareizigers", "followingfamilymember", "familyreunification", "expectedlater"),
        False,
    ),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
# Columns COA may send that the desk never stores: read past, named as ignored in the preview.
IGNORED_COLUMNS = ("nationaliteit", "nationaliteiten", "nationality", "nationalities")


def normalised(header: object) -> str:
    """A header as compared: lower case, without spaces, hyphens, underscores or dots."""
    return re.sub(r"[\s_\-.]+", "", str(header or "").strip().lower().lstrip("\ufeff"))


HEADER_KEYS = {
    normalised(name): spec.key for spec in COLUMNS for name in (spec.header, *spec.aliases)
}


def accepted_headers() -> str:
    return ", ".join(spec.header for spec in COLUMNS)


# --- Messages ------------------------------------------------------------------------------

MESSAGES = {
    # Rows
    "v_missing": gettext_lazy("The V-number is missing."),
    "v_invalid": gettext_lazy("“%(value)s” is not a V-number: a V-number has exactly 10 digits."),
    "main_invalid": gettext_lazy(
        "“%(value)s” is not a V-number: a V-number has exactly 10 digits."
    ),
    "v_duplicate": gettext_lazy("This V-number is in the file more than once (rows %(rows)s)."),
    "main_missing": gettext_lazy(
        "The main applicant %(value)s has no row of their own in the file."
    ),
    "name_missing": gettext_lazy("The name is missing."),
    "too_long": gettext_lazy("Too long: at most %(limit)s characters."),
    "date_missing": gettext_lazy("The date is missing."),
    "date_format": gettext_lazy(
        "“%(value)s” is not a date: write it as 31-12-2026, 31/12/2026 or 2026-12-31."
    ),
    "date_impossible": gettext_lazy("“%(value)s” does not exist as a date."),
    "born_future": gettext_lazy("The date of birth lies in the future."),
    "born_old": gettext_lazy("Check the year of birth."),
    "link_future": gettext_lazy("The link date lies in the future."),
    "link_old": gettext_lazy("Check the link date: it lies more than 10 years back."),
    "sex_invalid": gettext_lazy("“%(value)s” is not a sex: use M, V or X."),
    "follower_invalid": gettext_lazy("“%(value)s”: write ja or nee."),
    "main_follower": gettext_lazy(
        "The main applicant cannot be a family member expected later (nareiziger)."
    ),
    "municipality_missing": gettext_lazy("The linked municipality is missing."),
    "municipality_unknown": gettext_lazy(
        "“%(value)s” is not a municipality: use its name or CBS code (GM0505)."
    ),
    "municipality_other_region": gettext_lazy("%(value)s is not a municipality of this region."),
    "municipality_not_participating": gettext_lazy(
        "%(value)s does not take part in the regional pool."
    ),
    "municipality_out_of_scope": gettext_lazy(
        "%(value)s is not your municipality: you can import households of %(own)s only."
    ),
    "differs_from_main": gettext_lazy(
        "Differs from the main applicant's row (%(value)s): a household has one value."
    ),
    # Against the desk
    "v_other_region": gettext_lazy(
        "This V-number is registered in another region. Ask COA about the link; it is not "
        "imported here."
    ),
    "v_other_household": gettext_lazy(
        "This V-number belongs to another household (%(reference)s)."
    ),
    "v_other_household_hidden": gettext_lazy(
        "This V-number belongs to another household that you cannot change."
    ),
    "main_not_main": gettext_lazy(
        "This V-number is a member, not the main applicant, of household %(reference)s."
    ),
    "household_out_of_scope": gettext_lazy(
        "This household is linked to another municipality: you cannot change it."
    ),
    "municipality_locked": gettext_lazy(
        "The linked municipality cannot change any more: the household %(reason)s."
    ),
    "follower_arrived": gettext_lazy(
        "This member arrived on %(value)s: they cannot become a family member expected later."
    ),
    "changed_since_preview": gettext_lazy(
        "The household was changed on the desk after the preview: it was not imported. Upload "
        "the list again to see the differences."
    ),
    # Notes on the whole file
    "note_cp1252": gettext_lazy(
        "The file was not UTF-8: it was read as Windows-1252. Check the accents in the names."
    ),
    "note_delimiter": gettext_lazy("Columns separated by “%(value)s”."),
    "note_ignored": gettext_lazy("Columns ignored (never stored): %(value)s."),
    "note_unknown": gettext_lazy("Columns not known and ignored: %(value)s."),
}

LOCK_REASONS = {
    "closed": gettext_lazy("is no longer in the pool"),
    "nominated": gettext_lazy("has a nomination"),
}

FIELD_LABELS = {
    "municipality": gettext_lazy("linked municipality"),
    "link_date": gettext_lazy("link date"),
    "coa_location": gettext_lazy("COA location"),
    "language": gettext_lazy("language"),
    "name": gettext_lazy("name"),
    "born": gettext_lazy("date of birth"),
    "sex": gettext_lazy("sex"),
    "follower": gettext_lazy("expected later (nareiziger)"),
}


def issue(row: int | None, column: str, code: str, **params) -> dict:
    return {"row": row, "column": column, "code": code, "params": params}


def issue_text(item: dict) -> str:
    """The message of an issue or note in the current language."""
    params = dict(item.get("params") or {})
    if "reason" in params:
        params["reason"] = str(LOCK_REASONS.get(params["reason"], params["reason"]))
    return str(MESSAGES[item["code"]]) % params if params else str(MESSAGES[item["code"]])


class FileProblem(Exception):
    """The file cannot be read as a COA list; the message (translated) says why and what to
    do. Nothing is stored."""


# --- Step 1: read the file -----------------------------------------------------------------


@dataclass
class Sheet:
    """The file's data rows as ``(row number, {column key: cell value})`` and what the preview
    says about the file as a whole."""

    rows: list[tuple[int, dict[str, object]]]
    headers: dict[str, str]  # column key -> the header as the file writes it
    notes: list[dict] = field(default_factory=list)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _number(n: int) -> str:
    return formats.number_format(n, force_grouping=True)


def read_file(data: bytes, filename: str = "") -> Sheet:
    """The rows of a CSV or XLSX file, or ``FileProblem``."""
    max_bytes = settings.IMPORT_MAX_BYTES
    if len(data) > max_bytes:
        raise FileProblem(
            _("The file is %(size)s bytes; at most %(limit)s bytes can be imported.")
            % {"size": _number(len(data)), "limit": _number(max_bytes)}
        )
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        headers, raw_rows, notes = _read_xlsx(data, max_bytes)
    elif b"\x00" in data[:8192] or filename.lower().endswith((".xlsx", ".xls", ".xlsm")):
        raise FileProblem(_not_a_list())
    else:
        headers, raw_rows, notes = _read_csv(data)
    columns = _map_headers(headers, notes)
    rows = []
    for number, cells in raw_rows:
        values = {key: _clean(cells[index]) for index, key in columns.items() if index < len(cells)}
        if any(v not in (None, "") for v in values.values()):
            rows.append((number, values))
    if not rows:
        raise FileProblem(_("The file has a header but no rows with data."))
    limit = settings.IMPORT_MAX_ROWS
    if len(rows) > limit:
        raise FileProblem(
            _(
                "The file has %(rows)s rows; at most %(limit)s rows can be imported at once. "
                "Split the list into smaller files."
            )
            % {"rows": _number(len(rows)), "limit": _number(limit)}
        )
    return Sheet(
        rows=rows,
        headers={key: str(headers[index]).strip() for index, key in columns.items()},
        notes=notes,
    )


def _not_a_list() -> str:
    return _("This file is not a CSV or XLSX file. Save the list as .xlsx or .csv and try again.")


def _clean(value: object) -> object:
    """A cell as the row checks read it: text stripped (our own CSV export's apostrophe before
    a formula-like text undone), dates as dates, whole numbers as their digits."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return spreadsheet.unneutralise(str(value).strip())


def _read_xlsx(data: bytes, max_bytes: int):
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        # A small file that unpacks into gigabytes is refused before it is unpacked.
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > 40 * max_bytes:
            raise FileProblem(_not_a_list())
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken or other zip file
        raise FileProblem(_not_a_list()) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = iter(sheet.iter_rows(values_only=True))
        header: tuple = ()
        header_row = 0
        while not header:
            values = next(rows, None)
            if values is None:
                raise FileProblem(_("The file is empty."))
            header_row += 1
            if any(v not in (None, "") for v in values):
                header = values
        data_rows = [(n, list(values)) for n, values in enumerate(rows, start=header_row + 1)]
    finally:
        workbook.close()
    return list(header), data_rows, []


def _read_csv(data: bytes):
    notes = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise FileProblem(
                _("The file's characters cannot be read: save it as CSV UTF-8 and try again.")
            ) from exc
        notes.append(issue(None, "", "note_cp1252"))
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise FileProblem(_("The file is empty."))
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    shown = {"\t": "tab"}.get(delimiter, delimiter)
    notes.append(issue(None, "", "note_delimiter", value=shown))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise FileProblem(_not_a_list()) from exc
    index = next(i for i, record in enumerate(records) if any(c.strip() for c in record))
    header = records[index]
    return header, [(i + 1, record) for i, record in enumerate(records) if i > index], notes


def _map_headers(headers: list, notes: list) -> dict[int, str]:
    """Column index -> column key; refuses a file whose required columns are missing."""
    columns: dict[int, str] = {}
    ignored, unknown = [], []
    for index, header in enumerate(headers):
        name = normalised(header)
        if not name:
            continue
        key = HEADER_KEYS.get(name)
        if key is None:
            (ignored if name in IGNORED_COLUMNS else unknown).append(str(header).strip())
        elif key in columns.values():
            raise FileProblem(
                _("The column “%(name)s” is in the file twice.") % {"name": str(header).strip()}
            )
        else:
            columns[index] = key
    missing = [
        spec.header for spec in COLUMNS if spec.required and spec.key not in columns.values()
    ]
    if missing:
        message = _("Columns missing: %(missing)s. Accepted columns: %(accepted)s.") % {
            "missing": ", ".join(missing),
            "accepted": accepted_headers(),
        }
        if unknown:
            message += " " + _("Not recognised: %(unknown)s.") % {"unknown": ", ".join(unknown)}
        raise FileProblem(message)
    if ignored:
        notes.append(issue(None, "", "note_ignored", value=", ".join(ignored)))
    if unknown:
        notes.append(issue(None, "", "note_unknown", value=", ".join(unknown)))
    return columns


# --- Step 2: check the rows ----------------------------------------------------------------

V_NUMBER = re.compile(r"^\d{10}$")
DATE_FORMATS = (
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"), ("y", "m", "d")),
)
SEXES = {"m": "m", "v": "f", "f": "f", "x": "x"}
SEX_LETTERS = {"m": "M", "f": "V", "x": "X"}
YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
NO = {"nee", "n", "no", "0", "false", "onwaar"}
TEXT_LIMITS = {"name": 150, "coa_location": 100, "language": 60}


def parse_date(value: object) -> tuple[datetime.date | None, str | None]:
    """(the date, None) or (None, the issue code)."""
    if isinstance(value, datetime.date):
        return value, None
    text = str(value).strip()
    for pattern, order in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return datetime.date(parts["y"], parts["m"], parts["d"]), None
            except ValueError:
                return None, "date_impossible"
    return None, "date_format"


@dataclass
class Scope:
    """Where the uploader may import: the region, and for an officer their municipality."""

    region_id: int
    municipality_id: int | None
    municipality_name: str = ""


class Municipalities:
    """Every municipality by normalised name and by CBS code (GM0505 or 0505)."""

    def __init__(self):
        self.by_key: dict[str, Municipality] = {}
        for municipality in Municipality.objects.select_related("region"):
            self.by_key.setdefault(normalised(municipality.name), municipality)
            code = municipality.cbs_code.upper()
            self.by_key[code.lower()] = municipality
            self.by_key[code[2:]] = municipality

    def find(self, value: str) -> Municipality | None:
        return self.by_key.get(normalised(value))

    def get(self, pk: int) -> Municipality | None:
        return next((m for m in self.by_key.values() if m.pk == pk), None)


def parse_row(
    number: int,
    cells: dict[str, object],
    *,
    headers: dict[str, str],
    municipalities: Municipalities,
    scope: Scope,
    today: datetime.date,
) -> dict:
    """One row's values (JSON) and its issues. A value is None when the column is absent or
    the cell empty: the desk keeps what it has."""
    issues: list[dict] = []

    def problem(key: str, code: str, **params) -> None:
        issues.append(issue(number, headers.get(key, COLUMN_BY_KEY[key].header), code, **params))

    def text(key: str) -> str | None:
        value = cells.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, datetime.date):
            value = value.isoformat()
        value = " ".join(str(value).split())
        limit = TEXT_LIMITS.get(key)
        if limit and len(value) > limit:
            problem(key, "too_long", limit=limit)
        return value

    row: dict = {"row": number}
    v = text("v")
    if v is None:
        problem("v", "v_missing")
    elif not V_NUMBER.match(v.replace(" ", "")):
        problem("v", "v_invalid", value=v[:40])
    else:
        v = v.replace(" ", "")
    row["v"] = v
    main = text("main")
    if main is not None:
        main = main.replace(" ", "")
        if not V_NUMBER.match(main):
            problem("main", "main_invalid", value=main[:40])
    row["main"] = main or None
    row["name"] = text("name")
    if row["name"] is None:
        problem("name", "name_missing")
    row["born"] = _date(cells.get("born"), "born", problem, today)
    sex = text("sex")
    row["sex"] = None
    if sex is not None:
        row["sex"] = SEXES.get(sex.lower())
        if row["sex"] is None:
            problem("sex", "sex_invalid", value=sex[:40])
    row["municipality_id"] = None
    place = text("municipality")
    if place is not None:
        municipality = municipalities.find(place)
        if municipality is None:
            problem("municipality", "municipality_unknown", value=place[:60])
        elif municipality.region_id != scope.region_id:
            problem("municipality", "municipality_other_region", value=municipality.name)
        elif not municipality.participates:
            problem("municipality", "municipality_not_participating", value=municipality.name)
        elif scope.municipality_id is not None and municipality.pk != scope.municipality_id:
            problem(
                "municipality",
                "municipality_out_of_scope",
                value=municipality.name,
                own=scope.municipality_name,
            )
        else:
            row["municipality_id"] = municipality.pk
    row["municipality_given"] = place is not None
    row["link_date"] = _date(cells.get("link_date"), "link_date", problem, today, required=False)
    row["coa_location"] = text("coa_location")
    row["language"] = text("language")
    follower = text("follower")
    row["follower"] = None
    if follower is not None:
        if follower.lower() in YES:
            row["follower"] = True
        elif follower.lower() in NO:
            row["follower"] = False
        else:
            problem("follower", "follower_invalid", value=follower[:40])
    row["issues"] = issues
    return row


def _date(value, key, problem, today, *, required=True) -> str | None:
    if value is None or value == "":
        if required:
            problem(key, "date_missing")
        return None
    day, code = parse_date(value)
    if code:
        problem(key, code, value=str(value)[:40])
        return None
    if day > today:
        problem(key, "born_future" if key == "born" else "link_future")
        return None
    if key == "born" and day.year < 1900:
        problem(key, "born_old")
        return None
    if key == "link_date" and day < today.replace(year=today.year - 10, day=min(today.day, 28)):
        problem(key, "link_old")
        return None
    return day.isoformat()


def group_rows(rows: list[dict], headers: dict[str, str]) -> list[dict]:
    """Households in file order: the rows under one main applicant's V-number, the main
    applicant's row first. File-wide problems (a V-number twice, a member without the main
    applicant's row, a household value that differs between rows) become the rows' issues."""

    def column(key: str) -> str:
        return headers.get(key, COLUMN_BY_KEY[key].header)

    seen: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row["v"] and not any(i["code"] == "v_invalid" for i in row["issues"]):
            seen[row["v"]].append(row["row"])
    for row in rows:
        numbers = seen.get(row["v"] or "", [])
        if len(numbers) > 1:
            row["issues"].append(
                issue(
                    row["row"],
                    column("v"),
                    "v_duplicate",
                    rows=", ".join(str(n) for n in numbers),
                )
            )
    groups: dict[str, list[dict]] = {}
    for row in rows:
        key = row["main"] or row["v"] or f"row-{row['row']}"
        groups.setdefault(key, []).append(row)
    households = []
    for key, members in groups.items():
        main = next((r for r in members if r["v"] == key), None)
        if main is None:
            if not V_NUMBER.match(key):
                households.append({"key": key, "rows": members})
                continue  # the row's own issue (no or no valid V-number) says it
            for row in members:
                row["issues"].append(issue(row["row"], column("main"), "main_missing", value=key))
        else:
            members.remove(main)
            members.insert(0, main)
            if main["follower"]:
                main["issues"].append(issue(main["row"], column("follower"), "main_follower"))
            if main["municipality_id"] is None and not main["municipality_given"]:
                main["issues"].append(
                    issue(main["row"], column("municipality"), "municipality_missing")
                )
            if main["link_date"] is None and not any(
                i["column"] == column("link_date") for i in main["issues"]
            ):
                main["issues"].append(issue(main["row"], column("link_date"), "date_missing"))
            for row in members[1:]:
                for name in ("municipality_id", "link_date"):
                    if row[name] is not None and main[name] is not None and row[name] != main[name]:
                        key_name = "municipality" if name == "municipality_id" else name
                        row["issues"].append(
                            issue(
                                row["row"],
                                column(key_name),
                                "differs_from_main",
                                value=_shown_value(key_name, main[name]),
                            )
                        )
        households.append({"key": key, "rows": members})
    return households


# --- Step 2b: compare with the desk --------------------------------------------------------


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _shown_value(key: str, value) -> str:
    """A value as the preview shows it (dates in the current language's short format)."""
    if value is None or value == "":
        return "—"
    if key in ("link_date", "born"):
        day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
        return formats.date_format(day, "SHORT_DATE_FORMAT")
    if key == "sex":
        return SEX_LETTERS.get(value, value)
    if key == "follower":
        return _("yes") if value else _("no")
    if key == "municipality" and isinstance(value, int):
        municipality = Municipality.objects.filter(pk=value).values_list("name", flat=True)
        return municipality.first() or str(value)
    return str(value)


def change(key: str, old, new) -> dict:
    return {"field": key, "old": old, "new": new}


def change_text(item: dict) -> tuple[str, str, str]:
    """(field label, old, new) of a change, for the preview."""
    key = item["field"]
    label = str(FIELD_LABELS[key])
    old, new = item["old"], item["new"]
    if key == "municipality":
        return label, str(old), str(new)
    return label, _shown_value(key, old), _shown_value(key, new)


def _existing(v_numbers: list[str], region_id: int):
    """Persons with these V-numbers: (in this region by V-number, V-numbers elsewhere), and the
    region's households they belong to, with their members and whether they hold a
    nomination."""
    found = list(
        Person.objects.filter(v_number__in=v_numbers).values(
            "v_number", "household_id", "household__linked_municipality__region_id"
        )
    )
    elsewhere = {
        p["v_number"] for p in found if p["household__linked_municipality__region_id"] != region_id
    }
    household_ids = {p["household_id"] for p in found if p["v_number"] not in elsewhere}
    nominated = Nomination.objects.filter(household=OuterRef("pk"), status__in=Nomination.HOLDING)
    households = {
        h.pk: h
        for h in Household.objects.filter(pk__in=household_ids)
        .select_related("linked_municipality")
        .annotate(is_nominated=Exists(nominated))
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("id")))
    }
    by_v = {}
    for household in households.values():
        for member in household.members.all():
            if member.v_number:
                by_v[member.v_number] = member
    return by_v, elsewhere, households


def plan_household(
    entry: dict,
    *,
    by_v: dict[str, Person],
    elsewhere: set[str],
    households: dict[int, Household],
    scope: Scope,
    editable: Callable[[Household], bool],
    today: datetime.date,
    headers: dict[str, str],
) -> dict:
    """What importing one household would do: its status, the household's changes, each
    member's action and changes, and every issue."""

    def column(key: str) -> str:
        return headers.get(key, COLUMN_BY_KEY[key].header)

    rows = entry["rows"]
    errors = [i for row in rows for i in row["issues"]]
    main_row = rows[0]
    household: Household | None = None
    main_person = by_v.get(entry["key"])
    for row in rows:
        if row["v"] in elsewhere:
            errors.append(issue(row["row"], column("v"), "v_other_region"))
    if main_person is not None:
        household = households[main_person.household_id]
        if main_person.role != Person.Role.MAIN:
            errors.append(
                issue(main_row["row"], column("v"), "main_not_main", reference=household.reference)
            )
    for row in rows:
        person = by_v.get(row["v"] or "")
        if person is None or (household is not None and person.household_id == household.pk):
            continue
        other = households[person.household_id]
        if editable(other):
            errors.append(
                issue(row["row"], column("v"), "v_other_household", reference=other.reference)
            )
        else:
            errors.append(issue(row["row"], column("v"), "v_other_household_hidden"))
    if household is not None and not editable(household):
        errors.append(issue(main_row["row"], column("municipality"), "household_out_of_scope"))

    changes: list[dict] = []
    members: list[dict] = []
    if household is not None and not errors:
        changes = _household_changes(household, main_row, errors, column)
    has_partner = household is not None and any(
        m.role == Person.Role.PARTNER for m in household.members.all()
    )
    for index, row in enumerate(rows):
        person = by_v.get(row["v"] or "")
        if household is None or (person is not None and person.household_id != household.pk):
            person = None
        member = {
            "row": row["row"],
            "v": row["v"],
            "name": row["name"],
            "person_id": person.pk if person else None,
        }
        if person is not None:
            member["role"] = person.role
            member["changes"] = _member_changes(person, row, errors, column)
            member["action"] = "update" if member["changes"] else "unchanged"
        else:
            if index == 0:
                role = Person.Role.MAIN
            elif row["born"] and _age(datetime.date.fromisoformat(row["born"]), today) < 18:
                role = Person.Role.CHILD
            elif not has_partner:
                role, has_partner = Person.Role.PARTNER, True
            else:
                role = Person.Role.OTHER
            member["role"] = str(role)
            member["changes"] = []
            member["action"] = "new"
        members.append(member)

    if errors:
        status = "error"
    elif household is None:
        status = "new"
    elif changes or any(m["action"] != "unchanged" for m in members):
        status = "update"
    else:
        status = "unchanged"
    return {
        "key": entry["key"],
        "status": status,
        "household_id": household.pk if household else None,
        "reference": household.reference if household else "",
        "changes": changes if not errors else [],
        "members": members,
        "errors": sorted(errors, key=lambda i: (i["row"] or 0, i["column"])),
        "rows": rows,
    }


def _household_changes(household: Household, row: dict, errors: list, column) -> list[dict]:
    changes = []
    if row["municipality_id"] and row["municipality_id"] != household.linked_municipality_id:
        if not household.is_open:
            reason = "closed"
        elif household.is_nominated or household.status not in ("registered", "searching"):
            reason = "nominated"
        else:
            reason = None
        if reason:
            errors.append(
                issue(row["row"], column("municipality"), "municipality_locked", reason=reason)
            )
        else:
            new = Municipality.objects.get(pk=row["municipality_id"])
            changes.append(change("municipality", household.linked_municipality.name, new.name))
    if row["link_date"] and row["link_date"] != household.link_date.isoformat():
        changes.append(change("link_date", household.link_date.isoformat(), row["link_date"]))
    for key in ("coa_location", "language"):
        if row[key] is not None and row[key] != getattr(household, key):
            changes.append(change(key, getattr(household, key), row[key]))
    return changes


def _member_changes(person: Person, row: dict, errors: list, column) -> list[dict]:
    changes = []
    if row["name"] and row["name"] != person.full_name:
        changes.append(change("name", person.full_name, row["name"]))
    if row["born"] and row["born"] != person.date_of_birth.isoformat():
        changes.append(change("born", person.date_of_birth.isoformat(), row["born"]))
    if row["sex"] and row["sex"] != person.sex:
        changes.append(change("sex", person.sex, row["sex"]))
    if row["follower"] is not None and row["follower"] == person.present:
        if row["follower"] and person.arrival_date is not None:
            errors.append(
                issue(
                    row["row"],
                    column("follower"),
                    "follower_arrived",
                    value=_shown_value("born", person.arrival_date),
                )
            )
        else:
            changes.append(change("follower", not person.present, row["follower"]))
    return changes


@dataclass
class Context:
    """What the checks need besides the rows: the uploader's scope, today, the municipalities."""

    scope: Scope
    today: datetime.date
    editable: Callable[[Household], bool]
    municipalities: Municipalities


def context_for(batch: ImportBatch, today: datetime.date | None = None) -> Context:
    municipality = batch.municipality
    scope = Scope(
        region_id=batch.region_id,
        municipality_id=municipality.pk if municipality else None,
        municipality_name=municipality.name if municipality else "",
    )

    def editable(household: Household) -> bool:
        return scope.municipality_id is None or (
            household.linked_municipality_id == scope.municipality_id
        )

    return Context(
        scope=scope,
        today=today or timezone.localdate(),
        editable=editable,
        municipalities=Municipalities(),
    )


CHUNK_ROWS = 250


def plan_all(
    entries: list[dict],
    *,
    context: Context,
    headers: dict[str, str],
    progress: Callable[[int], None] | None = None,
) -> list[dict]:
    """Plan every household, a chunk of rows at a time (a few queries per chunk)."""
    planned: list[dict] = []
    done = 0
    chunk: list[dict] = []

    def flush():
        nonlocal done
        v_numbers = sorted({r["v"] for e in chunk for r in e["rows"] if r["v"]})
        by_v, elsewhere, households = _existing(v_numbers, context.scope.region_id)
        for entry in chunk:
            planned.append(
                plan_household(
                    entry,
                    by_v=by_v,
                    elsewhere=elsewhere,
                    households=households,
                    scope=context.scope,
                    editable=context.editable,
                    today=context.today,
                    headers=headers,
                )
            )
            done += len(entry["rows"])
        chunk.clear()
        if progress:
            progress(done)

    size = 0
    for entry in entries:
        chunk.append(entry)
        size += len(entry["rows"])
        if size >= CHUNK_ROWS:
            flush()
            size = 0
    if chunk:
        flush()
    return planned


def analyse(batch: ImportBatch, *, progress: Callable[[int], None] | None = None) -> dict:
    """The preview of a batch whose file is stored (``batch.data``): notes on the file, each
    household's plan, the counts. Writes nothing."""
    sheet = read_file(bytes(batch.data), batch.filename)
    context = context_for(batch)
    rows = [
        parse_row(
            number,
            cells,
            headers=sheet.headers,
            municipalities=context.municipalities,
            scope=context.scope,
            today=context.today,
        )
        for number, cells in sheet.rows
    ]
    entries = group_rows(rows, sheet.headers)
    households = plan_all(entries, context=context, headers=sheet.headers, progress=progress)
    return {
        "notes": sheet.notes,
        "headers": sheet.headers,
        "today": context.today.isoformat(),
        "households": households,
        "counts": dict(Counter(h["status"] for h in households)),
    }


def signature(planned: dict) -> tuple:
    """What a household's plan promises; the confirm compares it with the preview's."""
    # Canonical JSON: PostgreSQL's jsonb does not keep the keys' order.
    return (
        planned["status"],
        planned["household_id"],
        json.dumps(planned["changes"], sort_keys=True),
        json.dumps(
            [(m["person_id"], m["action"], m["role"], m["changes"]) for m in planned["members"]],
            sort_keys=True,
        ),
        json.dumps([(i["row"], i["code"]) for i in planned["errors"]]),
    )


# --- Step 3: apply -------------------------------------------------------------------------


class AlreadyApplied(Exception):
    """The batch was imported before: the second confirm changes nothing."""


def analyse_batch(batch_id: int) -> None:
    """Analyse a stored upload and keep the preview; progress per chunk of rows. On a file
    that cannot be read any more the batch fails with the reason."""
    batch = ImportBatch.objects.select_related("municipality").get(pk=batch_id)
    if batch.status != ImportBatch.Status.ANALYSING or batch.data is None:
        return

    def progress(done: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(progress_done=min(done, batch.row_count))

    try:
        preview = analyse(batch, progress=progress)
    except FileProblem as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED, error=str(exc), data=None
        )
        return
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.READY,
        preview=preview,
        data=None,
        progress_done=batch.row_count,
    )


def import_start(
    *, user, scope_municipality, region, filename: str, data: bytes, sheet: Sheet | None = None
) -> ImportBatch:
    """Read the upload (``FileProblem`` if it cannot be used: nothing is stored; ``sheet``
    when the form has read it already) and keep it as a batch waiting to be analysed."""
    sheet = sheet or read_file(data, filename)
    return ImportBatch.objects.create(
        region=region,
        municipality=scope_municipality,
        uploaded_by=user,
        filename=filename[:255],
        sha256=sha256_of(data),
        row_count=len(sheet.rows),
        progress_total=len(sheet.rows),
        data=data,
    )


def runs_in_background(batch: ImportBatch) -> bool:
    return batch.row_count > settings.IMPORT_BACKGROUND_ROWS


def import_request_confirm(*, batch: ImportBatch) -> bool:
    """Mark a ready batch as being imported (the page then shows the progress). False when it
    is not ready (already imported, or still being analysed)."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.READY:
            return False
        locked.status = ImportBatch.Status.APPLYING
        locked.progress_done = 0
        locked.save(update_fields=["status", "progress_done"])
    return True


@transaction.atomic
def import_apply(*, batch_id: int, user) -> dict:
    """Import a previewed batch, in one transaction with the batch row locked (a concurrent
    confirm waits, then finds it applied: ``AlreadyApplied``).

    Every household is planned again against the data as it is now: one whose plan differs
    from the preview is reported (``changed``) and left alone; one with an error row is
    skipped whole; the others are created or updated, with the change reason "COA-lijst
    <file>" on every record written. The preview (personal data) is deleted; the result keeps
    only counts and references."""
    batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("municipality")
    batch = batch.get(pk=batch_id)
    if batch.status == ImportBatch.Status.APPLIED:
        raise AlreadyApplied
    if batch.status not in (ImportBatch.Status.READY, ImportBatch.Status.APPLYING):
        raise AlreadyApplied
    preview = batch.preview or {}
    previewed = preview.get("households", [])
    headers = preview.get("headers", {})
    context = context_for(batch, today=timezone.localdate())
    locked_ids = [h["household_id"] for h in previewed if h["household_id"]]
    list(Household.objects.select_for_update().filter(pk__in=locked_ids).values_list("pk"))
    entries = [{"key": h["key"], "rows": _fresh_rows(h["rows"])} for h in previewed]
    fresh = plan_all(entries, context=context, headers=headers)
    reason = batch.change_reason
    result = {"new": 0, "update": 0, "unchanged": 0, "error": 0, "changed": [], "created": []}
    to_create = []
    for before, now in zip(previewed, fresh, strict=True):
        if signature(before) != signature(now):
            result["changed"].append(
                {"rows": [r["row"] for r in before["rows"]], "reference": now["reference"]}
            )
            continue
        result[now["status"]] += 1
        if now["status"] == "new":
            to_create.append(now)
        elif now["status"] == "update":
            _update(now, context=context, reason=reason, user=user)
    result["created"] = _create(to_create, batch=batch, reason=reason, user=user)
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.result = result
    batch.preview = None
    batch.progress_done = batch.progress_total
    batch.save(update_fields=["status", "applied_at", "result", "preview", "progress_done", "data"])
    return result


def _fresh_rows(rows: list[dict]) -> list[dict]:
    """The stored rows with only their own (row-level) issues, ready to be planned again."""
    fresh = []
    for row in rows:
        copy = dict(row)
        copy["issues"] = list(row["issues"])
        fresh.append(copy)
    return fresh


def _tracked_save(obj, *, reason: str, user, **kwargs) -> None:
    obj._change_reason = reason
    obj._history_user = user
    obj.save(**kwargs)


def _update(planned: dict, *, context: Context, reason: str, user) -> None:
    household = Household.objects.get(pk=planned["household_id"])
    main_row = planned["rows"][0]
    if planned["changes"]:
        for item in planned["changes"]:
            key = item["field"]
            if key == "municipality":
                household.linked_municipality_id = main_row["municipality_id"]
            elif key == "link_date":
                household.link_date = datetime.date.fromisoformat(item["new"])
            else:
                setattr(household, key, item["new"])
        _tracked_save(household, reason=reason, user=user)
    rows = {r["row"]: r for r in planned["rows"]}
    for member in planned["members"]:
        row = rows[member["row"]]
        if member["action"] == "new":
            person = _person(row, member["role"], household)
            _tracked_save(person, reason=reason, user=user)
        elif member["action"] == "update":
            person = Person.objects.get(pk=member["person_id"])
            for item in member["changes"]:
                key = item["field"]
                if key == "name":
                    person.full_name = item["new"]
                elif key == "born":
                    person.date_of_birth = datetime.date.fromisoformat(item["new"])
                elif key == "sex":
                    person.sex = item["new"]
                elif key == "follower":
                    person.present = not item["new"]
                    # Arrived: from today in the household (the quota counts them from then);
                    # the desk corrects the day on the household page when it knows it.
                    person.arrival_date = context.today if person.present else None
            _tracked_save(person, reason=reason, user=user)


def _person(row: dict, role: str, household: Household) -> Person:
    return Person(
        household=household,
        full_name=row["name"],
        date_of_birth=datetime.date.fromisoformat(row["born"]),
        sex=row["sex"] or "",
        role=role,
        v_number=row["v"],
        present=not row["follower"],
    )


def _create(planned: list[dict], *, batch: ImportBatch, reason: str, user) -> list[str]:
    """New households with their members, in a few bulk statements, each with its history
    row ("created", reason and user) as ``services.household_create`` would leave it."""
    if not planned:
        return []
    municipalities = {
        m.pk: m for m in Municipality.objects.select_related("region").filter(region=batch.region)
    }
    households = []
    for item in planned:
        main = item["rows"][0]
        households.append(
            Household(
                reference=f"NEW-{batch.pk}-{len(households)}",
                linked_municipality=municipalities[main["municipality_id"]],
                link_date=datetime.date.fromisoformat(main["link_date"]),
                language=main["language"] or "",
                coa_location=main["coa_location"] or "",
                created_by=user,
            )
        )
    Household.objects.bulk_create(households, batch_size=500)
    for household in households:
        household.reference = household_reference(household)
    Household.objects.bulk_update(households, ["reference"], batch_size=500)
    Household.history.bulk_history_create(
        households, default_user=user, default_change_reason=reason
    )
    persons = []
    for item, household in zip(planned, households, strict=True):
        rows = {r["row"]: r for r in item["rows"]}
        for member in item["members"]:
            persons.append(_person(rows[member["row"]], member["role"], household))
    Person.objects.bulk_create(persons, batch_size=1000)
    # bulk_create sends no signals: store the new households' sizes in one UPDATE.
    refresh_sizes([h.pk for h in households])
    Person.history.bulk_history_create(persons, default_user=user, default_change_reason=reason)
    return [h.reference for h in households]


# --- Retention -----------------------------------------------------------------------------


def purge_import_previews(*, now: datetime.datetime | None = None) -> int:
    """Delete the personal data batches hold: the preview and the file of every applied batch,
    and of any batch older than ``PREVIEW_RETENTION_DAYS`` (it can no longer be confirmed: it
    fails with that reason). Returns the number of batches cleared."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=PREVIEW_RETENTION_DAYS)
    holding = ImportBatch.objects.filter(purged_at__isnull=True).exclude(
        preview__isnull=True, data__isnull=True
    )
    applied = holding.filter(status=ImportBatch.Status.APPLIED).update(
        preview=None, data=None, purged_at=now
    )
    expired = holding.filter(created_at__lt=cutoff).update(
        preview=None,
        data=None,
        purged_at=now,
        status=ImportBatch.Status.FAILED,
        error=_("Expired: the rows were deleted after %(days)s days; upload the list again.")
        % {"days": PREVIEW_RETENTION_DAYS},
    )
    return applied + expired


# --- The list in this format (the round trip) ----------------------------------------------


def current_list_columns() -> list[spreadsheet.Column]:
    return [spreadsheet.Column(spec.header, spec.kind, spec.key) for spec in COLUMNS]


def current_list_rows(households: Iterable[Household]) -> Iterable[dict]:
    """One row per member in the import's own format: households with ``members`` and
    ``linked_municipality`` loaded; the main applicant first."""
    for household in households:
        members = sorted(household.members.all(), key=lambda m: (m.role != "main", m.pk))
        main_v = next((m.v_number for m in members if m.role == "main"), "")
        for member in members:
            yield {
                "v": member.v_number,
                "main": main_v,
                "name": member.full_name,
                "born": member.date_of_birth,
                "sex": SEX_LETTERS.get(member.sex, ""),
                "municipality": household.linked_municipality.name,
                "link_date": household.link_date,
                "coa_location": household.coa_location,
                "language": household.language,
                "follower": "nee" if member.present else "ja",
            }


def apply_and_report(*, batch_id: int, user) -> dict | None:
    """``import_apply`` for a view or a task: a second confirm is a no-op (None); a conflict
    the database refuses (a V-number registered by hand a moment ago) rolls the whole import
    back and leaves the batch ready, with the reason, to be confirmed again."""
    try:
        return import_apply(batch_id=batch_id, user=user)
    except AlreadyApplied:
        return None
    except IntegrityError:
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.APPLYING).update(
            status=ImportBatch.Status.READY,
            error=_(
                "Nothing was imported: the data conflicts with a record saved meanwhile (for "
                "example a V-number registered by hand). Confirm again to see what is left."
            ),
        )
        return None
