"""The same plans as the demo, written with bulk inserts (the small and national scales).

Differences from ``Seeder`` (the services): no change-history rows for the bulk-inserted
households, members, vacancies and nominations (``bulk_create`` sends no signals, so
simple-history records nothing; their history starts at the first change made in the app), and
no notices for the vacancies. References are made as ``household_create`` makes them. Auto-set
dates (``auto_now_add``) are written afterwards with ``bulk_update``, which does not set them.

A national pool also has a history of refusals: for part of the leases, another household of the
region was nominated first on the same dwelling and refused it (coded reason); that household
was housed later through its own lease, or is searching again.
"""

from __future__ import annotations

import datetime
import random
from itertools import batched

from django.db import connection

from billing.models import InvoiceRun
from billing.services import BillingError, invoice_run_create
from placement.models import Household, Nomination, Person, Vacancy
from placement.models.households import refresh_sizes
from quota.models import QuotaPeriod
from regions.models import Region, Role

from .data import SEED, HStatus, VStatus
from .planners.plans import HouseholdPlan, PlacementPlan, RegionResult, VacancyPlan, aware
from .seeding import Seeder

BATCH = 2000
# Share of leases with an earlier, refused nomination of another household on the dwelling.
REFUSED_BEFORE_SHARE = 0.75
Refusal = Nomination.RefusalReason
REFUSAL_REASONS = {
    Refusal.LOCATION: 5,
    Refusal.TOO_SMALL: 2,
    Refusal.HEALTH: 1,
    Refusal.CONDITION: 1,
    Refusal.NO_SHOW: 1,
}


def _insert(model, objects: list) -> list:
    for batch in batched(objects, BATCH):
        model.objects.bulk_create(batch)
    return objects


def _update(model, objects: list, fields: list[str]) -> None:
    for batch in batched(objects, BATCH):
        model.objects.bulk_update(batch, fields)


