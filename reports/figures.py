"""The region's figures (rapportage): the rule of every figure, in one module.

Each figure is a pure function over plain data read in one or two queries (``values()``, no
model instances), whatever the number of rows; its rule is the text constant beside it, shown
on the page under the figure, so every number can be reproduced by hand from the rows of its
drill-down. The scope is a set of municipalities (``regions.access.municipalities_in_scope``:
a region, or a province's municipalities) and the period a closed range of days.

Percentiles use the **nearest-rank** method: the p-th percentile of n sorted values is the value
at rank ceil(p/100 x n) (1-based), so it is always one of the observed values; the median is the
50th percentile by the same method (for 4 values: the 2nd).
"""

from __future__ import annotations

import datetime
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from placement import deadlines
from placement.models import Household, Nomination, Vacancy
from quota import counting
from quota.counting import COUNTED_STATUSES
from quota.models import CountingDate, QuotaRule

# --- Period and scope ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str

    def last_day(self, today: datetime.date) -> datetime.date:
        """The last day that has data: the period's end, or today while it runs."""
        return min(self.end, today)


@dataclass(frozen=True)
class Place:
    """A municipality as the figures need it."""

    pk: int
    name: str
    region_id: int


@dataclass(frozen=True)
class Scope:
    places: tuple[Place, ...]
    label: str

    @property
    def ids(self) -> list[int]:
        return [p.pk for p in self.places]

    @property
    def region_ids(self) -> list[int]:
        return sorted({p.region_id for p in self.places})


def percentile(values: Sequence[int], p: int) -> int | None:
    """Nearest rank: the value at rank ceil(p/100 x n) of the sorted values; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(p * len(ordered) / 100), 1)
    return ordered[rank - 1]


def share(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, rounded half up; None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- 1. Households housed ----------------------------------------------------------------------

HOUSED_RULE = gettext_lazy(
    "A household counts as housed in the period when its placement counts for the quota on a "
    "day in the period (up to today): the region's counting rule (lease start, move-in date or "
    "date reported to COA) picks the day. Lease signed, housed and left-the-dwelling-later "
    "count; a dissolved lease never counts, nor a household that left before that day. Persons: "
    "the members present on that day (family members arriving later are not added). Households "
    "that found their own home are not in these figures (no dwelling through the desk)."
)
COUNTING_FIELDS = {
    CountingDate.LEASE_START: "lease_start",
    CountingDate.MOVE_IN: "move_in_date",
    CountingDate.REPORTED_TO_COA: "reported_to_coa_on",
}
LARGEST_SIZE = 6  # households of 6 persons or more share one row


@dataclass(frozen=True)
class Housed:
    nomination_id: int
    household_id: int
    reference: str
    linked_id: int
    linked_name: str
    housed_id: int
    housed_name: str
    corporation_id: int
    corporation_name: str
    dwelling_type: str
    persons: int
    link_date: datetime.date
    day: datetime.date  # the counting day
    lease_start: datetime.date | None
    move_in: datetime.date | None

    @property
    def size_key(self) -> int:
        return min(self.persons, LARGEST_SIZE)

    @property
    def days_to_lease(self) -> int | None:
        return (self.lease_start - self.link_date).days if self.lease_start else None

    @property
    def days_to_move_in(self) -> int | None:
        return (self.move_in - self.link_date).days if self.move_in else None


def counting_fields(region_ids: Iterable[int]) -> dict[int, str]:
    """Per region, the nomination's date field its quota rule counts on (default: lease start)."""
    chosen = dict(
        QuotaRule.objects.filter(region_id__in=list(region_ids)).values_list(
            "region_id", "counting_date"
        )
    )
    return {
        r: COUNTING_FIELDS[CountingDate(chosen.get(r, CountingDate.LEASE_START))]
        for r in region_ids
    }


