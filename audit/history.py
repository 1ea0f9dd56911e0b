"""The change history of one record, as a reader wants it: who, when, field, old -> new.

``entries_for(obj)`` reads the historical rows of the record and of the rows that belong to it
(a household's members, a meeting's agenda items, an invoice's lines, a municipality's quota
targets), compares each row with the one before it in Python and labels the result: verbose
names, choice labels, formatted dates and amounts, related records by their name. The number of
queries does not grow with the number of changes: one per historical table, plus one per kind of
related record a changed field points to.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from billing.models import CostKey, Invoice, InvoiceLine, InvoiceRun
from placement.models import AgendaItem, Household, Meeting, Nomination, Person, Vacancy
from quota.models import QuotaRule, QuotaTarget
from regions.models import Municipality

from .models import ANONYMISED_REASON

# Shown as "changed", never with their content: special-category data (AVG art. 9) is shown
# only where reading it is logged.
HIDDEN_VALUES = {(Household, "medical_notes")}
# Derived or bookkeeping fields: their change says nothing a reader needs.
SKIPPED = {"status_changed_at", "score", "score_parts", "rule_failures", "reference"}
TEXT_LIMIT = 160

# Related records named on the page, loaded with what their name needs.
LABEL_RELATED = {
    Meeting: ("region",),
    Nomination: ("household", "vacancy"),
    Invoice: ("municipality",),
    CostKey: ("region",),
    InvoiceRun: ("region", "period"),
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str
    hidden: bool = False


@dataclass
class Entry:
    at: datetime.datetime
    user: str
    action: str  # created, changed, deleted
    subject: str  # "" for the page's own record
    reason: str
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {"created": _("created"), "changed": _("changed"), "deleted": _("deleted")}[
            self.action
        ]


def _sources(obj) -> list[tuple[type[models.Model], dict, str]]:
    """(tracked model, filter on its history, how its rows are named) for a record's page."""
    if isinstance(obj, Household):
        return [(Household, {"id": obj.pk}, ""), (Person, {"household_id": obj.pk}, "person")]
    if isinstance(obj, Meeting):
        return [(Meeting, {"id": obj.pk}, ""), (AgendaItem, {"meeting_id": obj.pk}, "item")]
    if isinstance(obj, Invoice):
        return [(Invoice, {"id": obj.pk}, ""), (InvoiceLine, {"invoice_id": obj.pk}, "line")]
    if isinstance(obj, Municipality):
        return [(QuotaTarget, {"municipality_id": obj.pk}, "target")]
    if isinstance(obj, QuotaRule | CostKey):
        return [(type(obj), {"id": obj.pk}, "")]
    if isinstance(obj, Vacancy | Nomination):
        return [(type(obj), {"id": obj.pk}, "")]
    raise TypeError(f"no change history for {type(obj).__name__}")


def _shown_fields(model: type[models.Model]) -> list[models.Field]:
    history_fields = {f.attname for f in model.history.model._meta.fields}
    return [
        f
        for f in model._meta.concrete_fields
        if f.attname in history_fields
        and not f.primary_key
        and f.name not in SKIPPED
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        and not isinstance(f, models.JSONField)
    ]


def _user_label(user) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def _subject_refs(kind: str, row) -> list[tuple[type[models.Model], int]]:
    if kind == "item":
        return [
            (m, pk)
            for m, pk in (
                (Household, row.household_id),
                (Vacancy, row.vacancy_id),
                (Nomination, row.nomination_id),
            )
            if pk
        ]
    if kind == "target":
        return [(QuotaTarget._meta.get_field("period").related_model, row.period_id)]
    return []


def _subject(kind: str, row, names: dict) -> str:
    if kind == "person":
        return _("member %(name)s") % {"name": row.full_name}
    if kind == "line":
        return _("line %(position)s") % {"position": row.position}
    if kind == "item":
        refs = _subject_refs(kind, row)
        about = names.get(refs[0], "") if refs else ""
        return _("agenda item %(about)s") % {"about": about}
    if kind == "target":
        return _("target %(period)s") % {"period": names.get(_subject_refs(kind, row)[0], "")}
    return ""


def _format(f: models.Field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=f.decimal_places, use_l10n=True)
    return Truncator(str(value)).chars(TEXT_LIMIT)


def _change(model, f: models.Field, previous, row, names: dict) -> Change:
    if (model, f.name) in HIDDEN_VALUES:
        return Change(label=str(f.verbose_name), old="", new="", hidden=True)
    return Change(
        label=str(f.verbose_name),
        old=_format(f, getattr(previous, f.attname), names),
        new=_format(f, getattr(row, f.attname), names),
    )


def _reason(stored: str | None) -> str:
    if stored == ANONYMISED_REASON:
        return _("anonymised after the retention period")
    return stored or ""


def entries_for(obj) -> list[Entry]:
    """Every change to ``obj`` and the rows that belong to it, newest first."""
    raw = []  # (row, previous row or None, model, kind, changed fields)
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for model, lookup, kind in _sources(obj):
        shown = _shown_fields(model)
        rows = (
            model.history.filter(**lookup)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        previous = None
        for row in rows:
            if previous is not None and previous.id != row.id:
                previous = None
            changed = []
            if row.history_type == "~" and previous is not None:
                changed = [
                    f for f in shown if getattr(previous, f.attname) != getattr(row, f.attname)
                ]
                for f in changed:
                    if f.is_relation:
                        for value in (getattr(previous, f.attname), getattr(row, f.attname)):
                            if value is not None:
                                wanted[f.related_model].add(value)
            for ref_model, pk in _subject_refs(kind, row):
                wanted[ref_model].add(pk)
            raw.append((row, previous, model, kind, changed))
            previous = row

    names = {}
    for related, pks in wanted.items():
        queryset = related._default_manager.all()
        if related in LABEL_RELATED:
            queryset = queryset.select_related(*LABEL_RELATED[related])
        for pk, record in queryset.in_bulk(pks).items():
            if related is Household:
                names[(related, pk)] = record.reference
            elif hasattr(record, "get_username"):
                names[(related, pk)] = _user_label(record)
            else:
                names[(related, pk)] = str(record)

    entries = []
    for row, previous, model, kind, changed in raw:
        if row.history_type == "+":
            action = "created"
        elif row.history_type == "-":
            action = "deleted"
        else:
            action = "changed"
            if previous is not None and not changed:
                continue  # saved without a change a reader can see
        entries.append(
            Entry(
                at=row.history_date,
                user=_user_label(row.history_user),
                action=action,
                subject=_subject(kind, row, names),
                reason=_reason(row.history_change_reason),
                changes=[_change(model, f, previous, row, names) for f in changed],
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
