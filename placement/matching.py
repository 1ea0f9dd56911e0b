"""The matching engine: which households fit a dwelling, how well, and the best set for a meeting.

Pure functions over plain data (``Candidate`` households, ``Dwelling`` vacancies and
``MatchSettings``); nothing here touches the database, so it is fast and testable.
``placement.candidates`` turns model rows into this data.

Every rule is evaluated in one vectorised pass (``evaluate``) over all dwelling x household
pairs. The per-vacancy ranking, the "why not this household?" explanation, the whole-meeting
proposal and the greedy comparison all read that one evaluation, so they can never disagree.

Hard rules (a household that fails one is not suitable, and the reason says why):
  size        expected size (members present + expected later) <= bedrooms x persons-per-bedroom
  shared      shared housing takes singles only
  wheelchair  a household that needs a wheelchair-accessible dwelling gets one
  ground      a household that needs a ground floor gets floor 0 or a lift
  afford      passend toewijzen: when income is at or below the year's limit (tot en met), the
              rent is at or below the rent cap for the household size (1-2 persons: low cap, 3+:
              high cap). The limit depends on the size (1 person or more) and on the main
              applicant's age: an AOW-age household (``Candidate.aow_from`` on or before the
              dwelling's letting date) has its own, lower limits.
Soft score (each part shown): waiting time since the link, deadline urgency, size fit (no large
dwelling for a single when a family waits), work/study location. The linked municipality is
deliberately not an input: a vacancy anywhere in the region can go to any household.

The whole-meeting proposal (``propose``) is lexicographic, because a desk is judged on the
dwellings it returns and on its quota: (1) the most places filled, (2) then the most persons
housed (expected size), (3) then the highest total score. It is exact: one assignment solve
(scipy's ``linear_sum_assignment``) over integer weights that encode the three aims in one
number, kept within float64's exact integers (``_objective_weights`` says how and why one
solve suffices). ``greedy`` (one vacancy at a time, best score first) is shown beside it for
comparison; ``review`` flags weak lines (rules and constants under "Reviewing a proposal
line") and says why each line was chosen.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from scipy.optimize import linear_sum_assignment

SHARED = "shared"

RULES = ("size", "shared", "wheelchair", "ground", "afford")
RULE_LABELS = {
    "size": gettext_lazy("Size fits the dwelling"),
    "shared": gettext_lazy("Shared housing for singles only"),
    "wheelchair": gettext_lazy("Wheelchair access"),
    "ground": gettext_lazy("Ground floor or lift"),
    "afford": gettext_lazy("Suitable allocation (rent cap)"),
}
PARTS = ("waiting", "urgency", "size_fit", "location")
PART_LABELS = {
    "waiting": gettext_lazy("Waiting time"),
    "urgency": gettext_lazy("Deadline urgency"),
    "size_fit": gettext_lazy("Size fit"),
    "location": gettext_lazy("Work or study nearby"),
}


@dataclass(frozen=True)
class RentCaps:
    """One year's figures for suitable allocation (passend toewijzen)."""

    year: int
    income_limit_single: float
    income_limit_multi: float
    cap_small: float  # rent cap for 1-2 persons (lage aftoppingsgrens)
    cap_large: float  # rent cap for 3+ persons (hoge aftoppingsgrens)
    # Limits for households whose main applicant has reached the AOW age; None: the general ones.
    income_limit_single_aow: float | None = None
    income_limit_multi_aow: float | None = None
    max_rent_benefit: float | None = None  # maximale huurgrens huurtoeslag (shown, not a rule)

    def income_limit(self, expected_size: int, aow: bool) -> float:
        """The income limit (inclusive) for a household of this size and age group."""
        if expected_size <= 1:
            aow_limit, general = self.income_limit_single_aow, self.income_limit_single
        else:
            aow_limit, general = self.income_limit_multi_aow, self.income_limit_multi
        return aow_limit if aow and aow_limit is not None else general


@dataclass(frozen=True)
class Candidate:
    id: int
    reference: str
    size: int
    expected_size: int
    link_date: datetime.date
    needs_wheelchair: bool = False
    needs_ground_floor: bool = False
    income_type: str = "benefit"
    annual_income: float | None = None
    work_study_location: str = ""
    # The day the main applicant reaches the AOW age (None: unknown, counts as below it).
    aow_from: datetime.date | None = None


