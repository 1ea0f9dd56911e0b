"""Who's who: the region's organisations and their people at the table.

Thin views: fetch through ``Participant.objects.visible_to`` (another region: 404), check the
capability (``sees_directory``, ``manages_directory``: 403), call a service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from exchange import spreadsheet
from exchange.spreadsheet import Column, Kind
from placement.models import Meeting
from placement.views.common import local_today
from placement.views.confirm import Confirmation, ask, confirm_step, confirmed
from regions.access import capabilities, require
from regions.models import Organisation

from . import services, vcard
from .forms import (
    REGION_KINDS,
    AttendanceForm,
    OrganisationForm,
    OwnEntryForm,
    ParticipantForm,
    region_organisations,
)
from .models import Attendance, Participant

# How many of a person's next meetings the list names (the rest are counted).
NEXT_MEETINGS = 3
SECTION_TITLES = {
    Organisation.Kind.DESK: gettext_lazy("Central desk"),
    Organisation.Kind.MUNICIPALITY: gettext_lazy("Municipalities"),
    Organisation.Kind.CORPORATION: gettext_lazy("Housing corporations"),
    Organisation.Kind.SUPPORT: gettext_lazy("Support organisations"),
}


def participant_for(user, pk: int, *, edit: bool = False) -> Participant:
    """A participant through the user's access: another region's is a 404; one the user may
    see but not change is a 403."""
    participant = get_object_or_404(
        Participant.objects.visible_to(user).select_related("organisation", "user"), pk=pk
    )
    if edit and not Participant.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied
    return participant


def _participants(region_id: int, today, *, active: bool = True):
    upcoming = Attendance.objects.filter(meeting__date__gte=today).select_related("meeting")
    return (
        Participant.objects.filter(organisation__region_id=region_id, active=active)
        .select_related("organisation", "user")
        .annotate(
            upcoming_count=Count("attendances", filter=Q(attendances__meeting__date__gte=today)),
            attended_count=Count("attendances", filter=Q(attendances__meeting__date__lt=today)),
        )
        .prefetch_related(
            Prefetch("attendances", queryset=upcoming.order_by("meeting__date"), to_attr="upcoming")
        )
        .order_by("organisation__name", "name")
    )


@require_safe
def directory_list(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "sees_directory")
    can = capabilities(request.user)
    today = local_today()
    region = membership.region
    people: dict[int, list[Participant]] = {}
    for participant in _participants(region.pk, today):
        participant.tel = vcard.tel_uri(participant.phone)
        participant.next_meetings = participant.upcoming[:NEXT_MEETINGS]
        people.setdefault(participant.organisation_id, []).append(participant)
    sections = []
    for kind in REGION_KINDS:
        organisations = [
            (organisation, people.get(organisation.pk, []))
            for organisation in region_organisations(region).filter(kind=kind)
        ]
        if organisations:
            sections.append((kind, SECTION_TITLES[kind], organisations))
    inactive = list(_participants(region.pk, today, active=False)) if can.manages_directory else []
    return render(
        request,
        "directory/directory_list.html",
        {
            "region": region,
            "sections": sections,
            "count": sum(len(p) for p in people.values()),
            "inactive": inactive,
            "can_manage": can.manages_directory,
            "sees_meetings": can.sees_meetings,
            "own_entry": Participant.objects.filter(user=request.user, active=True).first(),
        },
    )


def participant_create(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "manages_directory")
    initial = {}
    if (organisation := request.GET.get("organisation", "")).isdigit():
        initial["organisation"] = organisation
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        region=membership.region,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        participant = form.save()
        messages.success(request, _("%(name)s is at the table.") % {"name": participant.name})
        return redirect("directory_list")
    return render(
        request,
        "directory/participant_form.html",
        {"form": form, "participant": None},
        status=400 if request.method == "POST" else 200,
    )


def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator edits every field; the person whose account is linked their own name,
    e-mail and phone; anyone else of the region is refused."""
    participant = participant_for(request.user, pk, edit=True)
    data = request.POST if request.method == "POST" else None
    if capabilities(request.user).manages_directory:
        form = ParticipantForm(data, instance=participant, region=participant.organisation.region)
    else:
        form = OwnEntryForm(data, instance=participant)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Entry saved."))
        return redirect("directory_list")
    return render(
        request,
        "directory/participant_form.html",
        {"form": form, "participant": participant},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@confirm_step
def participant_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "manages_directory")
    participant = participant_for(request.user, pk)
    gone = _("%(name)s is no longer at the table.") % {"name": participant.name}
    if not participant.active:
        messages.info(request, gone)
        return redirect("directory_list")
    today = local_today()
    if not confirmed(request):
        upcoming = participant.attendances.filter(
            meeting__date__gte=today, meeting__status=Meeting.Status.PLANNED
        ).select_related("meeting")
        return ask(
            request,
            Confirmation(
                title=_("Take %(name)s off the table?") % {"name": participant.name},
                statement=_(
                    "%(name)s (%(organisation)s) is no longer listed among the people at the "
                    "table and no longer attends the meetings still to come."
                )
                % {"name": participant.name, "organisation": participant.organisation.name},
                items=[
                    _("Attends the meeting of %(day)s: taken off.")
                    % {"day": date_format(a.meeting.date, "j F Y")}
                    for a in upcoming
                ],
                note=_(
                    "Past meetings keep their attendance. To bring the person back, tick "
                    "“at the table” on their entry."
                ),
                yes=_("Yes, take off the table"),
                cancel_url=reverse("directory_list"),
            ),
        )
    services.participant_deactivate(participant=participant, today=today)
    messages.success(request, gone)
    return redirect("directory_list")


