from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placement.forms import DateInput, StyledFormMixin, plausible_date
from quota.models import QuotaPeriod

from .models import BillingProfile, CostKey, Invoice


class CostKeyForm(StyledFormMixin, forms.ModelForm):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    class Meta:
        model = CostKey
        fields = ["year", "method", "tariff", "budget", "fixed_amount", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.region = region

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        clash = CostKey.objects.filter(region=self.instance.region, year=year)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if year and clash.exists():
            self.add_error("year", _("This region already has a cost key for that year."))
        needed = CostKey.AMOUNT_FIELD.get(cleaned.get("method"))
        # A missing amount is reported by CostKey.clean, next to the field.
        # Keep only the amount the chosen key uses, so the key is unambiguous.
        for field in ("tariff", "budget", "fixed_amount"):
            if field != needed:
                cleaned[field] = None
        return cleaned


class BillingProfileForm(StyledFormMixin, forms.ModelForm):
    payment_term_days = forms.IntegerField(
        label=_("payment term (days)"), min_value=1, max_value=365
    )

    class Meta:
        model = BillingProfile
        fields = ["sender_name", "sender_address", "iban", "payment_term_days"]
        widgets = {"sender_address": forms.Textarea(attrs={"rows": 3})}


class RunForm(StyledFormMixin, forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=QuotaPeriod.objects.all())


class IssueForm(StyledFormMixin, forms.Form):
    issue_date = forms.DateField(label=_("Issue date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"issue_date": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_issue_date(self):
        # The year of the issue date starts a number series: no typos like 1900 or 2206.
        issue_date = self.cleaned_data["issue_date"]
        today = timezone.localdate()
        if (
            not today - datetime.timedelta(days=366)
            <= issue_date
            <= today + datetime.timedelta(days=62)
        ):
            raise forms.ValidationError(
                _("The issue date lies between a year ago and two months from today.")
            )
        return issue_date


class PaidForm(StyledFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("The payment date cannot be in the future."))
        return plausible_date(paid_on, years_back=2)


class CreditNoteForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to credit (EUR)"), max_digits=11, decimal_places=2, min_value=0.01
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=Invoice._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
