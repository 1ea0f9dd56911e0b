"""The region's figures: one page with every figure, the rows behind each, and the exports.

Access: ``sees_reports`` (coordinators, municipality officers, province officers; else 403);
the scope is ``municipalities_in_scope`` (a region, or a province's municipalities), narrowed
with ``?region=`` to one region of it (any other region: 404). The rows behind a figure are
listed only as far as the models' ``visible_to`` querysets allow; the rest are counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from exchange import spreadsheet
from exchange.spreadsheet import Column, Kind
from placement import deadlines
from placement.models import Household, Nomination, Vacancy
from regions.access import get_membership, municipalities_in_scope, require

from . import charts, figures, tables
from .forms import PeriodForm

PAGE_SIZE = 50


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    rule: str
    source: str  # which rows lie behind it: housed, returned, refused, pool


FIGURES = {
    f.slug: f
    for f in (
        Figure("size", gettext_lazy("Housed by household size"), figures.BY_SIZE_RULE, "housed"),
        Figure(
            "corporation",
            gettext_lazy("Housed by corporation"),
            figures.BY_CORPORATION_RULE,
            "housed",
        ),
        Figure(
            "dwelling",
            gettext_lazy("Housed by dwelling type"),
            figures.BY_DWELLING_TYPE_RULE,
            "housed",
        ),
        Figure(
            "pooling",
            gettext_lazy("Linked municipality and where households were housed"),
            figures.POOLING_RULE,
            "housed",
        ),
        Figure("lease", gettext_lazy("Time from link to lease"), figures.DURATION_RULE, "housed"),
        Figure(
            "move-in", gettext_lazy("Time from link to move-in"), figures.DURATION_RULE, "housed"
        ),
        Figure(
            "returned",
            gettext_lazy("Dwellings returned unfilled"),
            figures.RETURNED_RULE,
            "returned",
        ),
        Figure("refused", gettext_lazy("Nominations refused"), figures.REFUSED_RULE, "refused"),
        Figure("pool", gettext_lazy("Open pool"), figures.POOL_RULE, "pool"),
    )
}
# Drill-down filters per source: query key -> how a row is read for it.
FILTERS: dict[str, dict[str, Callable[[object], str]]] = {
    "housed": {
        "size": lambda h: str(h.size_key),
        "corporation": lambda h: str(h.corporation_id),
        "type": lambda h: h.dwelling_type,
        "linked": lambda h: str(h.linked_id),
        "housed_in": lambda h: str(h.housed_id),
    },
    "returned": {"reason": lambda r: figures.reason_key(r["return_reason"].strip())},
    "refused": {"reason": lambda r: r["refusal_reason"]},
    "pool": {"size": lambda r: str(min(r["size"], figures.LARGEST_SIZE)), "band": None},
}


# --- Scope and period ------------------------------------------------------------------------


def _scope(request: HttpRequest) -> tuple[figures.Scope, list, object | None]:
    """The municipalities of the page, the regions to choose from and the chosen one."""
    membership = require(request.user, "sees_reports")
    municipalities = list(municipalities_in_scope(request.user).order_by("name"))
    regions = sorted({m.region for m in municipalities}, key=lambda r: r.name)
    selected = None
    raw = request.GET.get("region")
    if raw:
        selected = next((r for r in regions if str(r.pk) == raw), None)
        if selected is None:
            raise Http404
        municipalities = [m for m in municipalities if m.region_id == selected.pk]
    organisation = membership.organisation
    if organisation.province_id is not None:
        label = str(organisation.province) + (f" · {selected}" if selected else "")
    else:
        label = str(selected or organisation.region)
    places = tuple(figures.Place(m.pk, m.name, m.region_id) for m in municipalities)
    return figures.Scope(places=places, label=label), regions, selected


def _period_form(request: HttpRequest, today) -> PeriodForm:
    chosen = any(name in request.GET for name in PeriodForm.base_fields)
    return PeriodForm(request.GET if chosen else None, today=today)


# --- The page --------------------------------------------------------------------------------


def _housed_charts(rows, title_for):
    return charts.bar_chart(title_for, [(r.label, r.households) for r in rows])


@require_safe
def reports_overview(request: HttpRequest) -> HttpResponse:
    scope, regions, selected = _scope(request)
    today = timezone.localdate()
    form = _period_form(request, today)
    context = {
        "form": form,
        "scope": scope,
        "regions": regions,
        "selected_region": selected,
        "figures": FIGURES,
        "figure_move_in": FIGURES["move-in"],
        "housed_rule": figures.HOUSED_RULE,
    }
    if form.is_bound and not form.is_valid():
        return render(request, "reports/overview.html", context, status=400)
    period = form.period()
    housed = figures.housed(scope, period, today)
    by_size = figures.by_size(housed)
    by_corporation = figures.by_corporation(housed)
    by_type = figures.by_dwelling_type(housed)
    lease = figures.durations(housed, "lease")
    move_in = figures.durations(housed, "move_in")
    returned = figures.returned_by_reason(figures.returned_vacancies(scope, period))
    refused = figures.refused_by_reason(figures.refused_nominations(scope, period))
    as_of = period.last_day(today)
    pool = figures.pool_table(figures.open_pool(scope, as_of), as_of)
    context.update(
        {
            "period": period,
            "as_of": as_of,
            "housed": housed,
            "persons": sum(h.persons for h in housed),
            "by_size": by_size,
            "by_corporation": by_corporation,
            "by_type": by_type,
            "matrix": figures.pooling_matrix(housed),
            "lease": lease,
            "move_in": move_in,
            "returned": returned,
            "returned_total": sum(r.count for r in returned),
            "refused": refused,
            "refused_total": sum(r.count for r in refused),
            "pool": pool,
            "charts": {
                "size": charts.bar_chart(
                    _("Households housed by size"), [(r.label, r.households) for r in by_size]
                ),
                "corporation": charts.bar_chart(
                    _("Households housed by corporation"),
                    [(r.label, r.households) for r in by_corporation],
                ),
                "dwelling": charts.bar_chart(
                    _("Households housed by dwelling type"),
                    [(r.label, r.households) for r in by_type],
                ),
                "lease": charts.bar_chart(
                    _("Median days from link to lease per municipality"),
                    [(r.label, r.median) for r in lease.by_municipality],
                ),
                "move_in": charts.bar_chart(
                    _("Median days from link to move-in per municipality"),
                    [(r.label, r.median) for r in move_in.by_municipality],
                ),
                "returned": charts.bar_chart(
                    _("Dwellings returned by reason"), [(r.label, r.count) for r in returned]
                ),
                "refused": charts.bar_chart(
                    _("Nominations refused by reason"), [(r.label, r.count) for r in refused]
                ),
                "pool": charts.bar_chart(
                    _("Open pool by weeks waiting"),
                    list(zip(pool.bands, pool.band_totals, strict=True)),
                ),
            },
        }
    )
    return render(request, "reports/overview.html", context)


# --- Exports of the figures' numbers ------------------------------------------------------------


def _figure(slug: str) -> Figure:
    if slug not in FIGURES:
        raise Http404
    return FIGURES[slug]


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in spreadsheet.FORMATS:
        raise Http404
    return fmt


def _counts_export(rows):
    columns = [
        Column(_("Group"), value="label"),
        Column(_("Households"), Kind.INTEGER, value="households"),
        Column(_("Persons"), Kind.INTEGER, value="persons"),
    ]
    return columns, rows


def _duration_export(durations: figures.Durations):
    grouped = [(_("Municipality"), r) for r in durations.by_municipality]
    grouped += [(_("Household size"), r) for r in durations.by_size]
    grouped.append((_("Total"), durations.total))
    columns = [
        Column(_("Grouped by"), value=lambda g: g[0]),
        Column(_("Group"), value=lambda g: g[1].label),
        Column(_("Households"), Kind.INTEGER, value=lambda g: g[1].n),
        Column(_("Median (days)"), Kind.INTEGER, value=lambda g: g[1].median),
        Column(_("75th percentile (days)"), Kind.INTEGER, value=lambda g: g[1].p75),
        Column(_("90th percentile (days)"), Kind.INTEGER, value=lambda g: g[1].p90),
        Column(_("Within 10 weeks"), Kind.INTEGER, value=lambda g: g[1].within_10),
        Column(_("Within 10 weeks (%)"), Kind.DECIMAL, value=lambda g: g[1].share_10),
        Column(_("Within 14 weeks"), Kind.INTEGER, value=lambda g: g[1].within_14),
        Column(_("Within 14 weeks (%)"), Kind.DECIMAL, value=lambda g: g[1].share_14),
    ]
    return columns, grouped


def figure_numbers(figure: Figure, scope, period, today):
    """The columns and rows of a figure's numbers, as the table on the page has them."""
    slug = figure.slug
    if figure.source == "housed":
        housed = figures.housed(scope, period, today)
        if slug == "size":
            return _counts_export(figures.by_size(housed))
        if slug == "corporation":
            return _counts_export(figures.by_corporation(housed))
        if slug == "dwelling":
            return _counts_export(figures.by_dwelling_type(housed))
        if slug == "pooling":
            matrix = figures.pooling_matrix(housed)
            names = dict(matrix.columns)
            rows = [
                (row.name, names[c], count) for row in matrix.rows for c, count, _s in row.cells
            ]
            return [
                Column(_("Linked municipality"), value=lambda r: r[0]),
                Column(_("Housed in"), value=lambda r: r[1]),
                Column(_("Households"), Kind.INTEGER, value=lambda r: r[2]),
            ], rows
        return _duration_export(
            figures.durations(housed, "lease" if slug == "lease" else "move_in")
        )
    if slug == "returned":
        return [
            Column(_("Reason"), value="label"),
            Column(_("Dwellings"), Kind.INTEGER, value="count"),
            Column(_("Places"), Kind.INTEGER, value="places"),
        ], figures.returned_by_reason(figures.returned_vacancies(scope, period))
    if slug == "refused":
        return [
            Column(_("Reason"), value="label"),
            Column(_("Refused"), Kind.INTEGER, value="count"),
            Column(_("Justified"), Kind.INTEGER, value="justified"),
            Column(_("Not justified"), Kind.INTEGER, value="not_justified"),
        ], figures.refused_by_reason(figures.refused_nominations(scope, period))
    as_of = period.last_day(today)
    pool = figures.pool_table(figures.open_pool(scope, as_of), as_of)
    rows = [
        (label, pool.bands[b], counts[b])
        for _k, label, counts, _t in pool.rows
        for b in range(len(pool.bands))
    ]
    return [
        Column(_("Household size"), value=lambda r: r[0]),
        Column(_("Weeks waiting"), value=lambda r: r[1]),
        Column(_("Households"), Kind.INTEGER, value=lambda r: r[2]),
    ], rows


