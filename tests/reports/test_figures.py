"""Each figure's arithmetic against the hand-computed half-year of ``reports_builders``."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from quota.models import CountingDate, QuotaRule
from reports import figures
from reports.forms import half_year
from tests.reports.reports_builders import AS_OF
from tests.reports.reports_builders import half_year as build_half_year

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)
PERIOD = half_year("2025-2")


def drechtsteden(world) -> figures.Scope:
    places = tuple(
        figures.Place(m.pk, m.name, m.region_id)
        for m in (world.dordrecht, world.papendrecht, world.zwijndrecht)
    )
    return figures.Scope(places=places, label="Drechtsteden")


@pytest.fixture
def example(world):
    return build_half_year(world)


def test_percentile_nearest_rank_by_hand():
    assert figures.percentile([], 50) is None
    assert figures.percentile([7], 90) == 7
    # n = 4: median at rank ceil(2) = 2, p75 at rank 3, p90 at rank ceil(3.6) = 4.
    assert [figures.percentile([97, 35, 77, 70], p) for p in (50, 75, 90)] == [70, 77, 97]
    # n = 5: ranks 3, 4, 5.
    assert [figures.percentile([153, 30, 91, 63, 70], p) for p in (50, 75, 90)] == [70, 91, 153]


def test_share_never_divides_by_zero():
    assert figures.share(0, 0) is None
    assert figures.share(2, 3) == Decimal("66.7")


def test_housed_follows_the_counting_rule(world, example):
    housed = figures.housed(drechtsteden(world), PERIOD, TODAY)
    assert sorted(h.reference for h in housed) == ["A", "B", "C", "D", "G"]
    assert sum(h.persons for h in housed) == 12  # D's child who joined later is not added


def test_counting_on_the_move_in_date_moves_the_period(world, example):
    QuotaRule.objects.create(region=world.drecht, counting_date=CountingDate.MOVE_IN)
    housed = figures.housed(drechtsteden(world), PERIOD, TODAY)
    # C has no move-in date yet; the others moved in within 2025-II.
    assert sorted(h.reference for h in housed) == ["A", "B", "D", "G"]


def test_by_size_corporation_and_dwelling_type(world, example):
    housed = figures.housed(drechtsteden(world), PERIOD, TODAY)
    assert [(r.key, r.households, r.persons) for r in figures.by_size(housed)] == [
        ("1", 2, 2),
        ("2", 1, 2),
        ("3", 1, 3),
        ("4", 0, 0),
        ("5", 1, 5),
        ("6", 0, 0),
    ]
    assert [(r.label, r.households, r.persons) for r in figures.by_corporation(housed)] == [
        ("Trivire", 4, 7),
        ("Woonbron", 1, 5),
    ]
    by_type = {r.key: r.households for r in figures.by_dwelling_type(housed)}
    assert by_type == {
        "single_family": 0,
        "apartment": 4,
        "senior": 1,
        "shared": 0,
        "flex": 0,
    }


def test_pooling_matrix(world, example):
    matrix = figures.pooling_matrix(figures.housed(drechtsteden(world), PERIOD, TODAY))
    assert [name for _pk, name in matrix.columns] == ["Dordrecht", "Papendrecht", "Zwijndrecht"]
    cells = {row.name: [count for _c, count, _l in row.cells] for row in matrix.rows}
    assert cells == {
        "Dordrecht": [1, 1, 0],
        "Papendrecht": [0, 0, 1],
        "Zwijndrecht": [1, 0, 1],
    }
    assert matrix.column_totals == [2, 1, 2]
    assert (matrix.total, matrix.in_linked, matrix.elsewhere) == (5, 2, 3)
    assert matrix.elsewhere_share == Decimal("60.0")


def test_time_from_link_to_lease(world, example):
    lease = figures.durations(figures.housed(drechtsteden(world), PERIOD, TODAY), "lease")
    total = lease.total
    assert (total.n, total.median, total.p75, total.p90) == (5, 70, 91, 153)
    assert (total.within_10, total.share_10, total.within_14, total.share_14) == (
        3,
        Decimal("60.0"),
        4,
        Decimal("80.0"),
    )
    per = {
        r.label: (r.n, r.median, r.p75, r.p90, r.within_10, r.within_14)
        for r in lease.by_municipality
    }
    assert per == {
        "Dordrecht": (2, 70, 91, 91, 1, 2),
        "Papendrecht": (1, 30, 30, 30, 1, 1),
        "Zwijndrecht": (2, 63, 153, 153, 1, 1),
    }
    assert [(r.key, r.n, r.median) for r in lease.by_size] == [
        ("1", 2, 30),  # G 30, B 91: rank 1
        ("2", 1, 70),
        ("3", 1, 63),
        ("5", 1, 153),
    ]


def test_time_from_link_to_move_in(world, example):
    move_in = figures.durations(figures.housed(drechtsteden(world), PERIOD, TODAY), "move_in")
    total = move_in.total
    assert (total.n, total.median, total.p75, total.p90) == (4, 70, 77, 97)
    assert (total.share_10, total.share_14) == (Decimal("50.0"), Decimal("100.0"))


def test_returned_and_refused(world, example):
    scope = drechtsteden(world)
    returned = figures.returned_by_reason(figures.returned_vacancies(scope, PERIOD))
    assert [(r.label, r.count, r.places) for r in returned] == [("Te groot", 2, 2), ("Vocht", 1, 1)]
    refused = {
        r.key: (r.count, r.justified, r.not_justified)
        for r in figures.refused_by_reason(figures.refused_nominations(scope, PERIOD))
    }
    assert refused["too_small"] == (2, 1, 1)
    assert refused["location"] == (1, 0, 0)
    assert sum(count for count, _j, _n in refused.values()) == 3


def test_open_pool_at_the_end_of_the_period(world, example):
    rows = figures.open_pool(drechtsteden(world), AS_OF)
    assert sorted(r["reference"] for r in rows) == ["E", "F", "P1", "P2", "P3"]
    table = figures.pool_table(rows, AS_OF)
    counts = {key: counts for key, _label, counts, _total in table.rows}
    #            0-7 8-9 10-11 12-13 14+
    assert counts["1"] == [0, 1, 0, 1, 1]  # E 8 weeks, P2 13, F 26
    assert counts["2"] == [1, 0, 0, 0, 0]  # P1 4 weeks
    assert counts["4"] == [0, 0, 0, 0, 1]  # P3 17 weeks
    assert table.band_totals == [1, 1, 0, 1, 2]
    assert (table.total, table.persons) == (5, 9)


def test_an_empty_period_gives_zeros_not_errors(world):
    scope = drechtsteden(world)
    housed = figures.housed(scope, PERIOD, TODAY)
    assert housed == []
    assert figures.durations(housed, "lease").total.median is None
    assert figures.durations(housed, "lease").total.share_10 is None
    assert figures.pooling_matrix(housed).elsewhere_share is None
    assert figures.pool_table(figures.open_pool(scope, AS_OF), AS_OF).total == 0
