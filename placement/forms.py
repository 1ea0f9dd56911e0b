"""Forms for households, their members and vacancies.

Rules the database also enforces (CheckConstraint) are checked here first so the message can
stand next to the field it is about, in plain language.
"""

from __future__ import annotations

import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.utils import pretty_name
from django.forms.widgets import ChoiceWidget
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from regions.models import ClosedDay, Membership, Municipality, Organisation, Region, Role

from . import schedule
from .models import (
    AgendaItem,
    Household,
    Meeting,
    Nomination,
    Person,
    SupportLink,
    Vacancy,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def plausible_date(day, *, years_back: int = 5, years_ahead: int = 2):
    """Refuse dates far from today (typos such as 0026 or 2206) with a message at the field."""
    today = timezone.localdate()
    earliest = today.replace(year=today.year - years_back, day=min(today.day, 28))
    latest = today.replace(year=today.year + years_ahead, day=min(today.day, 28))
    if not earliest <= day <= latest:
        raise forms.ValidationError(
            _("Check the date: it should lie between %(earliest)s and %(latest)s.")
            % {"earliest": earliest.strftime("%d-%m-%Y"), "latest": latest.strftime("%d-%m-%Y")}
        )
    return day


def style_widgets(fields) -> None:
    """Give each widget its Bootstrap class, so templates can render plain ``{{ field }}``.

    Radios and checkbox groups get ``form-check-input`` on every option (Django copies the
    widget's attributes onto each); only text-like inputs get ``form-control``."""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"  # RadioSelect includes CheckboxSelectMultiple
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])


def _label_in_sentence(label: str) -> str:
    """The label as it stands inside a sentence: "Kale huur (EUR per maand)" -> "kale huur"; a
    first word such as "COA-locatie" or "V-nummer" keeps its capitals."""
    label = re.sub(r"\s*\([^)]*\)$", "", label.strip())
    first = label.split(" ", 1)[0]
    if len(first) < 2 or not first[1].isalpha() or any(c.isupper() for c in first[1:]):
        return label
    return label[0].lower() + label[1:]


def _required_message(template, label):
    return lazy(lambda: template % {"label": _label_in_sentence(str(label))}, str)()


def name_required_fields(fields) -> None:
    """A missing value names what to do with the field ("Vul de huurprijs in", "Kies een
    gemeente", "Vink … aan") instead of "Dit veld is verplicht" ten times over. A field that
    sets its own ``required`` message (``error_messages=`` on the field, or a ModelForm's
    ``Meta.error_messages``) keeps it."""
    default = str(forms.Field.default_error_messages["required"])
    for name, field in fields.items():
        if str(field.error_messages.get("required", "")) != default:
            continue
        label = field.label or pretty_name(name)
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            template = _("Tick %(label)s.")
        elif isinstance(widget, forms.DateInput | forms.DateTimeInput | forms.TimeInput):
            # Date labels often end in a preposition ("Betaald op"): name the field in quotes.
            template = _("Enter a date for “%(label)s”.")
        elif isinstance(widget, ChoiceWidget | forms.FileInput):
            template = _("Choose %(label)s.")
        else:
            template = _("Enter %(label)s.")
        field.error_messages["required"] = _required_message(template, label)


def limit_texts(fields) -> None:
    """Free text has a maximum (issue 9): say it under the field and in the error message."""
    for field in fields.values():
        if not isinstance(field.widget, forms.Textarea) or not field.max_length:
            continue
        limit = _("At most %(n)d characters.") % {"n": field.max_length}
        field.help_text = f"{field.help_text} {limit}".strip() if field.help_text else limit
        field.error_messages["max_length"] = _(
            "This text is too long: at most %(limit_value)d characters, now %(show_value)d."
        )