@dataclass(frozen=True)
class Dwelling:
    id: int
    label: str
    dwelling_type: str
    bedrooms: int
    rent: float
    places: int = 1
    wheelchair_accessible: bool = False
    floor: int = 0
    has_lift: bool = False
    place: str = ""
    municipality: str = ""
    caps: RentCaps | None = None
    return_deadline: datetime.date | None = None
    # The day suitable allocation is judged on (the AOW age); None: the evaluation's ``today``.
    letting_date: datetime.date | None = None


@dataclass(frozen=True)
class MatchSettings:
    persons_per_bedroom: int = 2
    weight_waiting: float = 40
    weight_urgency: float = 30
    weight_size_fit: float = 30
    weight_location: float = 10
    waiting_full_weeks: int = 20
    deadline_weeks: int = 10
    urgency_full_weeks: int = 14

    @classmethod
    def from_settings(cls) -> MatchSettings:
        from django.conf import settings

        from . import deadlines

        return cls(
            persons_per_bedroom=settings.MATCHING_PERSONS_PER_BEDROOM,
            weight_waiting=settings.MATCHING_WEIGHT_WAITING,
            weight_urgency=settings.MATCHING_WEIGHT_URGENCY,
            weight_size_fit=settings.MATCHING_WEIGHT_SIZE_FIT,
            weight_location=settings.MATCHING_WEIGHT_LOCATION,
            waiting_full_weeks=settings.MATCHING_WAITING_FULL_WEEKS,
            deadline_weeks=deadlines.deadline_weeks(),
            urgency_full_weeks=max(deadlines.warning_weeks()),
        )


# The day that stands for "no AOW date" in the ordinal columns (never reached).
FAR = datetime.date.max.toordinal()


@dataclass(frozen=True)
class HouseholdColumns:
    """What the engine reads of the households, one array per field (index = household)."""

    id: np.ndarray  # int64
    expected: np.ndarray  # int64: expected size
    link: np.ndarray  # int64: link date as an ordinal
    needs_wheel: np.ndarray  # bool
    needs_ground: np.ndarray  # bool
    income_known: np.ndarray  # bool
    income: np.ndarray  # float, 0 where unknown
    aow_from: np.ndarray  # int64 ordinal, FAR where unknown
    location: Sequence[str]  # work or study location as entered

    @classmethod
    def of(cls, households: Sequence[Candidate]) -> HouseholdColumns:
        n = len(households)

        def column(values, dtype):
            return np.fromiter(values, dtype=dtype, count=n)

        return cls(
            id=column((h.id for h in households), np.int64),
            expected=column((h.expected_size for h in households), np.int64),
            link=column((h.link_date.toordinal() for h in households), np.int64),
            needs_wheel=column((h.needs_wheelchair for h in households), bool),
            needs_ground=column((h.needs_ground_floor for h in households), bool),
            income_known=column((h.annual_income is not None for h in households), bool),
            income=column(
                (h.annual_income if h.annual_income is not None else 0.0 for h in households),
                float,
            ),
            aow_from=column(
                (h.aow_from.toordinal() if h.aow_from else FAR for h in households), np.int64
            ),
            location=[h.work_study_location for h in households],
        )


class CandidatePool(Sequence):
    """Candidates kept as columns (made straight from database rows); a ``Candidate`` is made
    only for a household the caller looks at (an explained or proposed row)."""

    def __init__(self, columns: HouseholdColumns, make):
        self.columns = columns
        self._make = make  # index -> Candidate
        self._made: dict[int, Candidate] = {}

    def __len__(self) -> int:
        return len(self.columns.id)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = int(index)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index not in self._made:
            self._made[index] = self._make(index)
        return self._made[index]


def household_columns(households: Sequence[Candidate]) -> HouseholdColumns:
    columns = getattr(households, "columns", None)
    return columns if columns is not None else HouseholdColumns.of(households)


@dataclass
class Evaluation:
    """All rules and score parts for every dwelling (rows) x household (columns) pair."""

    dwellings: Sequence[Dwelling]
    households: Sequence[Candidate]
    passes: dict[str, np.ndarray]  # rule -> bool (D, H)
    parts: dict[str, np.ndarray]  # part -> float (D, H)
    feasible: np.ndarray  # bool (D, H)
    total: np.ndarray  # float (D, H)
    capacity: np.ndarray  # int (D,)
    rent_cap: np.ndarray  # float (D, H), nan where passend toewijzen does not apply
    income_limit: np.ndarray | None = None  # float (D, H), inf without figures
    aow: np.ndarray | None = None  # bool (D, H): an AOW-age household on the letting date
    columns: HouseholdColumns | None = None  # the households as arrays


