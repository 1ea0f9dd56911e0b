"""Journeys through the regional meeting, a nomination's outcome, billing and the quota.

Like ``test_journeys.py``: elements are found by id, name or URL; texts that must be checked
are taken from the translation catalogue the server uses (``dutch(...)``), and numbers are
formatted the way the Dutch interface formats them (``dutch_number(...)``).
"""

import datetime
import io
import re
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from billing import services as billing_services
from billing.models import CostKey, Invoice, InvoiceRun
from placement import meetings as meeting_service
from placement.models import Household, Meeting, Nomination, Person, Vacancy
from placement.nominating import nomination_create
from quota.models import QuotaPeriod, QuotaTarget
from tests.factories import HouseholdFactory, PersonFactory, VacancyFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = {1: ("main",), 2: ("main", "partner"), 3: ("main", "partner", "child")}
BORN = {
    "main": datetime.date(1986, 3, 14),
    "partner": datetime.date(1988, 9, 23),
    "child": datetime.date(2015, 11, 8),
}


def dutch(text) -> str:
    """A message (an English msgid or a lazy label) as the Dutch interface shows it."""
    with translation.override("nl"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def dutch_plural(singular: str, plural: str, n: int) -> str:
    """A counted message (ngettext) as the Dutch interface shows it, ``%(n)s`` filled in."""
    with translation.override("nl"):
        return translation.ngettext(singular, plural, n) % {"n": n}


def dutch_number(value) -> str:
    """A number as a Dutch template renders it (decimal comma)."""
    with translation.override("nl"):
        return formats.localize(value)


def url_is(path: str) -> re.Pattern:
    """Match the page URL on its path, whatever the live server's host and port."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def today() -> datetime.date:
    """Today as the app sees it (Europe/Amsterdam), not the machine's UTC date."""
    return timezone.localdate()


def family(municipality, *, persons: int, weeks: int = 3, names=(), **kwargs) -> Household:
    """A household of ``persons`` linked ``weeks`` ago, its members with distinctive names."""
    household = HouseholdFactory(
        linked_municipality=municipality,
        link_date=today() - datetime.timedelta(weeks=weeks),
        **kwargs,
    )
    for role, name in zip(ROLES[persons], names, strict=True):
        PersonFactory(household=household, role=role, full_name=name, date_of_birth=BORN[role])
    return household


def pdf_text(page: Page, href: str) -> str:
    """Fetch a PDF with the page's logged-in session; its text, after checking it is a PDF."""
    response = page.request.get(href)
    assert response.ok, response.status
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


def submit(page: Page, action: str):
    """The submit button of the form posting to ``action``."""
    return page.locator(f"form[action='{action}'] button[type=submit]")


# --- 1. The coordinator prepares the meeting and nominates from the proposal ---------------


@pytest.fixture
def meeting_day(world):
    """A Drechtsteden meeting in five days; two accepted Trivire vacancies (an apartment with
    two bedrooms and shared housing with two places); four households waiting 9-15 weeks."""
    meeting = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(days=5), place="Stadskantoor"
    )
    apartment = VacancyFactory(
        corporation=world.trivire,
        municipality=world.zwijndrecht,
        street="Lindelaan 4",
        place="Zwijndrecht",
        rooms=3,
        bedrooms=2,
        base_rent=Decimal("655.00"),
        status=Vacancy.Status.ACCEPTED,
        return_deadline=today() + datetime.timedelta(weeks=3),
    )
    shared = VacancyFactory(
        corporation=world.trivire,
        municipality=world.dordrecht,
        street="Spuiboulevard 9",
        place="Dordrecht",
        dwelling_type=Vacancy.DwellingType.SHARED,
        places=2,
        rooms=3,
        bedrooms=2,
        base_rent=Decimal("420.00"),
        status=Vacancy.Status.ACCEPTED,
        return_deadline=today() + datetime.timedelta(weeks=4),
    )
    households = [
        family(
            world.zwijndrecht,
            persons=3,
            weeks=15,
            names=("Yasmin Haddad", "Karim Haddad", "Lina Haddad"),
        ),
        family(world.dordrecht, persons=1, weeks=12, names=("Tesfay Gebremariam",)),
        family(world.papendrecht, persons=1, weeks=10, names=("Aster Welde",)),
        family(world.dordrecht, persons=1, weeks=9, names=("Omar Sabbagh",)),
    ]
    return SimpleNamespace(
        meeting=meeting, apartment=apartment, shared=shared, households=households
    )


