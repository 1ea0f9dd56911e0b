"""The monthly regional meeting: schedule, agenda, whole-meeting proposal, closing.

The agenda is built from the data (vacancies to fill, households waiting longest, nominations
awaiting an outcome) and then edited by the coordinator: building again adds what is new and
never removes or duplicates what is there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from notices import events as notice_events

from . import agenda_decisions, candidates, deadlines, matching
from .models import AgendaItem, Household, Meeting, Nomination, Vacancy
from .nominating import NominationRefused, nomination_create, sync_vacancy_status

# The schedule lives in its own module; these names stay importable from here.
from .schedule import MEETINGS_AHEAD, meetings_schedule, next_scheduled_meeting  # noqa: F401

# Households on the agenda: those within this many weeks of their deadline, or past it.
AGENDA_HOUSEHOLD_MARGIN_WEEKS = 2
AGENDA_MAX_HOUSEHOLDS = 30


class MeetingError(Exception):
    """A meeting action that is not possible now; the message is for the user."""


@transaction.atomic
def agenda_build(*, meeting: Meeting, today: datetime.date) -> int:
    """Add to the agenda what belongs on it and is not there yet. Returns how many were added.
    Items whose decision was taken meanwhile (see ``agenda_decisions``) are marked decided.
    The meeting row is locked, so two builds at once add every item once."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_open:
        raise MeetingError(_("A closed meeting's agenda cannot change."))
    region_id = meeting.region_id
    present = {
        (kind, subject)
        for kind, subject in AgendaItem.objects.filter(meeting=meeting).values_list(
            "kind", "vacancy_id"
        )
        if subject
    }
    present |= {
        ("household", h)
        for h in AgendaItem.objects.filter(meeting=meeting, kind="household").values_list(
            "household_id", flat=True
        )
    }
    present |= {
        ("nomination", n)
        for n in AgendaItem.objects.filter(meeting=meeting, kind="nomination").values_list(
            "nomination_id", flat=True
        )
    }
    new_items = []

    vacancies = (
        Vacancy.objects.filter(
            municipality__region_id=region_id,
            status__in=[Vacancy.Status.ACCEPTED, Vacancy.Status.ON_AGENDA],
        )
        .order_by("return_deadline", "id")
        .only("id", "places", "status")
    )
    for position, vacancy in enumerate(vacancies, start=1):
        if ("vacancy", vacancy.pk) not in present:
            new_items.append(
                AgendaItem(meeting=meeting, kind="vacancy", vacancy=vacancy, position=position)
            )
    # The bulk helpers write the change history too (a plain update() would not).
    to_mark = list(Vacancy.objects.filter(pk__in=[v.pk for v in vacancies], status="accepted"))
    now = timezone.now()
    for vacancy in to_mark:
        vacancy.status, vacancy.status_changed_at = Vacancy.Status.ON_AGENDA, now
        vacancy.updated_at = now
    bulk_update_with_history(
        to_mark, Vacancy, ["status", "status_changed_at", "updated_at"], default_date=now
    )

    waited = deadlines.deadline_weeks() - AGENDA_HOUSEHOLD_MARGIN_WEEKS
    households = (
        candidates.nominatable_households(region_id)
        .waiting_since_weeks(waited, today)
        .order_by("link_date", "id")[:AGENDA_MAX_HOUSEHOLDS]
    )
    for position, household in enumerate(households, start=1):
        if ("household", household.pk) not in present:
            new_items.append(
                AgendaItem(
                    meeting=meeting, kind="household", household=household, position=position
                )
            )

    nominations = Nomination.objects.filter(
        vacancy__municipality__region_id=region_id, status__in=Nomination.AWAITING_OUTCOME
    ).order_by("created_at", "id")
    for position, nomination in enumerate(nominations, start=1):
        if ("nomination", nomination.pk) not in present:
            new_items.append(
                AgendaItem(
                    meeting=meeting, kind="nomination", nomination=nomination, position=position
                )
            )
    bulk_create_with_history(new_items, AgendaItem)
    agenda_decisions.settle(meeting=meeting)
    return len(new_items)


