"""Bench-only: count the database queries and the server time of each request.

Enabled by ``BENCH_QUERY_COUNT=1`` in bench.settings only; it sits first in the middleware, so
the count includes the session, the user and every other middleware's queries. A request with
an ``X-Bench-Explain: <name>`` header also has its slowest SELECT explained (EXPLAIN ANALYZE,
BUFFERS) into $BENCH_EXPLAIN_DIR/<name>.txt (the runner sets it), for docs/PERFORMANCE.md.
"""

import os
import re
import time
from pathlib import Path

from django.conf import settings
from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0
        slowest = (0.0, "", None)

        def counter(execute, sql, params, many, context):
            nonlocal count, slowest
            count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                ms = (time.perf_counter() - started) * 1000
                if ms > slowest[0] and sql.lstrip().upper().startswith("SELECT"):
                    slowest = (ms, sql, params)

        started = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        response["X-Server-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
        name = request.headers.get("X-Bench-Explain", "")
        if name and slowest[1] and re.fullmatch(r"[a-z0-9_-]{1,60}", name):
            self.explain(name, *slowest)
        return response

    @staticmethod
    def explain(name: str, ms: float, sql: str, params) -> None:
        with connections["default"].cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        folder = Path(os.environ.get("BENCH_EXPLAIN_DIR", settings.BASE_DIR / "var/bench/explain"))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.txt").write_text(f"-- {ms:.1f} ms in the request\n{sql}\n\n{plan}\n")
