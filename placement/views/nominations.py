"""Nominations: the list, one nomination with its outcome forms, and recording outcomes."""

from __future__ import annotations

import django_tables2 as tables
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from regions.access import Group, capabilities, require

from .. import access_log, nominating
from ..disclosure import disclosure_of
from ..filters import NOMINATION_OPEN, NominationFilter
from ..forms import (
    CancelForm,
    CoaReportForm,
    DissolveLeaseForm,
    HousedForm,
    LeaseForm,
    MovedOutForm,
    RefusalForm,
    ViewingForm,
)
from ..models import Household, Nomination
from ..timeline import timeline_for
from .common import configure_table, form_errors_as_messages, local_today
from .confirm import Confirmation, ask, confirm_step, confirmed
from .list_state import remembered_params, with_statuses


def nomination_for(user, pk: int) -> Nomination:
    qs = Nomination.objects.visible_to(user).select_related(
        "vacancy__municipality", "vacancy__corporation", "household__linked_municipality", "meeting"
    )
    return get_object_or_404(qs, pk=pk)


class NominationTable(tables.Table):
    household = tables.Column(
        verbose_name=gettext_lazy("Household"), accessor="household__reference", linkify=False
    )
    vacancy = tables.Column(verbose_name=gettext_lazy("Vacancy"), linkify=False)
    corporation = tables.Column(
        verbose_name=gettext_lazy("Corporation"), accessor="vacancy__corporation"
    )
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    created_at = tables.DateColumn(verbose_name=gettext_lazy("Nominated"))
    detail = tables.LinkColumn(
        "nomination_detail",
        args=[tables.A("pk")],
        text=gettext_lazy("View"),
        orderable=False,
        verbose_name="",
    )

    class Meta:
        model = Nomination
        fields = ("household", "vacancy", "corporation", "status", "created_at", "detail")
        order_by = ("-created_at",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "nomination-table"}


@require_safe
def nomination_list(request: HttpRequest) -> HttpResponse:
    """Starts at the nominations awaiting an outcome, newest first."""
    require(request.user, "sees_nominations")
    qs = Nomination.objects.visible_to(request.user).select_related(
        "household", "vacancy__corporation"
    )
    request.GET = remembered_params(request, "nominations")
    params = request.GET
    if params.get("status") == "all":  # the old "all" choice of the status list
        params = params.copy()
        params.pop("status")
        params["all"] = "1"
    params = with_statuses(params, choices=Nomination.Status.values, default=NOMINATION_OPEN)
    nomination_filter = NominationFilter(params, queryset=qs)
    table = NominationTable(nomination_filter.qs)
    configure_table(request, table)
    return render(
        request,
        "placement/nomination_list.html",
        {"filter": nomination_filter, "table": table},
    )


def _profile(nomination: Nomination, today) -> dict:
    """What a corporation may know about the household: composition, ages and needs."""
    return {
        **nomination.household.composition(today),
        "needs_wheelchair": nomination.household.needs_wheelchair_access,
        "needs_ground_floor": nomination.household.needs_ground_floor,
        "language": nomination.household.language,
    }


def _notes(nomination: Nomination, household: Household, user) -> dict | None:
    """The free-text notes of a nomination are background data of its household: shown only
    to those the disclosure rule gives that group (not to corporations, nor to officers and
    partners outside their own households). ``household`` comes with its disclosure facts."""
    if not disclosure_of(household, user).background:
        return None
    return {
        "override_reason": nomination.override_reason,
        "refusal_notes": nomination.refusal_notes,
        "cancel_reason": nomination.cancel_reason,
        "dissolution_notes": nomination.dissolution_notes,
    }


@require_safe
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, nomination_for(request.user, pk))


