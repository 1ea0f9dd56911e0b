"""Locust load test for the bench (run by bench/run.py; docs/PERFORMANCE.md).

BENCH_MIX_FILE names a JSON list of sessions: ``{"cookies": {...}, "paths": [...]}``, one per
signed-in role (the app mix) or the bench superuser (the admin mix). Each simulated user takes a
session in turn and walks its pages in order, with no think time: the figure is the server's
throughput at this many concurrent users. BENCH_THINK (seconds, default 0) makes each user
pause that long between pages, as people reading a page do: the figure is then the response
time at that use. Only 200 counts as success.
"""

import itertools
import json
import os

from locust import FastHttpUser, constant, task

SESSIONS = json.loads(open(os.environ["BENCH_MIX_FILE"]).read())  # noqa: SIM115
_next_session = itertools.count()


class DeskUser(FastHttpUser):
    wait_time = constant(float(os.environ.get("BENCH_THINK", "0")))

    def on_start(self):
        index = next(_next_session)
        session = SESSIONS[index % len(SESSIONS)]
        self.cookie_header = "; ".join(f"{k}={v}" for k, v in session["cookies"].items())
        self.paths = session["paths"]
        self.step = index

    @task
    def page(self):
        path = self.paths[self.step % len(self.paths)]
        self.step += 1
        # One name per page, not per ID: the stats group the same page.
        self.client.get(path, headers={"Cookie": self.cookie_header}, name=path)
