"""Load demo data (``--scale demo``, the default), or the same generator at a larger size:
``--scale small`` (three regions, a few hundred households: CI smoke) or ``--scale national``
(25 regions, 346 municipalities, about 60,000 households, quota and invoices 2022-2026).

Idempotent at every scale: regions, municipalities, organisations and users are brought back to
the data's values (demo passwords reset to ``demo``); households, vacancies and placements are
created only when missing, keyed deterministically, so a second run adds nothing. Every random
choice comes from ``random.Random`` seeded per region; dates are offsets from today. The data
is in ``demo.data``, the draws in ``demo.planners``, the writing in ``demo.seeding`` (one by
one, through the services) and ``demo.bulk`` (bulk inserts, for the larger scales)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from demo import scales
from demo.bulk import BulkSeeder
from demo.seeding import Seeder


class Command(BaseCommand):
    help = (
        "Load demo data: the Drechtsteden and Woerden e.o. regions with partners, demo users "
        "(password 'demo'), households and vacancies; --scale small or national for more. "
        "Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=scales.SCALES, default="demo")

    def handle(self, *args, **options) -> None:
        scale = scales.build(options["scale"])
        seeder = (BulkSeeder if scale.bulk else Seeder)(scale, self.stdout, self.style)
        started = time.monotonic()
        seeder.run()
        if scale.bulk:
            self.stdout.write(f"Schaal {scale.name}: {time.monotonic() - started:.0f} s")