def capacity(dwelling: Dwelling, settings: MatchSettings) -> int:
    """The most persons (expected size) the dwelling takes: one in a shared dwelling's room,
    otherwise persons per bedroom, a studio (0 bedrooms) counting as one bedroom."""
    if dwelling.dwelling_type == SHARED:
        return 1
    return max(dwelling.bedrooms, 1) * settings.persons_per_bedroom


def evaluate(
    dwellings: Sequence[Dwelling],
    households: Sequence[Candidate],
    settings: MatchSettings,
    today: datetime.date,
) -> Evaluation:
    n_d, n_h = len(dwellings), len(households)
    # Household columns.
    columns = household_columns(households)
    expected = columns.expected
    days = (today.toordinal() - columns.link).clip(min=0)
    weeks = days / 7.0
    needs_wheel = columns.needs_wheel
    needs_ground = columns.needs_ground
    # Passend toewijzen applies when income is at or below the year's limit; a benefit or no
    # income recorded counts as below it.
    income_known = columns.income_known
    income = columns.income
    # Dwelling rows.
    bedrooms = np.fromiter((d.bedrooms for d in dwellings), dtype=np.int64, count=n_d)
    shared = np.fromiter((d.dwelling_type == SHARED for d in dwellings), dtype=bool, count=n_d)
    wheel_ok = np.fromiter((d.wheelchair_accessible for d in dwellings), dtype=bool, count=n_d)
    ground_ok = np.fromiter((d.floor <= 0 or d.has_lift for d in dwellings), dtype=bool, count=n_d)
    rent = np.fromiter((d.rent for d in dwellings), dtype=float, count=n_d)
    has_caps = np.fromiter((d.caps is not None for d in dwellings), dtype=bool, count=n_d)

    def cap_field(name: str) -> np.ndarray:
        return np.fromiter(
            (getattr(d.caps, name) if d.caps else np.inf for d in dwellings), dtype=float, count=n_d
        )

    # A shared dwelling's room takes one single; a studio (0 bedrooms) counts as one bedroom
    # (``capacity`` says the same for one dwelling; the SQL prefilter uses that).
    capacity = np.where(shared, 1, np.maximum(bedrooms, 1) * settings.persons_per_bedroom)
    small = expected[None, :] <= 2
    # AOW age: the main applicant has reached it on the dwelling's letting date.
    aow_from = columns.aow_from
    letting = np.fromiter(
        ((d.letting_date or today).toordinal() for d in dwellings), dtype=np.int64, count=n_d
    )
    aow = aow_from[None, :] <= letting[:, None]

    def limit_field(size: int, aow_group: bool) -> np.ndarray:
        return np.fromiter(
            (d.caps.income_limit(size, aow_group) if d.caps else np.inf for d in dwellings),
            dtype=float,
            count=n_d,
        )

    single = expected[None, :] <= 1
    income_limit = np.where(
        aow,
        np.where(single, limit_field(1, True)[:, None], limit_field(2, True)[:, None]),
        np.where(single, limit_field(1, False)[:, None], limit_field(2, False)[:, None]),
    )
    applies = has_caps[:, None] & (~income_known[None, :] | (income[None, :] <= income_limit))
    cap = np.where(small, cap_field("cap_small")[:, None], cap_field("cap_large")[:, None])
    rent_cap = np.where(applies, cap, np.nan)

    passes = {
        "size": expected[None, :] <= capacity[:, None],
        "shared": ~shared[:, None] | (expected[None, :] == 1),
        "wheelchair": ~needs_wheel[None, :] | wheel_ok[:, None],
        "ground": ~needs_ground[None, :] | ground_ok[:, None],
        "afford": ~applies | (rent[:, None] <= cap + 1e-9),
    }
    feasible = np.ones((n_d, n_h), dtype=bool)
    for mask in passes.values():
        feasible &= mask

    waiting = settings.weight_waiting * np.minimum(weeks / settings.waiting_full_weeks, 1.0)
    # Urgency rises from two weeks before the deadline to the last warning week.
    ramp_start = settings.deadline_weeks - 2
    ramp = max(settings.urgency_full_weeks - ramp_start, 1)
    urgency = settings.weight_urgency * np.clip((weeks - ramp_start) / ramp, 0.0, 1.0)
    needed = np.ceil(expected / settings.persons_per_bedroom).astype(np.int64).clip(min=1)
    surplus = np.where(shared[:, None], 0, bedrooms[:, None] - needed[None, :]).clip(min=0)
    size_fit = settings.weight_size_fit * np.clip(1.0 - 0.5 * surplus, 0.0, 1.0)

    codes: dict[str, int] = {}

    def code(text: str) -> int:
        text = text.strip().lower()
        return codes.setdefault(text, len(codes)) if text else -1

    # Households share a few places: code each distinct spelling once.
    raw_codes: dict[str, int] = {}
    loc_h = np.fromiter(
        (
            raw_codes[loc] if loc in raw_codes else raw_codes.setdefault(loc, code(loc))
            for loc in columns.location
        ),
        dtype=np.int64,
        count=n_h,
    )
    place_d = np.fromiter((code(d.place) for d in dwellings), dtype=np.int64, count=n_d)
    muni_d = np.fromiter((code(d.municipality) for d in dwellings), dtype=np.int64, count=n_d)
    near = (loc_h[None, :] >= 0) & (
        (loc_h[None, :] == place_d[:, None]) | (loc_h[None, :] == muni_d[:, None])
    )
    location = settings.weight_location * near

    parts = {
        "waiting": np.broadcast_to(waiting, (n_d, n_h)),
        "urgency": np.broadcast_to(urgency, (n_d, n_h)),
        "size_fit": size_fit,
        "location": location.astype(float),
    }
    total = np.round(sum(parts.values()), 2)
    return Evaluation(
        dwellings=dwellings,
        households=households,
        passes=passes,
        parts=parts,
        feasible=feasible,
        total=total,
        capacity=capacity,
        rent_cap=rent_cap,
        income_limit=income_limit,
        aow=aow,
        columns=columns,
    )


