"""Radio buttons are radio buttons (issue 11): "Is de weigering terecht?" on a nomination, what
becomes of the vacancy when a lease is dissolved, and what happens to undecided agenda items when
a meeting closes. Each option is clicked in a real browser and what was saved is checked; the
controls are Bootstrap form-checks (a dot, not an empty text bar) in a fieldset with a legend.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from placement.meetings import agenda_build
from placement.models import AgendaItem, Meeting, Nomination, Vacancy
from placement.nominating import nomination_create, nomination_sign_lease
from tests.placement.placement_builders import accepted_vacancy, household

pytestmark = pytest.mark.django_db(transaction=True)


def today() -> datetime.date:
    return timezone.localdate()


def url_is(path: str) -> re.Pattern:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def submit_and_confirm(page: Page, button) -> None:
    """Submit; where the action asks for confirmation first (it cannot be undone), say yes."""
    button.click()
    yes = page.locator("#confirm-yes")
    try:  # a page without JavaScript, a dialog with htmx
        yes.wait_for(state="visible", timeout=5000)
    except PlaywrightTimeoutError:
        return
    yes.click()
    page.wait_for_load_state()


def radio_group(page: Page, scope: str, name: str):
    """The radios of one group, after checking they render as a labelled group of form-checks."""
    radios = page.locator(f"{scope} input[type=radio][name='{name}']")
    expect(radios.first).to_be_visible()
    for i in range(radios.count()):
        radio = radios.nth(i)
        expect(radio).to_have_class(re.compile(r"\bform-check-input\b"))
        expect(radio).not_to_have_class(re.compile(r"\bform-control\b"))
        # The label next to it says which option it is; the group's legend says what is asked.
        expect(page.locator(f"label[for='{radio.get_attribute('id')}']")).to_be_visible()
        legend = radio.locator("xpath=ancestor::fieldset[1]/legend")
        expect(legend).to_have_count(1)
        expect(legend).not_to_be_empty()
    box = radios.first.bounding_box()
    assert box and box["width"] < 40 and box["height"] < 40, f"{name}: {box} is not a radio dot"
    return radios


@pytest.mark.parametrize(("choice", "justified"), [("yes", True), ("no", False)])
def test_the_desk_says_whether_a_refusal_is_justified(world, log_in, page, choice, justified):
    vacancy = accepted_vacancy(world, street="Singel 250")
    n = nomination_create(vacancy=vacancy, household=household(world), by=world.coordinator)
    log_in(world.coordinator)
    page.goto(n.get_absolute_url())

    form = "#refusal-form"
    page.locator(f"{form} select[name='refusal-reason']").select_option(
        Nomination.RefusalReason.values[0]
    )
    radios = radio_group(page, form, "refusal-justified")
    expect(radios).to_have_count(2)
    option = page.locator(f"{form} input[name='refusal-justified'][value='{choice}']")
    page.locator(f"label[for='{option.get_attribute('id')}']").click()  # the label is clickable
    expect(option).to_be_checked()
    submit_and_confirm(page, page.locator(f"{form} button[type=submit]"))

    expect(page).to_have_url(url_is(n.get_absolute_url()))
    n.refresh_from_db()
    assert (n.status, n.refusal_justified) == (Nomination.Status.REFUSED, justified)


@pytest.mark.parametrize(
    ("choice", "vacancy_status"),
    [("open", Vacancy.Status.ACCEPTED), ("withdrawn", Vacancy.Status.WITHDRAWN)],
)
def test_a_dissolved_lease_says_what_becomes_of_the_vacancy(
    world, log_in, page, choice, vacancy_status
):
    vacancy = accepted_vacancy(world, street="Voorstraat 12")
    n = nomination_create(vacancy=vacancy, household=household(world), by=world.coordinator)
    n = nomination_sign_lease(
        nomination=n,
        signed_on=today() - datetime.timedelta(days=7),
        lease_start=today() + datetime.timedelta(days=14),
    )
    log_in(world.coordinator)
    page.goto(n.get_absolute_url())

    form = "#dissolve-form"
    page.locator(f"{form} select[name='dissolve-reason']").select_option(
        Nomination.DissolutionReason.values[0]
    )
    page.locator(f"{form} input[name='dissolve-dissolved_on']").fill(today().isoformat())
    radio_group(page, form, "dissolve-vacancy_to")
    page.locator(f"{form} input[name='dissolve-vacancy_to'][value='{choice}']").check()
    submit_and_confirm(page, page.locator(f"{form} button[type=submit]"))

    expect(page).to_have_url(url_is(n.get_absolute_url()))
    n.refresh_from_db()
    vacancy.refresh_from_db()
    assert (n.status, vacancy.status) == (Nomination.Status.DISSOLVED, vacancy_status)


@pytest.mark.parametrize(
    ("choice", "outcome"),
    [("defer", AgendaItem.Outcome.DEFERRED), ("drop", AgendaItem.Outcome.DROPPED)],
)
def test_closing_a_meeting_says_what_happens_to_undecided_items(
    world, log_in, page, choice, outcome
):
    meeting = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=4)
    )
    following = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=8)
    )
    accepted_vacancy(world, street="Singel 250")
    household(world, link_date=today() - datetime.timedelta(weeks=9))
    agenda_build(meeting=meeting, today=today())
    undecided = list(meeting.items.filter(outcome=AgendaItem.Outcome.OPEN))
    assert undecided
    log_in(world.coordinator)
    page.goto(reverse("meeting_close", args=[meeting.pk]))

    radios = radio_group(page, "main form", "undecided")
    expect(radios).to_have_count(2)
    page.locator(f"main form input[name='undecided'][value='{choice}']").check()
    submit_and_confirm(page, page.locator("main form button[type=submit]"))

    expect(page).to_have_url(url_is(meeting.get_absolute_url()))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert {item.outcome for item in meeting.items.filter(pk__in=[i.pk for i in undecided])} == {
        outcome
    }
    moved = following.items.filter(vacancy__in=[i.vacancy for i in undecided if i.vacancy])
    assert moved.exists() == (choice == "defer")
