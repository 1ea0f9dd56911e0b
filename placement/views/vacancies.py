"""Pages of the placement desk. Views parse, authorise (``regions.access`` and the models'
``visible_to`` querysets), call a service and render; they hold no rules of their own."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from regions.access import capabilities, get_membership, require

from .. import services
from ..filters import vacancy_filter_for
from ..forms import (
    VacancyForm,
    VacancyReturnForm,
)
from ..models import Vacancy
from ..tables import VacancyTable
from .common import configure_table, local_today, transition_and_report, vacancy_for
from .confirm import Confirmation, ask, confirm_step, confirmed
from .list_state import remembered_params

# --- Vacancies ------------------------------------------------------------------------------


@require_safe
def vacancy_list(request: HttpRequest) -> HttpResponse:
    """A corporation starts at its active vacancies, newest first ("Ons woningaanbod"); the
    desk and the others at those still to be placed, most urgent return deadline first."""
    membership = require(request.user, "sees_vacancies")
    can = capabilities(request.user)
    today = local_today()
    order_by = ("-created_at",) if can.submits_vacancies else ("return_deadline",)
    request.GET = remembered_params(request, "vacancies")
    vacancy_filter = vacancy_filter_for(
        request.user, request.GET, region_id=membership.organisation.region_id
    )
    # A corporation sees its own vacancies: no corporation column, but when each was submitted.
    exclude = ("corporation",) if can.submits_vacancies else ("created_at",)
    table = VacancyTable(vacancy_filter.qs, today=today, exclude=exclude, order_by=order_by)
    configure_table(request, table)
    template = "placement/vacancy_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": vacancy_filter, "table": table})


@require_safe
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = vacancy_for(request.user, pk)
    can = capabilities(request.user)
    return render(
        request,
        "placement/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "return_form": VacancyReturnForm() if can.reviews_vacancies else None,
            "nominations": vacancy.nominations.select_related("household").order_by("-created_at")
            if can.sees_nominations
            else [],
            "corporation_may_edit": can.submits_vacancies
            and vacancy.status in Vacancy.CORPORATION_EDITABLE,
            "today": local_today(),
        },
    )


def vacancy_create(request: HttpRequest) -> HttpResponse:
    membership = get_membership(request.user)
    can = capabilities(request.user)
    if not (can.submits_vacancies or can.reviews_vacancies):
        require(request.user, "submits_vacancies")  # raises 403
    if request.method == "POST":
        form = VacancyForm(request.POST, membership=membership)
        if form.is_valid():
            vacancy = services.vacancy_submit(vacancy=form.save(commit=False), by=request.user)
            messages.success(
                request,
                _("Vacancy %(address)s submitted. The desk will review it.") % {"address": vacancy},
            )
            for warning in vacancy.date_warnings():
                messages.warning(request, warning)
            return redirect("vacancy_detail", pk=vacancy.pk)
    else:
        form = VacancyForm(membership=membership)
    return render(request, "placement/vacancy_form.html", {"form": form, "vacancy": None})


def vacancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership(request.user)
    vacancy = vacancy_for(request.user, pk)
    can = capabilities(request.user)
    if not (can.submits_vacancies or can.reviews_vacancies):
        require(request.user, "reviews_vacancies")  # 403
    editable = Vacancy.CORPORATION_EDITABLE if can.submits_vacancies else Vacancy.DESK_EDITABLE
    if vacancy.status not in editable:
        messages.error(
            request,
            _("A vacancy that is “%(status)s” can no longer be changed here.")
            % {"status": vacancy.get_status_display()},
        )
        return redirect("vacancy_detail", pk=pk)
    if request.method == "POST":
        form = VacancyForm(request.POST, instance=vacancy, membership=membership)
        if form.is_valid():
            was_returned = vacancy.status == Vacancy.Status.RETURNED
            vacancy = form.save(commit=False)
            if was_returned and can.submits_vacancies:
                services.vacancy_resubmit(vacancy=vacancy)
                messages.success(request, _("Vacancy changed and submitted again."))
            else:
                # Only what the form shows: the status may have moved on during the request.
                vacancy.save(update_fields=[*form.fields, "updated_at"])
                messages.success(request, _("Vacancy saved."))
            for warning in vacancy.date_warnings():
                messages.warning(request, warning)
            return redirect("vacancy_detail", pk=vacancy.pk)
    else:
        form = VacancyForm(instance=vacancy, membership=membership)
    return render(request, "placement/vacancy_form.html", {"form": form, "vacancy": vacancy})


@require_POST
def vacancy_accept(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "reviews_vacancies")
    vacancy = vacancy_for(request.user, pk)
    transition_and_report(
        request,
        lambda: services.vacancy_accept(vacancy=vacancy),
        success=_("Vacancy accepted: it now waits for a nomination."),
    )
    return redirect("vacancy_detail", pk=pk)


@confirm_step
def vacancy_return(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "reviews_vacancies")
    vacancy = vacancy_for(request.user, pk)
    form = VacancyReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _may_become(vacancy, Vacancy.Status.RETURNED) and not confirmed(request):
            return ask(
                request,
                Confirmation(
                    title=_("Return vacancy %(vacancy)s?") % {"vacancy": vacancy},
                    statement=_(
                        "%(vacancy)s goes back to %(corp)s with this reason: “%(reason)s”. The "
                        "desk stops looking for a household; the corporation can change the "
                        "vacancy and offer it again."
                    )
                    % {
                        "vacancy": vacancy,
                        "corp": vacancy.corporation,
                        "reason": form.cleaned_data["reason"].strip(),
                    },
                    yes=_("Yes, return the vacancy"),
                    cancel_url=vacancy.get_absolute_url(),
                ),
            )
        transition_and_report(
            request,
            lambda: services.vacancy_return(vacancy=vacancy, reason=form.cleaned_data["reason"]),
            success=_("Vacancy returned to %(corp)s.") % {"corp": vacancy.corporation},
        )
        return redirect("vacancy_detail", pk=pk)
    return render(
        request,
        "placement/vacancy_return.html",
        {"vacancy": vacancy, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@confirm_step
def vacancy_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "submits_vacancies")
    vacancy = vacancy_for(request.user, pk)
    if _may_become(vacancy, Vacancy.Status.WITHDRAWN) and not confirmed(request):
        return ask(
            request,
            Confirmation(
                title=_("Withdraw vacancy %(vacancy)s?") % {"vacancy": vacancy},
                statement=_(
                    "%(vacancy)s is withdrawn: the desk no longer looks for a household for it "
                    "and cannot nominate anyone."
                )
                % {"vacancy": vacancy},
                note=_("This cannot be undone: to offer the dwelling again, submit it anew."),
                yes=_("Yes, withdraw the vacancy"),
                cancel_url=vacancy.get_absolute_url(),
            ),
        )
    transition_and_report(
        request,
        lambda: services.vacancy_withdraw(vacancy=vacancy),
        success=_("Vacancy withdrawn."),
    )
    return redirect("vacancy_detail", pk=pk)


def _may_become(vacancy: Vacancy, status: str) -> bool:
    """Whether asking makes sense: a change the workflow refuses anyway is tried at once, so
    its reason is shown instead of a question (the service decides, under its lock)."""
    return status in Vacancy.TRANSITIONS.get(vacancy.status, set())
