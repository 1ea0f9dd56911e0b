"""Access matrix: every URL pattern x every persona, GET and POST, with the outcome expected.

Size: 340 URL patterns, 2570 cells (URL x persona x method), 1100 of them in the admin.
Every URL outside the admin, and the admin's site-level and household URLs: 7 personas x GET and
POST; the admin's other per-model URLs: anonymous and coordinator (``ADMIN_FULL_ROW_MODEL``).
``test_matrix_size_in_docstring`` keeps these numbers true.

HOW TO ADD A ROW (a new URL pattern makes ``test_every_url_pattern_has_a_row`` fail until then):
1. Add ``"<url name>": ("<GET row>", "<POST row>"),`` to ``MATRIX`` below, in the block of its app.
   A row has one token per persona, in the column order of the header comment:
       anon  coord  officer  corp  partner  finance  outsider
   Tokens: 200, 400, 403, 404, 405 (the status code); L = redirect to the login page;
   A = redirect to the admin's login page; 302 = redirect to any other page.
2. Decide each cell from ``regions/access.py`` (the capability the view requires, and the
   ``visible_to`` queryset that 404s what the persona may not see), not from what the page
   happens to answer now. When the test fails it prints the observed row next to the expected
   one: a difference is either a wrong row or an access bug.
3. If the URL has keyword arguments the table in ``url_kwargs`` cannot fill yet (a new kind of
   object), add the object to ``tests/access_world.py`` and its argument to ``url_kwargs``.
   ``pk`` is filled from the route's first segment (``huishoudens/<pk>/...`` -> the household).
4. The POST is sent with an empty body (CSRF checks are off in the test client). Every refused
   POST (L, A, 403, 404, 405) must write nothing to any table; that is checked per cell.

The world (``tests/access_world.py``): the personas of ``tests/conftest.py`` and, in Drechtsteden,
a household linked to Zwijndrecht (Gert's municipality, not in Petra's caseload), a household in
Petra's caseload (linked to Papendrecht) with its support link, a submitted Trivire vacancy in
Zwijndrecht (edit, accept, return, withdraw) and an accepted one (detail, candidates, nominate),
a planned meeting with its agenda, a Trivire nomination, quota period 2026-I with targets, a cost
key, an invoice run with the issued Zwijndrecht invoice. Otto (Woerden) is an outsider to it all.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.urls import reverse

from tests.access_world import built_once, client, rolled_back
from tests.urlwalk import Endpoint, endpoints

PERSONAS = ("anon", "coord", "officer", "corp", "partner", "finance", "outsider")
# Refused for lack of access: nothing may change. (A 400 is the persona's own invalid input: the
# page may be shown again, and a read of personal data on it is logged.)
REFUSED = {"L", "A", "403", "404", "405"}
# The admin's per-model URLs all pass one gate (``AdminSite.admin_view``). To keep the matrix
# fast, those of every model but the household are asked by the anonymous visitor and the
# coordinator only; the admin's site-level URLs and the household's get every persona.
ADMIN_FULL_ROW_MODEL = "placement/household/"
ADMIN_SAMPLED_PERSONAS = ("anon", "coord")

# fmt: off
# Keys ending in ":*" are groups: every URL in that namespace without a row of its own.
MATRIX: dict[str, tuple[str, str]] = {
    # persona:                     ano coo off cor par fin out  (GET, then POST)
    "login":                     ("200 302 302 302 302 302 302", "200 302 302 302 302 302 302"),
    "logout":                    ("  L 405 405 405 405 405 405", "  L   L   L   L   L   L   L"),
    "mfa_verify":                ("  L 302 302 302 302 302 302", "  L 302 302 302 302 302 302"),
    "mfa_setup":                 ("  L 302 200 200 200 302 302", "  L 302 200 200 200 302 302"),
    "mfa_recovery_codes":        ("  L 200 302 302 302 200 200", "  L 302 302 302 302 302 302"),
    "account":                   ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    "account_end_sessions":      ("  L 405 405 405 405 405 405", "  L 302 302 302 302 302 302"),
    "password_change":           ("  L 200 200 200 200 200 200", "  L 200 200 200 200 200 200"),
    "password_change_done":      ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    "password_reset":            ("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "password_reset_done":       ("200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "password_reset_confirm":    ("200 200 200 200 200 200 200", "200 200 200 200 200 200 200"),
    "password_reset_complete":   ("200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "set_language":              ("302 302 302 302 302 302 302", "302 302 302 302 302 302 302"),
    "health":                    ("200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "quota_dashboard":           ("  L 200 200 403 200 200 200", "  L 405 405 405 405 405 405"),
    "quota_municipality":        ("  L 200 200 403 200 200 404", "  L 405 405 405 405 405 405"),
    "quota_drilldown":           ("  L 200 200 403 200 200 404", "  L 405 405 405 405 405 405"),
    "quota_relinks":             ("  L 200 200 403 200 200 200", "  L 405 405 405 405 405 405"),
    "quota_periods":             ("  L 200 403 403 403 403 200", "  L 400 403 403 403 403 400"),
    "quota_targets":             ("  L 200 403 403 403 403 200", "  L 200 403 403 403 403 200"),
    "quota_rule":                ("  L 200 403 403 403 403 200", "  L 400 403 403 403 403 400"),
    "billing_overview":          ("  L 403 200 403 403 200 403", "  L 405 405 405 405 405 405"),
    "billing_cost_key_create":   ("  L 403 403 403 403 200 403", "  L 403 403 403 403 400 403"),
    "billing_cost_key_edit":     ("  L 403 403 403 403 200 403", "  L 403 403 403 403 400 403"),
    "billing_profile":           ("  L 403 403 403 403 200 403", "  L 403 403 403 403 200 403"),
    "billing_run_create":        ("  L 405 405 405 405 405 405", "  L 403 403 403 403 302 403"),
    "billing_run":               ("  L 403 403 403 403 200 403", "  L 405 405 405 405 405 405"),
    "billing_run_issue":         ("  L 405 405 405 405 405 405", "  L 403 403 403 403 302 403"),
    "billing_invoice":           ("  L 404 200 404 404 200 404", "  L 405 405 405 405 405 405"),
    "billing_invoice_pdf":       ("  L 404 200 404 404 200 404", "  L 405 405 405 405 405 405"),
    "billing_invoice_action":    ("  L 405 405 405 405 405 405", "  L 403 403 403 403 302 403"),
    "change_history":            ("  L 200 403 403 403 403 404", "  L 405 405 405 405 405 405"),
    "privacy":                   ("200 200 200 200 200 200 200", "405 405 405 405 405 405 405"),
    "dashboard":                 ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    "rules":                     ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    "household_list":            ("  L 200 200 403 200 403 200", "  L 405 405 405 405 405 405"),
    "household_create":          ("  L 200 200 403 403 403 200", "  L 200 200 403 403 403 200"),
    "household_detail":          ("  L 200 200 404 200 404 404", "  L 405 405 405 405 405 405"),
    "household_edit":            ("  L 200 200 404 404 404 404", "  L 200 200 404 404 404 404"),
    "household_status":          ("  L 405 405 405 405 405 405", "  L 400 400 404 404 404 404"),
    "household_own_home":        ("  L 405 405 405 405 405 405", "  L 400 400 404 404 404 404"),
    "household_vacancies":       ("  L 200 200 404 200 404 404", "  L 405 405 405 405 405 405"),
    "household_read_log":        ("  L 200 403 403 403 403 404", "  L 405 405 405 405 405 405"),
    "support_link_add":          ("  L 405 405 405 405 405 405", "  L 400 403 403 403 403 404"),
    "support_link_grants":       ("  L 405 405 405 405 405 405", "  L 302 403 403 403 403 404"),
    "support_link_remove":       ("  L 200 403 403 403 403 404", "  L 302 403 403 403 403 404"),
    "my_reads":                  ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    "vacancy_list":              ("  L 200 200 200 200 403 200", "  L 405 405 405 405 405 405"),
    "vacancy_create":            ("  L 200 403 200 403 403 200", "  L 200 403 200 403 403 200"),
    "vacancy_detail":            ("  L 200 200 200 200 404 404", "  L 405 405 405 405 405 405"),
    "vacancy_edit":              ("  L 200 404 200 404 404 404", "  L 200 404 200 404 404 404"),
    "vacancy_accept":            ("  L 405 405 405 405 405 405", "  L 302 403 403 403 403 404"),
    "vacancy_return":            ("  L 200 403 403 403 403 404", "  L 400 403 403 403 403 404"),
    "vacancy_withdraw":          ("  L 405 405 405 405 405 405", "  L 403 403 200 403 403 403"),
    "vacancy_candidates":        ("  L 200 200 403 200 403 404", "  L 405 405 405 405 405 405"),
    "vacancy_nominate":          ("  L 405 405 405 405 405 405", "  L 302 403 403 403 403 404"),
    "meeting_list":              ("  L 200 200 403 200 403 200", "  L 405 405 405 405 405 405"),
    # The province's meeting dates: the province officer only (table PROVINCE below).
    "meeting_dates":             ("  L 403 403 403 403 403 403", "  L 405 405 405 405 405 405"),
    "meeting_detail":            ("  L 200 200 404 200 404 404", "  L 405 405 405 405 405 405"),
    "meeting_schedule":          ("  L 200 403 403 403 403 200", "  L 400 403 403 403 403 400"),
    "meeting_edit":              ("  L 200 403 403 403 403 404", "  L 400 403 403 403 403 404"),
    "meeting_build_agenda":      ("  L 405 405 405 405 405 405", "  L 302 403 403 403 403 404"),
    "meeting_start":             ("  L 405 405 405 405 405 405", "  L 302 403 403 403 403 404"),
    "agenda_add":                ("  L 200 403 403 403 403 404", "  L 400 403 403 403 403 404"),
    "meeting_close":             ("  L 200 403 403 403 403 404", "  L 400 403 403 403 403 404"),
    "meeting_proposal":          ("  L 200 403 403 403 403 404", "  L 302 403 403 403 403 404"),
    "agenda_item_edit":          ("  L 200 403 403 403 403 404", "  L 400 403 403 403 403 404"),
    "meeting_agenda_pdf":        ("  L 200 200 404 200 404 404", "  L 405 405 405 405 405 405"),
    "meeting_decisions_pdf":     ("  L 200 200 404 200 404 404", "  L 405 405 405 405 405 405"),
    "nomination_list":           ("  L 200 200 200 200 403 200", "  L 405 405 405 405 405 405"),
    "nomination_detail":         ("  L 200 200 200 200 404 404", "  L 405 405 405 405 405 405"),
    "nomination_outcome":        ("  L 405 405 405 405 405 405", "  L 302 403 302 403 403 404"),
    # Notices: everyone their own; the notice in the world is Carla's.
    "notice_list":               ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    "notice_open":               ("  L 302 404 404 404 404 404", "  L 405 405 405 405 405 405"),
    "notice_mark_all_read":      ("  L 405 405 405 405 405 405", "  L 302 302 302 302 302 302"),
    "notice_preferences":        ("  L 200 200 200 200 200 200", "  L 302 302 302 302 302 302"),
    "meeting_send_agenda":       ("  L 405 405 405 405 405 405", "  L 200 403 403 403 403 404"),
    # Exports and prepared downloads (downloads: the coordinator owns the world's download).
    "export_households":         ("  L 200 200 403 200 403 200", "  L 405 405 405 405 405 405"),
    "export_vacancies":          ("  L 200 200 200 200 403 200", "  L 405 405 405 405 405 405"),
    "export_quota":              ("  L 200 200 403 200 200 200", "  L 405 405 405 405 405 405"),
    "export_relinks":            ("  L 200 200 403 200 200 200", "  L 405 405 405 405 405 405"),
    "export_meeting_decisions":  ("  L 200 200 403 200 403 404", "  L 405 405 405 405 405 405"),
    "export_invoices":           ("  L 403 200 403 403 200 403", "  L 405 405 405 405 405 405"),
    "export_invoice_pdfs":       ("  L 405 405 405 405 405 405", "  L 403 302 403 403 302 403"),
    # The COA list import: coordinators (Otto in his own region), an officer for their own
    # municipality; the world's batch is Carla's (an officer sees only batches of their own).
    "import_upload":             ("  L 200 200 403 403 403 200", "  L 400 400 403 403 403 400"),
    "import_current_list":       ("  L 200 200 403 403 403 200", "  L 405 405 405 405 405 405"),
    "import_preview":            ("  L 200 404 403 403 403 404", "  L 405 405 405 405 405 405"),
    "import_confirm":            ("  L 405 405 405 405 405 405", "  L 200 404 403 403 403 404"),
    "download_list":             ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    "download_detail":           ("  L 200 404 404 404 404 404", "  L 405 405 405 405 405 405"),
    "download_file":             ("  L 200 404 404 404 404 404", "  L 405 405 405 405 405 405"),
    # Who's who (directory): every role of the region reads it, the coordinator keeps it (Otto
    # his own region's), a person edits only their own entry (the world's has no account).
    "directory_list":            ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    "directory_add":             ("  L 200 403 403 403 403 200", "  L 400 403 403 403 403 400"),
    "directory_edit":            ("  L 200 403 403 403 403 404", "  L 400 403 403 403 403 404"),
    "directory_remove":          ("  L 405 405 405 405 405 405", "  L 200 403 403 403 403 404"),
    "directory_org_add":         ("  L 200 403 403 403 403 200", "  L 400 403 403 403 403 400"),
    "directory_org_edit":        ("  L 200 403 403 403 403 404", "  L 400 403 403 403 403 404"),
    "directory_attendance":      ("  L 200 403 403 403 403 404", "  L 302 403 403 403 403 404"),
    "directory_vcard":           ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    "directory_export":          ("  L 200 200 200 200 200 200", "  L 405 405 405 405 405 405"),
    # What pooling gains (reports.whatif): coordinators (Otto his own region), the province.
    "whatif":                    ("  L 200 403 403 403 403 200", "  L 405 405 405 405 405 405"),
    # The region's figures (reports): coordinators and officers (Otto his own region), the
    # province; ``?region=`` of another region is a 404 (tests/reports/test_views.py).
    "reports_overview":          ("  L 200 200 403 403 403 200", "  L 405 405 405 405 405 405"),
    "reports_export":            ("  L 200 200 403 403 403 200", "  L 405 405 405 405 405 405"),
    "reports_drilldown":         ("  L 200 200 403 403 403 200", "  L 405 405 405 405 405 405"),
    # The admin: no persona is staff. Anonymous visitors go to the app's login (with its
    # second step), members to the admin's login, which refuses them; its site-level
    # pages answer anonymous visitors themselves.
    "admin:*":                   ("  L   A   A   A   A   A   A", "  L   A   A   A   A   A   A"),
    "admin:index":               ("  A   A   A   A   A   A   A", "  A   A   A   A   A   A   A"),
    "admin:login":               ("  L 403 403 403 403 403 403", "  L 403 403 403 403 403 403"),
    "admin:logout":              ("  A 302 302 302 302 302 302", "  A 302 302 302 302 302 302"),
    "admin:password_change":     ("  A   A   A   A   A   A   A", "  A   A   A   A   A   A   A"),
    "admin:password_change_done":("  A   A   A   A   A   A   A", "  A   A   A   A   A   A   A"),
    "admin:autocomplete":        ("  A   A   A   A   A   A   A", "  A   A   A   A   A   A   A"),
    "admin:jsi18n":              ("  A   A   A   A   A   A   A", "  A   A   A   A   A   A   A"),
    "admin:view_on_site":        ("  A   A   A   A   A   A   A", "  A   A   A   A   A   A   A"),
    "admin:app_list":            ("  A   A   A   A   A   A   A", "  A   A   A   A   A   A   A"),
    "admin:<(?P<url>.*)$>":      ("  A   A   A   A   A   A   A", "  A   A   A   A   A   A   A"),
}
# fmt: on


# --- Filling the URL arguments from the world --------------------------------------------------

# ``pk`` by the route's leading segment: the longest matching prefix wins.
PK_BY_ROUTE = {
    "huishoudens/": "household",
    "woningaanbod/": "vacancy",
    "overleg/": "meeting",
    "voordrachten/": "nomination",
    "taakstelling/gemeente/": "municipality",
    "facturen/verdeelsleutel/": "cost_key",
    "facturen/runs/": "run",
    "facturen/": "invoice",
    "downloads/": "download",
    "uitwisseling/coa-lijst/": "import_batch",
    "deelnemers/": "participant",
    "deelnemers/overleg/": "meeting",
}
# Per URL name, where the route's prefix is not enough.
KWARGS_BY_NAME = {
    "vacancy_detail": lambda o: {"pk": o.accepted_vacancy.pk},
    "vacancy_candidates": lambda o: {"pk": o.accepted_vacancy.pk},
    "vacancy_nominate": lambda o: {"pk": o.accepted_vacancy.pk},
    "nomination_outcome": lambda o: {"pk": o.nomination.pk, "action": "accept"},
    "export_meeting_decisions": lambda o: {"pk": o.meeting.pk},
    "billing_invoice_action": lambda o: {"pk": o.invoice.pk, "action": "paid"},
    "change_history": lambda o: {"kind": "huishouden", "pk": o.household.pk},
    "notice_open": lambda o: {"pk": o.notice.pk},
    "meeting_send_agenda": lambda o: {"pk": o.meeting.pk},
    "directory_org_edit": lambda o: {"pk": o.world.trivire.pk},
    "reports_export": lambda o: {"figure": "size"},
    "reports_drilldown": lambda o: {"figure": "size"},
    "password_reset_confirm": lambda o: {"uidb64": "MQ", "token": "no-such-token"},
    "support_link_grants": lambda o: {"pk": o.caseload_household.pk, "link_pk": o.support_link.pk},
    "support_link_remove": lambda o: {"pk": o.caseload_household.pk, "link_pk": o.support_link.pk},
}
# Admin arguments: the personas are no staff, so the admin refuses them before any lookup.
ADMIN_ARGUMENTS = {
    "object_id": "1",
    "id": "1",
    "pk": "1",
    "content_type_id": "1",
    "app_label": "placement",
    "url": "no-such-page/",
}


def url_kwargs(endpoint: Endpoint, objects) -> dict[str, object]:
    if endpoint.name in KWARGS_BY_NAME:
        return KWARGS_BY_NAME[endpoint.name](objects)
    values: dict[str, object] = {}
    route = endpoint.route
    for argument in endpoint.arguments:
        if endpoint.namespace == "admin" and argument in ADMIN_ARGUMENTS:
            values[argument] = ADMIN_ARGUMENTS[argument]
        elif argument == "pk":
            prefixes = [p for p in PK_BY_ROUTE if route.startswith(p)]
            assert prefixes, f"{endpoint.key}: no object for pk, add it to PK_BY_ROUTE"
            values["pk"] = getattr(objects, PK_BY_ROUTE[max(prefixes, key=len)]).pk
        elif argument == "item_pk":
            values["item_pk"] = objects.agenda_item.pk
        elif argument == "period":
            values["period"] = objects.period.slug
        else:
            raise AssertionError(f"{endpoint.key}: add {argument!r} to KWARGS_BY_NAME")
    return values


# --- The matrix --------------------------------------------------------------------------------

ENDPOINTS = endpoints()


def expected_row(key: str) -> tuple[str, str] | None:
    if key in MATRIX:
        return MATRIX[key]
    namespace = key.rpartition(":")[0]
    while namespace:
        if f"{namespace}:*" in MATRIX:
            return MATRIX[f"{namespace}:*"]
        namespace = namespace.rpartition(":")[0]
    return None


def personas_for(endpoint: Endpoint) -> tuple[str, ...]:
    per_model = endpoint.namespace == "admin" and endpoint.depth > 1
    if per_model and ADMIN_FULL_ROW_MODEL not in endpoint.route:
        return ADMIN_SAMPLED_PERSONAS
    return PERSONAS


def tokens(row: str) -> list[str]:
    cells = row.split()
    assert len(cells) == len(PERSONAS), f"{row!r}: one token per persona {PERSONAS}"
    return cells


def outcome(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        if path == resolve_url(settings.LOGIN_URL):
            return "L"
        if path == reverse("admin:login"):
            return "A"
        return "302"
    return str(response.status_code)


# Session bookkeeping and the login-attempt log change on any request (logout's redirect to the
# login page is its purpose, not a refusal).
IGNORED_TABLES = ("django_session", "accounts_usersession", "axes_", "django_migrations")


def writes() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this transaction, per table, in one cheap
    query (PostgreSQL's transaction statistics); elsewhere the row counts."""
    if connection.vendor == "postgresql":
        sql = "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
    else:
        quote = connection.ops.quote_name
        tables = connection.introspection.table_names()
        sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {quote(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {t: n for t, n in cursor.fetchall() if not t.startswith(IGNORED_TABLES)}


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker, client_for):
    with built_once(django_db_blocker, client_for) as built:
        yield built


def test_every_url_pattern_has_a_row():
    missing = [e.key for e in ENDPOINTS if expected_row(e.key) is None]
    assert not missing, (
        f"URL patterns without a row in MATRIX (see the module docstring): {missing}"
    )


def test_every_row_names_an_existing_url():
    keys = {e.key for e in ENDPOINTS}
    namespaces = {e.namespace for e in ENDPOINTS}
    stale = [
        key
        for key in MATRIX
        if (key[:-2] not in namespaces if key.endswith(":*") else key not in keys)
    ]
    assert not stale, f"rows in MATRIX for URLs that no longer exist: {stale}"


def matrix_size() -> tuple[int, int, int]:
    """(URL patterns, cells, of which in the admin): a cell is one persona x method x URL."""
    cells = [len(personas_for(e)) * 2 for e in ENDPOINTS]
    admin = [n for e, n in zip(ENDPOINTS, cells, strict=True) if e.namespace == "admin"]
    return len(ENDPOINTS), sum(cells), sum(admin)


def test_matrix_size_in_docstring():
    """The size stated at the top of this module is the size tested."""
    stated = re.search(r"Size: (\d+) URL patterns, (\d+) cells .*?, (\d+) of them", __doc__)
    assert stated, "state the size in the module docstring"
    assert tuple(map(int, stated.groups())) == matrix_size(), (
        "update the size at the top of the module: (URL patterns, cells, admin cells) = "
        f"{matrix_size()}"
    )


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.key)
def test_access(endpoint, objects, db):
    row = expected_row(endpoint.key)
    if row is None:
        pytest.fail(f"no row for {endpoint.key} in MATRIX (see the module docstring)")
    url = endpoint.url(url_kwargs(endpoint, objects))
    personas = personas_for(endpoint)
    observed: dict[str, list[str]] = {"GET": [], "POST": []}
    changed: list[str] = []
    for persona in personas:
        with rolled_back():
            observed["GET"].append(outcome(client(objects, persona).get(url)))
        with rolled_back():
            before = writes()
            got = outcome(client(objects, persona).post(url))
            observed["POST"].append(got)
            if got in REFUSED:
                after = writes()
                changed += [f"{persona}: {t}" for t in after if after[t] != before.get(t, 0)]
    columns = [PERSONAS.index(p) for p in personas]
    expected = {
        m: [tokens(r)[i] for i in columns] for m, r in zip(("GET", "POST"), row, strict=True)
    }
    shown = {m: " ".join(f"{t:>3}" for t in observed[m]) for m in observed}
    assert observed == expected, (
        f"{endpoint.key} {url}\n"
        f"              {' '.join(f'{p[:3]:>3}' for p in personas)}\n"
        f"expected  GET {' '.join(f'{t:>3}' for t in expected['GET'])}"
        f"  POST {' '.join(f'{t:>3}' for t in expected['POST'])}\n"
        f"observed  GET {shown['GET']}  POST {shown['POST']}\n"
        f'row:    "{endpoint.key}": ("{shown["GET"]}", "{shown["POST"]}"),'
    )
    assert not changed, f"{endpoint.key}: a refused POST changed tables: {changed}"


