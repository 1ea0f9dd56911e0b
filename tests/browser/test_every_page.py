"""Every page the coordinator, the municipality officer, the corporation and finance may open
passes axe-core (WCAG 2.1 A and AA, 0 violations) and never scrolls sideways: at 1280 px every
page, at 375 px (a phone) the pages of each role's main task.

The pages are the GET cells of the access matrix (``tests/test_access_matrix.py``) where the
persona gets a 200, with the matrix's own world (``tests/access_world.py``) and URL arguments:
a page added to the matrix is checked here too. A failure lists every page with its problems
(axe's rule, help and nodes; the elements that stick out), not only the first one.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from tests import test_access_matrix as matrix
from tests.access_world import PERSONA_USERS, build_objects
from tests.browser.axe import page_problems

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
# What each role comes to do, checked on a phone too: the pool and a household, the vacancies
# (list, form, candidates), a nomination, the meeting, the billing overview and an invoice run,
# and the dashboard that leads to them. A role sees those of them it may open.
MAIN_TASK = (
    "dashboard",
    "household_list",
    "household_detail",
    "vacancy_list",
    "vacancy_create",
    "vacancy_candidates",
    "nomination_detail",
    "meeting_detail",
    "billing_overview",
    "billing_run",
)
ROLES = ("coord", "officer", "corp", "finance")
# Forms also checked as sent back with errors (the error summary, the fields' messages).
SENT_EMPTY = (
    "vacancy_create",
    "household_create",
    "billing_cost_key_create",
    "import_upload",
    "directory_add",
)
# Downloads (a file, not a page) that answer 200, and /health/ (JSON for probes).
FILE_DOWNLOADS = (
    "import_current_list",
    "directory_vcard",
    "directory_export",
    "reports_export",
    "health",
)
# Downloads, not pages: the exports (XLSX/CSV) and a prepared download's file.
FILES = ("export_", "download_file")
# Routes of pages whose layout does not depend on the role (the account pages).
SAME_FOR_EVERY_ROLE = ("accounts/", "privacy/")


def opens(persona: str, endpoint) -> bool:
    """The persona gets the page itself (a 200 in the matrix), and it is HTML (not a PDF or
    another file)."""
    row = matrix.expected_row(endpoint.key)
    if row is None or endpoint.name is None or endpoint.name.endswith("_pdf"):
        return False
    if endpoint.name.startswith(FILES):
        return False
    if endpoint.name in FILE_DOWNLOADS:
        return False
    return matrix.tokens(row[0])[matrix.PERSONAS.index(persona)] == "200"


def pages_for(persona: str, objects, *, seen: set[str]) -> dict[str, str]:
    """URL name -> URL of every page the persona may open, plus a state the matrix does not
    visit: a submitted vacancy, with its actions, for those who may still change it. The
    account pages look the same to every role: only the first role visits them (``seen``)."""
    pages = {}
    for endpoint in matrix.ENDPOINTS:
        if not opens(persona, endpoint):
            continue
        if endpoint.route.startswith(SAME_FOR_EVERY_ROLE):
            if endpoint.name in seen:
                continue
            seen.add(endpoint.name)
        pages[endpoint.name] = endpoint.url(matrix.url_kwargs(endpoint, objects))
    if "vacancy_edit" in pages:
        pages["vacancy_detail (submitted)"] = reverse("vacancy_detail", args=[objects.vacancy.pk])
    if "whatif" in pages:
        # The what-if with figures: a period around the world's vacancies (its default, the
        # last half-year, is empty and shows only the form and the method).
        today = timezone.localdate()
        start, end = today - datetime.timedelta(days=60), today + datetime.timedelta(days=90)
        pages["whatif (with figures)"] = (
            f"{reverse('whatif')}?start={start.isoformat()}&end={end.isoformat()}&seed=1"
        )
    return pages


def province_pages(objects, *, seen: set[str]) -> dict[str, str]:
    """The pages the province officer opens: a 200 in her own table (``matrix.PROVINCE``, not
    a column of MATRIX), HTML only, the account pages only if no role visited them yet."""
    pages = {}
    for endpoint in matrix.ENDPOINTS:
        name = endpoint.name
        if endpoint.namespace == "admin" or name is None or name.endswith("_pdf"):
            continue
        if name.startswith(FILES) or name in FILE_DOWNLOADS:
            continue
        row = matrix.PROVINCE.get(endpoint.key) or matrix.province_default(endpoint)
        if row[0] != "200" or (endpoint.route.startswith(SAME_FOR_EVERY_ROLE) and name in seen):
            continue
        pages[name] = endpoint.url(matrix.url_kwargs(endpoint, objects))
    return pages


def submit_empty(page: Page) -> None:
    """Send the page's form without filling it in (past the browser's own checks), so the
    server answers with its error summary and the fields' messages."""
    form = page.locator("main form[method=post]").first
    form.evaluate("(f) => { f.noValidate = true; }")
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def check(
    page: Page, url: str, viewport: dict, found: dict[str, list[str]], label: str, *, sent=False
) -> None:
    """Open the page at the viewport's size (``sent``: and send its form empty) and note
    what is wrong with it under ``found``."""
    page.set_viewport_size(viewport)
    response = page.goto(url)
    where = f"{label}{' (sent empty)' if sent else ''} {url} at {viewport['width']} px"
    if response is None or response.status != 200:
        found[where] = [f"answered {response.status if response else 'nothing'}"]
        return
    if sent:
        submit_empty(page)
    if problems := page_problems(page):
        found[where] = problems


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"\n{where}:\n" + "\n".join(f"  {p}" for p in problems) for where, problems in found.items()
    )


def test_every_page_is_accessible_and_fits_the_screen(browser, base_url, log_in):
    objects = build_objects()  # once: the roles look at the same world
    seen: set[str] = set()
    found: dict[str, list[str]] = {}
    counted: dict[str, int] = {}
    for persona in ROLES:
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        page.set_default_timeout(10_000)  # a broken page fails fast, not after 30 s
        log_in(getattr(objects.world, PERSONA_USERS[persona]), page=page)
        pages = pages_for(persona, objects, seen=seen)
        counted[persona] = len(pages)

        for name, url in pages.items():
            check(page, url, DESKTOP, found, f"{persona}: {name}")
        for name in MAIN_TASK:
            if name in pages:
                check(page, pages[name], PHONE, found, f"{persona}: {name}")
        # A form sent back with errors: the error summary and the fields' messages pass too.
        for name in SENT_EMPTY:
            if name in pages:
                for viewport in (DESKTOP, PHONE):
                    check(page, pages[name], viewport, found, f"{persona}: {name}", sent=True)
        context.close()

    # The province officer (issue 13): her overview, quota and meeting dates, desktop and phone.
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(objects.world.province_officer, page=page)
    pages = province_pages(objects, seen=seen)
    assert len(pages) >= 4, f"too few province pages found: {sorted(pages)}"
    for name, url in pages.items():
        check(page, url, DESKTOP, found, f"province: {name}")
        check(page, url, PHONE, found, f"province: {name}")
    context.close()

    assert all(n >= 8 for n in counted.values()), f"too few pages found in the matrix: {counted}"
    assert not found, f"{len(found)} of the pages checked fail:{report(found)}"
