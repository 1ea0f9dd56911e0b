"""Draws a region's year of regional meetings: the twelve meetings before today on the dates of
the region's schedule, the refusals that came before some leases, the dwellings returned to their
corporation at a meeting, who came to each meeting and what the desk noted.

Which lease was nominated in which meeting is drawn with the lease (``PlacementPlanner``); the
agenda of each held meeting follows from the data once it is written (``demo.planners.agendas``).
Every draw comes from a generator seeded per region and topic; nothing here reads the database.
"""

from __future__ import annotations

import datetime
import random
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from placement.schedule import ScheduledDate

from ..data import (
    ATTENDANCE_SHARE,
    JUSTIFIED_REFUSALS,
    MEETING_TOPICS,
    REFUSAL_WEIGHTS,
    SEED,
    HStatus,
    Kind,
    VStatus,
)
from .plans import HouseholdPlan, PlacementPlan, RefusalPlan, VacancyPlan, aware

HELD_MEETINGS = 12
# A household is nominated at least this long after its link date.
LINKED_BEFORE = datetime.timedelta(days=14)


@dataclass(frozen=True)
class HeldDate:
    """A meeting before today, where the region's schedule put it."""

    date: datetime.date
    rule_date: datetime.date


def held_dates(
    scheduled: Callable[[int, int], ScheduledDate],
    today: datetime.date,
    count: int = HELD_MEETINGS,
) -> list[HeldDate]:
    """The last ``count`` meeting dates before today by the schedule (``scheduled(year, month)``
    is ``RegionCalendar.scheduled``: the rule date moved past holidays and closed days), oldest
    first. Two months that meet on one day (after a long closure) are one meeting, for the
    earlier month, as ``placement.schedule`` plans them."""
    found: dict[datetime.date, HeldDate] = {}
    year, month = today.year, today.month
    for _step in range(count * 3):
        slot = scheduled(year, month)
        if slot.date < today:
            found[slot.date] = HeldDate(slot.date, slot.rule_date)  # an earlier month wins
            if len(found) > count:
                break
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return sorted(found.values(), key=lambda held: held.date)[-count:]


def returned_at_meetings(
    plans: list[VacancyPlan], days: Sequence[datetime.date], rng: random.Random
) -> None:
    """Dwellings returned to their corporation were returned at a meeting (no household on the
    list fits them): the latest held meeting first, then the one before, and so on. Their dates
    are set to fit: offered ten to twenty days before, free a few weeks after."""
    if not days:
        return
    returned = [plan for plan in plans if plan.status == VStatus.RETURNED]
    for index, plan in enumerate(returned):
        day = days[-1 - index % len(days)]
        before, free_after, weeks = rng.randint(10, 20), rng.randint(0, 21), rng.randint(2, 5)
        plan.created_at = aware(day - datetime.timedelta(days=before), rng.randint(8, 17))
        plan.status_changed_at = aware(day, 11, rng.randint(0, 59))
        plan.vacancy.available_from = day + datetime.timedelta(days=free_after)
        plan.vacancy.return_deadline = plan.vacancy.available_from + datetime.timedelta(weeks=weeks)


def _fits(household: HouseholdPlan, vacancy) -> bool:
    """Roughly the hard rules: two persons a bedroom (a studio counts as one), wheelchair."""
    size = len(household.members)
    if household.household.needs_wheelchair_access and not vacancy.wheelchair_accessible:
        return False
    return size <= 2 * max(1, vacancy.bedrooms)


