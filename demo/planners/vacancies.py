"""Draws a region's vacancies: place, address, dwelling, rent and dates that fit the type."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from placement.models import Vacancy
from regions.models import Municipality, Organisation

from ..data import (
    DWELLING_REMARKS,
    POSTCODE_LETTERS,
    RETURN_REASONS,
    SEED,
    DType,
    MunicipalitySpec,
    Place,
    RegionSpec,
    VStatus,
)
from .plans import VacancyPlan, aware


class VacancyPlanner:
    """Draws one region's vacancies; the same draws on every run."""

    def __init__(
        self,
        spec: RegionSpec,
        municipalities: dict[str, Municipality],
        corporations: dict[str, Organisation],
        today: datetime.date,
    ):
        self.spec = spec
        self.rng = random.Random(f"{SEED}-{spec.code}-vacancies")
        self.today = today
        self.municipalities = municipalities
        self.corporations = corporations
        self.participating = [m for m in spec.municipalities if m.participates]
        self.addresses: set[str] = set()

    def plans(self) -> list[VacancyPlan]:
        rng = self.rng
        statuses = [s for s, n in self.spec.vacancy_statuses.items() for _ in range(n)]
        types = [t for t, n in self.spec.vacancy_types.items() for _ in range(n)]
        rng.shuffle(statuses)
        featured = list(self.spec.featured_vacancies)
        for _place, dwelling_type, _remarks in featured:
            types.remove(dwelling_type)
        rng.shuffle(types)
        slots = [(place, t, remarks) for place, t, remarks in featured]
        slots += [(None, t, "") for t in types]
        # The first few vacancies the desk has taken on run out soon: the dashboard warns.
        urgent = 3 if len(statuses) > 20 else 2
        plans = []
        for (place, dwelling_type, remarks), status in zip(slots, statuses, strict=True):
            is_urgent = status in (VStatus.ACCEPTED, VStatus.ON_AGENDA) and urgent > 0
            urgent -= is_urgent
            plans.append(self.plan(place, dwelling_type, remarks, status, is_urgent))
        return plans

    def place(self, place_name: str | None) -> tuple[MunicipalitySpec, Place]:
        rng = self.rng
        for muni in self.participating:
            for place in muni.places:
                if place.name == place_name:
                    return muni, place
        weights = [m.population for m in self.participating]
        muni = rng.choices(self.participating, weights=weights)[0]
        return muni, rng.choices(muni.places, weights=[p.weight for p in muni.places])[0]

    def address(self, place: Place, dwelling_type: str) -> tuple[str, str]:
        rng = self.rng
        for _attempt in range(100_000):
            street, area = rng.choice(place.streets)
            number = str(rng.randint(1, 180))
            if dwelling_type == DType.APARTMENT:
                number += rng.choice("ABCD")
            letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
            address = f"{street} {number}"
            if address not in self.addresses:
                self.addresses.add(address)
                return address, f"{area} {letters}"
        raise ValueError(f"{place.name}: no free address left; give it more streets")

    def plan(
        self, place_name: str | None, dwelling_type: str, remarks: str, status: str, urgent: bool
    ) -> VacancyPlan:
        rng = self.rng
        muni_spec, place = self.place(place_name)
        street, postcode = self.address(place, dwelling_type)
        vacancy = Vacancy(
            corporation=self.corporations[rng.choice(muni_spec.corporations)],
            municipality=self.municipalities[muni_spec.cbs_code],
            street=street,
            postcode=postcode,
            place=place.name,
            dwelling_type=dwelling_type,
            remarks=remarks or DWELLING_REMARKS.get(dwelling_type, ""),
            service_charges=Decimal(rng.randint(2000, 8000)) / 100,
        )
        self.dwelling(vacancy)
        available, deadline = self.dates(status, urgent)
        vacancy.available_from = self.today + datetime.timedelta(days=available)
        vacancy.return_deadline = self.today + datetime.timedelta(days=deadline)
        return_reason = rng.choice(RETURN_REASONS) if status == VStatus.RETURNED else ""
        # Submitted one to four weeks before it is free, and in any case in the last ten days.
        submitted = min(
            vacancy.available_from - datetime.timedelta(days=rng.randint(7, 28)),
            self.today - datetime.timedelta(days=rng.randint(1, 10)),
        )
        created_at = aware(submitted, rng.randint(8, 17), rng.randint(0, 59))
        handled = submitted + datetime.timedelta(days=rng.randint(1, 3))
        changed_at = aware(handled, rng.randint(8, 17), rng.randint(0, 59))
        if status == VStatus.SUBMITTED:
            changed_at = created_at
        return VacancyPlan(vacancy, status, return_reason, created_at, changed_at)

    def dwelling(self, vacancy: Vacancy) -> None:
        """Size, floor, accessibility and rent that fit the dwelling type."""
        rng = self.rng

        def rent(low: int, high: int) -> Decimal:
            return Decimal(rng.randint(low * 100, high * 100)) / 100

        match vacancy.dwelling_type:
            case DType.SINGLE_FAMILY:
                vacancy.bedrooms = rng.choice((2, 3, 3, 3, 4, 4, 5))
                vacancy.rooms = vacancy.bedrooms + 1
                vacancy.floor_area = 70 + 12 * vacancy.bedrooms + rng.randint(0, 15)
                vacancy.base_rent = rent(640, 900)
            case DType.APARTMENT:
                vacancy.bedrooms = rng.choice((1, 1, 2, 2, 2, 3))
                vacancy.rooms = vacancy.bedrooms + 1
                vacancy.floor_area = 40 + 15 * vacancy.bedrooms + rng.randint(0, 12)
                vacancy.floor = rng.choice((0, 1, 1, 2, 2, 3, 4, 6, 8))
                vacancy.has_lift = vacancy.floor >= 3 or (vacancy.floor > 0 and rng.random() < 0.3)
                vacancy.wheelchair_accessible = (
                    vacancy.floor == 0 or vacancy.has_lift
                ) and rng.random() < 0.2
                vacancy.base_rent = rent(480, 760)
            case DType.SENIOR:
                vacancy.bedrooms = rng.choice((1, 1, 2))
                vacancy.rooms = vacancy.bedrooms + 1
                vacancy.floor_area = rng.randint(45, 70)
                vacancy.floor = rng.choice((0, 0, 0, 1, 2))
                vacancy.has_lift = vacancy.floor > 0
                vacancy.wheelchair_accessible = rng.random() < 0.6
                vacancy.base_rent = rent(470, 690)
            case DType.SHARED:
                vacancy.places = rng.randint(2, 4)
                vacancy.bedrooms = vacancy.places
                vacancy.rooms = vacancy.places + 1  # a bedroom each and a shared living room
                vacancy.floor_area = 55 + 14 * vacancy.places + rng.randint(0, 10)
                vacancy.floor = rng.choice((0, 1, 2))
                vacancy.base_rent = rent(450, 560)  # per room: see the remarks
            case DType.FLEX:
                vacancy.rooms = rng.randint(1, 3)
                vacancy.bedrooms = vacancy.rooms - 1  # a studio has no separate bedroom
                vacancy.floor_area = 24 + 14 * vacancy.rooms + rng.randint(0, 6)
                vacancy.floor = rng.choice((0, 0, 1))
                vacancy.base_rent = rent(450, 600)

    def dates(self, status: str, urgent: bool) -> tuple[int, int]:
        """Available-from and return-deadline offsets in days from today."""
        rng = self.rng
        if urgent:
            # Available since up to a week, deadline two weeks or a bit more after that, so it
            # falls within the next fortnight.
            available = -rng.randint(1, 7)
            return available, available + 14 + rng.randint(0, -available - 1)
        if status == VStatus.LET:
            available = rng.randint(-7, 0)
        elif status == VStatus.SUBMITTED:
            available = rng.randint(10, 40)
        else:
            available = rng.randint(0, 35)
        return available, available + 7 * rng.randint(2, 6)