@transaction.atomic
def agenda_add(
    *, meeting: Meeting, household: Household | None = None, vacancy: Vacancy | None = None
) -> AgendaItem:
    """Put one household or vacancy of the meeting's region on its agenda by hand."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_open:
        raise MeetingError(_("A closed meeting's agenda cannot change."))
    if (household is None) == (vacancy is None):
        raise MeetingError(_("Choose a household or a vacancy."))
    if household is not None:
        if household.linked_municipality.region_id != meeting.region_id:
            raise MeetingError(_("This household belongs to another region."))
        kind, subject = AgendaItem.Kind.HOUSEHOLD, {"household": household}
    else:
        if vacancy.municipality.region_id != meeting.region_id:
            raise MeetingError(_("This vacancy belongs to another region."))
        kind, subject = AgendaItem.Kind.VACANCY, {"vacancy": vacancy}
    if AgendaItem.objects.filter(meeting=meeting, kind=kind, **subject).exists():
        raise MeetingError(_("This is already on the agenda."))
    last = AgendaItem.objects.filter(meeting=meeting, kind=kind).order_by("-position").first()
    item = AgendaItem.objects.create(
        meeting=meeting, kind=kind, position=(last.position + 1) if last else 1, **subject
    )
    if vacancy is not None and vacancy.status == Vacancy.Status.ACCEPTED:
        sync_vacancy_status(vacancy)
    return item


@transaction.atomic
def meeting_start(*, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PLANNED:
        raise MeetingError(_("Only a planned meeting can be started."))
    meeting.status = Meeting.Status.IN_PROGRESS
    meeting.save(update_fields=["status"])
    return meeting


UNDECIDED_CHOICES = ("defer", "drop")


def following_meeting(*, meeting: Meeting, today: datetime.date) -> Meeting:
    """Where deferred items go: the region's next open meeting after ``meeting`` in today's
    schedule (planned first if there is none yet)."""
    following = next_scheduled_meeting(region=meeting.region, after=meeting.date, today=today)
    if following is None:
        raise MeetingError(_("The schedule has no next meeting to defer to."))
    return following


def _defer(item: AgendaItem, following: Meeting) -> None:
    """Put ``item`` on ``following``'s agenda (once) and record here where it went."""
    AgendaItem.objects.get_or_create(
        meeting=following,
        kind=item.kind,
        vacancy=item.vacancy,
        household=item.household,
        nomination=item.nomination,
        defaults={"position": item.position, "notes": item.notes},
    )
    agenda_decisions.record(
        item,
        outcome=AgendaItem.Outcome.DEFERRED,
        text=_("Deferred to the meeting of %(day)s.")
        % {"day": date_format(following.date, "j F Y")},
    )


