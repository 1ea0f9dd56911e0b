"""Matching pages: ranked households for a vacancy, "why not?", and the reverse for a household."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from regions.access import capabilities, require

from .. import candidates, matching
from ..forms import NominateForm, WhyNotForm
from ..models import Household, Meeting, Vacancy
from ..nominating import NominationRefused, nomination_create
from .common import household_for, local_today, vacancy_for

RANK_LIMIT = 25


@require_safe
def vacancy_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Households of the whole region ranked for this vacancy; ``?household=<ref>`` explains
    why one household is (not) suitable. Rendered inside the vacancy page with htmx."""
    membership = require(request.user, "sees_pool")
    vacancy = vacancy_for(request.user, pk)
    today = local_today()
    settings = matching.MatchSettings.from_settings()
    caps = candidates.rent_caps()
    pool = list(candidates.nominatable_households(membership.organisation.region_id))
    free = candidates.free_places(vacancy)
    dwelling = candidates.to_dwelling(vacancy, caps, places=max(len(free), 1))
    ranked = matching.rank(dwelling, candidates.to_candidates(pool), settings, today)
    by_id = {h.pk: h for h in pool}
    rows = [(by_id[e.household.id], e) for e in ranked[:RANK_LIMIT]]

    why_not = None
    why_not_form = WhyNotForm(request.GET)
    reference = why_not_form.cleaned_data["household"] if why_not_form.is_valid() else ""
    if reference:
        household = (
            Household.objects.visible_to(request.user)
            .with_sizes()
            .filter(reference__iexact=reference)
            .first()
        )
        if household is None:
            why_not = {"missing": reference}
        else:
            why_not = {
                "household": household,
                "explanation": matching.explain(
                    dwelling, candidates.to_candidate(household), settings, today
                ),
                "nominatable": household.pk in by_id,
            }
    can_nominate = (
        capabilities(request.user).runs_meetings
        and vacancy.status in (Vacancy.Status.ACCEPTED, Vacancy.Status.ON_AGENDA)
        and bool(free)
    )
    template = "placement/vacancy_candidates.html"
    if request.htmx:
        template += "#candidates"
    return render(
        request,
        template,
        {
            "vacancy": vacancy,
            "rows": rows,
            "suitable_count": len(ranked),
            "pool_count": len(pool),
            "why_not": why_not,
            "reference": reference,
            "why_not_form": why_not_form,
            "free_places": free,
            "can_nominate": can_nominate,
            "rules": matching.RULE_LABELS,
            "settings": settings,
        },
    )


@require_POST
def vacancy_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = require(request.user, "runs_meetings")
    vacancy = vacancy_for(request.user, pk)
    form = NominateForm(
        request.POST,
        households=Household.objects.visible_to(request.user),
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("vacancy_candidates", pk=pk)
    meeting = (
        Meeting.objects.filter(
            region_id=membership.organisation.region_id,
            status=Meeting.Status.IN_PROGRESS,
        )
        .order_by("date")
        .first()
    )
    try:
        nomination = nomination_create(
            vacancy=vacancy,
            household=form.cleaned_data["household"],
            by=request.user,
            meeting=meeting,
            override_reason=form.cleaned_data["override_reason"],
        )
    except NominationRefused as exc:
        messages.error(request, " ".join([str(exc), *exc.reasons]))
        if exc.reasons:
            messages.info(
                request,
                _("To nominate anyway, write a justification; it is recorded."),
            )
        reference = form.cleaned_data["household"].reference
        return redirect(f"{reverse('vacancy_candidates', args=[pk])}?household={reference}")
    messages.success(
        request,
        _("%(ref)s nominated for %(vacancy)s.")
        % {"ref": nomination.household.reference, "vacancy": vacancy},
    )
    return redirect(nomination)


@require_safe
def household_vacancies(request: HttpRequest, pk: int) -> HttpResponse:
    """The reverse: vacancies of the region this household fits, best first."""
    household = household_for(request.user, pk)
    sized = Household.objects.with_sizes().get(pk=household.pk)
    today = local_today()
    vacancies = list(
        Vacancy.objects.visible_to(request.user)
        .filter(status__in=[Vacancy.Status.ACCEPTED, Vacancy.Status.ON_AGENDA])
        .select_related("municipality", "corporation")
    )
    caps = candidates.rent_caps()
    dwellings = [candidates.to_dwelling(v, caps) for v in vacancies]
    results = matching.fitting_dwellings(
        candidates.to_candidate(sized), dwellings, matching.MatchSettings.from_settings(), today
    )
    by_id = {v.pk: v for v in vacancies}
    return render(
        request,
        "placement/household_vacancies.html",
        {
            "household": sized,
            "rows": [(by_id[e.dwelling.id], e) for e in results],
            "fits_count": sum(1 for e in results if e.fits),
        },
    )
