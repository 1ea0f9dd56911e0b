"""A lease that falls through (ontbonden) and a household that leaves the dwelling (vertrokken).

The worked example: the Haddad family (linked 9 weeks ago) signed the lease for Trivire's
apartment at Singel 250 last week; the lease starts in two weeks. Then the family withdraws.
Carla of the desk, or Cor of Trivire, records the dissolved lease with its reason and date: the
family is back in the pool with its link date (so it keeps its 9 weeks of waiting), and the
apartment is open again for another household, or withdrawn if Trivire lets it otherwise.

Later in the year another family moves out of the dwelling it moved into: its file closes and
it does not come back into the pool unless the desk registers it again. What the quota counts
of either is in ``tests/quota/test_lease_end_quota.py``.
"""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from placement import nominating
from placement.models import Household, Nomination, Vacancy
from placement.nominating import (
    NominationRefused,
    OutcomeError,
    nomination_create,
    nomination_dissolve_lease,
    nomination_mark_housed,
    nomination_move_out,
    nomination_sign_lease,
)
from placement.services import household_change_status

from .placement_builders import accepted_vacancy, household, shared_vacancy, stored, today


def in_days(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def nl(message: str) -> str:
    """The Dutch interface text, as the catalogue has it now."""
    with translation.override("nl"):
        return translation.gettext(message)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def statuses(nomination: Nomination) -> tuple[str, str, str]:
    """(nomination, household, vacancy) as stored now."""
    n = Nomination.objects.select_related("household", "vacancy").get(pk=nomination.pk)
    return n.status, n.household.status, n.vacancy.status


def leased(world, vacancy: Vacancy | None = None, **household_kwargs) -> Nomination:
    """A family of four whose lease was signed a week ago and starts in two weeks."""
    vacancy = vacancy or accepted_vacancy(world, street="Singel 250")
    family = household(world, persons=household_kwargs.pop("persons", 4), **household_kwargs)
    n = nomination_create(vacancy=vacancy, household=family, by=world.coordinator)
    return nomination_sign_lease(nomination=n, signed_on=in_days(-7), lease_start=in_days(14))


def housed(world, *, moved_in_days_ago: int = 60) -> Nomination:
    vacancy = accepted_vacancy(world, street="Lange Geldersekade 3")
    family = household(world, persons=3)
    n = nomination_create(vacancy=vacancy, household=family, by=world.coordinator)
    start = in_days(-moved_in_days_ago)
    nomination_sign_lease(nomination=n, signed_on=start, lease_start=start)
    return nomination_mark_housed(nomination=n, move_in_date=start)


def dissolve(n: Nomination, **kwargs) -> Nomination:
    values = {
        "reason": Nomination.DissolutionReason.HOUSEHOLD_WITHDREW,
        "dissolved_on": today(),
        "vacancy_to": "open",
    }
    values.update(kwargs)
    return nomination_dissolve_lease(nomination=n, **values)


# --- The worked example -----------------------------------------------------------------------


def test_a_dissolved_lease_puts_the_family_back_in_the_pool_with_its_waiting_time(world):
    link_date = in_days(-63)  # 9 weeks ago
    n = leased(world, link_date=link_date)
    assert statuses(n) == ("lease_signed", "lease_signed", "let")

    dissolve(n, dissolved_on=in_days(-1), notes="Gezin kiest voor familie in Utrecht.")

    assert statuses(n) == ("dissolved", "searching", "accepted")
    row = stored(n)
    assert (row.dissolved_on, row.dissolution_reason) == (in_days(-1), "household_withdrew")
    assert row.dissolution_notes == "Gezin kiest voor familie in Utrecht."
    assert (row.lease_signed_on, row.lease_start) == (in_days(-7), in_days(14))  # kept
    family = stored(n.household)
    assert family.link_date == link_date
    assert family.weeks_waiting(today()) == 9
    assert "Singel 250" in family.status_reason


def test_after_a_dissolved_lease_the_dwelling_and_the_family_can_be_nominated_again(world):
    n = leased(world)
    dissolve(n)

    neighbours = household(world, persons=3)
    again = nomination_create(vacancy=n.vacancy, household=neighbours, by=world.coordinator)
    elsewhere = nomination_create(
        vacancy=accepted_vacancy(world, street="Voorstraat 12"),
        household=n.household,
        by=world.coordinator,
    )

    assert statuses(again) == ("nominated", "nominated", "nominated")
    assert statuses(elsewhere) == ("nominated", "nominated", "nominated")


def test_the_corporation_may_withdraw_the_dwelling_instead(world):
    n = leased(world)

    dissolve(n, reason=Nomination.DissolutionReason.CORPORATION, vacancy_to="withdrawn")

    assert statuses(n) == ("dissolved", "searching", "withdrawn")
    with pytest.raises(NominationRefused):
        nomination_create(vacancy=n.vacancy, household=household(world), by=world.coordinator)


def test_the_dissolution_is_in_the_change_history(world):
    n = leased(world)

    dissolve(n)

    latest = stored(n).history.first()
    assert (latest.status, latest.dissolution_reason) == ("dissolved", "household_withdrew")
    assert stored(n.household).history.first().status == "searching"
    assert stored(n.vacancy).history.first().status == "accepted"


# --- Through the page, as Carla and Cor use it ------------------------------------------------


def outcome(n: Nomination, action: str) -> str:
    return reverse("nomination_outcome", args=[n.pk, action])


def dissolve_post(**overrides) -> dict[str, str]:
    data = {
        "dissolve-reason": "income_check",
        "dissolve-dissolved_on": today().isoformat(),
        "dissolve-vacancy_to": "open",
        "dissolve-notes": "",
        "confirm": "1",  # past the confirm step (tests/placement/test_confirm.py)
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["coordinator", "corporation"])
def test_the_desk_and_the_vacancys_corporation_record_a_dissolved_lease(world, client_for, persona):
    n = leased(world)
    page = client_for(getattr(world, persona)).get(reverse("nomination_detail", args=[n.pk]))
    assert 'id="dissolve-form"' in page.content.decode()

    response = client_for(getattr(world, persona)).post(outcome(n, "dissolve"), dissolve_post())

    assert response.status_code == 302
    assert statuses(n) == ("dissolved", "searching", "accepted")
    assert stored(n).dissolution_reason == "income_check"


def test_another_corporation_does_not_find_the_nomination(world, client_for):
    n = leased(world)

    response = client_for(world.other_corporation).post(outcome(n, "dissolve"), dissolve_post())

    assert response.status_code == 404
    assert statuses(n) == ("lease_signed", "lease_signed", "let")


@pytest.mark.parametrize("persona", ["officer", "partner", "finance"])
def test_officers_partners_and_finance_may_not_dissolve_a_lease(world, client_for, persona):
    n = leased(world)

    response = client_for(getattr(world, persona)).post(outcome(n, "dissolve"), dissolve_post())

    assert response.status_code == 403
    assert statuses(n) == ("lease_signed", "lease_signed", "let")


# --- Bad input: a message at the field, nothing saved -----------------------------------------


def field_error(response, form_id: str, field: str) -> str:
    html = response.content.decode()
    form = html[html.index(f'id="{form_id}"') :]
    start = form.index(f'id="id_{field}_error"')
    return form[start : form.index("</div>", start)]


def signed_before(n: Nomination) -> str:
    return nl("The lease was signed on %(date)s: it cannot be dissolved before that.") % {
        "date": n.lease_signed_on.strftime("%d-%m-%Y")
    }


def not_a_choice(value: str) -> str:
    return nl("Select a valid choice. %(value)s is not one of the available choices.") % {
        "value": value
    }


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"dissolve-dissolved_on": in_days(1).isoformat()}, "dissolve-dissolved_on",
         lambda n: nl("The date cannot be in the future.")),
        ({"dissolve-dissolved_on": in_days(-8).isoformat()}, "dissolve-dissolved_on",
         signed_before),
        ({"dissolve-dissolved_on": "2026-02-31"}, "dissolve-dissolved_on",
         lambda n: nl("Enter a valid date.")),
        ({"dissolve-reason": ""}, "dissolve-reason",
         lambda n: "Kies waarom het huurcontract is ontbonden."),
        ({"dissolve-reason": "too_small"}, "dissolve-reason", lambda n: not_a_choice("too_small")),
        ({"dissolve-vacancy_to": "returned"}, "dissolve-vacancy_to",
         lambda n: not_a_choice("returned")),
    ],
)  # fmt: skip
def test_impossible_dissolutions_are_refused_at_the_field(
    world, client_for, overrides, field, message
):
    n = leased(world)  # signed 7 days ago

    response = client_for(world.corporation).post(
        outcome(n, "dissolve"), dissolve_post(**overrides)
    )

    assert response.status_code == 400
    assert message(n) in field_error(response, "dissolve-form", field)
    assert statuses(n) == ("lease_signed", "lease_signed", "let")


