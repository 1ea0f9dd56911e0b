"""The regional meeting: agenda, whole-meeting proposal, closing, PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from regions.access import capabilities, require

from .. import meetings as meeting_service
from ..forms import AgendaAddForm, AgendaItemForm, MeetingCloseForm, MeetingForm
from ..models import AgendaItem, Meeting, Nomination, Person
from ..pdf import pdf_response, render_pdf
from .common import local_today


def meeting_for(user, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(user).select_related("region"), pk=pk)


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "sees_meetings")
    today = local_today()
    upcoming = meeting_service.meetings_schedule(region=membership.region, today=today)
    past = Meeting.objects.visible_to(request.user).filter(date__lt=today).order_by("-date")[:12]
    return render(
        request,
        "placement/meeting_list.html",
        {"upcoming": upcoming, "past": past, "region": membership.region},
    )


def agenda_items(meeting: Meeting) -> dict[str, list[AgendaItem]]:
    """The agenda grouped by kind, with everything the page and the PDFs show preloaded."""
    main = Prefetch(
        "household__members",
        queryset=Person.objects.order_by("date_of_birth"),
    )
    items = (
        meeting.items.select_related(
            "vacancy__municipality",
            "vacancy__corporation",
            "household__linked_municipality",
            "nomination__household__linked_municipality",
            "nomination__vacancy__municipality",
            "nomination__vacancy__corporation",
        )
        .prefetch_related(main, Prefetch("nomination__household__members"))
        .order_by("kind", "position", "id")
    )
    grouped: dict[str, list[AgendaItem]] = {kind: [] for kind in AgendaItem.Kind.values}
    for item in items:
        grouped[item.kind].append(item)
    return grouped


def _annotate(grouped: dict[str, list[AgendaItem]], today) -> None:
    for item in grouped["household"]:
        item.composition = item.household.composition(today)
    for item in grouped["nomination"]:
        item.composition = item.nomination.household.composition(today)


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    today = local_today()
    grouped = agenda_items(meeting)
    _annotate(grouped, today)
    can = capabilities(request.user)
    return render(
        request,
        "placement/meeting_detail.html",
        {
            "meeting": meeting,
            "items": grouped,
            "attendees": list(meeting.attendees.all()),
            "today": today,
            "can_run": can.runs_meetings and meeting.is_open,
            "close_form": MeetingCloseForm(),
            "decisions": Nomination.objects.filter(meeting=meeting)
            .select_related("household", "vacancy")
            .order_by("created_at"),
        },
    )


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "runs_meetings")
    meeting = meeting_for(request.user, pk)
    if not meeting.is_open:
        messages.error(request, _("A closed meeting cannot be changed."))
        return redirect(meeting)
    form = MeetingForm(request.POST if request.method == "POST" else None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Meeting saved."))
        return redirect(meeting)
    return render(request, "placement/meeting_form.html", {"meeting": meeting, "form": form})


@require_POST
def meeting_build_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "runs_meetings")
    meeting = meeting_for(request.user, pk)
    try:
        added = meeting_service.agenda_build(meeting=meeting, today=local_today())
    except meeting_service.MeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Agenda updated: %(n)s items added.") % {"n": added})
    return redirect(meeting)


def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a household or vacancy on the agenda by hand (besides what the data brings)."""
    require(request.user, "runs_meetings")
    meeting = meeting_for(request.user, pk)
    form = AgendaAddForm(
        request.POST if request.method == "POST" else None, meeting=meeting, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_service.agenda_add(
                meeting=meeting,
                household=form.cleaned_data["household"],
                vacancy=form.cleaned_data["vacancy"],
            )
        except meeting_service.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Added to the agenda."))
            return redirect(meeting)
    return render(
        request,
        "placement/agenda_add.html",
        {"meeting": meeting, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def meeting_start(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "runs_meetings")
    meeting = meeting_for(request.user, pk)
    try:
        meeting_service.meeting_start(meeting=meeting)
    except meeting_service.MeetingError as exc:
        messages.error(request, str(exc))
    return redirect(meeting)


def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "runs_meetings")
    meeting = meeting_for(request.user, pk)
    form = MeetingCloseForm(request.POST if request.method == "POST" else None)
    open_count = meeting.items.filter(outcome=AgendaItem.Outcome.OPEN).count()
    if request.method == "POST" and form.is_valid():
        try:
            meeting_service.meeting_close(
                meeting=meeting,
                undecided=form.cleaned_data["undecided"] or None,
                today=local_today(),
            )
        except meeting_service.MeetingError as exc:
            form.add_error("undecided", str(exc))
        else:
            messages.success(request, _("Meeting closed."))
            return redirect(meeting)
    return render(
        request,
        "placement/meeting_close.html",
        {"meeting": meeting, "form": form, "open_count": open_count},
        status=400 if request.method == "POST" else 200,
    )


def agenda_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Notes, decision and outcome of one agenda item (inline with htmx, a page without)."""
    require(request.user, "runs_meetings")
    meeting = meeting_for(request.user, pk)
    item = get_object_or_404(meeting.items, pk=item_pk)
    form = AgendaItemForm(
        request.POST if request.method == "POST" else None, instance=item, prefix=f"item{item.pk}"
    )
    saved = False
    if request.method == "POST" and meeting.is_open and form.is_valid():
        form.save()
        saved = True
        if not request.htmx:
            messages.success(request, _("Agenda item saved."))
            return redirect(meeting)
    template = "placement/agenda_item_form.html"
    if request.htmx:
        template += "#item-form"
    return render(
        request,
        template,
        {"meeting": meeting, "item": item, "form": form, "saved": saved},
        status=400 if request.method == "POST" and not saved else 200,
    )


def meeting_proposal(request: HttpRequest, pk: int) -> HttpResponse:
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
    rows = _proposal_rows(proposal)
    return render(
        request,
        "placement/meeting_proposal.html",
        {
            "meeting": meeting,
            "rows": rows,
            "optimal_total": proposal.optimal.total,
            "greedy_total": proposal.greedy.total,
            "optimal_count": len(proposal.optimal.lines),
            "greedy_count": len(proposal.greedy.lines),
            "place_count": sum(len(p) for p in proposal.place_numbers.values()),
            "pool_count": len(proposal.households),
        },
    )


def _proposal_rows(proposal: meeting_service.MeetingProposal) -> list[dict]:
    """One row per free place: the optimal choice beside the greedy one."""
    greedy = {(line.dwelling_id, line.place): line for line in proposal.greedy.lines}
    optimal = {(line.dwelling_id, line.place): line for line in proposal.optimal.lines}
    rows = []
    for vacancy_id, places in proposal.place_numbers.items():
        vacancy = proposal.vacancies[vacancy_id]
        for index, place in enumerate(places, start=1):
            best = optimal.get((vacancy_id, index))
            other = greedy.get((vacancy_id, index))
            rows.append(
                {
                    "vacancy": vacancy,
                    "place": place,
                    "household": proposal.households.get(best.household_id) if best else None,
                    "score": best.score if best else None,
                    "greedy_household": proposal.households.get(other.household_id)
                    if other
                    else None,
                    "greedy_score": other.score if other else None,
                    "value": f"{vacancy_id}-{place}-{best.household_id}" if best else "",
                }
            )
    return rows


def _pdf_context(meeting: Meeting) -> dict:
    today = local_today()
    grouped = agenda_items(meeting)
    _annotate(grouped, today)
    return {
        "meeting": meeting,
        "items": grouped,
        "attendees": list(meeting.attendees.all()),
        "today": today,
        "nominations": Nomination.objects.filter(meeting=meeting)
        .select_related("household", "vacancy__municipality", "vacancy__corporation")
        .prefetch_related("household__members")
        .order_by("created_at"),
    }


@require_safe
def meeting_agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    pdf = render_pdf("placement/pdf/agenda.html", _pdf_context(meeting))
    return pdf_response(pdf, f"agenda-{meeting.region.code}-{meeting.date:%Y-%m-%d}.pdf")


@require_safe
def meeting_decisions_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    context = _pdf_context(meeting)
    for nomination in context["nominations"]:
        nomination.composition = nomination.household.composition(context["today"])
    pdf = render_pdf("placement/pdf/decisions.html", context)
    return pdf_response(pdf, f"besluitenlijst-{meeting.region.code}-{meeting.date:%Y-%m-%d}.pdf")
