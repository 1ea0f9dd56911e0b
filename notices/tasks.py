"""Background work of the notices: sending their e-mails (Django's Tasks framework)."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import Notice


@task
def send_notice_emails(notice_ids: list[int]) -> int:
    """E-mail each notice that wants it and was not e-mailed yet; record when. Each notice is
    locked while it is sent, so two workers never send the same one twice. Returns how many
    were sent."""
    from .delivery import build_email

    sent = 0
    attachments: dict = {}  # one PDF per meeting, kind and language for the whole batch
    for notice_id in notice_ids:
        with transaction.atomic():
            notice = (
                Notice.objects.select_for_update(of=("self",))
                .select_related("recipient", "household", "vacancy", "nomination", "meeting")
                .filter(pk=notice_id, email_wanted=True, emailed_at__isnull=True)
                .first()
            )
            if notice is None or not notice.recipient.email:
                continue
            build_email(notice, cache=attachments).send()
            notice.emailed_at = timezone.now()
            notice.save(update_fields=["emailed_at"])
            sent += 1
    return sent
