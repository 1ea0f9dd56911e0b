"""The agendas of a region's held meetings, replayed from its data by the app's own rules.

For each held meeting, oldest first, the agenda it had:

- what ``placement.meetings.agenda_build`` would have put on it on the day the agenda was drafted
  (``AGENDA_LEAD_DAYS`` before the meeting): the dwellings the desk had taken on and that no
  nomination held then, the households waiting longest (at least the deadline less the margin,
  at most ``AGENDA_MAX_HOUSEHOLDS``), the nominations still awaiting an outcome;
- the dwellings a refusal or cancellation sent back to it (``nominating._back_to_agenda``);
- the items deferred to it from the meeting before.

Then what was decided on each item when the meeting closed, by the rule of
``placement.agenda_decisions`` on the meeting day and in its words: a dwelling nominated (in the
meeting or outside it), returned or withdrawn; a household nominated or gone from the pool; a
nomination's outcome. What is still open at the close is deferred to the next meeting (the last
held meeting's items to the next planned one), except a waiting household whose family members
have not arrived yet: the coordinator takes it off the agenda (dropped).

Input is plain rows read from the database (the ``*Row`` classes); nothing here reads or writes
it, so the same rows give the same agendas.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from placement import deadlines
from placement.meetings import AGENDA_HOUSEHOLD_MARGIN_WEEKS, AGENDA_MAX_HOUSEHOLDS
from placement.models import AgendaItem, Household, Nomination, Vacancy

from ..data import (
    DROPPED_REUNIFICATION,
    NOMINATION_DEFERRED_NOTE,
    VACANCY_DECIDED_NOTES,
    VACANCY_DEFERRED_NOTE,
)

# The agenda is drafted on the Thursday before a Tuesday meeting.
AGENDA_LEAD_DAYS = 5
# The desk takes a dwelling on (accepted) within two days of its offer.
ACCEPTED_AFTER_DAYS = 2
Kind, Outcome = AgendaItem.Kind, AgendaItem.Outcome
LEFT_THE_POOL = (
    Household.Status.OWN_HOME,
    Household.Status.WITHDRAWN,
    Household.Status.REFUSED,
    Household.Status.LEFT,
)
NEVER_ON_AGENDA = (Vacancy.Status.SUBMITTED, Vacancy.Status.WITHDRAWN)


@dataclass(frozen=True)
class HouseholdRow:
    pk: int
    reference: str
    link_date: datetime.date
    status: str
    changed: datetime.date  # the day it reached its status
    status_label: str
    size: int
    expected_size: int


@dataclass(frozen=True)
class VacancyRow:
    pk: int
    label: str  # as the vacancy prints itself: street, place
    created: datetime.date
    status: str
    changed: datetime.date
    places: int
    return_reason: str
    return_deadline: datetime.date


@dataclass(frozen=True)
class NominationRow:
    pk: int
    vacancy_id: int
    household_id: int
    meeting_id: int | None
    place: int
    created_at: datetime.datetime
    created: datetime.date
    status: str
    ended: datetime.date | None  # the day it stopped holding its place and household
    lease_signed_on: datetime.date | None
    refusal_label: str
    cancel_reason: str

    def holds(self, day: datetime.date) -> bool:
        return self.created <= day and (self.ended is None or self.ended > day)

    @property
    def outcome_day(self) -> datetime.date | None:
        """The day it stopped awaiting an outcome (None: it still does)."""
        if self.lease_signed_on is not None:
            return self.lease_signed_on
        if self.status in Nomination.AWAITING_OUTCOME:
            return None
        return self.ended


@dataclass(frozen=True)
class MeetingRow:
    pk: int
    date: datetime.date


@dataclass
class ItemPlan:
    kind: str
    subject: int  # the vacancy's, household's or nomination's id
    position: int
    outcome: str = Outcome.OPEN
    decision: str = ""
    notes: str = ""


@dataclass
class AgendaPlan:
    meeting: MeetingRow
    items: list[ItemPlan] = field(default_factory=list)
    made: int = 0  # nominations made in the meeting
    signed: int = 0  # leases signed since the meeting before
    refused: int = 0  # refusals since the meeting before
    returned: int = 0  # dwellings returned in the meeting


def day_text(day: datetime.date) -> str:
    return date_format(day, "j F Y")


class AgendaReplay:
    """The agendas of ``meetings`` (held, oldest first) and the items the last one deferred to
    ``following`` (the next planned meeting)."""

    def __init__(
        self,
        *,
        households: list[HouseholdRow],
        vacancies: list[VacancyRow],
        nominations: list[NominationRow],
        meetings: list[MeetingRow],
        following: MeetingRow | None,
        rng: random.Random,
    ):
        self.households = sorted(households, key=lambda h: (h.link_date, h.pk))
        self.household = {h.pk: h for h in households}
        self.vacancies = sorted(vacancies, key=lambda v: (v.return_deadline, v.pk))
        self.vacancy = {v.pk: v for v in vacancies}
        self.nominations = sorted(nominations, key=lambda n: (n.created_at, n.pk))
        self.nomination = {n.pk: n for n in nominations}
        self.of_vacancy: dict[int, list[NominationRow]] = defaultdict(list)
        self.of_household: dict[int, list[NominationRow]] = defaultdict(list)
        for n in self.nominations:
            self.of_vacancy[n.vacancy_id].append(n)
            self.of_household[n.household_id].append(n)
        self.meetings = meetings
        self.following = following
        self.rng = rng
        self.waited = datetime.timedelta(
            weeks=deadlines.deadline_weeks() - AGENDA_HOUSEHOLD_MARGIN_WEEKS
        )

    # --- What agenda_build puts on the agenda on the day it is drafted ----------------------

    def vacancies_on(self, day: datetime.date) -> list[VacancyRow]:
        accepted_by = day - datetime.timedelta(days=ACCEPTED_AFTER_DAYS)
        rows = []
        for v in self.vacancies:
            if v.status in NEVER_ON_AGENDA or v.created > accepted_by:
                continue
            if v.status == Vacancy.Status.RETURNED and v.changed <= day:
                continue
            nominations = self.of_vacancy.get(v.pk, [])
            if v.status in (Vacancy.Status.LET, Vacancy.Status.NOMINATED) and not nominations:
                continue  # let outside the desk: not its story
            if sum(n.holds(day) for n in nominations) < v.places:
                rows.append(v)
        return rows

    def waiting(self, h: HouseholdRow, day: datetime.date) -> bool:
        if h.link_date > day or (h.status in LEFT_THE_POOL and h.changed <= day):
            return False
        return not any(n.holds(day) for n in self.of_household.get(h.pk, []))

    def households_on(self, day: datetime.date) -> list[HouseholdRow]:
        linked_by = day - self.waited
        rows = []
        for h in self.households:
            if h.link_date > linked_by or len(rows) >= AGENDA_MAX_HOUSEHOLDS:
                break
            if self.waiting(h, day):
                rows.append(h)
        return rows

    def nominations_on(self, day: datetime.date) -> list[NominationRow]:
        return [
            n
            for n in self.nominations
            if n.created <= day and (n.outcome_day is None or n.outcome_day > day)
        ]

    def sent_back(self, after: datetime.date, until: datetime.date) -> list[int]:
        """Dwellings whose nomination was refused or cancelled in (after, until]."""
        return [
            n.vacancy_id
            for n in self.nominations
            if n.status in (Nomination.Status.REFUSED, Nomination.Status.CANCELLED)
            and n.ended is not None
            and after < n.ended <= until
        ]

    # --- What was decided when the meeting closed -------------------------------------------

    def _nominated(self, n: NominationRow, meeting: MeetingRow) -> str:
        reference = self.household[n.household_id].reference
        if n.meeting_id == meeting.pk:
            return reference
        return _("%(ref)s (outside the meeting, %(day)s)") % {
            "ref": reference,
            "day": day_text(n.created),
        }

    def decision(self, item: ItemPlan, meeting: MeetingRow) -> str | None:
        """``agenda_decisions.decision_for`` on the meeting day."""
        day = meeting.date
        if item.kind == Kind.VACANCY:
            v = self.vacancy[item.subject]
            if v.status == Vacancy.Status.RETURNED and v.changed <= day:
                return _("Returned to the corporation: %(reason)s") % {"reason": v.return_reason}
            if v.status == Vacancy.Status.WITHDRAWN and v.changed <= day:
                return _("Withdrawn by the corporation.")
            holding = sorted(
                (n for n in self.of_vacancy.get(v.pk, []) if n.holds(day)), key=lambda n: n.place
            )
            if holding and len(holding) >= v.places:
                return _("Nominated: %(households)s.") % {
                    "households": ", ".join(self._nominated(n, meeting) for n in holding)
                }
            return None
        if item.kind == Kind.HOUSEHOLD:
            h = self.household[item.subject]
            holding = next((n for n in self.of_household.get(h.pk, []) if n.holds(day)), None)
            if holding is not None:
                vacancy = self.vacancy[holding.vacancy_id].label
                if holding.meeting_id == meeting.pk:
                    return _("Nominated for %(vacancy)s.") % {"vacancy": vacancy}
                return _("Nominated for %(vacancy)s (outside the meeting, %(day)s).") % {
                    "vacancy": vacancy,
                    "day": day_text(holding.created),
                }
            if h.status in LEFT_THE_POOL and h.changed <= day:
                return _("No longer waiting: %(status)s.") % {"status": h.status_label}
            return None
        n = self.nomination[item.subject]
        if n.outcome_day is None or n.outcome_day > day:
            return None
        if n.status == Nomination.Status.REFUSED:
            return _("Refused: %(reason)s.") % {"reason": n.refusal_label}
        if n.status == Nomination.Status.CANCELLED:
            return _("Cancelled: %(reason)s") % {"reason": n.cancel_reason}
        return _("Lease signed on %(day)s.") % {"day": day_text(n.lease_signed_on)}

    # --- The year -----------------------------------------------------------------------------

    def agendas(self) -> tuple[list[AgendaPlan], list[ItemPlan]]:
        """Every held meeting's agenda, and the items the last one deferred to ``following``."""
        plans, carried = [], []
        for index, meeting in enumerate(self.meetings):
            following = (
                self.meetings[index + 1] if index + 1 < len(self.meetings) else self.following
            )
            before = (
                self.meetings[index - 1].date
                if index
                else meeting.date - datetime.timedelta(days=31)
            )
            plan, carried = self.meeting(meeting, before, following, carried)
            plans.append(plan)
        return plans, carried

    def meeting(
        self,
        meeting: MeetingRow,
        before: datetime.date,
        following: MeetingRow | None,
        carried: list[ItemPlan],
    ) -> tuple[AgendaPlan, list[ItemPlan]]:
        drafted = meeting.date - datetime.timedelta(days=AGENDA_LEAD_DAYS)
        items: dict[tuple[str, int], ItemPlan] = {}

        def add(kind: str, subject: int, position: int, notes: str = "") -> None:
            items.setdefault((kind, subject), ItemPlan(kind, subject, position, notes=notes))

        for position, v in enumerate(self.vacancies_on(drafted), start=1):
            add(Kind.VACANCY, v.pk, position)
        for vacancy_id in self.sent_back(before, meeting.date):
            add(Kind.VACANCY, vacancy_id, 0)
        for position, h in enumerate(self.households_on(drafted), start=1):
            add(Kind.HOUSEHOLD, h.pk, position)
        for position, n in enumerate(self.nominations_on(drafted), start=1):
            add(Kind.NOMINATION, n.pk, position)
        for item in carried:
            add(item.kind, item.subject, item.position, item.notes)

        plan, day = AgendaPlan(meeting), meeting.date
        deferred = []
        for item in items.values():
            # One draw per item, whatever its outcome.
            noted = self.rng.random() < 0.3
            note = self.rng.choice(VACANCY_DECIDED_NOTES)
            text = self.decision(item, meeting)
            if text is not None:
                item.outcome, item.decision = Outcome.DECIDED, text
                if item.kind == Kind.VACANCY:
                    made_here = any(
                        n.meeting_id == meeting.pk for n in self.of_vacancy[item.subject]
                    )
                    if made_here and noted and not item.notes:
                        item.notes = note
                    v = self.vacancy[item.subject]
                    plan.returned += v.status == Vacancy.Status.RETURNED and v.changed <= day
            elif item.kind == Kind.HOUSEHOLD and self._expecting(item.subject):
                item.outcome, item.decision = Outcome.DROPPED, DROPPED_REUNIFICATION
            elif following is None:
                item.outcome = Outcome.DROPPED
                item.decision = _("Dropped when the meeting was closed.")
            else:
                if not item.notes and item.kind == Kind.VACANCY:
                    item.notes = VACANCY_DEFERRED_NOTE
                elif not item.notes and item.kind == Kind.NOMINATION:
                    item.notes = NOMINATION_DEFERRED_NOTE
                item.outcome = Outcome.DEFERRED
                item.decision = _("Deferred to the meeting of %(day)s.") % {
                    "day": day_text(following.date)
                }
                deferred.append(ItemPlan(item.kind, item.subject, item.position, notes=item.notes))
            plan.items.append(item)
        plan.made = sum(n.meeting_id == meeting.pk for n in self.nominations)
        plan.signed = sum(
            n.lease_signed_on is not None and before < n.lease_signed_on <= meeting.date
            for n in self.nominations
        )
        plan.refused = sum(
            n.status == Nomination.Status.REFUSED
            and n.ended is not None
            and before < n.ended <= meeting.date
            for n in self.nominations
        )
        return plan, deferred

    def _expecting(self, household_id: int) -> bool:
        h = self.household[household_id]
        return h.expected_size > h.size
