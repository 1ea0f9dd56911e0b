"""What a notice says and where it leads, written when shown, in the active language.

Only what every recipient of the kind may see: household references and sizes, dwelling
addresses, dates and municipalities; never a name, V-number, date of birth or note.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Kind, Notice


def _date(value: str | None) -> str:
    if not value:
        return ""
    return date_format(datetime.date.fromisoformat(value), "j F Y")


def _size(n: int | None) -> str:
    if n is None:
        return ""
    return ngettext("%(n)s person", "%(n)s persons", n) % {"n": n}


def summary(notice: Notice) -> str:
    """One sentence: what happened and about what (select_related its subjects for lists)."""
    kind, data = notice.kind, notice.data or {}
    household = notice.household.reference if notice.household_id else ""
    vacancy = str(notice.vacancy) if notice.vacancy_id else ""
    if kind == Kind.NOMINATION_RECEIVED:
        return _("Household %(ref)s (%(size)s) was nominated for %(vacancy)s.") % {
            "ref": household,
            "size": _size(data.get("size")),
            "vacancy": vacancy,
        }
    if kind == Kind.OUTCOME_DUE:
        return _(
            "The viewing of %(vacancy)s on %(day)s has passed: record whether household "
            "%(ref)s accepts the dwelling."
        ) % {"vacancy": vacancy, "day": _date(data.get("viewing")), "ref": household}
    if kind == Kind.VACANCY_SUBMITTED:
        return _("%(corporation)s submitted %(vacancy)s: accept it or return it.") % {
            "corporation": data.get("corporation", ""),
            "vacancy": vacancy,
        }
    if kind == Kind.VACANCY_UNFILLED:
        return _("%(vacancy)s has no nomination yet; its return deadline is %(day)s.") % {
            "vacancy": vacancy,
            "day": _date(data.get("return_deadline")),
        }
    if kind == Kind.HOUSEHOLD_WAITING:
        return ngettext(
            "Household %(ref)s (%(size)s) has waited %(weeks)s week since its link; the "
            "deadline is %(day)s.",
            "Household %(ref)s (%(size)s) has waited %(weeks)s weeks since its link; the "
            "deadline is %(day)s.",
            notice.threshold,
        ) % {
            "ref": household,
            "size": _size(data.get("size")),
            "weeks": notice.threshold,
            "day": _date(data.get("deadline")),
        }
    if kind == Kind.NOMINATION_STALLED:
        return ngettext(
            "The nomination of %(ref)s for %(vacancy)s has had no outcome for %(days)s day.",
            "The nomination of %(ref)s for %(vacancy)s has had no outcome for %(days)s days.",
            notice.threshold,
        ) % {"ref": household, "vacancy": vacancy, "days": notice.threshold}
    if kind == Kind.AGENDA_READY:
        return _("The agenda of the regional meeting of %(day)s is ready.") % {
            "day": _date(data.get("date"))
        }
    if kind == Kind.DECISIONS_READY:
        return _("The decision list of the regional meeting of %(day)s is ready.") % {
            "day": _date(data.get("date"))
        }
    if kind == Kind.HOUSED_ELSEWHERE:
        return _(
            "Household %(ref)s, linked to %(linked)s, signed a lease in %(municipality)s "
            "(from %(day)s): re-link it and report it to COA."
        ) % {
            "ref": household,
            "linked": data.get("linked", ""),
            "municipality": data.get("municipality", ""),
            "day": _date(data.get("lease_start")),
        }
    return str(notice.get_kind_display())


def path(notice: Notice) -> str:
    """Where the notice leads in the app (a page the recipient may open)."""
    kind = notice.kind
    if kind == Kind.HOUSED_ELSEWHERE:
        return reverse("quota_relinks")
    if kind in (Kind.AGENDA_READY, Kind.DECISIONS_READY) and notice.meeting_id:
        return reverse("meeting_detail", args=[notice.meeting_id])
    if notice.nomination_id:
        return reverse("nomination_detail", args=[notice.nomination_id])
    if notice.vacancy_id:
        return reverse("vacancy_detail", args=[notice.vacancy_id])
    if notice.household_id:
        return reverse("household_detail", args=[notice.household_id])
    return reverse("notice_list")
