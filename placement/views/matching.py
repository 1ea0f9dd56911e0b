"""Matching pages: ranked households for a vacancy, "why not?", the reverse for a household, and
the proposal for a whole meeting."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from regions.access import capabilities, require

from .. import candidates, matching
from .. import meetings as meeting_service
from ..forms import NominateForm, WhyNotForm
from ..models import Household, Meeting, Vacancy
from ..nominating import NominationRefused, nomination_create
from .common import household_for, local_today, vacancy_for
from .confirm import Confirmation, ask, confirm_step, confirmed
from .meetings import meeting_for

RANK_LIMIT = 25
# A member of this age or older counts as an adult in the composition beside a proposal line.
ADULT_AGE = 18


@require_safe
def vacancy_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Households of the whole region ranked for this vacancy; ``?household=<ref>`` explains
    why one household is (not) suitable. Rendered inside the vacancy page with htmx."""
    membership = require(request.user, "sees_pool")
    vacancy = vacancy_for(request.user, pk)
    today = local_today()
    settings = matching.MatchSettings.from_settings()
    caps = candidates.rent_caps()
    region_id = membership.organisation.region_id
    free = candidates.free_places(vacancy)
    dwelling = candidates.to_dwelling(vacancy, caps, places=max(len(free), 1))
    # Candidates as plain rows, the SQL-checkable rules applied in the query; only the rows
    # shown are explained and loaded as households.
    ranked = matching.ranking(
        dwelling,
        candidates.candidates_for(region_id, [dwelling], settings),
        settings,
        today,
        limit=RANK_LIMIT,
    )
    shown = (
        Household.objects.with_sizes()
        .select_related("linked_municipality")
        .in_bulk([e.household.id for e in ranked.rows])
    )
    rows = [(shown[e.household.id], e) for e in ranked.rows]

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
                "nominatable": candidates.nominatable(region_id).filter(pk=household.pk).exists(),
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
            "suitable_count": ranked.suitable,
            "pool_count": candidates.nominatable(region_id).count(),
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


