"""The billing pages, as Fien of finance (Gemeente Dordrecht) and Gert, the Zwijndrecht officer,
use them; and who may open what.

Fien bills 2026-I by € 350.00 per placed person (the worked example of ``billing_builders``):
Zwijndrecht € 4.200,00 (12 persons), Papendrecht € 1050,00 (3 persons); Dordrecht's own share
€ 700,00 is shown on the run, not invoiced. The interface is Dutch: messages are compared with
the Dutch catalogue (``nl``), amounts in Dutch notation.

Access (``regions.access``): finance manages billing for its region; a municipality officer
sees the issued invoices addressed to their own municipality and nothing else of billing;
other roles get 403 on the billing pages; an invoice outside a user's scope answers 404.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from billing import services
from billing.models import BillingProfile, Invoice, InvoiceLine, InvoiceRun
from regions.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.placement.placement_builders import messages_of, personal_data, stored

from .billing_builders import (
    ISSUED_ON,
    cost_key,
    invoice_for,
    nl,
    nl_plural,
    pdf_text,
    period,
    quota_targets,
    run_period,
    total,
    worked_example,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def placements(world):
    example = worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    return example


@pytest.fixture
def fien(world, client_for):
    return client_for(world.finance)


def page(response) -> str:
    return response.content.decode()


def action(invoice: Invoice, name: str) -> str:
    return action_url(invoice.pk, name)


def action_url(pk: int, name: str) -> str:
    return reverse("billing_invoice_action", args=[pk, name])


# --- The worked example through the pages ----------------------------------------------------


def test_finance_bills_a_half_year_issues_it_and_downloads_the_invoice(world, fien, placements):
    profile = BillingProfile.for_region(world.drecht)
    profile.sender_address = "Spuiboulevard 300\n3311 GR Dordrecht"
    profile.iban = "NL91ABNA0417164300"
    profile.save()

    overview = fien.get(reverse("billing_overview"))
    assert overview.status_code == 200
    assert "2026-I" in page(overview)  # the period to choose

    made = fien.post(reverse("billing_run_create"), {"period": period(2026, 1).pk})
    run = InvoiceRun.objects.get(region=world.drecht, period=period(2026, 1))
    assert made.status_code == 302 and made.url == run.get_absolute_url()
    assert messages_of(made) == [nl("Draft invoices made for %(period)s.") % {"period": "2026-I"}]

    review = page(fien.get(run.get_absolute_url()))
    assert "Zwijndrecht" in review and "Papendrecht" in review
    assert "Sliedrecht" not in review
    assert "x €\u00a0350,00" in review  # how each amount was derived
    assert "€\u00a04.200,00" in review and "€\u00a01.050,00" in review
    # Dordrecht's own share, not invoiced, and what the desk cost in all: 5,250 + 700.
    assert "Dordrecht" in review and "€\u00a0700,00" in review
    assert run.central_basis in review
    assert "€\u00a05.250,00" in review and "€\u00a05.950,00" in review
    assert reverse("billing_run_issue", args=[run.pk]) in review

    issued = fien.post(
        reverse("billing_run_issue", args=[run.pk]), {"issue_date": "2026-07-15", "confirm": "1"}
    )
    assert issued.status_code == 302
    assert messages_of(issued) == [nl_plural("%(n)s invoice issued.", "%(n)s invoices issued.", 2)]
    numbers = set(run.invoices.values_list("number", flat=True))
    assert numbers == {"DS-2026-0001F", "DS-2026-0002F"}
    assert set(run.invoices.values_list("status", flat=True)) == {Invoice.Status.ISSUED}
    assert reverse("billing_run_issue", args=[run.pk]) not in page(fien.get(run.get_absolute_url()))

    invoice = invoice_for(run, world.zwijndrecht)
    detail = page(fien.get(invoice.get_absolute_url()))
    assert invoice.number in detail and "€\u00a04.200,00" in detail
    assert "15 juli 2026" in detail and "14 augustus 2026" in detail  # issued and due

    pdf = fien.get(reverse("billing_invoice_pdf", args=[invoice.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f'filename="{invoice.number}.pdf"' in pdf["Content-Disposition"]
    text = pdf_text(pdf)
    assert "Gemeente Dordrecht" in text  # the sender: the central municipality
    assert "Spuiboulevard 300" in text and "NL91ABNA0417164300" in text
    assert f"{nl('Municipality')} Zwijndrecht" in text  # the addressee
    assert "Papendrecht" not in text
    assert " ".join(invoice.lines.get().description.split()) in text  # 12 persons x € 350,00
    assert "x € 350,00" in text
    assert "€ 4.200,00" in text  # the line and the total
    assert text.count(invoice.number) >= 2  # the title and the payment reference
    assert "15 juli 2026" in text and "14 augustus 2026" in text


def test_the_invoice_pdf_carries_no_personal_data_of_the_households(world, fien, placements):
    run = run_period(world, 2026, 1)
    invoice = services.invoice_issue(
        invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON
    )
    leaks = personal_data(*placements.households)
    assert len(leaks) > 50  # names, V-numbers and dates of birth of 28 persons

    for response in (
        fien.get(reverse("billing_invoice_pdf", args=[invoice.pk])),
        fien.get(reverse("billing_invoice_pdf", args=[invoice_for(run, world.papendrecht).pk])),
    ):
        text = pdf_text(response)
        assert [leak for leak in leaks if leak in text] == []
    for url in (invoice.get_absolute_url(), run.get_absolute_url(), reverse("billing_overview")):
        html = page(fien.get(url))
        assert [leak for leak in leaks if leak in html] == []


def test_a_draft_pdf_says_it_is_not_for_payment(world, fien, placements):
    draft = invoice_for(run_period(world, 2026, 1), world.papendrecht)

    response = fien.get(reverse("billing_invoice_pdf", args=[draft.pk]))

    assert f'filename="concept-{draft.pk}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    assert nl("DRAFT") in text and nl("Draft: not for payment.") in text


def test_finance_corrects_an_issued_invoice_with_a_credit_note(world, fien, placements):
    run = run_period(world, 2026, 1)
    invoice = services.invoice_issue(
        invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON
    )
    detail = page(fien.get(invoice.get_absolute_url()))
    assert action(invoice, "credit") in detail and action(invoice, "paid") in detail

    made = fien.post(
        action(invoice, "credit"),
        {"credit-amount": "350.00", "credit-reason": "Eén persoon dubbel geteld"},
    )

    note = invoice.credit_notes.get()
    assert made.status_code == 302 and made.url == note.get_absolute_url()
    assert total(note) == Decimal("-350.00")
    issued = fien.post(action(note, "issue"), {"issue-issue_date": "2026-08-01", "confirm": "1"})
    assert issued.status_code == 302
    assert stored(note).number == "DS-2026-0002C"
    text = pdf_text(fien.get(reverse("billing_invoice_pdf", args=[note.pk])))
    assert "DS-2026-0002C" in text and invoice.number in text
    assert "Eén persoon dubbel geteld" in text and "€ -350,00" in text
    assert total(stored(invoice)) == Decimal("4200.00")


def test_finance_records_a_payment(world, fien, placements):
    run = run_period(world, 2026, 1)
    invoice = services.invoice_issue(
        invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON
    )

    response = fien.post(action(invoice, "paid"), {"paid-paid_on": "2026-08-03"})

    assert response.status_code == 302
    assert messages_of(response) == [nl("Marked as paid.")]
    paid = stored(invoice)
    assert (paid.status, paid.paid_on) == (Invoice.Status.PAID, datetime.date(2026, 8, 3))
    assert "3 augustus 2026" in page(fien.get(invoice.get_absolute_url()))


def test_finance_sets_a_cost_key_through_the_form(world, fien):
    response = fien.post(
        reverse("billing_cost_key_create"),
        {"year": "2027", "method": "fixed", "fixed_amount": "10000.01", "tariff": "350.00"},
    )

    assert response.status_code == 302
    key = world.drecht.cost_keys.get(year=2027)
    assert (key.method, key.fixed_amount, key.tariff) == ("fixed", Decimal("10000.01"), None)


def test_the_cost_key_form_shows_what_is_missing(world, fien):
    response = fien.post(
        reverse("billing_cost_key_create"), {"year": "2027", "method": "per_person"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["tariff"][0] == nl("This cost key needs this amount.")
    assert not world.drecht.cost_keys.exists()


def test_a_cost_key_that_has_billed_does_not_change(world, fien, placements):
    run = run_period(world, 2026, 1)

    response = fien.post(
        reverse("billing_cost_key_edit", args=[run.cost_key.pk]),
        {"year": "2026", "method": "per_person", "tariff": "999.00"},
    )

    assert response.status_code == 302
    assert messages_of(response) == [nl("This cost key has been used to bill; it cannot change.")]
    assert stored(run.cost_key).tariff == Decimal("350.00")


def test_amounts_on_the_pages_are_shown_in_euros_and_cents(world, fien, placements):
    # A budget of 100,000.00 split by the quota (see test_cost_keys): Zwijndrecht 11,267.61,
    # Papendrecht 7,981.22. A credit of 0.10 leaves Zwijndrecht 11,267.51 billed.
    world.drecht.cost_keys.all().delete()
    cost_key(world, "quota_share", budget="100000.00")
    quota_targets(world, period(2026, 1), dordrecht=131, zwijndrecht=48, papendrecht=34)
    run = run_period(world, 2026, 1)
    invoice = services.invoice_issue(
        invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON
    )
    note = services.credit_note_create(invoice=invoice, amount=Decimal("0.10"), reason="Afronding")
    services.invoice_issue(invoice=note, issue_date=ISSUED_ON)

    review = page(fien.get(run.get_absolute_url()))
    overview = page(fien.get(reverse("billing_overview")))
    detail = page(fien.get(invoice.get_absolute_url()))

    assert "€\u00a011.267,61<" in review and "€\u00a07.981,22<" in review
    assert "€\u00a011.267,61<" in overview and "€\u00a0-0,10<" in overview  # the invoice list
    assert "€\u00a011.267,51<" in overview  # billed, in the summary
    assert "€\u00a0-0,10<" in detail  # the credit note under the invoice


# --- An issued invoice cannot be edited through the pages ------------------------------------


@pytest.fixture
def issued(world, placements):
    run = run_period(world, 2026, 1)
    return services.invoice_issue(invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON)


def snapshot(invoice: Invoice):
    fresh = stored(invoice)
    lines = list(fresh.lines.values_list("description", "amount"))
    return (fresh.number, fresh.status, fresh.issue_date, fresh.due_date, fresh.paid_on, lines)


def test_an_issued_invoice_has_no_form_to_change_it(world, fien, issued):
    html = page(fien.get(issued.get_absolute_url()))

    assert action(issued, "issue") not in html
    assert action(issued, "delete") not in html
    assert 'name="description"' not in html and 'name="amount"' not in html
    # Only the credit note and payment forms are offered.
    assert 'name="credit-amount"' in html and 'name="paid-paid_on"' in html


def test_issuing_an_issued_invoice_again_changes_nothing(world, fien, issued):
    before = snapshot(issued)

    response = fien.post(action(issued, "issue"), {"issue-issue_date": "2026-09-01"})

    assert response.status_code == 302 and response.url == issued.get_absolute_url()
    assert messages_of(response) == [nl("This invoice has already been issued.")]
    assert snapshot(issued) == before


# --- Bad input never gives an error page -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bewerken", {"amount": "1.00"}, None),
        ("issue", {"issue-issue_date": "2026-09-01"}, "This invoice has already been issued."),
        ("delete", {}, "Only a draft credit note can be deleted."),
        (
            "paid",
            {"paid-paid_on": "2026-07-14"},
            "The payment date cannot be before the issue date.",
        ),
        ("paid", {"paid-paid_on": "31-02-2026"}, "Paid on"),
        ("paid", {"paid-paid_on": "gisteren"}, "Paid on"),
        ("paid", {"paid-paid_on": "2099-01-01"}, "The payment date cannot be in the future."),
        ("paid", {}, "Paid on"),
        (
            "credit",
            {"credit-amount": "4200.01", "credit-reason": "Te veel"},
            "The credit must be more than € 0 and at most %(max)s.",
        ),
        ("credit", {"credit-amount": "0", "credit-reason": "Te veel"}, "Amount to credit (EUR)"),
        ("credit", {"credit-amount": "-5", "credit-reason": "Te veel"}, "Amount to credit (EUR)"),
        ("credit", {"credit-amount": "veel", "credit-reason": "Te veel"}, "Amount to credit (EUR)"),
        (
            "credit",
            {"credit-amount": "1e999", "credit-reason": "Te veel"},
            "Amount to credit (EUR)",
        ),
        ("credit", {"credit-amount": "100.00", "credit-reason": ""}, "Reason"),
        ("credit", {"credit-amount": "100.00", "credit-reason": "   "}, "Reason"),
    ],
)
def test_bad_input_on_an_issued_invoice_is_refused_with_a_message(
    world, fien, issued, name, data, message
):
    before = snapshot(issued)

    response = fien.post(action(issued, name), data)

    assert response.status_code == 302 and response.url == issued.get_absolute_url()
    messages = messages_of(response)
    if message is None:
        assert messages == []
    else:
        assert len(messages) == 1 and nl(message).split("%")[0] in messages[0]
    assert snapshot(issued) == before
    assert not issued.credit_notes.exists()


def test_a_credit_above_the_invoice_names_the_maximum(world, fien, issued):
    response = fien.post(
        action(issued, "credit"), {"credit-amount": "4200.01", "credit-reason": "Te veel"}
    )

    expected = nl("The credit must be more than € 0 and at most %(max)s.") % {
        "max": "€\u00a04.200,00"
    }
    assert messages_of(response) == [expected]


@pytest.mark.parametrize(
    "issue_date", ["", "15-15-2026", "morgen", "2026-02-30", "1900-01-01", "2206-01-01"]
)
def test_a_bad_issue_date_issues_nothing(world, client_for, placements, issue_date):
    run = run_period(world, 2026, 1)
    draft = invoice_for(run, world.zwijndrecht)

    on_run = client_for(world.finance).post(
        reverse("billing_run_issue", args=[run.pk]), {"issue_date": issue_date}
    )
    on_invoice = client_for(world.finance).post(
        action(draft, "issue"), {"issue-issue_date": issue_date}
    )

    assert on_run.status_code == 302 and on_invoice.status_code == 302
    # Both say what is wrong, next to the field's name.
    for response in (on_run, on_invoice):
        assert len(messages_of(response)) == 1
        assert messages_of(response)[0].startswith(f"{nl('Issue date')}: ")
    assert not Invoice.objects.exclude(status=Invoice.Status.DRAFT).exists()


def test_issuing_an_empty_draft_from_the_run_page_says_why(world, fien, placements):
    run = run_period(world, 2026, 2)  # Papendrecht housed nobody in 2026-II: € 0,00

    response = fien.post(
        reverse("billing_run_issue", args=[run.pk]), {"issue_date": "2027-01-12", "confirm": "1"}
    )

    assert messages_of(response) == [
        nl_plural("%(n)s invoice issued.", "%(n)s invoices issued.", 1),
        f"Papendrecht: {nl('An invoice without an amount cannot be issued.')}",
    ]
    assert stored(invoice_for(run, world.papendrecht)).is_draft
    assert stored(invoice_for(run, world.zwijndrecht)).number == "DS-2027-0001F"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a period."),
        ({"period": "999999"}, "Choose a period."),
        ({"period": "2026-I"}, "Choose a period."),
    ],
)
def test_a_run_without_a_valid_period_is_refused(world, fien, placements, data, message):
    response = fien.post(reverse("billing_run_create"), data)

    assert response.status_code == 302 and response.url == reverse("billing_overview")
    assert messages_of(response) == [nl(message)]
    assert not InvoiceRun.objects.exists()


def test_a_second_run_and_a_year_without_cost_key_are_refused(world, client_for, placements):
    run_period(world, 2026, 1)

    again = client_for(world.finance).post(
        reverse("billing_run_create"), {"period": period(2026, 1).pk}
    )
    last_year = client_for(world.finance).post(
        reverse("billing_run_create"), {"period": period(2025, 2).pk}
    )
    not_ended = client_for(world.finance).post(
        reverse("billing_run_create"), {"period": period(2027, 1).pk}
    )

    assert messages_of(again) == [nl("%(period)s has already been billed.") % {"period": "2026-I"}]
    assert messages_of(last_year) == [
        nl("There is no cost key for %(year)s yet: set one first.") % {"year": 2025}
    ]
    assert messages_of(not_ended) == [
        nl("%(period)s has not ended yet: it can be billed from %(day)s.")
        % {"period": "2027-I", "day": "01-07-2027"}
    ]
    assert InvoiceRun.objects.count() == 1 and Invoice.objects.count() == 2


def test_actions_only_accept_post_and_unknown_invoices_are_not_found(world, fien, issued):
    assert fien.get(action(issued, "issue")).status_code == 405
    assert fien.get(reverse("billing_run_create")).status_code == 405
    assert fien.get(reverse("billing_invoice", args=[999999])).status_code == 404
    assert fien.post(action_url(999999, "paid"), {"paid-paid_on": "2026-08-01"}).status_code == 404


# --- What the Zwijndrecht officer sees -------------------------------------------------------


def test_the_officer_sees_the_issued_invoices_of_zwijndrecht_only(world, client_for, issued):
    papendrecht = services.invoice_issue(
        invoice=invoice_for(issued.run, world.papendrecht), issue_date=ISSUED_ON
    )
    draft_note = services.credit_note_create(invoice=issued, amount=Decimal("10.00"), reason="x")
    gert = client_for(world.officer)

    overview = gert.get(reverse("billing_overview"))

    assert overview.status_code == 200
    assert list(overview.context["invoices"]) == [issued]
    assert [row["municipality"] for row in overview.context["summary"]] == ["Zwijndrecht"]
    html = page(overview)
    assert issued.number in html and papendrecht.number not in html
    assert reverse("billing_run_create") not in html
    detail = page(gert.get(issued.get_absolute_url()))
    assert "€\u00a04.200,00" in detail
    assert action(issued, "credit") not in detail and action(issued, "paid") not in detail
    assert draft_note.get_absolute_url() not in detail  # a draft credit note is not his yet
    assert gert.get(reverse("billing_invoice_pdf", args=[issued.pk])).status_code == 200
    assert gert.get(papendrecht.get_absolute_url()).status_code == 404
    assert gert.get(draft_note.get_absolute_url()).status_code == 404


# --- Who may open what -----------------------------------------------------------------------

# Every row: URL name, method, the object it is called on, the action (for invoice actions) and
# the POST body. POST rows send a valid body: finance is redirected back (302).
#   run         the 2026-I run, issued: Zwijndrecht's and Papendrecht's invoices
#   draft_run   the 2025-II run by a fixed amount: still drafts for both
#   zw/pa       the issued invoices of Zwijndrecht and Papendrecht
#   zw_draft    Zwijndrecht's draft of 2025-II
ROUTES: dict[str, tuple[str, str, str | None, str | None, dict]] = {
    "overview": ("billing_overview", "get", None, None, {}),
    "cost key new": ("billing_cost_key_create", "get", None, None, {}),
    "cost key new post": (
        "billing_cost_key_create",
        "post",
        None,
        None,
        {"year": "2027", "method": "fixed", "fixed_amount": "1000.00"},
    ),
    "cost key edit": ("billing_cost_key_edit", "get", "cost_key", None, {}),
    "profile": ("billing_profile", "get", None, None, {}),
    "profile post": (
        "billing_profile",
        "post",
        None,
        None,
        {"sender_name": "Gemeente Dordrecht", "payment_term_days": "30"},
    ),
    "run create": ("billing_run_create", "post", None, None, {"period": "2027-1"}),
    "run": ("billing_run", "get", "run", None, {}),
    "run issue": (
        "billing_run_issue",
        "post",
        "draft_run",
        None,
        {"issue_date": "2026-01-10", "confirm": "1"},
    ),
    "invoice zw": ("billing_invoice", "get", "zw", None, {}),
    "invoice pa": ("billing_invoice", "get", "pa", None, {}),
    "invoice zw draft": ("billing_invoice", "get", "zw_draft", None, {}),
    "pdf zw": ("billing_invoice_pdf", "get", "zw", None, {}),
    "pdf pa": ("billing_invoice_pdf", "get", "pa", None, {}),
    "pdf zw draft": ("billing_invoice_pdf", "get", "zw_draft", None, {}),
    "paid zw": ("billing_invoice_action", "post", "zw", "paid", {"paid-paid_on": "2026-08-01"}),
    "credit zw": (
        "billing_invoice_action",
        "post",
        "zw",
        "credit",
        {"credit-amount": "10.00", "credit-reason": "Correctie"},
    ),
    "issue zw draft": (
        "billing_invoice_action",
        "post",
        "zw_draft",
        "issue",
        {"issue-issue_date": "2026-01-10", "confirm": "1"},
    ),
}

FINANCE_ONLY = {
    "cost key new",
    "cost key new post",
    "cost key edit",
    "profile",
    "profile post",
    "run create",
    "run",
    "run issue",
    "paid zw",
    "credit zw",
    "issue zw draft",
}
INVOICES = set(ROUTES) - FINANCE_ONLY - {"overview"}


def expected_status(persona: str, route: str) -> int | str:
    method = ROUTES[route][1]
    if persona == "anonymous":
        return "login"
    if persona == "finance":
        return 302 if method == "post" else 200
    if persona == "officer":
        if route in ("overview", "invoice zw", "pdf zw"):
            return 200
        return 404 if route in INVOICES else 403
    if persona == "other_finance":
        # Finance of Woerden e.o.: its own billing pages, nothing of Drechtsteden.
        if route in ("overview", "cost key new", "profile"):
            return 200
        if route in ("cost key new post", "profile post", "run create"):
            return 302
        return 404
    # Desk, partner, corporations and the other region's coordinator: no billing at all.
    return 404 if route in INVOICES else 403


PERSONAS = (
    "anonymous",
    "finance",
    "officer",
    "coordinator",
    "partner",
    "corporation",
    "other_corporation",
    "outsider",
    "outsider_corporation",
    "other_finance",
)


@pytest.fixture
def billed(world, placements) -> SimpleNamespace:
    run = run_period(world, 2026, 1)
    for invoice in run.invoices.all():
        services.invoice_issue(invoice=invoice, issue_date=ISSUED_ON)
    fixed = cost_key(world, "fixed", year=2025, fixed_amount="10000.01")
    draft_run = run_period(world, 2025, 2)
    period(2027, 1)
    return SimpleNamespace(
        run=run,
        draft_run=draft_run,
        cost_key=fixed,
        zw=invoice_for(run, world.zwijndrecht),
        pa=invoice_for(run, world.papendrecht),
        zw_draft=invoice_for(draft_run, world.zwijndrecht),
    )


@pytest.fixture
def other_finance(world):
    """Finance of the other region's central municipality."""
    world.woerden_region.central_municipality = world.woerden
    world.woerden_region.save()
    organisation = OrganisationFactory(
        region=world.woerden_region,
        name="Gemeente Woerden",
        kind="municipality",
        municipality=world.woerden,
    )
    user = UserFactory(username="wendy", first_name="Wendy")
    MembershipFactory(user=user, organisation=organisation, role=Role.FINANCE)
    return user


