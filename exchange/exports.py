"""What each export holds: its columns and its rows, for the user who asks.

One function per export, ``<name>(user, params) -> Export``, shared by the download view (a
small export at once) and the background task (a large one, ``downloads.tasks``). ``params`` is
the page's query string (its current filters) plus the object the page is about (``meeting``,
``period``), so a task can build the same export later from JSON.

Access is decided as on the page the export belongs to: the capability (``require``: 403) and
the model's ``visible_to`` queryset (404 for anything outside it). Personal data follows the
disclosure rule (``regions.access.disclosed_groups``): a column of identity data is filled only
for the households whose identity the user may see, and every such household is logged as one
read (channel "export") when the rows are produced. The query count does not grow with the rows:
querysets are read in chunks with their relations joined or prefetched per chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Invoice, InvoiceLine
from placement import access_log, deadlines
from placement.filters import HouseholdFilter, vacancy_filter_for
from placement.models import Household, Meeting, Nomination, Person, Vacancy
from placement.models.access_log import PersonalDataView
from placement.views.list_state import with_statuses
from quota import counting
from quota.ledger import current_period
from quota.models import QuotaPeriod, QuotaRule
from quota.scope import quota_scope
from regions.access import Group, capabilities, require
from regions.models import Municipality

from .spreadsheet import Column, Kind

CHUNK = 1000


@dataclass
class Export:
    """One export, ready to write: ``rows()`` gives a fresh iterator each time it is called
    (and logs the reads of personal data it shows); ``count()`` is cheap."""

    name: str
    title: str
    stem: str
    columns: list[Column]
    rows: Callable[[], Iterable[object]]
    count: Callable[[], int]


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


def _log_identity_reads(user, household_ids: Iterable[int], name: str) -> None:
    access_log.record_views(
        user=user,
        shown=[(pk, {Group.IDENTITY}) for pk in household_ids],
        channel=PersonalDataView.Channel.EXPORT,
        page=name,
    )


def _named(user):
    """The households of whose members ``user`` may see names and V-numbers."""
    return Household.objects.visible_to(user).disclosing(user, Group.IDENTITY).values("pk")


# --- 1. The pool ---------------------------------------------------------------------------


def households(user, params: QueryDict) -> Export:
    """The pool as filtered on its page. Meeting data for every household; the main applicant,
    their date of birth and the members' V-numbers only where the identity is disclosed."""
    membership = require(user, "sees_pool")
    today = timezone.localdate()
    base = (
        Household.objects.visible_to(user)
        .with_sizes()
        .with_disclosure(user)
        .select_related("linked_municipality")
    )
    params = with_statuses(params, choices=Household.Status.values, default=Household.OPEN_STATUSES)
    filtered = HouseholdFilter(
        params, queryset=base, region_id=membership.organisation.region_id, today=today, user=user
    ).qs.order_by("link_date", "id")
    named = _named(user)
    members = Prefetch(
        "members",
        queryset=Person.objects.filter(household__in=named).order_by("date_of_birth", "id"),
        to_attr="export_members",
    )

    def rows() -> Iterator[dict]:
        _log_identity_reads(
            user, filtered.filter(pk__in=named).values_list("pk", flat=True), "export_households"
        )
        for h in filtered.prefetch_related(members).iterator(chunk_size=CHUNK):
            people = sorted(h.export_members, key=lambda m: m.role != Person.Role.MAIN)
            main = people[0] if people and people[0].role == Person.Role.MAIN else None
            yield {
                "reference": h.reference,
                "municipality": h.linked_municipality.name,
                "status": h.get_status_display(),
                "size": h.size,
                "expected_size": h.expected_size,
                "link_date": h.link_date,
                "deadline": h.deadline,
                "weeks_waiting": deadlines.weeks_waiting(h.link_date, today),
                "wheelchair": h.needs_wheelchair_access,
                "ground_floor": h.needs_ground_floor,
                "main_applicant": main.full_name if main else "",
                "main_born": main.date_of_birth if main else None,
                "v_numbers": "; ".join(p.v_number for p in people if p.v_number),
            }

    return Export(
        name="households",
        title=_("Regional pool"),
        stem=f"{_('pool')}-{membership.organisation.region.code}-{today:%Y-%m-%d}",
        columns=[
            Column(_("Reference"), value="reference"),
            Column(_("Linked municipality"), value="municipality"),
            Column(_("Status"), value="status"),
            Column(_("Persons present"), Kind.INTEGER, "size"),
            Column(_("Persons incl. expected"), Kind.INTEGER, "expected_size"),
            Column(_("Link date"), Kind.DATE, "link_date"),
            Column(_("Deadline"), Kind.DATE, "deadline"),
            Column(_("Weeks waiting"), Kind.INTEGER, "weeks_waiting"),
            Column(_("Needs wheelchair access"), Kind.BOOLEAN, "wheelchair"),
            Column(_("Needs ground floor or lift"), Kind.BOOLEAN, "ground_floor"),
            Column(_("Main applicant"), value="main_applicant"),
            Column(_("Main applicant's date of birth"), Kind.DATE, "main_born"),
            Column(_("V-numbers"), value="v_numbers"),
        ],
        rows=rows,
        count=filtered.count,
    )


