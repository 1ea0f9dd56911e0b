"""Property-based input test: hostile values in every form and every query string.

Every page of the access matrix (``tests/test_access_matrix.py``) that some persona may open is
fetched as that persona; each ``<form>`` on it is parsed (inputs, selects, textareas, named
buttons) and submitted with values hypothesis draws: NUL bytes, 100 kB strings, odd unicode,
negative, huge and float numbers, impossible dates, several values where one is expected,
script payloads, next to the form's own valid values. Each page's query string gets the same
treatment (its filter form's fields and the parameters list pages read). The properties:

* never a server error (a 500 raises here, with the traceback of the view);
* a reflected value is escaped: a ``<script>`` or attribute-breaking payload never appears raw.

Bounded for CI: ``EXAMPLES`` drawn examples per form plus the ``EXPLICIT`` ones, derandomized
(the same examples every run), no deadline, no shrinking, every request in a savepoint that is
rolled back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.access_world import built_once, client, rolled_back
from tests.test_access_matrix import ENDPOINTS, MATRIX, PERSONAS, url_kwargs

EXAMPLES = 12  # per form
QUERY_EXAMPLES = 6  # per page whose query string no form of its own describes

SCRIPT = '<script>alert("fuzz")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
RAW_PAYLOADS = (b'<script>alert("fuzz")', b"<img src=x onerror")

NASTY = [
    "\x00",
    "12\x00",
    "x" * 100_000,
    SCRIPT,
    ATTRIBUTE,
    f"DS-2026-{SCRIPT}",
    "-1",
    "0",
    "-0",
    "1.5",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "2026-02-30",
    "2026-13-45",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31-12-2026",
    "2026-06-31T25:61",
    "\u202e\u0644\u0627 \u200b\ufeff",
    "\U0001f4a9 Zoë Ñoño",
    "a\r\nSet-Cookie: x=1",
    "' OR 1=1 --",
    "%00",
    "../../../etc/passwd",
    "{{ 7|add:7 }}",
    " ",
    "",
    "on",
    "all",
]

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
SCALAR = st.one_of(
    st.sampled_from([SCRIPT, ATTRIBUTE]),  # often: every page that echoes input is checked
    st.sampled_from(NASTY),
    TEXT,
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(repr),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
)
HOSTILE = st.one_of(SCALAR, st.lists(SCALAR, min_size=2, max_size=3))
# Besides the drawn examples, every form is sent once with every field set to each of these, so
# the classes the issue names are always tried, whatever the draw.
EXPLICIT = ("12\x00", "x" * 100_000, SCRIPT, ATTRIBUTE, "2026-02-30", "1e308", ["-1", "2" * 30])

# Query-string parameters list and detail pages read besides their filter form's fields.
QUERY_PARAMETERS = ("page", "pagina", "sort", "status", "period", "household", "q", "all", "next")

# Whose page to fetch, in this order: the first persona the matrix lets open it.
PREFERENCE = ("coord", "finance", "corp", "officer", "partner", "anon")


@dataclass
class Form:
    method: str
    action: str
    # name -> the values the page offers (the current value, the options of a select, ...)
    fields: dict[str, list[str]] = field(default_factory=dict)

    def signature(self) -> tuple:
        return (self.method, urlsplit(self.action).path, tuple(sorted(self.fields)))


class Forms(HTMLParser):
    """The forms of a page with their controls, as a browser would submit them."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def add(self, name: str | None, value: str) -> None:
        if self.current is not None and name and name != "csrfmiddlewaretoken":
            self.current.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self.current = Form(method=(a.get("method") or "get").lower(), action=action)
            self.forms.append(self.current)
        elif tag in ("input", "button"):
            self.add(a.get("name"), a.get("value", ""))
        elif tag == "select":
            self.select = a.get("name")
            self.add(self.select, "")
        elif tag == "option" and self.select:
            self.add(self.select, a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.add(self.textarea, "")

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current.fields[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def pages() -> list[tuple[str, str]]:
    """(URL key, persona) for every page outside the admin that some persona may open."""
    found = []
    for endpoint in ENDPOINTS:
        if endpoint.namespace == "admin" or endpoint.key not in MATRIX:
            continue
        allowed = MATRIX[endpoint.key][0].split()
        for persona in PREFERENCE:
            if allowed[PERSONAS.index(persona)] == "200":
                found.append((endpoint.key, persona))
                break
    return found


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker, client_for):
    with built_once(django_db_blocker, client_for) as built:
        yield built


def check(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if "html" in response.get("Content-Type", ""):
        for raw in RAW_PAYLOADS:
            assert raw not in response.content, f"{what}: {raw!r} reflected unescaped"


def valid(offered: list[str]):
    return st.sampled_from([v for v in offered if v] or [""])


def drawn_values(form: Form):
    """Either one hostile field in an otherwise valid form (so the value gets past the other
    fields' checks, into the view and the database), or any mix of valid, hostile and missing."""
    names = sorted(form.fields)
    mixed = st.fixed_dictionaries(
        {n: st.one_of(valid(v), HOSTILE, HOSTILE, st.none()) for n, v in form.fields.items()}
    )
    if not names:
        return mixed

    def one_bad(bad: str):
        return st.fixed_dictionaries(
            {n: HOSTILE if n == bad else valid(v) for n, v in form.fields.items()}
        )

    return st.one_of(st.sampled_from(names).flatmap(one_bad), mixed)


def fuzz(objects, persona: str, form: Form, *, examples: int = EXAMPLES) -> None:
    strategy = drawn_values(form)
    path = urlsplit(form.action).path

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(data=strategy)
    def submit(data):
        data = {k: v for k, v in data.items() if v is not None}
        with rolled_back():
            if form.method == "post":
                response = client(objects, persona).post(path, data)
            else:
                response = client(objects, persona).get(path, data)
        check(response, f"{form.method.upper()} {path} as {persona} with {str(data)[:300]}")

    for value in EXPLICIT:
        submit = example(data=dict.fromkeys(form.fields, value))(submit)
    submit()


FUZZED: set[tuple] = set()  # forms of the base template appear on every page: fuzz them once


@pytest.mark.parametrize(("key", "persona"), pages(), ids=lambda v: v)
def test_hostile_input_never_breaks_a_page(key, persona, objects, db):
    endpoint = next(e for e in ENDPOINTS if e.key == key)
    url = endpoint.url(url_kwargs(endpoint, objects))
    with rolled_back():
        response = client(objects, persona).get(url)
    assert response.status_code == 200, f"{key} as {persona}: {response.status_code}"
    if "html" not in response.get("Content-Type", ""):
        return  # a PDF: no forms, and its views read no parameters
    parser = Forms(url)
    parser.feed(response.content.decode())
    forms = [f for f in parser.forms if urlsplit(f.action).netloc in ("", "testserver")]
    # The page's own query string: its GET forms' fields plus the usual list parameters.
    query = Form(method="get", action=url)
    for form in forms:
        if form.method == "get" and urlsplit(form.action).path == urlsplit(url).path:
            query.fields.update(form.fields)
    filtered = bool(query.fields)
    for name in QUERY_PARAMETERS:
        query.fields.setdefault(name, [])
    fuzz(objects, persona, query, examples=EXAMPLES if filtered else QUERY_EXAMPLES)
    for form in forms:
        if form.signature() in FUZZED or form.signature() == query.signature():
            continue
        FUZZED.add(form.signature())
        fuzz(objects, persona, form)


# --- The fuzzer itself finds what it is meant to find ------------------------------------------


@login_not_required
def _crashes(request):
    return HttpResponse(f"{int(request.GET.get('page') or 0) + 1}")


@login_not_required
def _reflects(request):
    return HttpResponse(f"<p>{request.POST.get('q', '')}</p>")


urlpatterns = [
    path("crash/", _crashes),
    path("reflect/", _reflects),
    path("", include("config.urls")),
]


@pytest.mark.urls(__name__)
def test_the_fuzzer_finds_a_server_error_and_an_unescaped_reflection(objects, db):
    with pytest.raises(ValueError):  # int("...") of a hostile page number
        fuzz(objects, "anon", Form(method="get", action="/crash/", fields={"page": ["1"]}))
    with pytest.raises(AssertionError, match="reflected unescaped"):
        fuzz(objects, "anon", Form(method="post", action="/reflect/", fields={"q": ["x"]}))
