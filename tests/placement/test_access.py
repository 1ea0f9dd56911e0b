"""Who may open which page: every URL of the placement desk against every persona.

Design intent (``regions.access``): login is required everywhere; a page a role may not use
at all answers 403; an object outside the user's scope (another region, another corporation,
another municipality, or personal data the role may not see) answers 404, so that its
existence does not leak.
"""

from __future__ import annotations

import datetime
import io
import re
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from placement import urls as placement_urls
from placement.models import AgendaItem, Household, Meeting, Nomination, SupportLink, Vacancy
from tests.factories import HouseholdFactory, PersonFactory, UserFactory, VacancyFactory
from tests.login import log_in

LOGIN = "login"  # 302 to the login page, with ?next= pointing back at the page

PERSONAS = (
    "anonymous",
    "coordinator",
    "officer",
    "partner",
    "finance",
    "corporation",
    "other_corporation",
    "outsider",
    "outsider_corporation",
)

# Every row of the matrix: which URL, how it is called and on which object.
#   household      linked to Dordrecht (the officer works for Zwijndrecht)
#   zw_household   linked to Zwijndrecht
#   vacancy        Trivire's, accepted by the desk (visible to municipalities and partners)
#   submitted      Trivire's, just submitted (only the desk and Trivire see it)
#   nomination     a household nominated for another of Trivire's vacancies
#   meeting/item   the next Drechtsteden meeting and a household on its agenda
#   link           the partner's organisation supports ``household`` (a caseload link)
# POST rows send a valid (or harmless) body: an allowed user is redirected back (302).
ROUTES: dict[str, tuple[str, str, str | None, dict]] = {
    "dashboard": ("dashboard", "get", None, {}),
    "rules": ("rules", "get", None, {}),
    "household_list": ("household_list", "get", None, {}),
    "household_create": ("household_create", "get", None, {}),
    "household_detail": ("household_detail", "get", "household", {}),
    "household_edit": ("household_edit", "get", "household", {}),
    "household_edit zw": ("household_edit", "get", "zw_household", {}),
    "household_status": (
        "household_status",
        "post",
        "household",
        {"status": "withdrawn", "reason": "Omgekoppeld door COA"},
    ),
    "household_status zw": (
        "household_status",
        "post",
        "zw_household",
        {"status": "withdrawn", "reason": "Omgekoppeld door COA"},
    ),
    # An empty form: the coordinator (and the officer of its municipality) get it back, 400.
    "household_own_home": ("household_own_home", "post", "household", {}),
    "household_own_home zw": ("household_own_home", "post", "zw_household", {}),
    "household_vacancies": ("household_vacancies", "get", "household", {}),
    "household_read_log": ("household_read_log", "get", "household", {}),
    # An empty form: the coordinator gets it back with the error (400), nothing is created.
    "support_link_add": ("support_link_add", "post", "household", {}),
    "support_link_grants": ("support_link_grants", "post", "link", {}),
    "support_link_remove": ("support_link_remove", "get", "link", {}),
    "my_reads": ("my_reads", "get", None, {}),
    "vacancy_list": ("vacancy_list", "get", None, {}),
    "vacancy_create": ("vacancy_create", "get", None, {}),
    "vacancy_detail": ("vacancy_detail", "get", "vacancy", {}),
    "vacancy_detail submitted": ("vacancy_detail", "get", "submitted", {}),
    "vacancy_edit": ("vacancy_edit", "get", "vacancy", {}),
    "vacancy_edit submitted": ("vacancy_edit", "get", "submitted", {}),
    "vacancy_accept": ("vacancy_accept", "post", "submitted", {}),
    "vacancy_return": ("vacancy_return", "get", "submitted", {}),
    "vacancy_withdraw": ("vacancy_withdraw", "post", "submitted", {"confirm": "1"}),
    "vacancy_candidates": ("vacancy_candidates", "get", "vacancy", {}),
    "vacancy_nominate": ("vacancy_nominate", "post", "vacancy", {}),
    "meeting_list": ("meeting_list", "get", None, {}),
    "meeting_dates": ("meeting_dates", "get", None, {}),
    "meeting_schedule": ("meeting_schedule", "get", None, {}),
    "meeting_detail": ("meeting_detail", "get", "meeting", {}),
    "meeting_edit": ("meeting_edit", "get", "meeting", {}),
    "agenda_add": ("agenda_add", "get", "meeting", {}),
    "meeting_build_agenda": ("meeting_build_agenda", "post", "meeting", {}),
    "meeting_start": ("meeting_start", "post", "meeting", {}),
    "meeting_close": ("meeting_close", "get", "meeting", {}),
    "meeting_proposal": ("meeting_proposal", "get", "meeting", {}),
    "agenda_item_edit": ("agenda_item_edit", "get", "item", {}),
    "meeting_agenda_pdf": ("meeting_agenda_pdf", "get", "meeting", {}),
    "meeting_decisions_pdf": ("meeting_decisions_pdf", "get", "meeting", {}),
    "nomination_list": ("nomination_list", "get", None, {}),
    "nomination_detail": ("nomination_detail", "get", "nomination", {}),
    "nomination_outcome accept": ("nomination_outcome", "post", "nomination accept", {}),
    "nomination_outcome cancel": (
        "nomination_outcome",
        "post",
        "nomination cancel",
        {"cancel-reason": "Dubbel ingevoerd", "confirm": "1"},
    ),
}

