"""Writes a region's year of regional meetings: the twelve meetings before today on the dates of
the region's schedule, held and closed, each with the organisations and people who came, the
desk's notes and its agenda with what was decided (replayed from the data by
``demo.planners.agendas``); the items the last one deferred go to the next meeting, whose agenda
is then drafted from today's data by the app's own ``agenda_build``.

Idempotent: a meeting closed before this run keeps what it has; an open meeting in the past
(planned by an earlier run) is taken over and closed, its items merged with the replayed ones.
The placements refer to the held meetings (``Nomination.meeting``), so the meetings are written
before them (``held``) and their agendas after everything else (``write``)."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from directory.models import Attendance, Participant
from placement import schedule
from placement.meetings import agenda_build
from placement.models import AgendaItem, Household, Meeting, Nomination, Vacancy
from regions.models import Organisation, Region

from .data import SEED
from .planners.agendas import (
    AgendaReplay,
    HouseholdRow,
    ItemPlan,
    MeetingRow,
    NominationRow,
    VacancyRow,
)
from .planners.meetings import attendance, held_dates, meeting_notes
from .planners.plans import aware

ENDED = (Nomination.Status.REFUSED, Nomination.Status.CANCELLED)


def _subject(item: AgendaItem) -> tuple[str, int]:
    return item.kind, getattr(item, f"{item.kind}_id")


class MeetingWriter:
    """One region's meetings. ``history``: write the agenda items with their change history
    (the demo scale, as in real use); the bulk scales insert them plainly."""

    def __init__(self, region: Region, today: datetime.date, *, history: bool):
        self.region = region
        self.today = today
        self.history = history
        self.to_write: set[int] = set()

    def held(self) -> list[Meeting]:
        """The held meetings of the past year, oldest first; ``to_write`` are those whose
        agenda this run writes (new, or taken over)."""
        calendar = schedule.RegionCalendar.of(self.region)
        dates = held_dates(calendar.scheduled, self.today)
        existing = {
            m.date: m
            for m in Meeting.objects.filter(region=self.region, date__in=[d.date for d in dates])
        }
        central = self.region.central_municipality
        place = f"Gemeentehuis {central.name}" if central else ""
        meetings = []
        for held in dates:
            meeting = existing.get(held.date)
            closed_at = aware(held.date, 12, 30)
            if meeting is None:
                meeting = Meeting.objects.create(
                    region=self.region,
                    date=held.date,
                    rule_date=held.rule_date,
                    placing=Meeting.Placing.RULE,
                    status=Meeting.Status.CLOSED,
                    closed_at=closed_at,
                    place=place,
                )
                self.to_write.add(meeting.pk)
            elif meeting.status != Meeting.Status.CLOSED:
                meeting.status, meeting.closed_at = Meeting.Status.CLOSED, closed_at
                meeting.place = meeting.place or place
                meeting.save(update_fields=["status", "closed_at", "place"])
                self.to_write.add(meeting.pk)
            meetings.append(meeting)
        return meetings

    def write(self, meetings: list[Meeting]) -> int:
        """The agendas, attendees and notes of the held meetings written in this run, the items
        deferred to the next meeting, and the next meeting's agenda drafted. Returns how many
        agenda items were added."""
        after = meetings[-1].date if meetings else self.today - datetime.timedelta(days=1)
        following = schedule.next_scheduled_meeting(
            region=self.region, after=after, today=self.today
        )
        code = self.region.code
        with translation.override(settings.LANGUAGE_CODE):
            replay = AgendaReplay(
                **self.rows(),
                meetings=[MeetingRow(m.pk, m.date) for m in meetings],
                following=MeetingRow(following.pk, following.date) if following else None,
                rng=random.Random(f"{SEED}-{code}-agendas"),
            )
            plans, carried = replay.agendas()
        organisations = list(
            Organisation.objects.filter(region=self.region)
            .order_by("kind", "name")
            .values_list("pk", "kind", "name")
        )
        people = list(
            Participant.objects.filter(organisation__region=self.region, active=True)
            .order_by("pk")
            .values_list("pk", "organisation_id")
        )
        rng = random.Random(f"{SEED}-{code}-meetings")
        added = 0
        for meeting, plan in zip(meetings, plans, strict=True):
            came = attendance(organisations, rng)  # drawn for every meeting, written or not
            if meeting.pk not in self.to_write:
                continue
            added += self.write_items(meeting, plan.items)
            meeting.attendees.add(*came.present)
            present = set(came.present)
            Attendance.objects.bulk_create(
                [Attendance(meeting=meeting, participant_id=p) for p, o in people if o in present],
                ignore_conflicts=True,
            )
            if not meeting.notes:
                meeting.notes = meeting_notes(
                    index=meeting.date.year * 12 + meeting.date.month,
                    made=plan.made,
                    signed=plan.signed,
                    refused=plan.refused,
                    returned=plan.returned,
                    absent=came.absent,
                )
                meeting.save(update_fields=["notes"])
        self.date_history(meetings)
        if following is not None:
            if meetings and meetings[-1].pk in self.to_write:
                added += self.write_items(following, carried)
            added += agenda_build(meeting=following, today=self.today)
        return added

    def date_history(self, meetings: list[Meeting]) -> None:
        """The change history of the meetings held in the past, written in this run, is dated
        when they were closed: their page shows what happened then, not the day of seeding."""
        for meeting in meetings:
            if meeting.pk in self.to_write and meeting.closed_at is not None:
                Meeting.history.filter(id=meeting.pk).update(history_date=meeting.closed_at)
                AgendaItem.history.filter(meeting_id=meeting.pk).update(
                    history_date=meeting.closed_at
                )

    def write_items(self, meeting: Meeting, plans: list[ItemPlan]) -> int:
        """Add the planned items ``meeting`` lacks. On a closed meeting an open item that was
        there already gets the planned outcome, and one the plan does not have is dropped (it
        was still open at the close); an open meeting's items stay as they are."""
        existing = {_subject(item): item for item in meeting.items.all()}
        closed = meeting.status == Meeting.Status.CLOSED
        new, changed = [], []
        for plan in plans:
            item = existing.pop((plan.kind, plan.subject), None)
            if item is None:
                new.append(
                    AgendaItem(
                        meeting=meeting,
                        kind=plan.kind,
                        position=plan.position,
                        notes=plan.notes,
                        decision=plan.decision,
                        outcome=plan.outcome,
                        **{f"{plan.kind}_id": plan.subject},
                    )
                )
            elif closed and item.outcome == AgendaItem.Outcome.OPEN:
                item.outcome = plan.outcome
                item.decision = "\n".join(t for t in (item.decision, plan.decision) if t.strip())
                item.notes = item.notes or plan.notes
                changed.append(item)
        if closed:
            with translation.override(settings.LANGUAGE_CODE):
                dropped = _("Dropped when the meeting was closed.")
            for item in existing.values():
                if item.outcome == AgendaItem.Outcome.OPEN:
                    item.outcome, item.decision = AgendaItem.Outcome.DROPPED, dropped
                    changed.append(item)
        for item in changed:
            item.save(update_fields=["outcome", "decision", "notes"])
        if self.history:
            bulk_create_with_history(new, AgendaItem)
        else:
            AgendaItem.objects.bulk_create(new, batch_size=2000)
        return len(new)

    def rows(self) -> dict:
        """The region's households, vacancies and nominations as the replay reads them."""
        local = timezone.localdate
        region = self.region
        households = [
            HouseholdRow(
                pk=pk,
                reference=reference,
                link_date=link_date,
                status=status,
                changed=local(changed),
                status_label=str(Household.Status(status).label),
                size=size,
                expected_size=expected_size,
            )
            for pk, reference, link_date, status, changed, size, expected_size in (
                Household.objects.filter(linked_municipality__region=region).values_list(
                    "pk",
                    "reference",
                    "link_date",
                    "status",
                    "status_changed_at",
                    "size",
                    "expected_size",
                )
            )
        ]
        vacancies = [
            VacancyRow(
                pk=row["pk"],
                label=f"{row['street']}, {row['place']}",
                created=local(row["created_at"]),
                status=row["status"],
                changed=local(row["status_changed_at"]),
                places=row["places"],
                return_reason=row["return_reason"],
                return_deadline=row["return_deadline"],
            )
            for row in Vacancy.objects.filter(municipality__region=region).values(
                "pk",
                "street",
                "place",
                "created_at",
                "status",
                "status_changed_at",
                "places",
                "return_reason",
                "return_deadline",
            )
        ]
        nominations = []
        for row in Nomination.objects.filter(vacancy__municipality__region=region).values(
            "pk",
            "vacancy_id",
            "household_id",
            "meeting_id",
            "place",
            "created_at",
            "updated_at",
            "status",
            "lease_signed_on",
            "refusal_reason",
            "cancel_reason",
            "dissolved_on",
            "moved_out_on",
        ):
            status = row["status"]
            ended = {
                Nomination.Status.DISSOLVED: row["dissolved_on"],
                Nomination.Status.MOVED_OUT: row["moved_out_on"],
            }.get(status, local(row["updated_at"]) if status in ENDED else None)
            reason = row["refusal_reason"]
            nominations.append(
                NominationRow(
                    pk=row["pk"],
                    vacancy_id=row["vacancy_id"],
                    household_id=row["household_id"],
                    meeting_id=row["meeting_id"],
                    place=row["place"],
                    created_at=row["created_at"],
                    created=local(row["created_at"]),
                    status=status,
                    ended=ended,
                    lease_signed_on=row["lease_signed_on"],
                    refusal_label=str(Nomination.RefusalReason(reason).label) if reason else "",
                    cancel_reason=row["cancel_reason"],
                )
            )
        return {"households": households, "vacancies": vacancies, "nominations": nominations}
