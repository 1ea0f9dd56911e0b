"""The what-if page: what pooling gains, a past period replayed regionally and per municipality."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from regions.access import capabilities, get_membership, municipalities_in_scope, regions_in_scope

from . import whatif
from .whatif_forms import WhatIfForm


def _require_whatif(user) -> None:
    """The coordinator, who runs the meetings the replay repeats, and the province officer,
    who supervises the quota of its municipalities (read-only, numbers only). Others: 403."""
    caps = capabilities(user)
    if get_membership(user) is None or not (caps.runs_meetings or caps.sees_province):
        raise PermissionDenied


@require_safe
def whatif_page(request: HttpRequest) -> HttpResponse:
    _require_whatif(request.user)
    regions = list(regions_in_scope(request.user))
    if not regions:
        raise Http404
    chosen = request.GET.get("region")
    if chosen:
        # A region outside the user's scope is not there for them.
        region = next((r for r in regions if str(r.pk) == chosen), None)
        if region is None:
            raise Http404
    else:
        region = regions[0]
    today = timezone.localdate()
    form = WhatIfForm(request.GET, today=today, regions=[(str(r.pk), r.name) for r in regions])
    context = {"form": form, "region": region, "default_lease_days": whatif.DEFAULT_LEASE_DAYS}
    if form.is_bound and not form.is_valid():
        return render(request, "reports/whatif.html", context, status=400)
    start, end, seed = form.choice()
    # Fast enough to run in the request (half a year of demo data: a tenth of a second).
    result = whatif.whatif_run(region=region, start=start, end=end, seed=seed)
    # A province officer sees the rows of its own province's municipalities only.
    in_scope = municipalities_in_scope(request.user).filter(region=region)
    context["result"] = result
    context["rows"] = result.municipality_rows(only=in_scope.values_list("pk", flat=True))
    return render(request, "reports/whatif.html", context)
