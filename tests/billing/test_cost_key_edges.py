"""Cost key edges (issue 10, section 7): ties by municipality name, not by primary key as text;
no silent 0.00 invoice under a split by share of the quota; population per year.

Worked examples by hand:

- 0.03 split over two equal weights: 1.5 cents each, 1 + 1 rounded down, the cent left is a
  tie and goes to the name first in the alphabet. Keys "10" and "2" as text put "10" first;
  by name Alblasserdam (pk 2) comes before Zwijndrecht (pk 10): Alblasserdam gets 0.02.
- A budget of 24,000.00 a year, 12,000.00 for 2026-I, by share of the quota with Zwijndrecht
  30 and Dordrecht 10 and Papendrecht without a target: 9,000.00 / 3,000.00 and no invoice for
  Papendrecht, but a warning on the run.
- Population per year: in 2026 Zwijndrecht 45,000 and Papendrecht 32,000 and Dordrecht
  120,000 on 1 January; the current figures (50,000 each) do not matter for 2026.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from billing import cost_keys
from billing.cost_keys import largest_remainder
from billing.models import Invoice
from quota.ledger import build_ledger
from regions.models import Municipality, MunicipalityPopulation, population_in
from tests.factories import MunicipalityFactory, RegionFactory

from .billing_builders import TODAY, cost_key, nl, period, quota_targets, run_period


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_tied_cent_goes_by_municipality_name_not_by_key_as_text():
    parts = largest_remainder(
        Decimal("0.03"), {"2": 1, "10": 1}, names={"2": "Alblasserdam", "10": "Zwijndrecht"}
    )

    assert parts == {"2": Decimal("0.02"), "10": Decimal("0.01")}


def test_the_population_split_breaks_a_tie_by_name_with_pks_2_and_10(db):
    region = RegionFactory(name="Alblasserwaard", code="AW")
    # Primary keys 2 and 10: as text "10" sorts before "2"; by name Alblasserdam comes first.
    Municipality.objects.filter(pk__in=[2, 10]).delete()
    alblasserdam = MunicipalityFactory(
        pk=2, region=region, name="Alblasserdam", cbs_code="GM0482", population=20_000
    )
    zwijndrecht = MunicipalityFactory(
        pk=10, region=region, name="Zwijndrecht", cbs_code="GM0642", population=20_000
    )
    region.central_municipality = alblasserdam
    region.save()
    key = cost_keys.CostKey(region=region, year=2026, method="population_share")
    key.budget = Decimal("0.06")  # 0.03 for half-year I

    result = cost_keys.shares(
        cost_key=key,
        period=period(2026, 1),
        municipalities=[alblasserdam, zwijndrecht],
        ledger=build_ledger(region=region, today=TODAY),
    )

    assert (result[2].amount, result[10].amount) == (Decimal("0.02"), Decimal("0.01"))


def test_a_municipality_without_a_quota_target_gets_no_silent_zero_invoice(world, client_for):
    first = period(2026, 1)
    quota_targets(world, first, zwijndrecht=30, dordrecht=10)  # Papendrecht: no target
    cost_key(world, "quota_share", budget="24000.00")

    run = run_period(world)

    invoices = {i.municipality.name: i for i in run.invoices.filter(kind=Invoice.Kind.INVOICE)}
    assert list(invoices) == ["Zwijndrecht"]  # Dordrecht is central; Papendrecht: no invoice
    assert invoices["Zwijndrecht"].lines.get().amount == Decimal("9000.00")
    assert run.central_share == Decimal("3000.00")
    assert "Papendrecht" in run.warnings
    page = client_for(world.finance).get(reverse("billing_run", args=[run.pk]))
    html = page.content.decode()
    assert 'id="run-warnings"' in html
    assert "Papendrecht" in html.split('id="run-warnings"')[1].split("</div>")[0]


def test_a_target_of_zero_is_named_on_the_run_too(world):
    first = period(2026, 1)
    quota_targets(world, first, zwijndrecht=30, dordrecht=10, papendrecht=0)
    cost_key(world, "quota_share", budget="24000.00")

    run = run_period(world)

    assert not run.invoices.filter(municipality=world.papendrecht).exists()
    (warning,) = run.warning_list
    assert "Papendrecht" in warning and "0" in warning


def test_every_target_set_gives_no_warning(world):
    quota_targets(world, period(2026, 1), zwijndrecht=30, dordrecht=10, papendrecht=10)
    cost_key(world, "quota_share", budget="24000.00")

    run = run_period(world)

    assert run.warnings == ""
    assert run.invoices.count() == 2


def test_population_comes_from_the_year_of_the_cost_key(world):
    for municipality, population in (
        (world.dordrecht, 120_000),
        (world.zwijndrecht, 45_000),
        (world.papendrecht, 32_000),
    ):
        MunicipalityPopulation.objects.create(
            municipality=municipality, year=2026, population=population
        )
        # A later year's figure must not be used for 2026.
        MunicipalityPopulation.objects.create(
            municipality=municipality, year=2027, population=population + 1_000
        )
    cost_key(world, "population_share", budget="19700.00")  # 9,850.00 per half-year

    run = run_period(world)

    # 9,850.00 x 45,000 / 197,000 = 2,250.00 ; x 32,000 / 197,000 = 1,600.00 ; Dordrecht 6,000.00
    zwijndrecht = run.invoices.get(municipality=world.zwijndrecht).lines.get()
    papendrecht = run.invoices.get(municipality=world.papendrecht).lines.get()
    assert (zwijndrecht.amount, papendrecht.amount) == (Decimal("2250.00"), Decimal("1600.00"))
    assert run.central_share == Decimal("6000.00")
    assert "45.000" in zwijndrecht.description or "45,000" in zwijndrecht.description
    assert "2026" in zwijndrecht.description


def test_an_old_year_keeps_its_own_figures_after_new_ones_are_entered(world):
    for municipality, population in (
        (world.dordrecht, 100_000),
        (world.zwijndrecht, 50_000),
        (world.papendrecht, 50_000),
    ):
        MunicipalityPopulation.objects.create(
            municipality=municipality, year=2025, population=population
        )
    Municipality.objects.filter(pk=world.zwijndrecht.pk).update(population=90_000)

    figures = population_in(
        Municipality.objects.filter(region=world.drecht, participates=True), 2025
    )

    assert figures[world.zwijndrecht.pk] == (50_000, 2025)
    # For 2026 without its own row: the latest earlier CBS figure, not the current one.
    assert population_in([world.zwijndrecht], 2026)[world.zwijndrecht.pk] == (50_000, 2025)
    # Without any row: the current figure.
    current = Municipality.objects.get(pk=world.zwijndrecht.pk)
    assert population_in([current], 2024)[current.pk] == (90_000, None)


def test_the_dutch_run_page_says_check_before_issuing(world, client_for):
    quota_targets(world, period(2026, 1), zwijndrecht=30, dordrecht=10)
    cost_key(world, "quota_share", budget="24000.00")
    run = run_period(world)

    html = client_for(world.finance).get(reverse("billing_run", args=[run.pk])).content.decode()

    assert nl("Check before issuing") in html
