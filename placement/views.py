"""Pages of the placement desk. Views parse, authorise (``regions.access`` and the models'
``visible_to`` querysets), call a service and render; they hold no rules of their own."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from regions.access import capabilities, get_membership, require
from regions.models import Municipality, Role

from . import deadlines, services
from .filters import HouseholdFilter, VacancyFilter
from .forms import (
    HouseholdForm,
    HouseholdStatusForm,
    PersonFormSet,
    VacancyForm,
    VacancyReturnForm,
)
from .models import Household, Person, Vacancy
from .tables import HouseholdTable, VacancyTable

PAGE_SIZE = 25


def _today() -> datetime.date:
    return datetime.date.today()


def _household_for(user, pk: int, *, edit: bool = False) -> Household:
    """Fetch a household through the user's access; anything outside it is a 404."""
    qs = Household.objects.editable_by(user) if edit else Household.objects.visible_to(user)
    return get_object_or_404(qs.select_related("linked_municipality__region"), pk=pk)


def _vacancy_for(user, pk: int) -> Vacancy:
    qs = Vacancy.objects.visible_to(user).select_related(
        "municipality", "corporation", "submitted_by"
    )
    return get_object_or_404(qs, pk=pk)


def _main_members() -> Prefetch:
    return Prefetch(
        "members", queryset=Person.objects.filter(role=Person.Role.MAIN), to_attr="main_members"
    )


# --- Dashboard ------------------------------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    membership = get_membership(request.user)
    if membership is None:
        return render(request, "placement/no_membership.html", status=403)
    can = capabilities(request.user)
    today = _today()
    context: dict = {"today": today, "region": membership.region}

    if can.sees_pool:
        households = Household.objects.visible_to(request.user)
        first_warning = deadlines.warning_weeks()[0]
        context["status_counts"] = _status_counts(households)
        context["near_deadline"] = (
            households.open()
            .waiting_since_weeks(first_warning - 2, today)
            .with_sizes()
            .select_related("linked_municipality")
            .order_by("link_date")[:10]
        )
        context["open_count"] = households.open().count()
        context["overdue_count"] = (
            households.open().waiting_since_weeks(deadlines.deadline_weeks(), today).count()
        )
        if membership.role == Role.MUNICIPALITY_OFFICER:
            own = households.filter(linked_municipality_id=membership.organisation.municipality_id)
            context["own_open_count"] = own.open().count()
            context["own_overdue_count"] = (
                own.open().waiting_since_weeks(deadlines.deadline_weeks(), today).count()
            )
        context["next_meeting"] = membership.region.next_meeting_date(today)

    if can.sees_vacancies:
        vacancies = Vacancy.objects.visible_to(request.user).select_related(
            "municipality", "corporation"
        )
        context["vacancy_counts"] = _status_counts(vacancies, Vacancy.Status)
        context["vacancies_near_return"] = vacancies.near_return_deadline(today)[:10]
        if can.reviews_vacancies:
            context["vacancies_to_review"] = vacancies.filter(status=Vacancy.Status.SUBMITTED)[:10]
        if can.submits_vacancies:
            context["recent_vacancies"] = vacancies.order_by("-status_changed_at")[:10]

    if membership.role == Role.FINANCE:
        context["by_municipality"] = (
            Municipality.objects.filter(region_id=membership.organisation.region_id)
            .annotate(
                open=Count("households", filter=Q(households__status__in=Household.OPEN_STATUSES)),
                housed=Count("households", filter=Q(households__status=Household.Status.HOUSED)),
            )
            .order_by("name")
        )
    return render(request, "placement/dashboard.html", context)


def _status_counts(qs, status_enum=Household.Status) -> list[tuple[str, str, int]]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in status_enum.choices]


# --- Households -----------------------------------------------------------------------------


