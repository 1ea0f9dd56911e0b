"""The quota ledger: per municipality and period, the target, the balance carried in, what was
realised and what remains. Arithmetic only; what counts as realised is ``quota.counting``.

    adjusted target = net target - opening balance, at least 0: a surplus larger than the
                      target leaves nothing to do, and what is left of it is not lost but
                      carried (``surplus_carried``), through the closing balance
    closing balance = opening balance + realised - net target
    opening balance = the previous period's closing balance, unless overridden with a reason

The pipeline (nominated, lease signed, not counted yet) is shown once: in the current period
(the one that holds today, or else the first one still to come), never again in later periods.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from regions.models import Municipality, Region

from . import counting
from .models import QuotaPeriod, QuotaRule, QuotaTarget


@dataclass
class Position:
    municipality: Municipality
    period: QuotaPeriod
    has_target: bool
    net_target: int
    opening_balance: int
    opening_overridden: bool
    override_reason: str
    realised: int
    events: list[counting.CountEvent] = field(default_factory=list)
    pipeline_nominated: int = 0
    pipeline_lease_signed: int = 0

    @property
    def adjusted_target(self) -> int:
        """What is still to be done this period; never below 0 (see ``surplus_carried``)."""
        return max(self.net_target - self.opening_balance, 0)

    @property
    def surplus_carried(self) -> int:
        """The part of the opening surplus beyond this period's target: carried on, not used."""
        return max(self.opening_balance - self.net_target, 0)

    @property
    def closing_balance(self) -> int:
        return self.opening_balance + self.realised - self.net_target

    @property
    def remaining(self) -> int:
        return max(self.adjusted_target - self.realised, 0)

    @property
    def percent_done(self) -> int | None:
        if self.adjusted_target <= 0:
            return None
        return min(round(100 * self.realised / self.adjusted_target), 999)

    def months_left(self, today: datetime.date) -> int:
        """Whole months left in the period, the current month included."""
        if today > self.period.end:
            return 0
        start = max(today, self.period.start)
        return self.period.end.month - start.month + 1

    def monthly_pace(self, today: datetime.date) -> float | None:
        """Persons per month still needed to reach the adjusted target by the period's end."""
        months = self.months_left(today)
        if months == 0:
            return None
        return math.ceil(10 * self.remaining / months) / 10


@dataclass
class Ledger:
    region: Region
    rule: QuotaRule
    periods: list[QuotaPeriod]
    municipalities: list[Municipality]
    positions: dict[tuple[int, int], Position]  # (municipality id, period id) -> position
    pipeline: list[counting.PipelineEntry]  # placements that have not counted yet
    pipeline_period: QuotaPeriod | None = None  # the one period the pipeline is shown in

    def for_period(self, period: QuotaPeriod) -> list[Position]:
        return [self.positions[(m.pk, period.pk)] for m in self.municipalities]

    def for_municipality(self, municipality: Municipality) -> list[Position]:
        return [self.positions[(municipality.pk, p.pk)] for p in self.periods]

    def totals(self, period: QuotaPeriod) -> dict[str, int]:
        rows = self.for_period(period)
        return {
            "net_target": sum(p.net_target for p in rows),
            "opening_balance": sum(p.opening_balance for p in rows),
            "adjusted_target": sum(p.adjusted_target for p in rows),
            "surplus_carried": sum(p.surplus_carried for p in rows),
            "realised": sum(p.realised for p in rows),
            "remaining": sum(p.remaining for p in rows),
            "closing_balance": sum(p.closing_balance for p in rows),
            "pipeline_nominated": sum(p.pipeline_nominated for p in rows),
            "pipeline_lease_signed": sum(p.pipeline_lease_signed for p in rows),
        }


def build_ledger(
    *, region: Region, today: datetime.date, municipality_ids: set[int] | None = None
) -> Ledger:
    """Positions of every participating municipality in every period, carried in order.
    A constant number of queries, whatever the number of periods or placements.

    ``municipality_ids`` limits the ledger (its rows and totals) to those municipalities of
    the region, e.g. a province's; each position is the same as in the whole region's."""
    rule = QuotaRule.for_region(region)
    periods = list(QuotaPeriod.objects.order_by("year", "half"))
    municipalities = Municipality.objects.filter(region=region, participates=True)
    if municipality_ids is not None:
        municipalities = municipalities.filter(pk__in=municipality_ids)
    municipalities = list(municipalities.order_by("name"))
    targets = {
        (t.municipality_id, t.period_id): t
        for t in QuotaTarget.objects.filter(municipality__region=region)
    }
    events, pipeline = counting.region_events(region.pk, rule, today, municipality_ids)
    period_of = {(p.year, p.half): p for p in periods}
    by_key: dict[tuple[int, int], list[counting.CountEvent]] = defaultdict(list)
    for event in events:
        period = period_of.get(QuotaPeriod.key_for(event.day))
        if period is not None:
            by_key[(event.municipality_id, period.pk)].append(event)
    # The pipeline lands once: in the period holding today, or else the first still to come.
    pipeline_period = next((p for p in periods if p.end >= today), None)
    pipeline_by_muni: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in pipeline:
        pipeline_by_muni[entry.municipality_id][entry.stage] += entry.persons

    positions: dict[tuple[int, int], Position] = {}
    for municipality in municipalities:
        closing = 0
        for period in periods:
            target = targets.get((municipality.pk, period.pk))
            overridden = target is not None and target.opening_override is not None
            period_events = by_key.get((municipality.pk, period.pk), [])
            position = Position(
                municipality=municipality,
                period=period,
                has_target=target is not None,
                net_target=target.net_target if target else 0,
                opening_balance=target.opening_override if overridden else closing,
                opening_overridden=overridden,
                override_reason=target.override_reason if target else "",
                realised=sum(e.persons for e in period_events),
                events=sorted(period_events, key=lambda e: (e.day, e.reference)),
            )
            if period == pipeline_period:
                stages = pipeline_by_muni.get(municipality.pk, {})
                position.pipeline_nominated = stages.get("nominated", 0)
                position.pipeline_lease_signed = stages.get("lease_signed", 0)
            positions[(municipality.pk, period.pk)] = position
            closing = position.closing_balance
    return Ledger(
        region=region,
        rule=rule,
        periods=periods,
        municipalities=municipalities,
        positions=positions,
        pipeline=pipeline,
        pipeline_period=pipeline_period,
    )


def current_period(periods: list[QuotaPeriod], today: datetime.date) -> QuotaPeriod | None:
    for period in periods:
        if period.contains(today):
            return period
    earlier = [p for p in periods if p.end < today]
    return earlier[-1] if earlier else (periods[0] if periods else None)
