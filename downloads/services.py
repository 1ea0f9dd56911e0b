"""Starting a prepared download, and purging expired ones."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from .models import PreparedDownload
from .tasks import TASKS


def download_prepare(
    *, owner, kind: str, parameters: dict, title: str, filename: str, content_type: str
) -> PreparedDownload:
    """Record the download and queue the task that makes its file (in the owner's language).
    Guarantees the row exists before the task can look for it."""
    download = PreparedDownload.objects.create(
        owner=owner,
        kind=kind,
        parameters={**parameters, "language": translation.get_language()},
        title=title[:200],
        filename=filename[:200],
        content_type=content_type,
    )
    TASKS[kind].enqueue(download.pk)
    return download


def downloads_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the downloads whose 24 hours have passed; returns how many."""
    return PreparedDownload.objects.expired(now or timezone.now()).delete()[0]
