"""Minimisation by purpose: caseload links (who supports a household, with which grants) and
the read-access log (who saw which household's personal data)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from regions.access import require

from ..forms import SupportGrantsForm, SupportLinkForm
from ..models import PersonalDataView, SupportLink
from .common import household_for
from .households import _household_page

LOG_PAGE_SIZE = 50


@require_POST
def support_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "manages_caseloads")
    household = household_for(request.user, pk)
    form = SupportLinkForm(request.POST, household=household)
    if form.is_valid():
        form.instance.created_by = request.user
        try:
            link = form.save()
        except IntegrityError:
            form.add_error("organisation", _("This organisation already supports this household."))
        else:
            messages.success(
                request,
                _("%(org)s now supports household %(ref)s.")
                % {"org": link.organisation, "ref": household.reference},
            )
            return redirect("household_detail", pk=household.pk)
    return _household_page(request, household, support_form=form, status=400)


def _link_for(request: HttpRequest, pk: int, link_pk: int):
    require(request.user, "manages_caseloads")
    household = household_for(request.user, pk)
    link = get_object_or_404(
        SupportLink.objects.select_related("organisation"), pk=link_pk, household=household
    )
    return household, link


@require_POST
def support_link_grants(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    household, link = _link_for(request, pk, link_pk)
    form = SupportGrantsForm(request.POST, instance=link, prefix=f"link{link.pk}")
    if form.is_valid():
        form.save()
        messages.success(
            request, _("What %(org)s may see has been saved.") % {"org": link.organisation}
        )
    return redirect("household_detail", pk=household.pk)


def support_link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Ask first (a page, no JavaScript needed), remove on the confirming POST."""
    household, link = _link_for(request, pk, link_pk)
    if request.method == "POST":
        link.delete()
        messages.success(
            request,
            _("%(org)s no longer supports household %(ref)s.")
            % {"org": link.organisation, "ref": household.reference},
        )
        return redirect("household_detail", pk=household.pk)
    return render(
        request, "placement/support_link_remove.html", {"household": household, "link": link}
    )


@require_safe
def household_read_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who read this household's personal data, when, where and what (coordinators)."""
    require(request.user, "sees_read_log")
    household = household_for(request.user, pk)
    reads = PersonalDataView.objects.filter(household=household).select_related("user")
    page = Paginator(reads, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "placement/household_read_log.html", {"household": household, "page": page}
    )


@require_safe
def my_reads(request: HttpRequest) -> HttpResponse:
    """Every user sees which households' personal data they read."""
    reads = PersonalDataView.objects.filter(user=request.user).select_related("household")
    page = Paginator(reads, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "placement/my_reads.html", {"page": page})
