"""The benchmark runner behind ``make bench`` (docs/PERFORMANCE.md explains the columns).

    python -m bench.run [--scale national|small|demo] [--requests 20] [--users 50] [--duration 60]

1. drops and recreates a scratch PostgreSQL database (``bench_<scale>``), migrates it and loads
   ``manage.py seed_demo --scale <scale>`` (plain ``seed_demo`` for ``demo``);
2. serves the app with gunicorn on a loopback port: the production settings (DEBUG=0) plus
   ``bench.settings`` (a query-count header and a bare view), REQUIRE_MFA=0, no TLS;
3. logs in over HTTP per role (coordinator, municipality officer, corporation) and as a bench
   superuser, and times every main page (median and p95 over N requests, after one warm-up),
   the admin changelist for the same rows and the bare view, with ratios; then the matching
   pages and the PDFs;
4. runs a load test, locust headless (or, without locust, a threaded stdlib generator) against
   127.0.0.1 only, bounded in users and time: the app mix, then the admin mix;
5. prints one table. Everything is configurable by the options or BENCH_* variables below.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"  # loopback only: the load test never leaves this machine
ADMIN_USERNAME = "bench-admin"
ADMIN_PASSWORD = "bench-admin-password-not-secret"

# Role label -> demo username (password "demo"; demo/ and its seed_demo command).
ROLES = {
    "coordinator": "coordinator",
    "officer": "gemeente",
    "corporation": "corporatie",
}
FINANCE_USERNAME = "financien"
# Pages measured for one more role than the three above: the invoices are finance's page.
EXTRA_ROWS = {"invoices": ["finance"]}

# Main pages: label, URL name (meeting detail: the meeting with most agenda items), and the admin
# changelist (or change form) showing the same rows.
PAGES = [
    ("dashboard", "dashboard", "placement_household_changelist"),
    ("pool", "household_list", "placement_household_changelist"),
    ("vacancies", "vacancy_list", "placement_vacancy_changelist"),
    ("nominations", "nomination_list", "placement_nomination_changelist"),
    ("meeting detail", "meeting_detail", "placement_meeting_change"),
    ("quota dashboard", "quota_dashboard", "quota_quotatarget_changelist"),
    ("invoices", "billing_overview", "billing_invoice_changelist"),
]

COLUMNS = [
    "what",
    "role",
    "status",
    "median ms",
    "p95 ms",
    "queries",
    "admin ms",
    "admin q",
    "app/admin",
    "bare ms",
    "app/bare",
    "req/s",
    "errors",
]


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


# --- HTTP ---------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    ms: float
    headers: dict[str, str]
    body: bytes


@dataclass
class Client:
    """One browser: its own cookies, one keep-alive connection to the loopback server."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                raw = self.conn.getresponse()
                data = raw.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            ms = (time.perf_counter() - started) * 1000
            for value in raw.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            if raw.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return Response(raw.status, ms, {k.lower(): v for k, v in raw.getheaders()}, data)
        raise RuntimeError("unreachable")

    def get(self, path: str, headers=None) -> Response:
        return self.request("GET", path, headers=headers)

    def login(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if not match:
            raise RuntimeError(f"no login form ({page.status})")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
            }
        ).encode()
        answer = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if answer.status != 302:
            raise RuntimeError(f"login of {username} failed ({answer.status})")


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


@dataclass
class Timing:
    status: int
    median: float
    p95: float
    queries: str


def measure(client: Client, path: str, n: int) -> Timing:
    client.get(path)  # warm-up: templates, caches, the connection
    times, last = [], None
    for _ in range(n):
        last = client.get(path)
        times.append(last.ms)
    queries = last.headers.get("x-query-count", "?")
    return Timing(last.status, statistics.median(times), p95(times), queries)


# --- Set-up: database, data, server ---------------------------------------------------------------