# The expected answer per row and persona, in the order of PERSONAS: anonymous, coordinator,
# officer (Zwijndrecht), partner, finance, corporation (Trivire), other corporation (Woonbron),
# outsider (coordinator in Woerden e.o.), outsider corporation (GroenWest, Woerden e.o.).
# 302 is an allowed action that redirects back into the app; on the corporation's vacancy_edit
# of an accepted vacancy it is the redirect to the detail page (the desk has taken it on).
# fmt: off
MATRIX: dict[str, tuple] = {
    #                             anon   coord offcr partn finan corp  other outsd outco
    "dashboard":                 (LOGIN, 200,  200,  200,  200,  200,  200,  200,  200),
    "rules":                     (LOGIN, 200,  200,  200,  200,  200,  200,  200,  200),
    "household_list":            (LOGIN, 200,  200,  200,  403,  403,  403,  200,  403),
    "household_create":          (LOGIN, 200,  200,  403,  403,  403,  403,  200,  403),
    "household_detail":          (LOGIN, 200,  200,  200,  404,  404,  404,  404,  404),
    "household_edit":            (LOGIN, 200,  404,  404,  404,  404,  404,  404,  404),
    "household_edit zw":         (LOGIN, 200,  200,  404,  404,  404,  404,  404,  404),
    "household_status":          (LOGIN, 302,  404,  404,  404,  404,  404,  404,  404),
    "household_status zw":       (LOGIN, 302,  302,  404,  404,  404,  404,  404,  404),
    "household_own_home":        (LOGIN, 400,  404,  404,  404,  404,  404,  404,  404),
    "household_own_home zw":     (LOGIN, 400,  400,  404,  404,  404,  404,  404,  404),
    "household_vacancies":       (LOGIN, 200,  200,  200,  404,  404,  404,  404,  404),
    "household_read_log":        (LOGIN, 200,  403,  403,  403,  403,  403,  404,  403),
    "support_link_add":          (LOGIN, 400,  403,  403,  403,  403,  403,  404,  403),
    "support_link_grants":       (LOGIN, 302,  403,  403,  403,  403,  403,  404,  403),
    "support_link_remove":       (LOGIN, 200,  403,  403,  403,  403,  403,  404,  403),
    "my_reads":                  (LOGIN, 200,  200,  200,  200,  200,  200,  200,  200),
    "vacancy_list":              (LOGIN, 200,  200,  200,  403,  200,  200,  200,  200),
    "vacancy_create":            (LOGIN, 200,  403,  403,  403,  200,  200,  200,  200),
    "vacancy_detail":            (LOGIN, 200,  200,  200,  404,  200,  404,  404,  404),
    "vacancy_detail submitted":  (LOGIN, 200,  404,  404,  404,  200,  404,  404,  404),
    "vacancy_edit":              (LOGIN, 200,  403,  403,  404,  302,  404,  404,  404),
    "vacancy_edit submitted":    (LOGIN, 200,  404,  404,  404,  200,  404,  404,  404),
    "vacancy_accept":            (LOGIN, 302,  403,  403,  403,  403,  403,  404,  403),
    "vacancy_return":            (LOGIN, 200,  403,  403,  403,  403,  403,  404,  403),
    "vacancy_withdraw":          (LOGIN, 403,  403,  403,  403,  302,  404,  403,  404),
    "vacancy_candidates":        (LOGIN, 200,  200,  200,  403,  403,  403,  404,  403),
    "vacancy_nominate":          (LOGIN, 302,  403,  403,  403,  403,  403,  404,  403),
    "meeting_list":              (LOGIN, 200,  200,  200,  403,  403,  403,  200,  403),
    # The province's page (tests/regions/test_province.py): no persona here is a province.
    "meeting_dates":             (LOGIN, 403,  403,  403,  403,  403,  403,  403,  403),
    "meeting_schedule":          (LOGIN, 200,  403,  403,  403,  403,  403,  200,  403),
    "meeting_detail":            (LOGIN, 200,  200,  200,  404,  404,  404,  404,  404),
    "meeting_edit":              (LOGIN, 200,  403,  403,  403,  403,  403,  404,  403),
    "agenda_add":                (LOGIN, 200,  403,  403,  403,  403,  403,  404,  403),
    "meeting_build_agenda":      (LOGIN, 302,  403,  403,  403,  403,  403,  404,  403),
    "meeting_start":             (LOGIN, 302,  403,  403,  403,  403,  403,  404,  403),
    "meeting_close":             (LOGIN, 200,  403,  403,  403,  403,  403,  404,  403),
    "meeting_proposal":          (LOGIN, 200,  403,  403,  403,  403,  403,  404,  403),
    "agenda_item_edit":          (LOGIN, 200,  403,  403,  403,  403,  403,  404,  403),
    "meeting_agenda_pdf":        (LOGIN, 200,  200,  200,  404,  404,  404,  404,  404),
    "meeting_decisions_pdf":     (LOGIN, 200,  200,  200,  404,  404,  404,  404,  404),
    "nomination_list":           (LOGIN, 200,  200,  200,  403,  200,  200,  200,  200),
    "nomination_detail":         (LOGIN, 200,  200,  200,  404,  200,  404,  404,  404),
    "nomination_outcome accept": (LOGIN, 302,  403,  403,  403,  302,  404,  404,  404),
    "nomination_outcome cancel": (LOGIN, 302,  403,  403,  403,  403,  403,  404,  403),
}
# fmt: on


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas get a hashed password; the default hasher would make the matrix slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def objects(world):
    """The Drechtsteden objects every row of the matrix points at."""
    today = timezone.localdate()
    household = HouseholdFactory(
        linked_municipality=world.dordrecht,
        link_date=today - datetime.timedelta(weeks=5),
        status=Household.Status.SEARCHING,
    )
    PersonFactory(household=household, role="main")
    PersonFactory(household=household, role="partner")
    zw_household = HouseholdFactory(
        linked_municipality=world.zwijndrecht, status=Household.Status.SEARCHING
    )
    PersonFactory(household=zw_household, role="main")

    vacancy = VacancyFactory(
        corporation=world.trivire, municipality=world.dordrecht, status=Vacancy.Status.ACCEPTED
    )
    submitted = VacancyFactory(
        corporation=world.trivire, municipality=world.zwijndrecht, status=Vacancy.Status.SUBMITTED
    )
    nominated_vacancy = VacancyFactory(
        corporation=world.trivire, municipality=world.dordrecht, status=Vacancy.Status.NOMINATED
    )
    nominated_household = HouseholdFactory(
        linked_municipality=world.papendrecht, status=Household.Status.NOMINATED
    )
    PersonFactory(household=nominated_household, role="main")
    nomination = Nomination.objects.create(
        vacancy=nominated_vacancy, household=nominated_household, place=1
    )

    meeting = Meeting.objects.create(region=world.drecht, date=today + datetime.timedelta(days=9))
    item = AgendaItem.objects.create(
        meeting=meeting, kind=AgendaItem.Kind.HOUSEHOLD, household=household
    )
    link = SupportLink.objects.create(
        household=household, organisation=world.partner.membership.organisation
    )
    return SimpleNamespace(
        household=household,
        link=link,
        zw_household=zw_household,
        vacancy=vacancy,
        submitted=submitted,
        nomination=nomination,
        meeting=meeting,
        item=item,
    )


