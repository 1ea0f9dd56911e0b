"""Delete prepared downloads past their expiry (24 hours after they were asked for).

Run it from cron beside ``purge_personal_data``, e.g. hourly: ``manage.py purge_downloads``.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from downloads.services import downloads_purge


class Command(BaseCommand):
    help = "Delete prepared downloads that have expired (kept 24 hours)."

    def handle(self, *args, **options):
        deleted = downloads_purge()
        self.stdout.write(f"purge_downloads: {deleted} expired download(s) deleted")
