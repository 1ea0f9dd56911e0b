"""The period of the figures: a half-year, a year, or from-to dates."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from placement.forms import DateInput, StyledFormMixin

from .figures import Period

YEARS_BACK = 5
MAX_DAYS = 5 * 366


def year_choices(today: datetime.date) -> list[tuple[str, str]]:
    return [(str(y), str(y)) for y in range(today.year, today.year - YEARS_BACK - 1, -1)]


def half_choices(today: datetime.date) -> list[tuple[str, str]]:
    halves = []
    for year in range(today.year, today.year - YEARS_BACK - 1, -1):
        for half in (2, 1):
            if (year, half) <= (today.year, 1 if today.month <= 6 else 2):
                halves.append((f"{year}-{half}", f"{year}-{'I' * half}"))
    return halves


def half_year(slug: str) -> Period:
    year, half = (int(part) for part in slug.split("-"))
    if half == 1:
        return Period(datetime.date(year, 1, 1), datetime.date(year, 6, 30), f"{year}-I")
    return Period(datetime.date(year, 7, 1), datetime.date(year, 12, 31), f"{year}-II")


class PeriodForm(StyledFormMixin, forms.Form):
    KINDS = (("half", _("half-year")), ("year", _("year")), ("range", _("from – to")))

    kind = forms.ChoiceField(label=_("Period"), choices=KINDS, widget=forms.RadioSelect)
    half = forms.ChoiceField(label=_("Half-year"), required=False)
    year = forms.ChoiceField(label=_("Year"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, data, *, today: datetime.date):
        self.today = today
        current = f"{today.year}-{1 if today.month <= 6 else 2}"
        initial = {"kind": "half", "half": current, "year": str(today.year)}
        super().__init__(data if data else None, initial=initial)
        self.fields["half"].choices = half_choices(today)
        self.fields["year"].choices = year_choices(today)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "half" and not data.get("half"):
            self.add_error("half", _("Choose a half-year."))
        elif kind == "year" and not data.get("year"):
            self.add_error("year", _("Choose a year."))
        elif kind == "range":
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", _("Enter the first day of the period."))
            if end is None and "end" not in self.errors:
                self.add_error("end", _("Enter the last day of the period."))
            if start and end and start > end:
                self.add_error("end", _("The last day lies before the first day."))
            elif start and end and (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of at most five years."))
        return data

    def period(self) -> Period:
        """The chosen period (the current half-year when nothing was chosen)."""
        if not self.is_bound:
            return half_year(self.initial["half"])
        data = self.cleaned_data
        if data["kind"] == "half":
            return half_year(data["half"])
        if data["kind"] == "year":
            year = int(data["year"])
            return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))
        start, end = data["start"], data["end"]
        return Period(start, end, f"{start:%d-%m-%Y} – {end:%d-%m-%Y}")
