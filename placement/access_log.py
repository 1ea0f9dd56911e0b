"""Recording and purging reads of personal data (``PersonalDataView``).

Every page, page part, export or PDF that shows a household's personal data beyond the meeting
data records who saw it, when, where and which groups; a list records all its rows in one
query. The table is append-only on PostgreSQL (a trigger refuses UPDATE and DELETE); only
``purge_personal_data_views`` may delete, for retention."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction

from regions.access import PERSONAL_GROUPS, Group

from .models import PersonalDataView

# The transaction-local flag the trigger accepts for a DELETE (migration 0006).
PURGE_FLAG = "placement.purging_views"


def _groups_text(groups: Iterable[Group]) -> str:
    shown = set(groups)
    return ",".join(g.value for g in Group if g in shown)


def record_views(
    *,
    user,
    shown: Iterable[tuple[int, Iterable[Group]]],
    channel: str,
    page: str,
) -> int:
    """Log the reads of ``(household_id, groups shown)`` pairs that hold personal data (the
    meeting data alone is not logged), in one INSERT. Returns the number of rows."""
    rows = [
        PersonalDataView(
            user=user,
            household_id=household_id,
            channel=channel,
            page=page[:100],
            groups=_groups_text(personal),
        )
        for household_id, groups in shown
        if (personal := set(groups) & PERSONAL_GROUPS)
    ]
    if rows:
        PersonalDataView.objects.bulk_create(rows)
    return len(rows)


def channel_of(request) -> str:
    """An htmx request renders a page part; anything else is a page."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return PersonalDataView.Channel.PARTIAL
    return PersonalDataView.Channel.PAGE


def page_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match else "") or request.path[:100]


def record_request_views(
    request, shown: Iterable[tuple[int, Iterable[Group]]], *, channel=None
) -> int:
    """``record_views`` for a request: its user, channel and URL name."""
    return record_views(
        user=request.user,
        shown=shown,
        channel=channel or channel_of(request),
        page=page_of(request),
    )


@transaction.atomic
def purge_personal_data_views(*, before: datetime.datetime) -> int:
    """Delete the log rows recorded before ``before`` (retention); returns how many. The only
    way past the append-only trigger: it sets a flag local to this transaction."""
    if connection.vendor != "postgresql":
        return PersonalDataView.objects.filter(viewed_at__lt=before).delete()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_FLAG])
        try:
            return PersonalDataView.objects.filter(viewed_at__lt=before).delete()[0]
        finally:
            # Called inside a caller's transaction, the flag would outlive this function.
            cursor.execute("SELECT set_config(%s, 'off', true)", [PURGE_FLAG])
