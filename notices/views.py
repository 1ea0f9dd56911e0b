"""The notices pages: the list (read, mark all read), preferences, and the agenda button."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from placement.models import AgendaItem
from placement.views.confirm import Confirmation, ask, confirm_step, confirmed
from placement.views.meetings import meeting_for
from regions.access import capabilities, require

from . import rules, services, texts
from .forms import PreferencesForm
from .models import Kind, Notice

PER_PAGE = 50


@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.visible_to(request.user).select_related(
        "household", "vacancy", "nomination", "meeting"
    )
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    for notice in page:
        notice.summary = texts.summary(notice)
    role = capabilities(request.user).role
    return render(
        request,
        "notices/notice_list.html",
        {
            "page": page,
            "kinds": [Kind(k).label for k in rules.kinds_for(role)],
            "vacancy_days": rules.vacancy_days(),
            "stalled_days": rules.stalled_days(),
            "agenda_days": rules.agenda_days(),
            "household_weeks": rules.household_weeks(),
        },
    )


@require_safe
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notice marks it read and goes to what it is about."""
    notice = get_object_or_404(Notice.objects.visible_to(request.user), pk=pk)
    services.mark_read(notice=notice)
    return redirect(texts.path(notice))


@require_POST
def notice_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(n)s notice marked as read.", "%(n)s notices marked as read.", count)
        % {"n": count},
    )
    return redirect("notice_list")


def notice_preferences(request: HttpRequest) -> HttpResponse:
    kinds = rules.kinds_for(capabilities(request.user).role)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, user=request.user, kinds=kinds
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notice preferences are saved."))
        return redirect("notice_preferences")
    return render(
        request,
        "notices/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@confirm_step
def meeting_send_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator sends the agenda (PDF) to everyone at the table who has not had it."""
    require(request.user, "runs_meetings")
    meeting = meeting_for(request.user, pk)
    if not meeting.is_open:
        messages.error(request, _("A closed meeting's agenda is not sent any more."))
        return redirect(meeting)
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        messages.error(request, _("The agenda has no items yet: update it from the data first."))
        return redirect(meeting)
    recipients = services.agenda_recipients(meeting)
    if not recipients:
        messages.info(request, _("Everyone at the table has had this agenda already."))
        return redirect(meeting)
    day = date_format(meeting.date, "j F Y")
    if not confirmed(request):
        return ask(
            request,
            Confirmation(
                title=_("Send the agenda of %(day)s?") % {"day": day},
                statement=ngettext(
                    "%(n)s person at the table gets a notice with the agenda (PDF, without "
                    "personal data), by e-mail unless they switched it off.",
                    "%(n)s people at the table get a notice with the agenda (PDF, without "
                    "personal data), by e-mail unless they switched it off.",
                    len(recipients),
                )
                % {"n": len(recipients)},
                items=[
                    f"{u.get_full_name() or u.username} ({u.membership.organisation})"
                    for u in recipients
                ],
                note=_("Each person gets this agenda once; a sent e-mail cannot be called back."),
                yes=_("Yes, send the agenda"),
                cancel_url=meeting.get_absolute_url(),
            ),
        )
    created = services.agenda_send(meeting=meeting)
    messages.success(
        request,
        ngettext("Agenda sent to %(n)s person.", "Agenda sent to %(n)s people.", len(created))
        % {"n": len(created)},
    )
    return redirect(meeting)
