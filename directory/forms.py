"""Forms of the who's who: a participant (the coordinator's and one's own), an organisation,
and who attends a meeting."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from placement.forms import IdChoicesField, StyledFormMixin
from regions.models import Municipality, Organisation, Region

from .models import Participant

# The kinds of organisation a region has (a province stands beside the regions).
REGION_KINDS = [
    Organisation.Kind.DESK,
    Organisation.Kind.MUNICIPALITY,
    Organisation.Kind.CORPORATION,
    Organisation.Kind.SUPPORT,
]


def region_organisations(region: Region):
    return Organisation.objects.filter(region=region).order_by("name")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class ParticipantForm(StyledFormMixin, forms.ModelForm):
    """The coordinator's form: everything of one entry, within the region."""

    class Meta:
        model = Participant
        fields = ["organisation", "name", "table_role", "email", "phone", "user", "active"]
        field_classes = {"user": UserChoiceField}
        widgets = {
            "table_role": forms.RadioSelect,
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["organisation"].queryset = region_organisations(region)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(membership__organisation__region=region, is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["user"].required = False
        if not self.instance.pk or self.instance.active:
            # Leaving the table has its own confirm step; the box only brings someone back.
            del self.fields["active"]

    def clean(self):
        cleaned = super().clean()
        user, organisation = cleaned.get("user"), cleaned.get("organisation")
        if user and organisation and user.membership.organisation_id != organisation.pk:
            self.add_error(
                "user",
                _("This account belongs to %(organisation)s, not to the chosen organisation.")
                % {"organisation": user.membership.organisation.name},
            )
        return cleaned


class OwnEntryForm(StyledFormMixin, forms.ModelForm):
    """What a person changes of their own entry: how they are called and reached."""

    class Meta:
        model = Participant
        fields = ["name", "email", "phone"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Participant.objects.filter(
            organisation_id=self.instance.organisation_id, name=name
        ).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This organisation already has a person by this name."))
        return name


class OrganisationForm(StyledFormMixin, forms.ModelForm):
    """An organisation of the region: the coordinator adds and renames them."""

    class Meta:
        model = Organisation
        fields = ["name", "kind", "municipality"]

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.instance.region = region
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in REGION_KINDS]
        self.fields["municipality"].queryset = Municipality.objects.filter(region=region)
        if self.instance.pk:
            # Accounts belong to it by kind (regions.models.ROLE_ORGANISATION_KINDS).
            self.fields["kind"].disabled = True

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Organisation.objects.filter(region=self.region, name=name).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(_("The region already has an organisation by this name."))
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Organisation.Kind.MUNICIPALITY and not cleaned.get(
            "municipality"
        ):
            self.add_error("municipality", _("Choose the municipality this organisation is."))
        return cleaned


class ParticipantChoiceField(IdChoicesField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.organisation.name} ({obj.get_table_role_display()})"


class AttendanceForm(StyledFormMixin, forms.Form):
    participants = ParticipantChoiceField(
        label=_("People at the table"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisation of everyone ticked counts as attending the meeting."),
    )

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Participant.objects.filter(
            organisation__region=region, active=True
        ).select_related("organisation")
