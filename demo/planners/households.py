"""Draws a region's households: names by origin, compositions, needs, income and status."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from placement.models import Household, Person
from regions.models import Municipality

from ..data import (
    COA_LOCATIONS,
    COMPOSITIONS,
    GROUND_FLOOR_NOTES,
    MEDICAL_NOTES,
    NOTES,
    ORIGINS,
    OWN_HOME_REASONS,
    PREFERENCES,
    SEED,
    V_NUMBER_BASE,
    WHEELCHAIR_NOTES,
    WITHDRAWN_REASONS,
    WORK_NOTES,
    HStatus,
    Origin,
    RegionSpec,
)
from .plans import HouseholdPlan, NamedPerson, aware, birth_date, weighted


class HouseholdPlanner:
    """Draws one region's households; the same draws on every run."""

    def __init__(
        self, spec: RegionSpec, municipalities: dict[str, Municipality], today: datetime.date
    ):
        self.spec = spec
        self.rng = random.Random(f"{SEED}-{spec.code}-households")
        self.today = today
        self.next_v_number = spec.v_number_base or V_NUMBER_BASE[spec.code]
        participating = [m for m in spec.municipalities if m.participates]
        self.municipalities = [municipalities[m.cbs_code] for m in participating]
        self.populations = [m.population for m in participating]

    def v_number(self) -> str:
        self.next_v_number += 1
        return f"{self.next_v_number:010d}"

    def plans(self) -> list[HouseholdPlan]:
        return [self.plan() for _ in range(self.spec.households)]

    def plan(self) -> HouseholdPlan:
        rng, today = self.rng, self.today
        origin = rng.choices(ORIGINS, weights=[o.weight for o in ORIGINS])[0]
        language = weighted(rng, dict(origin.languages))
        composition = weighted(rng, COMPOSITIONS)
        days_since_link = rng.randint(0, 20 * 7)
        link_date = today - datetime.timedelta(days=days_since_link)
        members = self.members(origin, composition, days_since_link)
        household = Household(
            linked_municipality=rng.choices(self.municipalities, weights=self.populations)[0],
            link_date=link_date,
            language=language,
            coa_location=rng.choice(self.spec.coa_locations or COA_LOCATIONS[self.spec.code]),
        )
        self.needs(household)
        self.income(household, composition)
        if rng.random() < 0.25:
            household.preferences = rng.choice(PREFERENCES)
        if rng.random() < 0.2 and not household.notes:
            household.notes = rng.choice(NOTES)
        status, reason, status_days = self.status(days_since_link)
        registered_days = min(rng.randint(0, 3), days_since_link)
        created_on = link_date + datetime.timedelta(days=registered_days)
        created_at = aware(created_on, rng.randint(9, 16), rng.randint(0, 59))
        changed_on = link_date + datetime.timedelta(days=max(status_days, registered_days))
        changed_at = max(aware(changed_on, rng.randint(9, 16), rng.randint(0, 59)), created_at)
        return HouseholdPlan(household, members, status, reason, created_at, changed_at)

    def members(self, origin: Origin, composition: str, days_since_link: int) -> list[Person]:
        rng = self.rng
        main_female = composition == "single_parent" or rng.random() < (
            0.25 if composition == "single" else 0.15
        )
        main_age = (
            rng.choice((rng.randint(18, 27), rng.randint(18, 35), rng.randint(25, 60)))
            if composition == "single"
            else rng.randint(24, 50)
        )
        people = [self.person(origin, main_female, main_age, Person.Role.MAIN)]
        father = None if main_female else people[0]
        if composition in ("couple", "family", "large_family", "reunification"):
            # In Turkey a wife takes her husband's family name; elsewhere here she keeps her own.
            shared = origin.shared_family_name
            partner = self.person(
                origin,
                not main_female,
                max(18, main_age + rng.randint(-8, 3)),
                Person.Role.PARTNER,
                surname=people[0].surname if shared else None,
            )
            people.append(partner)
            father = father or partner
        children = {
            "single_parent": rng.randint(1, 3),
            "family": rng.randint(1, 3),
            "large_family": rng.randint(4, 6),
            "reunification": rng.randint(0, 4),
        }.get(composition, 0)
        # Children carry the father's family name, or his given name where names are patronymic.
        if origin.patronymic:
            child_surname = father.given if father else None
        else:
            child_surname = (father or people[0]).surname
        oldest_child = max(0, min(min(p.age for p in people) - 18, 20))
        for _ in range(children):
            female, age = rng.random() < 0.5, rng.randint(0, oldest_child)
            people.append(
                self.person(origin, female, age, Person.Role.CHILD, surname=child_surname)
            )
        if composition == "large_family" and rng.random() < 0.4:
            people.append(self.person(origin, True, rng.randint(58, 78), Person.Role.OTHER))

        persons = [p.person for p in people]
        if composition == "reunification":
            self.expect_later(persons[1:], days_since_link)
        for person in persons:
            # Family members still abroad usually have no V-number yet.
            person.v_number = self.v_number() if person.present else ""
        return persons

    def expect_later(self, persons: list[Person], days_since_link: int) -> None:
        """Family members who follow the permit holder; sometimes one has already arrived."""
        rng = self.rng
        for person in persons:
            person.present = False
            person.expected_arrival = self.today + datetime.timedelta(days=rng.randint(14, 150))
        if days_since_link > 21 and rng.random() < 0.25:
            joined = persons[0]
            joined.present = True
            joined.expected_arrival = None
            joined.arrival_date = self.today - datetime.timedelta(
                days=rng.randint(1, days_since_link - 14)
            )

    def person(
        self, origin: Origin, female: bool, age: int, role: str, surname: str | None = None
    ) -> NamedPerson:
        rng = self.rng
        given = rng.choice(origin.female if female else origin.male)
        if surname is None:
            # Patronymic: the second name is the father's given name.
            surname = rng.choice(origin.male if origin.patronymic else origin.family)
        person = Person(
            full_name=f"{given} {surname}",
            date_of_birth=birth_date(rng, age, self.today),
            role=role,
        )
        return NamedPerson(person, given, surname, age)

    def needs(self, household: Household) -> None:
        rng = self.rng
        draw = rng.random()
        if draw < 0.03:
            household.needs_wheelchair_access = True
            household.needs_ground_floor = True
            household.medical_notes = rng.choice(WHEELCHAIR_NOTES)
        elif draw < 0.10:
            household.needs_ground_floor = True
            household.medical_notes = rng.choice(GROUND_FLOOR_NOTES)
        elif draw < 0.16:
            household.medical_notes = rng.choice(MEDICAL_NOTES)

    def income(self, household: Household, composition: str) -> None:
        rng = self.rng
        draw = rng.random()
        if draw < 0.12:
            household.income_type = Household.IncomeType.WAGE
            household.annual_income = Decimal(rng.randrange(16_000, 36_000, 250))
            household.work_study_location = rng.choice(self.spec.work_locations)
            household.notes = rng.choice(WORK_NOTES)
        elif draw < 0.17 and composition == "single":
            household.income_type = Household.IncomeType.STUDY
            household.work_study_location = rng.choice(self.spec.study_locations)
        elif draw < 0.20:
            household.income_type = Household.IncomeType.NONE
        else:
            household.income_type = Household.IncomeType.BENEFIT
            if rng.random() < 0.1:
                household.work_study_location = rng.choice(self.spec.work_locations)

    def status(self, days_since_link: int) -> tuple[str, str, int]:
        """Status, its reason and the day (after the link) it was reached. Older households are
        more often housed; the newest are still registered."""
        rng = self.rng
        draw = rng.random()
        weeks = days_since_link // 7
        if weeks >= 6 and draw < self.spec.placed_share:
            # A lease takes at least four weeks from the link: nomination, viewing, signing.
            housed = weeks >= self.spec.housed_from_weeks and draw < self.spec.housed_share
            status = HStatus.HOUSED if housed else HStatus.LEASE_SIGNED
            return status, "", rng.randint(28, days_since_link)
        changed = rng.randint(min(7, days_since_link), days_since_link)
        if weeks >= 3 and draw > 0.97:
            return HStatus.OWN_HOME, rng.choice(OWN_HOME_REASONS), changed
        if weeks >= 3 and draw > 0.94:
            return HStatus.WITHDRAWN, rng.choice(WITHDRAWN_REASONS), changed
        if weeks < 2 and draw < 0.85:
            return HStatus.REGISTERED, "", 0
        return HStatus.SEARCHING, "", min(rng.randint(1, 10), days_since_link)
