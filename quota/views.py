"""Quota pages: region dashboard, municipality page, drill-down, re-link list, data entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from placement.models import Household
from regions.access import capabilities, municipalities_in_scope, require
from regions.models import Municipality

from . import charts, counting, services
from .forms import (
    PeriodForm,
    QuotaRuleForm,
    TargetForm,
    TargetPasteForm,
    parse_target_table,
)
from .ledger import build_ledger, current_period
from .models import QuotaPeriod, QuotaRule
from .scope import quota_scope

RELINKS_PAGE_SIZE = 50


def _period(periods: list[QuotaPeriod], slug: str | None, today) -> QuotaPeriod | None:
    if slug:
        for period in periods:
            if period.slug == slug:
                return period
        raise Http404
    return current_period(periods, today)


@require_safe
def quota_dashboard(request: HttpRequest) -> HttpResponse:
    """The ledger of the region; for a province officer, of its municipalities in one of the
    regions they are in (``?region=``), counts only."""
    membership = require(request.user, "sees_quota")
    today = timezone.localdate()
    scope = quota_scope(request.user, region=request.GET.get("region"), today=today)
    ledger = scope.ledger
    period = _period(ledger.periods, request.GET.get("period"), today) if ledger else None
    rows = ledger.for_period(period) if period else []
    for position in rows:
        position.chart = charts.municipality_chart(position, today)
        position.pace = position.monthly_pace(today)
    return render(
        request,
        "quota/dashboard.html",
        {
            "ledger": ledger,
            "period": period,
            "rows": rows,
            "totals": ledger.totals(period) if period else None,
            "today": today,
            "own_municipality_id": membership.organisation.municipality_id,
            "regions": scope.regions,
            "province": membership.organisation.province if scope.province else None,
            "shows_rows": capabilities(request.user).sees_quota_rows,
        },
    )


def _municipality_for(user, pk: int) -> Municipality:
    """A municipality whose quota the user sees (``municipalities_in_scope``), else 404."""
    require(user, "sees_quota")
    return get_object_or_404(municipalities_in_scope(user), pk=pk)


@require_safe
def quota_municipality(request: HttpRequest, pk: int) -> HttpResponse:
    """One municipality: every period with its carry-over, and the placements behind each number."""
    municipality = _municipality_for(request.user, pk)
    today = timezone.localdate()
    ledger = build_ledger(
        region=municipality.region, today=today, municipality_ids={municipality.pk}
    )
    history = [p for p in ledger.for_municipality(municipality) if p.has_target or p.realised]
    for position in history:
        position.chart = charts.municipality_chart(position, today)
        position.pace = position.monthly_pace(today)
    return render(
        request,
        "quota/municipality.html",
        {
            "municipality": municipality,
            "history": history,
            "ledger": ledger,
            "today": today,
            "shows_rows": capabilities(request.user).sees_quota_rows,
        },
    )


@require_safe
def quota_drilldown(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The households behind a municipality's realised number (and its pipeline)."""
    require(request.user, "sees_quota_rows")
    municipality = _municipality_for(request.user, pk)
    today = timezone.localdate()
    ledger = build_ledger(
        region=municipality.region, today=today, municipality_ids={municipality.pk}
    )
    selected = _period(ledger.periods, period, today)
    position = ledger.positions[(municipality.pk, selected.pk)]
    pipeline = [e for e in ledger.pipeline if e.municipality_id == municipality.pk]
    household_ids = {e.household_id for e in position.events} | {e.household_id for e in pipeline}
    households = Household.objects.visible_to(request.user).in_bulk(household_ids)
    return render(
        request,
        "quota/drilldown.html",
        {
            "municipality": municipality,
            "position": position,
            "events": [(e, households.get(e.household_id)) for e in position.events],
            "pipeline": [(e, households.get(e.household_id)) for e in pipeline]
            if selected == ledger.pipeline_period
            else [],
            "pipeline_period": ledger.pipeline_period,
            "rule": ledger.rule,
        },
    )