def test_coordinator_builds_the_agenda_and_nominates_from_the_proposal(
    world, meeting_day, log_in, page
):
    meeting = meeting_day.meeting
    log_in(world.coordinator)
    page.goto(meeting.get_absolute_url())
    expect(page.locator("#meeting-status")).to_have_text(dutch(Meeting.Status.PLANNED.label))
    expect(page.locator("#agenda-vacancies")).to_have_count(0)  # nothing on the agenda yet

    submit(page, reverse("meeting_build_agenda", args=[meeting.pk])).click()
    expect(page).to_have_url(url_is(meeting.get_absolute_url()))
    expect(page.locator("main [role=status].alert-success")).to_have_text(
        dutch("Agenda updated: %(n)s items added.") % {"n": 6}
    )
    vacancy_rows = page.locator("#agenda-vacancies tbody tr")
    expect(vacancy_rows).to_have_count(2)
    expect(vacancy_rows.nth(0)).to_contain_text("Lindelaan 4")  # earliest return deadline
    expect(vacancy_rows.nth(1)).to_contain_text("Spuiboulevard 9")
    household_refs = page.locator("#agenda-households tbody tr td:first-child a")
    # Longest waiting first; the composition is shown, not who they are.
    expect(household_refs).to_have_text([h.reference for h in meeting_day.households])
    expect(page.locator("#agenda-households")).not_to_contain_text("Haddad")
    assert set(
        Vacancy.objects.filter(pk__in=[meeting_day.apartment.pk, meeting_day.shared.pk])
        .values_list("status", flat=True)
        .distinct()
    ) == {Vacancy.Status.ON_AGENDA}

    page.locator(f"main a[href='{reverse('meeting_proposal', args=[meeting.pk])}']").click()
    expect(page).to_have_url(url_is(reverse("meeting_proposal", args=[meeting.pk])))
    proposal = meeting_service.meeting_proposal(meeting=meeting, today=today())
    expect(page.locator("#optimal-total")).to_have_text(
        dutch_number(Decimal(str(proposal.optimal.total)).quantize(Decimal("0.01")))
    )
    expect(page.locator("#greedy-total")).to_have_text(
        dutch_number(Decimal(str(proposal.greedy.total)).quantize(Decimal("0.01")))
    )
    assert proposal.optimal.total >= proposal.greedy.total > 0
    boxes = page.locator("#proposal input[type=checkbox][name=line]")
    # Three free places (the apartment, two rooms), each with a proposed household, all ticked.
    expect(boxes).to_have_count(3)
    for index in range(3):
        expect(boxes.nth(index)).to_be_checked()
    # The family gets the apartment; the two singles waiting longest get the rooms.
    family_, single_12, single_10, _single_9 = meeting_day.households
    apartment_box = boxes.and_(page.locator(f"[value^='{meeting_day.apartment.pk}-1-']"))
    expect(apartment_box).to_have_attribute("value", f"{meeting_day.apartment.pk}-1-{family_.pk}")

    # The meeting leaves the second room for later.
    left_out = boxes.and_(page.locator(f"[value^='{meeting_day.shared.pk}-2-']"))
    left_out.uncheck()
    expect(left_out).not_to_be_checked()
    ticked = [
        tuple(int(part) for part in box.get_attribute("value").split("-"))
        for box in boxes.all()
        if box.is_checked()
    ]
    assert len(ticked) == 2
    page.locator("main form[method=post] button[type=submit]").click()
    # Two nominations cannot be undone at once: the dialog lists them before they are made.
    expect(page.locator("dialog[open] #confirm-items li")).to_have_count(2)
    page.locator("dialog[open] #confirm-yes").click()

    expect(page).to_have_url(url_is(meeting.get_absolute_url()))
    expect(page.locator("main [role=status].alert-success")).to_have_text(
        dutch("%(n)s nominations made.") % {"n": 2}
    )
    expect(page.locator("main [role=alert]")).to_have_count(0)
    listed = page.locator("#meeting-nominations li")
    expect(listed).to_have_count(2)
    expect(page.locator("#meeting-nominations")).to_contain_text(family_.reference)
    nominations = Nomination.objects.filter(meeting=meeting)
    assert sorted(nominations.values_list("vacancy_id", "place", "household_id")) == sorted(ticked)
    assert set(nominations.values_list("status", flat=True)) == {Nomination.Status.NOMINATED}
    assert set(nominations.values_list("nominated_by", flat=True)) == {world.coordinator.pk}
    apartment_line = (meeting_day.apartment.pk, 1, family_.pk)
    room_line = next(line for line in ticked if line != apartment_line)
    assert apartment_line in ticked
    assert room_line[:2] == (meeting_day.shared.pk, 1)
    assert room_line[2] in {single_12.pk, single_10.pk}
    meeting_day.apartment.refresh_from_db()
    meeting_day.shared.refresh_from_db()
    assert meeting_day.apartment.status == Vacancy.Status.NOMINATED
    assert meeting_day.shared.status == Vacancy.Status.ON_AGENDA  # one room still free

    # The agenda as a PDF, fetched with the coordinator's session.
    agenda_link = page.locator("#agenda-pdf")
    expect(agenda_link).to_have_attribute("href", reverse("meeting_agenda_pdf", args=[meeting.pk]))
    text = pdf_text(page, agenda_link.get_attribute("href"))
    assert "Lindelaan 4" in text
    assert "Spuiboulevard 9" in text
    assert family_.reference in text
    for household in meeting_day.households:
        for member in household.members.all():
            assert member.full_name not in text


