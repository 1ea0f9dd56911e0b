"""The quota as the province sees it (issue 13, section 1): Pien, province officer of
Zuid-Holland, reads the ledger of her province's municipalities in every region they are in,
counts only; Ulla (Utrecht) hers. Nobody of a province sees the households behind a number.

The Drechtsteden as in ``test_views.py`` (all of it Zuid-Holland), and Woerden e.o., which spans
two provinces, on Friday 27 November 2026 (in 2026-II), counted on the lease start for the
dwelling's municipality:

    targets 2026-II    Woerden (Utrecht) 7, Bodegraven-Reeuwijk (Zuid-Holland) 4
    placements         WO-2026-001  5 persons in Woerden, lease from 1 Sep
                       WO-2026-002  3 persons in Bodegraven-Reeuwijk, lease from 1 Oct

    Pien, Woerden e.o.  net  opening  adjusted  realised  remaining  per month  nom. lease closing
    Bodegraven-R.         4      0        4         3         1        0,5       0     0     -1
    Zuid-Holland in
    this region           4      0        4         3         1                  0     0     -1
                                 (per month: 1 person over Nov and Dec = 0,5)
    Woerden (Utrecht) is not in it: 7, 0, 7, 5, 2, 1,0, 0, 0, -2 is Ulla's and Otto's row.

    Pien, Drechtsteden: the coordinator's rows (Dordrecht -12, Papendrecht -7, Zwijndrecht -5;
    total adjusted 30, realised 6, remaining 24, pipeline 2 nominated).
"""

from __future__ import annotations

import csv
import io
import sys
from types import SimpleNamespace

import pytest
from django.urls import reverse

from regions.models import Municipality, Region
from tests.factories import MunicipalityFactory, RegionFactory
from tests.regions.province_builders import add_provinces

from .quota_builders import d, drechtsteden_example, nl, placement, row_for, table_rows, target

TODAY = d("2026-11-27")


@pytest.fixture(autouse=True)
def on_27_november_2026(monkeypatch):
    today = SimpleNamespace(localdate=lambda: TODAY)
    monkeypatch.setattr("quota.views.timezone", today)
    monkeypatch.setattr("exchange.exports.timezone", today)
    # ``placement.views.dashboard`` is also the name of the view: patch the module itself.
    monkeypatch.setattr(sys.modules["placement.views.dashboard"], "local_today", lambda: TODAY)


@pytest.fixture
def provinces(world):
    add_provinces(world)
    # A region wholly in Utrecht: no municipality of Pien's in it.
    world.utrecht_west = RegionFactory(name="Utrecht-West", code="UW")
    world.stichtse_vecht = MunicipalityFactory(
        region=world.utrecht_west,
        name="Stichtse Vecht",
        cbs_code="GM1904",
        province=world.utrecht,
    )
    # The Drechtsteden of test_views.py.
    _first, second = drechtsteden_example(world)
    # Woerden e.o.
    target(second, world.woerden, 7)
    target(second, world.bodegraven, 4)
    placement(
        reference="WO-2026-001",
        dwelling=world.woerden,
        persons=5,
        lease_start="2026-09-01",
        move_in="2026-09-05",
    )
    placement(
        reference="WO-2026-002",
        dwelling=world.bodegraven,
        persons=3,
        lease_start="2026-10-01",
        move_in="2026-10-03",
    )
    return world


def dashboard(client, **params):
    response = client.get(reverse("quota_dashboard"), params)
    assert response.status_code == 200
    return response


def names(response) -> list[str]:
    return [r[0] for r in table_rows(response, "quota-table")[1:-1]]


def test_pien_opens_on_the_first_region_and_may_choose_the_other(provinces, client_for):
    client = client_for(provinces.province_officer)

    response = dashboard(client)

    assert response.context["ledger"].region == provinces.drecht
    assert [r.name for r in response.context["regions"]] == ["Drechtsteden", "Woerden e.o."]
    html = response.content.decode()
    assert 'name="region"' in html  # the region selector: her province spans two regions
    assert names(response) == ["Dordrecht", "Papendrecht", "Zwijndrecht"]
    assert row_for(response, "quota-table", "Dordrecht")[1:] == [
        "8", "-8", "16", "4", "12", "6,0", "2", "0", "-12",
    ]  # fmt: skip


def test_in_woerden_eo_pien_sees_only_bodegraven_reeuwijk(provinces, client_for):
    response = dashboard(client_for(provinces.province_officer), region=provinces.woerden_region.pk)

    assert names(response) == ["Bodegraven-Reeuwijk"]
    assert row_for(response, "quota-table", "Bodegraven-Reeuwijk")[1:] == [
        "4", "0", "4", "3", "1", "0,5", "0", "0", "-1",
    ]  # fmt: skip
    total = nl("%(province)s in this region") % {"province": "Zuid-Holland"}
    # The total is of her municipalities only, not of the region (Woerden's 7 and 5 left out).
    assert row_for(response, "quota-table", total)[1:] == [
        "4", "0", "4", "3", "1", "", "0", "0", "-1",
    ]  # fmt: skip
    assert "Woerden</a>" not in response.content.decode()


