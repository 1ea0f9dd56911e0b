"""Whose quota a user sees: the ledger of their region, or, for a province officer, of one
region their province's municipalities are in, limited to those municipalities.

The scope itself is ``regions.access.municipalities_in_scope``; this module only picks the
region to show and builds the ledger for it, for the quota pages and the quota export alike.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404

from regions.access import capabilities, municipalities_in_scope, require
from regions.models import Region

from .ledger import Ledger, build_ledger


@dataclass
class QuotaScope:
    ledger: Ledger | None
    # The regions to choose from: more than one only for a province spanning several.
    regions: list[Region]
    # A province officer: only its province's municipalities of the region are shown.
    province: bool


def quota_scope(user, *, region: str | None, today: datetime.date) -> QuotaScope:
    """The ledger the user may see. ``region`` (a region's pk from the query) picks one of a
    province officer's regions; one outside the scope, or not a number, is a 404. Others
    always see their own region and ``region`` is ignored. 403 without ``sees_quota``."""
    membership = require(user, "sees_quota")
    if not capabilities(user).sees_province:
        return QuotaScope(
            ledger=build_ledger(region=membership.region, today=today),
            regions=[membership.region],
            province=False,
        )
    in_scope = list(municipalities_in_scope(user))
    regions = sorted({m.region for m in in_scope}, key=lambda r: r.name)
    if region:
        chosen = next((r for r in regions if str(r.pk) == region), None)
        if chosen is None:
            raise Http404
    elif regions:
        chosen = regions[0]
    else:
        return QuotaScope(ledger=None, regions=[], province=True)
    ledger = build_ledger(
        region=chosen,
        today=today,
        municipality_ids={m.pk for m in in_scope if m.region_id == chosen.pk},
    )
    return QuotaScope(ledger=ledger, regions=regions, province=True)