# --- 2. Vacancies --------------------------------------------------------------------------


def vacancies(user, params: QueryDict) -> Export:
    """The vacancy list as filtered on its page (a corporation: its own vacancies only)."""
    membership = require(user, "sees_vacancies")
    # The same filter and defaults as the list (placement.filters.vacancy_filter_for).
    order_by = (
        ("-created_at", "-id")
        if capabilities(user).submits_vacancies
        else ("return_deadline", "id")
    )
    filtered = vacancy_filter_for(
        user, params, region_id=membership.organisation.region_id
    ).qs.order_by(*order_by)

    def rows() -> Iterator[Vacancy]:
        return filtered.iterator(chunk_size=CHUNK)

    return Export(
        name="vacancies",
        title=_("Vacancies"),
        stem=f"{_('vacancies')}-{membership.organisation.region.code}-{timezone.localdate():%Y-%m-%d}",
        columns=[
            Column(_("Address"), value="street"),
            Column(_("Postcode"), value="postcode"),
            Column(_("Place"), value="place"),
            Column(_("Municipality"), value=lambda v: v.municipality.name),
            Column(_("Corporation"), value=lambda v: v.corporation.name),
            Column(_("Status"), value=lambda v: v.get_status_display()),
            Column(_("Type"), value=lambda v: v.get_dwelling_type_display()),
            Column(_("Places"), Kind.INTEGER, "places"),
            Column(_("Rooms"), Kind.INTEGER, "rooms"),
            Column(_("Bedrooms"), Kind.INTEGER, "bedrooms"),
            Column(_("Floor area (m²)"), Kind.INTEGER, "floor_area"),
            Column(_("Floor"), Kind.INTEGER, "floor"),
            Column(_("Lift"), Kind.BOOLEAN, "has_lift"),
            Column(_("Wheelchair accessible"), Kind.BOOLEAN, "wheelchair_accessible"),
            Column(_("Base rent"), Kind.AMOUNT, "base_rent"),
            Column(_("Service charges"), Kind.AMOUNT, "service_charges"),
            Column(
                _("Rent incl. service"),
                Kind.AMOUNT,
                lambda v: (v.base_rent or Decimal(0)) + (v.service_charges or Decimal(0)),
            ),
            Column(_("Available from"), Kind.DATE, "available_from"),
            Column(_("Return deadline"), Kind.DATE, "return_deadline"),
            Column(_("Submitted"), Kind.DATE, "created_at"),
        ],
        rows=rows,
        count=filtered.count,
    )


# --- 3. The quota report -------------------------------------------------------------------


def _quota_period(periods: list[QuotaPeriod], slug: str | None, today) -> QuotaPeriod:
    if slug:
        for period in periods:
            if period.slug == slug:
                return period
        raise Http404
    period = current_period(periods, today)
    if period is None:
        raise Http404
    return period