def household_list(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "sees_pool")
    today = _today()
    base = (
        Household.objects.visible_to(request.user)
        .with_sizes()
        .select_related("linked_municipality")
        .prefetch_related(_main_members())
    )
    params = request.GET.copy()
    if "status" not in params and not params.get("all"):
        # By default the pool shows the households still to be housed.
        params.setlist("status", list(Household.OPEN_STATUSES))
    household_filter = HouseholdFilter(
        params, queryset=base, region_id=membership.organisation.region_id, today=today
    )
    table = HouseholdTable(household_filter.qs, today=today)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "placement/household_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": household_filter, "table": table, "today": today})


def _household_page(request: HttpRequest, household: Household, *, status_form=None, status=200):
    today = _today()
    members = list(household.members.all())
    for member in members:
        member.age = member.age_on(today)
    can_edit = Household.objects.editable_by(request.user).filter(pk=household.pk).exists()
    if can_edit and status_form is None:
        status_form = HouseholdStatusForm(household=household)
    return render(
        request,
        "placement/household_detail.html",
        {
            "household": household,
            "members": members,
            "size": sum(1 for m in members if m.present),
            "expected_size": len(members),
            "today": today,
            "can_edit": can_edit,
            "status_form": status_form if can_edit else None,
            "warning": household.deadline_warning(today),
        },
        status=status,
    )


def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_page(request, _household_for(request.user, pk))


def _formset_with_extra_row(data, prefix: str):
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    data[key] = str(int(data.get(key, 0) or 0) + 1)
    return data


def _household_form_page(request: HttpRequest, household: Household | None) -> HttpResponse:
    membership = get_membership(request.user)
    instance = household or Household()
    if request.method == "POST":
        data = request.POST
        add_row = "add_member" in data
        if add_row:
            data = _formset_with_extra_row(data, "members")
        form = HouseholdForm(data, instance=instance, membership=membership)
        formset = PersonFormSet(data, instance=instance, prefix="members")
        if not add_row and form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    if household is None:
                        members = [
                            f.save(commit=False)
                            for f in formset.forms
                            if f.has_changed() and not f.cleaned_data.get("DELETE")
                        ]
                        saved = services.household_create(
                            household=form.save(commit=False), members=members, by=request.user
                        )
                    else:
                        saved = form.save()
                        formset.save()
            except IntegrityError:
                form.add_error(
                    None,
                    _(
                        "The household could not be saved because the data conflicts with "
                        "another record (for example a V-number in use). Nothing was saved."
                    ),
                )
            else:
                messages.success(request, _("Household %(ref)s saved.") % {"ref": saved.reference})
                return redirect("household_detail", pk=saved.pk)
    else:
        add_row = False
        form = HouseholdForm(instance=instance, membership=membership)
        formset = PersonFormSet(instance=instance, prefix="members")
    return render(
        request,
        "placement/household_form.html",
        # After "add a member" the page is shown again without judging the half-filled rows.
        {"form": form, "formset": formset, "household": household, "hide_errors": add_row},
    )


def household_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "edits_households")
    return _household_form_page(request, None)


def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_for(request.user, pk, edit=True)
    return _household_form_page(request, household)


@require_POST
def household_status(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household_for(request.user, pk, edit=True)
    form = HouseholdStatusForm(request.POST, household=household)
    if form.is_valid():
        try:
            services.household_change_status(
                household=household,
                to=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except services.TransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Status changed to “%(status)s”.") % {"status": household.get_status_display()},
            )
        return redirect("household_detail", pk=household.pk)
    return _household_page(request, household, status_form=form, status=400)


# --- Vacancies ------------------------------------------------------------------------------


def vacancy_list(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "sees_vacancies")
    can = capabilities(request.user)
    today = _today()
    base = Vacancy.objects.visible_to(request.user).select_related("municipality", "corporation")
    vacancy_filter = VacancyFilter(
        request.GET,
        queryset=base,
        region_id=membership.organisation.region_id,
        show_corporation=not can.submits_vacancies,
    )
    exclude = ("corporation",) if can.submits_vacancies else ()
    table = VacancyTable(vacancy_filter.qs, today=today, exclude=exclude)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    template = "placement/vacancy_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": vacancy_filter, "table": table})