def housed(scope: Scope, period: Period, today: datetime.date) -> list[Housed]:
    """The placements housed in the period in the scope's municipalities (three queries)."""
    last = period.last_day(today)
    if last < period.start or not scope.places:
        return []
    fields = counting_fields(scope.region_ids)
    in_period = Q()
    for region_id, name in fields.items():
        in_period |= Q(
            vacancy__municipality__region_id=region_id, **{f"{name}__range": (period.start, last)}
        )
    rows = list(
        Nomination.objects.filter(in_period, status__in=COUNTED_STATUSES)
        .filter(vacancy__municipality_id__in=scope.ids)
        .order_by("id")
        .values(
            "id",
            "status",
            "household_id",
            "household__reference",
            "household__linked_municipality_id",
            "household__linked_municipality__name",
            "household__link_date",
            "vacancy__municipality_id",
            "vacancy__municipality__name",
            "vacancy__municipality__region_id",
            "vacancy__corporation_id",
            "vacancy__corporation__name",
            "vacancy__dwelling_type",
            "lease_start",
            "move_in_date",
            "reported_to_coa_on",
            "moved_out_on",
        )
    )
    arrivals = counting.arrival_dates({r["household_id"] for r in rows}) if rows else {}
    result = []
    for r in rows:
        day = r[fields[r["vacancy__municipality__region_id"]]]
        if r["status"] == Nomination.Status.MOVED_OUT and r["moved_out_on"] < day:
            continue  # left before the day it would have counted: never counted
        persons = counting.present_on(arrivals.get(r["household_id"], ()), day)
        result.append(
            Housed(
                nomination_id=r["id"],
                household_id=r["household_id"],
                reference=r["household__reference"],
                linked_id=r["household__linked_municipality_id"],
                linked_name=r["household__linked_municipality__name"],
                housed_id=r["vacancy__municipality_id"],
                housed_name=r["vacancy__municipality__name"],
                corporation_id=r["vacancy__corporation_id"],
                corporation_name=r["vacancy__corporation__name"],
                dwelling_type=r["vacancy__dwelling_type"],
                persons=persons,
                link_date=r["household__link_date"],
                day=day,
                lease_start=r["lease_start"],
                move_in=r["move_in_date"],
            )
        )
    return result


@dataclass(frozen=True)
class CountRow:
    """One bar of a figure: the drill-down key, its label, households and persons."""

    key: str
    label: str
    households: int
    persons: int


def size_label(size: int) -> str:
    if size >= LARGEST_SIZE:
        return _("%(n)s persons or more") % {"n": LARGEST_SIZE}
    return _("1 person") if size == 1 else _("%(n)s persons") % {"n": size}


BY_SIZE_RULE = gettext_lazy(
    "Per household size (persons present on the counting day; 6 or more together): the "
    "households housed and their persons. Every size from 1 to 6+ is listed, also with 0."
)


def by_size(rows: Sequence[Housed]) -> list[CountRow]:
    households = Counter(h.size_key for h in rows)
    persons = Counter()
    for h in rows:
        persons[h.size_key] += h.persons
    sizes = sorted(set(range(1, LARGEST_SIZE + 1)) | set(households))
    return [CountRow(str(s), size_label(s), households[s], persons[s]) for s in sizes]


BY_CORPORATION_RULE = gettext_lazy(
    "Per housing corporation that let the dwelling: the households housed and their persons, "
    "most households first (then by name)."
)


def by_corporation(rows: Sequence[Housed]) -> list[CountRow]:
    names: dict[int, str] = {}
    households: Counter = Counter()
    persons: Counter = Counter()
    for h in rows:
        names[h.corporation_id] = h.corporation_name
        households[h.corporation_id] += 1
        persons[h.corporation_id] += h.persons
    order = sorted(names, key=lambda pk: (-households[pk], names[pk]))
    return [CountRow(str(pk), names[pk], households[pk], persons[pk]) for pk in order]


BY_DWELLING_TYPE_RULE = gettext_lazy(
    "Per dwelling type of the let dwelling, every type listed (senior, shared and flex homes "
    "included): the households housed and their persons. A shared dwelling counts once per "
    "household placed in it."
)