def test_ulla_of_utrecht_sees_woerden_but_not_bodegraven(provinces, client_for):
    response = dashboard(client_for(provinces.utrecht_officer))

    # Two regions hold Utrecht municipalities (Utrecht-West without targets yet): both offered.
    assert [r.name for r in response.context["regions"]] == ["Utrecht-West", "Woerden e.o."]
    response = dashboard(client_for(provinces.utrecht_officer), region=provinces.woerden_region.pk)
    assert names(response) == ["Woerden"]
    assert row_for(response, "quota-table", "Woerden")[1:] == [
        "7", "0", "7", "5", "2", "1,0", "0", "0", "-2",
    ]  # fmt: skip


def test_pien_sees_counts_but_no_link_to_the_households_behind_them(provinces, client_for):
    client = client_for(provinces.province_officer)
    html = dashboard(client).content.decode()

    drilldown = reverse("quota_drilldown", args=[provinces.dordrecht.pk, "2026-2"])
    assert drilldown not in html
    assert reverse("quota_relinks") not in html
    assert "DS-2026-001" not in html
    # The municipality page: its history, counts only.
    page = client.get(reverse("quota_municipality", args=[provinces.dordrecht.pk]))
    assert page.status_code == 200
    assert reverse("quota_drilldown", args=[provinces.dordrecht.pk, "2026-2"]) not in (
        page.content.decode()
    )
    # And the rows themselves are refused, whatever she types.
    assert client.get(drilldown).status_code == 403
    assert client.get(reverse("quota_relinks")).status_code == 403
    assert client.get(reverse("export_relinks")).status_code == 403


def test_the_coordinator_still_links_to_the_rows(provinces, client_for):
    html = dashboard(client_for(provinces.coordinator)).content.decode()

    assert reverse("quota_drilldown", args=[provinces.dordrecht.pk, "2026-2"]) in html
    assert reverse("quota_relinks") in html
    assert 'name="region"' not in html  # one region: no selector


@pytest.mark.parametrize("tampered", ["utrecht_west", "not a number", "99999"])
def test_a_region_outside_her_province_is_not_found(provinces, client_for, tampered):
    region = str(provinces.utrecht_west.pk) if tampered == "utrecht_west" else tampered
    client = client_for(provinces.province_officer)

    assert client.get(reverse("quota_dashboard"), {"region": region}).status_code == 404
    export = client.get(reverse("export_quota"), {"region": region, "format": "csv"})
    assert export.status_code == 404


def test_a_municipality_outside_her_province_is_not_found(provinces, client_for):
    client = client_for(provinces.province_officer)

    for municipality in (provinces.woerden, provinces.stichtse_vecht, provinces.sliedrecht):
        url = reverse("quota_municipality", args=[municipality.pk])
        assert client.get(url).status_code == 404, municipality
    assert (
        client.get(reverse("quota_municipality", args=[provinces.bodegraven.pk])).status_code == 200
    )


def test_others_ignore_the_region_parameter(provinces, client_for):
    """Only a province chooses among regions: Carla's page stays her own region's."""
    response = dashboard(client_for(provinces.coordinator), region=provinces.woerden_region.pk)

    assert response.context["ledger"].region == provinces.drecht


def test_the_export_holds_her_municipalities_of_the_region_chosen(provinces, client_for):
    response = client_for(provinces.province_officer).get(
        reverse("export_quota"), {"region": provinces.woerden_region.pk, "format": "csv"}
    )

    assert response.status_code == 200
    text = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [
        "Bodegraven-Reeuwijk",
        nl("%(province)s in region %(name)s")
        % {"province": "Zuid-Holland", "name": "Woerden e.o."},
    ]
    header = rows[0]
    realised = header.index(nl("Realised"))
    remaining = header.index(nl("Remaining"))
    assert [(r[realised], r[remaining]) for r in rows[1:]] == [("3", "1"), ("3", "1")]


def test_her_overview_sums_up_each_region(provinces, client_for):
    response = client_for(provinces.province_officer).get(reverse("dashboard"))

    assert response.status_code == 200
    rows = table_rows(response, "province-quota")
    # region, period, municipalities, adjusted, realised, remaining, pipeline, behind
    assert rows[1:] == [
        ["Drechtsteden", "2026-II", "3", "30", "6", "24", "2", "3"],
        ["Woerden e.o.", "2026-II", "1", "4", "3", "1", "0", "1"],
    ]
    html = response.content.decode()
    assert f"{reverse('quota_dashboard')}?region={provinces.woerden_region.pk}" in html
    # Nothing of the pool on her overview.
    assert 'id="count-open"' not in html
    assert "DS-2026" not in html


def test_a_province_without_municipalities_shows_an_empty_state(world, client_for):
    add_provinces(world)
    Municipality.objects.filter(province=world.zuid_holland).update(province=None)

    client = client_for(world.province_officer)
    response = client.get(reverse("quota_dashboard"))
    assert response.status_code == 200
    assert 'id="no-municipalities"' in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("export_quota"), {"format": "csv"}).status_code == 404
    assert Region.objects.count() == 2  # nothing was made for her
