"""The province's read-only view of the regional meetings: dates and places of the meetings
of every region its municipalities are in; never an agenda (it names households)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from regions.access import regions_in_scope, require

from .. import schedule
from ..models import Meeting
from .common import local_today

# Past meetings shown per region: the last half-year, roughly.
PAST_SHOWN = 6


@require_safe
def meeting_dates(request: HttpRequest) -> HttpResponse:
    """Per region of the province: the coming meetings by the region's schedule (date, place,
    why a date moved) and the last ones held. Dates and places only."""
    membership = require(request.user, "sees_province")
    today = local_today()
    regions = []
    for region in regions_in_scope(request.user):
        # The same schedule the region's own meeting list shows (planned ahead on reading).
        upcoming = schedule.meetings_schedule(region=region, today=today)
        schedule.annotate(upcoming, schedule.RegionCalendar.of(region), today)
        past = Meeting.objects.filter(region=region, date__lt=today).order_by("-date")[:PAST_SHOWN]
        regions.append({"region": region, "upcoming": upcoming, "past": list(past)})
    return render(
        request,
        "placement/meeting_dates.html",
        {"province": membership.organisation.province, "regions": regions},
    )
