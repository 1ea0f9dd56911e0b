"""The COA list import pages: upload, preview (with the progress while a task works), confirm,
and the current list in the import's own format. Thin: authorise, call ``coa``, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from placement import access_log
from placement.models import Household, Person, PersonalDataView
from placement.views.confirm import Confirmation, ask, confirm_step, confirmed
from regions.access import Group, require
from regions.models import Municipality, Role

from . import coa, spreadsheet, tasks
from .forms import ImportUploadForm
from .models import ImportBatch

# Households listed per outcome on the preview; the rest are counted ("and 1.234 more").
SHOWN_PER_STATUS = 200
STATUSES = ("error", "update", "new", "unchanged")


def _scope_municipality(membership):
    if membership.role == Role.MUNICIPALITY_OFFICER:
        return membership.organisation.municipality
    return None


def _batch_for(user, pk: int) -> ImportBatch:
    qs = ImportBatch.objects.visible_to(user).select_related("municipality", "uploaded_by")
    return get_object_or_404(qs, pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "imports_coa_lists")
    scope = _scope_municipality(membership)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = coa.import_start(
            user=request.user,
            scope_municipality=scope,
            region=membership.organisation.region,
            filename=upload.name or "coa-lijst",
            data=form.data_bytes,
            sheet=form.sheet,
        )
        if coa.runs_in_background(batch):
            tasks.analyse_import.enqueue(batch.pk)
        else:
            coa.analyse_batch(batch.pk)
        return redirect(batch)
    batches = ImportBatch.objects.visible_to(request.user).select_related("uploaded_by")[:10]
    return render(
        request,
        "exchange/import_upload.html",
        {
            "form": form,
            "batches": batches,
            "scope": scope,
            "columns": coa.COLUMNS,
            "max_rows": settings.IMPORT_MAX_ROWS,
        },
        status=400 if posted else 200,
    )


def _preview_context(batch: ImportBatch) -> tuple[dict, list[int]]:
    """The preview as the page shows it, and the households of the desk it shows."""
    preview = batch.preview or {}
    groups: dict[str, list[dict]] = {status: [] for status in STATUSES}
    counts = dict.fromkeys(STATUSES, 0)
    shown_ids = []
    municipality_names = dict(
        Municipality.objects.filter(region_id=batch.region_id).values_list("pk", "name")
    )
    for household in preview.get("households", []):
        status = household["status"]
        counts[status] += 1
        if len(groups[status]) >= SHOWN_PER_STATUS:
            continue
        if household["household_id"]:
            shown_ids.append(household["household_id"])
        rows = {r["row"]: r for r in household["rows"]}
        main_row = rows.get(household["members"][0]["row"]) if household["members"] else None
        groups[status].append(
            {
                "key": household["key"],
                "reference": household["reference"],
                "household_id": household["household_id"],
                "rows": ", ".join(str(r["row"]) for r in household["rows"]),
                "municipality": municipality_names.get(main_row["municipality_id"], "")
                if main_row
                else "",
                "link_date": coa._shown_value("link_date", main_row["link_date"])
                if main_row and main_row.get("link_date")
                else "",
                "changes": [coa.change_text(c) for c in household["changes"]],
                "members": [
                    {
                        **member,
                        "role_label": Person.Role(member["role"]).label,
                        "born": coa._shown_value("born", rows[member["row"]]["born"]),
                        "follower": bool(rows[member["row"]]["follower"]),
                        "changes": [coa.change_text(c) for c in member["changes"]],
                    }
                    for member in household["members"]
                ],
                "errors": [
                    {"row": e["row"], "column": e["column"], "message": coa.issue_text(e)}
                    for e in household["errors"]
                ],
            }
        )
    sections = [
        {
            "status": status,
            "households": groups[status],
            "count": counts[status],
            "more": counts[status] - len(groups[status]),
        }
        for status in STATUSES
    ]
    context = {
        "notes": [coa.issue_text(n) for n in preview.get("notes", [])],
        "sections": sections,
        "counts": counts,
        "to_import": counts["new"] + counts["update"],
    }
    return context, shown_ids


@require_safe
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "imports_coa_lists")
    batch = _batch_for(request.user, pk)
    if request.htmx and not request.htmx.boosted:
        if batch.is_busy:
            return render(request, "exchange/import_preview.html#status", {"batch": batch})
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # done: the whole page, with the preview
        return response
    context: dict = {"batch": batch}
    if batch.status == ImportBatch.Status.READY:
        preview, shown_ids = _preview_context(batch)
        context.update(preview)
        # Names and V-numbers of the desk's own households, old -> new: a read of them.
        access_log.record_request_views(request, [(pk, {Group.IDENTITY}) for pk in shown_ids])
    return render(request, "exchange/import_preview.html", context)


def _confirmation(batch: ImportBatch) -> Confirmation:
    counts = dict.fromkeys(STATUSES, 0)
    for household in (batch.preview or {}).get("households", []):
        counts[household["status"]] += 1
    items = [
        ngettext("%(n)s new household is registered.", "%(n)s new households are registered.", n)
        % {"n": n}
        for n in [counts["new"]]
        if n
    ]
    if counts["update"]:
        items.append(
            ngettext(
                "%(n)s household is updated.", "%(n)s households are updated.", counts["update"]
            )
            % {"n": counts["update"]}
        )
    if counts["error"]:
        items.append(
            ngettext(
                "%(n)s household with errors is skipped.",
                "%(n)s households with errors are skipped.",
                counts["error"],
            )
            % {"n": counts["error"]}
        )
    return Confirmation(
        title=_("Import the COA list %(name)s?") % {"name": batch.filename},
        statement=_(
            "The households are written to the regional pool as the preview shows. A household "
            "changed on the desk since the preview is left alone and reported."
        ),
        yes=_("Yes, import"),
        cancel_url=batch.get_absolute_url(),
        items=items,
    )


@require_POST
@confirm_step
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "imports_coa_lists")
    batch = _batch_for(request.user, pk)
    if batch.status == ImportBatch.Status.APPLIED:
        messages.info(request, _("This list was imported already; nothing was changed."))
        return redirect(batch)
    if batch.status != ImportBatch.Status.READY:
        messages.error(request, _("This list cannot be imported now."))
        return redirect(batch)
    if not confirmed(request):
        return ask(request, _confirmation(batch))
    if not coa.import_request_confirm(batch=batch):
        messages.info(request, _("This list is being imported or was imported already."))
        return redirect(batch)
    if coa.runs_in_background(batch):
        tasks.apply_import.enqueue(batch.pk, request.user.pk)
    else:
        result = coa.apply_and_report(batch_id=batch.pk, user=request.user)
        if result is not None:
            messages.success(request, _("The COA list was imported."))
    return redirect(batch)


@require_safe
def import_current_list(request: HttpRequest) -> HttpResponse:
    """The pool's open households in the import's format (XLSX, or CSV with ?format=csv): fix
    it and read it in again. An officer gets the households of their own municipality."""
    require(request.user, "imports_coa_lists")
    fmt = request.GET.get("format", "xlsx")
    if fmt not in spreadsheet.FORMATS:
        fmt = "xlsx"
    households = list(
        Household.objects.editable_by(request.user)
        .open()
        .select_related("linked_municipality")
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("id")))
        .order_by("link_date", "id")
    )
    access_log.record_request_views(
        request,
        [(h.pk, {Group.IDENTITY, Group.BACKGROUND}) for h in households],
        channel=PersonalDataView.Channel.EXPORT,
    )
    return spreadsheet.response(
        fmt,
        "coa-lijst-huidig",
        coa.current_list_columns(),
        coa.current_list_rows(households),
        title="COA-lijst",
    )
