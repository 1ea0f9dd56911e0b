"""What the seed creates, as plain objects drawn by the planners, and the helpers they share."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from placement.models import Household, Person, Vacancy
from regions.models import Region


@dataclass(frozen=True)
class NamedPerson:
    """A member being drawn, with the name parts their children's names are made from."""

    person: Person
    given: str
    surname: str
    age: int


@dataclass
class HouseholdPlan:
    household: Household
    members: list[Person]
    status: str
    status_reason: str
    created_at: datetime.datetime
    status_changed_at: datetime.datetime

    @property
    def key(self) -> str:
        return next(p.v_number for p in self.members if p.role == Person.Role.MAIN)


@dataclass
class VacancyPlan:
    vacancy: Vacancy
    status: str
    return_reason: str
    created_at: datetime.datetime
    status_changed_at: datetime.datetime

    @property
    def key(self) -> tuple[str, str]:
        return (self.vacancy.street, self.vacancy.postcode)


@dataclass
class PlacementPlan:
    """The let dwelling and lease behind a housed or lease-signed household, and the household's
    history made to fit it (linked before it was nominated)."""

    key: str  # the household's main applicant's V-number
    status: str  # the household's (and the nomination's) status: housed or lease_signed
    vacancy: Vacancy
    vacancy_created_at: datetime.datetime
    nominated_at: datetime.datetime
    viewing_at: datetime.datetime
    lease_signed_on: datetime.date
    lease_start: datetime.date
    move_in_date: datetime.date | None
    reported_to_coa_on: datetime.date | None
    link_date: datetime.date  # at the latest; an earlier link date stays
    household_created_at: datetime.datetime
    status_changed_at: datetime.datetime
    # The held meeting it was nominated in; None: before the year of meetings, or between two
    # meetings (then the dwelling was on the agenda of the meeting before: ``agenda_day``).
    meeting_day: datetime.date | None = None
    agenda_day: datetime.date | None = None


@dataclass(frozen=True)
class RefusalPlan:
    """Another household nominated first for a let dwelling, who refused it (coded reason)."""

    vacancy_key: tuple[str, str]  # the let dwelling's (street, postcode)
    household_key: str  # the V-number of the main applicant of the household that refused
    nominated_at: datetime.datetime
    viewing_at: datetime.datetime
    refused_at: datetime.datetime
    meeting_day: datetime.date | None  # the held meeting it was nominated in, if any
    reason: str
    justified: bool


@dataclass
class RegionResult:
    region: Region
    households_new: int = 0
    vacancies_new: int = 0
    placements_new: int = 0
    nominations_new: int = 0
    refusals_new: int = 0
    meetings_new: int = 0  # held meetings written in this run
    agenda_items_new: int = 0  # on the held meetings and the next one
    users: list = field(default_factory=list)


def weighted(rng: random.Random, options: dict) -> object:
    return rng.choices(list(options), weights=list(options.values()))[0]


def aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on ``day`` in the project's time zone, never later than now."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return min(moment, timezone.now())


def birth_date(rng: random.Random, age: int, today: datetime.date) -> datetime.date:
    # Day 1-28 so the draw does not depend on the month (and so on today's date).
    return datetime.date(today.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
