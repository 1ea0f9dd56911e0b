"""Demo people at the table for ``manage.py seed_demo``: per organisation of a region a small,
fixed cast (the desk a chair and an executive, each municipality a decision-maker and an
executive, every corporation and support organisation an executive), the demo users as the
entries of their own organisation (so they can edit their own), and the attendance of the
region's next three planned meetings. Idempotent: entries are keyed on organisation and name."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.text import slugify

from placement import schedule
from placement.models import Meeting
from regions.models import Organisation, Region

from .models import Attendance, Participant

Kind = Organisation.Kind
Role = Participant.Role

# The roles each kind of organisation sends; the names come from NAMES in turn.
CAST = {
    Kind.DESK: [Role.CHAIR, Role.EXECUTIVE],
    Kind.MUNICIPALITY: [Role.DECISION_MAKER, Role.EXECUTIVE],
    Kind.CORPORATION: [Role.EXECUTIVE],
    Kind.SUPPORT: [Role.EXECUTIVE],
}
NAMES = (
    "Anouk Visser", "Bram de Jong", "Yasmina El Amrani", "Dirk Mulder", "Esther Bos",
    "Freek van Leeuwen", "Hanneke Smits", "Iris de Graaf", "Joost Kuipers", "Karin Dekker",
    "Lars Hendriks", "Mirjam van den Berg", "Nadia Benali", "Olaf Brouwer", "Priya Ramdin",
    "Ruud Vermeulen", "Sanne Peters", "Tom van der Linden", "Ursula Koster", "Vincent Maas",
)  # fmt: skip
NEXT_MEETINGS = 3


def _phone(index: int) -> str:
    return f"06-{12000000 + index * 731:08d}"


def _email(name: str, organisation: Organisation) -> str:
    return f"{slugify(name).replace('-', '.')}@{slugify(organisation.name)}.example"


@transaction.atomic
def seed_participants(*, region: Region, users, today: datetime.date) -> int:
    """The region's people at the table and their attendance; returns how many are listed."""
    organisations = list(Organisation.objects.filter(region=region).order_by("kind", "name"))
    index = 0
    for organisation in organisations:
        for role in CAST.get(organisation.kind, []):
            name = NAMES[(index + len(region.code)) % len(NAMES)]
            index += 1
            Participant.objects.get_or_create(
                organisation=organisation,
                name=name,
                defaults={
                    "table_role": role,
                    "email": _email(name, organisation),
                    "phone": _phone(index),
                },
            )
    for user in users:
        membership = user.membership
        if membership.organisation.region_id != region.pk:
            continue
        name = user.get_full_name() or user.username
        Participant.objects.filter(user=user).exclude(
            organisation=membership.organisation, name=name
        ).update(user=None)
        Participant.objects.update_or_create(
            organisation=membership.organisation,
            name=name,
            defaults={"user": user, "email": user.email, "active": True},
        )
    schedule.meetings_schedule(region=region, today=today)
    planned = Meeting.objects.filter(
        region=region, date__gte=today, status=Meeting.Status.PLANNED
    ).order_by("date")[:NEXT_MEETINGS]
    people = list(
        Participant.objects.filter(organisation__region=region, active=True).select_related(
            "organisation"
        )
    )
    for meeting in planned:
        for person in people:
            Attendance.objects.get_or_create(meeting=meeting, participant=person)
        meeting.attendees.add(*{p.organisation_id for p in people})
    return len(people)