def by_dwelling_type(rows: Sequence[Housed]) -> list[CountRow]:
    households = Counter(h.dwelling_type for h in rows)
    persons: Counter = Counter()
    for h in rows:
        persons[h.dwelling_type] += h.persons
    return [
        CountRow(value, str(label), households[value], persons[value])
        for value, label in Vacancy.DwellingType.choices
    ]


# --- 2. The pooling matrix ---------------------------------------------------------------------

POOLING_RULE = gettext_lazy(
    "Households housed in the period, by the municipality COA linked them to (rows) and the "
    "municipality of the dwelling (columns). The diagonal is housed in the linked municipality; "
    "everything off it was housed elsewhere thanks to the regional pool (and needs a re-link at "
    "COA). Shading: the share of the row's households in that cell."
)


@dataclass
class MatrixRow:
    pk: int
    name: str
    cells: list[tuple[int, int, int]]  # (column municipality, count, shade level 0-3)
    total: int


@dataclass
class Matrix:
    columns: list[tuple[int, str]]
    rows: list[MatrixRow]
    column_totals: list[int]
    total: int
    in_linked: int  # on the diagonal

    @property
    def elsewhere(self) -> int:
        return self.total - self.in_linked

    @property
    def elsewhere_share(self) -> Decimal | None:
        return share(self.elsewhere, self.total)


def shade(count: int, row_total: int) -> int:
    """0 for none; 1 up to a third of the row; 2 up to two thirds; 3 above."""
    if not count:
        return 0
    return 1 if 3 * count <= row_total else 2 if 3 * count <= 2 * row_total else 3


def pooling_matrix(rows: Sequence[Housed]) -> Matrix:
    names: dict[int, str] = {}
    counts: Counter = Counter()
    for h in rows:
        names[h.linked_id] = h.linked_name
        names[h.housed_id] = h.housed_name
        counts[(h.linked_id, h.housed_id)] += 1
    linked = sorted({h.linked_id for h in rows}, key=lambda pk: names[pk])
    columns = sorted({h.housed_id for h in rows}, key=lambda pk: names[pk])
    matrix_rows = []
    for pk in linked:
        total = sum(counts[(pk, c)] for c in columns)
        cells = [(c, counts[(pk, c)], shade(counts[(pk, c)], total)) for c in columns]
        matrix_rows.append(MatrixRow(pk, names[pk], cells, total))
    return Matrix(
        columns=[(c, names[c]) for c in columns],
        rows=matrix_rows,
        column_totals=[sum(counts[(r, c)] for r in linked) for c in columns],
        total=len(rows),
        in_linked=sum(1 for h in rows if h.linked_id == h.housed_id),
    )


# --- 3. Time from link to lease and to move-in ----------------------------------------------------

DEADLINE_DAYS = 10 * 7
LATE_DAYS = 14 * 7
DURATION_RULE = gettext_lazy(
    "Days from the link date to the lease start (or to the move-in date), for the households "
    "housed in the period (the move-in figure: those with a move-in date). Median, 75th and "
    "90th percentile by the nearest-rank method: sort the n values, take the one at rank "
    "ceil(p/100 x n). Within 10 weeks: at most 70 days; within 14 weeks: at most 98 days; as a "
    "share of n, one decimal. Per municipality the household was linked to, and per household "
    "size."
)
MEASURES = {"lease": "days_to_lease", "move_in": "days_to_move_in"}


@dataclass(frozen=True)
class DurationRow:
    key: str
    label: str
    n: int
    median: int | None
    p75: int | None
    p90: int | None
    within_10: int
    within_14: int

    @property
    def share_10(self) -> Decimal | None:
        return share(self.within_10, self.n)

    @property
    def share_14(self) -> Decimal | None:
        return share(self.within_14, self.n)