# --- Explaining one pair ----------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    household: Candidate
    dwelling: Dwelling
    fits: bool
    reasons: list[str]  # why the household is not suitable; empty when it fits
    parts: list[tuple[str, float]]  # (label, points)
    total: float


def _reasons(ev: Evaluation, d: int, h: int) -> list[str]:
    dwelling, household = ev.dwellings[d], ev.households[h]
    reasons = []
    if not ev.passes["size"][d, h]:
        reasons.append(
            _(
                "Too many persons: %(n)s (family members expected later included), the dwelling "
                "fits at most %(cap)s."
            )
            % {"n": household.expected_size, "cap": int(ev.capacity[d])}
        )
    if not ev.passes["shared"][d, h]:
        reasons.append(_("Shared housing is for singles only."))
    if not ev.passes["wheelchair"][d, h]:
        reasons.append(_("Needs a wheelchair-accessible dwelling; this one is not."))
    if not ev.passes["ground"][d, h]:
        reasons.append(
            _("Needs a ground floor or a lift; this dwelling is on floor %(floor)s without a lift.")
            % {"floor": dwelling.floor}
        )
    if not ev.passes["afford"][d, h]:
        reasons.append(
            ngettext(
                "Base rent EUR %(rent)s is above the rent cap of EUR %(cap)s for %(n)s person "
                "(suitable allocation %(year)s).",
                "Base rent EUR %(rent)s is above the rent cap of EUR %(cap)s for %(n)s persons "
                "(suitable allocation %(year)s).",
                household.expected_size,
            )
            % {
                "rent": number_format(dwelling.rent, 2),
                "cap": number_format(float(ev.rent_cap[d, h]), 2),
                "n": household.expected_size,
                "year": dwelling.caps.year if dwelling.caps else "",
            }
            + " "
            + _income_reason(ev, d, h)
        )
    return reasons