def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _vacancy_for(request.user, pk)
    can = capabilities(request.user)
    return render(
        request,
        "placement/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "return_form": VacancyReturnForm() if can.reviews_vacancies else None,
            "corporation_may_edit": can.submits_vacancies
            and vacancy.status in Vacancy.CORPORATION_EDITABLE,
            "today": _today(),
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
            return redirect("vacancy_detail", pk=vacancy.pk)
    else:
        form = VacancyForm(membership=membership)
    return render(request, "placement/vacancy_form.html", {"form": form, "vacancy": None})


def vacancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership(request.user)
    vacancy = _vacancy_for(request.user, pk)
    can = capabilities(request.user)
    if can.submits_vacancies:
        if vacancy.status not in Vacancy.CORPORATION_EDITABLE:
            messages.error(
                request,
                _("This vacancy is being handled by the desk and can no longer be changed here."),
            )
            return redirect("vacancy_detail", pk=pk)
    elif not can.reviews_vacancies:
        require(request.user, "reviews_vacancies")
    if request.method == "POST":
        form = VacancyForm(request.POST, instance=vacancy, membership=membership)
        if form.is_valid():
            was_returned = vacancy.status == Vacancy.Status.RETURNED
            vacancy = form.save(commit=False)
            if was_returned and can.submits_vacancies:
                services.vacancy_resubmit(vacancy=vacancy)
                messages.success(request, _("Vacancy changed and submitted again."))
            else:
                vacancy.save()
                messages.success(request, _("Vacancy saved."))
            return redirect("vacancy_detail", pk=vacancy.pk)
    else:
        form = VacancyForm(instance=vacancy, membership=membership)
    return render(request, "placement/vacancy_form.html", {"form": form, "vacancy": vacancy})


@require_POST
def vacancy_accept(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "reviews_vacancies")
    vacancy = _vacancy_for(request.user, pk)
    try:
        services.vacancy_accept(vacancy=vacancy)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Vacancy accepted: it now waits for a nomination."))
    return redirect("vacancy_detail", pk=pk)


def vacancy_return(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "reviews_vacancies")
    vacancy = _vacancy_for(request.user, pk)
    form = VacancyReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_return(vacancy=vacancy, reason=form.cleaned_data["reason"])
        except services.TransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Vacancy returned to %(corp)s.") % {"corp": vacancy.corporation}
            )
        return redirect("vacancy_detail", pk=pk)
    return render(
        request,
        "placement/vacancy_return.html",
        {"vacancy": vacancy, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def vacancy_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "submits_vacancies")
    vacancy = _vacancy_for(request.user, pk)
    try:
        services.vacancy_withdraw(vacancy=vacancy)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Vacancy withdrawn."))
    return redirect("vacancy_detail", pk=pk)


# --- Rules ----------------------------------------------------------------------------------


def rules(request: HttpRequest) -> HttpResponse:
    """The rules the software applies, with their current settings."""
    membership = get_membership(request.user)
    return render(
        request,
        "placement/rules.html",
        {
            "region": membership.region if membership else None,
            "deadline_weeks": deadlines.deadline_weeks(),
            "warning_weeks": deadlines.warning_weeks(),
            "return_warning_days": settings.VACANCY_RETURN_WARNING_DAYS,
            "household_transitions": _labelled(Household.TRANSITIONS, Household.Status),
            "vacancy_transitions": _labelled(Vacancy.TRANSITIONS, Vacancy.Status),
        },
    )


def _labelled(transitions: dict[str, set[str]], enum) -> list[tuple[str, list[str]]]:
    return [
        (enum(state).label, sorted(str(enum(t).label) for t in targets))
        for state, targets in transitions.items()
    ]