class StyledFormMixin:
    """Bootstrap classes on widgets, length limits and "what to fill in" messages; after
    validation, invalid fields get the red border (Django marks them for assistive technology)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self.fields)
        limit_texts(self.fields)
        name_required_fields(self.fields)

    def full_clean(self):
        super().full_clean()
        # Django itself writes aria-invalid and aria-describedby="<id>_helptext <id>_error"
        # (templates/includes/field.html renders elements with those ids); the red border is ours.
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", "").split():
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


def participating_municipalities(membership: Membership):
    return Municipality.objects.filter(
        region_id=membership.organisation.region_id, participates=True
    ).order_by("name")


class HouseholdForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = [
            "linked_municipality",
            "link_date",
            "language",
            "income_type",
            "annual_income",
            "needs_wheelchair_access",
            "needs_ground_floor",
            "medical_notes",
            "work_study_location",
            "preferences",
            "coa_location",
            "notes",
        ]
        widgets = {
            "link_date": DateInput(),
            "medical_notes": forms.Textarea(attrs={"rows": 2}),
            "preferences": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = participating_municipalities(membership)
        if membership.role == Role.MUNICIPALITY_OFFICER:
            municipalities = municipalities.filter(pk=membership.organisation.municipality_id)
        self.fields["linked_municipality"].queryset = municipalities

    def clean_link_date(self):
        link_date = self.cleaned_data["link_date"]
        if link_date > timezone.localdate():
            raise forms.ValidationError(_("The link date cannot be in the future."))
        return plausible_date(link_date, years_back=10)


class PersonForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "full_name",
            "date_of_birth",
            "role",
            "v_number",
            "present",
            "expected_arrival",
            "arrival_date",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "expected_arrival": DateInput(),
            "arrival_date": DateInput(),
        }

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if born.year < 1900:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean_v_number(self):
        v_number = self.cleaned_data["v_number"].strip()
        if v_number:
            clash = Person.objects.filter(v_number=v_number)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    _("This V-number is already registered for another person.")
                )
        return v_number

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("present") and cleaned.get("arrival_date"):
            self.add_error(
                "arrival_date",
                _("Only a member who is present has an arrival date; tick “present”."),
            )
        return cleaned


class BasePersonFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise forms.ValidationError(_("A household has at least one member."))
        if not any(member.get("present") for member in kept):
            raise forms.ValidationError(
                _("At least one member must be present in the Netherlands.")
            )
        mains = [m for m in kept if m.get("role") == Person.Role.MAIN]
        if len(mains) != 1:
            raise forms.ValidationError(_("A household has exactly one main applicant."))
        v_numbers = [m["v_number"] for m in kept if m.get("v_number")]
        if len(v_numbers) != len(set(v_numbers)):
            raise forms.ValidationError(_("Two members have the same V-number."))


PersonFormSet = inlineformset_factory(
    Household,
    Person,
    form=PersonForm,
    formset=BasePersonFormSet,
    extra=1,
    can_delete=True,
    min_num=0,
)


class HouseholdStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=Household._meta.get_field("status_reason").max_length,
    )

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = Household.MANUAL_TRANSITIONS.get(household.status, set())
        self.fields["status"].choices = [
            (value, label) for value, label in Household.Status.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") in {"own_home", "withdrawn"}
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give a reason when a household leaves the pool."))
        return cleaned


class VacancyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = [
            "corporation",
            "street",
            "postcode",
            "place",
            "municipality",
            "dwelling_type",
            "places",
            "rooms",
            "bedrooms",
            "floor_area",
            "floor",
            "has_lift",
            "wheelchair_accessible",
            "base_rent",
            "service_charges",
            "available_from",
            "return_deadline",
            "remarks",
        ]
        widgets = {
            "available_from": DateInput(),
            "return_deadline": DateInput(),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "base_rent": {"required": _("Enter the base rent.")},
            "municipality": {"required": _("Choose a municipality.")},
        }

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = participating_municipalities(membership)
        if membership.role == Role.CORPORATION:
            # A corporation submits for itself only: whatever is posted as corporation is ignored.
            del self.fields["corporation"]
            self.instance.corporation = membership.organisation
        else:
            self.fields["corporation"].queryset = Organisation.objects.filter(
                region_id=membership.organisation.region_id, kind=Organisation.Kind.CORPORATION
            )
        postcode = self.fields["postcode"]
        postcode.widget.attrs.update({"autocomplete": "postal-code", "maxlength": 12})
        # Accept sloppy spacing; the normalised value is checked against the 7-character format.
        postcode.max_length = None
        postcode.validators = [
            v for v in postcode.validators if not isinstance(v, MaxLengthValidator)
        ]

    def clean_available_from(self):
        return plausible_date(self.cleaned_data["available_from"], years_back=1, years_ahead=2)

    def clean_return_deadline(self):
        return plausible_date(self.cleaned_data["return_deadline"], years_back=1, years_ahead=2)

    def clean_postcode(self):
        # "3311ab", " 3311  AB " -> "3311 AB"; the model's validator then checks the format.
        compact = "".join(self.cleaned_data["postcode"].split()).upper()
        return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else compact

    def clean(self):
        cleaned = super().clean()
        rooms, bedrooms = cleaned.get("rooms"), cleaned.get("bedrooms")
        if rooms is not None and bedrooms is not None and bedrooms > rooms:
            self.add_error("bedrooms", _("A dwelling cannot have more bedrooms than rooms."))
        places, dwelling_type = cleaned.get("places"), cleaned.get("dwelling_type")
        if places and places > 1 and dwelling_type != Vacancy.DwellingType.SHARED:
            self.add_error("places", _("Only shared housing can take more than one household."))
        if self.instance.pk:
            held = list(
                self.instance.nominations.filter(status__in=Nomination.HOLDING).values_list(
                    "place", flat=True
                )
            )
            if held and places and places < max(held):
                self.add_error(
                    "places",
                    _("Place %(place)s has an active nomination: keep at least %(place)s places.")
                    % {"place": max(held)},
                )
            if held and dwelling_type and dwelling_type != self.instance.dwelling_type:
                self.add_error(
                    "dwelling_type",
                    _("The type cannot change while the vacancy has an active nomination."),
                )
        return cleaned


class VacancyReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=Vacancy._meta.get_field("return_reason").max_length,
        help_text=_("The corporation sees this reason."),
        error_messages={"required": _("Give a reason for returning the vacancy.")},
    )


# --- Meetings and nominations -------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class IdChoicesField(forms.ModelMultipleChoiceField):
    """Refuses a value beyond the 64-bit id range with the field's own message before the
    query: SQLite cannot even compare such a number and would raise instead of finding nothing."""

    ID_RANGE = range(-(2**63), 2**63)

    def _check_values(self, value):
        for pk in value:
            try:
                out_of_range = int(str(pk)) not in self.ID_RANGE
            except (TypeError, ValueError):
                out_of_range = False  # not a number: Django's own check says so
            if out_of_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class MeetingForm(StyledFormMixin, forms.ModelForm):
    """Place, attendees and notes; and the date, which the coordinator can move by hand while
    the meeting is planned (to a working day ahead on which the region has no meeting)."""

    class Meta:
        model = Meeting
        fields = ["date", "date_reason", "place", "attendees", "notes"]
        field_classes = {"attendees": IdChoicesField}
        widgets = {
            "date": DateInput(),
            "attendees": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["attendees"].queryset = Organisation.objects.filter(
            region_id=self.instance.region_id
        )
        if self.instance.status != Meeting.Status.PLANNED:
            self.fields["date"].disabled = True
            self.fields["date"].help_text = _("A meeting that has started keeps its date.")
        self.calendar = schedule.RegionCalendar.of(self.instance.region)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day == self.initial.get("date"):
            return day
        if day < self.today:
            raise forms.ValidationError(_("A meeting cannot be moved to a day that has passed."))
        plausible_date(day, years_back=0)
        problem = self.calendar.date_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        if (
            Meeting.objects.filter(region_id=self.instance.region_id, date=day)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(
                _("The region already has a meeting on %(day)s.") % {"day": schedule.day_label(day)}
            )
        return day

    def save(self, commit=True):
        meeting = self.instance
        if "date" in self.changed_data:
            on_schedule = meeting.rule_date and (
                self.calendar.scheduled(meeting.rule_date.year, meeting.rule_date.month).date
                == meeting.date
            )
            if on_schedule:
                meeting.placing, meeting.date_reason = Meeting.Placing.RULE, ""
            else:
                meeting.placing = Meeting.Placing.HAND
        return super().save(commit)


class MeetingRuleForm(StyledFormMixin, forms.ModelForm):
    """The region's meeting rule, e.g. the third Tuesday of the month."""

    class Meta:
        model = Region
        fields = ["meeting_week", "meeting_weekday"]