def url_of(row: str, objects) -> str:
    url_name, _method, target, _data = ROUTES[row]
    if target is None:
        return reverse(url_name)
    if target == "item":
        return reverse(url_name, args=[objects.meeting.pk, objects.item.pk])
    if target == "link":
        return reverse(url_name, args=[objects.household.pk, objects.link.pk])
    if target.startswith("nomination "):
        action = target.split()[1]
        return reverse(url_name, args=[objects.nomination.pk, action])
    return reverse(url_name, args=[getattr(objects, target).pk])


def login_url_for(path: str) -> str:
    return f"{reverse('login')}?next={quote(path)}"


CELLS = [
    pytest.param(row, persona, expected, id=f"{row.replace(' ', '-')}-{persona}")
    for row, codes in MATRIX.items()
    for persona, expected in zip(PERSONAS, codes, strict=True)
]


@pytest.mark.parametrize(("row", "persona", "expected"), CELLS)
def test_access_matrix(world, objects, client, client_for, row, persona, expected):
    _url_name, method, _target, data = ROUTES[row]
    path = url_of(row, objects)
    browser = client if persona == "anonymous" else client_for(getattr(world, persona))

    response = getattr(browser, method)(path, data)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == login_url_for(path)
        return
    assert response.status_code == expected, (
        f"{persona} on {row} ({method.upper()} {path}): {response.status_code}, expected {expected}"
    )
    if expected == 302:
        # An allowed action goes back into the app, never to the login page.
        assert not response["Location"].startswith(reverse("login"))


