"""The hooks the placement services call where something happens: each gives its notices
after the transaction commits, so a rolled-back action tells nobody anything.

One call each, e.g. in ``placement.nominating.nomination_create``:
``events.nomination_created(nomination)``.
"""

from __future__ import annotations

from django.db import transaction


def _after_commit(name: str, pk: int) -> None:
    def give() -> None:
        from . import services  # the placement services import this module

        getattr(services, name)(pk)

    transaction.on_commit(give)


def nomination_created(nomination) -> None:
    _after_commit("nomination_created", nomination.pk)


def vacancy_submitted(vacancy) -> None:
    _after_commit("vacancy_submitted", vacancy.pk)


def lease_signed(nomination) -> None:
    _after_commit("lease_signed", nomination.pk)


def meeting_closed(meeting) -> None:
    _after_commit("meeting_closed", meeting.pk)
