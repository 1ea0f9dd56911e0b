"""Writing quota data: periods and targets, each in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from regions.models import Municipality, Region

from .models import QuotaPeriod, QuotaTarget


@dataclass(frozen=True)
class TargetRow:
    municipality: Municipality
    net_target: int | None  # None: remove the target
    opening_override: int | None = None
    override_reason: str = ""


@transaction.atomic
def targets_save(*, region: Region, period: QuotaPeriod, rows: list[TargetRow]) -> int:
    """Store the period's targets for the region's municipalities; all or nothing.
    Returns the number of targets stored."""
    stored = 0
    for row in rows:
        if row.municipality.region_id != region.pk:
            raise ValueError("municipality outside the region")
        if row.net_target is None:
            QuotaTarget.objects.filter(period=period, municipality=row.municipality).delete()
            continue
        QuotaTarget.objects.update_or_create(
            period=period,
            municipality=row.municipality,
            defaults={
                "net_target": row.net_target,
                "opening_override": row.opening_override,
                "override_reason": row.override_reason.strip()
                if row.opening_override is not None
                else "",
            },
        )
        stored += 1
    return stored