def duration_row(key: str, label: str, days: Sequence[int]) -> DurationRow:
    return DurationRow(
        key=key,
        label=label,
        n=len(days),
        median=percentile(days, 50),
        p75=percentile(days, 75),
        p90=percentile(days, 90),
        within_10=sum(1 for d in days if d <= DEADLINE_DAYS),
        within_14=sum(1 for d in days if d <= LATE_DAYS),
    )


@dataclass
class Durations:
    by_municipality: list[DurationRow]
    by_size: list[DurationRow]
    total: DurationRow


def durations(rows: Sequence[Housed], measure: str) -> Durations:
    attribute = MEASURES[measure]
    per_municipality: dict[int, list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    per_size: dict[int, list[int]] = defaultdict(list)
    everything = []
    for h in rows:
        days = getattr(h, attribute)
        if days is None:
            continue
        names[h.linked_id] = h.linked_name
        per_municipality[h.linked_id].append(days)
        per_size[h.size_key].append(days)
        everything.append(days)
    return Durations(
        by_municipality=[
            duration_row(str(pk), names[pk], per_municipality[pk])
            for pk in sorted(per_municipality, key=lambda pk: names[pk])
        ],
        by_size=[duration_row(str(s), size_label(s), per_size[s]) for s in sorted(per_size)],
        total=duration_row("", _("All households"), everything),
    )


# --- 4. Dwellings returned and nominations refused ----------------------------------------------

RETURNED_RULE = gettext_lazy(
    "Vacancies of the scope's municipalities returned to the corporation unfilled, on a day in "
    "the period (the day of the return), grouped by the reason the desk gave (the same text "
    "together). A returned vacancy the corporation sent in again later is no longer returned "
    "and is not counted."
)


def reason_key(reason: str) -> str:
    """A short, stable key for a free-text reason (the drill-down's filter)."""
    return hashlib.sha256(reason.encode()).hexdigest()[:10]


@dataclass(frozen=True)
class ReasonRow:
    key: str
    label: str
    count: int
    places: int = 0
    justified: int = 0
    not_justified: int = 0


def returned_vacancies(scope: Scope, period: Period) -> list[dict]:
    """The returned vacancies in the period (one query)."""
    return list(
        Vacancy.objects.filter(
            status=Vacancy.Status.RETURNED,
            municipality_id__in=scope.ids,
            status_changed_at__date__range=(period.start, period.end),
        )
        .order_by("status_changed_at", "id")
        .values(
            "id",
            "street",
            "place",
            "municipality__name",
            "corporation__name",
            "dwelling_type",
            "places",
            "status_changed_at",
            "return_reason",
        )
    )


def returned_by_reason(rows: Sequence[dict]) -> list[ReasonRow]:
    count: Counter = Counter()
    places: Counter = Counter()
    for r in rows:
        reason = r["return_reason"].strip()
        count[reason] += 1
        places[reason] += r["places"]
    order = sorted(count, key=lambda reason: (-count[reason], reason))
    return [ReasonRow(reason_key(r), r, count[r], places=places[r]) for r in order]


REFUSED_RULE = gettext_lazy(
    "Nominations for dwellings in the scope's municipalities refused on a day in the period "
    "(the day the refusal was recorded), by the coded reason; every reason is listed. Justified "
    "or not as the desk judged it; a refusal not judged counts in neither column."
)


def refused_nominations(scope: Scope, period: Period) -> list[dict]:
    """The refusals recorded in the period (one query). A refused nomination never changes
    again, so its last change is the day of the refusal."""
    return list(
        Nomination.objects.filter(
            status=Nomination.Status.REFUSED,
            vacancy__municipality_id__in=scope.ids,
            updated_at__date__range=(period.start, period.end),
        )
        .order_by("updated_at", "id")
        .values(
            "id",
            "household_id",
            "household__reference",
            "vacancy__street",
            "vacancy__place",
            "vacancy__municipality__name",
            "refusal_reason",
            "refusal_justified",
            "updated_at",
        )
    )


def refused_by_reason(rows: Sequence[dict]) -> list[ReasonRow]:
    result = []
    for value, label in Nomination.RefusalReason.choices:
        mine = [r for r in rows if r["refusal_reason"] == value]
        result.append(
            ReasonRow(
                value,
                str(label),
                len(mine),
                justified=sum(1 for r in mine if r["refusal_justified"] is True),
                not_justified=sum(1 for r in mine if r["refusal_justified"] is False),
            )
        )
    return result


# --- 5. The open pool ------------------------------------------------------------------------

POOL_RULE = gettext_lazy(
    "Households linked to the scope's municipalities that were still to be housed at the end "
    "of the period (today for the current period), as the data stands today: linked on or "
    "before that day, and by then without a signed lease (a lease dissolved by then does not "
    "count), without an own home, and not withdrawn or refused. Size: the members present on "
    "that day. Weeks waiting: whole weeks since the link date, grouped at the warning "
    "thresholds 8, 10, 12 and 14 weeks."
)
WEEK_BANDS = ((0, 7), (8, 9), (10, 11), (12, 13), (14, None))


def week_band(weeks: int) -> int:
    for index, (low, high) in enumerate(WEEK_BANDS):
        if weeks >= low and (high is None or weeks <= high):
            return index
    return 0


def week_band_label(index: int) -> str:
    low, high = WEEK_BANDS[index]
    if high is None:
        return _("%(n)s weeks or more") % {"n": low}
    return _("%(low)s–%(high)s weeks") % {"low": low, "high": high}


def open_pool(scope: Scope, as_of: datetime.date) -> list[dict]:
    """The households open on ``as_of`` with their size then (one query)."""
    housed_by_then = Nomination.objects.filter(
        household=OuterRef("pk"), lease_signed_on__lte=as_of
    ).exclude(dissolved_on__lte=as_of)
    # The size on ``as_of`` (members arrived by then), not the stored current ``size`` column:
    # annotated under its own name, handed out as "size".
    rows = (
        Household.objects.filter(linked_municipality_id__in=scope.ids, link_date__lte=as_of)
        .exclude(Exists(housed_by_then))
        .exclude(own_home_date__lte=as_of)
        .exclude(
            status__in=[Household.Status.WITHDRAWN, Household.Status.REFUSED],
            status_changed_at__date__lte=as_of,
        )
        .annotate(
            size_on_day=Count(
                "members",
                filter=Q(members__present=True)
                & (Q(members__arrival_date__isnull=True) | Q(members__arrival_date__lte=as_of)),
            )
        )
        .order_by("link_date", "id")
        .values(
            "id", "reference", "link_date", "status", "linked_municipality__name", "size_on_day"
        )
    )
    return [{**row, "size": row.pop("size_on_day")} for row in rows]


@dataclass
class PoolTable:
    bands: list[str]
    rows: list[tuple[str, str, list[int], int]]  # size key, label, count per band, total
    band_totals: list[int] = field(default_factory=list)
    total: int = 0
    persons: int = 0


def pool_table(rows: Sequence[dict], as_of: datetime.date) -> PoolTable:
    counts: Counter = Counter()
    for r in rows:
        size = min(r["size"], LARGEST_SIZE)
        counts[(size, week_band(deadlines.weeks_waiting(r["link_date"], as_of)))] += 1
    sizes = sorted(set(range(1, LARGEST_SIZE + 1)) | {s for s, _band in counts})
    bands = range(len(WEEK_BANDS))
    return PoolTable(
        bands=[week_band_label(b) for b in bands],
        rows=[
            (
                str(s),
                size_label(s),
                [counts[(s, b)] for b in bands],
                sum(counts[(s, b)] for b in bands),
            )
            for s in sizes
        ],
        band_totals=[sum(counts[(s, b)] for s in sizes) for b in bands],
        total=len(rows),
        persons=sum(r["size"] for r in rows),
    )
