"""Who is told what, and when: the notice rules in one place.

On an event (the hooks in ``notices.events``):
- a nomination is made: the corporation's users (reference and size of the household only);
- a vacancy is submitted: the region's coordinators;
- a meeting is closed: everyone at the table gets the decision list (PDF, no personal data);
- a lease is signed in another municipality than the household's linked one: the officers of
  the linked municipality (the household must be re-linked and reported to COA).

Daily (``manage.py send_notices``, ``due_today``):
- a viewing has passed with no outcome recorded: the corporation's users, once per nomination;
- a vacancy accepted by the desk with no nomination, within ``NOTICE_VACANCY_DAYS`` days of
  its return deadline (or past it): the coordinators, once per vacancy;
- an open household that reached a warning week of ``placement.deadlines`` (8, 10, 12, 14):
  the coordinators, once per threshold (the highest reached, so a late run does not send the
  lower ones too);
- a nomination without an outcome after each of ``NOTICE_STALLED_DAYS`` days (7, 14): the
  coordinators, once per threshold;
- a planned meeting within ``NOTICE_AGENDA_DAYS`` days whose agenda has items: everyone at the
  table gets the agenda (PDF), unless the coordinator sent it already.

"At the table": the members of the region's organisations whose role sees meetings
(``regions.access.Capabilities.sees_meetings``). Each kind can be switched off per user, in
the app and by e-mail separately (``NoticePreference``); a user without an e-mail address is
told in the app only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from placement import deadlines
from placement.models import AgendaItem, Household, Meeting, Nomination, Vacancy
from regions.access import Capabilities
from regions.models import Role

from .models import Kind

SUBJECT_PREFIX = "[Plaatsingsdesk]"


def vacancy_days() -> int:
    return settings.NOTICE_VACANCY_DAYS


def stalled_days() -> tuple[int, ...]:
    return tuple(sorted(settings.NOTICE_STALLED_DAYS))


def agenda_days() -> int:
    return settings.NOTICE_AGENDA_DAYS


def household_weeks() -> tuple[int, ...]:
    return deadlines.warning_weeks()


def site_url() -> str:
    return settings.SITE_URL


# --- Who ----------------------------------------------------------------------------------

TABLE_KINDS = (Kind.AGENDA_READY, Kind.DECISIONS_READY)
OWN_KINDS = {
    Role.COORDINATOR: (
        Kind.VACANCY_SUBMITTED,
        Kind.VACANCY_UNFILLED,
        Kind.HOUSEHOLD_WAITING,
        Kind.NOMINATION_STALLED,
    ),
    Role.CORPORATION: (Kind.NOMINATION_RECEIVED, Kind.OUTCOME_DUE),
    Role.MUNICIPALITY_OFFICER: (Kind.HOUSED_ELSEWHERE,),
}
TABLE_ROLES = tuple(role for role in Role if Capabilities(role=role).sees_meetings)


def kinds_for(role: str | None) -> list[str]:
    """The kinds of notice a user in ``role`` can get (and switch on or off)."""
    if role is None:
        return []
    kinds = list(OWN_KINDS.get(role, ()))
    if role in TABLE_ROLES:
        kinds += TABLE_KINDS
    return [k for k in Kind.values if k in kinds]


def _members(**membership) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, **{f"membership__{k}": v for k, v in membership.items()})
        .order_by("pk")
    )


def coordinators(region_id: int) -> QuerySet:
    return _members(role=Role.COORDINATOR, organisation__region_id=region_id)


def corporation_users(organisation_id: int) -> QuerySet:
    return _members(role=Role.CORPORATION, organisation_id=organisation_id)


def officers_of(municipality_id: int) -> QuerySet:
    return _members(role=Role.MUNICIPALITY_OFFICER, organisation__municipality_id=municipality_id)


def table(region_id: int) -> QuerySet:
    return _members(role__in=TABLE_ROLES, organisation__region_id=region_id)


# --- When (daily) -------------------------------------------------------------------------


@dataclass
class Due:
    """One notice to give (to each recipient) unless it was given before."""

    kind: str
    recipients: QuerySet
    subject: dict = field(default_factory=dict)  # household / vacancy / nomination / meeting
    threshold: int = 0
    data: dict = field(default_factory=dict)


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def due_outcomes(today: datetime.date) -> Iterator[Due]:
    """Viewings before today without an outcome: the corporation records it."""
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    nominations = Nomination.objects.filter(
        status=Nomination.Status.VIEWING, viewing_at__lt=start_of_today
    ).select_related("vacancy", "household")
    for nomination in nominations:
        yield Due(
            Kind.OUTCOME_DUE,
            corporation_users(nomination.vacancy.corporation_id),
            {"nomination": nomination, "vacancy": nomination.vacancy},
            data={"viewing": _day(nomination.viewing_at).isoformat()},
        )


def due_vacancies(today: datetime.date) -> Iterator[Due]:
    """Vacancies the desk took on, no place nominated, the return deadline near or past."""
    horizon = today + datetime.timedelta(days=vacancy_days())
    vacancies = (
        Vacancy.objects.awaiting_nomination()
        .filter(return_deadline__lte=horizon)
        .annotate(
            taken=Count("nominations", filter=Q(nominations__status__in=Nomination.PLACE_TAKEN))
        )
        .filter(taken=0)
        .select_related("municipality")
    )
    for vacancy in vacancies:
        yield Due(
            Kind.VACANCY_UNFILLED,
            coordinators(vacancy.municipality.region_id),
            {"vacancy": vacancy},
            data={"return_deadline": vacancy.return_deadline.isoformat()},
        )


def due_households(today: datetime.date) -> Iterator[Due]:
    """Open households at a warning week (``placement.deadlines``), the highest reached."""
    weeks = household_weeks()
    if not weeks:
        return
    households = (
        Household.objects.open()
        .waiting_since_weeks(weeks[0], today)
        .with_sizes()
        .select_related("linked_municipality")
    )
    for household in households:
        warning = deadlines.warning_for(household.link_date, today)
        if warning is None:
            continue
        yield Due(
            Kind.HOUSEHOLD_WAITING,
            coordinators(household.linked_municipality.region_id),
            {"household": household},
            threshold=warning.weeks,
            data={"size": household.size, "deadline": household.deadline.isoformat()},
        )


def due_stalled(today: datetime.date) -> Iterator[Due]:
    """Nominations still waiting for an outcome after 7 and after 14 days."""
    days = stalled_days()
    if not days:
        return
    nominations = Nomination.objects.awaiting_outcome().select_related(
        "vacancy__municipality", "household"
    )
    for nomination in nominations:
        waited = (today - _day(nomination.created_at)).days
        reached = [d for d in days if waited >= d]
        if not reached:
            continue
        yield Due(
            Kind.NOMINATION_STALLED,
            coordinators(nomination.vacancy.municipality.region_id),
            {"nomination": nomination, "vacancy": nomination.vacancy},
            threshold=reached[-1],
        )


def meetings_for_agenda(today: datetime.date) -> QuerySet:
    """Planned meetings within ``NOTICE_AGENDA_DAYS`` days whose agenda has items."""
    horizon = today + datetime.timedelta(days=agenda_days())
    with_items = AgendaItem.objects.values("meeting_id")
    return Meeting.objects.filter(
        status=Meeting.Status.PLANNED, date__gte=today, date__lte=horizon, pk__in=with_items
    ).order_by("date", "pk")


def due_today(today: datetime.date) -> Iterator[Due]:
    """Every daily notice due on ``today``; ``services.run_daily`` gives each once."""
    yield from due_outcomes(today)
    yield from due_vacancies(today)
    yield from due_households(today)
    yield from due_stalled(today)
