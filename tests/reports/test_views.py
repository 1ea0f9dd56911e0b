"""The figures page as the personas use it: Carla (desk) and Gert (Zwijndrecht) read the
figures of the Drechtsteden; Petra (partner) and Cor (corporation) have no business here; Otto
(Woerden) sees his own region and gets a 404 for the Drechtsteden."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.quota.quota_builders import table_rows
from tests.reports.reports_builders import PERIOD, half_year

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("reports_overview")


@pytest.fixture
def example(world):
    return half_year(world)


def test_coordinator_sees_every_figure(world, example, client_for):
    response = client_for(world.coordinator).get(OVERVIEW, PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    for slug in ("size", "corporation", "dwelling", "pooling", "lease", "move-in"):
        assert f'id="fig-{slug}"' in body
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body
    assert table_rows(response, "table-size")[1][1:] == ["2", "2"]
    assert table_rows(response, "table-corporation")[1] == ["Trivire", "4", "7"]
    assert table_rows(response, "table-pooling")[-1][1:] == ["2", "1", "2", "5"]
    lease_total = table_rows(response, "table-lease")[-1]
    assert lease_total[1:5] == ["5", "70", "91", "153"]
    assert table_rows(response, "table-pool")[-1][1:] == ["1", "1", "0", "1", "2", "5"]


def test_officer_sees_the_whole_region(world, example, client_for):
    response = client_for(world.officer).get(OVERVIEW, PERIOD)
    assert response.status_code == 200
    assert table_rows(response, "table-corporation")[1] == ["Trivire", "4", "7"]


@pytest.mark.parametrize("persona", ["partner", "corporation", "finance"])
def test_other_roles_are_refused(world, client_for, persona):
    user = getattr(world, persona)
    assert client_for(user).get(OVERVIEW).status_code == 403
    assert client_for(user).get(reverse("reports_drilldown", args=["size"])).status_code == 403
    assert client_for(user).get(reverse("reports_export", args=["size"])).status_code == 403


def test_outsider_gets_404_for_another_region(world, example, client_for):
    otto = client_for(world.outsider)
    drecht = {"region": world.drecht.pk, **PERIOD}
    assert otto.get(OVERVIEW, drecht).status_code == 404
    assert otto.get(reverse("reports_drilldown", args=["size"]), drecht).status_code == 404
    assert otto.get(reverse("reports_export", args=["pool"]), drecht).status_code == 404
    # His own region: none of the Drechtsteden's placements.
    own = otto.get(reverse("reports_drilldown", args=["pool"]), PERIOD)
    assert own.status_code == 200
    assert "WO-1" in own.content.decode()
    assert "P1" not in own.content.decode()


def test_an_empty_period_says_so(world, client_for):
    response = client_for(world.coordinator).get(OVERVIEW, {"kind": "year", "year": "2022"})
    assert response.status_code == 200
    assert response.content.decode().count('class="empty-figure"') == 9


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "range", "start": "31-02-2025", "end": "2025-12-31"},
        {"kind": "range", "start": "2025-12-31", "end": "2025-01-01"},
        {"kind": "range", "start": "", "end": ""},
        {"kind": "half", "half": "1999-3"},
        {"kind": "weekly"},
        {"kind": "year", "year": "abc"},
    ],
)
def test_bad_periods_are_form_errors(world, client_for, params):
    response = client_for(world.coordinator).get(OVERVIEW, params)
    assert response.status_code == 400
    assert 'id="fig-size"' not in response.content.decode()


def test_dutch_dates_are_understood(world, example, client_for):
    response = client_for(world.coordinator).get(
        OVERVIEW, {"kind": "range", "start": "01-07-2025", "end": "31-12-2025"}
    )
    assert response.status_code == 200
    assert table_rows(response, "table-corporation")[1] == ["Trivire", "4", "7"]


def test_drilldown_lists_the_rows_behind_a_bar(world, example, client_for):
    url = reverse("reports_drilldown", args=["size"])
    response = client_for(world.coordinator).get(url, {**PERIOD, "size": "1"})
    assert response.status_code == 200
    refs = [row[0] for row in table_rows(response, "drilldown-table")[1:]]
    assert sorted(refs) == ["B", "G"]
    matrix = client_for(world.coordinator).get(
        reverse("reports_drilldown", args=["pooling"]),
        {**PERIOD, "linked": world.zwijndrecht.pk, "housed_in": world.dordrecht.pk},
    )
    assert [row[0] for row in table_rows(matrix, "drilldown-table")[1:]] == ["A"]


def test_drilldown_pool_band(world, example, client_for):
    response = client_for(world.officer).get(
        reverse("reports_drilldown", args=["pool"]), {**PERIOD, "size": "1", "band": "4"}
    )
    assert [row[0] for row in table_rows(response, "drilldown-table")[1:]] == ["F"]


def test_unknown_figure_is_404(world, client_for):
    url = reverse("reports_drilldown", args=["nothing"])
    assert client_for(world.coordinator).get(url).status_code == 404


def test_figure_export_has_typed_cells(world, example, client_for):
    url = reverse("reports_export", args=["lease"])
    response = client_for(world.coordinator).get(url, {**PERIOD, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    total = rows[-1]
    assert total[2:6] == (5, 70, 91, 153)
    assert isinstance(total[2], int)
    assert float(total[7]) == 60.0


def test_drilldown_csv_streams_typed_rows(world, example, client_for):
    url = reverse("reports_drilldown", args=["size"])
    response = client_for(world.coordinator).get(url, {**PERIOD, "format": "csv"})
    assert response.streaming
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 6  # header + A, B, C, D, G
    by_ref = {row[0]: row for row in rows[1:]}
    assert by_ref["A"][6] == "2025-06-02"  # link date, ISO
    assert by_ref["A"][8] == "63"  # days to lease


def test_query_count_does_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    client = client_for(world.coordinator)
    client.get(OVERVIEW, PERIOD)  # warm caches (session, membership)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as empty:
        client.get(OVERVIEW, PERIOD)
    half_year(world)
    with django_assert_max_num_queries(len(empty.captured_queries) + 1):
        client.get(OVERVIEW, PERIOD)