class ClosedDayForm(StyledFormMixin, forms.ModelForm):
    """A day or a range of days on which the region does not meet."""

    class Meta:
        model = ClosedDay
        fields = ["start_date", "end_date", "description"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {"end_date": _("Leave empty for a single day.")}

    def __init__(self, *args, region, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.region = region
        self.today = today
        self.fields["end_date"].required = False

    def clean_start_date(self):
        return plausible_date(self.cleaned_data["start_date"], years_back=1)

    def clean_end_date(self):
        day = self.cleaned_data.get("end_date")
        return plausible_date(day, years_back=1) if day else day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and not end:
            end = cleaned["end_date"] = start
            self.instance.end_date = start
        if not (start and end):
            return cleaned
        if end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        elif end < self.today:
            self.add_error("end_date", _("These days have passed: no meeting can move for them."))
        elif ClosedDay.objects.filter(
            region=self.instance.region, start_date=start, end_date=end
        ).exists():
            self.add_error("start_date", _("These closed days are already recorded."))
        return cleaned


class AgendaItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["notes", "decision", "outcome"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "decision": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Validation copies the posted values onto the instance: keep what is stored.
        self.stored_outcome = self.instance.outcome

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("outcome") == AgendaItem.Outcome.DECIDED
            and not cleaned.get("decision", "").strip()
        ):
            self.add_error("decision", _("Write down the decision."))
        if (
            self.stored_outcome == AgendaItem.Outcome.DEFERRED
            and cleaned.get("outcome") != AgendaItem.Outcome.DEFERRED
        ):
            self.add_error(
                "outcome",
                _("This item was deferred to the next meeting: it is dealt with there now."),
            )
        return cleaned

    @property
    def defers(self) -> bool:
        """Whether saving moves the item to the next meeting (it was not deferred before)."""
        return (
            self.cleaned_data.get("outcome") == AgendaItem.Outcome.DEFERRED
            and self.stored_outcome != AgendaItem.Outcome.DEFERRED
        )


class AgendaAddForm(StyledFormMixin, forms.Form):
    household = forms.CharField(
        label=_("Household reference"),
        required=False,
        max_length=Household._meta.get_field("reference").max_length,
        help_text=_("For example DS-2026-00012."),
    )
    vacancy = forms.ModelChoiceField(
        label=_("Vacancy"), queryset=Vacancy.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["vacancy"].queryset = (
            Vacancy.objects.visible_to(user)
            .filter(status__in=[Vacancy.Status.ACCEPTED, Vacancy.Status.ON_AGENDA])
            .exclude(pk__in=meeting.items.filter(kind="vacancy").values("vacancy_id"))
            .select_related("municipality")
        )

    def clean_household(self):
        reference = self.cleaned_data["household"].strip()
        if not reference:
            return None
        household = (
            Household.objects.visible_to(self.user)
            .select_related("linked_municipality")
            .filter(reference__iexact=reference)
            .first()
        )
        if household is None:
            raise forms.ValidationError(_("No household with this reference in your region."))
        return household

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("household")) == bool(cleaned.get("vacancy")):
            raise forms.ValidationError(_("Choose a household or a vacancy."))
        return cleaned


class MeetingCloseForm(StyledFormMixin, forms.Form):
    undecided = forms.ChoiceField(
        label=_("Agenda items without a decision"),
        choices=[
            ("defer", _("Move them to the next meeting")),
            ("drop", _("Drop them")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )


class WhyNotForm(forms.Form):
    """The "why not this household?" query string: a household reference, nothing else.

    Django's ``CharField`` refuses NUL bytes; the length is the reference's own maximum."""

    household = forms.CharField(
        label=_("Household reference"),
        max_length=Household._meta.get_field("reference").max_length,
        required=False,
        error_messages={
            "max_length": _("A household reference has at most %(limit_value)d characters.")
        },
    )


class NominateForm(StyledFormMixin, forms.Form):
    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none())
    override_reason = forms.CharField(
        label=_("Justification for overriding the rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=Nomination._meta.get_field("override_reason").max_length,
        help_text=_("Only needed when the household does not meet a rule; it is recorded."),
    )

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households


class ViewingForm(StyledFormMixin, forms.Form):
    when = forms.DateTimeField(label=_("Viewing date and time"), widget=DateTimeInput())

    def clean_when(self):
        when = self.cleaned_data["when"]
        plausible_date(when.date(), years_back=1, years_ahead=1)
        return when


class RefusalForm(StyledFormMixin, forms.Form):
    # No reason is chosen until someone chooses one: a preselected first reason would be
    # recorded for every refusal nobody looked at twice.
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("— choose a reason —")), *Nomination.RefusalReason.choices],
        error_messages={"required": _("Choose the reason for the refusal.")},
    )
    justified = forms.TypedChoiceField(
        label=_("Is the refusal justified?"),
        choices=[("yes", _("yes, justified")), ("no", _("no, not justified"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the refusal is justified.")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=Nomination._meta.get_field("refusal_notes").max_length,
    )


class LeaseForm(StyledFormMixin, forms.Form):
    signed_on = forms.DateField(label=_("Lease signed on"), widget=DateInput())
    lease_start = forms.DateField(label=_("Lease starts on"), widget=DateInput())

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("The signing date cannot be in the future."))
        return plausible_date(signed_on, years_back=2)

    def clean_lease_start(self):
        return plausible_date(self.cleaned_data["lease_start"], years_back=2, years_ahead=1)


class HousedForm(StyledFormMixin, forms.Form):
    move_in_date = forms.DateField(label=_("Move-in date"), widget=DateInput())

    def clean_move_in_date(self):
        return plausible_date(self.cleaned_data["move_in_date"], years_back=2, years_ahead=1)


class CoaReportForm(StyledFormMixin, forms.Form):
    reported_on = forms.DateField(label=_("Reported to COA on"), widget=DateInput())

    def clean_reported_on(self):
        reported_on = self.cleaned_data["reported_on"]
        if reported_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return plausible_date(reported_on, years_back=2)


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=Nomination._meta.get_field("cancel_reason").max_length,
    )


# --- Caseloads (minimisation by purpose) ---------------------------------------------------


class SupportLinkForm(StyledFormMixin, forms.ModelForm):
    """The coordinator puts a household in a support organisation's caseload."""

    class Meta:
        model = SupportLink
        fields = ["organisation", "may_see_income", "may_see_medical"]
        help_texts = {
            "organisation": _("Its partners see this household in full, except what is below."),
            "may_see_income": _("Only when the support needs it, for example a budget plan."),
            "may_see_medical": _("Medical notes are a special category: grant only when needed."),
        }

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["organisation"].queryset = Organisation.objects.filter(
            region_id=household.linked_municipality.region_id,
            kind=Organisation.Kind.SUPPORT,
        ).exclude(support_links__household=household)
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "Choose a support organisation of this region that does not support it yet."
        )


class SupportGrantsForm(StyledFormMixin, forms.ModelForm):
    """The grants of one caseload link, changed on the household page."""

    class Meta:
        model = SupportLink
        fields = ["may_see_income", "may_see_medical"]


# --- A lease that falls through, a household that leaves -----------------------------------


class DissolveLeaseForm(StyledFormMixin, forms.Form):
    """The signed lease is dissolved (ontbonden): why, when, and what becomes of the vacancy."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("— choose a reason —")), *Nomination.DissolutionReason.choices],
        error_messages={"required": _("Choose why the lease was dissolved.")},
    )
    dissolved_on = forms.DateField(label=_("Lease dissolved on"), widget=DateInput())
    vacancy_to = forms.ChoiceField(
        label=_("The vacancy"),
        choices=[
            ("open", _("open again: nominate another household")),
            ("withdrawn", _("withdrawn by the corporation")),
        ],
        initial="open",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=Nomination._meta.get_field("dissolution_notes").max_length,
    )

    def __init__(self, *args, nomination: Nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.nomination = nomination

    def clean_dissolved_on(self):
        day = self.cleaned_data["dissolved_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        signed_on = self.nomination.lease_signed_on
        if signed_on and day < signed_on:
            raise forms.ValidationError(
                _("The lease was signed on %(date)s: it cannot be dissolved before that.")
                % {"date": signed_on.strftime("%d-%m-%Y")}
            )
        return plausible_date(day, years_back=2)

    def clean_vacancy_to(self):
        choice = self.cleaned_data["vacancy_to"]
        if choice == "withdrawn" and self.nomination.other_places_taken():
            raise forms.ValidationError(
                _("Another place of this dwelling is still taken: it cannot be withdrawn.")
            )
        return choice


class MovedOutForm(StyledFormMixin, forms.Form):
    """The household left the dwelling some time after moving in."""

    moved_out_on = forms.DateField(label=_("Left the dwelling on"), widget=DateInput())

    def __init__(self, *args, nomination: Nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.nomination = nomination

    def clean_moved_out_on(self):
        day = self.cleaned_data["moved_out_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        move_in = self.nomination.move_in_date
        if move_in and day < move_in:
            raise forms.ValidationError(
                _("The household moved in on %(date)s: it cannot have left before that.")
                % {"date": move_in.strftime("%d-%m-%Y")}
            )
        return plausible_date(day, years_back=5)


class OwnHomeForm(StyledFormMixin, forms.Form):
    """The household found its own home: where it registers (inschrijft) and from when."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality where the household registers"),
        queryset=Municipality.objects.none(),
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Remarks"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=Household._meta.get_field("status_reason").max_length,
    )

    def __init__(self, *args, household: Household, **kwargs):
        self.household = household
        super().__init__(*args, prefix="own_home", **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            region_id=household.linked_municipality.region_id
        ).order_by("name")
        self.fields["municipality"].initial = household.linked_municipality_id
        self.fields["registered_on"].help_text = _(
            "Not in the future, not before the link date (%(date)s)."
        ) % {"date": household.link_date.strftime("%d-%m-%Y")}

    def clean_registered_on(self):
        day = plausible_date(self.cleaned_data["registered_on"])
        if day > timezone.localdate():
            raise forms.ValidationError(_("The registration date cannot be in the future."))
        if day < self.household.link_date:
            raise forms.ValidationError(
                _("The registration date cannot be before the link date (%(date)s).")
                % {"date": self.household.link_date.strftime("%d-%m-%Y")}
            )
        return day