def _income_reason(ev: Evaluation, d: int, h: int) -> str:
    """Why the rent cap applies: the income against the limit of the household's group."""
    household = ev.households[h]
    if household.annual_income is None:
        return _("No yearly income is recorded, so the rent cap applies.")
    aow = ev.aow is not None and bool(ev.aow[d, h])
    if household.expected_size <= 1:
        group = _("1 person of AOW age") if aow else _("1 person below the AOW age")
    else:
        group = _("more persons, AOW age") if aow else _("more persons, below the AOW age")
    return _(
        "Income EUR %(income)s is at or below the income limit of EUR %(limit)s (%(group)s)."
    ) % {
        "income": number_format(household.annual_income, 2),
        "limit": number_format(float(ev.income_limit[d, h]), 2)
        if ev.income_limit is not None
        else "",
        "group": group,
    }


def explain_pair(ev: Evaluation, d: int, h: int) -> Explanation:
    return Explanation(
        household=ev.households[h],
        dwelling=ev.dwellings[d],
        fits=bool(ev.feasible[d, h]),
        reasons=_reasons(ev, d, h),
        parts=[(str(PART_LABELS[p]), round(float(ev.parts[p][d, h]), 2)) for p in PARTS],
        total=float(ev.total[d, h]),
    )


def explain(
    dwelling: Dwelling, household: Candidate, settings: MatchSettings, today: datetime.date
) -> Explanation:
    """Why this household does (or does not) fit this dwelling, with every score part."""
    return explain_pair(evaluate([dwelling], [household], settings, today), 0, 0)


@dataclass(frozen=True)
class Ranking:
    suitable: int  # how many households fit the dwelling
    rows: list[Explanation]  # the best ``limit`` of them, explained, best first


def best_first(ev: Evaluation, d: int = 0) -> np.ndarray:
    """Indices of the households that fit dwelling ``d``, best score first (ties: longest
    waiting first, then the lowest id), sorted in one vectorised pass."""
    suitable = np.flatnonzero(ev.feasible[d])
    columns = ev.columns or HouseholdColumns.of(ev.households)
    link, ids = columns.link[suitable], columns.id[suitable]
    return suitable[np.lexsort((ids, link, -ev.total[d, suitable]))]


def ranking(
    dwelling: Dwelling,
    households: Sequence[Candidate],
    settings: MatchSettings,
    today: datetime.date,
    *,
    limit: int | None = None,
) -> Ranking:
    """Suitable households for one dwelling, best first; only the rows returned (the page
    shows ``limit``) are explained, the others are only counted."""
    ev = evaluate([dwelling], households, settings, today)
    order = best_first(ev)
    shown = order if limit is None else order[:limit]
    return Ranking(suitable=int(order.size), rows=[explain_pair(ev, 0, int(h)) for h in shown])


def rank(
    dwelling: Dwelling,
    households: Sequence[Candidate],
    settings: MatchSettings,
    today: datetime.date,
    *,
    limit: int | None = None,
) -> list[Explanation]:
    """Suitable households for one dwelling, best first (ties: longest waiting first)."""
    return ranking(dwelling, households, settings, today, limit=limit).rows


def fitting_dwellings(
    household: Candidate,
    dwellings: Sequence[Dwelling],
    settings: MatchSettings,
    today: datetime.date,
) -> list[Explanation]:
    """The reverse view: every dwelling, suitable ones first, best score first."""
    ev = evaluate(dwellings, [household], settings, today)
    order = sorted(range(len(dwellings)), key=lambda d: (not ev.feasible[d, 0], -ev.total[d, 0], d))
    return [explain_pair(ev, d, 0) for d in order]


# --- A whole meeting ------------------------------------------------------------------------

# The solver works in float64; integers are exact in it up to 2**53. The scaled weights of
# ``_objective_weights`` stay below this bound divided by the solver's node count (see there).
FLOAT_EXACT = 2**53


@dataclass(frozen=True)
class ProposalLine:
    dwelling_id: int
    place: int  # 1-based place of a shared dwelling
    household_id: int
    score: float
    persons: int = 1  # the household's expected size (members present + expected later)


@dataclass(frozen=True)
class Proposal:
    lines: list[ProposalLine]

    @property
    def places_filled(self) -> int:
        return len(self.lines)

    @property
    def persons_housed(self) -> int:
        return sum(line.persons for line in self.lines)

    @property
    def total(self) -> float:
        return round(sum(line.score for line in self.lines), 2)

    @property
    def objective(self) -> tuple[int, int, float]:
        """What the proposal maximises, in order: places filled, persons housed, total score."""
        return (self.places_filled, self.persons_housed, self.total)


