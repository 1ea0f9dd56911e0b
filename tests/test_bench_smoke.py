"""Smoke run of the shipped benchmark (bench/run.py, docs/PERFORMANCE.md) at demo size.

It builds its own scratch database (``bench_smoke``) next to the test database, serves the app
with gunicorn on a loopback port and checks that the table has every row, with figures that
make sense: pages answer, the admin and the bare view were measured, the load test ran without
errors. PostgreSQL only (the bench creates a database); a few requests per page and a 5 s /
5 users load test keep it short.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import COLUMNS, PAGES, ROLES

BASE_DIR = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = pytest.mark.skipif(not POSTGRES, reason="the bench needs PostgreSQL")


def parse_table(output: str) -> list[dict[str, str]]:
    lines = [line for line in output.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == COLUMNS
    return [
        dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
        for line in lines[1:]
    ]


def number(text: str) -> float:
    assert re.fullmatch(r"[\d,]+(\.\d+)?", text), text
    return float(text.replace(",", ""))


@pytest.fixture(scope="module")
def output():
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--scale",
            "demo",
            "--database",
            "bench_smoke",
            "--requests",
            "2",
            "--users",
            "5",
            "--duration",
            "5",
            "--think",
            "0.5",
        ],
        cwd=BASE_DIR,
        env={**os.environ, "BENCH_PLAIN_STATIC": "1"},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def table(output):
    return parse_table(output)


def test_every_page_and_role_has_a_row(table):
    pages = {(row["what"], row["role"]): row for row in table}
    for label, _, _ in PAGES:
        for role in ROLES:
            assert (label, role) in pages, (label, role)
    # The coordinator sees every main page but the invoices (finance's page); each was timed,
    # counted and compared with the admin's page for the same rows.
    for label, _, _ in PAGES:
        row = pages[(label, "finance" if label == "invoices" else "coordinator")]
        assert row["status"] == "200", row
        assert 0 < number(row["median ms"]) <= number(row["p95 ms"])
        assert int(row["queries"]) > 0
        assert number(row["admin ms"]) > 0 and int(row["admin q"]) > 0
        assert number(row["app/admin"]) == pytest.approx(
            number(row["median ms"]) / number(row["admin ms"]), abs=0.01
        )
        assert number(row["app/bare"]) > 0


def test_bare_view_matching_and_pdf_rows(table):
    rows = {(row["what"], row["role"]): row for row in table}
    for role in ROLES:
        assert rows[("bare view", role)]["status"] == "200"
    for what, role in [
        ("ranking", "coordinator"),
        ("proposal", "coordinator"),
        ("agenda PDF", "coordinator"),
        ("invoice PDF", "finance"),
    ]:
        row = rows[(what, role)]
        assert row["status"] == "200", row
        assert number(row["median ms"]) > 0


def test_load_rows_without_errors(table):
    loads = [row for row in table if row["what"].startswith("load: ")]
    assert [row["what"].split(" (")[0] for row in loads] == [
        "load: app mix",
        "load: admin mix",
        "load: app mix, 0.5 s per page",
    ]
    for row in loads:
        failures, requests = (int(part) for part in row["errors"].split("/"))
        assert requests > 0 and failures == 0, row
        assert number(row["req/s"]) > 0


def test_explain_of_the_slowest_query_per_page(output):
    report = BASE_DIR / "var" / "bench" / "explain-bench_smoke.md"
    assert f"EXPLAIN of the slowest query per page: {report.relative_to(BASE_DIR)}" in output
    text = report.read_text()
    for title in ("## pool (coordinator): ", "## agenda PDF (coordinator): "):
        section = text.split(title, 1)[1].split("\n## ", 1)[0]
        assert "SELECT" in section and "Execution Time:" in section, section[:500]
