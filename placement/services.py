"""Workflows on households and vacancies that check their status transitions.

Every status change goes through ``_transition``: it locks the row, checks the move against the
model's ``TRANSITIONS`` table and refuses anything else with ``TransitionError``.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notices import events as notice_events

from . import agenda_decisions
from .models import Household, Person, Vacancy


class TransitionError(Exception):
    """A status change that the workflow does not allow; the message is for the user."""


def _refuse_if_nominated(vacancy: Vacancy) -> None:
    if vacancy.nominations.filter(status__in=vacancy.nominations.model.HOLDING).exists():
        raise TransitionError(
            _("This vacancy has an active nomination: record its outcome or cancel it first.")
        )


def _transition(obj: Household | Vacancy, *, to: str, allowed: dict[str, set[str]]) -> None:
    model = type(obj)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if to not in allowed.get(locked.status, set()):
        raise TransitionError(
            _("Cannot change the status from “%(old)s” to “%(new)s”.")
            % {
                "old": locked.get_status_display(),
                "new": model.Status(to).label,
            }
        )
    obj.status = to
    obj.status_changed_at = timezone.now()


def household_reference(household: Household) -> str:
    """The reference of a saved household: region code, link year, its number (DS-2026-00042)."""
    region = household.linked_municipality.region
    return f"{region.code}-{household.link_date.year}-{household.pk:05d}"


@transaction.atomic
def household_create(*, household: Household, members: list[Person], by) -> Household:
    """Save a new household with its members; give it the region's next reference."""
    household.created_by = by
    household.reference = f"NEW-{uuid.uuid4().hex[:16]}"  # replaced below, same transaction
    household.save()
    household.reference = household_reference(household)
    household.save(update_fields=["reference"])
    for person in members:
        person.household = household
        person.save()
    return household


@transaction.atomic
def household_change_status(
    *, household: Household, to: str, reason: str = "", manual: bool = True
) -> Household:
    """Move a household to another status. Manual changes are limited to the exits that do not
    belong to a nomination (searching, own home, withdrawn)."""
    allowed = Household.MANUAL_TRANSITIONS if manual else Household.TRANSITIONS
    _transition(household, to=to, allowed=allowed)
    household.status_reason = reason
    household.save(update_fields=["status", "status_changed_at", "status_reason", "updated_at"])
    agenda_decisions.settle(household=household)
    return household


@transaction.atomic
def household_register_own_home(
    *, household: Household, municipality, day: datetime.date, reason: str = ""
) -> Household:
    """The household found its own home: record the municipality where it registers
    (inschrijft) and the date, and take it out of the pool, in one transaction. It counts for
    the quota from that day (``quota.counting``). Refuses a municipality of another region, a
    date in the future or before the link date; nothing is saved then."""
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if municipality.region_id != household.linked_municipality.region_id:
        raise TransitionError(_("Choose a municipality of the region."))
    if day > timezone.localdate():
        raise TransitionError(_("The registration date cannot be in the future."))
    if day < locked.link_date:
        raise TransitionError(_("The registration date cannot be before the link date."))
    _transition(household, to=Household.Status.OWN_HOME, allowed=Household.TRANSITIONS)
    household.own_home_municipality = municipality
    household.own_home_date = day
    household.status_reason = reason.strip()
    household.save(
        update_fields=[
            "status",
            "status_changed_at",
            "status_reason",
            "own_home_municipality",
            "own_home_date",
            "updated_at",
        ]
    )
    agenda_decisions.settle(household=household)
    return household


@transaction.atomic
def vacancy_submit(*, vacancy: Vacancy, by) -> Vacancy:
    """Record a new vacancy from a corporation (or the desk on its behalf)."""
    vacancy.status = Vacancy.Status.SUBMITTED
    vacancy.submitted_by = by
    vacancy.save()
    notice_events.vacancy_submitted(vacancy)
    return vacancy


@transaction.atomic
def vacancy_resubmit(*, vacancy: Vacancy) -> Vacancy:
    """A corporation sends a returned vacancy back after changing it."""
    _transition(vacancy, to=Vacancy.Status.SUBMITTED, allowed=Vacancy.TRANSITIONS)
    vacancy.return_reason = ""
    vacancy.save()
    return vacancy


@transaction.atomic
def vacancy_accept(*, vacancy: Vacancy) -> Vacancy:
    """The desk takes the vacancy on: from now on it must be filled before the return deadline."""
    _transition(vacancy, to=Vacancy.Status.ACCEPTED, allowed=Vacancy.TRANSITIONS)
    vacancy.save(update_fields=["status", "status_changed_at", "updated_at"])
    return vacancy


@transaction.atomic
def vacancy_return(*, vacancy: Vacancy, reason: str) -> Vacancy:
    """Give the vacancy back to the corporation; a reason is required."""
    if not reason.strip():
        raise TransitionError(_("Give a reason for returning the vacancy."))
    _transition(vacancy, to=Vacancy.Status.RETURNED, allowed=Vacancy.TRANSITIONS)
    _refuse_if_nominated(vacancy)
    vacancy.return_reason = reason.strip()
    vacancy.save(update_fields=["status", "status_changed_at", "return_reason", "updated_at"])
    agenda_decisions.settle(vacancy=vacancy)
    return vacancy


@transaction.atomic
def vacancy_withdraw(*, vacancy: Vacancy) -> Vacancy:
    """The corporation withdraws its offer (e.g. let to someone else). A let vacancy is
    withdrawn only by dissolving its lease (``nominating.nomination_dissolve_lease``)."""
    allowed = {s: t for s, t in Vacancy.TRANSITIONS.items() if s != Vacancy.Status.LET}
    _transition(vacancy, to=Vacancy.Status.WITHDRAWN, allowed=allowed)
    _refuse_if_nominated(vacancy)
    vacancy.save(update_fields=["status", "status_changed_at", "updated_at"])
    agenda_decisions.settle(vacancy=vacancy)
    return vacancy
