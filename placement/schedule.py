"""The meeting schedule: the one rule for the dates of the monthly regional meeting.

The region's rule (e.g. "the third Tuesday") gives a *rule date* in every month. When that day is
no working day for the region -- a Dutch public holiday (the maintained table of the ``holidays``
package, NL) or one of the region's own closed days (``regions.ClosedDay``: Liberation Day, which
the law makes a holiday only in lustrum years, a summer recess) -- the meeting moves to the next
working day (Monday to Friday, no holiday, no closed day), and the meeting list says why.

Twelve meetings ahead are planned. A planned meeting follows the schedule as long as it has no
agenda: when the rule or the closed days change, it moves to its month's new date. One with agenda
items stays where it is and is shown as "off the schedule" until the coordinator moves or keeps
it (``meeting_follow``): no planned meeting stays on an old date unseen. Deferred items and freed
places go only to a meeting in today's schedule (``next_scheduled_meeting``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.db import transaction
from django.db.models import Count
from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from regions.models import ClosedDay, Region

from .models import Meeting

MEETINGS_AHEAD = 12
# A rule date is moved at most this far; beyond it the region has no working day left to meet.
SEARCH_DAYS = 366
OPEN_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS)


class ScheduleError(Exception):
    """A schedule action that is not possible now; the message is for the user."""


@lru_cache(maxsize=64)
def _public_holidays(year: int, language: str) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("NL", years=year, language=language))


def public_holidays(year: int) -> dict[datetime.date, str]:
    """The Dutch public holidays of a year, named in the interface language."""
    language = "nl" if (get_language() or "nl").startswith("nl") else "en_US"
    return _public_holidays(year, language)


def day_label(day: datetime.date) -> str:
    """ "di 5 mei" / "Tue 5 May"."""
    return dateformat.format(day, "D j F")


@dataclass(frozen=True)
class Closure:
    """A weekday on which the region does not meet, and why."""

    day: datetime.date
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        return f"{day_label(self.day)} ({', '.join(self.reasons)})"


@dataclass(frozen=True)
class ScheduledDate:
    """One month of the schedule: the rule date and the working day the meeting is on."""

    rule_date: datetime.date
    date: datetime.date
    skipped: tuple[Closure, ...] = ()

    @property
    def moved(self) -> bool:
        return self.date != self.rule_date

    @property
    def reason(self) -> str:
        if not self.moved:
            return ""
        return _("moved from %(days)s") % {"days": "; ".join(str(c) for c in self.skipped)}

    @property
    def month(self) -> tuple[int, int]:
        return (self.rule_date.year, self.rule_date.month)


class RegionCalendar:
    """Working days of one region: Monday to Friday, not a Dutch public holiday, not one of the
    region's closed days."""

    def __init__(self, region: Region, closed_days: Iterable[ClosedDay]):
        self.region = region
        self.closed = [(c.start_date, c.end_date, c.description) for c in closed_days]

    @classmethod
    def of(cls, region: Region) -> RegionCalendar:
        return cls(region, ClosedDay.objects.filter(region=region).order_by("start_date"))

    def closures(self, day: datetime.date) -> list[str]:
        """Why the region does not meet on this day (empty: it may)."""
        reasons = []
        holiday = public_holidays(day.year).get(day)
        if holiday:
            reasons.append(holiday)
        reasons += [
            _("%(description)s, own closed day") % {"description": description}
            for start, end, description in self.closed
            if start <= day <= end
        ]
        return reasons

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and not self.closures(day)

    def scheduled(self, year: int, month: int) -> ScheduledDate:
        """The month's meeting: the rule date, moved on to the next working day if need be."""
        rule_date = self.region.meeting_date_in(year, month)
        day, skipped = rule_date, []
        for _step in range(SEARCH_DAYS):
            if day.weekday() < 5:
                reasons = self.closures(day)
                if not reasons:
                    return ScheduledDate(rule_date, day, tuple(skipped))
                skipped.append(Closure(day, tuple(reasons)))
            day += datetime.timedelta(days=1)
        return ScheduledDate(rule_date, rule_date)

    def date_problem(self, day: datetime.date) -> str | None:
        """Why a meeting cannot be held on this day, as a message for the form, or None."""
        if day.weekday() >= 5:
            return _("%(day)s falls in the weekend: choose a working day.") % {
                "day": day_label(day)
            }
        reasons = self.closures(day)
        if reasons:
            return _("%(day)s is no working day for the region (%(why)s): choose another day.") % {
                "day": day_label(day),
                "why": ", ".join(reasons),
            }
        return None