class RefusalPlanner:
    """For a share of the leases (``RegionSpec.refused_share``), another household of the region
    was nominated for the dwelling first and refused it, with a coded reason.

    A lease nominated in a held meeting that is not the first: the other household was
    nominated in the meeting before and refused in the week before this one (the refusal is on
    this meeting's agenda when it came after the agenda was drafted); the dwelling was offered
    before that meeting. A lease nominated before the year of meetings: the other household was
    nominated five to twelve days before, outside a meeting. Leases nominated between meetings
    or in the first held meeting have no refusal before them.

    The household that refused was waiting then: linked two weeks before, holding no other
    nomination meanwhile, and fitting the dwelling. It is one housed later through its own
    lease (nominated after the refusal) or one still searching."""

    def __init__(self, code: str, share: float, days: Sequence[datetime.date]):
        self.rng = random.Random(f"{SEED}-{code}-refusals")
        self.share = share
        self.days = list(days)

    def refusals(
        self, placements: list[PlacementPlan], households: list[HouseholdPlan]
    ) -> list[RefusalPlan]:
        rng, days = self.rng, datetime.timedelta
        by_key = {plan.key: plan for plan in households}
        link = {plan.key: plan.household.link_date for plan in households}
        for plan in placements:
            link[plan.key] = min(link.get(plan.key, plan.link_date), plan.link_date)
        placed = sorted(placements, key=lambda p: (p.nominated_at, p.key))
        placed_days = [plan.nominated_at.date() for plan in placed]
        searching = [h for h in households if h.status == HStatus.SEARCHING]
        busy: dict[str, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
        for plan in placements:  # a placed household holds its lease from its nomination on
            busy[plan.key].append((plan.nominated_at.date(), datetime.date.max))
        refused = []
        for plan in placements:
            # Every draw is made whatever the outcome, so one lease never shifts the next.
            draw, pick, later = rng.random(), rng.random(), rng.randint(1, 40)
            reason = rng.choices(list(REFUSAL_WEIGHTS), weights=REFUSAL_WEIGHTS.values())[0]
            gap, back = rng.randint(5, 12), rng.randint(0, 7)
            hour, minute = rng.randint(9, 16), rng.randint(0, 59)
            if draw >= self.share:
                continue
            nominated_on = plan.nominated_at.date()
            if plan.meeting_day is not None:
                index = self.days.index(plan.meeting_day)
                if index == 0:
                    continue
                meeting_day = self.days[index - 1]
                start = meeting_day
                end = max(meeting_day + days(7), plan.meeting_day - days(back))
                nominated_at = aware(start, 10 + hour % 2, minute)  # in the meeting
            elif not self.days or nominated_on < self.days[0]:
                meeting_day = None
                start = nominated_on - days(gap)
                end = start + days(max(1, gap - 3))
                nominated_at = aware(start, hour, minute)
            else:
                continue  # between meetings, or in the first one: no refusal before it
            # A few households housed later (from the ``later``-th lease nominated after the
            # refusal on), then a few still searching (from a drawn place on): the first that
            # was waiting then and fits the dwelling.
            first = bisect_right(placed_days, end)
            span = len(placed) - first
            tries = [placed[first + (later - 1 + i) % span].key for i in range(min(10, span))]
            if searching:
                at = int(pick * len(searching))
                tries += [searching[(at + i) % len(searching)].key for i in range(10)]
            other = next(
                (key for key in tries if self.free(key, plan, start, end, link, by_key, busy)),
                None,
            )
            if other is None:
                continue
            busy[other].append((start, end))
            viewing_on = start + days(max(1, (end - start).days // 2))
            refused.append(
                RefusalPlan(
                    vacancy_key=(plan.vacancy.street, plan.vacancy.postcode),
                    household_key=other,
                    nominated_at=nominated_at,
                    viewing_at=aware(viewing_on, 14, 0),
                    refused_at=aware(end, 16, 0),
                    meeting_day=meeting_day,
                    reason=reason,
                    justified=reason in JUSTIFIED_REFUSALS,
                )
            )
            # Offered before the meeting (or the day) the other household was nominated.
            plan.vacancy_created_at = min(
                plan.vacancy_created_at, aware(start - days(gap + 5), 9, 0)
            )
        return refused

    @staticmethod
    def free(key, plan, start, end, link, by_key, busy) -> bool:
        """Whether the household ``key`` was waiting from ``start`` to ``end`` (linked two weeks
        before, no other nomination meanwhile) and fits ``plan``'s dwelling."""
        return (
            key != plan.key
            and link[key] <= start - LINKED_BEFORE
            and _fits(by_key[key], plan.vacancy)
            and not any(start <= until and since <= end for since, until in busy[key])
        )


@dataclass(frozen=True)
class Attendance:
    present: list[int]  # organisation ids
    absent: list[str]  # organisation names, for the notes


def attendance(organisations: list[tuple[int, str, str]], rng: random.Random) -> Attendance:
    """Who came: the desk always, each other organisation (``(id, kind, name)``) mostly."""
    present, absent = [], []
    for pk, kind, name in organisations:
        if kind == Kind.DESK or rng.random() < ATTENDANCE_SHARE:
            present.append(pk)
        else:
            absent.append(name)
    return Attendance(present, absent)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def meeting_notes(
    *,
    index: int,
    made: int,
    signed: int,
    refused: int,
    returned: int,
    absent: list[str],
) -> str:
    """The desk's short notes on a held meeting (Dutch, as the desk writes them): the meeting's
    own figures, who was absent, and one standing topic in turn."""
    lines = [
        f"In het overleg {_count(made, 'voordracht', 'voordrachten')} gedaan; "
        f"{_count(signed, 'huurcontract', 'huurcontracten')} getekend en "
        f"{_count(refused, 'weigering', 'weigeringen')} besproken."
    ]
    if returned:
        lines.append(
            f"{_count(returned, 'woning', 'woningen')} terug naar de corporatie: geen passend "
            "huishouden op de lijst."
        )
    lines.append(f"Afwezig: {', '.join(absent)}." if absent else "Alle partijen aanwezig.")
    lines.append(MEETING_TOPICS[index % len(MEETING_TOPICS)])
    return "\n".join(lines)
