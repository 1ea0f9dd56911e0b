"""``{% change_history object %}``: the "Changes" section of a detail page, for those who may
see it (nobody else gets a trace of it in the page)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from audit import history
from audit.models import Anonymisation
from audit.views import KINDS, may_see_history
from placement.models import Household

register = template.Library()

SHOWN = 10


@register.inclusion_tag("audit/history_section.html", takes_context=True)
def change_history(context, obj) -> dict:
    request = context.get("request")
    if request is None or not may_see_history(request.user, obj):
        return {"shown": False}
    entries = history.entries_for(obj)
    kind = next(k for k, model in KINDS.items() if isinstance(obj, model))
    anonymised = (
        Anonymisation.objects.filter(household=obj).first() if isinstance(obj, Household) else None
    )
    return {
        "shown": True,
        "entries": entries[:SHOWN],
        "total": len(entries),
        "more": len(entries) > SHOWN,
        "all_url": reverse("change_history", args=[kind, obj.pk]),
        "anonymised": anonymised,
    }