def quota(user, params: QueryDict) -> Export:
    """Per participating municipality in one period, the figures of the quota ledger
    (``quota.ledger``, never recomputed here), and the region's total as the last row. A
    province officer: its province's municipalities of the region chosen (``quota.scope``)."""
    membership = require(user, "sees_quota")
    today = timezone.localdate()
    ledger = quota_scope(user, region=params.get("region"), today=today).ledger
    if ledger is None:
        raise Http404
    region = ledger.region
    province = membership.organisation.province if capabilities(user).sees_province else None
    period = _quota_period(ledger.periods, params.get("period"), today)
    table = [
        {
            "municipality": p.municipality.name,
            "cbs_code": p.municipality.cbs_code,
            "period": str(period),
            "net_target": p.net_target,
            "opening_balance": p.opening_balance,
            "opening_overridden": p.opening_overridden,
            "adjusted_target": p.adjusted_target,
            "surplus_carried": p.surplus_carried,
            "realised": p.realised,
            "remaining": p.remaining,
            "closing_balance": p.closing_balance,
            "monthly_pace": p.monthly_pace(today),
            "pipeline_nominated": p.pipeline_nominated,
            "pipeline_lease_signed": p.pipeline_lease_signed,
        }
        for p in ledger.for_period(period)
    ]
    table.append(
        {
            "municipality": _("%(province)s in region %(name)s")
            % {"province": province.name, "name": region.name}
            if province
            else _("Region %(name)s") % {"name": region.name},
            "cbs_code": "",
            "period": str(period),
            "opening_overridden": None,
            "monthly_pace": None,
            **ledger.totals(period),
        }
    )
    return Export(
        name="quota",
        title=_("Housing quota"),
        stem=f"{_('quota')}-{region.code}-{period.slug}",
        columns=[
            Column(_("Municipality"), value="municipality"),
            Column(_("CBS code"), value="cbs_code"),
            Column(_("Period"), value="period"),
            Column(_("Net target"), Kind.INTEGER, "net_target"),
            Column(_("Opening balance"), Kind.INTEGER, "opening_balance"),
            Column(_("Opening balance overridden"), Kind.BOOLEAN, "opening_overridden"),
            Column(_("Adjusted target"), Kind.INTEGER, "adjusted_target"),
            Column(_("Surplus carried on"), Kind.INTEGER, "surplus_carried"),
            Column(_("Realised"), Kind.INTEGER, "realised"),
            Column(_("Remaining"), Kind.INTEGER, "remaining"),
            Column(_("Closing balance"), Kind.INTEGER, "closing_balance"),
            Column(
                _("Monthly pace needed"),
                Kind.DECIMAL,
                lambda r: None if r["monthly_pace"] is None else Decimal(str(r["monthly_pace"])),
            ),
            Column(_("Pipeline: nominated"), Kind.INTEGER, "pipeline_nominated"),
            Column(_("Pipeline: lease signed"), Kind.INTEGER, "pipeline_lease_signed"),
        ],
        rows=lambda: iter(table),
        count=lambda: len(table),
    )


# --- 4. The re-link list -------------------------------------------------------------------