def organisation_create(request: HttpRequest) -> HttpResponse:
    return _organisation_form(request, None)


def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _organisation_form(request, pk)


def _organisation_form(request: HttpRequest, pk: int | None) -> HttpResponse:
    membership = require(request.user, "manages_directory")
    region = membership.region
    organisation = get_object_or_404(region_organisations(region), pk=pk) if pk else None
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=organisation, region=region
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Organisation %(name)s saved.") % {"name": saved.name})
        return redirect("directory_list")
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=400 if request.method == "POST" else 200,
    )


def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator picks who of the table attends a meeting."""
    require(request.user, "manages_directory")
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    if not meeting.is_open:
        messages.error(request, _("A closed meeting cannot be changed."))
        return redirect(meeting)
    current = list(meeting.attendances.values_list("participant_id", flat=True))
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        region=meeting.region,
        initial={"participants": current},
    )
    if request.method == "POST" and form.is_valid():
        picked = services.attendance_set(
            meeting=meeting, participants=form.cleaned_data["participants"]
        )
        messages.success(
            request, _("Attendees saved: %(n)s people at the table.") % {"n": len(picked)}
        )
        return redirect(meeting)
    return render(
        request,
        "directory/meeting_attendance.html",
        {"meeting": meeting, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _export_rows(request: HttpRequest):
    membership = require(request.user, "sees_directory")
    return membership.region, _participants(membership.region.pk, local_today())


@require_safe
def directory_vcard(request: HttpRequest) -> HttpResponse:
    region, participants = _export_rows(request)
    response = HttpResponse(vcard.vcards(participants), content_type="text/vcard; charset=utf-8")
    name = spreadsheet.filename(f"{_('participants')}-{region.code}", "vcf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def directory_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in spreadsheet.FORMATS:
        raise Http404
    region, participants = _export_rows(request)
    kinds = dict(Organisation.Kind.choices)
    columns = [
        Column(_("Organisation"), value=lambda p: p.organisation.name),
        Column(_("Kind"), value=lambda p: kinds.get(p.organisation.kind, "")),
        Column(_("Name"), value="name"),
        Column(_("Role at the table"), value=lambda p: p.get_table_role_display()),
        Column(_("E-mail"), value="email"),
        Column(_("Phone"), value="phone"),
        Column(
            _("Next meeting"),
            Kind.DATE,
            value=lambda p: p.upcoming[0].meeting.date if p.upcoming else None,
        ),
        Column(_("Meetings to come"), Kind.INTEGER, value="upcoming_count"),
        Column(_("Meetings attended"), Kind.INTEGER, value="attended_count"),
    ]
    return spreadsheet.response(
        fmt,
        f"{_('participants')}-{region.code}",
        columns,
        participants,
        title=_("Participants"),
    )
