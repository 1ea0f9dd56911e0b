"""Forms for quota periods, targets (one by one or pasted from the state's table) and the rule."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from placement.forms import StyledFormMixin
from regions.models import Municipality

from .models import QuotaPeriod, QuotaRule, QuotaTarget


class PeriodForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = QuotaPeriod
        fields = ["year", "half"]
        # A duplicate is refused by the model's unique constraint ("This period already exists.").


class TargetForm(StyledFormMixin, forms.Form):
    net_target = forms.IntegerField(
        label=_("Net target (persons)"), required=False, min_value=0, max_value=100_000
    )
    opening_override = forms.IntegerField(
        label=_("Opening balance (override)"),
        required=False,
        min_value=-100_000,
        max_value=100_000,
    )
    override_reason = forms.CharField(
        label=_("Reason for the override"),
        required=False,
        max_length=QuotaTarget._meta.get_field("override_reason").max_length,
    )

    def __init__(self, *args, municipality: Municipality, carried: int | None = None, **kwargs):
        self.municipality = municipality
        self.carried = carried
        super().__init__(*args, **kwargs)
        # One row per municipality under shared column headers: each input names its row.
        names = {
            "net_target": _("Net target for %(m)s"),
            "opening_override": _("Opening balance override for %(m)s"),
            "override_reason": _("Reason for the override for %(m)s"),
        }
        for name, text in names.items():
            self.fields[name].widget.attrs["aria-label"] = text % {"m": municipality.name}

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("opening_override") is not None
            and not cleaned.get("override_reason", "").strip()
        ):
            self.add_error(
                "override_reason", _("Give a reason when you override the carried balance.")
            )
        if cleaned.get("opening_override") is not None and cleaned.get("net_target") is None:
            self.add_error("net_target", _("Enter the net target as well."))
        return cleaned


class TargetPasteForm(StyledFormMixin, forms.Form):
    table = forms.CharField(
        label=_("Paste the table"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "One municipality per line: name or CBS code, then the number of persons, "
            "separated by a tab, semicolon or comma (e.g. copied from a spreadsheet)."
        ),
    )
    upload = forms.FileField(
        label=_("Or upload it as a CSV file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv,text/plain"}),
    )

    MAX_UPLOAD = 200_000  # bytes: the state's table has a few hundred lines at most

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            if upload.size > self.MAX_UPLOAD:
                self.add_error("upload", _("The file is too large for a table of targets."))
                return cleaned
            raw = upload.read()
            for encoding in ("utf-8-sig", "cp1252"):
                try:
                    cleaned["table"] = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                self.add_error("upload", _("The file could not be read as text (CSV)."))
            if "\x00" in cleaned.get("table", ""):
                self.add_error("upload", _("The file could not be read as text (CSV)."))
        if not cleaned.get("table", "").strip() and not self.errors:
            self.add_error("table", _("Paste the table or choose a file."))
        return cleaned


class QuotaRuleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = QuotaRule
        fields = ["counting_date", "credited", "own_home_credited"]


HEADER = re.compile(r"gemeente|municipality|cbs", re.IGNORECASE)
LINE = re.compile(r"^\s*(?P<who>.+?)\s*[\t;,]\s*(?P<number>-?[\d.\s]+)\s*$")


def parse_target_table(
    text: str, municipalities: list[Municipality]
) -> tuple[dict[int, int], list[str]]:
    """Read "name or CBS code <sep> persons" lines. Returns ({municipality id: persons}, errors);
    errors name the line so the user can fix the paste."""
    by_key = {}
    for m in municipalities:
        by_key[m.name.casefold()] = m
        by_key[m.cbs_code.casefold()] = m
    values: dict[int, int] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if number == 1 and (not re.search(r"\d", raw) or HEADER.search(raw)):
            continue  # a header row such as "Gemeente;Taakstelling 2026-II"
        match = LINE.match(raw)
        if not match:
            errors.append(
                _("Line %(n)s: expected a municipality and a number, got “%(line)s”.")
                % {"n": number, "line": raw.strip()[:60]}
            )
            continue
        municipality = by_key.get(match["who"].strip().casefold())
        if municipality is None:
            errors.append(
                _("Line %(n)s: “%(who)s” is not a participating municipality of this region.")
                % {"n": number, "who": match["who"].strip()[:60]}
            )
            continue
        digits = re.sub(r"[.\s]", "", match["number"])
        persons = int(digits) if digits.lstrip("-").isdigit() and len(digits) < 9 else None
        if persons is None or not 0 <= persons <= 100_000:
            errors.append(
                _("Line %(n)s: the target for %(m)s must be a whole number from 0 to 100,000.")
                % {"n": number, "m": municipality.name}
            )
            continue
        if municipality.pk in values:
            errors.append(
                _("Line %(n)s: %(m)s appears twice.") % {"n": number, "m": municipality.name}
            )
            continue
        values[municipality.pk] = persons
    return values, errors
