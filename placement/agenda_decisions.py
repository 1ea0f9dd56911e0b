"""When an agenda item is decided: the meeting follows the decisions taken, wherever taken.

The rule, one item kind at a time (``decision_for``):

- a vacancy to fill is decided once every place of it holds a nomination (made in the meeting,
  from the proposal, or on the vacancy page before the meeting), or once it was returned to or
  withdrawn by the corporation;
- a waiting household is decided once it holds a nomination, or has left the pool (own home,
  withdrawn, housed);
- an open nomination is decided once it has an outcome (refused, cancelled, lease signed).

The services that take these decisions (nominate, refuse, cancel, sign, return, withdraw, a
household leaving the pool) call ``settle`` inside their own transaction, after their rows are
locked and written, so an item is decided exactly when its decision is stored. Lock order: the
caller holds the vacancy (and household) rows first, as ``nominating`` does; ``settle`` then
locks the items. The item gets a decision text saying what happened (the database requires one
for a decided item); a text the coordinator wrote before is kept in front of it. Building the
agenda and closing the meeting settle the whole agenda too, for decisions taken before this rule
existed.

Only items of open meetings change (planned or in progress): a closed meeting's decision list is
a record. When a place comes free again (refusal, cancellation, a lease that falls through), the
vacancy's and the household's decided items in the meeting that takes them up are opened again
(``reopen``), the earlier decision kept in the notes.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import AgendaItem, Household, Meeting, Nomination, Vacancy

OPEN_MEETINGS = (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS)
# A household in one of these has left the pool: its "waiting" item is settled.
LEFT_THE_POOL = (
    Household.Status.HOUSED,
    Household.Status.OWN_HOME,
    Household.Status.WITHDRAWN,
    Household.Status.REFUSED,
)
_DECISION_LIMIT = AgendaItem._meta.get_field("decision").max_length
_NOTES_LIMIT = AgendaItem._meta.get_field("notes").max_length


def _day(day: datetime.date | datetime.datetime) -> str:
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    return date_format(day, "j F Y")


def _nominated(nomination: Nomination, item: AgendaItem) -> str:
    """The household's reference, and when the nomination was made outside this meeting."""
    if nomination.meeting_id == item.meeting_id:
        return nomination.household.reference
    return _("%(ref)s (outside the meeting, %(day)s)") % {
        "ref": nomination.household.reference,
        "day": _day(nomination.created_at),
    }


def decision_for(item: AgendaItem) -> str | None:
    """What was decided about ``item`` according to the data now, or None while it is open."""
    if item.kind == AgendaItem.Kind.VACANCY:
        vacancy = item.vacancy
        if vacancy.status == Vacancy.Status.RETURNED:
            return _("Returned to the corporation: %(reason)s") % {"reason": vacancy.return_reason}
        if vacancy.status == Vacancy.Status.WITHDRAWN:
            return _("Withdrawn by the corporation.")
        holding = list(
            vacancy.nominations.filter(status__in=Nomination.HOLDING)
            .select_related("household")
            .order_by("place")
        )
        if holding and len(holding) >= vacancy.places:
            return _("Nominated: %(households)s.") % {
                "households": ", ".join(_nominated(n, item) for n in holding)
            }
        return None
    if item.kind == AgendaItem.Kind.HOUSEHOLD:
        household = item.household
        nomination = (
            household.nominations.filter(status__in=Nomination.HOLDING)
            .select_related("vacancy", "household")
            .first()
        )
        if nomination is not None:
            text = _("Nominated for %(vacancy)s.") % {"vacancy": nomination.vacancy}
            if nomination.meeting_id != item.meeting_id:
                text = _("Nominated for %(vacancy)s (outside the meeting, %(day)s).") % {
                    "vacancy": nomination.vacancy,
                    "day": _day(nomination.created_at),
                }
            return text
        if household.status in LEFT_THE_POOL:
            return _("No longer waiting: %(status)s.") % {"status": household.get_status_display()}
        return None
    nomination = item.nomination
    if nomination.status in Nomination.AWAITING_OUTCOME:
        return None
    if nomination.status == Nomination.Status.REFUSED:
        return _("Refused: %(reason)s.") % {"reason": nomination.get_refusal_reason_display()}
    if nomination.status == Nomination.Status.CANCELLED:
        return _("Cancelled: %(reason)s") % {"reason": nomination.cancel_reason}
    if nomination.status in (Nomination.Status.LEASE_SIGNED, Nomination.Status.HOUSED):
        return _("Lease signed on %(day)s.") % {"day": _day(nomination.lease_signed_on)}
    return _("Outcome: %(status)s.") % {"status": nomination.get_status_display()}


def _open_items(subjects: Q) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(subjects)
        .filter(meeting__status__in=OPEN_MEETINGS, outcome=AgendaItem.Outcome.OPEN)
        .select_related("vacancy", "household", "nomination__household")
        .select_for_update(of=("self",))
        .order_by("pk")
    )


def settle(
    *,
    vacancy: Vacancy | None = None,
    household: Household | None = None,
    nomination: Nomination | None = None,
    meeting: Meeting | None = None,
) -> list[AgendaItem]:
    """Mark decided every open item of an open meeting about the given subjects (or all items of
    ``meeting``) whose decision the data shows. Returns the items it decided."""
    subjects = Q(pk__in=[])
    if vacancy is not None:
        subjects |= Q(kind=AgendaItem.Kind.VACANCY, vacancy=vacancy)
    if household is not None:
        subjects |= Q(kind=AgendaItem.Kind.HOUSEHOLD, household=household)
    if nomination is not None:
        subjects |= Q(kind=AgendaItem.Kind.NOMINATION, nomination=nomination)
    if meeting is not None:
        subjects |= Q(meeting=meeting)
    decided = []
    for item in _open_items(subjects):
        text = decision_for(item)
        if text is None:
            continue
        record(item, outcome=AgendaItem.Outcome.DECIDED, text=text)
        decided.append(item)
    return decided


def record(item: AgendaItem, *, outcome: str, text: str) -> AgendaItem:
    """Give ``item`` its outcome with ``text`` after any decision already written down."""
    earlier = item.decision.strip()
    item.outcome = outcome
    item.decision = (f"{earlier}\n{text}" if earlier else text)[:_DECISION_LIMIT]
    item.save(update_fields=["outcome", "decision"])
    return item


def reopen(
    *,
    meeting: Meeting,
    why: str,
    vacancy: Vacancy | None = None,
    household: Household | None = None,
) -> list[AgendaItem]:
    """Open the decided items about ``vacancy`` / ``household`` in ``meeting`` again: the
    decision did not hold (``why``). The earlier decision moves to the notes."""
    if not meeting.is_open:
        return []
    subjects = Q(pk__in=[])
    if vacancy is not None:
        subjects |= Q(kind=AgendaItem.Kind.VACANCY, vacancy=vacancy)
    if household is not None:
        subjects |= Q(kind=AgendaItem.Kind.HOUSEHOLD, household=household)
    items = list(
        AgendaItem.objects.filter(subjects, meeting=meeting, outcome=AgendaItem.Outcome.DECIDED)
        .select_for_update()
        .order_by("pk")
    )
    for item in items:
        note = _("Open again: %(why)s (earlier decision: %(decision)s)") % {
            "why": why,
            "decision": item.decision,
        }
        notes = item.notes.strip()
        item.notes = (f"{notes}\n{note}" if notes else note)[:_NOTES_LIMIT]
        item.decision = ""
        item.outcome = AgendaItem.Outcome.OPEN
        item.save(update_fields=["notes", "decision", "outcome"])
    return items