def _places(dwellings: Sequence[Dwelling]) -> list[tuple[int, int]]:
    """(dwelling index, place number) for every place: a shared dwelling has several."""
    return [(d, p) for d, dw in enumerate(dwellings) for p in range(1, dw.places + 1)]


def _objective_weights(score: np.ndarray, persons: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Integer weight per suitable pair such that a set of pairs with the largest total
    weight is lexicographically best: most places, then most persons, then highest score.

    weight = A + B * persons + score in hundredths, with B larger than any set's total score
    and A larger than any set's B * persons + score: at most m = min(places, households) pairs
    are chosen, so B = m * max score + 1 and A = B * (m * max persons + 1). The solver adds and
    subtracts these (no products), so it is exact while every value it forms stays below 2**53;
    its dual values and path lengths are bounded by the largest weight times twice the number
    of nodes, and that is what is checked. With the default weights (at most 110 points) and
    households of up to ten persons this holds up to some 2,500 places (a meeting has tens to
    hundreds); beyond that the score is rounded to tenths, whole points and so on until it
    holds: places and persons stay exact, only near-ties in score may then differ."""
    n_rows, n_cols = ok.shape
    m = min(n_rows, n_cols)
    nodes = 2 * (n_rows + n_cols)
    e_max = int(persons.max(initial=0))
    unit = 100.0  # the score is rounded to hundredths (``evaluate``): exact at this unit
    while True:
        s = np.where(ok, np.rint(score * unit), 0).astype(np.int64)
        s_max = int(s.max(initial=0))
        b = m * s_max + 1
        a = b * (m * e_max + 1)
        if (a + b * e_max + s_max) * nodes < FLOAT_EXACT or s_max == 0:
            break
        unit /= 10
    return np.where(ok, a + b * persons[None, :] + s, 0)


def _contenders(ev: Evaluation, rows: np.ndarray, households: Sequence[Candidate]) -> np.ndarray:
    """The households the solve needs (sorted indices): for every place, its P best suitable
    households (P = the number of places), best by persons then score, as the weights order
    them. That keeps the optimum: in an optimal set, a place holding a household outside its
    P best can swap to one of them, since the other P - 1 places hold at most P - 1 of them,
    and the swap loses nothing. Households that fit no place drop out too. So a meeting of 70
    places is solved over a few hundred households, not the whole pool."""
    n_p, n_h = rows.size, len(households)
    feasible = ev.feasible[rows]  # (P, H)
    if n_h <= n_p:
        return np.flatnonzero(feasible.any(axis=0))
    persons = (ev.columns or HouseholdColumns.of(households)).expected
    # Persons first, then the score in hundredths (below 10**9 for any weights in use).
    key = persons[None, :] * 10**9 + np.rint(ev.total[rows] * 100).astype(np.int64)
    key = np.where(feasible, key, -1)
    best = np.argpartition(-key, n_p - 1, axis=1)[:, :n_p]
    keep = np.take_along_axis(feasible, best, axis=1)
    return np.unique(best[keep])


def propose(
    dwellings: Sequence[Dwelling],
    households: Sequence[Candidate],
    settings: MatchSettings,
    today: datetime.date,
    *,
    evaluation: Evaluation | None = None,
) -> Proposal:
    """The best set of nominations for a whole meeting: every place gets at most one
    household, every household at most one place, only suitable pairs. "Best" is
    lexicographic, because a desk is judged on dwellings it returns and on its quota:
    (1) the most places filled, (2) then the most persons housed (expected size), (3) then
    the highest total score. A place stays empty only when no free household fits it.

    Exact, in one assignment solve (``scipy.optimize.linear_sum_assignment``, a shortest
    augmenting path method, O(n^3)) over integer weights that encode the three aims in one
    number (``_objective_weights``). One solve keeps the proposal as fast as the score-only
    one was and needs no further solver; the weights are checked to stay within float64's
    exact integers, so no rounding can trade a place or a person for points."""
    ev = evaluation or evaluate(dwellings, households, settings, today)
    places = _places(dwellings)
    n_p = len(places)
    if n_p == 0 or not households:
        return Proposal(lines=[])
    rows = np.fromiter((d for d, _p in places), dtype=np.int64, count=n_p)
    cols = _contenders(ev, rows, households)
    if cols.size == 0:
        return Proposal(lines=[])
    n_c = cols.size
    ok = ev.feasible[rows][:, cols]  # (P, C)
    score = ev.total[rows][:, cols]
    persons = (ev.columns or HouseholdColumns.of(households)).expected[cols]
    weight = _objective_weights(score, persons, ok)
    # Minimise cost = -weight. Each place may stay empty at cost 0 through its own "empty"
    # column; any other empty column and any unsuitable pair costs 1, which an optimum never
    # pays (moving such a place to its own empty column is always cheaper).
    cost = np.ones((n_p, n_c + n_p))
    cost[:, :n_c] = np.where(ok, -weight.astype(float), 1.0)
    cost[np.arange(n_p), n_c + np.arange(n_p)] = 0.0
    row_ind, col_ind = linear_sum_assignment(cost)
    lines = []
    for r, c in zip(row_ind, col_ind, strict=True):
        if c < n_c and ok[r, c]:
            d, place = places[r]
            h = int(cols[c])
            lines.append(
                ProposalLine(
                    dwelling_id=dwellings[d].id,
                    place=place,
                    household_id=households[h].id,
                    score=float(ev.total[d, h]),
                    persons=households[h].expected_size,
                )
            )
    return Proposal(lines=lines)


def greedy(
    dwellings: Sequence[Dwelling],
    households: Sequence[Candidate],
    settings: MatchSettings,
    today: datetime.date,
    *,
    evaluation: Evaluation | None = None,
) -> Proposal:
    """One vacancy at a time, earliest return deadline first: each place takes the best
    scoring household still free. What a meeting does without the whole-meeting proposal;
    shown beside it for comparison."""
    ev = evaluation or evaluate(dwellings, households, settings, today)
    far = datetime.date.max
    order = sorted(range(len(dwellings)), key=lambda d: (dwellings[d].return_deadline or far, d))
    taken = np.zeros(len(households), dtype=bool)
    lines = []
    for d in order:
        for place in range(1, dwellings[d].places + 1):
            candidates = ev.feasible[d] & ~taken
            if not candidates.any():
                break
            scores = np.where(candidates, ev.total[d], -math.inf)
            h = int(np.argmax(scores))
            taken[h] = True
            lines.append(
                ProposalLine(
                    dwelling_id=dwellings[d].id,
                    place=place,
                    household_id=households[h].id,
                    score=float(ev.total[d, h]),
                    persons=households[h].expected_size,
                )
            )
    return Proposal(lines=lines)


# --- Reviewing a proposal line ---------------------------------------------------------------

# A line is "weak" (flagged on the proposal page and left unticked, so the meeting looks at it
# before nominating) when any of these holds:
#   the dwelling has at least WEAK_SURPLUS_BEDROOMS bedrooms more than the household needs
#     (a single in a three-bedroom home or larger);
#   the yearly income is recorded (above zero) and the base rent is more than
#     WEAK_RENT_SHARE_OF_INCOME of the monthly income (income / 12);
#   the score is below WEAK_SCORE_SHARE of the highest score possible (the sum of the weights).
WEAK_SURPLUS_BEDROOMS = 2
WEAK_RENT_SHARE_OF_INCOME = 0.40
WEAK_SCORE_SHARE = 0.30


def weak_rules() -> dict[str, float]:
    """The thresholds above, for the proposal and Regels pages (shares also in percent)."""
    return {
        "surplus": WEAK_SURPLUS_BEDROOMS,
        "rent_share": round(WEAK_RENT_SHARE_OF_INCOME * 100),
        "rent_share_fraction": WEAK_RENT_SHARE_OF_INCOME,
        "score_share": round(WEAK_SCORE_SHARE * 100),
        "score_share_fraction": WEAK_SCORE_SHARE,
    }


def max_score(settings: MatchSettings) -> float:
    return (
        settings.weight_waiting
        + settings.weight_urgency
        + settings.weight_size_fit
        + settings.weight_location
    )


@dataclass(frozen=True)
class LineReview:
    weak: list[str]  # why the line deserves a second look; empty for a sound line
    reasons: list[str]  # why the proposal chose this household for this place


def _weak(ev: Evaluation, d: int, h: int, settings: MatchSettings) -> list[str]:
    dwelling, household = ev.dwellings[d], ev.households[h]
    weak = []
    needed = max(math.ceil(household.expected_size / settings.persons_per_bedroom), 1)
    if dwelling.dwelling_type != SHARED and dwelling.bedrooms - needed >= WEAK_SURPLUS_BEDROOMS:
        weak.append(
            ngettext(
                "Much larger than needed: %(bedrooms)s bedrooms for %(n)s person.",
                "Much larger than needed: %(bedrooms)s bedrooms for %(n)s persons.",
                household.expected_size,
            )
            % {"bedrooms": dwelling.bedrooms, "n": household.expected_size}
        )
    income = household.annual_income
    if income and income > 0 and dwelling.rent > WEAK_RENT_SHARE_OF_INCOME * income / 12:
        weak.append(
            _(
                "Base rent EUR %(rent)s is more than %(share)s%% of the monthly income "
                "(EUR %(income)s)."
            )
            % {
                "rent": number_format(dwelling.rent, 2),
                "share": round(WEAK_RENT_SHARE_OF_INCOME * 100),
                "income": number_format(income / 12, 2),
            }
        )
    best = max_score(settings)
    score = float(ev.total[d, h])
    if score < WEAK_SCORE_SHARE * best:
        weak.append(
            _("Low score: %(score)s of at most %(max)s points.")
            % {"score": number_format(score, 2), "max": number_format(best, 0)}
        )
    return weak


def _chosen_because(ev: Evaluation, d: int, h: int, proposed: set[int]) -> list[str]:
    """Why the proposal put household ``h`` in dwelling ``d``, read from the evaluation.

    A household that scores higher here and is not in the proposal always has fewer persons:
    swapping it in would keep the places filled and raise the score, so the optimum only
    passes it over to house more persons."""
    suitable = np.flatnonzero(ev.feasible[d])
    if suitable.size == 1:
        return [_("The only suitable household for this place: without it the place stays empty.")]
    score = ev.total[d, h]
    higher = suitable[ev.total[d, suitable] > score]
    if not higher.size:
        return [_("Highest score among the %(n)s suitable households.") % {"n": suitable.size}]
    reasons = []
    columns = ev.columns or HouseholdColumns.of(ev.households)
    ids, sizes = columns.id, columns.expected
    in_proposal = np.isin(ids[higher], np.fromiter(proposed, dtype=np.int64, count=len(proposed)))
    elsewhere, left = higher[in_proposal], higher[~in_proposal]
    if elsewhere.size:
        reasons.append(
            ngettext(
                "The household that scores higher here is proposed for another place.",
                "The %(n)s households that score higher here are proposed for other places.",
                len(elsewhere),
            )
            % {"n": len(elsewhere)}
        )
    persons = int(sizes[h])
    if left.size and (sizes[left] < persons).all():
        largest = bool((sizes[suitable] <= persons).all())
        reasons.append(
            (
                ngettext(
                    "Largest household that fits (%(persons)s persons); the household that "
                    "scores higher here is smaller.",
                    "Largest household that fits (%(persons)s persons); the %(n)s households "
                    "that score higher here are smaller.",
                    len(left),
                )
                if largest
                else ngettext(
                    "Houses more persons (%(persons)s) than the household that scores higher here.",
                    "Houses more persons (%(persons)s) than the %(n)s households that score "
                    "higher here.",
                    len(left),
                )
            )
            % {"persons": persons, "n": len(left)}
        )
    elif left.size:
        reasons.append(_("Chosen so that more places are filled or more persons housed."))
    return reasons


def review(
    proposal: Proposal, ev: Evaluation, settings: MatchSettings
) -> dict[tuple[int, int], LineReview]:
    """For each line, keyed by (dwelling id, place): what makes it weak and why it was chosen."""
    d_index = {dw.id: i for i, dw in enumerate(ev.dwellings)}
    columns = ev.columns or HouseholdColumns.of(ev.households)
    h_index = {int(pk): i for i, pk in enumerate(columns.id)}
    proposed = {line.household_id for line in proposal.lines}
    reviews = {}
    for line in proposal.lines:
        d, h = d_index[line.dwelling_id], h_index[line.household_id]
        reviews[(line.dwelling_id, line.place)] = LineReview(
            weak=_weak(ev, d, h, settings),
            reasons=_chosen_because(ev, d, h, proposed),
        )
    return reviews
