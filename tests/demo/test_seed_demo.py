"""``seed_demo``: the demo scale's households and leases as they were, the bulk scales
idempotent, and the national code path (generated regions, bulk inserts, refusals, invoices) at
small numbers. The story the demo tells with them (meetings, billing): test_demo_story.py."""

import io

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db.models import Count, F, Q
from django.utils import timezone

from billing.models import InvoiceRun
from demo import scales
from demo.bulk import BulkSeeder
from placement.models import Household, Nomination, Person, Vacancy
from quota.models import QuotaPeriod
from regions.models import Municipality, Region


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, Municipality, Household, Person, Vacancy, Nomination, InvoiceRun)
    }


def wrong_sizes():
    """Households whose stored sizes do not match their members."""
    return (
        Household.objects.annotate(
            present=Count("members", filter=Q(members__present=True)), all=Count("members")
        )
        .exclude(size=F("present"), expected_size=F("all"))
        .count()
    )


def test_the_demo_scale_is_as_it_was(db):
    call_command("seed_demo", stdout=io.StringIO())
    found = counts()
    # The refusals before some leases and the periods billed depend on today's date (the
    # meetings of the past year; the periods that have ended): tests/demo/test_demo_story.py.
    refusals, runs = found.pop("Nomination") - 98, found.pop("InvoiceRun")

    assert found == {
        "Region": 2,
        "Municipality": 10,
        "Household": 310,  # 220 Drechtsteden + 90 Woerden e.o.
        "Person": 829,
        "Vacancy": 146,  # 40 + 15 offered, and 91 let dwellings behind the leases
    }
    # 91 leases, 7 open nominations (4 + 3), and the refusals.
    assert Nomination.objects.filter(status__in=["lease_signed", "housed"]).count() == 91
    assert Nomination.objects.filter(status="nominated").count() == 7
    assert refusals == Nomination.objects.filter(status="refused").count() > 0
    ended = [p for p in QuotaPeriod.objects.all() if p.end < timezone.localdate()]
    assert runs == 2 * len(ended)
    assert wrong_sizes() == 0


def test_the_small_scale_runs_and_is_idempotent(db):
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())

    assert counts() == first
    assert first["Region"] == 3 and first["Household"] == 310 + 120
    assert not Household.objects.filter(reference__startswith="NEW-").exists()
    assert wrong_sizes() == 0
    household = Household.objects.filter(linked_municipality__region__code="RR").earliest("pk")
    assert household.reference == f"RR-{household.link_date.year}-{household.pk:05d}"


def test_the_national_scale_has_the_asked_sizes():
    scale = scales.build("national")

    assert len(scale.regions) == 25
    assert sum(len(spec.municipalities) for spec in scale.regions) == 346
    assert sum(spec.households for spec in scale.regions) == 60_000
    assert scale.regions[0].code == "DS" and scale.regions[0].households == 22_000
    assert len({m.cbs_code for spec in scale.regions for m in spec.municipalities}) == 346
    assert scale.quota_periods[0] == (2022, 1) and scale.quota_periods[-1] == (2026, 2)
    assert len(scale.quota_periods) == 10


@pytest.mark.parametrize("regions,municipalities,households", [(2, 5, 60), (3, 7, 90)])
def test_the_national_code_path_at_small_numbers(db, regions, municipalities, households):
    scale = scales.build(
        "national",
        regions=regions,
        municipalities=municipalities,
        households=households,
        metropolitan=300,
    )
    BulkSeeder(scale, io.StringIO(), no_style()).run()
    first = counts()
    BulkSeeder(scale, io.StringIO(), no_style()).run()

    assert counts() == first
    generated = Region.objects.exclude(code__in=["DS", "WO"])
    assert generated.count() == regions
    assert Municipality.objects.filter(region__in=generated).count() == municipalities
    in_generated = Household.objects.filter(linked_municipality__region__in=generated)
    assert in_generated.count() == households
    # Drechtsteden is the large pool; it starts with the demo's own households.
    assert Household.objects.filter(linked_municipality__region__code="DS").count() == 300
    assert Person.objects.filter(v_number="2605000001").exists()
    assert Nomination.objects.filter(status="refused").exclude(refusal_reason="").exists()
    assert QuotaPeriod.objects.count() == 10
    # Every ended period billed once per region (the demo's periods end in 2026-II).
    assert InvoiceRun.objects.filter(region__in=generated).exists()
    assert wrong_sizes() == 0
