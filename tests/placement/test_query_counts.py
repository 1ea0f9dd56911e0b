"""List pages: a fixed number of queries whatever the number of rows; and the pool's filters,
sorting and htmx partial as a user of the pool would notice them."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from placement.models import Household, Vacancy
from tests.factories import HouseholdFactory, PersonFactory, VacancyFactory

# Queries per page, measured with 3 and with 30 rows (households of five, four present).
# Every page spends 3 on the session, the user and the membership (+1 for coordinators and
# finance: the OTP device of their two-step login, checked by django-otp on every request);
# the rest is the page's own:
#   household_list  municipalities (filter form), count, households (sizes annotated, linked
#                   municipality joined), main applicants (one prefetch)
#   vacancy_list    municipalities and corporations (filter form; not for a corporation),
#                   count, vacancies (municipality and corporation joined)
#   dashboard       coordinator: status counts (the open count is their sum), near deadline,
#                   overdue, vacancy counts, near return, to review; officer: the same but
#                   "to review", plus own open and overdue (one query)
#                   and own overdue, and its own quota position (the ledger: rule, periods,
#                   municipalities, targets, placements, own homes; and their members' arrival
#                   dates, one query each when there are any); corporation: vacancy
#                   counts, near return, recently changed; finance: one grouped count per
#                   municipality
# N: the header's count of unread notices (one COUNT query on every signed-in page).
N = 1
QUERIES = {
    # + 1: the read-access log records the named rows of the page in one INSERT.
    "household_list coordinator": 7 + 1 + 1 + N,
    "vacancy_list coordinator": 7 + 1 + N,
    "vacancy_list corporation": 6 + N,
    # + 2: the next meeting in today's schedule (the region's closed days, its open meetings).
    "dashboard coordinator": 9 + 1 + 2 + N,
    "dashboard officer": 9 + 2 + 6 + N,
    "dashboard corporation": 6 + N,
    "dashboard finance": 4 + 1 + N,
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas get a hashed password; the default hasher is needlessly slow in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def today() -> datetime.date:
    return timezone.localdate()


def add_rows(world, start: int, stop: int) -> None:
    """Households and vacancies ``start`` up to ``stop``: spread over municipalities,
    corporations and statuses so that every section of every page has rows to show."""
    municipalities = [world.dordrecht, world.zwijndrecht, world.papendrecht]
    household_statuses = [
        Household.Status.SEARCHING,
        Household.Status.REGISTERED,
        Household.Status.NOMINATED,
        Household.Status.HOUSED,
    ]
    vacancy_statuses = [
        Vacancy.Status.ACCEPTED,
        Vacancy.Status.SUBMITTED,
        Vacancy.Status.ON_AGENDA,
        Vacancy.Status.RETURNED,
    ]
    for i in range(start, stop):
        household = HouseholdFactory(
            linked_municipality=municipalities[i % 3],
            # 9 to 16 weeks: near or past the deadline, so the dashboard lists them.
            link_date=today() - datetime.timedelta(weeks=9 + i % 8),
            status=household_statuses[i % 4],
        )
        for role in ("main", "partner", "child", "child"):
            PersonFactory(household=household, role=role)
        PersonFactory(household=household, role="child", present=False, v_number="")

        status = vacancy_statuses[i % 4]
        VacancyFactory(
            corporation=world.trivire if i % 3 else world.woonbron,
            municipality=municipalities[(i + 1) % 3],
            status=status,
            return_deadline=today() + datetime.timedelta(days=3 + i % 20),
            return_reason="Geen kandidaat" if status == Vacancy.Status.RETURNED else "",
        )


def queries_for(browser, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(path)
    assert response.status_code == 200, path
    return len(captured), [q["sql"] for q in captured.captured_queries]


PAGES = [
    ("household_list coordinator", "household_list", "coordinator"),
    ("vacancy_list coordinator", "vacancy_list", "coordinator"),
    ("vacancy_list corporation", "vacancy_list", "corporation"),
    ("dashboard coordinator", "dashboard", "coordinator"),
    ("dashboard officer", "dashboard", "officer"),
    ("dashboard corporation", "dashboard", "corporation"),
    ("dashboard finance", "dashboard", "finance"),
]


@pytest.mark.parametrize(("key", "url_name", "persona"), PAGES, ids=[p[0] for p in PAGES])
def test_query_count_does_not_grow_with_rows(
    world, client_for, django_assert_num_queries, key, url_name, persona
):
    browser = client_for(getattr(world, persona))
    path = reverse(url_name)
    browser.get(path)  # the first visit may store the region's default quota rule

    add_rows(world, 0, 3)
    n_small, _ = queries_for(browser, path)
    add_rows(world, 3, 30)
    n_large, large_sql = queries_for(browser, path)

    assert n_small == n_large == QUERIES[key], "\n".join(large_sql)
    with django_assert_num_queries(QUERIES[key]):
        browser.get(path)


def test_the_large_pages_do_show_many_rows(world, client_for):
    """The counts above are measured on pages that really list the rows."""
    add_rows(world, 0, 30)
    desk = client_for(world.coordinator)
    pool = desk.get(reverse("household_list")).content.decode()
    assert pool.count('href="/huishoudens/') >= 20
    vacancies = desk.get(reverse("vacancy_list")).content.decode()
    assert vacancies.count('href="/woningaanbod/') >= 20
    dashboard = desk.get(reverse("dashboard")).content.decode()
    assert 'id="near-deadline"' in dashboard
    assert 'id="to-review"' in dashboard
    assert 'id="near-return"' in dashboard
    corporation = client_for(world.corporation).get(reverse("dashboard")).content.decode()
    assert 'id="recent-vacancies"' in corporation


# --- The pool: filters, sorting and the htmx partial ----------------------------------------


def member(household, name: str, v_number: str = "", *, role="child", present=True):
    return PersonFactory(
        household=household, full_name=name, v_number=v_number, role=role, present=present
    )


@pytest.fixture
def pool(world):
    """Five households of Drechtsteden, one in another region.

    ref      linked to    present/total  waiting   status
    single   Dordrecht    1 / 1          2 weeks   searching
    family   Zwijndrecht  3 / 4          11 weeks  searching  (past the deadline)
    large    Dordrecht    5 / 5          15 weeks  nominated  (past the deadline)
    housed   Papendrecht  2 / 2          20 weeks  housed
    later    Zwijndrecht  2 / 4          6 weeks   registered (two expected later)
    """

    def household(ref, municipality, weeks, status):
        return HouseholdFactory(
            reference=ref,
            linked_municipality=municipality,
            link_date=today() - datetime.timedelta(weeks=weeks, days=3),
            status=status,
        )

    single = household("DS-SINGLE", world.dordrecht, 2, Household.Status.SEARCHING)
    member(single, "Amal Haddad", "5550000001", role="main")

    family = household("DS-FAMILY", world.zwijndrecht, 11, Household.Status.SEARCHING)
    member(family, "Yonas Tesfay", "5550000002", role="main")
    member(family, "Saba Tesfay", "5550000003", role="partner")
    member(family, "Lidya Tesfay", "5550000004")
    member(family, "Abel Tesfay", present=False)

    large = household("DS-LARGE", world.dordrecht, 15, Household.Status.NOMINATED)
    member(large, "Omar Karimi", "5550000005", role="main")
    member(large, "Layla Karimi", "5550000006", role="partner")
    for i in range(3):
        member(large, f"Kind Karimi {i}", f"555000001{i}")

    housed = household("DS-HOUSED", world.papendrecht, 20, Household.Status.HOUSED)
    member(housed, "Hana Rahimi", "5550000020", role="main")
    member(housed, "Reza Rahimi", "5550000021", role="partner")

    later = household("DS-LATER", world.zwijndrecht, 6, Household.Status.REGISTERED)
    member(later, "Dawit Gebre", "5550000030", role="main")
    member(later, "Mulu Gebre", "5550000031", role="partner")
    member(later, "Selam Gebre", present=False)
    member(later, "Eden Gebre", present=False)

    elsewhere = HouseholdFactory(
        reference="WO-ELSEWHERE",
        linked_municipality=world.woerden,
        link_date=today() - datetime.timedelta(weeks=12),
    )
    member(elsewhere, "Andere Regio", "5550000040", role="main")
    return SimpleNamespace(
        single=single, family=family, large=large, housed=housed, later=later, elsewhere=elsewhere
    )


ROW_LINK = re.compile(r'href="/huishoudens/(\d+)/"')


def shown(browser, params: dict | None = None, *, htmx: bool = True) -> list[str]:
    """References of the households in the pool table, in the order shown."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = browser.get(reverse("household_list"), params or {}, **headers)
    assert response.status_code == 200
    ids = [int(pk) for pk in ROW_LINK.findall(response.content.decode())]
    by_id = dict(Household.objects.filter(pk__in=ids).values_list("pk", "reference"))
    return [by_id[pk] for pk in ids]