def call(client, world, billed, route: str):
    name, method, target, action_name, data = ROUTES[route]
    args = []
    if target is not None:
        args.append(getattr(billed, target).pk)
    if action_name is not None:
        args.append(action_name)
    data = dict(data)
    if data.get("period") == "2027-1":
        data["period"] = period(2027, 1).pk
    url = reverse(name, args=args)
    return url, getattr(client, method)(url, data)


@pytest.mark.parametrize("route", list(ROUTES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_which_billing_page(
    world, billed, client_for, other_finance, client, persona, route
):
    if persona == "anonymous":
        user_client = client
    elif persona == "other_finance":
        user_client = client_for(other_finance)
    else:
        user_client = client_for(getattr(world, persona))

    url, response = call(user_client, world, billed, route)

    expected = expected_status(persona, route)
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login")) and "next=" in response.url
    else:
        assert response.status_code == expected, f"{persona} {route}: {response.status_code}"


def test_a_refused_action_changes_nothing(world, billed, client_for):
    before = [snapshot(billed.zw), snapshot(billed.zw_draft)]

    for persona in ("officer", "coordinator", "outsider"):
        client = client_for(getattr(world, persona))
        for route in ("paid zw", "credit zw", "issue zw draft", "run issue"):
            call(client, world, billed, route)
        call(client, world, billed, "cost key new post")

    assert [snapshot(billed.zw), snapshot(billed.zw_draft)] == before
    assert not Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()
    assert not world.drecht.cost_keys.filter(year=2027).exists()
    assert InvoiceLine.objects.count() == 4


def test_finance_of_another_region_sees_none_of_drechtsteden(
    world, billed, client_for, other_finance
):
    overview = client_for(other_finance).get(reverse("billing_overview"))

    assert list(overview.context["invoices"]) == []
    assert list(overview.context["runs"]) == []
    assert overview.context["summary"] == []
    assert "Zwijndrecht" not in page(overview)
