"""One way to write amounts, figures and dates: the reader's language decides.

Dutch: "€ 28.375,00" (a non-breaking space: the sign never wraps away from the number) and
"7 okt 2025"; English: "€28,375.00" and "7 Oct 2025". Invoice lines are written from their
stored figures in the reader's language; the PDF prints them as the invoice was made (Dutch).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from billing import services
from placement.models import RentLimit
from regions.formats import euro_text, number_text
from tests.billing.billing_builders import (
    ISSUED_ON,
    cost_key,
    invoice_for,
    pdf_text,
    run_period,
    worked_example,
)
from tests.placement.placement_builders import accepted_vacancy, household

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# --- Amounts and figures -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("nl", "28375", f"€{NBSP}28.375,00"),
        ("en", "28375", "€28,375.00"),
        ("nl", "-350", f"€{NBSP}-350,00"),
        ("en", "-350", "-€350.00"),
        ("nl", "0.005", f"€{NBSP}0,01"),  # database sums with more decimals: half up to a cent
        ("en", "1234567.891", "€1,234,567.89"),
    ],
)
def test_an_amount_is_written_the_way_the_language_writes_it(language, amount, expected):
    with translation.override(language):
        assert euro_text(Decimal(amount)) == expected


def test_the_euro_filter_keeps_the_amount_together_and_escapes_nothing_unsafe():
    template = Template("{% load desk %}{{ a|euro }} {{ b|euro }} {{ c|euro }}")
    with translation.override("nl"):
        html = template.render(Context({"a": Decimal("4200"), "b": None, "c": "<b>"}))
    assert html == (
        f'<span class="amount">€{NBSP}4.200,00</span> <span class="amount">—</span> '
        '<span class="amount">—</span>'
    )


@pytest.mark.parametrize(("language", "expected"), [("nl", "28.375"), ("en", "28,375")])
def test_a_figure_groups_its_thousands(language, expected):
    with translation.override(language):
        assert number_text(28375) == expected
        assert Template("{% load desk %}{{ n|number }}").render(Context({"n": 28375})) == expected


def test_the_rules_page_writes_the_income_limits_in_the_readers_language(world, client_for):
    # A year of its own, so the test does not lean on the seeded rows.
    RentLimit.objects.update_or_create(
        year=2031,
        defaults={
            "income_limit_single": Decimal("31234.50"),
            "income_limit_multi": Decimal("42000.00"),
            "income_limit_single_aow": Decimal("30000.00"),
            "income_limit_multi_aow": Decimal("40000.00"),
            "rent_cap_small": Decimal("750.00"),
            "rent_cap_large": Decimal("800.00"),
            "quality_discount_limit": Decimal("520.00"),
            "max_rent_benefit": Decimal("980.00"),
        },
    )
    dutch = client_for(world.coordinator).get(reverse("rules")).content.decode()
    english = in_english(client_for(world.coordinator)).get(reverse("rules")).content.decode()

    assert f'<span class="amount">€{NBSP}31.234,50</span>' in dutch
    assert '<span class="amount">€31,234.50</span>' in english
    assert "31234" not in text_of(dutch) and "31234" not in text_of(english)


def test_the_vacancy_rent_is_written_in_the_readers_language(world, client_for):
    vacancy = accepted_vacancy(world, base_rent=Decimal("1640.50"), service_charges=Decimal(0))
    url = vacancy.get_absolute_url()
    dutch = client_for(world.coordinator).get(url).content.decode()
    english = in_english(client_for(world.coordinator)).get(url).content.decode()

    assert f"€{NBSP}1.640,50" in dutch
    assert "€1,640.50" in english


# --- Dates -----------------------------------------------------------------------------------


def test_short_dates_write_the_month_as_each_language_does():
    day = datetime.date(2025, 10, 7)
    with translation.override("nl"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "7 okt 2025"
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "7 Oct 2025"


def test_the_household_list_shows_the_link_date_in_the_readers_language(world, client_for):
    household(world, reference="DS-2025-0107", link_date=datetime.date(2025, 10, 7))
    url = reverse("household_list")

    dutch = text_of(client_for(world.coordinator).get(url).content.decode())
    english = text_of(in_english(client_for(world.coordinator)).get(url).content.decode())

    assert "7 okt 2025" in dutch and "7 Oct 2025" not in dutch
    assert "7 Oct 2025" in english and "7 oct 2025" not in english


# --- Invoice lines ---------------------------------------------------------------------------


@pytest.fixture
def issued(world):
    worked_example(world)
    cost_key(world, "per_person", tariff="1350.00")
    run = run_period(world)
    return services.invoice_issue(invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON)


def test_an_invoice_line_reads_in_the_readers_language(world, client_for, issued):
    url = issued.get_absolute_url()
    dutch = client_for(world.finance).get(url).content.decode()
    english = in_english(client_for(world.finance)).get(url).content.decode()

    assert f"12 personen gehuisvest in 2026-I x €{NBSP}1.350,00" in dutch
    assert "12 persons housed in 2026-I x €1,350.00" in english
    assert "personen gehuisvest" not in english
    assert f"€{NBSP}16.200,00" in dutch and "€16,200.00" in english  # line and total


def test_the_issued_pdf_stays_dutch_for_an_english_reader(world, client_for, issued):
    client = in_english(client_for(world.finance))

    text = pdf_text(client.get(reverse("billing_invoice_pdf", args=[issued.pk])))

    assert "12 personen gehuisvest in 2026-I x € 1.350,00" in text
    assert "persons housed" not in text


def test_a_draft_invoice_says_draft_once(world, client_for):
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    draft = invoice_for(run_period(world), world.zwijndrecht)

    html = client_for(world.finance).get(draft.get_absolute_url()).content.decode()

    heading = text_of(re.search(r"<h1.*?</h1>", html, re.S).group(0))
    assert heading.split() == ["Factuur", "concept"]