class BulkSeeder(Seeder):
    def create_households(self, plans: list[HouseholdPlan], coordinator) -> int:
        keys = [p.key for p in plans]
        existing = set()
        for batch in batched(keys, 10_000):
            existing |= set(
                Person.objects.filter(v_number__in=batch, role=Person.Role.MAIN).values_list(
                    "v_number", flat=True
                )
            )
        new = [p for p in plans if p.key not in existing]
        households = []
        for plan in new:
            household = plan.household
            own_home = plan.status == HStatus.OWN_HOME
            household.created_by = coordinator
            household.reference = f"NEW-{plan.key}"  # replaced below
            household.status = plan.status
            household.status_reason = plan.status_reason
            household.own_home_municipality = household.linked_municipality if own_home else None
            household.own_home_date = (
                max(plan.status_changed_at.date(), household.link_date) if own_home else None
            )
            households.append(household)
        _insert(Household, households)
        region_code = {}
        for plan in new:
            household = plan.household
            municipality = household.linked_municipality
            code = region_code.setdefault(municipality.region_id, municipality.region.code)
            household.reference = f"{code}-{household.link_date.year}-{household.pk:05d}"
            household.created_at = plan.created_at
            household.status_changed_at = plan.status_changed_at
        _update(Household, households, ["reference", "created_at", "status_changed_at"])
        members = []
        for plan in new:
            for person in plan.members:
                person.household = plan.household
                members.append(person)
        _insert(Person, members)
        # The stored sizes: bulk_create sends no signals, so the placement app's own refresh.
        for batch in batched([h.pk for h in households], 10_000):
            refresh_sizes(batch)
        return len(new)

    def create_vacancies(self, plans: list[VacancyPlan], region: Region, users: list) -> int:
        existing = set(
            Vacancy.objects.filter(municipality__region=region).values_list("street", "postcode")
        )
        coordinator = next(u for u in users if u.membership.role == Role.COORDINATOR)
        submitters = {
            u.membership.organisation_id: u for u in users if u.membership.role == Role.CORPORATION
        }
        new = [p for p in plans if p.key not in existing]
        for plan in new:
            plan.vacancy.status = plan.status
            plan.vacancy.return_reason = plan.return_reason
            plan.vacancy.submitted_by = submitters.get(plan.vacancy.corporation_id, coordinator)
        vacancies = _insert(Vacancy, [p.vacancy for p in new])
        for plan in new:
            plan.vacancy.created_at = plan.created_at
            plan.vacancy.status_changed_at = plan.status_changed_at
        _update(Vacancy, vacancies, ["created_at", "status_changed_at"])
        return len(new)

    def create_placements(self, plans: list[PlacementPlan], region: Region, users: list) -> int:
        coordinator = next(u for u in users if u.membership.role == Role.COORDINATOR)
        submitters = {
            u.membership.organisation_id: u for u in users if u.membership.role == Role.CORPORATION
        }
        households = {}
        keys = [plan.key for plan in plans]
        for batch in batched(keys, 10_000):
            households |= {
                p.v_number: p.household
                for p in Person.objects.filter(
                    v_number__in=batch, role=Person.Role.MAIN
                ).select_related("household")
            }
        holding = set(
            Nomination.objects.holding()
            .filter(vacancy__municipality__region=region)
            .values_list("household_id", flat=True)
        )
        let = {
            (v.street, v.postcode): v
            for v in Vacancy.objects.filter(municipality__region=region, status=VStatus.LET)
        }
        taken = set(
            Nomination.objects.holding()
            .filter(vacancy__municipality__region=region)
            .values_list("vacancy_id", flat=True)
        )
        todo, new_vacancies = [], []
        for plan in plans:
            household = households.get(plan.key)
            if household is None or household.pk in holding or household.status != plan.status:
                continue
            vacancy = let.get((plan.vacancy.street, plan.vacancy.postcode))
            if vacancy is None:
                vacancy = plan.vacancy
                vacancy.submitted_by = submitters.get(vacancy.corporation_id, coordinator)
                new_vacancies.append(vacancy)
                let[(vacancy.street, vacancy.postcode)] = vacancy
            elif vacancy.pk in taken:
                continue
            taken.add(vacancy.pk)
            todo.append((plan, household, vacancy))
        _insert(Vacancy, new_vacancies)
        for plan, _household, vacancy in todo:
            if vacancy is plan.vacancy:
                vacancy.created_at = plan.vacancy_created_at
                vacancy.status_changed_at = aware(plan.lease_signed_on, 16)
        _update(Vacancy, new_vacancies, ["created_at", "status_changed_at"])

        nominations, changed = [], []
        for plan, household, vacancy in todo:
            housed = plan.status == HStatus.HOUSED
            nominations.append(
                Nomination(
                    vacancy=vacancy,
                    place=1,
                    household=household,
                    status=Nomination.Status.HOUSED if housed else Nomination.Status.LEASE_SIGNED,
                    score=0,
                    viewing_at=plan.viewing_at,
                    lease_signed_on=plan.lease_signed_on,
                    lease_start=plan.lease_start,
                    move_in_date=plan.move_in_date,
                    reported_to_coa_on=plan.reported_to_coa_on,
                    nominated_by=coordinator,
                )
            )
            household.status_changed_at = plan.status_changed_at
            if household.link_date > plan.link_date:
                household.link_date = plan.link_date
                household.created_at = plan.household_created_at
                household.reference = f"{region.code}-{plan.link_date.year}-{household.pk:05d}"
            changed.append(household)
        nominations += self.refusals(todo, region, coordinator)
        _insert(Nomination, nominations)
        for nomination, created_at in zip(nominations, self._created, strict=True):
            nomination.created_at = created_at
        _update(Nomination, nominations, ["created_at"])
        _update(Household, changed, ["status_changed_at", "link_date", "created_at", "reference"])
        return len(todo)

    def refusals(self, todo: list, region: Region, coordinator) -> list[Nomination]:
        """Earlier nominations on the let dwellings that another household refused: one housed
        later through its own lease (linked before the refusal, nominated after it) or one
        still searching. Only for dwellings let in this run, so a second run adds none."""
        self._created = [plan.nominated_at for plan, _h, _v in todo]
        if not todo:
            return []
        rng = random.Random(f"{SEED}-{region.code}-refusals")
        searching = list(
            Household.objects.filter(
                linked_municipality__region=region, status=HStatus.SEARCHING
            ).order_by("id")
        )
        placed = sorted(
            ((plan.nominated_at, household) for plan, household, _v in todo),
            key=lambda pair: (pair[0], pair[1].pk),
        )
        order = {household.pk: index for index, (_at, household) in enumerate(placed)}
        refused = []
        for plan, household, vacancy in todo:
            draw, pick, later = rng.random(), rng.random(), rng.randint(1, 40)
            reason = rng.choices(list(REFUSAL_REASONS), weights=REFUSAL_REASONS.values())[0]
            day = plan.nominated_at - datetime.timedelta(days=rng.randint(5, 12))
            if draw >= REFUSED_BEFORE_SHARE:
                continue
            index = order[household.pk] + later
            if index < len(placed) and placed[index][0] > plan.nominated_at:
                other = placed[index][1]
            elif searching:
                other = searching[int(pick * len(searching))]
            else:
                continue
            if day.date() < other.link_date or other.pk == household.pk:
                continue  # nominated before it was linked: not this one
            refused.append(
                Nomination(
                    vacancy=vacancy,
                    place=1,
                    household=other,
                    status=Nomination.Status.REFUSED,
                    score=0,
                    refusal_reason=reason,
                    refusal_justified=reason in (Refusal.HEALTH, Refusal.CONDITION),
                    nominated_by=coordinator,
                )
            )
            self._created.append(day)
        return refused

    def after(self, results: list[RegionResult], today: datetime.date) -> None:
        """Bill every ended quota period of every region once (the national scale), and
        refresh the planner's statistics after the bulk inserts."""
        if self.scale.invoice_runs:
            periods = [
                QuotaPeriod.objects.get(year=year, half=half)
                for year, half in self.scale.quota_periods
            ]
            for result in results:
                region = result.region
                coordinator = next(u for u in result.users if u.membership.role == Role.COORDINATOR)
                billed = set(
                    InvoiceRun.objects.filter(region=region).values_list("period_id", flat=True)
                )
                for period in periods:
                    if period.end >= today or period.pk in billed:
                        continue
                    try:
                        invoice_run_create(
                            region=region, period=period, by=coordinator, today=today
                        )
                    except BillingError as exc:
                        self.stdout.write(f"  {region.code} {period}: {exc}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Household, Person, Vacancy, Nomination):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
