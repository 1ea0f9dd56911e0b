from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placement.forms import DateInput, StyledFormMixin
from quota.models import QuotaPeriod

from .models import BillingProfile, CostKey


class CostKeyForm(StyledFormMixin, forms.ModelForm):
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
        needed = {
            "per_person": "tariff",
            "per_household": "tariff",
            "quota_share": "budget",
            "population_share": "budget",
            "fixed": "fixed_amount",
        }.get(cleaned.get("method"))
        # A missing amount is reported by CostKey.clean, next to the field.
        # Keep only the amount the chosen key uses, so the key is unambiguous.
        for field in ("tariff", "budget", "fixed_amount"):
            if field != needed:
                cleaned[field] = None
        return cleaned


class BillingProfileForm(StyledFormMixin, forms.ModelForm):
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


class PaidForm(StyledFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("The payment date cannot be in the future."))
        return paid_on


class CreditNoteForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to credit (EUR)"), max_digits=11, decimal_places=2, min_value=0.01
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