def test_a_shared_dwelling_with_another_place_let_cannot_be_withdrawn(world, client_for):
    rooms = shared_vacancy(world, places=2)
    first = leased(world, vacancy=rooms, persons=1)
    leased(world, vacancy=rooms, persons=1)

    response = client_for(world.corporation).post(
        outcome(first, "dissolve"), dissolve_post(**{"dissolve-vacancy_to": "withdrawn"})
    )

    assert response.status_code == 400
    assert nl(
        "Another place of this dwelling is still taken: it cannot be withdrawn."
    ) in field_error(response, "dissolve-form", "dissolve-vacancy_to")
    assert statuses(first) == ("lease_signed", "lease_signed", "let")


def test_a_shared_dwelling_reopens_only_the_place_that_came_free(world):
    rooms = shared_vacancy(world, places=2)
    first = leased(world, vacancy=rooms, persons=1)
    second = leased(world, vacancy=rooms, persons=1)

    dissolve(first)

    assert statuses(second) == ("lease_signed", "lease_signed", "accepted")
    newcomer = nomination_create(vacancy=rooms, household=household(world), by=world.coordinator)
    assert newcomer.place == first.place


def test_only_a_signed_lease_can_be_dissolved(world, client_for, english):
    n = housed(world)

    with pytest.raises(OutcomeError):
        dissolve(n)
    response = client_for(world.coordinator).post(outcome(n, "dissolve"), dissolve_post())

    assert response.status_code == 302
    assert statuses(n) == ("housed", "housed", "let")


