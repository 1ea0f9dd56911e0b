"""The demo tells the story its figures imply (issue 15): a year of held meetings with agendas
and decision lists in every region, the next meeting's agenda drafted from the data, the
placements the quota counts traced to the meetings that decided them, and the finance office's
billed periods. At the demo scale (through the services) and the small one (bulk inserts)."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from billing.models import Invoice, InvoiceRun
from demo.planners.meetings import HELD_MEETINGS
from placement import schedule
from placement.models import AgendaItem, Meeting, Nomination, Vacancy
from placement.views.meetings import agenda_pdf_document, decisions_pdf_document
from quota import counting
from quota.models import QuotaPeriod, QuotaRule
from regions.models import Organisation, Region
from tests.login import log_in

from .test_seed_demo import counts

Kind, Outcome = AgendaItem.Kind, AgendaItem.Outcome


def about(nomination: Nomination) -> Q:
    """Agenda items about a placement: its dwelling, its household or the nomination itself."""
    return (
        Q(kind=Kind.VACANCY, vacancy_id=nomination.vacancy_id)
        | Q(kind=Kind.HOUSEHOLD, household_id=nomination.household_id)
        | Q(kind=Kind.NOMINATION, nomination=nomination)
    )


def counted_placements(region: Region, today) -> list[Nomination]:
    """The nominations behind the region's counted placements, by the quota's own rule."""
    events, _pipeline = counting.region_events(region.pk, QuotaRule.for_region(region), today)
    ids = {e.nomination_id for e in events if e.nomination_id is not None}
    return list(
        Nomination.objects.filter(pk__in=ids).select_related("meeting", "household", "vacancy")
    )


def trace(nomination: Nomination, held: list[Meeting], following: Meeting) -> str:
    """How a counted placement came about, from the rows alone:

    - ``meeting``: nominated in a held (closed) meeting, whose agenda has a decided item about
      it (its dwelling, its household, or the nomination);
    - ``between``: nominated between two meetings (no meeting), and a later meeting's agenda
      (a held one, or the next one) has a decided item about it;
    - ``before``: nominated before the year of meetings;
    - ``""``: none of these (the story has a hole)."""
    if nomination.meeting_id is not None:
        decided = AgendaItem.objects.filter(
            about(nomination), meeting=nomination.meeting, outcome=Outcome.DECIDED
        )
        closed = nomination.meeting.status == Meeting.Status.CLOSED
        return "meeting" if closed and decided.exists() else ""
    if timezone.localdate(nomination.created_at) < held[0].date:
        return "before"
    later = AgendaItem.objects.filter(
        about(nomination),
        Q(meeting__in=held) | Q(meeting=following),
        meeting__date__gt=timezone.localdate(nomination.created_at),
        outcome=Outcome.DECIDED,
    )
    return "between" if later.exists() else ""


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def check_story(region: Region, today) -> dict:
    """Every rule of the story for one region; returns what it counted, for the caller."""
    calendar = schedule.RegionCalendar.of(region)
    held = list(Meeting.objects.filter(region=region, date__lt=today).order_by("date"))
    assert len(held) == HELD_MEETINGS
    for meeting in held:
        # Held on the schedule's date, closed, with the organisations at the table and notes.
        scheduled = calendar.scheduled(meeting.rule_date.year, meeting.rule_date.month)
        assert meeting.date == scheduled.date and meeting.placing == Meeting.Placing.RULE
        assert meeting.status == Meeting.Status.CLOSED and meeting.closed_at is not None
        kinds = set(meeting.attendees.values_list("kind", flat=True))
        assert Organisation.Kind.DESK in kinds and Organisation.Kind.MUNICIPALITY in kinds
        assert meeting.attendances.exists() and meeting.notes
        # Its decision list is not empty: every item has an outcome and says what it was.
        assert meeting.items.exists()
        assert not meeting.items.filter(Q(outcome=Outcome.OPEN) | Q(decision="")).exists()
    # Most meetings decided something; in a small region a month can pass with every item
    # deferred (no dwelling fitted anyone on the list yet).
    deciding = [m for m in held if m.items.filter(outcome=Outcome.DECIDED).exists()]
    assert len(deciding) >= HELD_MEETINGS // 2
    following = schedule.next_scheduled_meeting(
        region=region, after=today - datetime.timedelta(days=1), today=today, plan=False
    )
    assert following is not None and following.date >= today
    assert following.status == Meeting.Status.PLANNED
    # The next agenda is drafted from today's data: all three sections have open items (a
    # small generated region may have nominated on every dwelling it was offered).
    open_kinds = set(following.items.filter(outcome=Outcome.OPEN).values_list("kind", flat=True))
    if region.code in ("DS", "WO"):
        assert open_kinds == set(Kind.values)
    else:
        assert {Kind.HOUSEHOLD, Kind.NOMINATION} <= open_kinds
    # An item deferred at the last held meeting is on the next one.
    for item in held[-1].items.filter(outcome=Outcome.DEFERRED):
        subject = {f"{item.kind}_id": getattr(item, f"{item.kind}_id")}
        assert following.items.filter(kind=item.kind, **subject).exists()

    placements = counted_placements(region, today)
    traces = Counter(trace(n, held, following) for n in placements)
    assert traces[""] == 0, traces
    assert traces["meeting"] > traces["between"]

    items = AgendaItem.objects.filter(meeting__in=held)
    # Refusals carry a coded reason.
    refused = Nomination.objects.filter(meeting__in=held, status=Nomination.Status.REFUSED)
    assert not refused.filter(refusal_reason="").exists()
    # Every dwelling returned to its corporation was returned at a held meeting.
    returned = Vacancy.objects.filter(
        municipality__region=region, status=Vacancy.Status.RETURNED
    ).exclude(return_reason="")
    assert returned.exists()
    for vacancy in returned:
        assert items.filter(kind=Kind.VACANCY, vacancy=vacancy, outcome=Outcome.DECIDED).exists()
    outcomes = Counter(items.values_list("outcome", flat=True))
    assert outcomes[Outcome.DEFERRED] > 0
    # Their change history is dated when they were held, not on the day of seeding.
    for meeting in held:
        dates = set(AgendaItem.history.filter(meeting_id=meeting.pk).values_list(
            "history_date", flat=True)) | set(Meeting.history.filter(id=meeting.pk).values_list(
            "history_date", flat=True))  # fmt: skip
        assert dates <= {meeting.closed_at}, (meeting.date, dates)
    return {
        "traces": traces,
        "refused": refused.count(),
        "dropped": outcomes[Outcome.DROPPED],
        "refusals_on_agenda": items.filter(
            kind=Kind.NOMINATION, nomination__status=Nomination.Status.REFUSED
        ).count(),
    }


def check_billing(region: Region, today) -> None:
    ended = [p for p in QuotaPeriod.objects.all() if p.end < today]
    runs = InvoiceRun.objects.filter(region=region)
    assert runs.count() == len(ended)
    invoices = Invoice.objects.filter(region=region)
    assert (
        not invoices.filter(kind=Invoice.Kind.INVOICE, status=Invoice.Status.DRAFT)
        .exclude(lines__amount=0)
        .exists()
    )
    assert invoices.filter(status=Invoice.Status.PAID).exists()
    notes = invoices.filter(kind=Invoice.Kind.CREDIT_NOTE)
    assert notes.count() == 1 and notes.get().status == Invoice.Status.ISSUED


def test_the_demo_tells_a_year_of_the_desks_life(db, client):
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    totals = Counter()
    for region in Region.objects.order_by("code"):
        story = check_story(region, today)
        totals.update(story.pop("traces"))
        totals.update(story)
        check_billing(region, today)
    # Nominated between meetings, and before the year of meetings (no meeting).
    assert totals["between"] > 0 and totals["before"] > 0
    # Refusals nominated in a held meeting, some decided as the next meeting's open nomination;
    # items taken off an agenda (dropped).
    assert totals["refused"] > 0 and totals["refusals_on_agenda"] > 0
    assert totals["dropped"] > 0

    # The coordinator prints a held meeting's agenda and decision list; the decision list names
    # the households nominated there.
    coordinator = get_user_model().objects.get(username="coordinator")
    log_in(client, coordinator)
    drecht = Region.objects.get(code="DS")
    held = Meeting.objects.filter(region=drecht, status=Meeting.Status.CLOSED)
    meeting = max(held, key=lambda m: (m.nominations.count(), m.date))
    for name in ("meeting_agenda_pdf", "meeting_decisions_pdf"):
        response = client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf"
    text = pdf_text(decisions_pdf_document(meeting)[0])
    made = list(meeting.nominations.values_list("household__reference", flat=True))
    assert made and all(reference in text for reference in made)
    # The next meeting's agenda prints real items in all three sections.
    following = Meeting.objects.filter(region=drecht, status=Meeting.Status.PLANNED).earliest(
        "date"
    )
    text = pdf_text(agenda_pdf_document(following, "http://testserver/")[0])
    vacancy = following.items.filter(kind=Kind.VACANCY, outcome=Outcome.OPEN).first().vacancy
    household = following.items.filter(kind=Kind.HOUSEHOLD, outcome=Outcome.OPEN).first()
    assert vacancy.street in text and household.household.reference in text

    # The quota drill-down of a municipality lists households whose nominations are on the
    # decision lists of held meetings.
    in_meetings = Nomination.objects.filter(
        meeting__in=held, status__in=counting.COUNTED_STATUSES
    ).select_related("vacancy__municipality", "meeting")
    sample = max(in_meetings, key=lambda n: (n.lease_start <= today, n.lease_start, n.pk))
    period = QuotaPeriod.objects.get(
        year=sample.lease_start.year, half=1 if sample.lease_start.month <= 6 else 2
    )
    response = client.get(
        reverse("quota_drilldown", args=[sample.vacancy.municipality_id, period.slug])
    )
    assert response.status_code == 200
    page = response.content.decode()
    listed = [n for n in in_meetings if n.household.reference in page]
    assert sample in listed
    for nomination in listed:
        text = pdf_text(decisions_pdf_document(nomination.meeting)[0])
        assert nomination.household.reference in text

    # A second run adds nothing.
    first = counts() | {"Meeting": Meeting.objects.count(), "Item": AgendaItem.objects.count()}
    call_command("seed_demo", stdout=io.StringIO())
    again = counts() | {"Meeting": Meeting.objects.count(), "Item": AgendaItem.objects.count()}
    assert again == first


@pytest.mark.parametrize("scale", ["small"])
def test_the_bulk_scales_tell_the_same_story(db, scale):
    call_command("seed_demo", "--scale", scale, stdout=io.StringIO())
    today = timezone.localdate()
    regions = Region.objects.order_by("code")
    assert regions.count() == 3
    for region in regions:
        check_story(region, today)
        check_billing(region, today)
