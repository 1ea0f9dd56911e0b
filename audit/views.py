"""The change history page of one record, and the privacy statement."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from billing.models import CostKey, Invoice
from placement.access_log import record_request_views
from placement.models import Household, Meeting, Nomination, Vacancy
from quota.models import QuotaRule
from regions.access import Group, capabilities, get_membership
from regions.models import Municipality

from . import history
from .privacy import role_table

# The page's URL names the kind of record in Dutch, like the app's other URLs.
KINDS = {
    "huishouden": Household,
    "woning": Vacancy,
    "voordracht": Nomination,
    "overleg": Meeting,
    "gemeente": Municipality,
    "factuur": Invoice,
    "regel": QuotaRule,
    "verdeelsleutel": CostKey,
}
PAGE_SIZE = 50
# What a household's change history shows (medical notes only as "changed": history.py).
HISTORY_GROUPS = (Group.IDENTITY, Group.BACKGROUND, Group.INCOME)


def may_see_history(user, obj) -> bool:
    """Invoices' and cost keys' history is for central finance; every other record's for
    coordinators."""
    return _may_see(user, type(obj))


def _may_see(user, model) -> bool:
    can = capabilities(user)
    billing = issubclass(model, Invoice | CostKey)
    return can.sees_invoice_history if billing else can.sees_change_history


def _record_for(user, kind: str, pk: int):
    """The record, fetched through the user's access; 403 without the capability first."""
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    if not _may_see(user, model):
        raise PermissionDenied
    if model in (Municipality, QuotaRule, CostKey):
        membership = get_membership(user)
        queryset = model.objects.filter(region_id=membership.organisation.region_id)
    else:
        queryset = model.objects.visible_to(user)
    return get_object_or_404(queryset, pk=pk)


def _back_url(obj) -> str:
    if isinstance(obj, Municipality):
        return reverse("quota_municipality", args=[obj.pk])
    if isinstance(obj, QuotaRule):
        return reverse("quota_rule")
    if isinstance(obj, CostKey):
        return reverse("billing_cost_key_edit", args=[obj.pk])
    return obj.get_absolute_url()


@require_GET
def change_history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Every change to one record, newest first, fifty per page."""
    obj = _record_for(request.user, kind, pk)
    if isinstance(obj, Household):
        # Old and new names, dates of birth, income and notes: a read of personal data.
        record_request_views(request, [(obj.pk, HISTORY_GROUPS)])
    page = Paginator(history.entries_for(obj), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "audit/change_history.html",
        {
            "object": obj,
            "back_url": _back_url(obj),
            "page": page,
            "entries": page.object_list,
        },
    )


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """What the desk stores about people, why, who sees it, how long, and whom to ask."""
    return render(
        request,
        "audit/privacy.html",
        {
            "personal_data_months": settings.RETENTION_PERSONAL_DATA_MONTHS,
            "log_months": settings.RETENTION_LOG_MONTHS,
            "contact_name": settings.PRIVACY_CONTACT_NAME,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "roles": role_table(),
        },
    )
