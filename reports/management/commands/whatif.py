"""``python manage.py whatif --region DS --from 2026-01-01 --to 2026-06-30 --seed 1``.

Replays the period regionally and per municipality (``reports.whatif``) and prints the two
side by side, then the quota result per municipality. Reads only; writes nothing.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from regions.models import Region
from reports import whatif
from reports.whatif_forms import DEFAULT_SEED


def iso_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def _cell(value) -> str:
    return "-" if value is None else str(value)


def _difference(value) -> str:
    return "-" if value is None else f"{value:+d}"


class Command(BaseCommand):
    help = "What pooling gains: replay a past period regionally and per municipality."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="The region's code, e.g. DS.")
        parser.add_argument(
            "--from", dest="start", type=iso_day, required=True, help="First day (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--to", dest="end", type=iso_day, required=True, help="Last day (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (refusals, ties)."
        )

    def handle(self, *args, region, start, end, seed, **options):
        found = Region.objects.filter(code=region).first()
        if found is None:
            raise CommandError(f"--region: no region with code {region!r}")
        if end < start:
            raise CommandError("--to lies before --from")
        if (end - start).days > whatif.MAX_PERIOD_DAYS:
            raise CommandError(f"the period is longer than {whatif.MAX_PERIOD_DAYS} days")
        result = whatif.whatif_run(region=found, start=start, end=end, seed=seed)
        with translation.override("en"):
            self.report(found, result)

    def report(self, region: Region, result: whatif.Result) -> None:
        out = self.stdout.write
        out(
            f"What pooling gains: {region.name} ({region.code}), dwellings available "
            f"{result.start.isoformat()} to {result.end.isoformat()}, seed {result.seed}"
        )
        if result.empty:
            out("No dwellings came free in this period.")
            return
        inputs = result.inputs
        lease = (
            f"median of {inputs.lease_observed} observed"
            if inputs.lease_observed
            else "none observed: the fixed value"
        )
        out(
            f"{len(inputs.offers)} dwellings ({result.places} places), "
            f"{len(result.decision_days)} decision days, refusal rate "
            f"{inputs.refusal_rate:.2f} ({inputs.refused_observed} refused of "
            f"{inputs.decided_observed} decided), lease {inputs.lease_days} days after the "
            f"decision ({lease})"
        )
        out("")
        out(f"{'figure':<42}{'regional':>10}{'per municipality':>18}{'difference':>12}")
        for f in result.comparison():
            out(
                f"{str(f['label']):<42}{_cell(f['regional']):>10}"
                f"{_cell(f['per_municipality']):>18}{_difference(f['difference']):>12}"
            )
        out("")
        where = (
            "the linked municipality"
            if inputs.credited == "linked"
            else "the municipality where the dwelling is"
        )
        out(f"Quota result: persons housed, counted for {where}")
        out(f"{'municipality':<42}{'regional':>10}{'per municipality':>18}{'difference':>12}")
        for row in result.municipality_rows():
            out(
                f"{row['name']:<42}{row['regional']:>10}{row['per_municipality']:>18}"
                f"{row['difference']:>+12d}"
            )
        out("")
        out(f"Computed in {result.seconds:.2f} s.")
