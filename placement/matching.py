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
  afford      passend toewijzen: when income is below the year's limit, the rent is at or below
              the rent cap for the household size (1-2 persons: low cap, 3+: high cap)
Soft score (each part shown): waiting time since the link, deadline urgency, size fit (no large
dwelling for a single when a family waits), work/study location. The linked municipality is
deliberately not an input: a vacancy anywhere in the region can go to any household.
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


def evaluate(
    dwellings: Sequence[Dwelling],
    households: Sequence[Candidate],
    settings: MatchSettings,
    today: datetime.date,
) -> Evaluation:
    n_d, n_h = len(dwellings), len(households)
    # Household columns.
    expected = np.fromiter((h.expected_size for h in households), dtype=np.int64, count=n_h)
    days = np.fromiter(
        ((today - h.link_date).days for h in households), dtype=np.int64, count=n_h
    ).clip(min=0)
    weeks = days / 7.0
    needs_wheel = np.fromiter((h.needs_wheelchair for h in households), dtype=bool, count=n_h)
    needs_ground = np.fromiter((h.needs_ground_floor for h in households), dtype=bool, count=n_h)
    # Passend toewijzen applies when income is below the year's limit; a benefit or no income
    # recorded counts as below it.
    income_known = np.fromiter(
        (h.annual_income is not None for h in households), dtype=bool, count=n_h
    )
    income = np.fromiter(
        (h.annual_income if h.annual_income is not None else 0.0 for h in households),
        dtype=float,
        count=n_h,
    )
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

    # A shared dwelling's room takes one single; a studio (0 bedrooms) counts as one bedroom.
    capacity = np.where(shared, 1, np.maximum(bedrooms, 1) * settings.persons_per_bedroom)
    small = expected[None, :] <= 2
    income_limit = np.where(
        expected[None, :] <= 1,
        cap_field("income_limit_single")[:, None],
        cap_field("income_limit_multi")[:, None],
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

    loc_h = np.fromiter(
        (code(h.work_study_location) for h in households), dtype=np.int64, count=n_h
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
        )
    return reasons


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


def rank(
    dwelling: Dwelling,
    households: Sequence[Candidate],
    settings: MatchSettings,
    today: datetime.date,
    *,
    limit: int | None = None,
) -> list[Explanation]:
    """Suitable households for one dwelling, best first (ties: longest waiting first)."""
    ev = evaluate([dwelling], households, settings, today)
    order = sorted(
        np.flatnonzero(ev.feasible[0]),
        key=lambda h: (-ev.total[0, h], households[h].link_date, households[h].id),
    )
    if limit is not None:
        order = order[:limit]
    return [explain_pair(ev, 0, h) for h in order]


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


@dataclass(frozen=True)
class ProposalLine:
    dwelling_id: int
    place: int  # 1-based place of a shared dwelling
    household_id: int
    score: float


@dataclass(frozen=True)
class Proposal:
    lines: list[ProposalLine]

    @property
    def total(self) -> float:
        return round(sum(line.score for line in self.lines), 2)


def _places(dwellings: Sequence[Dwelling]) -> list[tuple[int, int]]:
    """(dwelling index, place number) for every place: a shared dwelling has several."""
    return [(d, p) for d, dw in enumerate(dwellings) for p in range(1, dw.places + 1)]


def propose(
    dwellings: Sequence[Dwelling],
    households: Sequence[Candidate],
    settings: MatchSettings,
    today: datetime.date,
    *,
    evaluation: Evaluation | None = None,
) -> Proposal:
    """The set of nominations with the highest total score: every place gets at most one
    household, every household at most one place, only suitable pairs. Exact (an assignment
    problem solved with the Hungarian method); a place may stay empty when nothing fits."""
    ev = evaluation or evaluate(dwellings, households, settings, today)
    places = _places(dwellings)
    n_p, n_h = len(places), len(households)
    if n_p == 0 or n_h == 0:
        return Proposal(lines=[])
    rows = np.fromiter((d for d, _p in places), dtype=np.int64, count=n_p)
    score = ev.total[rows]  # (P, H)
    ok = ev.feasible[rows]
    # Minimise cost = -score. Unsuitable pairs are forbidden by a cost higher than leaving the
    # place empty, which each place can do at cost 0 through its own "empty" column.
    forbidden = float(score.max(initial=0.0)) * (n_p + 1) + 1e6
    cost = np.full((n_p, n_h + n_p), forbidden)
    cost[:, :n_h] = np.where(ok, -score, forbidden)
    cost[np.arange(n_p), n_h + np.arange(n_p)] = 0.0
    row_ind, col_ind = linear_sum_assignment(cost)
    lines = []
    for r, c in zip(row_ind, col_ind, strict=True):
        if c < n_h and ok[r, c]:
            d, place = places[r]
            lines.append(
                ProposalLine(
                    dwelling_id=dwellings[d].id,
                    place=place,
                    household_id=households[c].id,
                    score=float(score[r, c]),
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
    household still free. What a meeting does without the whole-meeting proposal."""
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
                )
            )
    return Proposal(lines=lines)
