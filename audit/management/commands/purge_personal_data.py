"""Anonymise personal data past its retention period; drop old change history and read logs.

Cron-able. A dry run by default: it prints what it would do and changes nothing (it only
records the run). ``--apply`` does it, in one transaction. See ``audit/retention.py``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.retention import due_households, months_before, purge_personal_data
from exchange.coa import purge_import_previews


class Command(BaseCommand):
    help = "Anonymise personal data past its retention period (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Make the changes (default: dry run)."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Count the periods from this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args, apply: bool, today: datetime.date | None, **options):
        months = settings.RETENTION_PERSONAL_DATA_MONTHS
        log_months = settings.RETENTION_LOG_MONTHS
        if months < 1 or log_months < 1:
            raise CommandError("Retention periods must be at least one month.")
        now = timezone.now()
        today = today or timezone.localdate(now)
        due = list(due_households(today=today, months=months).values_list("reference", flat=True))
        run = purge_personal_data(
            today=today, now=now, months=months, log_months=log_months, apply=apply
        )
        verb = "Anonymised" if apply else "Dry run: would anonymise"
        self.stdout.write(
            f"{verb} {run.households} households ({run.persons} persons) closed on or before "
            f"{months_before(today, months):%Y-%m-%d}; "
            f"{'deleted' if apply else 'would delete'} {run.history_rows} history rows and "
            f"{run.read_log_rows} read-log rows."
        )
        for reference in due:
            self.stdout.write(f"  {reference}")
        if apply:
            # COA list imports: the rows of applied batches, and of any older than 30 days.
            cleared = purge_import_previews(now=now)
            self.stdout.write(f"Cleared the rows of {cleared} COA list imports.")
        if not apply:
            self.stdout.write("Nothing was changed. Run with --apply to do it.")