@confirm_step
def meeting_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole-meeting proposal (most places, then most persons, then highest score) beside
    the one-vacancy-at-a-time comparison; POST nominates the ticked lines."""
    require(request.user, "runs_meetings")
    meeting = meeting_for(request.user, pk)
    today = local_today()
    if request.method == "POST":
        lines = []
        for raw in request.POST.getlist("line"):
            try:
                vacancy_id, place, household_id = (int(part) for part in raw.split("-"))
            except ValueError:
                continue
            lines.append((vacancy_id, place, household_id))
        if not lines:
            messages.error(request, _("Select at least one line to nominate."))
            return redirect("meeting_proposal", pk=meeting.pk)
        if meeting.is_open and not confirmed(request):
            return ask(request, _nominate_confirmation(meeting, lines))
        try:
            result = meeting_service.proposal_accept(
                meeting=meeting, lines=lines, by=request.user, today=today
            )
        except meeting_service.MeetingError as exc:
            messages.error(request, str(exc))
            return redirect(meeting)
        if result.created:
            messages.success(request, _("%(n)s nominations made.") % {"n": len(result.created)})
        for label, message in result.refused:
            messages.error(request, f"{label}: {message}")
        return redirect(meeting)
    proposal = meeting_service.meeting_proposal(meeting=meeting, today=today)
    rows = _proposal_rows(proposal, matching.MatchSettings.from_settings(), today)
    return render(
        request,
        "placement/meeting_proposal.html",
        {
            "meeting": meeting,
            "rows": rows,
            "optimal": proposal.optimal,
            "greedy": proposal.greedy,
            "weak_count": sum(1 for row in rows if row["weak"]),
            "place_count": sum(len(p) for p in proposal.place_numbers.values()),
            "pool_count": proposal.pool_count,
            "weak_rules": matching.weak_rules(),
        },
    )


def _nominate_confirmation(meeting: Meeting, lines: list[tuple[int, int, int]]) -> Confirmation:
    """Every nomination the ticked lines make, by household and dwelling (two queries)."""
    vacancies = Vacancy.objects.filter(municipality__region_id=meeting.region_id).in_bulk(
        {vacancy_id for vacancy_id, _place, _household_id in lines}
    )
    references = dict(
        Household.objects.filter(
            linked_municipality__region_id=meeting.region_id,
            pk__in={household_id for _vacancy_id, _place, household_id in lines},
        ).values_list("pk", "reference")
    )
    items = []
    for vacancy_id, place, household_id in lines:
        vacancy = vacancies.get(vacancy_id)
        text = f"{references.get(household_id, household_id)} → {vacancy or vacancy_id}"
        if vacancy is not None and vacancy.places > 1:
            text += ", " + _("place %(n)s") % {"n": place}
        items.append(text)
    return Confirmation(
        title=_("Nominate the ticked lines?"),
        statement=ngettext(
            "%(n)s nomination is made in this meeting:",
            "%(n)s nominations are made in this meeting:",
            len(lines),
        )
        % {"n": len(lines)},
        items=items,
        note=_("This cannot be undone at once: each nomination can only be cancelled on its own."),
        yes=ngettext("Yes, make %(n)s nomination", "Yes, make %(n)s nominations", len(lines))
        % {"n": len(lines)},
        cancel_url=reverse("meeting_proposal", args=[meeting.pk]),
    )


def composition_text(composition: dict) -> str:
    """E.g. "3 (+1 expected): 2 adults, 1 child": the members present, those expected later,
    and the present ones by age. Meeting data only (sizes and ages), no names."""
    adults = sum(1 for age in composition["ages"] if age >= ADULT_AGE)
    children = len(composition["ages"]) - adults
    text = str(composition["size"])
    later = composition["expected_size"] - composition["size"]
    if later:
        text += " " + _("(+%(n)s expected)") % {"n": later}
    parts = []
    if adults:
        parts.append(ngettext("%(n)s adult", "%(n)s adults", adults) % {"n": adults})
    if children:
        parts.append(ngettext("%(n)s child", "%(n)s children", children) % {"n": children})
    if parts:
        text += ": " + ", ".join(parts)
    return text


def _proposal_rows(
    proposal: meeting_service.MeetingProposal,
    settings: matching.MatchSettings,
    today,
) -> list[dict]:
    """One row per free place: the proposed household with its composition, what makes the
    line weak (then it starts unticked) and why it was chosen, beside the greedy choice."""
    greedy = {(line.dwelling_id, line.place): line for line in proposal.greedy.lines}
    optimal = {(line.dwelling_id, line.place): line for line in proposal.optimal.lines}
    reviews = matching.review(proposal.optimal, proposal.evaluation, settings)
    # Members of the households shown only, in one query.
    shown = {line.household_id for line in proposal.optimal.lines}
    prefetch_related_objects([proposal.households[pk] for pk in shown], "members")
    rows = []
    for vacancy_id, places in proposal.place_numbers.items():
        vacancy = proposal.vacancies[vacancy_id]
        for index, place in enumerate(places, start=1):
            best = optimal.get((vacancy_id, index))
            other = greedy.get((vacancy_id, index))
            household = proposal.households.get(best.household_id) if best else None
            review = reviews.get((vacancy_id, index))
            rows.append(
                {
                    "vacancy": vacancy,
                    "place": place,
                    "household": household,
                    "composition": composition_text(household.composition(today))
                    if household
                    else "",
                    "score": best.score if best else None,
                    "weak": review.weak if review else [],
                    "reasons": review.reasons if review else [],
                    "greedy_household": proposal.households.get(other.household_id)
                    if other
                    else None,
                    "greedy_score": other.score if other else None,
                    "value": f"{vacancy_id}-{place}-{best.household_id}" if best else "",
                }
            )
    return rows
