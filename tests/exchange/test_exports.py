"""The exports: each one's columns and rows on a hand-built example (values and types), the
disclosure rule in the pool and the re-link list, the page's filters, access per role, the
read log, and a query count that does not grow with the rows."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from billing import services as billing_services
from billing.models import InvoiceLine
from exchange.exports import build
from placement.models import (
    AgendaItem,
    Household,
    Meeting,
    Nomination,
    PersonalDataView,
    Vacancy,
)
from placement.models.support import SupportLink
from regions.access import get_membership
from regions.models import Organisation
from tests.billing.billing_builders import (
    ISSUED_ON,
    cost_key,
    invoice_for,
    period,
    quota_targets,
    run_period,
    worked_example,
)
from tests.placement.placement_builders import (
    accepted_vacancy,
    household,
    members_of,
    personal_data,
    today,
)

pytestmark = pytest.mark.django_db


def xlsx_rows(response) -> list[list[object]]:
    assert response.status_code == 200, response
    ws = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def as_dicts(rows: list[list]) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def english(client, url: str, fmt: str = "xlsx"):
    """The export with English headers (stable in tests, whatever the Dutch catalogue says)."""
    separator = "&" if "?" in url else "?"
    return client.get(f"{url}{separator}format={fmt}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def english_headers(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# --- The pool --------------------------------------------------------------------------------


@pytest.fixture
def pool(world):
    """Three waiting households: one of Gert's municipality (Zwijndrecht), one in Petra's
    caseload (Papendrecht), one linked to Dordrecht that is neither."""
    zw = household(
        world,
        persons=3,
        municipality=world.zwijndrecht,
        reference="DS-EXP-ZW",
        link_date=datetime.date(2026, 9, 1),
        needs_ground_floor=True,
    )
    pa = household(
        world,
        persons=1,
        municipality=world.papendrecht,
        reference="DS-EXP-PA",
        link_date=datetime.date(2026, 9, 15),
    )
    SupportLink.objects.create(
        household=pa,
        organisation=Organisation.objects.get(region=world.drecht, kind="support"),
        created_by=world.coordinator,
    )
    dd = household(
        world,
        persons=2,
        municipality=world.dordrecht,
        reference="DS-EXP-DD",
        link_date=datetime.date(2026, 10, 1),
    )
    return {"zw": zw, "pa": pa, "dd": dd}


def main_of(h: Household):
    return next(p for p in members_of(h) if p.role == "main")


def test_pool_columns_and_typed_values(world, pool, client_for):
    rows = xlsx_rows(english(client_for(world.coordinator), reverse("export_households")))
    assert rows[0] == [
        "Reference",
        "Linked municipality",
        "Status",
        "Persons present",
        "Persons incl. expected",
        "Link date",
        "Deadline",
        "Weeks waiting",
        "Needs wheelchair access",
        "Needs ground floor or lift",
        "Main applicant",
        "Main applicant's date of birth",
        "V-numbers",
    ]
    by_ref = {r["Reference"]: r for r in as_dicts(rows)}
    # Oldest link first, as the pool lists them.
    assert list(by_ref) == ["DS-EXP-ZW", "DS-EXP-PA", "DS-EXP-DD"]
    zw = by_ref["DS-EXP-ZW"]
    main = main_of(pool["zw"])
    members = sorted(members_of(pool["zw"]), key=lambda p: (p.role != "main", p.date_of_birth))
    assert zw == {
        "Reference": "DS-EXP-ZW",
        "Linked municipality": "Zwijndrecht",
        "Status": "searching",
        "Persons present": 3,
        "Persons incl. expected": 3,
        "Link date": datetime.datetime(2026, 9, 1),
        # 1 September 2026 + 10 weeks = 10 November 2026.
        "Deadline": datetime.datetime(2026, 11, 10),
        "Weeks waiting": (today() - datetime.date(2026, 9, 1)).days // 7,
        "Needs wheelchair access": False,
        "Needs ground floor or lift": True,
        "Main applicant": main.full_name,
        "Main applicant's date of birth": datetime.datetime(1986, 3, 14),
        "V-numbers": "; ".join(p.v_number for p in members),
    }


def identity_by_reference(response) -> dict[str, tuple]:
    return {
        r["Reference"]: (r["Main applicant"], r["V-numbers"]) for r in as_dicts(csv_rows(response))
    }


@pytest.mark.parametrize(
    ("persona", "named"),
    [
        ("coordinator", {"DS-EXP-ZW", "DS-EXP-PA", "DS-EXP-DD"}),
        ("officer", {"DS-EXP-ZW"}),  # Zwijndrecht's own household
        ("partner", {"DS-EXP-PA"}),  # the caseload
    ],
)
def test_pool_identity_only_where_the_rule_discloses_it(world, pool, client_for, persona, named):
    user = getattr(world, persona)
    response = english(client_for(user), reverse("export_households"), "csv")
    identity = identity_by_reference(response)
    assert set(identity) == {"DS-EXP-ZW", "DS-EXP-PA", "DS-EXP-DD"}, "meeting data for all"
    for ref, (name, v_numbers) in identity.items():
        if ref in named:
            assert name and v_numbers
        else:
            assert (name, v_numbers) == ("", "")
    hidden = [h for h in pool.values() if h.reference not in named]
    text = b"".join(
        english(client_for(user), reverse("export_households"), "csv").streaming_content
    )
    # (Every main applicant of the builders is born on the same day: names and V-numbers.)
    for person in [p for h in hidden for p in members_of(h)]:
        assert person.full_name.encode() not in text
        assert person.v_number.encode() not in text
    # One read of identity data logged per household whose names were exported.
    logged = PersonalDataView.objects.filter(user=user, channel="export")
    assert {v.household.reference for v in logged} == named
    assert {v.groups for v in logged} == {"identity"}
    assert logged.count() == 2 * len(named)  # two exports above


@pytest.mark.parametrize("persona", ["corporation", "finance"])
def test_pool_export_refused_without_the_pool(world, pool, client_for, persona):
    response = client_for(getattr(world, persona)).get(reverse("export_households"))
    assert response.status_code == 403


def test_outsider_exports_only_their_own_region(world, pool, client_for):
    response = english(client_for(world.outsider), reverse("export_households"), "csv")
    assert csv_rows(response)[1:] == []
    assert not PersonalDataView.objects.filter(user=world.outsider).exists()


def test_pool_filters_apply(world, pool, client_for):
    client = client_for(world.coordinator)
    url = f"{reverse('export_households')}?linked_municipality={world.papendrecht.pk}"
    assert [r["Reference"] for r in as_dicts(xlsx_rows(english(client, url)))] == ["DS-EXP-PA"]
    # The page's default statuses apply too: a housed household is not in the default export,
    # and is with "all".
    pool["dd"].status = Household.Status.HOUSED
    pool["dd"].save()
    refs = [
        r["Reference"] for r in as_dicts(xlsx_rows(english(client, reverse("export_households"))))
    ]
    assert refs == ["DS-EXP-ZW", "DS-EXP-PA"]
    url = f"{reverse('export_households')}?all=1&size_min=2"
    refs = [r["Reference"] for r in as_dicts(xlsx_rows(english(client, url)))]
    assert refs == ["DS-EXP-ZW", "DS-EXP-DD"]


def test_unknown_format_is_not_found(world, pool, client_for):
    response = client_for(world.coordinator).get(reverse("export_households") + "?format=pdf")
    assert response.status_code == 404


def queries_for(name: str, user, params: dict | None = None) -> int:
    get_membership(user)  # cached on the user after the first request, as in a real request
    with CaptureQueriesContext(connection) as captured:
        export = build(name, user, QueryDict(mutable=True) if params is None else params)
        export.count()
        list(export.rows())
    return len(captured)


def test_pool_query_count_does_not_grow(world):
    for _n in range(5):
        household(world, persons=2, municipality=world.zwijndrecht)
    five = queries_for("households", world.coordinator)
    for _n in range(45):
        household(world, persons=2, municipality=world.zwijndrecht)
    assert queries_for("households", world.coordinator) == five


# --- Vacancies -------------------------------------------------------------------------------


def test_vacancies_columns_values_and_the_corporation_sees_its_own(world, client_for):
    accepted_vacancy(
        world,
        municipality=world.zwijndrecht,
        street="Lindelaan 4",
        place="Zwijndrecht",
        floor=-1,
        return_deadline=datetime.date(2026, 12, 20),
        available_from=datetime.date(2027, 1, 15),
    )
    accepted_vacancy(world, corporation=world.woonbron, street="Woonbronweg 1")
    rows = as_dicts(xlsx_rows(english(client_for(world.corporation), reverse("export_vacancies"))))
    assert [r["Address"] for r in rows] == ["Lindelaan 4"]
    row = rows[0]
    assert row["Corporation"] == "Trivire"
    assert row["Municipality"] == "Zwijndrecht"
    assert row["Status"] == Vacancy.Status.ACCEPTED.label
    assert row["Bedrooms"] == 2 and row["Places"] == 1
    assert row["Floor"] == -1, "a negative number stays a number"
    assert (row["Base rent"], row["Service charges"], row["Rent incl. service"]) == (640, 45, 685)
    assert row["Return deadline"] == datetime.datetime(2026, 12, 20)
    assert row["Available from"] == datetime.datetime(2027, 1, 15)
    desk = as_dicts(xlsx_rows(english(client_for(world.coordinator), reverse("export_vacancies"))))
    assert {r["Address"] for r in desk} == {"Lindelaan 4", "Woonbronweg 1"}


def test_vacancy_filters_apply(world, client_for):
    accepted_vacancy(world, municipality=world.zwijndrecht, street="Lindelaan 4")
    accepted_vacancy(world, municipality=world.dordrecht, street="Singel 2")
    client = client_for(world.coordinator)
    url = f"{reverse('export_vacancies')}?municipality={world.dordrecht.pk}"
    assert [r["Address"] for r in as_dicts(xlsx_rows(english(client, url)))] == ["Singel 2"]
    assert client_for(world.finance).get(reverse("export_vacancies")).status_code == 403


def test_vacancies_query_count_does_not_grow(world):
    for _n in range(5):
        accepted_vacancy(world)
    five = queries_for("vacancies", world.coordinator)
    for _n in range(45):
        accepted_vacancy(world)
    assert queries_for("vacancies", world.coordinator) == five


# --- The quota report ------------------------------------------------------------------------


def test_quota_report_has_the_ledgers_figures(world, client_for):
    """The worked example (tests/billing/billing_builders.py) with targets for 2026-I.

    Opening balances: only Zwijndrecht realised in 2025-II (a family of 3, no target), so it
    carries +3. Zwijndrecht: 12 - 3 = 9 adjusted, 12 realised (5 + 4 + 2 + 1 joining), 0 left,
    closing 3 + 12 - 12 = 3. Papendrecht: 6 adjusted, 3 realised, 3 left, closing -3.
    Dordrecht: 20 adjusted, 2 realised, 18 left, closing -18. Sliedrecht does not take part.
    """
    worked_example(world)
    quota_targets(world, period(2026, 1), zwijndrecht=12, papendrecht=6, dordrecht=20)
    url = f"{reverse('export_quota')}?period=2026-1"
    rows = as_dicts(xlsx_rows(english(client_for(world.officer), url)))
    figures = [
        (
            r["Municipality"],
            r["CBS code"],
            r["Net target"],
            r["Opening balance"],
            r["Adjusted target"],
            r["Realised"],
            r["Remaining"],
            r["Closing balance"],
        )
        for r in rows
    ]
    assert figures == [
        ("Dordrecht", "GM0505", 20, 0, 20, 2, 18, -18),
        ("Papendrecht", "GM0590", 6, 0, 6, 3, 3, -3),
        ("Zwijndrecht", "GM0642", 12, 3, 9, 12, 0, 3),
        ("Region Drechtsteden", None, 38, 3, 35, 17, 21, -18),
    ]
    # The period has ended: no monthly pace; the period is named on every row.
    assert {r["Monthly pace needed"] for r in rows} == {None}
    assert {r["Period"] for r in rows} == {"2026-I"}
    assert rows[0]["Opening balance overridden"] is False


def test_quota_unknown_period_and_corporation(world, client_for):
    worked_example(world)
    client = client_for(world.coordinator)
    assert client.get(reverse("export_quota") + "?period=1999-1").status_code == 404
    assert client_for(world.corporation).get(reverse("export_quota")).status_code == 403


# --- The re-link list ------------------------------------------------------------------------


def test_relinks_with_v_numbers_for_who_may_see_them(world, client_for):
    example = worked_example(world)
    family = example.papendrecht_family  # linked to Zwijndrecht, housed in Papendrecht
    v_numbers = "; ".join(
        p.v_number for p in sorted(members_of(family), key=lambda p: (p.date_of_birth, p.pk))
    )
    rows = as_dicts(xlsx_rows(english(client_for(world.coordinator), reverse("export_relinks"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["Household"] == family.reference
    assert row["V-numbers"] == v_numbers
    assert (row["Linked to"], row["CBS code linked municipality"]) == ("Zwijndrecht", "GM0642")
    assert (row["Housed in"], row["CBS code municipality housed in"]) == ("Papendrecht", "GM0590")
    assert row["Counts on"] == datetime.datetime(2026, 4, 1)
    assert row["Lease start"] == datetime.datetime(2026, 4, 1)
    assert row["Dwelling"].startswith("Kerkstraat")
    assert PersonalDataView.objects.filter(
        user=world.coordinator, household=family, channel="export", groups="identity"
    ).exists()
    # The partner may not see this household's identity: the column stays empty.
    partner = as_dicts(xlsx_rows(english(client_for(world.partner), reverse("export_relinks"))))
    assert partner[0]["V-numbers"] is None
    # Finance: figures and references only, no V-numbers and no address.
    finance = xlsx_rows(english(client_for(world.finance), reverse("export_relinks")))
    assert "V-numbers" not in finance[0] and "Dwelling" not in finance[0]
    assert finance[1][0] == family.reference
    assert not PersonalDataView.objects.filter(user__in=[world.partner, world.finance]).exists()


# --- A meeting's decision list ---------------------------------------------------------------


@pytest.fixture
def meeting(world):
    meeting = Meeting.objects.create(region=world.drecht, date=datetime.date(2026, 11, 17))
    vacancy = accepted_vacancy(world, street="Lindelaan 4", place="Zwijndrecht")
    family = household(world, persons=4, reference="DS-EXP-NOM")
    waiting = household(world, persons=2, reference="DS-EXP-WAIT")
    Nomination.objects.create(
        vacancy=vacancy,
        household=family,
        meeting=meeting,
        nominated_by=world.coordinator,
        rule_failures=["size"],
        override_reason="Grote kamer",
    )
    AgendaItem.objects.create(
        meeting=meeting,
        kind="vacancy",
        vacancy=vacancy,
        outcome="decided",
        decision="Voorgedragen: DS-EXP-NOM",
    )
    AgendaItem.objects.create(
        meeting=meeting, kind="household", household=waiting, outcome="deferred"
    )
    return meeting


def test_decision_list_rows_without_personal_data(world, meeting, client_for):
    url = reverse("export_meeting_decisions", args=[meeting.pk])
    response = english(client_for(world.partner), url)
    rows = xlsx_rows(response)
    nominated = Nomination.Status.NOMINATED.label
    assert rows[0] == [
        "Section", "Household", "Persons", "Dwelling", "Corporation", "Outcome", "Decision"
    ]  # fmt: skip
    assert rows[1:] == [
        ["Nomination", "DS-EXP-NOM", 4, "Lindelaan 4, Zwijndrecht", "Trivire", nominated,
         "despite the rules: Grote kamer"],
        ["household waiting", "DS-EXP-WAIT", 2, None, None, "deferred to the next meeting", None],
        ["vacancy to fill", None, None, "Lindelaan 4, Zwijndrecht", "Trivire", "decided",
         "Voorgedragen: DS-EXP-NOM"],
    ]  # fmt: skip
    text = csv_rows(english(client_for(world.partner), url, "csv"))
    flat = " ".join(" ".join(row) for row in text)
    for leak in personal_data(*Household.objects.filter(reference__startswith="DS-EXP")):
        assert leak not in flat


def test_decision_list_query_count_does_not_grow(world, meeting):
    params = {"meeting": [str(meeting.pk)]}
    few = queries_for("meeting_decisions", world.coordinator, params)
    for n in range(20):
        AgendaItem.objects.create(
            meeting=meeting, kind="household", household=household(world, persons=2), position=n
        )
        AgendaItem.objects.create(
            meeting=meeting, kind="vacancy", vacancy=accepted_vacancy(world), position=n
        )
    assert queries_for("meeting_decisions", world.coordinator, params) == few


def test_decision_list_access(world, meeting, client_for):
    url = reverse("export_meeting_decisions", args=[meeting.pk])
    assert client_for(world.corporation).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    missing = reverse("export_meeting_decisions", args=[meeting.pk + 1000])
    assert client_for(world.coordinator).get(missing).status_code == 404


# --- Invoices of a period --------------------------------------------------------------------


@pytest.fixture
def billed(world):
    """2026-I billed at EUR 350 per person: Zwijndrecht 12 persons = EUR 4,200.00,
    Papendrecht 3 persons = EUR 1,050.00; Dordrecht (the centre) is not invoiced."""
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    return run_period(world)


def test_invoice_lines_with_amounts_as_numbers(world, billed, client_for):
    url = reverse("export_invoices", args=["2026-1"])
    rows = as_dicts(xlsx_rows(english(client_for(world.finance), url)))
    figures = [
        (r["Municipality"], r["CBS code"], r["Status"], r["Quantity"], r["Unit price"], r["Amount"])
        for r in rows
    ]
    assert figures == [
        ("Papendrecht", "GM0590", "draft", 3, 350, 1050),
        ("Zwijndrecht", "GM0642", "draft", 12, 350, 4200),
    ]
    assert all(r["Period"] == "2026-I" and r["Number"] is None for r in rows)
    assert "350" in rows[1]["Basis"]
    # The officer sees the issued invoice of their own municipality only.
    issued = billing_services.invoice_issue(
        invoice=invoice_for(billed, world.zwijndrecht), issue_date=ISSUED_ON
    )
    officer = as_dicts(csv_rows(english(client_for(world.officer), url, "csv")))
    assert [(r["Number"], r["Issue date"], r["Amount"]) for r in officer] == [
        (issued.number, ISSUED_ON.isoformat(), "4200.00")
    ]


def test_invoice_export_access(world, billed, client_for):
    url = reverse("export_invoices", args=["2026-1"])
    assert client_for(world.coordinator).get(url).status_code == 403
    client = client_for(world.finance)
    assert client.get(reverse("export_invoices", args=["2031-1"])).status_code == 404
    assert client.get(reverse("export_invoices", args=["nonsense"])).status_code == 404


def test_invoice_query_count_does_not_grow(world, billed):
    params = {"period": ["2026-1"]}
    few = queries_for("invoices", world.finance, params)
    draft = invoice_for(billed, world.zwijndrecht)
    for n in range(2, 50):
        InvoiceLine.objects.create(
            invoice=draft, position=n, description=f"Regel {n}", unit_price=1, amount=1
        )
    assert queries_for("invoices", world.finance, params) == few
