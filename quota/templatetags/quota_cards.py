"""Quota figures for pages of other apps (the dashboard is a placement page).

A template tag rather than an import: ``placement`` stands below ``quota`` and does not import
it; the dashboard template loads this card when the quota app offers it.
"""

from __future__ import annotations

import datetime

from django import template

from regions.models import Membership

from ..ledger import build_ledger, current_period

register = template.Library()


@register.inclusion_tag("quota/own_quota_card.html")
def own_quota_card(membership: Membership, today: datetime.date) -> dict:
    """A municipality's own position in the current quota period: target (after the balance
    carried in), realised and remaining, as the quota pages compute them. A constant number of
    queries (``build_ledger``); nothing when the municipality has no quota or no period."""
    municipality_id = membership.organisation.municipality_id
    ledger = build_ledger(region=membership.region, today=today)
    period = current_period(ledger.periods, today)
    position = ledger.positions.get((municipality_id, period.pk)) if period else None
    return {"position": position}