@require_safe
def reports_export(request: HttpRequest, figure: str) -> HttpResponse:
    chosen = _figure(figure)
    fmt = _format(request)
    scope, _regions, _selected = _scope(request)
    today = timezone.localdate()
    form = _period_form(request, today)
    if form.is_bound and not form.is_valid():
        raise Http404
    period = form.period()
    columns, rows = figure_numbers(chosen, scope, period, today)
    stem = f"{_('figures')}-{chosen.slug}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}"
    return spreadsheet.response(fmt, stem, columns, rows, title=str(chosen.title))


# --- The rows behind a figure ------------------------------------------------------------------


def _source_rows(source: str, user, scope, period, today) -> list[dict]:
    """Every row behind a source, as dicts; ``visible``: whether the user may see it."""
    if source == "housed":
        rows = figures.housed(scope, period, today)
        visible = set(
            Household.objects.visible_to(user)
            .filter(pk__in={h.household_id for h in rows})
            .values_list("pk", flat=True)
        )
        labels = dict(Vacancy.DwellingType.choices)
        return [
            {
                "row": h,
                "visible": h.household_id in visible,
                "household_id": h.household_id,
                "reference": h.reference,
                "linked": h.linked_name,
                "housed_in": h.housed_name,
                "corporation": h.corporation_name,
                "dwelling_type": str(labels.get(h.dwelling_type, h.dwelling_type)),
                "persons": h.persons,
                "link_date": h.link_date,
                "day": h.day,
                "days_to_lease": h.days_to_lease,
                "days_to_move_in": h.days_to_move_in,
            }
            for h in rows
        ]
    if source == "returned":
        rows = figures.returned_vacancies(scope, period)
        visible = set(
            Vacancy.objects.visible_to(user)
            .filter(pk__in={r["id"] for r in rows})
            .values_list("pk", flat=True)
        )
        labels = dict(Vacancy.DwellingType.choices)
        return [
            {
                "row": r,
                "visible": r["id"] in visible,
                "address": f"{r['street']}, {r['place']}",
                "municipality": r["municipality__name"],
                "corporation": r["corporation__name"],
                "dwelling_type": str(labels.get(r["dwelling_type"], r["dwelling_type"])),
                "places": r["places"],
                "returned_on": timezone.localdate(r["status_changed_at"]),
                "reason": r["return_reason"],
            }
            for r in rows
        ]
    if source == "refused":
        rows = figures.refused_nominations(scope, period)
        visible = set(
            Nomination.objects.visible_to(user)
            .filter(
                pk__in={r["id"] for r in rows}, household__in=Household.objects.visible_to(user)
            )
            .values_list("pk", flat=True)
        )
        labels = dict(Nomination.RefusalReason.choices)
        return [
            {
                "row": r,
                "visible": r["id"] in visible,
                "household_id": r["household_id"],
                "reference": r["household__reference"],
                "address": f"{r['vacancy__street']}, {r['vacancy__place']}",
                "municipality": r["vacancy__municipality__name"],
                "reason": str(labels.get(r["refusal_reason"], r["refusal_reason"])),
                "justified": {True: _("yes"), False: _("no")}.get(r["refusal_justified"], "—"),
                "refused_on": timezone.localdate(r["updated_at"]),
            }
            for r in rows
        ]
    as_of = period.last_day(today)
    rows = figures.open_pool(scope, as_of)
    visible = set(
        Household.objects.visible_to(user)
        .filter(pk__in={r["id"] for r in rows})
        .values_list("pk", flat=True)
    )
    statuses = dict(Household.Status.choices)
    return [
        {
            "row": r,
            "visible": r["id"] in visible,
            "household_id": r["id"],
            "reference": r["reference"],
            "linked": r["linked_municipality__name"],
            "size": r["size"],
            "link_date": r["link_date"],
            "weeks": deadlines.weeks_waiting(r["link_date"], as_of),
            "status": str(statuses.get(r["status"], r["status"])),
        }
        for r in rows
    ]


