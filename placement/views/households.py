"""Pages of the placement desk. Views parse, authorise (``regions.access`` and the models'
``visible_to`` querysets), call a service and render; they hold no rules of their own."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from regions.access import Group, capabilities, get_membership, require

from .. import access_log, services
from ..disclosure import disclosure_of, record_of
from ..filters import HouseholdFilter
from ..forms import (
    HouseholdForm,
    HouseholdStatusForm,
    OwnHomeForm,
    PersonFormSet,
    SupportGrantsForm,
    SupportLinkForm,
)
from ..models import Household
from ..tables import HouseholdTable
from ..timeline import timeline_for
from .common import (
    configure_table,
    household_for,
    local_today,
    main_members,
    transition_and_report,
)
from .list_state import remembered_params, with_statuses

# --- Households -----------------------------------------------------------------------------


@require_safe
def household_list(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "sees_pool")
    today = local_today()
    # Sizes are columns (no GROUP BY): the default order walks household_link_date_id_idx and
    # stops after one page.
    base = (
        Household.objects.visible_to(request.user)
        .with_disclosure(request.user)
        .select_related("linked_municipality")
        .prefetch_related(main_members(user=request.user))
    )
    request.GET = remembered_params(request, "households")
    # By default the pool shows the households still to be housed, longest waiting (nearest
    # deadline) first.
    params = with_statuses(
        request.GET, choices=Household.Status.values, default=Household.OPEN_STATUSES
    )
    household_filter = HouseholdFilter(
        params,
        queryset=base,
        region_id=membership.organisation.region_id,
        today=today,
        user=request.user,
    )
    table = HouseholdTable(household_filter.qs, today=today, user=request.user)
    configure_table(request, table)
    # The names in the main-applicant column are a read of identity data: log this page's rows.
    access_log.record_request_views(
        request,
        [
            (row.record.pk, {Group.IDENTITY})
            for row in table.page.object_list
            if getattr(row.record, "main_members", None)
        ],
    )
    template = "placement/household_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter": household_filter, "table": table, "today": today})


def _household_page(
    request: HttpRequest,
    household: Household,
    *,
    status_form=None,
    support_form=None,
    own_home_form=None,
    status=200,
):
    """The household page: only the groups of data the user's role may see (``record``)."""
    today = local_today()
    record = record_of(household, request.user, today, with_members=True)
    can = capabilities(request.user)
    can_edit = Household.objects.editable_by(request.user).filter(pk=household.pk).exists()
    if can_edit and status_form is None:
        status_form = HouseholdStatusForm(household=household)
    can_register_own_home = can_edit and Household.Status.OWN_HOME in Household.TRANSITIONS.get(
        household.status, set()
    )
    if can_register_own_home and own_home_form is None:
        own_home_form = OwnHomeForm(household=household)
    support_links = []
    if can.manages_caseloads:
        support_links = [
            (link, SupportGrantsForm(instance=link, prefix=f"link{link.pk}"))
            for link in household.support_links.select_related("organisation")
        ]
        if support_form is None:
            support_form = SupportLinkForm(household=household)
    access_log.record_request_views(request, [(household.pk, record.disclosure.groups)])
    return render(
        request,
        "placement/household_detail.html",
        {
            "record": record,
            "today": today,
            "can_edit": can_edit,
            "status_form": status_form if can_edit else None,
            "own_home_form": own_home_form if can_register_own_home else None,
            "warning": household.deadline_warning(today),
            "nominations": household.nominations.select_related("vacancy").order_by("-created_at"),
            "timeline": timeline_for(household, request.user),
            "manages_caseloads": can.manages_caseloads,
            "support_links": support_links,
            "support_form": support_form,
            "sees_read_log": can.sees_read_log,
            # Only for the change-history tag, which decides for itself who may see it.
            "history_object": household,
        },
        status=status,
    )


@require_safe
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _household_page(request, household_for(request.user, pk))


def _formset_with_extra_row(data, prefix: str):
    """The posted data plus one empty member row, "present" ticked as on a fresh form."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = max(int(data.get(key, 0) or 0), 0)
    except ValueError:
        total = 0
    data[key] = str(total + 1)
    data[f"{prefix}-{total}-present"] = "on"
    return data


def _unjudged(form, formset) -> None:
    """Show half-filled forms again without validating them (after "add a member"): with empty
    error containers in place, Django does not run validation when the template reads them."""
    form._errors = ErrorDict()
    for member_form in formset.forms:
        member_form._errors = ErrorDict()
    formset._errors = [ErrorDict() for _form in formset.forms]
    formset._non_form_errors = formset.error_class()


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
        if add_row:
            _unjudged(form, formset)
        elif form.is_valid() and formset.is_valid():
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
        form = HouseholdForm(instance=instance, membership=membership)
        formset = PersonFormSet(instance=instance, prefix="members")
    if household is not None:
        # Editors see the whole record (the rule gives them every group): a logged read.
        access_log.record_request_views(
            request, [(household.pk, disclosure_of(household, request.user).groups)]
        )
    return render(
        request,
        "placement/household_form.html",
        {"form": form, "formset": formset, "household": household},
    )


def household_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "edits_households")
    return _household_form_page(request, None)


def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for(request.user, pk, edit=True)
    return _household_form_page(request, household)


@require_POST
def household_status(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for(request.user, pk, edit=True)
    form = HouseholdStatusForm(request.POST, household=household)
    if form.is_valid():
        to = form.cleaned_data["status"]
        transition_and_report(
            request,
            lambda: services.household_change_status(
                household=household, to=to, reason=form.cleaned_data["reason"]
            ),
            success=_("Status changed to “%(status)s”.") % {"status": Household.Status(to).label},
        )
        return redirect("household_detail", pk=household.pk)
    return _household_page(request, household, status_form=form, status=400)


@require_POST
def household_own_home(request: HttpRequest, pk: int) -> HttpResponse:
    """The household found its own home: the municipality where it registers and the date."""
    household = household_for(request.user, pk, edit=True)
    form = OwnHomeForm(request.POST, household=household)
    if not form.is_valid():
        return _household_page(request, household, own_home_form=form, status=400)
    done = transition_and_report(
        request,
        lambda: services.household_register_own_home(
            household=household,
            municipality=form.cleaned_data["municipality"],
            day=form.cleaned_data["registered_on"],
            reason=form.cleaned_data["reason"],
        ),
        success=_("Registered: %(ref)s found its own home in %(municipality)s.")
        % {"ref": household.reference, "municipality": form.cleaned_data["municipality"]},
    )
    if not done:
        household.refresh_from_db()
    return redirect("household_detail", pk=household.pk)
