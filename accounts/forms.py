from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with the username's length enforced (Django only sets the widget's
    maxlength): an over-long name would otherwise reach django-axes, whose attempt log holds
    255 characters, and answer a server error (found by tests/test_fuzz_inputs.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class CodeForm(forms.Form):
    """A 6-digit code from the authenticator app, or a recovery code."""

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=24,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_otp_token(self) -> str:
        code = "".join(self.cleaned_data["otp_token"].split())
        if not code.isalnum():
            raise forms.ValidationError(_("Enter the code of digits or letters."))
        return code


class SetupForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