# --- The province officer ------------------------------------------------------------------
# Pien (``tests/regions/province_builders.py``), province officer of Zuid-Holland, whose
# municipalities include all of Drechtsteden and Bodegraven-Reeuwijk (Woerden e.o.). Not a
# column of MATRIX: her own table. She belongs to no region: every ``visible_to`` gives her
# nothing, so outside the pages listed here a URL answers ``province_default``: what every
# persona of MATRIX with a membership gets, where they all get the same (the account pages, a
# method refused before access); else 403 (a capability she lacks). A URL naming an object that
# no ``visible_to`` gives her answers 404 before any capability is asked: those are listed.
# fmt: off
PROVINCE: dict[str, tuple[str, str]] = {
    # url name:                  (GET, POST)
    # Two-step login as a municipality officer: offered, not required.
    "mfa_setup":                 ("200", "200"),
    "mfa_recovery_codes":        ("302", "302"),
    # What she is for: her municipalities' quota (counts only) and the meeting dates.
    "quota_dashboard":           ("200", "405"),
    "quota_municipality":        ("200", "405"),  # Zwijndrecht: in Zuid-Holland
    "export_quota":              ("200", "405"),
    "meeting_dates":             ("200", "405"),
    # Objects no visible_to gives her: not found, before any capability is asked.
    "household_detail":          ("404", "405"),
    "household_edit":            ("404", "404"),
    "household_status":          ("405", "404"),
    "household_own_home":        ("405", "404"),
    "household_vacancies":       ("404", "405"),
    "vacancy_detail":            ("404", "405"),
    "vacancy_edit":              ("404", "404"),
    "meeting_detail":            ("404", "405"),
    "meeting_agenda_pdf":        ("404", "405"),
    "meeting_decisions_pdf":     ("404", "405"),
    "nomination_detail":         ("404", "405"),
    "billing_invoice":           ("404", "405"),
    "billing_invoice_pdf":       ("404", "405"),
    "download_detail":           ("404", "405"),
    "download_file":             ("404", "405"),
    "notice_open":               ("404", "405"),
    # Who's who is the table of one region; the province sits at none (its entry would be a
    # region's to keep): refused, and an entry 404s like every object of a region.
    "directory_list":            ("403", "405"),
    "directory_vcard":           ("403", "405"),
    "directory_export":          ("403", "405"),
    "directory_edit":            ("404", "404"),
    "whatif":                    ("200", "405"),
    "reports_overview":          ("200", "405"),
    "reports_export":            ("200", "405"),
    "reports_drilldown":         ("200", "405"),
}
# fmt: on


