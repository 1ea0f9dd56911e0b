"""The matching benchmark runs in memory and reports machine-readable figures."""

from io import StringIO

from django.core.management import call_command


def test_bench_matching_reports_key_value_pairs():
    out = StringIO()
    call_command(
        "bench_matching",
        households=300,
        proposal_vacancies=20,
        proposal_households=100,
        repeat=1,
        stdout=out,
    )
    last = out.getvalue().strip().splitlines()[-1]
    figures = dict(pair.split("=", 1) for pair in last.split())
    for key in ("rank_ms", "proposal_ms", "optimal_score", "greedy_score"):
        assert key in figures
    assert float(figures["rank_ms"]) >= 0
    assert float(figures["proposal_ms"]) >= 0

    # Both proposals with the three figures; the exact one is at least as good, compared in
    # order: places filled, then persons housed, then total score.
    def objective(name):
        return (
            int(figures[f"{name}_places"]),
            int(figures[f"{name}_persons"]),
            float(figures[f"{name}_score"]),
        )

    assert objective("optimal") >= objective("greedy")
    assert objective("optimal")[0] == int(figures["optimal_nominations"])