@require_safe
def quota_relinks(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "sees_quota_rows")
    rule = QuotaRule.for_region(membership.region)
    # Newest first, a page at a time: a region has thousands over the years.
    page = Paginator(
        counting.relink_nominations(membership.organisation.region_id).reverse(),
        RELINKS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    rows = counting.relink_rows(page.object_list, rule)
    names = dict(
        Municipality.objects.filter(region_id=membership.organisation.region_id).values_list(
            "pk", "name"
        )
    )
    # Finance needs figures and references, not where households live: no address in the rows.
    shows_addresses = capabilities(request.user).sees_home_addresses
    return render(
        request,
        "quota/relinks.html",
        {
            "rows": [
                {
                    "nomination": r.nomination,
                    "linked": names.get(r.linked_municipality_id),
                    "dwelling": names.get(r.dwelling_municipality_id),
                    "day": r.day,
                    "address": f"{r.nomination.vacancy.street}, {r.nomination.vacancy.place}"
                    if shows_addresses
                    else None,
                }
                for r in rows
            ],
            "page": page,
            "rule": rule,
            "can_open_households": capabilities(request.user).sees_pool,
            "shows_addresses": shows_addresses,
        },
    )


def quota_periods(request: HttpRequest) -> HttpResponse:
    require(request.user, "manages_quota")
    form = PeriodForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        period = form.save()
        messages.success(request, _("Period %(period)s added.") % {"period": period})
        return redirect("quota_targets", period=period.slug)
    return render(
        request,
        "quota/periods.html",
        {"form": form, "periods": QuotaPeriod.objects.order_by("-year", "-half")},
        status=400 if request.method == "POST" else 200,
    )


def quota_targets(request: HttpRequest, period: str) -> HttpResponse:
    """Targets of one period for every participating municipality: typed, or pasted."""
    membership = require(request.user, "manages_quota")
    region = membership.region
    today = timezone.localdate()
    ledger = build_ledger(region=region, today=today)
    selected = _period(ledger.periods, period, today)
    positions = {p.municipality.pk: p for p in ledger.for_period(selected)}
    previous = [p for p in ledger.periods if (p.year, p.half) < (selected.year, selected.half)]
    carried = {
        m.pk: ledger.positions[(m.pk, previous[-1].pk)].closing_balance if previous else 0
        for m in ledger.municipalities
    }

    def initial(m: Municipality) -> dict:
        pos = positions[m.pk]
        if not pos.has_target:
            return {}
        return {
            "net_target": pos.net_target,
            "opening_override": pos.opening_balance if pos.opening_overridden else None,
            "override_reason": pos.override_reason,
        }

    data = request.POST if request.method == "POST" else None
    paste_form = TargetPasteForm(
        data if data and "paste" in data else None,
        request.FILES if data and "paste" in data else None,
    )
    paste_errors: list[str] = []
    if data and "paste" in data and paste_form.is_valid():
        values, paste_errors = parse_target_table(
            paste_form.cleaned_data["table"], ledger.municipalities
        )
        if not paste_errors:
            # Show the pasted numbers in the form to check before saving (nothing stored yet).
            forms = [
                TargetForm(
                    prefix=f"m{m.pk}",
                    municipality=m,
                    carried=carried[m.pk],
                    initial={
                        **initial(m),
                        "net_target": values.get(m.pk, initial(m).get("net_target")),
                    },
                )
                for m in ledger.municipalities
            ]
            messages.info(request, _("Check the pasted numbers, then save."))
            return _targets_page(request, selected, forms, TargetPasteForm(), [], status=200)
    target_data = data if data and "save" in data else None
    forms = [
        TargetForm(
            target_data,
            prefix=f"m{m.pk}",
            municipality=m,
            carried=carried[m.pk],
            initial=initial(m),
        )
        for m in ledger.municipalities
    ]
    if target_data is not None and all(f.is_valid() for f in forms):
        rows = [
            services.TargetRow(
                municipality=f.municipality,
                net_target=f.cleaned_data["net_target"],
                opening_override=f.cleaned_data["opening_override"],
                override_reason=f.cleaned_data["override_reason"],
            )
            for f in forms
        ]
        stored = services.targets_save(region=region, period=selected, rows=rows)
        messages.success(
            request,
            ngettext(
                "%(n)s target for %(period)s saved.",
                "%(n)s targets for %(period)s saved.",
                stored,
            )
            % {"n": stored, "period": selected},
        )
        return redirect(f"{reverse('quota_dashboard')}?period={selected.slug}")
    status = 400 if data else 200
    return _targets_page(request, selected, forms, paste_form, paste_errors, status=status)


def _targets_page(request, period, forms, paste_form, paste_errors, *, status):
    return render(
        request,
        "quota/targets.html",
        {
            "period": period,
            "forms": forms,
            "paste_form": paste_form,
            "paste_errors": paste_errors,
        },
        status=status,
    )


def quota_rule(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "manages_quota")
    rule = QuotaRule.for_region(membership.region)
    form = QuotaRuleForm(request.POST if request.method == "POST" else None, instance=rule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Counting rule saved: the quota figures follow it at once."))
        return redirect("quota_dashboard")
    return render(
        request,
        "quota/rule.html",
        {"form": form, "rule": rule},
        status=400 if request.method == "POST" else 200,
    )
