"""The COA list upload form: the file is read here, so a file that cannot be used is refused
at the field, with the reason, and nothing is stored."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from placement.forms import StyledFormMixin

from . import coa


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("COA list"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or Windows-1252, separated by ; or ,) or XLSX, one row per person."
        ),
        error_messages={"required": gettext_lazy("Choose the COA list (a CSV or XLSX file).")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_bytes = b""
        self.sheet: coa.Sheet | None = None
        limits = _("At most %(bytes)s bytes and %(rows)s rows.") % {
            "bytes": number_format(settings.IMPORT_MAX_BYTES, force_grouping=True),
            "rows": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
        }
        self.fields["file"].help_text = f"{self.fields['file'].help_text} {limits}"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; at most %(limit)s bytes can be imported.")
                % {
                    "size": number_format(upload.size, force_grouping=True),
                    "limit": number_format(settings.IMPORT_MAX_BYTES, force_grouping=True),
                }
            )
        data = upload.read()
        try:
            self.sheet = coa.read_file(data, upload.name or "")
        except coa.FileProblem as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.data_bytes = data
        return upload
