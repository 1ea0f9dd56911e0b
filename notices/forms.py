from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind, NoticePreference

APP, EMAIL = "app", "email"
CHANNELS = [(APP, _("in the app")), (EMAIL, _("by e-mail"))]


class PreferencesForm(forms.Form):
    """For each kind of notice the user's role gets: in the app and by e-mail, on or off (a
    checkbox group per kind; both ticked unless switched off before)."""

    def __init__(self, *args, user, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = {p.kind: p for p in NoticePreference.objects.filter(user=user)}
        for kind in kinds:
            preference = chosen.get(kind)
            initial = [APP, EMAIL]
            if preference is not None:
                switched = ((APP, preference.in_app), (EMAIL, preference.email))
                initial = [channel for channel, on in switched if on]
            self.fields[kind] = forms.MultipleChoiceField(
                label=Kind(kind).label,
                choices=CHANNELS,
                required=False,
                initial=initial,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            )

    def save(self) -> None:
        for kind, channels in self.cleaned_data.items():
            NoticePreference.objects.update_or_create(
                user=self.user,
                kind=kind,
                defaults={"in_app": APP in channels, "email": EMAIL in channels},
            )