@pytest.fixture
def desk(world, client_for):
    return client_for(world.coordinator)


def test_htmx_request_gets_only_the_results_fragment(desk, pool):
    response = desk.get(reverse("household_list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<form" not in html  # the filter form stays on the page, only the table is swapped
    assert 'id="pool-table"' in html
    assert 'id="result-count"' in html

    full = desk.get(reverse("household_list")).content.decode()
    assert "<html" in full
    assert 'id="pool-table"' in full


def test_htmx_fragment_with_filters_lists_only_matching_rows(world, desk, pool):
    params = {"linked_municipality": world.zwijndrecht.pk, "size_min": 3, "weeks_min": 10}
    response = desk.get(reverse("household_list"), params, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert shown(desk, params) == ["DS-FAMILY"]
    assert "Yonas Tesfay" in html  # the main applicant's name in the row
    for other in ("DS-SINGLE", "DS-LARGE", "DS-HOUSED", "DS-LATER", "WO-ELSEWHERE"):
        assert other not in html


def test_default_pool_shows_open_households_of_own_region_only(desk, pool):
    assert sorted(shown(desk)) == ["DS-FAMILY", "DS-LARGE", "DS-LATER", "DS-SINGLE"]


def test_all_shows_housed_households_too(desk, pool):
    assert sorted(shown(desk, {"all": "1"})) == [
        "DS-FAMILY",
        "DS-HOUSED",
        "DS-LARGE",
        "DS-LATER",
        "DS-SINGLE",
    ]


def test_size_filters_use_the_expected_size_as_matching_does(desk, pool):
    # DS-LATER has two members here and two expected later: expected size 4, as matching
    # counts it. DS-FAMILY: 3 present + 1 expected = 4.
    assert sorted(shown(desk, {"size_min": 4})) == ["DS-FAMILY", "DS-LARGE", "DS-LATER"]
    assert sorted(shown(desk, {"size_max": 2})) == ["DS-SINGLE"]
    assert sorted(shown(desk, {"size_min": 2, "size_max": 4})) == ["DS-FAMILY", "DS-LATER"]
    assert sorted(shown(desk, {"size_min": 2, "all": "1"})) == [
        "DS-FAMILY",
        "DS-HOUSED",
        "DS-LARGE",
        "DS-LATER",
    ]


def test_the_pool_shows_present_plus_expected(desk, pool):
    html = desk.get(reverse("household_list"), HTTP_HX_REQUEST="true").content.decode()
    later_row = html.split(f'href="/huishoudens/{pool.later.pk}/"')[1].split("</tr>")[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", later_row).split())

    with translation.override("nl"):
        expected = translation.gettext("%(n)s expected") % {"n": 2}  # "2 verwacht"
    assert f"2 + {expected}" in text
    single_row = html.split(f'href="/huishoudens/{pool.single.pk}/"')[1].split("</tr>")[0]
    assert "+" not in re.sub(r"<[^>]+>", " ", single_row)


def test_weeks_min_filter(desk, pool):
    assert sorted(shown(desk, {"weeks_min": 10})) == ["DS-FAMILY", "DS-LARGE"]
    assert sorted(shown(desk, {"weeks_min": 6})) == ["DS-FAMILY", "DS-LARGE", "DS-LATER"]
    assert sorted(shown(desk, {"weeks_min": 18, "all": "1"})) == ["DS-HOUSED"]


def test_overdue_filter_is_open_households_past_ten_weeks(desk, pool):
    assert sorted(shown(desk, {"overdue": "on"})) == ["DS-FAMILY", "DS-LARGE"]
    # Housed long ago is not overdue, even when every status is shown.
    assert sorted(shown(desk, {"overdue": "on", "all": "1"})) == ["DS-FAMILY", "DS-LARGE"]


def test_status_filter(desk, pool):
    assert shown(desk, {"status": "nominated"}) == ["DS-LARGE"]
    assert shown(desk, {"status": "housed"}) == ["DS-HOUSED"]
    assert sorted(shown(desk, {"status": ["registered", "searching"]})) == [
        "DS-FAMILY",
        "DS-LATER",
        "DS-SINGLE",
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("DS-FAMILY", ["DS-FAMILY"]),  # reference
        ("ds-lat", ["DS-LATER"]),  # part of a reference, any case
        ("haddad", ["DS-SINGLE"]),  # part of a name
        ("Saba Tesfay", ["DS-FAMILY"]),  # the name of a member who is not the main applicant
        ("Karimi", ["DS-LARGE"]),  # five members match: the household is listed once
        ("5550000006", ["DS-LARGE"]),  # the partner's V-number
        ("5550000040", []),  # a V-number in another region
        ("Rahimi", []),  # housed: not in the default pool
    ],
)
def test_search_by_reference_name_or_v_number(desk, pool, q, expected):
    assert shown(desk, {"q": q}) == expected


def test_search_result_count_counts_households_not_members(desk, pool):
    html = desk.get(reverse("household_list"), {"q": "Karimi"}, HTTP_HX_REQUEST="true")
    count = re.search(r'id="result-count"[^>]*>\s*(\d+)', html.content.decode())
    assert count is not None and count.group(1) == "1"


def test_sort_by_size(desk, pool):
    assert shown(desk, {"sort": "size"}) == ["DS-SINGLE", "DS-LATER", "DS-FAMILY", "DS-LARGE"]
    assert shown(desk, {"sort": "-size"}) == ["DS-LARGE", "DS-FAMILY", "DS-LATER", "DS-SINGLE"]


def test_sort_by_weeks_waiting(desk, pool):
    shortest_first = ["DS-SINGLE", "DS-LATER", "DS-FAMILY", "DS-LARGE"]
    assert shown(desk, {"sort": "weeks_waiting"}) == shortest_first
    assert shown(desk, {"sort": "-weeks_waiting"}) == shortest_first[::-1]


def test_default_order_is_longest_waiting_first(desk, pool):
    assert shown(desk, htmx=False) == ["DS-LARGE", "DS-FAMILY", "DS-LATER", "DS-SINGLE"]


def test_sort_together_with_a_filter(world, desk, pool):
    params = {"sort": "-size", "linked_municipality": world.dordrecht.pk}
    assert shown(desk, params) == ["DS-LARGE", "DS-SINGLE"]


def test_search_combined_with_size_counts_every_present_member(desk, pool):
    """The name search joins the members a second time: sizes must still count them all."""
    assert shown(desk, {"q": "Karimi", "size_min": 5, "size_max": 5}) == ["DS-LARGE"]
    assert shown(desk, {"q": "Kind Karimi 1", "size_min": 5}) == ["DS-LARGE"]
    # Tesfay: 3 present + 1 expected = expected size 4.
    assert shown(desk, {"q": "Tesfay", "size_max": 4}) == ["DS-FAMILY"]
    assert shown(desk, {"q": "Tesfay", "size_min": 5}) == []


def test_filter_on_another_regions_municipality_shows_nothing_of_that_region(
    world, client_for, pool
):
    outsider = client_for(world.outsider)
    assert shown(outsider) == ["WO-ELSEWHERE"]
    html = outsider.get(
        reverse("household_list"),
        {"linked_municipality": world.dordrecht.pk, "all": "1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    for reference in ("DS-SINGLE", "DS-FAMILY", "DS-LARGE", "DS-HOUSED", "DS-LATER"):
        assert reference not in html


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "nonsense"},
        {"sort": "main_applicant"},
        {"sort": "-deadline"},
        {"page": "abc"},
        {"page": "99"},
        {"size_min": "abc"},
        {"weeks_min": "-1"},
        {"linked_municipality": "abc"},
        {"status": "not-a-status"},
        {"overdue": "maybe"},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
def test_odd_pool_parameters_never_break_the_page(desk, pool, params):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = desk.get(reverse("household_list"), params, **headers)
        assert response.status_code == 200
