"""The regional meeting: agenda, whole-meeting proposal, closing, PDFs."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from downloads.models import PreparedDownload
from regions.access import capabilities, require

from .. import meetings as meeting_service
from .. import schedule
from ..forms import AgendaAddForm, AgendaItemForm, MeetingCloseForm, MeetingForm
from ..models import AgendaItem, Meeting, Nomination, Person
from ..pdf import pdf_response, render_pdf
from .common import local_today
from .confirm import Confirmation, ask, confirm_step, confirmed


def meeting_for(user, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(user).select_related("region"), pk=pk)


@require_safe
def meeting_list(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "sees_meetings")
    today = local_today()
    upcoming = schedule.meetings_schedule(region=membership.region, today=today)
    # Each meeting says why it is not on its rule date, and whether it is off the schedule.
    schedule.annotate(upcoming, schedule.RegionCalendar.of(membership.region), today)
    past = Meeting.objects.visible_to(request.user).filter(date__lt=today).order_by("-date")[:12]
    return render(
        request,
        "placement/meeting_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "region": membership.region,
            "can_plan": capabilities(request.user).runs_meetings,
        },
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


def _sections(grouped: dict[str, list[AgendaItem]], meeting: Meeting) -> dict:
    """Per kind the items still open (what the section counts) and those with an outcome; and
    the open vacancies whose return deadline falls before the meeting: deciding them in the
    meeting is too late, so they are nominated outside it."""
    open_items = {kind: [] for kind in grouped}
    done_items = {kind: [] for kind in grouped}
    for kind, items in grouped.items():
        for item in items:
            still_open = item.outcome == AgendaItem.Outcome.OPEN
            (open_items if still_open else done_items)[kind].append(item)
    before_meeting = [
        item for item in open_items["vacancy"] if item.vacancy.return_deadline < meeting.date
    ]
    for item in before_meeting:
        item.before_meeting = True
    return {"open_items": open_items, "done_items": done_items, "before_meeting": before_meeting}


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
            **_sections(grouped, meeting),
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
    today = local_today()
    if request.method != "POST":
        form = MeetingForm(instance=meeting, today=today)
        return render(request, "placement/meeting_form.html", {"meeting": meeting, "form": form})
    with transaction.atomic():
        # A new date is checked and saved while no one else plans or moves the region's meetings.
        schedule.lock_region(meeting.region)
        form = MeetingForm(request.POST, instance=meeting, today=today)
        if form.is_valid():
            try:
                with transaction.atomic():
                    form.save()
            except IntegrityError:
                form.add_error("date", _("The region already has a meeting on this day."))
            else:
                messages.success(request, _("Meeting saved."))
                return redirect(meeting)
    return render(
        request, "placement/meeting_form.html", {"meeting": meeting, "form": form}, status=400
    )


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


@confirm_step
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "runs_meetings")
    meeting = meeting_for(request.user, pk)
    form = MeetingCloseForm(request.POST if request.method == "POST" else None)
    open_count = meeting.items.filter(outcome=AgendaItem.Outcome.OPEN).count()
    if request.method == "POST" and form.is_valid():
        undecided = form.cleaned_data["undecided"]
        if meeting.is_open and open_count and not undecided:
            # The service would refuse: say so at the choice before asking anything.
            form.add_error(
                "undecided",
                _("%(n)s agenda items have no decision yet: defer them or drop them.")
                % {"n": open_count},
            )
        elif meeting.is_open and not confirmed(request):
            return ask(request, _close_confirmation(meeting, open_count, undecided))
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


def _close_confirmation(meeting: Meeting, open_count: int, undecided: str) -> Confirmation:
    items = []
    if open_count and undecided == "defer":
        items.append(
            ngettext(
                "%(n)s agenda item without a decision moves to the next meeting.",
                "%(n)s agenda items without a decision move to the next meeting.",
                open_count,
            )
            % {"n": open_count}
        )
    elif open_count:
        items.append(
            ngettext(
                "%(n)s agenda item without a decision is dropped.",
                "%(n)s agenda items without a decision are dropped.",
                open_count,
            )
            % {"n": open_count}
        )
    return Confirmation(
        title=_("Close the meeting of %(day)s?") % {"day": date_format(meeting.date, "j F Y")},
        statement=_(
            "The meeting of %(day)s is closed: its agenda, notes and decisions can no longer "
            "change, and no more nominations are made in it."
        )
        % {"day": date_format(meeting.date, "j F Y")},
        items=items,
        note=_("This cannot be undone."),
        yes=_("Yes, close the meeting"),
        cancel_url=meeting.get_absolute_url(),
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
        if form.defers:
            # Deferring moves the item to the next meeting: the service does both at once.
            try:
                following = meeting_service.agenda_item_defer(
                    item=item,
                    today=local_today(),
                    notes=form.cleaned_data["notes"],
                    decision=form.cleaned_data["decision"],
                )
            except meeting_service.MeetingError as exc:
                form.add_error("outcome", str(exc))
            else:
                saved = True
                success = _("Deferred to the meeting of %(day)s.") % {
                    "day": date_format(following.date, "j F Y")
                }
        else:
            form.save()
            saved, success = True, _("Agenda item saved.")
        if saved and not request.htmx:
            messages.success(request, success)
            return redirect(meeting)
    if request.method == "POST":
        item.refresh_from_db()  # validation wrote the posted values onto it: show what is stored
    template = "placement/agenda_item_form.html"
    if request.htmx:
        template += "#item-form"
    return render(
        request,
        template,
        {"meeting": meeting, "item": item, "form": form, "saved": saved},
        status=400 if request.method == "POST" and not saved else 200,
    )


def _pdf_context(meeting: Meeting) -> dict:
    today = local_today()
    grouped = agenda_items(meeting)
    _annotate(grouped, today)
    return {
        "meeting": meeting,
        "items": grouped,
        **_sections(grouped, meeting),
        "attendees": list(meeting.attendees.all()),
        "today": today,
        "nominations": Nomination.objects.filter(meeting=meeting)
        .select_related("household", "vacancy__municipality", "vacancy__corporation")
        .prefetch_related("household__members")
        .order_by("created_at"),
    }


def agenda_pdf_document(
    meeting: Meeting, site: str, *, language: str | None = None
) -> tuple[bytes, str]:
    """The agenda as a PDF and its file name; ``site`` (e.g. ``https://desk.example/``) makes
    the links beside vacancies to decide before the meeting absolute."""
    context = _pdf_context(meeting)
    for item in context["before_meeting"]:
        # A link on paper, not a fetch: WeasyPrint only writes it into the PDF.
        item.candidates_url = urljoin(site, reverse("vacancy_candidates", args=[item.vacancy_id]))
    pdf = render_pdf("placement/pdf/agenda.html", context, language=language)
    return pdf, f"agenda-{meeting.region.code}-{meeting.date:%Y-%m-%d}.pdf"


def decisions_pdf_document(meeting: Meeting, *, language: str | None = None) -> tuple[bytes, str]:
    """The decision list (besluitenlijst) as a PDF and its file name."""
    context = _pdf_context(meeting)
    for nomination in context["nominations"]:
        nomination.composition = nomination.household.composition(context["today"])
    pdf = render_pdf("placement/pdf/decisions.html", context, language=language)
    return pdf, f"besluitenlijst-{meeting.region.code}-{meeting.date:%Y-%m-%d}.pdf"


def meeting_pdf_document(meeting: Meeting, kind: str, site: str) -> tuple[bytes, str]:
    """The meeting's agenda (``agenda_pdf``) or decision list (``decisions_pdf``) and its file
    name: in the request, or in the worker for a big meeting (``downloads.tasks``)."""
    if kind == "agenda_pdf":
        return agenda_pdf_document(meeting, site)
    return decisions_pdf_document(meeting)


def _meeting_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A meeting PDF; one of more than ``AGENDA_PDF_INLINE_MAX_ITEMS`` items is made in the
    background (a prepared download whose page shows the progress), not in the request."""
    meeting = meeting_for(request.user, pk)
    site = request.build_absolute_uri("/")
    if meeting.items.count() > settings.AGENDA_PDF_INLINE_MAX_ITEMS:
        return redirect(_meeting_pdf_download(request.user, meeting, kind, site))
    return pdf_response(*meeting_pdf_document(meeting, kind, site))


@require_safe
def meeting_agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_pdf(request, pk, "agenda_pdf")


def _meeting_pdf_download(user, meeting: Meeting, kind: str, site: str) -> PreparedDownload:
    """The user's agenda (``agenda_pdf``) or decision list (``decisions_pdf``) of this meeting
    still being made, or a new one (so reloading the link does not queue the same work twice)."""
    # Imported here: the downloads tasks import the exports, which import these views.
    from downloads.services import download_prepare

    pending = (
        PreparedDownload.objects.visible_to(user)
        .defer("data")
        .filter(
            kind=kind,
            parameters__meeting=meeting.pk,
            status__in=[PreparedDownload.Status.QUEUED, PreparedDownload.Status.RUNNING],
        )
        .first()
    )
    if pending is not None:
        return pending
    names = {"region": meeting.region.name, "date": date_format(meeting.date, "SHORT_DATE_FORMAT")}
    if kind == "agenda_pdf":
        title, prefix = _("Agenda %(region)s %(date)s") % names, "agenda"
    else:
        title, prefix = _("Decision list %(region)s %(date)s") % names, "besluitenlijst"
    return download_prepare(
        owner=user,
        kind=kind,
        parameters={"meeting": meeting.pk, "site": site},
        title=title,
        filename=f"{prefix}-{meeting.region.code}-{meeting.date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


@require_safe
def meeting_decisions_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_pdf(request, pk, "decisions_pdf")