def server_env(database_url: str, port: int) -> dict[str, str]:
    out = dict(os.environ)
    out.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-for-a-loopback-server-0123456789",
            "REQUIRE_MFA": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BENCH_QUERY_COUNT": "1",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": f"http://{HOST}:{port}",
        }
    )
    return out


def recreate_database(server_url: str, name: str) -> None:
    import psycopg

    if not re.fullmatch(r"bench_[a-z0-9_]+", name):
        raise SystemExit(f"refusing to drop {name!r}: bench databases are named bench_*")
    parts = urllib.parse.urlsplit(server_url)
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(args: list[str], environ: dict[str, str], log) -> None:
    started = time.perf_counter()
    log.flush()
    position = log.tell()
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=environ,
        check=False,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    if done.returncode:
        log.flush()
        with open(log.name) as handle:
            handle.seek(position)
            tail = handle.read().splitlines()[-15:]
        raise SystemExit(f"manage.py {' '.join(args[:1])} failed:\n" + "\n".join(tail))
    shown = " ".join(arg for arg in args if "\n" not in arg)
    print(f"  manage.py {shown}: {time.perf_counter() - started:.1f} s", flush=True)


def seed_supports_scale(environ: dict[str, str]) -> bool:
    helptext = subprocess.run(
        [PYTHON, "manage.py", "seed_demo", "--help"],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return "--scale" in helptext


CREATE_SUPERUSER = f"""
from django.contrib.auth import get_user_model
User = get_user_model()
user, _ = User.objects.get_or_create(username={ADMIN_USERNAME!r})
user.is_staff = user.is_superuser = True
user.set_password({ADMIN_PASSWORD!r})
user.save()

# The invoice PDF needs an invoice: every scale bills its ended periods (seed_demo); a database
# seeded before that is billed here for its latest ended period, through the app's service.
from django.db import transaction
from django.utils import timezone
from billing.models import Invoice
from billing.services import BillingError, invoice_run_create
from quota.models import QuotaPeriod
coordinator = User.objects.get(username={ROLES["coordinator"]!r})
region = coordinator.membership.organisation.region
today = timezone.localdate()
if not Invoice.objects.filter(region=region).exists():
    periods = sorted(QuotaPeriod.objects.all(), key=lambda p: p.end, reverse=True)
    for period in [p for p in periods if p.end < today]:
        try:
            with transaction.atomic():
                invoice_run_create(region=region, period=period, by=coordinator, today=today)
            break
        except BillingError:
            continue
"""


def static_root() -> Path:
    """bench.settings.STATIC_ROOT: compressed as in production, or plain (BENCH_PLAIN_STATIC=1,
    the smoke test: compressing takes half a minute and pages are what the bench measures)."""
    plain = os.environ.get("BENCH_PLAIN_STATIC") == "1"
    return BASE_DIR / "var" / "bench" / ("static-plain" if plain else "static")


def static_outdated(root: Path) -> bool:
    """collectstatic runs only when a static source (or the requirements) changed since the
    last bench run collected them."""
    manifest = root / "staticfiles.json"
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    if (BASE_DIR / "requirements.txt").stat().st_mtime > collected:
        return True
    for source in [BASE_DIR / "static", *BASE_DIR.glob("*/static")]:
        for path in source.rglob("*"):
            if path.is_file() and path.stat().st_mtime > collected:
                return True
    return False


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped; see var/bench/gunicorn-<database>.log")
        try:
            socket.create_connection((HOST, port), 1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on {HOST}:{port} within {seconds} s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- What to measure --------------------------------------------------------------------------


@dataclass
class Targets:
    meeting: int | None = None  # the coordinator's meeting with most agenda items
    agenda: int | None = None  # its meeting with most items whose agenda PDF prints at once
    proposal_meeting: int | None = None  # its meeting with most vacancies on the agenda
    # Its largest open meeting when that agenda is made in the background: (id, items).
    worker_agenda: tuple[int, int] | None = None
    vacancy: int | None = None  # an open vacancy of the coordinator's region
    invoice: int | None = None
    region: str = ""
    waiting: int = 0
    paths: dict[str, str] = field(default_factory=dict)


def find_targets() -> Targets:
    """IDs and URLs, read from the bench database through the app's own models."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.urls import reverse

    from billing.models import Invoice
    from placement.models import Household, Meeting, Vacancy
    from placement.models.households import HouseholdStatus
    from placement.models.vacancies import VacancyStatus

    coordinator = get_user_model().objects.get(username=ROLES["coordinator"])
    region = coordinator.membership.organisation.region
    targets = Targets(region=region.name)
    targets.waiting = Household.objects.filter(
        linked_municipality__region=region,
        status__in=[HouseholdStatus.REGISTERED, HouseholdStatus.SEARCHING],
    ).count()
    meetings = Meeting.objects.filter(region=region).annotate(
        n_items=Count("items"), n_vacancies=Count("items", filter=Q(items__vacancy__isnull=False))
    )
    best = meetings.order_by("-n_items", "date").first()
    targets.meeting = best.pk if best else None
    # The agenda PDF is timed where it is made in the request: larger agendas are prepared in
    # the background (a redirect), so the largest one that prints at once, else the largest.
    inline = meetings.filter(n_items__gt=0, n_items__lte=settings.AGENDA_PDF_INLINE_MAX_ITEMS)
    printed = inline.order_by("-n_items", "date").first() or best
    targets.agenda = printed.pk if printed else None
    # The agenda printed before a meeting: the open meeting with most items, when that one is
    # made in the background.
    drafted = meetings.exclude(status="closed").order_by("-n_items", "date").first()
    if drafted and drafted.n_items > settings.AGENDA_PDF_INLINE_MAX_ITEMS:
        targets.worker_agenda = (drafted.pk, drafted.n_items)
    open_meetings = meetings.exclude(status="closed")
    best_proposal = open_meetings.order_by("-n_vacancies", "date").first()
    targets.proposal_meeting = best_proposal.pk if best_proposal else None
    vacancy = (
        Vacancy.objects.filter(
            municipality__region=region,
            status__in=[VacancyStatus.ACCEPTED, VacancyStatus.ON_AGENDA],
        )
        .order_by("-bedrooms", "pk")
        .first()
    )
    targets.vacancy = vacancy.pk if vacancy else None
    invoice = Invoice.objects.filter(region=region).order_by("-pk").first()
    targets.invoice = invoice.pk if invoice else None

    for label, name, admin_name in PAGES:
        if name == "meeting_detail":
            if targets.meeting is None:
                continue
            targets.paths[label] = reverse(name, args=[targets.meeting])
            targets.paths["admin " + label] = reverse(f"admin:{admin_name}", args=[targets.meeting])
        else:
            targets.paths[label] = reverse(name)
            targets.paths["admin " + label] = reverse(f"admin:{admin_name}")
    targets.paths["bare"] = reverse("bench_bare")
    if targets.vacancy:
        targets.paths["ranking"] = reverse("vacancy_candidates", args=[targets.vacancy])
    if targets.proposal_meeting:
        targets.paths["proposal"] = reverse("meeting_proposal", args=[targets.proposal_meeting])
    if targets.agenda:
        targets.paths["agenda PDF"] = reverse("meeting_agenda_pdf", args=[targets.agenda])
    if targets.invoice:
        targets.paths["invoice PDF"] = reverse("billing_invoice_pdf", args=[targets.invoice])
    return targets


# --- EXPLAIN of the slowest query per page ------------------------------------------------------

EXPLAIN_DIR = BASE_DIR / "var" / "bench" / "explain"  # per database: explain-<database>/


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def explain(client: Client, path: str, title: str) -> None:
    """One more request, asking the server to EXPLAIN ANALYZE its slowest SELECT."""
    client.get(path, headers={"X-Bench-Explain": slug(title)})
    EXPLAIN_TITLES[slug(title)] = f"{title}: {path}"


EXPLAIN_TITLES: dict[str, str] = {}


def write_explain_report(target: Path) -> None:
    parts = ["# EXPLAIN of the slowest SELECT per page and role (bench run)\n"]
    for name, title in EXPLAIN_TITLES.items():
        source = EXPLAIN_DIR / f"{name}.txt"
        if source.exists():
            parts.append(f"## {title}\n\n```\n{source.read_text().strip()}\n```\n")
    target.write_text("\n".join(parts))


# --- Load test ----------------------------------------------------------------------------------


@dataclass
class Load:
    engine: str
    requests: int
    failures: int
    rps: float
    median: float
    p95: float


def locust_executable() -> str | None:
    candidates = [
        os.environ.get("BENCH_LOCUST", ""),
        str(BASE_DIR / "var" / "bench" / "venv" / "bin" / "locust"),
        shutil.which("locust") or "",
    ]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def run_locust(
    executable: str, port: int, sessions, users: int, seconds: int, think: float = 0.0
) -> Load:
    with tempfile.TemporaryDirectory(prefix="bench-locust-") as tmp:
        mix = Path(tmp) / "mix.json"
        mix.write_text(json.dumps(sessions))
        prefix = Path(tmp) / "stats"
        environ = dict(os.environ, BENCH_MIX_FILE=str(mix), BENCH_THINK=str(think))
        command = [
            executable,
            "-f",
            str(BASE_DIR / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://{HOST}:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        subprocess.run(
            command,
            env=environ,
            timeout=seconds + 60,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,  # locust exits 1 when any request failed: the failures are reported
        )
        with open(f"{prefix}_stats.csv", newline="") as handle:
            total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    return Load(
        "locust",
        int(total["Request Count"]),
        int(total["Failure Count"]),
        float(total["Requests/s"]),
        float(total["50%"]),
        float(total["95%"]),
    )


def run_threads(port: int, sessions, users: int, seconds: int, think: float = 0.0) -> Load:
    """Stand-in for locust when it is not installed: the same loop in threads."""
    times: list[float] = []
    failures = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(index: int) -> None:
        nonlocal failures
        session = sessions[index % len(sessions)]
        client = Client(port, cookies=dict(session["cookies"]))
        step = index
        while time.monotonic() < deadline:
            path = session["paths"][step % len(session["paths"])]
            step += 1
            try:
                answer = client.get(path)
                ok = answer.status == 200
                ms = answer.ms
            except OSError:
                ok, ms = False, 0.0
            with lock:
                times.append(ms)
                failures += not ok
            if think:
                time.sleep(think)

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    elapsed = time.monotonic() - started
    return Load(
        "threads",
        len(times),
        failures,
        len(times) / elapsed,
        statistics.median(times) if times else 0.0,
        p95(times) if times else 0.0,
    )


# --- The table ----------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}"


def print_table(rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    print(line(COLUMNS))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))


# --- Main ---------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default=env("BENCH_SCALE", "national"))
    parser.add_argument("--requests", type=int, default=int(env("BENCH_REQUESTS", "20")))
    parser.add_argument("--users", type=int, default=int(env("BENCH_USERS", "50")))
    parser.add_argument("--duration", type=int, default=int(env("BENCH_DURATION", "60")))
    parser.add_argument(
        "--think",
        type=float,
        default=float(env("BENCH_THINK", "2")),
        help="seconds each user reads a page in the extra paced app-mix run (0: no such run)",
    )
    parser.add_argument("--database", default=os.environ.get("BENCH_DB", ""))
    parser.add_argument("--port", type=int, default=int(env("BENCH_PORT", "0")))
    parser.add_argument(
        "--gunicorn-args",
        default=env("BENCH_GUNICORN_ARGS", "--workers 2"),
        help="worker class and count (default: --workers 2, the sync workers measured so far)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the existing bench database (skip the load)"
    )
    return parser.parse_args(argv)


def postgres_server_url() -> str:
    url = os.environ.get("BENCH_POSTGRES") or os.environ.get("DATABASE_URL") or ""
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


def main(argv=None) -> int:
    options = parse_args(argv)
    if options.scale not in {"national", "small", "demo"}:
        raise SystemExit("--scale is national, small or demo")
    name = options.database or f"bench_{options.scale}"
    parts = urllib.parse.urlsplit(postgres_server_url())
    database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}", query=""))
    port = options.port or free_port()
    environ = server_env(database_url, port)
    os.environ.update(environ)  # find_targets() reads the same database in this process
    log_dir = BASE_DIR / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)

    print(f"bench: scale {options.scale}, database {name}, port {port}", flush=True)
    with open(log_dir / f"setup-{name}.log", "w") as log:
        started = time.perf_counter()
        if not options.reuse:
            recreate_database(database_url, name)
            manage(["migrate", "--noinput"], environ, log)
            seed = ["seed_demo"]
            if options.scale != "demo":
                if not seed_supports_scale(environ):
                    raise SystemExit("seed_demo has no --scale yet: use --scale demo")
                seed += ["--scale", options.scale]
            manage(seed, environ, log)
        manage(["shell", "-c", CREATE_SUPERUSER], environ, log)
        if static_outdated(static_root()):
            manage(["collectstatic", "--noinput", "--clear"], environ, log)
        setup_seconds = time.perf_counter() - started

    global EXPLAIN_DIR
    EXPLAIN_DIR = log_dir / f"explain-{name}"
    environ["BENCH_EXPLAIN_DIR"] = str(EXPLAIN_DIR)
    shutil.rmtree(EXPLAIN_DIR, ignore_errors=True)
    targets = find_targets()
    gunicorn = [
        str(Path(PYTHON).parent / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        *shlex.split(options.gunicorn_args),
    ]
    with open(log_dir / f"gunicorn-{name}.log", "w") as server_log:
        server = subprocess.Popen(
            gunicorn, cwd=BASE_DIR, env=environ, stdout=server_log, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port, server)
            rows = measure_all(options, port, targets)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
    print()
    print(
        f"bench {options.scale}: region {targets.region}, {targets.waiting} waiting households; "
        f"{options.requests} requests per page after one warm-up; setup {setup_seconds:.0f} s; "
        f"gunicorn {options.gunicorn_args}"
    )
    report = log_dir / f"explain-{name}.md"
    write_explain_report(report)
    print_table(rows)
    print(f"EXPLAIN of the slowest query per page: {report.relative_to(BASE_DIR)}")
    return 0


def time_worker_agenda(meeting_id: int, items: int, port: int, runs: int = 3) -> list[str]:
    """A large agenda is made by the background worker, not in a request: its PDF is timed
    here, in this process, as the worker makes it (the app's own ``agenda_pdf_document``)."""
    from placement.models import Meeting
    from placement.views.meetings import agenda_pdf_document

    meeting = Meeting.objects.get(pk=meeting_id)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        agenda_pdf_document(meeting, f"http://{HOST}:{port}/")
        seconds.append(1000 * (time.perf_counter() - started))
    label = f"agenda PDF in the worker ({items} items)"
    timings = [fmt(statistics.median(seconds), 1), fmt(max(seconds), 1)]
    return [label, "coordinator", "200", *timings, "-", *["-"] * 5, "", ""]


def measure_all(options, port: int, targets: Targets) -> list[list[str]]:
    n = options.requests
    paths = targets.paths
    admin = Client(port)
    admin.login(ADMIN_USERNAME, ADMIN_PASSWORD)
    clients = {}
    for role, username in ROLES.items():
        clients[role] = Client(port)
        clients[role].login(username, "demo")
    finance = Client(port)
    finance.login(FINANCE_USERNAME, "demo")

    rows: list[list[str]] = []
    admin_timings = {
        label: measure(admin, paths["admin " + label], n)
        for label, _, _ in PAGES
        if "admin " + label in paths
    }
    bare = {role: measure(client, paths["bare"], n) for role, client in clients.items()}
    bare["finance"] = measure(finance, paths["bare"], n)
    app_mix = {role: [] for role in clients}
    for label, _, _ in PAGES:
        if label not in paths:
            rows.append([label, "all", "no data", *["-"] * (len(COLUMNS) - 3)])
            continue
        ref = admin_timings[label]
        for role in [*clients, *EXTRA_ROWS.get(label, [])]:
            client = finance if role == "finance" else clients[role]
            t = measure(client, paths[label], n)
            if t.status == 200:
                app_mix.setdefault(role, []).append(paths[label])
                explain(client, paths[label], f"{label} ({role})")
            rows.append(
                [
                    label,
                    role,
                    str(t.status),
                    fmt(t.median, 1),
                    fmt(t.p95, 1),
                    t.queries,
                    fmt(ref.median, 1),
                    ref.queries,
                    ratio(t.median, ref.median) if t.status == 200 else "-",
                    fmt(bare[role].median, 1),
                    ratio(t.median, bare[role].median) if t.status == 200 else "-",
                    "",
                    "",
                ]
            )
        print(f"  {label}: done", flush=True)
    for role, t in bare.items():
        rows.append(
            ["bare view", role, str(t.status), fmt(t.median, 1), fmt(t.p95, 1), t.queries]
            + ["-"] * 5
            + ["", ""]
        )

    figures = [
        ("ranking", "coordinator", clients["coordinator"], max(3, n // 4)),
        ("proposal", "coordinator", clients["coordinator"], max(3, n // 4)),
        ("agenda PDF", "coordinator", clients["coordinator"], max(3, n // 4)),
        ("invoice PDF", "finance", finance, max(3, n // 4)),
    ]
    for label, role, client, count in figures:
        if label not in paths:
            rows.append([label, role, "no data", *["-"] * (len(COLUMNS) - 3)])
            continue
        t = measure(client, paths[label], count)
        if t.status == 200:
            explain(client, paths[label], f"{label} ({role})")
        rows.append(
            [label, role, str(t.status), fmt(t.median, 1), fmt(t.p95, 1), t.queries]
            + ["-"] * 5
            + ["", ""]
        )
        print(f"  {label}: done", flush=True)
    if targets.worker_agenda:
        rows.append(time_worker_agenda(*targets.worker_agenda, port))
        print("  agenda PDF in the worker: done", flush=True)

    # Load: every role's pages that answered 200, and the admin's pages for the same rows.
    app_sessions = [
        {"cookies": (finance if role == "finance" else clients[role]).cookies, "paths": paths_}
        for role, paths_ in app_mix.items()
        if paths_
    ]
    admin_paths = [paths["admin " + label] for label in admin_timings]
    admin_sessions = [{"cookies": admin.cookies, "paths": admin_paths}]
    executable = locust_executable()
    loads = [("load: app mix", app_sessions, 0.0), ("load: admin mix", admin_sessions, 0.0)]
    if options.think:
        # The same users reading each page before the next: the response time people get.
        loads.append((f"load: app mix, {options.think:g} s per page", app_sessions, options.think))
    for label, sessions, think in loads:
        if executable:
            load = run_locust(executable, port, sessions, options.users, options.duration, think)
        else:
            load = run_threads(port, sessions, options.users, options.duration, think)
        rows.append(
            [
                f"{label} ({load.engine}, {options.users} users, {options.duration} s)",
                "mix",
                "-",
                fmt(load.median, 1),
                fmt(load.p95, 1),
                "-",
                *["-"] * 5,
                fmt(load.rps, 2),
                f"{load.failures}/{load.requests}",
            ]
        )
        print(f"  {label}: done", flush=True)
    return rows


if __name__ == "__main__":
    sys.exit(main())