def _detail_page(
    request: HttpRequest, nomination: Nomination, *, status: int = 200, **bound_forms
) -> HttpResponse:
    """The nomination page; ``bound_forms`` replace the empty forms to show their errors."""
    can = capabilities(request.user)
    may_record = can.records_outcomes
    household = Household.objects.with_disclosure(request.user).get(pk=nomination.household_id)
    notes = _notes(nomination, household, request.user)
    if notes and any(notes.values()):
        access_log.record_request_views(request, [(nomination.household_id, {Group.BACKGROUND})])
    return render(
        request,
        "placement/nomination_detail.html",
        {
            "nomination": nomination,
            "profile": _profile(nomination, local_today()),
            "shows_personal_data": can.sees_personal_data,
            "notes": notes,
            # This nomination's steps, with who recorded them (a corporation: its own steps).
            "timeline": timeline_for(household, request.user, nomination=nomination),
            "may_record": may_record,
            "may_cancel": can.runs_meetings,
            "viewing_form": ViewingForm(prefix="viewing"),
            "refusal_form": RefusalForm(prefix="refusal"),
            "lease_form": LeaseForm(prefix="lease"),
            "housed_form": HousedForm(prefix="housed"),
            "cancel_form": CancelForm(prefix="cancel"),
            "coa_form": CoaReportForm(prefix="coa"),
            "dissolve_form": DissolveLeaseForm(prefix="dissolve", nomination=nomination),
            "moved_out_form": MovedOutForm(prefix="moved_out", nomination=nomination),
            "transitions": Nomination.TRANSITIONS[nomination.status],
            **bound_forms,
        },
        status=status,
    )


OUTCOMES = {
    "viewing": (ViewingForm, lambda n, d: nominating.nomination_plan_viewing(
        nomination=n, when=d["when"])),
    "accept": (None, lambda n, d: nominating.nomination_accept(nomination=n)),
    "refusal": (RefusalForm, lambda n, d: nominating.nomination_refuse(
        nomination=n, reason=d["reason"], justified=d["justified"], notes=d["notes"])),
    "lease": (LeaseForm, lambda n, d: nominating.nomination_sign_lease(
        nomination=n, signed_on=d["signed_on"], lease_start=d["lease_start"])),
    "housed": (HousedForm, lambda n, d: nominating.nomination_mark_housed(
        nomination=n, move_in_date=d["move_in_date"])),
    "cancel": (CancelForm, lambda n, d: nominating.nomination_cancel(
        nomination=n, reason=d["reason"])),
    "coa": (CoaReportForm, lambda n, d: nominating.nomination_report_to_coa(
        nomination=n, reported_on=d["reported_on"])),
}  # fmt: skip

# Outcomes whose form checks its dates against the nomination: an error is shown at the field,
# on the page itself.
ENDINGS = {
    "dissolve": (DissolveLeaseForm, "dissolve_form",
                 lambda n, d: nominating.nomination_dissolve_lease(
                     nomination=n, reason=d["reason"], dissolved_on=d["dissolved_on"],
                     vacancy_to=d["vacancy_to"], notes=d["notes"], today=local_today())),
    "moved_out": (MovedOutForm, "moved_out_form",
                  lambda n, d: nominating.nomination_move_out(
                      nomination=n, moved_out_on=d["moved_out_on"], today=local_today())),
}  # fmt: skip