def _matches(source: str, row: dict, filters: dict[str, str]) -> bool:
    for key, wanted in filters.items():
        if key == "band":
            if str(figures.week_band(row["weeks"])) != wanted:
                return False
        elif FILTERS[source][key](row["row"]) != wanted:
            return False
    return True


TABLES = {
    "housed": tables.HousedTable,
    "returned": tables.ReturnedTable,
    "refused": tables.RefusedTable,
    "pool": tables.PoolTable,
}


def _export_columns(table_class) -> list[Column]:
    kinds = {"persons": Kind.INTEGER, "places": Kind.INTEGER, "size": Kind.INTEGER}
    kinds |= {"days_to_lease": Kind.INTEGER, "days_to_move_in": Kind.INTEGER, "weeks": Kind.INTEGER}
    dates = {"link_date", "day", "returned_on", "refused_on"}
    return [
        Column(
            str(column.verbose_name),
            Kind.DATE if name in dates else kinds.get(name, Kind.TEXT),
            value=name,
        )
        for name, column in table_class.base_columns.items()
    ]


@require_safe
def reports_drilldown(request: HttpRequest, figure: str) -> HttpResponse:
    """The rows behind one figure (optionally one bar or cell of it); ``?format=`` downloads
    them (CSV streamed)."""
    chosen = _figure(figure)
    scope, _regions, selected = _scope(request)
    today = timezone.localdate()
    form = _period_form(request, today)
    if form.is_bound and not form.is_valid():
        raise Http404
    period = form.period()
    source = chosen.source
    filters = {k: request.GET[k] for k in FILTERS[source] if request.GET.get(k)}
    rows = [
        r
        for r in _source_rows(source, request.user, scope, period, today)
        if _matches(source, r, filters)
        # The move-in figure stands on the households with a move-in date.
        and (figure != "move-in" or r["days_to_move_in"] is not None)
    ]
    hidden = sum(1 for r in rows if not r["visible"])
    rows = [r for r in rows if r["visible"]]
    if "format" in request.GET:
        fmt = _format(request)
        stem = f"{_('figures')}-{chosen.slug}-{_('rows')}-{period.start:%Y-%m-%d}"
        return spreadsheet.response(
            fmt, stem, _export_columns(TABLES[source]), rows, title=str(chosen.title)
        )
    table = TABLES[source](rows)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    membership = get_membership(request.user)
    return render(
        request,
        "reports/drilldown.html",
        {
            "figure": chosen,
            "scope": scope,
            "selected_region": selected,
            "period": period,
            "table": table,
            "count": len(rows),
            "hidden": hidden,
            "filtered": bool(filters),
            "province": membership.organisation.province_id is not None,
        },
    )
