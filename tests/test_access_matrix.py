"""Access matrix: every URL pattern x every persona, GET and POST, with the outcome expected.

Size: SEE_BELOW URL keys (the admin as one group of rows) x 7 personas x 2 methods = SEE_BELOW cells,
SEE_BELOW of them in the admin group (counted by ``test_matrix_size_in_docstring``).

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
   POST (L, A, 400, 403, 404, 405) must leave every table unchanged; that is checked per cell.

The world (``tests/access_world.py``): the personas of ``tests/conftest.py`` and, in Drechtsteden,
a household linked to Zwijndrecht (Gert's municipality, not in Petra's caseload), a submitted and
an accepted Trivire vacancy in Zwijndrecht, a planned meeting with its agenda, a Trivire nomination,
quota period 2026-I with targets, a cost key, an invoice run with the issued Zwijndrecht invoice.
Otto (Woerden) is an outsider to all of it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from tests.access_world import built_once, rolled_back
from tests.urlwalk import Endpoint, endpoints

PERSONAS = ("anon", "coord", "officer", "corp", "partner", "finance", "outsider")
WORLD_ATTRIBUTE = {
    "coord": "coordinator",
    "officer": "officer",
    "corp": "corporation",
    "partner": "partner",
    "finance": "finance",
    "outsider": "outsider",
}
REFUSED = {"L", "A", "400", "403", "404", "405"}

# fmt: off
# Keys ending in ":*" are groups: every URL in that namespace without a row of its own.
MATRIX: dict[str, tuple[str, str]] = {
    #                              anon coord officer corp partner finance outsider
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
}
# Per URL name, where the route's prefix is not enough.
KWARGS_BY_NAME = {
    "vacancy_detail": lambda o: {"pk": o.accepted_vacancy.pk},
    "vacancy_candidates": lambda o: {"pk": o.accepted_vacancy.pk},
    "vacancy_nominate": lambda o: {"pk": o.accepted_vacancy.pk},
    "nomination_outcome": lambda o: {"pk": o.nomination.pk, "action": "accept"},
    "billing_invoice_action": lambda o: {"pk": o.invoice.pk, "action": "paid"},
    "change_history": lambda o: {"kind": "huishouden", "pk": o.household.pk},
    "password_reset_confirm": lambda o: {"uidb64": "MQ", "token": "no-such-token"},
    "support_link_grants": lambda o: {"pk": o.caseload_household.pk, "link_pk": o.support_link.pk},
    "support_link_remove": lambda o: {"pk": o.caseload_household.pk, "link_pk": o.support_link.pk},
}
# Admin arguments: the personas are no staff, so the admin refuses them before any lookup.
ADMIN_ARGUMENTS = {
    "object_id": "1",
    "id": "1",
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


def fingerprint() -> dict[str, str]:
    """Row count and (on PostgreSQL) a hash of every row of every table, in one query. Sessions
    and the login-attempt log change on any request, so they are left out."""
    ignored = ("django_session", "axes_", "django_migrations")
    tables = [
        t for t in connection.introspection.table_names() if not t.startswith(ignored)
    ]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        part = "SELECT %s, count(*)::text || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t"  # noqa: E501
    else:
        part = "SELECT %s, count(*) FROM {} t"
    sql = " UNION ALL ".join(part.format(quote(table)) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return {table: str(value) for table, value in cursor.fetchall()}


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker) as built:
        yield built


def test_every_url_pattern_has_a_row():
    missing = [e.key for e in ENDPOINTS if expected_row(e.key) is None]
    assert not missing, f"URL patterns without a row in MATRIX (see the module docstring): {missing}"


def test_every_row_names_an_existing_url():
    keys = {e.key for e in ENDPOINTS}
    namespaces = {e.namespace for e in ENDPOINTS}
    stale = [
        key
        for key in MATRIX
        if (key[:-2] not in namespaces if key.endswith(":*") else key not in keys)
    ]
    assert not stale, f"rows in MATRIX for URLs that no longer exist: {stale}"


def test_matrix_size_in_docstring():
    """The size stated at the top of this module is the size tested."""
    admin = [e for e in ENDPOINTS if e.namespace == "admin"]
    cells = len(ENDPOINTS) * len(PERSONAS) * 2
    stated = re.search(r"Size: (\d+) URL keys .* = (\d+) cells,\s+(\d+) of them", __doc__, re.S)
    assert stated, "state the size in the module docstring"
    assert tuple(map(int, stated.groups())) == (
        len(ENDPOINTS),
        cells,
        len(admin) * len(PERSONAS) * 2,
    ), f"{len(ENDPOINTS)} URL keys, {cells} cells, {len(admin) * len(PERSONAS) * 2} admin"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.key)
def test_access(endpoint, objects, db, client_for):
    row = expected_row(endpoint.key)
    if row is None:
        row = ("x " * 7, "x " * 7)  # TEMP
    url = endpoint.url(url_kwargs(endpoint, objects))
    clients = {
        persona: Client()
        if persona == "anon"
        else client_for(getattr(objects.world, WORLD_ATTRIBUTE[persona]))
        for persona in PERSONAS
    }
    observed: dict[str, list[str]] = {"GET": [], "POST": []}
    changed: list[str] = []
    for persona in PERSONAS:
        with rolled_back():
            observed["GET"].append(outcome(clients[persona].get(url)))
        with rolled_back():
            before = fingerprint()
            got = outcome(clients[persona].post(url))
            observed["POST"].append(got)
            if got in REFUSED:
                after = fingerprint()
                changed += [f"{persona}: {t}" for t in before if before[t] != after.get(t)]
    expected = {"GET": tokens(row[0]), "POST": tokens(row[1])}
    shown = {m: " ".join(f"{t:>3}" for t in observed[m]) for m in observed}
    assert observed == expected, (
        f"{endpoint.key} {url}\n"
        f"          {' '.join(f'{p[:3]:>3}' for p in PERSONAS)}\n"
        f"expected  GET {' '.join(f'{t:>3}' for t in expected['GET'])}"
        f"  POST {' '.join(f'{t:>3}' for t in expected['POST'])}\n"
        f"observed  GET {shown['GET']}  POST {shown['POST']}\n"
        f'row:    "{endpoint.key}": ("{shown["GET"]}", "{shown["POST"]}"),'
    )
    assert not changed, f"{endpoint.key}: a refused POST changed tables: {changed}"
