"""Shared helpers: fetch objects through the user's access (anything else is a 404)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_tables2 import RequestConfig

from regions.access import Group

from ..models import Household, Person, Vacancy
from ..services import TransitionError

PAGE_SIZE = 25


def local_today() -> datetime.date:
    """Today in the Netherlands (TIME_ZONE), not in the server's zone."""
    return timezone.localdate()


def household_for(user, pk: int, *, edit: bool = False) -> Household:
    """Fetch a household through the user's access, with the facts the disclosure rule needs;
    anything outside the access is a 404."""
    qs = Household.objects.editable_by(user) if edit else Household.objects.visible_to(user)
    return get_object_or_404(
        qs.with_disclosure(user).select_related("linked_municipality__region"), pk=pk
    )


def vacancy_for(user, pk: int) -> Vacancy:
    qs = Vacancy.objects.visible_to(user).select_related(
        "municipality", "corporation", "submitted_by"
    )
    return get_object_or_404(qs, pk=pk)


def main_members(*, user) -> Prefetch:
    """The main applicant of each household whose names ``user`` may see (others: none)."""
    named = Household.objects.disclosing(user, Group.IDENTITY).values("pk")
    return Prefetch(
        "members",
        queryset=Person.objects.filter(role=Person.Role.MAIN, household__in=named),
        to_attr="main_members",
    )


def form_errors_as_messages(request, form) -> None:
    """For small action forms that post from a detail page and redirect back to it: each error
    becomes a message there, named after its field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def transition_and_report(request, action, *, success: str) -> bool:
    """Run a status change; report its refusal or ``success`` as a message. True if done."""
    try:
        action()
    except TransitionError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


def configure_table(request, table) -> None:
    """Sorting and paging from the query string, with the page size fixed: a ``per_page``
    in the URL (negative, huge) is ignored, and so is a ``sort`` that names no sortable
    column (it would otherwise reach the ORM as an accessor path)."""
    params = request.GET.copy()
    params.pop("per_page", None)
    sortable = {column.name for column in table.columns if column.orderable}
    sort = [key for key in params.getlist("sort") if key.removeprefix("-") in sortable]
    if sort:
        params.setlist("sort", sort[:1])
    else:
        params.pop("sort", None)
    request.GET = params
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