def province_default(endpoint: Endpoint) -> tuple[str, str]:
    cells = []
    for method_row in expected_row(endpoint.key):
        members = set(tokens(method_row)[1:])  # every persona but the anonymous visitor
        cells.append(members.pop() if len(members) == 1 else "403")
    return cells[0], cells[1]


def test_every_province_row_names_an_existing_url():
    keys = {e.key for e in ENDPOINTS}
    assert not [key for key in PROVINCE if key not in keys]


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.namespace != "admin"], ids=lambda e: e.key
)
def test_province_access(endpoint, objects, db):
    """Pien gets exactly her row (PROVINCE, else the default) on every URL outside the admin
    (the admin refuses every non-staff member alike: MATRIX's rows hold for her too)."""
    expected = PROVINCE.get(endpoint.key) or province_default(endpoint)
    url = endpoint.url(url_kwargs(endpoint, objects))
    with rolled_back():
        got_get = outcome(client(objects, "province").get(url))
    with rolled_back():
        before = writes()
        got_post = outcome(client(objects, "province").post(url))
        after = writes()
    changed = [t for t in after if after[t] != before.get(t, 0)] if got_post in REFUSED else []
    assert (got_get, got_post) == expected, (
        f"{endpoint.key} {url}: expected {expected}, observed {(got_get, got_post)}\n"
        f'row:    "{endpoint.key}": ("{got_get}", "{got_post}"),'
    )
    assert not changed, f"{endpoint.key}: a refused POST changed tables: {changed}"
