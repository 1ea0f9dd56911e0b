"""The strict Content Security Policy holds in a real browser (issue 9, "Production settings"):
the main pages load, swap htmx partials and submit forms without a single CSP violation, so no
inline script, inline style, style attribute or event handler attribute is left."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from billing import services as billing_services
from placement.models import Meeting
from tests.billing.billing_builders import (
    ISSUED_ON,
    cost_key,
    invoice_for,
    period,
    quota_targets,
    run_period,
    worked_example,
)
from tests.placement.placement_builders import household

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def csp_violations(page):
    """Console messages in which the browser reports a blocked resource or inline code."""
    found: list[str] = []

    def collect(message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            found.append(text)

    page.on("console", collect)
    return found


@pytest.fixture
def content(world):
    worked_example(world)
    household(world, persons=3)
    quota_targets(world, period(2026, 1), zwijndrecht=20, papendrecht=10, dordrecht=30)
    quota_targets(world, period(2026, 2), zwijndrecht=20, papendrecht=10, dordrecht=30)
    cost_key(world, "per_person", tariff="350.00")
    invoice = invoice_for(run_period(world), world.zwijndrecht)
    invoice = billing_services.invoice_issue(invoice=invoice, issue_date=ISSUED_ON)
    meeting = Meeting.objects.create(
        region=world.drecht,
        date=datetime.date.today() + datetime.timedelta(days=7),
        place="Stadskantoor",
    )
    return meeting, invoice


def test_the_main_pages_run_without_csp_violations(
    world, content, log_in, page, browser, base_url, csp_violations
):
    meeting, invoice = content
    log_in(world.coordinator)

    page.goto(reverse("household_list"))
    page.locator("#id_q").fill("Haddad")  # htmx swaps the results (and shows its indicator)
    page.wait_for_load_state("networkidle")
    page.goto(reverse("meeting_detail", args=[meeting.pk]))
    page.goto(reverse("quota_dashboard"))
    expect(page.locator("svg").first).to_be_visible()
    # The period select submits itself (static/js/app.js, no inline onchange).
    page.locator("#id_period").select_option(period(2026, 1).slug)
    expect(page).to_have_url(re.compile(r"period=2026"))

    finance_page = browser.new_context(base_url=base_url).new_page()
    finance_page.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(world.finance, page=finance_page)
    finance_page.goto(reverse("billing_invoice", args=[invoice.pk]))
    expect(finance_page.locator("h1")).to_contain_text(invoice.number)

    assert csp_violations == []


def test_an_inline_script_would_be_reported(world, log_in, page, csp_violations):
    """The check above can fail: the browser does report a violation on these pages."""
    log_in(world.coordinator)
    page.goto(reverse("dashboard"))

    page.evaluate(
        "() => { const s = document.createElement('div');"
        " s.setAttribute('style', 'color: red'); document.body.appendChild(s);"
        " const i = document.createElement('img'); i.src = 'https://example.invalid/x.png';"
        " document.body.appendChild(i); }"
    )
    page.wait_for_timeout(300)

    assert csp_violations


def test_the_login_page_and_the_admin_run_without_csp_violations(page, db, csp_violations):
    page.goto(reverse("login"))
    page.goto(reverse("admin:login"))
    expect(page.locator("#id_username")).to_be_visible()

    assert csp_violations == []
