"""Builders shared by the billing tests (not a test module).

The worked example of the half-year 2026-I in Drechtsteden, the same in every billing test:

    Zwijndrecht  family of 5, lease from 1 February 2026 (housed)
                 family of 4, lease from 16 March 2026 (lease signed); a child joins on
                   3 August 2026, so in 2026-II
                 couple, lease from 30 June 2026, the last day of the half-year (housed)
                 family of 3 housed in December 2025 (2025-II); a child joins on
                   20 January 2026, so 1 person in 2026-I but no household
                 couple, lease from 1 July 2026 (2026-II)
                 single still waiting for the lease (accepted): not counted yet
    Papendrecht  family of 3 linked to Zwijndrecht, housed in Papendrecht from 1 April 2026
    Dordrecht    couple, lease from 1 May 2026 (the central municipality)
    Sliedrecht   family of 4, lease from 1 March 2026 (Sliedrecht does not participate)

Realised in 2026-I (counted where the dwelling is, on the day the lease starts):
    Zwijndrecht  5 + 4 + 2 + 1 = 12 persons in 3 households
    Papendrecht  3 persons in 1 household
    Dordrecht    2 persons in 1 household
Realised in 2026-II: Zwijndrecht 2 + 1 = 3 persons in 1 household, the others nothing.
"""

from __future__ import annotations

import datetime
import io
import itertools
from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation
from django.utils.translation import gettext, ngettext
from pypdf import PdfReader

from billing import services
from billing.models import CostKey, Invoice, InvoiceRun
from placement.models import Household, Nomination, Vacancy
from quota.models import QuotaPeriod, QuotaTarget
from tests.factories import PersonFactory
from tests.placement.placement_builders import accepted_vacancy, household

# The app runs "today" as late November 2026: both half-years of 2026 have ended.
TODAY = datetime.date(2026, 11, 27)
ISSUED_ON = datetime.date(2026, 7, 15)
_serial = itertools.count(1)


def period(year: int, half: int) -> QuotaPeriod:
    return QuotaPeriod.objects.get_or_create(year=year, half=half)[0]


def placement(
    world,
    *,
    municipality,
    persons: int,
    lease_start: datetime.date,
    status: str = Nomination.Status.HOUSED,
    linked=None,
) -> Nomination:
    """A household of ``persons`` placed in a dwelling in ``municipality``: a nomination with
    its lease (and, when housed, the move-in on the day the lease starts)."""
    family = household(
        world,
        persons=persons,
        municipality=linked or municipality,
        status=Household.Status.HOUSED,
    )
    vacancy = accepted_vacancy(
        world,
        municipality=municipality,
        status=Vacancy.Status.LET,
        street=f"Kerkstraat {next(_serial)}",
    )
    housed = status == Nomination.Status.HOUSED
    return Nomination.objects.create(
        vacancy=vacancy,
        household=family,
        status=status,
        lease_signed_on=lease_start - datetime.timedelta(days=10),
        lease_start=lease_start,
        move_in_date=lease_start if housed else None,
        nominated_by=world.coordinator,
    )


def joins_later(nomination: Nomination, *, arrival: datetime.date):
    """A child who arrives after the household was housed (nareiziger)."""
    n = next(_serial)
    return PersonFactory(
        household=nomination.household,
        role="child",
        full_name=f"Rami Nassar-{n:03d}",
        date_of_birth=datetime.date(2017, 4, 2),
        v_number=f"{7700000000 + n}",
        present=True,
        arrival_date=arrival,
    )


def worked_example(world) -> SimpleNamespace:
    """The placements of the module docstring; returns the households."""
    for year, half in ((2025, 2), (2026, 1), (2026, 2)):
        period(year, half)
    zw, pa, dd = world.zwijndrecht, world.papendrecht, world.dordrecht
    five = placement(world, municipality=zw, persons=5, lease_start=datetime.date(2026, 2, 1))
    four = placement(
        world,
        municipality=zw,
        persons=4,
        lease_start=datetime.date(2026, 3, 16),
        status=Nomination.Status.LEASE_SIGNED,
    )
    joins_later(four, arrival=datetime.date(2026, 8, 3))
    couple = placement(world, municipality=zw, persons=2, lease_start=datetime.date(2026, 6, 30))
    december = placement(world, municipality=zw, persons=3, lease_start=datetime.date(2025, 12, 1))
    joins_later(december, arrival=datetime.date(2026, 1, 20))
    july = placement(world, municipality=zw, persons=2, lease_start=datetime.date(2026, 7, 1))
    waiting = Nomination.objects.create(
        vacancy=accepted_vacancy(world, municipality=zw, street="Burgemeester Jansenlaan 1"),
        household=household(world, persons=1, municipality=zw),
        status=Nomination.Status.ACCEPTED,
        nominated_by=world.coordinator,
    )
    papendrecht = placement(
        world, municipality=pa, persons=3, lease_start=datetime.date(2026, 4, 1), linked=zw
    )
    dordrecht = placement(world, municipality=dd, persons=2, lease_start=datetime.date(2026, 5, 1))
    sliedrecht = placement(
        world, municipality=world.sliedrecht, persons=4, lease_start=datetime.date(2026, 3, 1)
    )
    households = [
        n.household
        for n in (five, four, couple, december, july, waiting, papendrecht, dordrecht, sliedrecht)
    ]
    return SimpleNamespace(households=households, papendrecht_family=papendrecht.household)


def quota_targets(world, the_period: QuotaPeriod, **targets: int) -> None:
    """Net targets by municipality attribute name, e.g. ``zwijndrecht=48``."""
    for name, net_target in targets.items():
        QuotaTarget.objects.create(
            period=the_period, municipality=getattr(world, name), net_target=net_target
        )


def cost_key(world, method: str, *, year: int = 2026, **amounts) -> CostKey:
    return CostKey.objects.create(
        region=world.drecht,
        year=year,
        method=method,
        **{name: Decimal(value) for name, value in amounts.items()},
    )


def run_period(world, year: int = 2026, half: int = 1) -> InvoiceRun:
    """Bill a period as finance would: once it has ended (for 2026-II: on 1 January 2027)."""
    billed = period(year, half)
    today = max(TODAY, billed.end + datetime.timedelta(days=1))
    return services.invoice_run_create(
        region=world.drecht, period=billed, by=world.finance, today=today
    )


def invoice_for(run: InvoiceRun, municipality) -> Invoice:
    return run.invoices.get(municipality=municipality, kind=Invoice.Kind.INVOICE)


def total(invoice: Invoice) -> Decimal:
    return services.invoice_total(invoice)


def nl(message: str) -> str:
    """``message`` as the Dutch interface shows it (the catalogue's translation, if any)."""
    with translation.override("nl"):
        return gettext(message)


def nl_plural(singular: str, plural: str, n: int) -> str:
    with translation.override("nl"):
        return ngettext(singular, plural, n) % {"n": n}


def pdf_text(response) -> str:
    """All text of the PDF, with runs of whitespace (line breaks in cells) made single."""
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
