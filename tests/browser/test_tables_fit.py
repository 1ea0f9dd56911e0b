"""Tables fit the screen: at 375 px and at 1280 px no page scrolls sideways, every table on
them scrolls inside its own container with its first column kept in view, and at 1280 px a
corporation sees the status of its vacancies without scrolling at all."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from placement.models import Vacancy
from tests.access_world import build_objects
from tests.factories import VacancyFactory
from tests.placement.placement_builders import household, today

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}

# Every table on the page, and whether it sits in a scrolling container; and the page's width.
MEASURE = """() => ({
  scroll: document.documentElement.scrollWidth,
  inner: window.innerWidth,
  loose: [...document.querySelectorAll('main table')]
    .filter(t => !t.closest('.table-responsive'))
    .map(t => t.id || t.className),
  tables: document.querySelectorAll('main table').length,
})"""


def fits(page: Page, url: str, viewport: dict) -> dict:
    page.set_viewport_size(viewport)
    page.goto(url)
    found = page.evaluate(MEASURE)
    where = f"{url} at {viewport['width']} px"
    assert found["scroll"] <= found["inner"], f"{where}: the page scrolls sideways"
    assert not found["loose"], f"{where}: tables outside a scroll container: {found['loose']}"
    return found


@pytest.fixture
def objects():
    """The access world (a meeting with its agenda, an invoice run, households, vacancies and
    nominations), plus rows with long names near their deadline for the dashboard."""
    built = build_objects()
    for n in range(3):
        household(
            built.world,
            persons=4,
            municipality=built.world.papendrecht,
            reference=f"DS-LANG-WACHTEND-{n}",
            link_date=today() - datetime.timedelta(weeks=11 + n),
        )
    VacancyFactory(
        corporation=built.world.trivire,
        municipality=built.world.zwijndrecht,
        street="Burgemeester Jansen van Galenstraat 112",
        place="Heerjansdam",
        status=Vacancy.Status.RETURNED,
        return_reason="Geen passend huishouden",
        dwelling_type=Vacancy.DwellingType.FLEX,
    )
    return built


def test_the_desks_pages_never_scroll_sideways(objects, log_in, page):
    log_in(objects.world.coordinator)
    urls = [
        reverse("dashboard"),
        reverse("household_list"),
        reverse("household_detail", args=[objects.household.pk]),
        reverse("vacancy_list"),
        reverse("vacancy_candidates", args=[objects.accepted_vacancy.pk]),
        reverse("meeting_detail", args=[objects.meeting.pk]),
        reverse("nomination_list"),
    ]
    tables = 0
    for url in urls:
        for viewport in (PHONE, DESKTOP):
            tables += fits(page, url, viewport)["tables"]
    assert tables >= 2 * 8  # the pages really show their tables (three on the agenda)


def test_a_wide_table_scrolls_in_its_container_with_the_first_column_kept(objects, log_in, page):
    log_in(objects.world.coordinator)
    page.set_viewport_size(PHONE)
    page.goto(reverse("vacancy_list"))
    container = page.locator("main .table-responsive").first
    first_cell = container.locator("tbody tr:first-child td:first-child")
    left_before = first_cell.bounding_box()["x"]

    container.evaluate("el => { el.scrollLeft = el.scrollWidth; }")

    assert container.evaluate("el => el.scrollLeft") > 100  # it did scroll
    assert abs(first_cell.bounding_box()["x"] - left_before) < 1
    assert first_cell.is_visible()


def test_a_corporation_sees_the_status_without_scrolling_at_1280(objects, log_in, page):
    log_in(objects.world.corporation)
    fits(page, reverse("vacancy_list"), PHONE)
    fits(page, reverse("vacancy_list"), DESKTOP)

    table = page.locator("#vacancy-table").bounding_box()
    status = page.locator("#vacancy-table thead th", has_text="Status").bounding_box()
    assert table["width"] <= DESKTOP["width"]
    assert status["x"] + status["width"] <= DESKTOP["width"]
    desk_table = page.locator("#vacancy-table")
    assert desk_table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")


def test_the_desks_vacancy_table_fits_at_1280(objects, log_in, page):
    log_in(objects.world.coordinator)
    fits(page, reverse("vacancy_list"), DESKTOP)

    assert page.locator("#vacancy-table").evaluate(
        "t => t.parentElement.scrollWidth <= t.parentElement.clientWidth"
    )


def test_household_detail_fits_at_1280(objects, log_in, page):
    log_in(objects.world.coordinator)
    fits(page, reverse("household_detail", args=[objects.household.pk]), DESKTOP)

    assert page.locator("#members").evaluate(
        "t => t.parentElement.scrollWidth <= t.parentElement.clientWidth"
    )


def test_billing_pages_never_scroll_sideways(objects, log_in, page):
    log_in(objects.world.finance)
    for url in (reverse("billing_overview"), reverse("billing_run", args=[objects.run.pk])):
        for viewport in (PHONE, DESKTOP):
            fits(page, url, viewport)


def test_the_officers_dashboard_never_scrolls_sideways(objects, log_in, page):
    log_in(objects.world.officer)
    for viewport in (PHONE, DESKTOP):
        fits(page, reverse("dashboard"), viewport)
        assert page.locator("#own-quota").is_visible()