@transaction.atomic
def agenda_item_defer(
    *,
    item: AgendaItem,
    today: datetime.date,
    notes: str | None = None,
    decision: str | None = None,
) -> Meeting:
    """Defer one item to the next meeting (with the notes and decision text written with it).
    Returns that meeting. The meeting and the item are locked: an item is deferred once."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if not meeting.is_open:
        raise MeetingError(_("A closed meeting's agenda cannot change."))
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if locked.outcome == AgendaItem.Outcome.DEFERRED:
        raise MeetingError(_("This item has already been deferred."))
    if notes is not None:
        locked.notes = notes
    if decision is not None:
        locked.decision = decision
    locked.save(update_fields=["notes", "decision"])
    following = following_meeting(meeting=meeting, today=today)
    _defer(locked, following)
    return following


@transaction.atomic
def meeting_close(*, meeting: Meeting, undecided: str | None, today: datetime.date) -> Meeting:
    """Close the meeting. Items without a decision must be dealt with: ``defer`` moves them to
    the next meeting's agenda, ``drop`` marks them dropped. Without a choice, closing a meeting
    with undecided items is refused."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CLOSED:
        raise MeetingError(_("This meeting is already closed."))
    # Vacancies before agenda items, the order a nomination locks them in (it decides items).
    list(
        Vacancy.objects.select_for_update()
        .filter(pk__in=meeting.items.filter(kind=AgendaItem.Kind.VACANCY).values("vacancy_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    agenda_decisions.settle(meeting=meeting)
    open_items = list(meeting.items.filter(outcome=AgendaItem.Outcome.OPEN).order_by("pk"))
    if open_items and undecided not in UNDECIDED_CHOICES:
        raise MeetingError(
            _("%(n)s agenda items have no decision yet: defer them or drop them.")
            % {"n": len(open_items)}
        )
    if open_items and undecided == "defer":
        following = following_meeting(meeting=meeting, today=today)
        for item in open_items:
            _defer(item, following)
    elif open_items:
        for item in open_items:
            agenda_decisions.record(
                item,
                outcome=AgendaItem.Outcome.DROPPED,
                text=_("Dropped when the meeting was closed."),
            )
    meeting.status = Meeting.Status.CLOSED
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    notice_events.meeting_closed(meeting)
    # A vacancy no open meeting lists any more is no longer "on the agenda".
    for vacancy in Vacancy.objects.filter(
        pk__in=meeting.items.filter(kind=AgendaItem.Kind.VACANCY).values("vacancy_id")
    ):
        sync_vacancy_status(vacancy)
    return meeting


# --- The whole-meeting proposal -----------------------------------------------------------


@dataclass
class MeetingProposal:
    optimal: matching.Proposal
    greedy: matching.Proposal
    vacancies: dict[int, Vacancy]
    households: dict[int, Household]  # the households of the proposal and the greedy one
    place_numbers: dict[int, list[int]]  # vacancy id -> its free place numbers, in order
    evaluation: matching.Evaluation  # over the households that fit at least one place
    pool_count: int = 0  # nominatable households of the region

    def place_number(self, line: matching.ProposalLine) -> int:
        return self.place_numbers[line.dwelling_id][line.place - 1]


def meeting_proposal(*, meeting: Meeting, today: datetime.date) -> MeetingProposal:
    """The best set of nominations for the agenda's vacancies (every free place counts), and
    what a greedy one-vacancy-at-a-time pass would give."""
    vacancy_ids = meeting.items.filter(kind=AgendaItem.Kind.VACANCY).values("vacancy_id")
    vacancies = list(
        Vacancy.objects.filter(
            pk__in=vacancy_ids,
            status__in=[Vacancy.Status.ACCEPTED, Vacancy.Status.ON_AGENDA],
        )
        .select_related("municipality", "corporation")
        .order_by("return_deadline", "id")
    )
    taken: dict[int, set[int]] = {}
    for vacancy_id, place in (
        Nomination.objects.filter(vacancy__in=vacancies)
        .taking_a_place()
        .values_list("vacancy_id", "place")
    ):
        taken.setdefault(vacancy_id, set()).add(place)
    caps = candidates.rent_caps()
    place_numbers = {v.pk: candidates.free_places(v, taken.get(v.pk, set())) for v in vacancies}
    dwellings = [
        candidates.to_dwelling(v, caps, places=len(place_numbers[v.pk]))
        for v in vacancies
        if place_numbers[v.pk]
    ]
    settings = matching.MatchSettings.from_settings()
    # Plain rows, and only households that pass the SQL-checkable rules for some place: one
    # that fits no place takes no part in the optimum, the greedy pass or a line's reasons, so
    # the proposal is the same as over the whole pool.
    pool = candidates.candidates_for(meeting.region_id, dwellings, settings)
    evaluation = matching.evaluate(dwellings, pool, settings, today)
    optimal = matching.propose(dwellings, pool, settings, today, evaluation=evaluation)
    greedy = matching.greedy(dwellings, pool, settings, today, evaluation=evaluation)
    shown = {line.household_id for line in (*optimal.lines, *greedy.lines)}
    return MeetingProposal(
        optimal=optimal,
        greedy=greedy,
        vacancies={v.pk: v for v in vacancies},
        households=Household.objects.with_sizes()
        .select_related("linked_municipality")
        .in_bulk(shown),
        place_numbers=place_numbers,
        evaluation=evaluation,
        pool_count=candidates.nominatable(meeting.region_id).count(),
    )


@dataclass
class AcceptResult:
    created: list[Nomination]
    refused: list[tuple[str, str]]  # (line label, message)


def proposal_accept(
    *, meeting: Meeting, lines: list[tuple[int, int, int]], by, today: datetime.date
) -> AcceptResult:
    """Turn accepted proposal lines (vacancy id, place, household id) into nominations. Each
    line stands alone: one that can no longer be made (someone was quicker) is reported and
    the others still go through."""
    if not meeting.is_open:
        raise MeetingError(_("A closed meeting cannot nominate."))
    region_vacancies = Vacancy.objects.filter(municipality__region_id=meeting.region_id)
    region_households = Household.objects.filter(linked_municipality__region_id=meeting.region_id)
    result = AcceptResult(created=[], refused=[])
    for vacancy_id, place, household_id in lines:
        vacancy = region_vacancies.filter(pk=vacancy_id).first()
        household = region_households.filter(pk=household_id).first()
        label = f"{vacancy or vacancy_id} ← {household.reference if household else household_id}"
        if vacancy is None or household is None:
            result.refused.append((label, _("Not found in this region.")))
            continue
        try:
            result.created.append(
                nomination_create(
                    vacancy=vacancy,
                    household=household,
                    place=place,
                    meeting=meeting,
                    by=by,
                    today=today,
                )
            )
        except NominationRefused as exc:
            result.refused.append((label, " ".join([str(exc), *exc.reasons])))
    return result