# --- 2. The corporation records the viewing and the lease ---------------------------------


@pytest.fixture
def nominated(world):
    """A family of three nominated for a Trivire apartment (and one for a Woonbron dwelling)."""
    meeting = Meeting.objects.create(region=world.drecht, date=today() - datetime.timedelta(days=3))
    vacancy = VacancyFactory(
        corporation=world.trivire,
        municipality=world.zwijndrecht,
        street="Lindelaan 4",
        place="Zwijndrecht",
        bedrooms=2,
        base_rent=Decimal("655.00"),
        status=Vacancy.Status.ACCEPTED,
    )
    household = family(
        world.zwijndrecht,
        persons=3,
        weeks=11,
        names=("Yasmin Haddad", "Karim Haddad", "Lina Haddad"),
        language="Arabisch",
    )
    nomination = nomination_create(
        vacancy=vacancy, household=household, by=world.coordinator, meeting=meeting, today=today()
    )
    other = nomination_create(
        vacancy=VacancyFactory(
            corporation=world.woonbron,
            municipality=world.dordrecht,
            status=Vacancy.Status.ACCEPTED,
        ),
        household=family(world.dordrecht, persons=1, weeks=11, names=("Omar Sabbagh",)),
        by=world.coordinator,
        today=today(),
    )
    return SimpleNamespace(nomination=nomination, household=household, other=other)


