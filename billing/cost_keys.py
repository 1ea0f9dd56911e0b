"""The cost key (verdeelsleutel), in one place: how much each participating municipality pays
for the central desk in a half-year, and a line saying how that amount was derived.

- fee per placed person: persons realised in the period (quota counting rule) x tariff;
  households that found their own home count for the quota but were not placed by the desk,
  so they are not billed;
- fee per placed household: households placed in the period x tariff (own homes likewise not);
- budget split by share of the quota: half the yearly budget, split by the period's net targets;
  a participating municipality without a target, or with a target of 0, gets no share: no
  invoice is made for it and the run names it (``zero_shares``), never a silent 0.00 invoice;
- budget split by population: half the yearly budget, split by the population on 1 January of
  the cost key's year (CBS; ``regions.models.population_in``), so re-running an old year uses
  that year's figures;
- fixed amount: half the yearly amount per municipality.

Amounts are in cents. A budget split adds up to the budget exactly: every share is rounded down
to the cent and the cents left go to the largest remainders (ties: by municipality name, A to
Z). Halving a yearly amount gives the odd cent to the first half-year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from quota.ledger import Ledger
from quota.models import QuotaPeriod
from regions.formats import euro_text
from regions.models import Municipality, population_in

from .line_texts import describe
from .models import CostKey, CostKeyMethod

CENT = Decimal("0.01")


class CostKeyError(Exception):
    """The cost key cannot be applied to this period; the message is for the user."""


@dataclass(frozen=True)
class Line:
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    # What the amount was derived from (stored on the invoice line; see ``line_texts``).
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:
        """How the amount was derived, in the active language."""
        return describe(self.figures)


def euro(amount: Decimal) -> str:
    """An amount as text in the active language ("€ 1.234,50")."""
    return euro_text(amount)


def largest_remainder(
    total: Decimal,
    weights: Mapping[str, Decimal | int],
    *,
    names: Mapping[str, str] | None = None,
) -> dict[str, Decimal]:
    """Split ``total`` (in euros, whole cents) over ``weights`` so the parts add up exactly.
    The cents left after rounding down go to the largest remainders; equal remainders are
    ordered by ``names`` (e.g. municipality names, case-insensitive), else by key."""
    cents = int((total / CENT).to_integral_value())
    weight_sum = sum(Decimal(w) for w in weights.values())
    if weight_sum <= 0:
        raise CostKeyError(_("Nothing to split the amount by: all weights are zero."))
    exact = {key: Decimal(cents) * Decimal(w) / weight_sum for key, w in weights.items()}
    floors = {
        key: int(value.to_integral_value(rounding=ROUND_DOWN)) for key, value in exact.items()
    }
    left = cents - sum(floors.values())
    names = names or {}

    def tie_break(key: str) -> tuple[str, str]:
        return (names.get(key, key).casefold(), key)

    by_remainder = sorted(exact, key=lambda key: (-(exact[key] - floors[key]), tie_break(key)))
    for key in by_remainder[:left]:
        floors[key] += 1
    return {key: Decimal(value) * CENT for key, value in floors.items()}


def half_of_year(amount: Decimal, half: int) -> Decimal:
    """The part of a yearly amount for half-year I or II; together they make the whole."""
    parts = largest_remainder(amount, {"1": 1, "2": 1})
    return parts[str(half)]


def zero_shares(
    *,
    cost_key: CostKey,
    period: QuotaPeriod,
    municipalities: list[Municipality],
    ledger: Ledger,
) -> dict[int, str]:
    """Under a budget split by share of the quota: {municipality id: warning} for each
    participating municipality that gets no share: no target, or a target of 0, for the period."""
    if CostKeyMethod(cost_key.method) != CostKeyMethod.QUOTA_SHARE:
        return {}
    positions = {p.municipality.pk: p for p in ledger.for_period(period)}
    warnings = {}
    for m in municipalities:
        position = positions.get(m.pk)
        if position is None or not position.has_target:
            text = _(
                "%(m)s has no quota target for %(period)s: it gets no share of the budget and "
                "no invoice. Enter its target if it should pay."
            )
        elif position.net_target == 0:
            text = _(
                "%(m)s has a quota target of 0 for %(period)s: it gets no share of the budget "
                "and no invoice."
            )
        else:
            continue
        warnings[m.pk] = text % {"m": m.name, "period": period}
    return warnings


def shares(
    *,
    cost_key: CostKey,
    period: QuotaPeriod,
    municipalities: list[Municipality],
    ledger: Ledger,
) -> dict[int, Line]:
    """One line per participating municipality (central municipality included)."""
    method = CostKeyMethod(cost_key.method)
    positions = {p.municipality.pk: p for p in ledger.for_period(period)}
    if method in (CostKeyMethod.PER_PERSON, CostKeyMethod.PER_HOUSEHOLD):
        lines = {}
        for m in municipalities:
            events = positions[m.pk].events if m.pk in positions else []
            events = [e for e in events if not e.own_home]  # not placed by the desk
            if method == CostKeyMethod.PER_PERSON:
                n = sum(e.persons for e in events)
            else:
                n = len({e.household_id for e in events if not e.joined_later})
            lines[m.pk] = Line(
                figures={
                    "rule": method.value,
                    "n": n,
                    "year": period.year,
                    "half": period.half,
                    "tariff": str(cost_key.tariff),
                },
                quantity=Decimal(n),
                unit_price=cost_key.tariff,
                amount=(Decimal(n) * cost_key.tariff).quantize(CENT),
            )
        return lines

    if method == CostKeyMethod.FIXED:
        part = half_of_year(cost_key.fixed_amount, period.half)
        figures = {
            "rule": method.value,
            "year": cost_key.year,
            "yearly": str(cost_key.fixed_amount),
            "half": period.half,
        }
        return {
            m.pk: Line(figures=figures, quantity=Decimal(1), unit_price=part, amount=part)
            for m in municipalities
        }

    budget = half_of_year(cost_key.budget, period.half)
    if method == CostKeyMethod.QUOTA_SHARE:
        weights = {
            str(m.pk): positions[m.pk].net_target if m.pk in positions else 0
            for m in municipalities
        }
        if not any(weights.values()):
            raise CostKeyError(
                _("There are no quota targets for %(period)s to split the budget by.")
                % {"period": period}
            )
        unit = "quota"
    else:
        figures = population_in(municipalities, cost_key.year)
        weights = {str(m.pk): figures[m.pk][0] for m in municipalities}
        years = {figures[m.pk][1] for m in municipalities}
        if years == {None}:
            unit = "inhabitants"  # no yearly figures entered: the current ones
        elif years == {cost_key.year}:
            unit = "inhabitants_on"
        else:
            unit = "inhabitants_mixed"
    parts = largest_remainder(budget, weights, names={str(m.pk): m.name for m in municipalities})
    total_weight = sum(weights.values())
    lines = {}
    for m in municipalities:
        weight = weights[str(m.pk)]
        percent = (Decimal(100) * Decimal(weight) / Decimal(total_weight)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        lines[m.pk] = Line(
            figures={
                "rule": method.value,
                "weight": str(weight),
                "total": str(total_weight),
                "unit": unit,
                "unit_year": cost_key.year,
                "percent": str(percent),
                "half": period.half,
                "budget": str(budget),
            },
            quantity=Decimal(1),
            unit_price=parts[str(m.pk)],
            amount=parts[str(m.pk)],
        )
    return lines