@require_POST
@confirm_step
def nomination_outcome(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Record one step of the nomination (viewing, accept, refusal, lease, housed, cancel; the
    lease dissolved, the household left)."""
    if action in ENDINGS:
        return _record_ending(request, pk, action)
    if action not in OUTCOMES:
        return redirect("nomination_detail", pk=pk)
    require(request.user, "runs_meetings" if action in ("cancel", "coa") else "records_outcomes")
    nomination = nomination_for(request.user, pk)
    form_class, apply = OUTCOMES[action]
    data = {}
    if form_class is not None:
        form = form_class(request.POST, prefix=action)
        if not form.is_valid():
            form_errors_as_messages(request, form)
            return redirect("nomination_detail", pk=pk)
        data = form.cleaned_data
    if _asks_first(request, nomination, action):
        return ask(request, _confirmation(nomination, action, form))
    try:
        apply(nomination, data)
    except nominating.OutcomeError as exc:
        messages.error(request, str(exc))
    else:
        nomination.refresh_from_db()
        messages.success(
            request, _("Recorded: %(status)s.") % {"status": nomination.get_status_display()}
        )
    return redirect("nomination_detail", pk=pk)


def _record_ending(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The coordinator or the vacancy's corporation records that the lease was dissolved or
    that the household left; another corporation does not see the nomination (404)."""
    require(request.user, "records_outcomes")
    nomination = nomination_for(request.user, pk)
    form_class, context_name, apply = ENDINGS[action]
    form = form_class(request.POST, prefix=action, nomination=nomination)
    if not form.is_valid():
        return _detail_page(request, nomination, status=400, **{context_name: form})
    if _asks_first(request, nomination, action):
        return ask(request, _confirmation(nomination, action, form))
    try:
        apply(nomination, form.cleaned_data)
    except nominating.OutcomeError as exc:
        messages.error(request, str(exc))
    else:
        nomination.refresh_from_db()
        messages.success(
            request, _("Recorded: %(status)s.") % {"status": nomination.get_status_display()}
        )
    return redirect("nomination_detail", pk=pk)


# Outcomes that cannot be undone ask first, with the status they lead to.
CONFIRMED = {
    "refusal": Nomination.Status.REFUSED,
    "cancel": Nomination.Status.CANCELLED,
    "dissolve": Nomination.Status.DISSOLVED,
}


def _asks_first(request: HttpRequest, nomination: Nomination, action: str) -> bool:
    """Whether this POST gets the confirm step. A step the workflow refuses anyway is tried at
    once: its reason is shown, not a question."""
    if action not in CONFIRMED or confirmed(request):
        return False
    return CONFIRMED[action] in Nomination.TRANSITIONS.get(nomination.status, set())


def _confirmation(nomination: Nomination, action: str, form) -> Confirmation:
    """What recording ``action`` will do, in the words of the (valid) form filled in."""
    cleaned = form.cleaned_data
    names = {"ref": nomination.household.reference, "vacancy": nomination.vacancy}
    back = _("The household goes back to the pool; the place goes back on the agenda.")
    if action == "refusal":
        return Confirmation(
            title=_("Record the refusal?"),
            statement=_("%(ref)s refuses %(vacancy)s: %(reason)s, %(justified)s.")
            % {
                **names,
                "reason": dict(Nomination.RefusalReason.choices)[cleaned["reason"]],
                "justified": _("justified") if cleaned["justified"] else _("not justified"),
            },
            items=[back],
            note=_("This cannot be undone: the nomination ends."),
            yes=_("Yes, record the refusal"),
            cancel_url=nomination.get_absolute_url(),
        )
    if action == "cancel":
        return Confirmation(
            title=_("Cancel the nomination?"),
            statement=_("The nomination of %(ref)s for %(vacancy)s is cancelled: “%(reason)s”.")
            % {**names, "reason": cleaned["reason"].strip()},
            items=[back],
            note=_("This cannot be undone: the nomination ends."),
            yes=_("Yes, cancel the nomination"),
            cancel_url=nomination.get_absolute_url(),
        )
    return Confirmation(
        title=_("Record the dissolved lease?"),
        statement=_("The lease of %(ref)s for %(vacancy)s was dissolved on %(day)s: %(reason)s.")
        % {
            **names,
            "day": date_format(cleaned["dissolved_on"], "j F Y"),
            "reason": dict(Nomination.DissolutionReason.choices)[cleaned["reason"]],
        },
        items=[
            _("The household goes back to the pool with its waiting time."),
            _("The placement no longer counts for the quota."),
            _("The vacancy: %(choice)s.")
            % {"choice": dict(form.fields["vacancy_to"].choices)[cleaned["vacancy_to"]]},
        ],
        note=_("This cannot be undone."),
        yes=_("Yes, record the dissolved lease"),
        cancel_url=nomination.get_absolute_url(),
    )
