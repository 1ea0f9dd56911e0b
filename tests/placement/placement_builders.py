"""Builders shared by the meeting, nomination, race and PDF tests (not a test module).

Every household gets members with distinctive names, V-numbers and dates of birth, so a test can
check that none of them leaks to a corporation or onto a printed agenda.
"""

from __future__ import annotations

import datetime
import itertools

from django.contrib.messages import get_messages
from django.utils import timezone

from placement.models import Household, Person, Vacancy
from tests.factories import HouseholdFactory, PersonFactory, VacancyFactory

ROLES_BY_SIZE = {
    1: ("main",),
    2: ("main", "partner"),
    3: ("main", "partner", "child"),
    4: ("main", "partner", "child", "child"),
    5: ("main", "partner", "child", "child", "child"),
}
# Adults born in the 1980s, children in the 2010s: distinctive dates that no other page text has.
BIRTH_DATES = {
    "main": datetime.date(1986, 3, 14),
    "partner": datetime.date(1988, 9, 23),
    "child": datetime.date(2015, 11, 8),
    "other": datetime.date(1979, 1, 30),
}
_serial = itertools.count(1)


def today() -> datetime.date:
    """Today as the app sees it (Europe/Amsterdam)."""
    return timezone.localdate()


def stored(obj):
    """The row as the database has it now."""
    return type(obj).objects.get(pk=obj.pk)


def messages_of(response) -> list[str]:
    """The flash messages queued by the request behind ``response`` (not followed)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def accepted_vacancy(world, **kwargs) -> Vacancy:
    """A Trivire apartment in Dordrecht that the desk has accepted (2 bedrooms, EUR 640)."""
    values = {
        "corporation": world.trivire,
        "municipality": world.dordrecht,
        "status": Vacancy.Status.ACCEPTED,
    }
    values.update(kwargs)
    return VacancyFactory(**values)


def shared_vacancy(world, *, places: int = 3, **kwargs) -> Vacancy:
    """Shared housing for young singles: one room per place."""
    values = {
        "dwelling_type": Vacancy.DwellingType.SHARED,
        "places": places,
        "rooms": places + 1,
        "bedrooms": places,
        "base_rent": "420.00",
        "street": "Spuiboulevard 9",
    }
    values.update(kwargs)
    return accepted_vacancy(world, **values)


def household(
    world,
    *,
    persons: int = 1,
    municipality=None,
    link_date: datetime.date | None = None,
    **kwargs,
) -> Household:
    """A searching household of ``persons`` present members with names, V-numbers and birth
    dates a test can look for (``member_names``, ``member_v_numbers``, ``member_birth_dates``)."""
    values = {
        "linked_municipality": municipality or world.zwijndrecht,
        "status": Household.Status.SEARCHING,
    }
    if link_date is not None:
        values["link_date"] = link_date
    values.update(kwargs)
    if values["status"] == Household.Status.OWN_HOME:
        # Found its own home: registered in a municipality on a day (a database rule).
        values.setdefault("own_home_municipality", values["linked_municipality"])
        values.setdefault("own_home_date", timezone.localdate())
    created = HouseholdFactory(**values)
    for role in ROLES_BY_SIZE[persons]:
        n = next(_serial)
        PersonFactory(
            household=created,
            role=role,
            full_name=f"{('Yasmin', 'Omar', 'Lina', 'Sami', 'Noor')[n % 5]} Haddad-{n:03d}",
            date_of_birth=BIRTH_DATES[role],
            v_number=f"{8800000000 + n}",
        )
    return created


def members_of(household: Household) -> list[Person]:
    return list(Person.objects.filter(household=household))


def date_spellings(day: datetime.date) -> set[str]:
    """The ways a template or PDF could print a date, Dutch and ISO."""
    months = [
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ]  # fmt: skip
    short = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    m = day.month
    return {
        day.isoformat(),
        f"{day.day}-{m}-{day.year}",
        f"{day.day:02d}-{m:02d}-{day.year}",
        f"{day.day}/{m}/{day.year}",
        f"{day.day} {months[m - 1]} {day.year}",
        f"{day.day} {short[m - 1]} {day.year}",
        f"{day.day} {short[m - 1]}. {day.year}",
    }


def personal_data(*households: Household) -> list[str]:
    """Everything about the members that must stay off minimised pages and printed lists."""
    leaks = []
    for h in households:
        for person in members_of(h):
            leaks.append(person.full_name)
            leaks.append(person.v_number)
            leaks.extend(date_spellings(person.date_of_birth))
    return leaks