def relinks(user, params: QueryDict) -> Export:
    """Households housed outside the municipality COA linked them to (``quota.counting``), for
    the report to COA; the members' V-numbers for whoever may see the household's identity."""
    membership = require(user, "sees_quota_rows")
    can = capabilities(user)
    region_id = membership.organisation.region_id
    found = counting.relinks(region_id, QuotaRule.for_region(membership.region))
    places = {
        m["pk"]: m
        for m in Municipality.objects.filter(region_id=region_id).values("pk", "name", "cbs_code")
    }

    def rows() -> Iterator[dict]:
        v_numbers: dict[int, list[str]] = {}
        if can.sees_personal_data and found:
            ids = {r.nomination.household_id for r in found}
            people = (
                Person.objects.filter(household_id__in=ids, household__in=_named(user))
                .order_by("household_id", "date_of_birth", "id")
                .values_list("household_id", "v_number")
            )
            for household_id, v_number in people:
                v_numbers.setdefault(household_id, []).append(v_number)
            _log_identity_reads(user, v_numbers, "export_relinks")
        for r in found:
            n = r.nomination
            linked = places.get(r.linked_municipality_id, {})
            dwelling = places.get(r.dwelling_municipality_id, {})
            yield {
                "reference": n.household.reference,
                "v_numbers": "; ".join(v for v in v_numbers.get(n.household_id, []) if v),
                "linked": linked.get("name", ""),
                "linked_cbs": linked.get("cbs_code", ""),
                "dwelling": dwelling.get("name", ""),
                "dwelling_cbs": dwelling.get("cbs_code", ""),
                "address": f"{n.vacancy.street}, {n.vacancy.postcode} {n.vacancy.place}",
                "day": r.day,
                "lease_start": n.lease_start,
                "status": n.get_status_display(),
            }

    columns = [Column(_("Household"), value="reference")]
    if can.sees_personal_data:
        columns.append(Column(_("V-numbers"), value="v_numbers"))
    columns += [
        Column(_("Linked to"), value="linked"),
        Column(_("CBS code linked municipality"), value="linked_cbs"),
        Column(_("Housed in"), value="dwelling"),
        Column(_("CBS code municipality housed in"), value="dwelling_cbs"),
    ]
    # Finance needs figures and references, not where households live (as on the page).
    if can.sees_home_addresses:
        columns.append(Column(_("Dwelling"), value="address"))
    columns += [
        Column(_("Counts on"), Kind.DATE, "day"),
        Column(_("Lease start"), Kind.DATE, "lease_start"),
        Column(_("Status"), value="status"),
    ]
    return Export(
        name="relinks",
        title=_("Re-link list"),
        stem=f"{_('relinks')}-{membership.region.code}-{timezone.localdate():%Y-%m-%d}",
        columns=columns,
        rows=rows,
        count=lambda: len(found),
    )


# --- 5. A meeting's decision list ----------------------------------------------------------


def _present(household_field: str) -> Subquery:
    return Subquery(
        Person.objects.filter(household_id=OuterRef(household_field), present=True)
        .order_by()
        .values("household_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def meeting_decisions(user, params: QueryDict) -> Export:
    """The decision list of one meeting as the PDF has it, without personal data: the
    nominations made in it, then the outcome and decision of every agenda item."""
    require(user, "sees_meetings")
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user).select_related("region"), pk=_int(params.get("meeting"))
    )
    nominations = (
        Nomination.objects.filter(meeting=meeting)
        .select_related("household", "vacancy__corporation")
        .annotate(persons=_present("household_id"))
        .order_by("created_at", "id")
    )
    items = (
        meeting.items.select_related(
            "vacancy__corporation",
            "household",
            "nomination__household",
            "nomination__vacancy__corporation",
        )
        .annotate(
            item_household=Coalesce("household_id", "nomination__household_id"),
            persons=_present("item_household"),
        )
        .order_by("kind", "position", "id")
    )
    section_nomination = _("Nomination")

    def dwelling(vacancy, place: int | None = None) -> str:
        text = f"{vacancy.street}, {vacancy.place}"
        if place is not None and vacancy.places > 1:
            text += f" ({_('place')} {place})"
        return text

    def rows() -> Iterator[dict]:
        for n in nominations.iterator(chunk_size=CHUNK):
            yield {
                "section": section_nomination,
                "household": n.household.reference,
                "persons": n.persons or 0,
                "dwelling": dwelling(n.vacancy, n.place),
                "corporation": n.vacancy.corporation.name,
                "outcome": n.get_status_display(),
                "decision": (
                    f"{_('despite the rules')}: {n.override_reason}" if n.rule_failures else ""
                ),
            }
        for item in items.iterator(chunk_size=CHUNK):
            household = item.household or (item.nomination.household if item.nomination else None)
            vacancy = item.vacancy or (item.nomination.vacancy if item.nomination else None)
            yield {
                "section": item.get_kind_display(),
                "household": household.reference if household else "",
                "persons": item.persons,
                "dwelling": dwelling(vacancy) if vacancy else "",
                "corporation": vacancy.corporation.name if vacancy else "",
                "outcome": item.get_outcome_display(),
                "decision": item.decision,
            }

    return Export(
        name="meeting_decisions",
        title=_("Decision list"),
        stem=f"{_('decision-list')}-{meeting.region.code}-{meeting.date:%Y-%m-%d}",
        columns=[
            Column(_("Section"), value="section"),
            Column(_("Household"), value="household"),
            Column(_("Persons"), Kind.INTEGER, "persons"),
            Column(_("Dwelling"), value="dwelling"),
            Column(_("Corporation"), value="corporation"),
            Column(_("Outcome"), value="outcome"),
            Column(_("Decision"), value="decision"),
        ],
        rows=rows,
        count=lambda: nominations.count() + items.count(),
    )