def test_every_row_has_a_cell_per_persona():
    assert set(MATRIX) == set(ROUTES)
    assert all(len(codes) == len(PERSONAS) for codes in MATRIX.values())


def _url_names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            # An unnamed pattern could not be put in the matrix: every one needs a name.
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(pattern.name)
    return names


def test_matrix_covers_every_placement_url():
    """A URL added to ``placement.urls`` must also get a row in the matrix above."""
    in_urls = _url_names(placement_urls.urlpatterns)
    in_matrix = {url_name for url_name, *_rest in ROUTES.values()}
    assert in_urls - in_matrix == set(), "URLs without a row in the access matrix"
    assert in_matrix - in_urls == set(), "matrix rows for URLs that no longer exist"


# --- The corporation never sees personal data -----------------------------------------------

DISTINCT_NAMES = ("Zarathustra Quagmire-Oyelaran", "Xiomara Quagmire-Oyelaran")
DISTINCT_V_NUMBERS = ("8765432109", "8765432110")
POOL_NAME = "Wilhelmina Pool-Vandersteen"
POOL_V_NUMBER = "8765432111"

HREF = re.compile(r'href="(/[^"#]*)"')


def _text_of(response) -> str:
    """The page's HTML, or the cells of a downloaded spreadsheet (checked for leaks too)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content)).active
        return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    return content.decode("utf-8-sig")


def _crawl(browser, start: str, limit: int = 200) -> dict[str, str]:
    """Every page reachable by following links from ``start``: path -> HTML."""
    skip = ("/static/", "/admin/", "/accounts/", "/i18n/")
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0).replace("&amp;", "&")
        if path in seen or path.startswith(skip):
            continue
        response = browser.get(path)
        seen[path] = _text_of(response) if response.status_code == 200 else ""
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            queue.extend(HREF.findall(seen[path]))
    return seen


@pytest.fixture
def private_households(world):
    """A household nominated for Trivire's dwelling and one waiting in the pool, both with
    names and V-numbers that occur nowhere else."""
    nominated_vacancy = VacancyFactory(
        corporation=world.trivire, municipality=world.dordrecht, status=Vacancy.Status.NOMINATED
    )
    VacancyFactory(
        corporation=world.trivire, municipality=world.zwijndrecht, status=Vacancy.Status.SUBMITTED
    )
    VacancyFactory(
        corporation=world.trivire,
        municipality=world.papendrecht,
        status=Vacancy.Status.ACCEPTED,
        return_deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    nominated = HouseholdFactory(
        linked_municipality=world.dordrecht, status=Household.Status.NOMINATED
    )
    for name, v_number, role in zip(
        DISTINCT_NAMES, DISTINCT_V_NUMBERS, ("main", "partner"), strict=True
    ):
        PersonFactory(household=nominated, full_name=name, v_number=v_number, role=role)
    Nomination.objects.create(vacancy=nominated_vacancy, household=nominated, place=1)
    waiting = HouseholdFactory(
        linked_municipality=world.zwijndrecht,
        link_date=timezone.localdate() - datetime.timedelta(weeks=13),
    )
    PersonFactory(household=waiting, full_name=POOL_NAME, v_number=POOL_V_NUMBER)
    return SimpleNamespace(nominated=nominated, waiting=waiting, vacancy=nominated_vacancy)


def test_the_data_is_there_for_the_desk(world, private_households, client_for):
    """The check below only means something if the strings do show up for the desk."""
    desk = client_for(world.coordinator)
    detail = desk.get(reverse("household_detail", args=[private_households.nominated.pk]))
    assert DISTINCT_NAMES[0] in detail.content.decode()
    assert DISTINCT_V_NUMBERS[0] in detail.content.decode()
    pool = desk.get(reverse("household_list")).content.decode()
    assert POOL_NAME in pool


def test_corporation_pages_never_show_household_names_or_v_numbers(
    world, private_households, client_for
):
    corporation = client_for(world.corporation)
    pages = _crawl(corporation, reverse("dashboard"))
    nomination = private_households.nominated.nominations.get()

    # The crawl reached every kind of page the corporation works with.
    reached = set(pages)
    for must_reach in (
        reverse("dashboard"),
        reverse("vacancy_list"),
        reverse("vacancy_create"),
        reverse("vacancy_detail", args=[private_households.vacancy.pk]),
    ):
        assert must_reach in reached, must_reach
    # Nominations are not necessarily linked from the menu: open them explicitly too.
    for path in (reverse("nomination_list"), reverse("nomination_detail", args=[nomination.pk])):
        response = corporation.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content.decode()

    secrets = (*DISTINCT_NAMES, *DISTINCT_V_NUMBERS, POOL_NAME, POOL_V_NUMBER, "Quagmire")
    leaks = {path: [s for s in secrets if s in html] for path, html in pages.items()}
    assert {path: found for path, found in leaks.items() if found} == {}


def test_corporation_cannot_open_the_households_it_was_offered(
    world, private_households, client_for
):
    corporation = client_for(world.corporation)
    for household in (private_households.nominated, private_households.waiting):
        for url_name in ("household_detail", "household_edit", "household_vacancies"):
            response = corporation.get(reverse(url_name, args=[household.pk]))
            assert response.status_code == 404, url_name
    assert corporation.get(reverse("household_list")).status_code == 403
    search = corporation.get(reverse("household_list"), {"q": DISTINCT_V_NUMBERS[0]})
    assert search.status_code == 403
    assert DISTINCT_NAMES[0] not in search.content.decode()


# --- The partner reads the pool but changes nothing -----------------------------------------


def test_partner_sees_the_pool_without_new_or_edit_links(world, objects, client_for):
    partner = client_for(world.partner)
    pool = partner.get(reverse("household_list"))
    assert pool.status_code == 200
    html = pool.content.decode()
    assert objects.household.reference in html
    assert f'href="{reverse("household_create")}"' not in html

    detail = partner.get(reverse("household_detail", args=[objects.household.pk])).content.decode()
    assert objects.household.reference in detail
    assert reverse("household_edit", args=[objects.household.pk]) not in detail
    assert reverse("household_status", args=[objects.household.pk]) not in detail


def test_coordinator_does_get_the_links_the_partner_lacks(world, objects, client_for):
    desk = client_for(world.coordinator)
    pool = desk.get(reverse("household_list")).content.decode()
    assert f'href="{reverse("household_create")}"' in pool
    detail = desk.get(reverse("household_detail", args=[objects.household.pk])).content.decode()
    assert reverse("household_edit", args=[objects.household.pk]) in detail


def _household_post(world, **overrides) -> dict:
    data = {
        "linked_municipality": world.dordrecht.pk,
        "link_date": (timezone.localdate() - datetime.timedelta(weeks=1)).isoformat(),
        "language": "Tigrinya",
        "income_type": "benefit",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-full_name": "Partner Poging",
        "members-0-date_of_birth": "1991-02-03",
        "members-0-role": "main",
        "members-0-v_number": "5550001234",
        "members-0-present": "on",
    }
    data.update(overrides)
    return data


def test_partner_cannot_create_or_change_households(world, objects, client_for):
    partner = client_for(world.partner)
    before = Household.objects.count()

    created = partner.post(reverse("household_create"), _household_post(world))
    assert created.status_code == 403
    assert Household.objects.count() == before

    edit_url = reverse("household_edit", args=[objects.household.pk])
    edited = partner.post(edit_url, _household_post(world, language="Veranderd"))
    assert edited.status_code == 404
    status_url = reverse("household_status", args=[objects.household.pk])
    status = partner.post(status_url, {"status": "withdrawn", "reason": "poging"})
    assert status.status_code == 404

    objects.household.refresh_from_db()
    assert objects.household.language != "Veranderd"
    assert objects.household.status == Household.Status.SEARCHING


def test_officer_edits_own_municipality_but_not_another(world, objects, client_for):
    officer = client_for(world.officer)
    own = officer.post(
        reverse("household_status", args=[objects.zw_household.pk]),
        {"status": "withdrawn", "reason": "Omgekoppeld"},
    )
    assert own.status_code == 302
    objects.zw_household.refresh_from_db()
    assert objects.zw_household.status == Household.Status.WITHDRAWN

    other = officer.post(
        reverse("household_status", args=[objects.household.pk]),
        {"status": "withdrawn", "reason": "Omgekoppeld"},
    )
    assert other.status_code == 404
    objects.household.refresh_from_db()
    assert objects.household.status == Household.Status.SEARCHING


# --- Users outside any organisation ---------------------------------------------------------


def test_superuser_without_membership_gets_the_not_linked_page(db, client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    log_in(client, admin)  # with the second step staff must pass
    # The interface language the user chose in the header.
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    assert "not linked to an organisation" in response.content.decode()
    assert "placement/no_membership.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    "url_name", ["household_list", "household_create", "vacancy_list", "nomination_list"]
)
def test_superuser_without_membership_sees_no_lists(db, client, url_name):
    """Being a superuser gives no access to the desk's data: only a membership does."""
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    log_in(client, admin)  # with the second step staff must pass
    assert client.get(reverse(url_name)).status_code == 403


