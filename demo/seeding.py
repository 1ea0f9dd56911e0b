"""Writes the plans to the database: regions, municipalities, organisations and users brought
back to the data's values, households, vacancies and placements created when missing (keyed on
the main applicant's V-number and the address), the year of regional meetings with their
agendas and the next meeting's agenda (``demo.meetings``), the quota, the billing set-up and the
billed past periods (``demo.billing``), and a report.

``Seeder`` writes one object at a time through the workflow services (the demo scale: change
history, references and notices as in real use); ``demo.bulk.BulkSeeder`` writes the same plans
with bulk inserts for the small and national scales. The past is written directly (the services
refuse back-dated steps): the leases and the refusals before them, the held meetings and their
agendas; the database constraints still hold."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

from billing.cost_keys import euro
from billing.models import BillingProfile, CostKey, Invoice, InvoiceRun
from directory.seed import seed_participants
from placement import candidates, matching
from placement.models import (
    AgendaItem,
    Household,
    Meeting,
    Nomination,
    Person,
    SupportLink,
    Vacancy,
)
from placement.nominating import NominationRefused, nomination_create
from placement.services import household_create, vacancy_submit
from quota.models import QuotaPeriod, QuotaRule, QuotaTarget
from regions.models import (
    Membership,
    Municipality,
    Organisation,
    Province,
    Region,
    Role,
    Weekday,
    WeekOfMonth,
)

from .billing import bill_ended_periods
from .data import (
    DEMO_PASSWORD,
    QUOTA_DEMO_SCALE,
    QUOTA_RATE,
    SEED,
    DemoUser,
    HStatus,
    Kind,
    Method,
    RegionSpec,
    VStatus,
)
from .meetings import MeetingWriter
from .planners.households import HouseholdPlanner
from .planners.meetings import RefusalPlanner, returned_at_meetings
from .planners.placements import PlacementPlanner
from .planners.plans import (
    HouseholdPlan,
    PlacementPlan,
    RefusalPlan,
    RegionResult,
    VacancyPlan,
    aware,
)
from .planners.vacancies import VacancyPlanner
from .scales import Scale, billing_profile, cost_keys, opening_reason, quota_opening


class Seeder:
    """Seeds one scale; ``run`` is the whole job in one transaction, then the report."""

    def __init__(self, scale: Scale, stdout, style):
        self.scale = scale
        self.stdout = stdout
        self.style = style

    def run(self) -> list[RegionResult]:
        today = timezone.localdate()
        with transaction.atomic():
            admin = self.admin_user()
            self.provinces = {
                code: Province.objects.update_or_create(code=code, defaults={"name": name})[0]
                for code, name in self.scale.provinces.items()
            }
            results = [self.seed_region(spec, today) for spec in self.scale.regions]
            province_users = [self.province_user(u) for u in self.scale.province_users]
            self.after(results, today)
        self.report(results, admin, province_users)
        return results

    def after(self, results: list[RegionResult], today: datetime.date) -> None:
        """Work over all regions once they are seeded: bill every ended quota period of every
        region once, as the finance office did (issued, mostly paid, one credit note)."""
        if not self.scale.invoice_runs:
            return
        periods = [
            QuotaPeriod.objects.get(year=year, half=half) for year, half in self.scale.quota_periods
        ]
        for result in results:
            coordinator = next(u for u in result.users if u.membership.role == Role.COORDINATOR)
            billed = bill_ended_periods(result.region, periods, by=coordinator, today=today)
            for problem in billed.problems:
                self.stdout.write(f"  {problem}")

    def seed_region(self, spec: RegionSpec, today: datetime.date) -> RegionResult:
        region, _ = Region.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "meeting_week": WeekOfMonth.THIRD,
                "meeting_weekday": Weekday.TUESDAY,
            },
        )
        municipalities = {
            m.cbs_code: Municipality.objects.update_or_create(
                cbs_code=m.cbs_code,
                defaults={
                    "region": region,
                    "name": m.name,
                    "population": m.population,
                    "participates": m.participates,
                    "province": self.provinces[m.province or spec.province],
                },
            )[0]
            for m in spec.municipalities
        }
        region.central_municipality = municipalities[spec.central_cbs_code]
        region.save(update_fields=["central_municipality"])
        organisations = self.organisations(spec, region, municipalities)
        result = RegionResult(region)
        result.users = [
            self.demo_user(u, organisations) for u in self.scale.users if u.region_code == spec.code
        ]
        coordinator = next(u for u in result.users if u.membership.role == Role.COORDINATOR)
        # The held meetings first: the leases nominated in them refer to them.
        meeting_writer = MeetingWriter(region, today, history=not self.scale.bulk)
        meetings = meeting_writer.held()
        days = [m.date for m in meetings]

        household_plans = HouseholdPlanner(spec, municipalities, today).plans()
        result.households_new = self.create_households(household_plans, coordinator)
        corporations = {
            name: org for name, org in organisations.items() if org.kind == Kind.CORPORATION
        }
        vacancy_planner = VacancyPlanner(spec, municipalities, corporations, today)
        vacancy_plans = vacancy_planner.plans()
        returned_at_meetings(vacancy_plans, days, random.Random(f"{SEED}-{spec.code}-returned"))
        result.vacancies_new = self.create_vacancies(vacancy_plans, region, result.users)

        placement_plans = PlacementPlanner(
            spec,
            municipalities,
            corporations,
            today,
            vacancy_planner.addresses,
            history_start=self.scale.history_start,
            meeting_days=days,
        ).placements(household_plans)
        refusal_plans = RefusalPlanner(spec.code, spec.refused_share, days).refusals(
            placement_plans, household_plans
        )
        result.placements_new, result.refusals_new = self.create_placements(
            placement_plans, region, result.users, {m.date: m for m in meetings}, refusal_plans
        )
        result.nominations_new = self.create_open_nominations(
            region, coordinator, spec.open_nominations
        )
        self.caseloads(region, organisations, coordinator)
        seed_participants(region=region, users=result.users, today=today)
        result.meetings_new = len(meeting_writer.to_write)
        result.agenda_items_new = meeting_writer.write(meetings)
        self.quota(spec, region, municipalities)
        self.billing(spec, region)
        return result

    # How many open households each support organisation has in its caseload, and how many of
    # those with income / medical notes granted: the partner persona sees its caseload in full
    # and only the meeting data of the rest (regions.access.disclosed_groups).
    CASELOAD_SIZE, CASELOAD_INCOME, CASELOAD_MEDICAL = 8, 3, 1

    def caseloads(self, region: Region, organisations: dict[str, Organisation], coordinator):
        open_households = list(
            Household.objects.filter(linked_municipality__region=region)
            .open()
            .order_by("link_date", "id")[: self.CASELOAD_SIZE]
        )
        for organisation in organisations.values():
            if organisation.kind != Kind.SUPPORT:
                continue
            for index, household in enumerate(open_households):
                SupportLink.objects.get_or_create(
                    household=household,
                    organisation=organisation,
                    defaults={
                        "may_see_income": index < self.CASELOAD_INCOME,
                        "may_see_medical": index < self.CASELOAD_MEDICAL,
                        "created_by": coordinator,
                    },
                )

    def organisations(
        self, spec: RegionSpec, region: Region, municipalities: dict[str, Municipality]
    ) -> dict[str, Organisation]:
        rows: list[tuple[str, str, str | None]] = [(spec.desk, Kind.DESK, spec.central_cbs_code)]
        rows += [
            (f"Gemeente {m.name}", Kind.MUNICIPALITY, m.cbs_code)
            for m in spec.municipalities
            if m.participates
        ]
        rows += [(name, Kind.CORPORATION, cbs) for name, cbs in spec.corporations]
        rows += [(name, Kind.SUPPORT, cbs) for name, cbs in spec.support]
        return {
            name: Organisation.objects.update_or_create(
                region=region,
                name=name,
                defaults={"kind": kind, "municipality": municipalities.get(cbs)},
            )[0]
            for name, kind, cbs in rows
        }

    def demo_user(self, spec: DemoUser, organisations: dict[str, Organisation]):
        user = self.user(spec.username, spec.first_name, spec.last_name)
        membership, _ = Membership.objects.update_or_create(
            user=user,
            defaults={"organisation": organisations[spec.organisation], "role": spec.role},
        )
        membership.full_clean()  # the role must fit the organisation's kind
        return user

    def province_user(self, spec: DemoUser):
        province = self.provinces[spec.region_code]
        organisation, _ = Organisation.objects.update_or_create(
            province=province,
            name=spec.organisation,
            defaults={"kind": Kind.PROVINCE, "region": None, "municipality": None},
        )
        user = self.user(spec.username, spec.first_name, spec.last_name)
        membership, _ = Membership.objects.update_or_create(
            user=user, defaults={"organisation": organisation, "role": spec.role}
        )
        membership.full_clean()
        return user

    def admin_user(self):
        user = self.user(
            self.scale.admin_username, "Beheerder", "", is_staff=True, is_superuser=True
        )
        Membership.objects.filter(user=user).delete()  # admin-only: no region, no app pages
        return user

    def user(self, username: str, first_name: str, last_name: str, **flags):
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.first_name = first_name
        user.last_name = last_name
        user.email = f"{username}@demo.example"
        user.is_active = True
        user.is_staff = flags.get("is_staff", False)
        user.is_superuser = flags.get("is_superuser", False)
        user.set_password(DEMO_PASSWORD)  # reset on every run: the demo password is always demo
        user.save()
        return user

    def create_households(self, plans: list[HouseholdPlan], coordinator) -> int:
        existing = set(
            Person.objects.filter(
                v_number__in=[p.key for p in plans], role=Person.Role.MAIN
            ).values_list("v_number", flat=True)
        )
        created = 0
        for plan in plans:
            if plan.key in existing:
                continue
            household = household_create(
                household=plan.household, members=plan.members, by=coordinator
            )
            # Seeding: set the status the workflow would have reached, with plausible dates.
            # An own home: registered in the linked municipality on the day of the change.
            own_home = plan.status == Household.Status.OWN_HOME
            Household.objects.filter(pk=household.pk).update(
                status=plan.status,
                status_reason=plan.status_reason,
                status_changed_at=plan.status_changed_at,
                created_at=plan.created_at,
                own_home_municipality_id=household.linked_municipality_id if own_home else None,
                own_home_date=max(plan.status_changed_at.date(), household.link_date)
                if own_home
                else None,
            )
            created += 1
        return created

    def create_vacancies(self, plans: list[VacancyPlan], region: Region, users: list) -> int:
        existing = set(
            Vacancy.objects.filter(municipality__region=region).values_list("street", "postcode")
        )
        coordinator = next(u for u in users if u.membership.role == Role.COORDINATOR)
        # Trivire's demo user submits its own vacancies; the desk enters the others for them.
        submitters = {
            u.membership.organisation_id: u for u in users if u.membership.role == Role.CORPORATION
        }
        created = 0
        for plan in plans:
            if plan.key in existing:
                continue
            vacancy = vacancy_submit(
                vacancy=plan.vacancy,
                by=submitters.get(plan.vacancy.corporation_id, coordinator),
            )
            Vacancy.objects.filter(pk=vacancy.pk).update(
                status=plan.status,
                return_reason=plan.return_reason,
                created_at=plan.created_at,
                status_changed_at=plan.status_changed_at,
            )
            created += 1
        return created

    def create_placements(
        self,
        plans: list[PlacementPlan],
        region: Region,
        users: list,
        meetings: dict[datetime.date, Meeting],
        refusals: list[RefusalPlan],
    ) -> tuple[int, int]:
        """The let dwelling and the lease behind each housed or lease-signed household that has
        none yet, nominated in its meeting; then the refusals before them. Rows are written
        directly: this is the past, and the workflow services refuse back-dated steps; the
        database constraints still hold. Returns how many leases and refusals were added."""
        coordinator = next(u for u in users if u.membership.role == Role.COORDINATOR)
        submitters = {
            u.membership.organisation_id: u for u in users if u.membership.role == Role.CORPORATION
        }
        households = {
            p.v_number: p.household
            for p in Person.objects.filter(
                v_number__in=[plan.key for plan in plans], role=Person.Role.MAIN
            ).select_related("household")
        }
        # A household has at most one holding nomination: one that has any is left alone.
        holding = set(
            Nomination.objects.holding()
            .filter(household__in=households.values())
            .values_list("household_id", flat=True)
        )
        vacancies = {
            (v.street, v.postcode): v
            for v in Vacancy.objects.filter(
                municipality__region=region,
                status=VStatus.LET,
                street__in=[plan.vacancy.street for plan in plans],
            )
        }
        created, let_now = 0, {}
        for plan in plans:
            household = households.get(plan.key)
            if household is None or household.pk in holding or household.status != plan.status:
                continue  # not seeded here, already placed, or moved on while demonstrating
            vacancy = vacancies.get((plan.vacancy.street, plan.vacancy.postcode))
            if vacancy is None:
                vacancy = plan.vacancy
                vacancy.submitted_by = submitters.get(vacancy.corporation_id, coordinator)
                vacancy.save()
                Vacancy.objects.filter(pk=vacancy.pk).update(
                    created_at=plan.vacancy_created_at,
                    status_changed_at=aware(plan.lease_signed_on, 16),
                )
            elif vacancy.nominations.holding().exists():
                continue
            housed = plan.status == HStatus.HOUSED
            nomination = Nomination.objects.create(
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
                meeting=meetings.get(plan.meeting_day),
                nominated_by=coordinator,
            )
            Nomination.objects.filter(pk=nomination.pk).update(created_at=plan.nominated_at)
            let_now[(vacancy.street, vacancy.postcode)] = vacancy
            changes = {"status_changed_at": plan.status_changed_at}
            if household.link_date > plan.link_date:
                # Linked before it was nominated; the reference carries the link year, as
                # household_create makes it.
                changes |= {
                    "link_date": plan.link_date,
                    "created_at": plan.household_created_at,
                    "reference": f"{region.code}-{plan.link_date.year}-{household.pk:05d}",
                }
            Household.objects.filter(pk=household.pk).update(**changes)
            created += 1
        return created, self.create_refusals(refusals, let_now, meetings, coordinator)

    def create_refusals(
        self,
        plans: list[RefusalPlan],
        let_now: dict[tuple[str, str], Vacancy],
        meetings: dict[datetime.date, Meeting],
        coordinator,
    ) -> int:
        """The refused nominations before the leases written in this run (``let_now``: their
        dwellings by address), so a second run adds none. Inserted in bulk at every scale, with
        their dates: the household's timeline reads the refusal's day from the row."""
        todo = [plan for plan in plans if plan.vacancy_key in let_now]
        households = {}
        keys = sorted({plan.household_key for plan in todo})
        for start in range(0, len(keys), 10_000):
            households |= {
                p.v_number: p.household
                for p in Person.objects.filter(
                    v_number__in=keys[start : start + 10_000], role=Person.Role.MAIN
                ).select_related("household")
            }
        rows, moments = [], []
        for plan in todo:
            household = households.get(plan.household_key)
            if household is None:
                continue
            rows.append(
                Nomination(
                    vacancy=let_now[plan.vacancy_key],
                    place=1,
                    household=household,
                    status=Nomination.Status.REFUSED,
                    score=0,
                    viewing_at=plan.viewing_at,
                    refusal_reason=plan.reason,
                    refusal_justified=plan.justified,
                    meeting=meetings.get(plan.meeting_day),
                    nominated_by=coordinator,
                )
            )
            moments.append((plan.nominated_at, plan.refused_at))
        Nomination.objects.bulk_create(rows, batch_size=2000)
        for row, (nominated_at, refused_at) in zip(rows, moments, strict=True):
            row.created_at, row.updated_at = nominated_at, refused_at
        Nomination.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=2000)
        return len(rows)

    def create_open_nominations(self, region: Region, coordinator, wanted: int) -> int:
        """Nominate a few searching households, through the workflow, on vacancies the desk has
        taken on, so the pipeline and the meeting have open nominations. Only while the region
        has no nomination awaiting the corporation yet. The vacancies with the latest return
        deadline go first: the urgent ones stay open for the dashboard's warning."""
        if Nomination.objects.filter(
            vacancy__municipality__region=region, status=Nomination.Status.NOMINATED
        ).exists():
            return 0
        today = candidates.today()
        caps = candidates.rent_caps()
        match_settings = matching.MatchSettings.from_settings()
        vacancies = (
            Vacancy.objects.awaiting_nomination()
            .filter(municipality__region=region, places=1)
            .select_related("municipality")
            .order_by("-return_deadline", "street", "postcode")
        )
        created = 0
        for vacancy in vacancies:
            if created >= wanted:
                break
            waiting = candidates.nominatable_households(region.pk).filter(status=HStatus.SEARCHING)
            ranked = matching.rank(
                candidates.to_dwelling(vacancy, caps),
                candidates.to_candidates(waiting.order_by("link_date", "reference")),
                match_settings,
                today,
            )
            for explanation in ranked:
                try:
                    nomination_create(
                        vacancy=vacancy,
                        # Only the one nominated is loaded (a national pool has thousands).
                        household=waiting.get(pk=explanation.household.id),
                        by=coordinator,
                        today=today,
                    )
                except NominationRefused:
                    continue
                created += 1
                break
        return created

    def quota(
        self, spec: RegionSpec, region: Region, municipalities: dict[str, Municipality]
    ) -> None:
        """Periods, and a target per participating municipality and period. Only the first
        period's opening balance is set; later ones carry the closing balance."""
        QuotaRule.for_region(region)  # the default counting rule, unless one was chosen
        periods = self.scale.quota_periods
        for year, half in periods:
            period, _ = QuotaPeriod.objects.get_or_create(year=year, half=half)
            first = (year, half) == periods[0]
            for m in spec.municipalities:
                if not m.participates:
                    continue
                opening = round(quota_opening(m) * QUOTA_DEMO_SCALE) if first else None
                QuotaTarget.objects.update_or_create(
                    period=period,
                    municipality=municipalities[m.cbs_code],
                    defaults={
                        "net_target": round(
                            m.population * QUOTA_RATE[(year, half)] * QUOTA_DEMO_SCALE / 1000
                        ),
                        "opening_override": opening,
                        "override_reason": opening_reason(periods[0])
                        if opening is not None
                        else "",
                    },
                )

    def billing(self, spec: RegionSpec, region: Region) -> None:
        for year, method, amount_field, amount, notes in cost_keys(spec, self.scale):
            amounts = {"tariff": None, "budget": None, "fixed_amount": None, amount_field: amount}
            CostKey.objects.update_or_create(
                region=region, year=year, defaults={"method": method, "notes": notes, **amounts}
            )
        sender, address, iban, term = billing_profile(spec)
        BillingProfile.objects.update_or_create(
            region=region,
            defaults={
                "sender_name": sender,
                "sender_address": address,
                "iban": iban,
                "payment_term_days": term,
            },
        )

    @staticmethod
    def amount(key: CostKey) -> str:
        if key.method == Method.PER_PERSON:
            return f"{euro(key.tariff)} per persoon"
        if key.method == Method.PER_HOUSEHOLD:
            return f"{euro(key.tariff)} per huishouden"
        if key.method == Method.FIXED:
            return f"{euro(key.fixed_amount)} per gemeente per jaar"
        return f"budget {euro(key.budget)} per jaar"

    def report(self, results: list[RegionResult], admin, province_users=()) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS("Demodata geladen."))
        for result in results:
            region = result.region
            households = Household.objects.filter(linked_municipality__region=region)
            by_status = dict(
                households.order_by("status")
                .values("status")
                .annotate(n=Count("id"))
                .values_list("status", "n")
            )
            persons = Person.objects.filter(household__in=households).count()
            vacancies = Vacancy.objects.filter(municipality__region=region).count()
            write(
                f"  {region.name} ({region.code}): "
                f"{region.municipalities.count()} gemeenten, "
                f"{region.organisations.count()} organisaties, "
                f"{households.count()} huishoudens ({result.households_new} nieuw, "
                f"{persons} personen), "
                f"{vacancies} woningen ({result.vacancies_new} nieuw)"
            )
            write("    status huishoudens: " + ", ".join(f"{s} {n}" for s, n in by_status.items()))
            nominations = Nomination.objects.filter(vacancy__municipality__region=region)
            placed = nominations.filter(
                status__in=[Nomination.Status.LEASE_SIGNED, Nomination.Status.HOUSED]
            )
            write(
                f"    plaatsingen: {placed.count()} ({result.placements_new} nieuw), "
                f"open voordrachten: {nominations.awaiting_outcome().count()} "
                f"({result.nominations_new} nieuw), weigeringen: "
                f"{nominations.filter(status=Nomination.Status.REFUSED).count()} "
                f"({result.refusals_new} nieuw)"
            )
            held = Meeting.objects.filter(region=region, status=Meeting.Status.CLOSED)
            following = (
                Meeting.objects.filter(region=region, date__gte=timezone.localdate())
                .exclude(status=Meeting.Status.CLOSED)
                .order_by("date")
                .first()
            )
            line = (
                f"    overleggen: {held.count()} gehouden ({result.meetings_new} nieuw), "
                f"{AgendaItem.objects.filter(meeting__in=held).count()} agendapunten"
            )
            if following is not None:
                line += (
                    f"; volgend overleg {following.date:%d-%m-%Y}: "
                    f"{following.items.count()} agendapunten"
                )
            write(line + f" ({result.agenda_items_new} nieuw)")
            invoices = Invoice.objects.filter(region=region)
            write(
                f"    facturatie: {InvoiceRun.objects.filter(region=region).count()} rondes, "
                f"{invoices.filter(kind=Invoice.Kind.INVOICE).exclude(status='draft').count()} "
                f"facturen uitgereikt, waarvan "
                f"{invoices.filter(status=Invoice.Status.PAID).count()} betaald; "
                f"creditnota's: {invoices.filter(kind=Invoice.Kind.CREDIT_NOTE).count()}"
            )
            keys = CostKey.objects.filter(region=region).order_by("year")
            with translation.override("nl"):
                lines = [f"{k.year} {k.get_method_display()} ({self.amount(k)})" for k in keys]
                write("    kostenverdeelsleutels: " + "; ".join(lines))
        periods = QuotaPeriod.objects.order_by("year", "half")
        targets = QuotaTarget.objects.filter(period__in=periods).count()
        write(
            f"  Taakstellingsperiodes: {', '.join(str(p) for p in periods)} "
            f"({targets} taakstellingen)"
        )

        rows = [("gebruikersnaam", "wachtwoord", "rol", "organisatie")]
        with translation.override("nl"):
            for result in results:
                for user in result.users:
                    membership = user.membership
                    organisation = f"{membership.organisation} ({result.region.name})"
                    rows.append(
                        (
                            user.username,
                            DEMO_PASSWORD,
                            str(membership.get_role_display()),
                            organisation,
                        )
                    )
            for user in province_users:
                membership = user.membership
                rows.append(
                    (
                        user.username,
                        DEMO_PASSWORD,
                        str(membership.get_role_display()),
                        str(membership.organisation),
                    )
                )
        rows.append((admin.username, DEMO_PASSWORD, "superuser (Django-beheer)", "—"))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        write("")
        write(self.style.MIGRATE_HEADING(f"Demo-gebruikers (wachtwoord: {DEMO_PASSWORD})"))
        for i, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            line = "  ".join(cells).rstrip()
            write(self.style.MIGRATE_LABEL(line) if i == 0 else line)
