"""Quota figures for pages of other apps (the dashboard is a placement page).

A template tag rather than an import: ``placement`` stands below ``quota`` and does not import
it; the dashboard template loads this card when the quota app offers it.
"""

from __future__ import annotations

import datetime

from django import template

from regions.access import municipalities_in_scope
from regions.models import Membership

from ..ledger import build_ledger, current_period

register = template.Library()


@register.inclusion_tag("quota/own_quota_card.html")
def own_quota_card(membership: Membership, today: datetime.date) -> dict:
    """A municipality's own position in the current quota period: target (after the balance
    carried in), realised and remaining, as the quota pages compute them. A constant number of
    queries (``build_ledger``); nothing when the municipality has no quota or no period."""
    municipality_id = membership.organisation.municipality_id
    ledger = build_ledger(region=membership.region, today=today, municipality_ids={municipality_id})
    period = current_period(ledger.periods, today)
    position = ledger.positions.get((municipality_id, period.pk)) if period else None
    return {"position": position}


@register.inclusion_tag("quota/province_quota_summary.html")
def province_quota_summary(user, today: datetime.date) -> dict:
    """A province officer's overview: per region its province's municipalities are in, their
    totals in the current quota period (the ledger's own figures, limited to those
    municipalities) and how many of them are behind. A constant number of queries per region."""
    by_region: dict[int, list] = {}
    for municipality in municipalities_in_scope(user):
        by_region.setdefault(municipality.region_id, []).append(municipality)
    summaries = []
    for municipalities in sorted(by_region.values(), key=lambda ms: ms[0].region.name):
        region = municipalities[0].region
        ledger = build_ledger(
            region=region, today=today, municipality_ids={m.pk for m in municipalities}
        )
        period = current_period(ledger.periods, today)
        rows = ledger.for_period(period) if period else []
        summaries.append(
            {
                "region": region,
                "period": period,
                "municipalities": len(municipalities),
                "totals": ledger.totals(period) if period else None,
                "behind": sum(1 for p in rows if p.has_target and p.closing_balance < 0),
            }
        )
    return {"summaries": summaries}