def test_the_service_refuses_dates_the_form_would_refuse(world, english):
    n = leased(world)

    with pytest.raises(OutcomeError, match="future"):
        dissolve(n, dissolved_on=in_days(1))
    with pytest.raises(OutcomeError, match="before it was signed"):
        dissolve(n, dissolved_on=in_days(-8))
    with pytest.raises(OutcomeError, match="why"):
        dissolve(n, reason="too_small")

    assert statuses(n) == ("lease_signed", "lease_signed", "let")


def test_nothing_half_saves_when_a_later_step_fails(world, monkeypatch):
    n = leased(world)

    def broken(*args, **kwargs):
        raise RuntimeError("agenda unavailable")

    monkeypatch.setattr(nominating, "_back_to_agenda", broken)
    with pytest.raises(RuntimeError):
        dissolve(n)

    # The nomination and the household were written before the failure: both rolled back.
    assert statuses(n) == ("lease_signed", "lease_signed", "let")
    assert stored(n).dissolved_on is None


# --- The database guards the rules on its own -------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "dissolved"},  # no reason, no date
        {"status": "dissolved", "dissolved_on": datetime.date(2026, 1, 5)},  # no reason
        {"status": "dissolved", "dissolution_reason": "other"},  # no date
        {"status": "dissolved", "dissolution_reason": "other",
         "dissolved_on": datetime.date(2025, 12, 1)},  # before it was signed
        {"dissolution_reason": "too_small", "dissolved_on": datetime.date(2026, 1, 5)},
        {"status": "moved_out"},  # a household that never moved in
        {"status": "evicted"},
    ],
)  # fmt: skip
def test_the_database_refuses_incomplete_lease_endings(world, changes):
    n = leased(world)
    Nomination.objects.filter(pk=n.pk).update(lease_signed_on=datetime.date(2026, 1, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=n.pk).update(**changes)


def test_the_database_refuses_a_departure_before_the_move_in(world):
    n = housed(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=n.pk).update(
            status="moved_out", moved_out_on=n.move_in_date - datetime.timedelta(days=1)
        )


# --- Left the dwelling ------------------------------------------------------------------------


def test_a_household_that_leaves_closes_its_file_and_the_dwelling_stays_let(world):
    n = housed(world, moved_in_days_ago=60)

    nomination_move_out(nomination=n, moved_out_on=in_days(-3))

    assert statuses(n) == ("moved_out", "left", "let")
    assert stored(n).moved_out_on == in_days(-3)
    family = stored(n.household)
    assert not family.is_open
    with pytest.raises(NominationRefused):
        nomination_create(
            vacancy=accepted_vacancy(world, street="Voorstraat 12"),
            household=family,
            by=world.coordinator,
        )


def test_the_desk_can_register_a_household_that_left_again(world):
    n = housed(world)
    nomination_move_out(nomination=n, moved_out_on=today())

    household_change_status(household=n.household, to="searching", reason="Opnieuw aangemeld")

    again = nomination_create(
        vacancy=accepted_vacancy(world, street="Voorstraat 12"),
        household=stored(n.household),
        by=world.coordinator,
    )
    assert statuses(again) == ("nominated", "nominated", "nominated")
    assert stored(n).status == "moved_out"


def test_a_shared_place_whose_household_left_is_not_offered_again(world):
    rooms = shared_vacancy(world, places=2)
    first = nomination_create(vacancy=rooms, household=household(world), by=world.coordinator)
    nomination_sign_lease(nomination=first, signed_on=in_days(-30), lease_start=in_days(-30))
    nomination_mark_housed(nomination=first, move_in_date=in_days(-30))
    nomination_move_out(nomination=first, moved_out_on=today())

    second = nomination_create(vacancy=rooms, household=household(world), by=world.coordinator)

    assert second.place == 2
    assert stored(rooms).status == Vacancy.Status.NOMINATED


def test_the_corporation_records_the_departure_on_the_page(world, client_for):
    n = housed(world, moved_in_days_ago=30)
    cor = client_for(world.corporation)
    assert (
        'id="moved-out-form"' in cor.get(reverse("nomination_detail", args=[n.pk])).content.decode()
    )

    response = cor.post(
        outcome(n, "moved_out"), {"moved_out-moved_out_on": in_days(-2).isoformat()}
    )

    assert response.status_code == 302
    assert statuses(n) == ("moved_out", "left", "let")


def left_before(n: Nomination) -> str:
    return nl("The household moved in on %(date)s: it cannot have left before that.") % {
        "date": n.move_in_date.strftime("%d-%m-%Y")
    }


@pytest.mark.parametrize(
    "days, message", [(1, lambda n: nl("The date cannot be in the future.")), (-31, left_before)]
)
def test_a_departure_before_the_move_in_or_in_the_future_is_refused(
    world, client_for, days, message
):
    n = housed(world, moved_in_days_ago=30)

    response = client_for(world.coordinator).post(
        outcome(n, "moved_out"), {"moved_out-moved_out_on": in_days(days).isoformat()}
    )

    assert response.status_code == 400
    assert message(n) in field_error(response, "moved-out-form", "moved_out-moved_out_on")
    assert statuses(n) == ("housed", "housed", "let")


def test_a_corporation_of_another_vacancy_cannot_record_a_departure(world, client_for):
    n = housed(world)

    response = client_for(world.other_corporation).post(
        outcome(n, "moved_out"), {"moved_out-moved_out_on": today().isoformat()}
    )

    assert response.status_code == 404
    assert statuses(n) == ("housed", "housed", "let")


# --- Two people dissolve the same lease at once (PostgreSQL row locks) -------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_dissolutions_at_once_one_wins(world, monkeypatch, english):
    n = leased(world)
    move = nominating._move

    def slow_move(*args, **kwargs):
        move(*args, **kwargs)
        time.sleep(0.3)  # hold the locks so the two requests truly overlap

    monkeypatch.setattr(nominating, "_move", slow_move)
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def run(index, vacancy_to):
        try:
            barrier.wait(timeout=10)
            results[index] = dissolve(n, vacancy_to=vacancy_to)
        except Exception as exc:  # the outcome under test
            results[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, to)) for i, to in enumerate(["open", "withdrawn"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    won = [r for r in results if isinstance(r, Nomination)]
    lost = [r for r in results if isinstance(r, OutcomeError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert str(lost[0]) == nl("This lease has already been dissolved.")  # threads speak Dutch
    winner_to = "withdrawn" if results[1] is won[0] else "accepted"
    assert statuses(n) == ("dissolved", "searching", winner_to)
    assert Household.objects.get(pk=n.household_id).status == "searching"
