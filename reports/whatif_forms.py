"""The what-if form: a past period, the seed and (for a province officer) the region."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from placement.forms import DateInput, StyledFormMixin, plausible_date

from .whatif import MAX_PERIOD_DAYS

MAX_SEED = 2**31 - 1
DEFAULT_SEED = 1


def last_half_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last half-year that has ended: 1 January - 30 June or 1 July - 31 December."""
    if today.month >= 7:
        return datetime.date(today.year, 1, 1), datetime.date(today.year, 6, 30)
    return datetime.date(today.year - 1, 7, 1), datetime.date(today.year - 1, 12, 31)


class WhatIfForm(StyledFormMixin, forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    start = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        help_text=_("Dwellings available from this day on are replayed."),
    )
    end = forms.DateField(label=_("To"), widget=DateInput())
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=MAX_SEED,
        help_text=_("The same seed gives the same replay; another seed other random draws."),
    )

    def __init__(self, data, *, today: datetime.date, regions: list[tuple[str, str]]):
        start, end = last_half_year(today)
        initial = {"start": start, "end": end, "seed": DEFAULT_SEED}
        if regions:
            initial["region"] = regions[0][0]
        # Only the region chosen (or nothing): the defaults, not a form with errors.
        sent = data is not None and any(name in data for name in ("start", "end", "seed"))
        super().__init__(data if sent else None, initial=initial)
        if len(regions) > 1:
            self.fields["region"].choices = regions
        else:
            del self.fields["region"]

    def clean_start(self):
        return plausible_date(self.cleaned_data["start"], years_back=10, years_ahead=1)

    def clean_end(self):
        return plausible_date(self.cleaned_data["end"], years_back=10, years_ahead=1)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day lies before the first day."))
        elif start and end and (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("end", _("Choose a period of at most a year and a half."))
        return data

    def choice(self) -> tuple[datetime.date, datetime.date, int]:
        """The period and seed to replay: the form's, or the defaults when nothing was sent."""
        if not self.is_bound:
            return self.initial["start"], self.initial["end"], self.initial["seed"]
        data = self.cleaned_data
        return data["start"], data["end"], data["seed"]
