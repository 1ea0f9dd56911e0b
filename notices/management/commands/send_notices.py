"""Daily (cron): ``python manage.py send_notices [--today YYYY-MM-DD]``.

Runs the daily checks of ``notices.rules``, creates the notices due once (a second run on the
same day, or two at once, creates nothing more), queues their e-mails, and prints how many
were created per kind.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from notices.models import Kind
from notices.services import run_daily


def iso_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today: not a date (YYYY-MM-DD): {value!r}") from exc


class Command(BaseCommand):
    help = "Create the notices due today (each once) and queue their e-mails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=iso_day,
            default=None,
            help="Run as if it were this day (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        counts = run_daily(today=today)
        with translation.override("en"):
            self.stdout.write(f"Notices for {today.isoformat()}:")
            for kind in Kind:
                self.stdout.write(f"  {kind.value}: {counts[kind.value]}")
            self.stdout.write(f"  total: {sum(counts.values())}")
