"""The people at a meeting, for the pages of the placement app that show one (the meeting page
and its agenda PDF load these tags, so placement itself never imports the who's who)."""

from __future__ import annotations

from django import template

from regions.access import capabilities

from ..models import Participant

register = template.Library()


def attending(meeting) -> list[Participant]:
    return list(
        Participant.objects.filter(attendances__meeting=meeting)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


@register.inclusion_tag("directory/includes/meeting_people.html", takes_context=True)
def meeting_people(context, meeting):
    """The people picked for the meeting, and for the coordinator the link to pick them."""
    user = context["request"].user
    return {
        "meeting": meeting,
        "people": attending(meeting),
        "can_pick": capabilities(user).manages_directory and meeting.is_open,
    }


@register.inclusion_tag("directory/includes/meeting_people_pdf.html")
def meeting_people_pdf(meeting):
    """The attendees on the printed agenda: name, organisation and role at the table."""
    return {"people": attending(meeting)}