@dataclass
class Slot:
    """A date in the schedule and the month(s) it serves (two months' dates can meet after a
    long closure: then one meeting serves both)."""

    date: datetime.date
    months: list[ScheduledDate] = field(default_factory=list)


def schedule_ahead(
    calendar: RegionCalendar, today: datetime.date, count: int = MEETINGS_AHEAD
) -> list[Slot]:
    """The next ``count`` meeting dates from today on, by the region's rule."""
    slots: dict[datetime.date, Slot] = {}
    year, month = today.year, today.month
    # A region closed for months on end could yield fewer dates: look two years ahead at most.
    for _step in range(count * 2):
        if len(slots) >= count:
            break
        scheduled = calendar.scheduled(year, month)
        if scheduled.date >= today:
            slots.setdefault(scheduled.date, Slot(scheduled.date)).months.append(scheduled)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted(slots.values(), key=lambda s: s.date)[:count]


# --- Is a meeting in today's schedule? -----------------------------------------------------


def off_schedule(meeting: Meeting, calendar: RegionCalendar, today: datetime.date) -> str:
    """Why a planned meeting is not in today's schedule ("" when it is). Only planned meetings
    from today on are judged: one that started or closed has been held."""
    if meeting.status != Meeting.Status.PLANNED or meeting.date < today:
        return ""
    if meeting.placing == Meeting.Placing.RULE:
        scheduled = calendar.scheduled(meeting.rule_date.year, meeting.rule_date.month)
        if meeting.date != scheduled.date:
            return _("off the schedule: by the rule this month's meeting is on %(day)s") % {
                "day": day_label(scheduled.date)
            }
        return ""
    if meeting.placing == Meeting.Placing.KEPT:
        return ""  # the coordinator decided on this date
    # Set by hand: the coordinator chose the date; only a closed day added since counts.
    reasons = calendar.closures(meeting.date)
    if reasons:
        return _("off the schedule: %(day)s is closed now (%(why)s)") % {
            "day": day_label(meeting.date),
            "why": ", ".join(reasons),
        }
    return ""


def date_note(meeting: Meeting, calendar: RegionCalendar) -> str:
    """Why the meeting is on its date, when that is not simply the rule date."""
    if meeting.placing == Meeting.Placing.HAND:
        note = _("date set by hand")
        return f"{note}: {meeting.date_reason}" if meeting.date_reason else note
    if meeting.placing == Meeting.Placing.KEPT:
        note = _("kept on this date by the coordinator")
        return f"{note}: {meeting.date_reason}" if meeting.date_reason else note
    scheduled = calendar.scheduled(meeting.rule_date.year, meeting.rule_date.month)
    if meeting.date == scheduled.date and scheduled.moved:
        return scheduled.reason
    return ""


def annotate(meetings: Iterable[Meeting], calendar: RegionCalendar, today: datetime.date) -> None:
    """Set ``date_note`` and ``off_schedule`` on each meeting, for the lists."""
    for meeting in meetings:
        meeting.date_note = date_note(meeting, calendar)
        meeting.off_schedule = off_schedule(meeting, calendar, today)