# --- Outsiders cannot reach into Drechtsteden through their own pages ------------------------


def test_outsider_cannot_nominate_drechtsteden_objects_from_own_meeting(world, objects, client_for):
    own_meeting = Meeting.objects.create(
        region=world.woerden_region, date=timezone.localdate() + datetime.timedelta(days=5)
    )
    before = Nomination.objects.count()
    line = f"{objects.vacancy.pk}-1-{objects.household.pk}"

    response = client_for(world.outsider).post(
        reverse("meeting_proposal", args=[own_meeting.pk]), {"line": [line], "confirm": "1"}
    )

    assert response.status_code == 302
    assert Nomination.objects.count() == before
    objects.household.refresh_from_db()
    assert objects.household.status == Household.Status.SEARCHING


def test_outsider_cannot_filter_the_pool_on_a_drechtsteden_reference(world, objects, client_for):
    response = client_for(world.outsider).get(
        reverse("household_list"), {"q": objects.household.reference, "all": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("household_detail", args=[objects.household.pk]) not in html
    assert re.search(r'id="result-count"[^>]*>\s*0\b', html)


def test_user_without_membership_can_still_read_the_rules(db, client):
    client.force_login(UserFactory(username="nieuw"))
    assert client.get(reverse("rules")).status_code == 200
