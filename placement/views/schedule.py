"""The meeting schedule page (Vergaderschema): the region's meeting rule, its closed days, and
the planned meetings off the schedule that wait for the coordinator's decision."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regions.access import require
from regions.models import ClosedDay, Region

from .. import schedule
from ..forms import ClosedDayForm, MeetingRuleForm
from ..models import Meeting
from .common import local_today

FOLLOW_ACTIONS = ("move", "keep")


def _replan_message(result: schedule.Replan) -> str:
    parts = [
        ngettext(
            "%(n)s planned meeting moved to the new date.",
            "%(n)s planned meetings moved to the new date.",
            len(result.moved),
        )
        % {"n": len(result.moved)}
    ]
    if result.created:
        parts.append(
            ngettext("%(n)s meeting planned.", "%(n)s meetings planned.", len(result.created))
            % {"n": len(result.created)}
        )
    if result.removed:
        parts.append(
            ngettext(
                "%(n)s empty meeting removed.", "%(n)s empty meetings removed.", result.removed
            )
            % {"n": result.removed}
        )
    if result.to_decide:
        parts.append(
            ngettext(
                "%(n)s meeting with an agenda waits for your decision: move it or keep it.",
                "%(n)s meetings with an agenda wait for your decision: move or keep each.",
                len(result.to_decide),
            )
            % {"n": len(result.to_decide)}
        )
    return " ".join(parts)


def _posted_id(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404 from None


def meeting_schedule(request: HttpRequest) -> HttpResponse:
    """The coordinator's page for the schedule of their own region."""
    membership = require(request.user, "runs_meetings")
    region = Region.objects.get(pk=membership.organisation.region_id)
    today = local_today()
    rule_form = MeetingRuleForm(instance=region, prefix="rule")
    closed_form = ClosedDayForm(region=region, today=today, prefix="closed")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "rule":
            rule_form = MeetingRuleForm(
                request.POST, instance=Region.objects.get(pk=region.pk), prefix="rule"
            )
            if rule_form.is_valid():
                result = schedule.meeting_rule_change(
                    region=region,
                    week=rule_form.cleaned_data["meeting_week"],
                    weekday=rule_form.cleaned_data["meeting_weekday"],
                    today=today,
                )
                messages.success(request, _("Meeting rule saved.") + " " + _replan_message(result))
                return redirect("meeting_schedule")
        elif action == "closed_add":
            closed_form = ClosedDayForm(request.POST, region=region, today=today, prefix="closed")
            if closed_form.is_valid():
                with transaction.atomic():
                    schedule.lock_region(region)
                    closed_form.save()
                    result = schedule.schedule_replan(region=region, today=today)
                messages.success(request, _("Closed days saved.") + " " + _replan_message(result))
                return redirect("meeting_schedule")
        elif action == "closed_remove":
            closed = ClosedDay.objects.filter(
                region=region, pk=_posted_id(request, "closed_day")
            ).first()
            if closed is None:
                raise Http404
            with transaction.atomic():
                schedule.lock_region(region)
                closed.delete()
                result = schedule.schedule_replan(region=region, today=today)
            messages.success(request, _("Closed days removed.") + " " + _replan_message(result))
            return redirect("meeting_schedule")
        elif action in FOLLOW_ACTIONS:
            meeting = (
                Meeting.objects.visible_to(request.user)
                .filter(pk=_posted_id(request, "meeting"))
                .first()
            )
            if meeting is None:
                raise Http404
            try:
                meeting = schedule.meeting_follow(
                    meeting=meeting, keep=action == "keep", today=today
                )
            except schedule.ScheduleError as exc:
                messages.error(request, str(exc))
            else:
                text = (
                    _("The meeting stays on %(day)s.")
                    if action == "keep"
                    else _("The meeting moved to %(day)s.")
                )
                messages.success(request, text % {"day": schedule.day_label(meeting.date)})
            return redirect("meeting_schedule")
        status = 400
    else:
        status = 200
        # Opening the page plans what is missing and moves empty meetings along.
        schedule.schedule_replan(region=region, today=today)

    calendar = schedule.RegionCalendar.of(region)
    slots = schedule.schedule_ahead(calendar, today)
    return render(
        request,
        "placement/meeting_schedule.html",
        {
            "region": region,
            "rule_form": rule_form,
            "closed_form": closed_form,
            "closed_days": ClosedDay.objects.filter(region=region, end_date__gte=today),
            "slots": slots,
            "off_schedule": schedule.off_schedule_meetings(region, calendar, today),
        },
        status=status,
    )