# --- 6. The invoices of a period -----------------------------------------------------------


def invoices_of_period(user, period: str) -> tuple[QuotaPeriod, object]:
    """The period (404 if unknown) and the user's invoices in it (``Invoice.visible_to``)."""
    require(user, "sees_invoices")
    year, _sep, half = (period or "").partition("-")
    found = get_object_or_404(QuotaPeriod, year=_int(year), half=_int(half))
    return found, Invoice.objects.visible_to(user).filter(period=found)


def _plain(number: Decimal) -> Decimal:
    """Without trailing zeros (2.0000 -> 2, 1.5000 -> 1.5), never in exponent form."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def invoices(user, params: QueryDict) -> Export:
    """Every line of the invoices (and credit notes) of a period the user may see: one row per
    line, with the invoice's municipality and dates, the basis of the line and its amounts."""
    period, visible = invoices_of_period(user, params.get("period"))
    lines = (
        InvoiceLine.objects.filter(invoice__in=visible)
        .select_related("invoice__municipality")
        .order_by("invoice__municipality__name", "invoice__kind", "invoice_id", "position", "id")
    )

    def rows() -> Iterator[InvoiceLine]:
        return lines.iterator(chunk_size=CHUNK)

    return Export(
        name="invoices",
        title=_("Invoices"),
        stem=f"{_('invoices')}-{period.slug}",
        columns=[
            Column(_("Number"), value=lambda line: line.invoice.number or ""),
            Column(_("Kind"), value=lambda line: line.invoice.get_kind_display()),
            Column(_("Status"), value=lambda line: line.invoice.get_status_display()),
            Column(_("Municipality"), value=lambda line: line.invoice.municipality.name),
            Column(_("CBS code"), value=lambda line: line.invoice.municipality.cbs_code),
            Column(_("Period"), value=lambda line: str(period)),
            Column(_("Issue date"), Kind.DATE, lambda line: line.invoice.issue_date),
            Column(_("Due date"), Kind.DATE, lambda line: line.invoice.due_date),
            Column(_("Paid on"), Kind.DATE, lambda line: line.invoice.paid_on),
            Column(_("Line"), Kind.INTEGER, "position"),
            Column(_("Basis"), value=lambda line: line.text),
            Column(_("Quantity"), Kind.DECIMAL, lambda line: _plain(line.quantity)),
            Column(_("Unit price"), Kind.AMOUNT, "unit_price"),
            Column(_("Amount"), Kind.AMOUNT, "amount"),
        ],
        rows=rows,
        count=lines.count,
    )


# The exports by name: the view and the task look them up here.
EXPORTS: dict[str, Callable[[object, QueryDict], Export]] = {
    "households": households,
    "vacancies": vacancies,
    "quota": quota,
    "relinks": relinks,
    "meeting_decisions": meeting_decisions,
    "invoices": invoices,
}


def build(name: str, user, params: QueryDict | dict) -> Export:
    """The export ``name`` for ``user``; ``params`` a QueryDict or its JSON form (lists)."""
    if not isinstance(params, QueryDict):
        query = QueryDict(mutable=True)
        for key, values in params.items():
            query.setlist(key, [str(v) for v in (values if isinstance(values, list) else [values])])
        params = query
    return EXPORTS[name](user, params)


def as_json(params: QueryDict) -> dict[str, list[str]]:
    return {key: params.getlist(key) for key in params}