def test_corporation_records_the_viewing_and_the_lease(world, nominated, log_in, page):
    nomination = nominated.nomination
    log_in(world.corporation)
    page.locator(f"header a[href='{reverse('nomination_list')}']").click()
    expect(page).to_have_url(url_is(reverse("nomination_list")))
    rows = page.locator("#nomination-table tbody tr")
    expect(rows).to_have_count(1)  # not Woonbron's nomination
    expect(rows.first).to_contain_text(nominated.household.reference)
    rows.first.locator(f"a[href='{nomination.get_absolute_url()}']").click()

    expect(page).to_have_url(url_is(nomination.get_absolute_url()))
    status = page.locator("#nomination-status")
    expect(status).to_have_text(dutch(Nomination.Status.NOMINATED.label))
    profile = page.locator("#household-profile")
    expect(profile).to_contain_text(nominated.household.reference)
    ages = [m.age_on(today()) for m in nominated.household.members.order_by("date_of_birth")]
    roles = [dutch(Person.Role(role).label) for role in ROLES[3]]
    expect(profile.locator("ul li")).to_have_text(
        [re.compile(rf"^{re.escape(role)}, {age}\b") for role, age in zip(roles, ages, strict=True)]
    )
    # A corporation gets the composition, never who the members are.
    main = page.locator("main")
    for member in nominated.household.members.all():
        expect(main).not_to_contain_text(member.full_name)
        expect(main).not_to_contain_text(member.v_number)
    expect(main.locator(f"a[href='{nominated.household.get_absolute_url()}']")).to_have_count(0)

    viewing_at = datetime.datetime.combine(
        today() + datetime.timedelta(days=4), datetime.time(14, 30)
    )
    when = page.locator("#viewing-form input[name='viewing-when']")
    expect(when).to_have_attribute("type", "datetime-local")
    when.fill(viewing_at.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#viewing-form button[type=submit]").click()
    expect(status).to_have_text(dutch(Nomination.Status.VIEWING.label))
    expect(page).to_have_url(url_is(nomination.get_absolute_url()))
    expect(page.locator("main [role=status].alert-success")).to_be_visible()
    nomination.refresh_from_db()
    amsterdam = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    assert nomination.viewing_at == viewing_at.replace(tzinfo=amsterdam)
    assert nomination.household.status == Household.Status.VIEWING

    signed_on, lease_start = today(), today() + datetime.timedelta(days=14)
    page.locator("#lease-form input[name='lease-signed_on']").fill(signed_on.isoformat())
    page.locator("#lease-form input[name='lease-lease_start']").fill(lease_start.isoformat())
    page.locator("#lease-form button[type=submit]").click()
    expect(status).to_have_text(dutch(Nomination.Status.LEASE_SIGNED.label))
    expect(page.locator("main [role=alert]")).to_have_count(0)
    expect(page.locator("#lease-form")).to_have_count(0)  # nothing left to sign
    nomination.refresh_from_db()
    assert (nomination.status, nomination.lease_signed_on, nomination.lease_start) == (
        Nomination.Status.LEASE_SIGNED,
        signed_on,
        lease_start,
    )
    assert nomination.household.status == Household.Status.LEASE_SIGNED
    assert Vacancy.objects.get(pk=nomination.vacancy_id).status == Vacancy.Status.LET


# --- 3. Finance bills the half-year; 4. the quota dashboard ---------------------------------


MEMBER_NAMES = {
    "zwijndrecht_family": ("Yasmin Haddad", "Karim Haddad", "Lina Haddad"),
    "zwijndrecht_couple": ("Tesfay Gebremariam", "Aster Welde"),
    "papendrecht_family": ("Rana Nassar", "Fadi Nassar", "Maya Nassar"),
    "dordrecht_couple": ("Omar Sabbagh", "Huda Sabbagh"),
}


def placement(world, municipality, *, persons: int, names, lease_start: datetime.date):
    """A household housed in a dwelling in ``municipality`` from ``lease_start``."""
    household = family(
        municipality, persons=persons, weeks=40, names=names, status=Household.Status.HOUSED
    )
    vacancy = VacancyFactory(
        corporation=world.trivire,
        municipality=municipality,
        place=municipality.name,
        status=Vacancy.Status.LET,
        available_from=lease_start - datetime.timedelta(days=30),
        return_deadline=lease_start,
    )
    return Nomination.objects.create(
        vacancy=vacancy,
        household=household,
        status=Nomination.Status.HOUSED,
        lease_signed_on=lease_start - datetime.timedelta(days=10),
        lease_start=lease_start,
        move_in_date=lease_start + datetime.timedelta(days=2),
        nominated_by=world.coordinator,
    )


@pytest.fixture
def half_year(world):
    """2026-I with targets, the 2026 cost key (EUR 350 per person) and four placements:
    Zwijndrecht 3 + 2 persons, Papendrecht 3, Dordrecht (the central municipality) 2."""
    period = QuotaPeriod.objects.create(year=2026, half=1)
    targets = {world.dordrecht: 10, world.papendrecht: 4, world.zwijndrecht: 8}
    for municipality, net_target in targets.items():
        QuotaTarget.objects.create(period=period, municipality=municipality, net_target=net_target)
    CostKey.objects.create(
        region=world.drecht,
        year=2026,
        method=CostKey.Method.PER_PERSON,
        tariff=Decimal("350.00"),
    )
    placements = [
        placement(
            world,
            world.zwijndrecht,
            persons=3,
            names=MEMBER_NAMES["zwijndrecht_family"],
            lease_start=datetime.date(2026, 2, 1),
        ),
        placement(
            world,
            world.zwijndrecht,
            persons=2,
            names=MEMBER_NAMES["zwijndrecht_couple"],
            lease_start=datetime.date(2026, 6, 30),
        ),
        placement(
            world,
            world.papendrecht,
            persons=3,
            names=MEMBER_NAMES["papendrecht_family"],
            lease_start=datetime.date(2026, 4, 1),
        ),
        placement(
            world,
            world.dordrecht,
            persons=2,
            names=MEMBER_NAMES["dordrecht_couple"],
            lease_start=datetime.date(2026, 5, 1),
        ),
    ]
    return SimpleNamespace(period=period, targets=targets, placements=placements)


def euro(amount: str) -> str:
    """An amount in euros as the Dutch pages show it: "€ 1.050,00" (a non-breaking space)."""
    with translation.override("nl"):
        return f"€\u00a0{formats.number_format(Decimal(amount), 2, force_grouping=True)}"


def test_finance_bills_the_half_year_and_downloads_an_invoice(world, half_year, log_in, page):
    log_in(world.finance)
    page.locator(f"header a[href='{reverse('billing_overview')}']").click()
    expect(page).to_have_url(url_is(reverse("billing_overview")))
    page.locator("#id_period").select_option(label=str(half_year.period))
    submit(page, reverse("billing_run_create")).click()

    expect(page).to_have_url(re.compile(r"/runs/\d+/$"))
    run = InvoiceRun.objects.get(region=world.drecht, period=half_year.period)
    expect(page).to_have_url(url_is(run.get_absolute_url()))
    expect(page.locator("main [role=status].alert-success")).to_be_visible()
    rows = page.locator("#run-invoices tbody tr")
    expect(rows).to_have_count(3)  # Papendrecht, Zwijndrecht and Dordrecht's own share
    papendrecht, zwijndrecht, central = rows.nth(0), rows.nth(1), rows.nth(2)
    expect(papendrecht.locator("td").nth(0)).to_have_text("Papendrecht")
    expect(papendrecht.locator("td").nth(2)).to_have_text(euro("1050.00"))  # 3 x 350
    expect(zwijndrecht.locator("td").nth(0)).to_have_text("Zwijndrecht")
    expect(zwijndrecht.locator("td").nth(2)).to_have_text(euro("1750.00"))  # 5 x 350
    expect(central.locator("td").nth(0)).to_contain_text("Dordrecht")
    expect(central.locator("td").nth(0)).to_contain_text(
        dutch("central municipality, not invoiced")
    )
    expect(central.locator("td").nth(2)).to_have_text(euro("700.00"))  # 2 x 350, not billed
    expect(central.locator("a")).to_have_count(0)
    foot = page.locator("#run-invoices tfoot tr")
    expect(foot.nth(0).locator("td").nth(1)).to_have_text(euro("2800.00"))
    expect(foot.nth(1).locator("td").nth(1)).to_have_text(euro("3500.00"))
    assert run.invoices.count() == 2
    assert set(run.invoices.values_list("status", flat=True)) == {Invoice.Status.DRAFT}

    issue_date = datetime.date(2026, 7, 15)
    page.locator("#id_issue_date").fill(issue_date.isoformat())
    submit(page, reverse("billing_run_issue", args=[run.pk])).click()
    expect(page.locator("dialog[open] #confirm-items li")).to_have_count(2)
    page.locator("dialog[open] #confirm-yes").click()
    expect(page.locator("main [role=status].alert-success")).to_have_text(
        dutch_plural("%(n)s invoice issued.", "%(n)s invoices issued.", 2)
    )
    numbers = page.locator("#run-invoices tbody tr td:nth-child(5)")
    # The central municipality's row has no number cell (colspan); the two invoices got the
    # first two numbers of 2026 (which one gets which is not specified).
    expect(numbers).to_have_text([re.compile(r"^DS-2026-000[12]F$")] * 2)
    assert sorted(numbers.all_inner_texts()) == ["DS-2026-0001F", "DS-2026-0002F"]
    expect(submit(page, reverse("billing_run_issue", args=[run.pk]))).to_have_count(0)

    invoice = run.invoices.get(municipality=world.zwijndrecht)
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.issue_date == issue_date
    zwijndrecht.locator(f"a[href='{invoice.get_absolute_url()}']").click()
    expect(page).to_have_url(url_is(invoice.get_absolute_url()))
    expect(page.locator("main h1")).to_contain_text(invoice.number)
    assert re.fullmatch(r"DS-2026-\d{4}F", invoice.number)
    expect(page.locator("#invoice-status")).to_have_text(dutch(Invoice.Status.ISSUED.label))
    expect(page.locator("#invoice-lines tfoot")).to_contain_text(euro("1750.00"))

    pdf_link = page.locator("#invoice-pdf")
    expect(pdf_link).to_have_attribute("href", reverse("billing_invoice_pdf", args=[invoice.pk]))
    text = pdf_text(page, pdf_link.get_attribute("href"))
    assert invoice.number in text
    assert "350" in text
    assert "Zwijndrecht" in text
    for names in MEMBER_NAMES.values():
        for name in names:
            assert name not in text


def test_quota_dashboard_shows_the_realised_persons_with_a_chart(world, half_year, log_in, page):
    log_in(world.coordinator)
    page.locator(f"header a[href='{reverse('quota_dashboard')}']").click()
    expect(page).to_have_url(url_is(reverse("quota_dashboard")))
    # The only period, and it has ended: the dashboard opens on it.
    expect(page.locator("main h1")).to_contain_text(str(half_year.period))
    expect(page.locator("#id_period")).to_have_value(half_year.period.slug)

    rows = page.locator("#quota-table tbody tr")
    expect(rows.locator("th")).to_have_text(["Dordrecht", "Papendrecht", "Zwijndrecht"])
    expect(rows.locator("td:nth-child(2)")).to_have_text(["10", "4", "8"])  # net target
    expect(rows.locator("td:nth-child(5)")).to_have_text(["2", "3", "5"])  # realised
    expect(rows.locator("td:nth-child(6)")).to_have_text(["8", "1", "3"])  # remaining
    expect(page.locator("#quota-table tfoot td:nth-child(5)")).to_have_text("10")

    charts = page.locator("#quota-charts svg[role=img]")
    expect(charts).to_have_count(3)
    title = dutch(
        "%(municipality)s, %(period)s: realised %(realised)s of adjusted target %(target)s"
    )
    zwijndrecht_chart = page.get_by_role(
        "img",
        name=title
        % {"municipality": "Zwijndrecht", "period": half_year.period, "realised": 5, "target": 8},
        exact=True,
    )
    expect(zwijndrecht_chart).to_be_visible()
    expect(zwijndrecht_chart.locator("title")).to_have_count(1)
    expect(page.locator("#quota-charts figcaption").nth(2)).to_have_text("Zwijndrecht: 5 / 8")


def test_invoice_totals_are_shown_in_euros_and_cents(world, half_year, log_in, page):
    run = billing_services.invoice_run_create(
        region=world.drecht, period=half_year.period, by=world.finance, today=today()
    )
    billing_services.invoice_issue(
        invoice=run.invoices.get(municipality=world.papendrecht),
        issue_date=datetime.date(2026, 7, 15),
    )
    log_in(world.finance)
    page.goto(run.get_absolute_url())
    amounts = page.locator("#run-invoices tbody tr td:nth-child(3)")
    expect(amounts).to_have_text([euro("1050.00"), euro("1750.00"), euro("700.00")])
    page.goto(reverse("billing_overview"))
    expect(page.locator("#billing-summary tbody td:nth-child(2)")).to_have_text(euro("1050.00"))
