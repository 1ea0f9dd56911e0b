"""Giving notices: once per recipient, kind, subject and threshold, then e-mail them.

``notify`` is the only place a ``Notice`` is created. It asks each recipient's preference,
creates with get-or-create against the database's unique constraint (a second run, or two
workers at once, finds the row and creates nothing), and queues the e-mails of the notices it
created after the transaction commits.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from placement.models import Household, Meeting, Nomination, Vacancy

from . import rules
from .models import Kind, Notice, NoticePreference
from .tasks import send_notice_emails

SUBJECT_FIELDS = ("household", "vacancy", "nomination", "meeting")


def subject_key(kind: str, subject: dict) -> str:
    """What a notice of ``kind`` is about: its main subject, as "nomination:12"."""
    for name in ("nomination", "meeting", "vacancy", "household"):
        if subject.get(name) is not None:
            return f"{name}:{subject[name].pk}"
    raise ValueError(f"a {kind} notice needs a subject")


def preferences(users: list, kind: str) -> dict[int, tuple[bool, bool]]:
    """{user id: (in the app, by e-mail)} for ``kind``; both on unless switched off."""
    chosen = {
        p.user_id: (p.in_app, p.email)
        for p in NoticePreference.objects.filter(user__in=[u.pk for u in users], kind=kind)
    }
    return {u.pk: chosen.get(u.pk, (True, True)) for u in users}


def notify(
    *,
    recipients: QuerySet | list,
    kind: str,
    subject: dict,
    threshold: int = 0,
    data: dict | None = None,
) -> list[Notice]:
    """Give the notice to each recipient who wants it and has not had it. Returns the notices
    created now. Guarantees: at most one notice per (recipient, kind, subject, threshold),
    also when called twice at the same moment; an e-mail only for a user who wants it and has
    an address, queued once the notice is committed."""
    users = [u for u in recipients if kind in rules.kinds_for(_role(u))]
    chosen = preferences(users, kind)
    key = subject_key(kind, subject)
    created = []
    for user in users:
        in_app, email = chosen[user.pk]
        email = email and bool(user.email)
        if not (in_app or email):
            continue
        notice, made = Notice.objects.get_or_create(
            recipient=user,
            kind=kind,
            subject_key=key,
            threshold=threshold,
            defaults={
                **{name: subject.get(name) for name in SUBJECT_FIELDS},
                "data": data or {},
                "in_app": in_app,
                "email_wanted": email,
            },
        )
        if made:
            created.append(notice)
    to_mail = [n.pk for n in created if n.email_wanted]
    if to_mail:
        transaction.on_commit(lambda: send_notice_emails.enqueue(to_mail))
    return created


def _role(user) -> str | None:
    membership = getattr(user, "membership", None)
    return membership.role if membership is not None else None


# --- Events -------------------------------------------------------------------------------


def nomination_created(nomination_id: int) -> list[Notice]:
    nomination = (
        Nomination.objects.select_related("vacancy", "household").filter(pk=nomination_id).first()
    )
    if nomination is None:
        return []
    size = (
        Household.objects.with_sizes()
        .values_list("size", flat=True)
        .get(pk=nomination.household_id)
    )
    return notify(
        recipients=rules.corporation_users(nomination.vacancy.corporation_id).select_related(
            "membership"
        ),
        kind=Kind.NOMINATION_RECEIVED,
        subject={
            "nomination": nomination,
            "vacancy": nomination.vacancy,
            "household": nomination.household,
        },
        data={"size": size},
    )


def vacancy_submitted(vacancy_id: int) -> list[Notice]:
    vacancy = (
        Vacancy.objects.select_related("municipality", "corporation").filter(pk=vacancy_id).first()
    )
    if vacancy is None:
        return []
    return notify(
        recipients=rules.coordinators(vacancy.municipality.region_id).select_related("membership"),
        kind=Kind.VACANCY_SUBMITTED,
        subject={"vacancy": vacancy},
        data={"corporation": vacancy.corporation.name},
    )


def lease_signed(nomination_id: int) -> list[Notice]:
    """A lease in another municipality than the linked one: the linked municipality's
    officers re-link the household (the quota's re-link list) and report it to COA."""
    nomination = (
        Nomination.objects.select_related("vacancy__municipality", "household__linked_municipality")
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is None:
        return []
    linked = nomination.household.linked_municipality
    where = nomination.vacancy.municipality
    if linked.pk == where.pk:
        return []
    return notify(
        recipients=rules.officers_of(linked.pk).select_related("membership"),
        kind=Kind.HOUSED_ELSEWHERE,
        subject={"nomination": nomination, "household": nomination.household},
        data={
            "linked": linked.name,
            "municipality": where.name,
            "lease_start": nomination.lease_start.isoformat() if nomination.lease_start else None,
        },
    )


def meeting_closed(meeting_id: int) -> list[Notice]:
    meeting = Meeting.objects.filter(pk=meeting_id, status=Meeting.Status.CLOSED).first()
    if meeting is None:
        return []
    return notify(
        recipients=rules.table(meeting.region_id).select_related("membership"),
        kind=Kind.DECISIONS_READY,
        subject={"meeting": meeting},
        data={"date": meeting.date.isoformat()},
    )


def agenda_recipients(meeting: Meeting) -> list:
    """Who at the table has not had this meeting's agenda yet."""
    told = Notice.objects.filter(kind=Kind.AGENDA_READY, meeting=meeting).values("recipient_id")
    return list(
        rules.table(meeting.region_id)
        .exclude(pk__in=told)
        .select_related("membership__organisation")
    )


def agenda_send(*, meeting: Meeting) -> list[Notice]:
    """Send the agenda of ``meeting`` to everyone at the table who has not had it (the button
    on the meeting page, and ``send_notices`` ``NOTICE_AGENDA_DAYS`` days before)."""
    return notify(
        recipients=agenda_recipients(meeting),
        kind=Kind.AGENDA_READY,
        subject={"meeting": meeting},
        data={"date": meeting.date.isoformat()},
    )


# --- Daily ---------------------------------------------------------------------------------


def run_daily(*, today: datetime.date | None = None) -> Counter:
    """The daily checks (``rules.due_today``) and the automatic agenda: every notice due on
    ``today`` is created once. Returns how many were created per kind."""
    today = today or timezone.localdate()
    counts: Counter = Counter(dict.fromkeys(Kind.values, 0))
    for due in rules.due_today(today):
        created = notify(
            recipients=due.recipients.select_related("membership"),
            kind=due.kind,
            subject=due.subject,
            threshold=due.threshold,
            data=due.data,
        )
        counts[due.kind] += len(created)
    for meeting in rules.meetings_for_agenda(today):
        counts[Kind.AGENDA_READY] += len(agenda_send(meeting=meeting))
    return counts


def mark_read(*, notice: Notice) -> None:
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(*, user) -> int:
    return Notice.objects.visible_to(user).unread().update(read_at=timezone.now())