def next_scheduled_meeting(
    *, region: Region, after: datetime.date, today: datetime.date, plan: bool = True
) -> Meeting | None:
    """The first open meeting dated after ``after`` that is in today's schedule: where deferred
    items and freed places go. A meeting off the schedule (its date still waits for the
    coordinator) is passed over. With ``plan``, the schedule is planned first when no such
    meeting exists yet."""
    for attempt in range(2):
        calendar = RegionCalendar.of(region)
        for meeting in Meeting.objects.filter(
            region=region, status__in=OPEN_STATUSES, date__gt=after
        ).order_by("date"):
            if not off_schedule(meeting, calendar, today):
                return meeting
        if not plan or attempt:
            return None
        meetings_schedule(region=region, today=max(today, after))
    return None


# --- Planning and re-planning ------------------------------------------------------------


@dataclass
class Replan:
    """What (re-)planning did: meetings created and moved, empty ones removed, and the planned
    meetings with an agenda that wait for the coordinator's decision."""

    created: list[Meeting] = field(default_factory=list)
    moved: list[Meeting] = field(default_factory=list)
    removed: int = 0
    to_decide: list[Meeting] = field(default_factory=list)


def lock_region(region: Region) -> Region:
    """Planning, moving and keeping run one at a time per region."""
    return Region.objects.select_for_update().get(pk=region.pk)


@transaction.atomic
def schedule_replan(*, region: Region, today: datetime.date, rule_changed: bool = False) -> Replan:
    """Bring the planned meetings in line with today's schedule and plan twelve ahead.

    A planned meeting without agenda items moves to its month's date (or is removed when that
    date has passed or another meeting holds it and nothing was recorded on it); one with agenda
    items stays and is listed. When the rule changed, dates set or kept by hand are re-planned
    too: they were chosen against the old rule."""
    region = lock_region(region)
    calendar = RegionCalendar.of(region)
    result = Replan()
    planned = list(
        Meeting.objects.filter(region=region, status=Meeting.Status.PLANNED, date__gte=today)
        .annotate(
            item_count=Count("items", distinct=True),
            attendee_count=Count("attendees", distinct=True),
        )
        .order_by("date")
    )
    taken = set(Meeting.objects.filter(region=region).values_list("date", flat=True))
    for meeting in planned:
        if meeting.placing != Meeting.Placing.RULE:
            if meeting.rule_date is None:
                continue  # an extra meeting: off_schedule shows a closed day to the coordinator
            if not rule_changed and not calendar.closures(meeting.date):
                continue
            meeting.placing, meeting.date_reason = Meeting.Placing.RULE, ""
            meeting.save(update_fields=["placing", "date_reason"])
        scheduled = calendar.scheduled(meeting.rule_date.year, meeting.rule_date.month)
        if meeting.date == scheduled.date:
            if meeting.rule_date != scheduled.rule_date:
                meeting.rule_date = scheduled.rule_date
                meeting.save(update_fields=["rule_date"])
            continue
        if meeting.item_count:
            result.to_decide.append(meeting)
        elif scheduled.date >= today and scheduled.date not in taken:
            taken.discard(meeting.date)
            meeting.date, meeting.rule_date = scheduled.date, scheduled.rule_date
            meeting.save(update_fields=["date", "rule_date"])
            taken.add(meeting.date)
            result.moved.append(meeting)
        elif not (meeting.place or meeting.notes or meeting.attendee_count):
            taken.discard(meeting.date)
            meeting.delete()
            result.removed += 1
        else:
            result.to_decide.append(meeting)

    served = {
        (d.year, d.month)
        for d in Meeting.objects.filter(region=region, rule_date__isnull=False).values_list(
            "rule_date", flat=True
        )
    }
    for slot in schedule_ahead(calendar, today):
        if slot.date in taken or any(s.month in served for s in slot.months):
            continue
        # save() (not bulk_create) records the change history.
        meeting = Meeting.objects.create(
            region=region,
            date=slot.date,
            rule_date=slot.months[0].rule_date,
            placing=Meeting.Placing.RULE,
        )
        taken.add(slot.date)
        result.created.append(meeting)
    return result


