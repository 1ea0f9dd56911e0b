"""The e-mail of a notice: plain text with an HTML alternative, in the recipient's language,
the subject prefixed "[Plaatsingsdesk]", an absolute link back into the app (``SITE_URL``),
and for the meeting's agenda and decision list their PDF (the printed documents, which carry
no personal data: references and sizes only).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from placement.models import Meeting

from . import rules, texts
from .models import Kind, Notice


def recipient_language(user) -> str:
    """The language to write to ``user`` in. Accounts keep no language preference (yet), so
    it is the site's language, Dutch; never the language of whoever caused the notice."""
    return settings.LANGUAGE_CODE


def absolute(path: str) -> str:
    return f"{rules.site_url()}{path}"


def attachment(notice: Notice, language: str, cache: dict) -> tuple[str, bytes, str] | None:
    """The PDF that goes with a meeting notice (rendered once per meeting, kind and language
    in a batch: ``cache``)."""
    if notice.kind not in (Kind.AGENDA_READY, Kind.DECISIONS_READY) or not notice.meeting_id:
        return None
    key = (notice.kind, notice.meeting_id, language)
    if key not in cache:
        cache[key] = meeting_pdf(notice.meeting_id, notice.kind, language)
    return cache[key]


def meeting_pdf(meeting_id: int, kind: str, language: str) -> tuple[str, bytes, str]:
    """The agenda or decision list of the meeting as the meeting page prints it."""
    # The meeting views make the documents; imported here (placement stands below notices'
    # delivery, but its views import much more than this module needs at import time).
    from placement.views.meetings import agenda_pdf_document, decisions_pdf_document

    meeting = Meeting.objects.select_related("region").get(pk=meeting_id)
    if kind == Kind.AGENDA_READY:
        pdf, name = agenda_pdf_document(meeting, absolute("/"), language=language)
    else:
        pdf, name = decisions_pdf_document(meeting, language=language)
    return name, pdf, "application/pdf"


def build_email(notice: Notice, *, cache: dict | None = None) -> EmailMultiAlternatives:
    """The message for ``notice`` (its recipient, subjects and meeting loaded)."""
    language = recipient_language(notice.recipient)
    with translation.override(language):
        context = {
            "notice": notice,
            "recipient": notice.recipient,
            "summary": texts.summary(notice),
            "link": absolute(texts.path(notice)),
            "notices_link": absolute(reverse("notice_list")),
            "preferences_link": absolute(reverse("notice_preferences")),
            "language": language,
        }
        subject = f"{rules.SUBJECT_PREFIX} {notice.get_kind_display()}"
        text = render_to_string(f"notices/email/{notice.kind}.txt", context)
        html = render_to_string(f"notices/email/{notice.kind}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[notice.recipient.email])
    message.attach_alternative(html, "text/html")
    pdf = attachment(notice, language, cache if cache is not None else {})
    if pdf is not None:
        message.attach(*pdf)
    message.extra_headers["Content-Language"] = language
    return message
