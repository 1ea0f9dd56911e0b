"""Builders shared by the quota tests (not a test module).

A placement here is what the counting rule looks at: a nomination of a household for a vacancy,
with the dates the desk records (lease signed, lease start, move-in, reported to COA) and the
household's members: present from the start, joined later on an arrival date (nareiziger), or
still expected (not present).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from html.parser import HTMLParser

from django.utils import translation

from placement.models import Household, Nomination, Vacancy
from quota.models import QuotaPeriod, QuotaTarget
from regions.models import Organisation
from tests.factories import HouseholdFactory, PersonFactory, VacancyFactory

ROLES = ("main", "partner", "child", "child", "child", "child", "other", "other")
_serial = itertools.count(1)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def placement(
    *,
    dwelling,
    linked=None,
    persons: int = 1,
    status: str = Nomination.Status.HOUSED,
    lease_signed_on: str | None = None,
    lease_start: str | None = None,
    move_in: str | None = None,
    reported: str | None = None,
    joined: Sequence[str] = (),
    expected: int = 0,
    reference: str | None = None,
    refusal_reason: str = "",
) -> Nomination:
    """A household of ``persons`` present members (plus one member per date in ``joined``, who
    arrived on that date, and ``expected`` members not arrived yet), linked to ``linked`` (the
    dwelling's municipality unless given), nominated for a dwelling in ``dwelling``.

    ``lease_signed_on`` defaults to the lease start: the database wants both once a lease is
    signed."""
    n = next(_serial)
    household = HouseholdFactory(
        reference=reference or f"Q-{n:05d}",
        linked_municipality=linked or dwelling,
        status={
            Nomination.Status.HOUSED: Household.Status.HOUSED,
            Nomination.Status.LEASE_SIGNED: Household.Status.LEASE_SIGNED,
            Nomination.Status.VIEWING: Household.Status.VIEWING,
        }.get(status, Household.Status.NOMINATED),
    )
    for role in ROLES[:persons]:
        PersonFactory(household=household, role=role)
    for arrival in joined:
        PersonFactory(household=household, role="child", arrival_date=d(arrival))
    for _ in range(expected):
        PersonFactory(household=household, role="child", present=False, v_number="")
    # The first corporation by name: Trivire in the Drechtsteden, GroenWest around Woerden.
    corporation = Organisation.objects.filter(region=dwelling.region_id, kind="corporation")[0]
    vacancy = VacancyFactory(
        corporation=corporation,
        municipality=dwelling,
        street=f"Voorstraat {n}",
        status=Vacancy.Status.LET
        if status in (Nomination.Status.LEASE_SIGNED, Nomination.Status.HOUSED)
        else Vacancy.Status.NOMINATED,
    )
    return Nomination.objects.create(
        vacancy=vacancy,
        household=household,
        status=status,
        lease_signed_on=d(signed) if (signed := lease_signed_on or lease_start) else None,
        lease_start=d(lease_start) if lease_start else None,
        move_in_date=d(move_in) if move_in else None,
        reported_to_coa_on=d(reported) if reported else None,
        refusal_reason=refusal_reason,
    )


def own_home(
    world,
    registered_in,
    *,
    persons: int = 1,
    day: str,
    linked=None,
    joined: Sequence[str] = (),
    expected: int = 0,
    reference: str | None = None,
    link_date: str = "2026-01-05",
) -> Household:
    """A household that found its own home, registered in ``registered_in`` on ``day``."""
    n = next(_serial)
    household = HouseholdFactory(
        reference=reference or f"E-{n:05d}",
        linked_municipality=linked or registered_in,
        link_date=d(link_date),
        status=Household.Status.OWN_HOME,
        own_home_municipality=registered_in,
        own_home_date=d(day),
    )
    for role in ROLES[:persons]:
        PersonFactory(household=household, role=role)
    for arrival in joined:
        PersonFactory(household=household, role="child", arrival_date=d(arrival))
    for _ in range(expected):
        PersonFactory(household=household, role="child", present=False, v_number="")
    return household


def period(year: int, half: int) -> QuotaPeriod:
    return QuotaPeriod.objects.create(year=year, half=half)


def target(
    period_: QuotaPeriod, municipality, net: int, *, override=None, reason=""
) -> QuotaTarget:
    return QuotaTarget.objects.create(
        period=period_,
        municipality=municipality,
        net_target=net,
        opening_override=override,
        override_reason=reason,
    )


def drechtsteden_example(world) -> tuple[QuotaPeriod, QuotaPeriod]:
    """The worked example of tests/quota/test_views.py's docstring: targets for 2026-I and
    2026-II and four placements (two counted in Dordrecht, one nominated, one lease signed in
    Papendrecht). Returns the two periods."""
    first, second = period(2026, 1), period(2026, 2)
    target(first, world.dordrecht, 12)
    target(second, world.dordrecht, 8)
    target(second, world.papendrecht, 9)
    target(second, world.zwijndrecht, 5)
    placement(
        reference="DS-2026-001",
        dwelling=world.dordrecht,
        linked=world.zwijndrecht,
        persons=4,
        lease_signed_on="2026-06-10",
        lease_start="2026-06-20",
        move_in="2026-07-03",
    )
    placement(
        reference="DS-2026-002",
        dwelling=world.dordrecht,
        persons=3,
        lease_start="2026-09-01",
        move_in="2026-09-02",
        joined=["2026-10-15"],
    )
    placement(
        reference="DS-2026-003",
        dwelling=world.dordrecht,
        persons=2,
        status=Nomination.Status.NOMINATED,
    )
    placement(
        reference="DS-2026-004",
        dwelling=world.papendrecht,
        persons=2,
        status=Nomination.Status.LEASE_SIGNED,
        lease_signed_on="2026-10-20",
        lease_start="2026-11-01",
    )
    return first, second


def nl(message: str) -> str:
    """The Dutch interface text for ``message``, as the catalogue has it now (so the tests do
    not break while the translations are being completed)."""
    with translation.override("nl"):
        return translation.gettext(message)


class _Tables(HTMLParser):
    """Collects the rows of the table with the given id: one list of cell texts per row."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.depth = 0  # > 0 while inside the wanted table
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response, table_id: str) -> list[list[str]]:
    """The rows of ``<table id=table_id>`` as the user reads them (header row included)."""
    parser = _Tables(table_id)
    parser.feed(response.content.decode())
    return parser.rows


def row_for(response, table_id: str, first_cell: str) -> list[str]:
    rows = [r for r in table_rows(response, table_id) if r and r[0] == first_cell]
    assert len(rows) == 1, f"{first_cell!r} in #{table_id}: {table_rows(response, table_id)}"
    return rows[0]