def meetings_schedule(*, region: Region, today: datetime.date) -> list[Meeting]:
    """Make sure the next twelve meetings by the region's schedule exist; return the region's
    meetings from today on (those off the schedule and extra ones included)."""
    schedule_replan(region=region, today=today)
    return list(Meeting.objects.filter(region=region, date__gte=today).order_by("date"))


@transaction.atomic
def meeting_rule_change(*, region: Region, week: int, weekday: int, today: datetime.date) -> Replan:
    """Change the region's meeting rule and re-plan its planned meetings."""
    locked = lock_region(region)
    locked.meeting_week, locked.meeting_weekday = week, weekday
    locked.full_clean()
    locked.save(update_fields=["meeting_week", "meeting_weekday"])
    region.meeting_week, region.meeting_weekday = week, weekday
    return schedule_replan(region=locked, today=today, rule_changed=True)


@transaction.atomic
def meeting_follow(*, meeting: Meeting, keep: bool, today: datetime.date) -> Meeting:
    """The coordinator's decision on a planned meeting off the schedule: move it to its month's
    date in the schedule, or keep it on its date."""
    region = lock_region(meeting.region)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    calendar = RegionCalendar.of(region)
    if not off_schedule(meeting, calendar, today):
        raise ScheduleError(_("This meeting is in the schedule: there is nothing to decide."))
    if keep:
        meeting.placing = Meeting.Placing.KEPT
        meeting.save(update_fields=["placing"])
        return meeting
    target = move_target(meeting, calendar, today)
    if target is None:
        raise ScheduleError(
            _("This meeting cannot move to the schedule's date: keep it, or set a date by hand.")
        )
    meeting.date, meeting.rule_date = target.date, target.rule_date
    meeting.placing, meeting.date_reason = Meeting.Placing.RULE, ""
    meeting.save(update_fields=["date", "rule_date", "placing", "date_reason"])
    return meeting


def move_target(
    meeting: Meeting, calendar: RegionCalendar, today: datetime.date
) -> ScheduledDate | None:
    """The schedule's date for the meeting's month, if the meeting can move there: it lies
    ahead and no other meeting of the region is on it."""
    if meeting.rule_date is None:
        return None
    target = calendar.scheduled(meeting.rule_date.year, meeting.rule_date.month)
    if target.date < today or target.date == meeting.date:
        return None
    if (
        Meeting.objects.filter(region_id=meeting.region_id, date=target.date)
        .exclude(pk=meeting.pk)
        .exists()
    ):
        return None
    return target


def off_schedule_meetings(
    region: Region, calendar: RegionCalendar, today: datetime.date
) -> list[Meeting]:
    """The region's planned meetings off the schedule, each with ``off_schedule``, ``target``
    (where "move" takes it, or None) and ``item_count``."""
    meetings = list(
        Meeting.objects.filter(region=region, status=Meeting.Status.PLANNED, date__gte=today)
        .annotate(item_count=Count("items"))
        .order_by("date")
    )
    result = []
    for meeting in meetings:
        meeting.off_schedule = off_schedule(meeting, calendar, today)
        if meeting.off_schedule:
            meeting.target = move_target(meeting, calendar, today)
            result.append(meeting)
    return result


def next_meeting_date(region: Region, today: datetime.date) -> datetime.date:
    """The date of the next meeting in today's schedule, planned or not yet (two queries)."""
    return next_meeting(region, today)[0]


def next_meeting(region: Region, today: datetime.date) -> tuple[datetime.date, Meeting | None]:
    """The next meeting in today's schedule: its date, and the meeting itself once it is
    planned (None while it is only a date in the schedule). Two queries."""
    calendar = RegionCalendar.of(region)
    for meeting in Meeting.objects.filter(
        region=region, status__in=OPEN_STATUSES, date__gte=today
    ).order_by("date"):
        if not off_schedule(meeting, calendar, today):
            return meeting.date, meeting
    return schedule_ahead(calendar, today, count=1)[0].date, None
