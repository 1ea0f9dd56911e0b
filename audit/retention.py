"""Retention: anonymise households whose period is over, and drop old history and read logs.

The rule (settings ``RETENTION_PERSONAL_DATA_MONTHS`` and ``RETENTION_LOG_MONTHS``):

- A household that is closed - housed, found its own home, withdrawn, refused or left the
  dwelling - keeps its personal data for N months after its status last changed to that. On the
  first day on or after the same calendar day N months later (the last day of the month when
  that month is shorter) it is due, e.g. closed 15 March 2024 with 24 months: due from 15 March
  2026.
- Anonymising removes names, V-numbers, free text, medical and accessibility needs, income,
  language and locations, and sets a date of birth to 1 January of its year (ages and the
  composition stay roughly right). It keeps what the quota ledger and the invoices count with:
  the persons, their roles, presence and arrival dates, the municipality, the nominations with
  their dates and statuses. The historical rows holding the old values are deleted; the
  anonymisation itself stays in the change history (reason "anonymised").
- That remaining change history of anonymised records, and read-log rows, are deleted
  ``RETENTION_LOG_MONTHS`` after the anonymisation or the read.

Each household is processed once (``Anonymisation``); every run, dry or not, leaves a
``PurgeRun`` with its counts.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from placement.access_log import purge_personal_data_views
from placement.models import AgendaItem, Household, Nomination, Person, PersonalDataView

from .models import ANONYMISED_REASON, Anonymisation, PurgeRun

logger = logging.getLogger(__name__)

CLOSED_STATUSES = (
    Household.Status.HOUSED,
    Household.Status.OWN_HOME,
    Household.Status.WITHDRAWN,
    Household.Status.REFUSED,
    Household.Status.LEFT,
)
# What a name becomes: the same for everybody, so nothing can be read from it.
ANONYMOUS_NAME = "geanonimiseerd"

HOUSEHOLD_CLEARED = {
    "language": "",
    "needs_wheelchair_access": False,
    "needs_ground_floor": False,
    "medical_notes": "",
    "preferences": "",
    "work_study_location": "",
    "annual_income": None,
    "coa_location": "",
    "notes": "",
    "status_reason": "",
}
NOMINATION_CLEARED = {
    "override_reason": "",
    "refusal_notes": "",
    "cancel_reason": "",
    "score_parts": [],
    "rule_failures": [],
}
AGENDA_ITEM_CLEARED = {"notes": "", "decision": ""}


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same calendar day ``months`` earlier; the month's last day when it is shorter."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_households(*, today: datetime.date, months: int) -> models.QuerySet[Household]:
    """Closed households whose retention period is over and that are not anonymised yet."""
    cutoff = months_before(today, months)
    return Household.objects.filter(
        status__in=CLOSED_STATUSES,
        status_changed_at__date__lte=cutoff,
        anonymisation__isnull=True,
    ).order_by("id")


@dataclass
class PurgePlan:
    households: list[Household]
    persons: models.QuerySet
    nominations: models.QuerySet
    agenda_items: models.QuerySet
    history: list[models.QuerySet] = field(default_factory=list)
    expired_history: list[models.QuerySet] = field(default_factory=list)


def _history_of(household_ids: list[int], nomination_ids: models.QuerySet) -> list:
    return [
        Household.history.filter(id__in=household_ids),
        Person.history.filter(household_id__in=household_ids),
        Nomination.history.filter(household_id__in=household_ids),
        AgendaItem.history.filter(
            Q(household_id__in=household_ids) | Q(nomination_id__in=nomination_ids)
        ),
    ]


def _plan(*, today: datetime.date, now: datetime.datetime, months: int, log_months: int):
    households = list(due_households(today=today, months=months))
    ids = [h.pk for h in households]
    nominations = Nomination.objects.filter(household_id__in=ids)
    nomination_ids = list(nominations.values_list("pk", flat=True))
    expired_ids = list(
        Anonymisation.objects.filter(at__lt=_months_before_moment(now, log_months)).values_list(
            "household_id", flat=True
        )
    )
    expired_nominations = Nomination.objects.filter(household_id__in=expired_ids).values("pk")
    return PurgePlan(
        households=households,
        persons=Person.objects.filter(household_id__in=ids),
        nominations=nominations,
        agenda_items=AgendaItem.objects.filter(
            Q(household_id__in=ids) | Q(nomination_id__in=nomination_ids)
        ),
        history=_history_of(ids, nomination_ids),
        expired_history=_history_of(expired_ids, expired_nominations),
    )


def _months_before_moment(moment: datetime.datetime, months: int) -> datetime.datetime:
    local = timezone.localtime(moment)
    day = months_before(local.date(), months)
    return local.replace(year=day.year, month=day.month, day=day.day)


def _save_cleared(obj: models.Model, cleared: dict) -> None:
    for name, value in cleared.items():
        setattr(obj, name, value)
    obj._change_reason = ANONYMISED_REASON
    obj.save()


def purge_personal_data(
    *,
    today: datetime.date,
    now: datetime.datetime,
    months: int,
    log_months: int,
    apply: bool,
) -> PurgeRun:
    """Anonymise what is due, delete expired history and read-log rows (or, as a dry run, only
    count them), in one transaction; record the run. A second run finds nothing left to do."""
    with transaction.atomic():
        plan = _plan(today=today, now=now, months=months, log_months=log_months)
        read_log_before = _months_before_moment(now, log_months)
        counts = {
            "households": len(plan.households),
            "persons": plan.persons.count(),
            "history_rows": sum(q.count() for q in plan.history + plan.expired_history),
            "read_log_rows": PersonalDataView.objects.filter(viewed_at__lt=read_log_before).count(),
        }
        run = PurgeRun.objects.create(
            at=now,
            dry_run=not apply,
            personal_data_months=months,
            log_months=log_months,
            **counts,
        )
        if apply:
            # History first: the rows to go are those written before this run (the expired
            # ones and the old values of what is anonymised now), not the anonymisation's own.
            for queryset in plan.expired_history + plan.history:
                queryset.delete()
            for person in plan.persons:
                _save_cleared(
                    person,
                    {
                        "full_name": ANONYMOUS_NAME,
                        "date_of_birth": person.date_of_birth.replace(month=1, day=1),
                        "v_number": "",
                    },
                )
            for nomination in plan.nominations:
                _save_cleared(nomination, NOMINATION_CLEARED)
            for item in plan.agenda_items:
                _save_cleared(item, AGENDA_ITEM_CLEARED)
            for household in plan.households:
                _save_cleared(household, HOUSEHOLD_CLEARED)
                Anonymisation.objects.create(household=household, at=now, run=run)
            purge_personal_data_views(before=read_log_before)
    logger.info(
        "purge_personal_data %s: %s households (%s persons) %s, %s history rows and "
        "%s read-log rows %s",
        "applied" if apply else "dry run",
        counts["households"],
        counts["persons"],
        "anonymised" if apply else "to anonymise",
        counts["history_rows"],
        counts["read_log_rows"],
        "deleted" if apply else "to delete",
    )
    return run
