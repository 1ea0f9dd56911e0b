"""Withdrawing a vacancy is confirmed first, with JavaScript (a modal dialog) and without (a page).

Cor (Trivire) withdraws a submitted vacancy. With JavaScript the question opens as a modal
<dialog> with focus inside it; Escape closes it and nothing changed; "Yes" withdraws. Without
JavaScript the same question is a page of its own, and only its "Yes" button withdraws.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from placement.models import Vacancy
from tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def url_is(path: str) -> re.Pattern:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def submitted(world) -> Vacancy:
    return VacancyFactory(
        corporation=world.trivire,
        municipality=world.dordrecht,
        street="Singel 250",
        status=Vacancy.Status.SUBMITTED,
    )


def status_of(vacancy: Vacancy) -> str:
    vacancy.refresh_from_db()
    return vacancy.status


def test_withdrawing_with_javascript_asks_in_a_dialog(world, page, log_in):
    vacancy = submitted(world)
    log_in(world.corporation)
    page.goto(vacancy.get_absolute_url())
    withdraw = page.locator("#withdraw-form button[type=submit]")

    withdraw.click()
    dialog = page.locator("dialog[open][data-confirm-dialog]")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Singel 250")
    expect(dialog.locator("#confirm-cancel")).to_be_focused()  # the safe way out first
    page.keyboard.press("Escape")
    expect(page.locator("dialog")).to_have_count(0)
    expect(withdraw).to_be_focused()
    assert status_of(vacancy) == Vacancy.Status.SUBMITTED

    withdraw.click()
    page.locator("dialog[open] #confirm-yes").click()

    expect(page).to_have_url(url_is(vacancy.get_absolute_url()))
    expect(page.locator("main [role=status].alert-success")).to_be_visible()
    assert status_of(vacancy) == Vacancy.Status.WITHDRAWN


def test_withdrawing_without_javascript_asks_on_a_page(world, browser, base_url, log_in):
    vacancy = submitted(world)
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    log_in(world.corporation, page=page)
    page.goto(vacancy.get_absolute_url())

    page.locator("#withdraw-form button[type=submit]").click()

    expect(page).to_have_url(url_is(reverse("vacancy_withdraw", args=[vacancy.pk])))
    expect(page.locator("#confirm")).to_contain_text("Singel 250")
    expect(page.locator("dialog")).to_have_count(0)
    assert status_of(vacancy) == Vacancy.Status.SUBMITTED

    page.locator("#confirm-yes").click()

    expect(page).to_have_url(url_is(vacancy.get_absolute_url()))
    assert status_of(vacancy) == Vacancy.Status.WITHDRAWN
    context.close()
