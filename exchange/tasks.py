"""Background work of the COA list import: large files are analysed and imported by a worker
(``manage.py db_worker``); the batch page polls the progress. Small files run in the request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from . import coa


@task
def analyse_import(batch_id: int) -> None:
    """Check every row of an uploaded COA list and keep the preview (progress per chunk)."""
    coa.analyse_batch(batch_id)


@task
def apply_import(batch_id: int, user_id: int | None) -> None:
    """Import a confirmed batch (one transaction; see ``coa.import_apply``)."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    coa.apply_and_report(batch_id=batch_id, user=user)
