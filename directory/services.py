"""Workflows of the who's who that touch more than one model."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction

from placement.models import Meeting

from .models import Attendance, Participant


@transaction.atomic
def attendance_set(*, meeting: Meeting, participants: Iterable[Participant]) -> list[Participant]:
    """Make ``participants`` the people attending ``meeting`` (and no one else).

    Keeps the meeting's organisation attendees consistent: the organisation of every picked
    person counts as attending (it is added; organisations ticked by hand stay). Every
    participant must belong to the meeting's region."""
    picked = list(participants)
    if any(p.organisation.region_id != meeting.region_id for p in picked):
        raise ValueError("a participant of another region")
    Attendance.objects.filter(meeting=meeting).exclude(participant__in=picked).delete()
    present = set(
        Attendance.objects.filter(meeting=meeting).values_list("participant_id", flat=True)
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, participant=p) for p in picked if p.pk not in present]
    )
    meeting.attendees.add(*{p.organisation_id for p in picked})
    return picked


@transaction.atomic
def participant_deactivate(*, participant: Participant, today: datetime.date) -> int:
    """The person leaves the table: no longer listed, and taken off the meetings still to
    come (past attendance stays on record). Returns how many attendances were removed."""
    Participant.objects.filter(pk=participant.pk).update(active=False)
    participant.active = False
    removed, _ = Attendance.objects.filter(
        participant=participant,
        meeting__date__gte=today,
        meeting__status=Meeting.Status.PLANNED,
    ).delete()
    return removed
