"""The nomination workflow: nominate a household for a place of a vacancy and record what follows.

proposed (in the meeting's proposal) -> nominated to the corporation -> viewing planned ->
accepted or refused -> lease signed -> housed. Each step moves the household and the vacancy
along; a refusal or cancellation sends the household back to the pool and the vacancy back to
the agenda.

Integrity: a place of a vacancy and a household are each in at most one holding nomination.
The database enforces it (partial unique constraints); the service also locks the vacancy row
and then the household row — always in that order, so two requests cannot deadlock — and
re-checks under the lock, so the loser of a race gets a clear message instead of an error.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import candidates, matching
from .models import AgendaItem, Household, Meeting, Nomination, Vacancy


class NominationRefused(Exception):
    """The nomination cannot be made; ``reasons`` are for the user."""

    def __init__(self, message: str, reasons: list[str] | None = None):
        super().__init__(message)
        self.reasons = reasons or []


class OutcomeError(Exception):
    """An outcome that does not fit the nomination's current step."""


def _move(nomination: Nomination, to: str) -> None:
    if to not in Nomination.TRANSITIONS[nomination.status]:
        raise OutcomeError(
            _("A nomination that is “%(old)s” cannot become “%(new)s”.")
            % {"old": nomination.get_status_display(), "new": Nomination.Status(to).label}
        )
    nomination.status = to


def _set_household(household: Household, to: str, reason: str = "") -> None:
    if household.status == to:
        return
    if to not in Household.TRANSITIONS[household.status]:
        raise OutcomeError(
            _("The household is “%(status)s” and cannot move on to “%(new)s”.")
            % {"status": household.get_status_display(), "new": Household.Status(to).label}
        )
    household.status = to
    household.status_changed_at = timezone.now()
    if reason:
        household.status_reason = reason
    household.save(update_fields=["status", "status_changed_at", "status_reason", "updated_at"])


def sync_vacancy_status(vacancy: Vacancy) -> None:
    """Derive a vacancy's status from its nominations: every place held -> nominated; every
    place leased -> let; a place free again -> back to the agenda (or accepted)."""
    if vacancy.status in (Vacancy.Status.RETURNED, Vacancy.Status.WITHDRAWN):
        return
    statuses = list(
        vacancy.nominations.filter(status__in=Nomination.HOLDING).values_list("status", flat=True)
    )
    if len(statuses) >= vacancy.places and all(
        s in (Nomination.Status.LEASE_SIGNED, Nomination.Status.HOUSED) for s in statuses
    ):
        target = Vacancy.Status.LET
    elif len(statuses) >= vacancy.places:
        target = Vacancy.Status.NOMINATED
    elif AgendaItem.objects.filter(
        vacancy=vacancy,
        kind=AgendaItem.Kind.VACANCY,
        meeting__status__in=[Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS],
    ).exists():
        target = Vacancy.Status.ON_AGENDA
    else:
        target = Vacancy.Status.ACCEPTED
    if vacancy.status != target:
        vacancy.status = target
        vacancy.status_changed_at = timezone.now()
        vacancy.save(update_fields=["status", "status_changed_at", "updated_at"])


@transaction.atomic
def nomination_create(
    *,
    vacancy: Vacancy,
    household: Household,
    by,
    place: int | None = None,
    meeting: Meeting | None = None,
    override_reason: str = "",
    today: datetime.date | None = None,
) -> Nomination:
    """Nominate ``household`` for a free place of ``vacancy``.

    Guarantees: the place and the household end up in exactly one holding nomination or the
    call raises ``NominationRefused`` and nothing is written. A household that fails a hard
    matching rule is only nominated with a written ``override_reason``; the failed rules and
    the justification are stored on the nomination.
    """
    today = today or candidates.today()
    # Fixed lock order: vacancy, then household.
    locked_vacancy = (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=vacancy.pk)
    )
    locked_household = (
        Household.objects.select_for_update(of=("self",))
        .select_related("linked_municipality")
        .get(pk=household.pk)
    )
    if locked_vacancy.municipality.region_id != locked_household.linked_municipality.region_id:
        raise NominationRefused(_("The household and the vacancy are in different regions."))
    if locked_vacancy.status not in (
        Vacancy.Status.ACCEPTED,
        Vacancy.Status.ON_AGENDA,
        Vacancy.Status.NOMINATED,
    ):
        raise NominationRefused(
            _("The vacancy is “%(status)s”: it cannot take a nomination.")
            % {"status": locked_vacancy.get_status_display()}
        )
    if Nomination.objects.filter(
        household=locked_household, status__in=Nomination.HOLDING
    ).exists():
        raise NominationRefused(
            _("Household %(ref)s already has an active nomination.")
            % {"ref": locked_household.reference}
        )
    if locked_household.status not in candidates.NOMINATABLE:
        raise NominationRefused(
            _("Household %(ref)s is “%(status)s” and cannot be nominated.")
            % {"ref": locked_household.reference, "status": locked_household.get_status_display()}
        )
    free = candidates.free_places(locked_vacancy)
    if not free:
        raise NominationRefused(_("Every place of this vacancy already has a nomination."))
    if place is None:
        place = free[0]
    elif not 1 <= place <= locked_vacancy.places:
        raise NominationRefused(_("This vacancy has no place %(place)s.") % {"place": place})
    elif place not in free:
        raise NominationRefused(
            _("Place %(place)s of this vacancy already has a nomination.") % {"place": place}
        )

    sized = Household.objects.with_sizes().get(pk=locked_household.pk)
    explanation = matching.explain(
        candidates.to_dwelling(locked_vacancy, candidates.rent_caps()),
        candidates.to_candidate(sized),
        matching.MatchSettings.from_settings(),
        today,
    )
    if explanation.reasons and not override_reason.strip():
        raise NominationRefused(
            _("This household does not meet the rules for this dwelling."), explanation.reasons
        )
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                vacancy=locked_vacancy,
                place=place,
                household=locked_household,
                meeting=meeting,
                score=explanation.total,
                score_parts=[[label, points] for label, points in explanation.parts],
                rule_failures=explanation.reasons,
                override_reason=override_reason.strip() if explanation.reasons else "",
                nominated_by=by,
            )
    except IntegrityError as exc:  # a concurrent request won between our check and insert
        raise NominationRefused(
            _("Someone else nominated this household or filled this place just now.")
        ) from exc
    _set_household(locked_household, Household.Status.NOMINATED)
    sync_vacancy_status(locked_vacancy)
    return nomination


def _locked(nomination: Nomination, *, vacancy_may_be_closed: bool = False) -> Nomination:
    # Same order as nomination_create: vacancy, household, then the nomination itself.
    Vacancy.objects.select_for_update().filter(pk=nomination.vacancy_id).first()
    Household.objects.select_for_update().filter(pk=nomination.household_id).first()
    locked = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("vacancy", "household")
        .get(pk=nomination.pk)
    )
    closed = (Vacancy.Status.RETURNED, Vacancy.Status.WITHDRAWN)
    if locked.vacancy.status in closed and not vacancy_may_be_closed:
        raise OutcomeError(
            _("The vacancy is “%(status)s”: this nomination cannot go on.")
            % {"status": locked.vacancy.get_status_display()}
        )
    return locked


@transaction.atomic
def nomination_plan_viewing(*, nomination: Nomination, when: datetime.datetime) -> Nomination:
    n = _locked(nomination)
    if n.status == Nomination.Status.VIEWING:
        n.viewing_at = when  # moving the appointment
    else:
        _move(n, Nomination.Status.VIEWING)
        n.viewing_at = when
        _set_household(n.household, Household.Status.VIEWING)
    n.save()
    return n


@transaction.atomic
def nomination_accept(*, nomination: Nomination) -> Nomination:
    """The household accepts the dwelling after the viewing (or without one)."""
    n = _locked(nomination)
    _move(n, Nomination.Status.ACCEPTED)
    _set_household(n.household, Household.Status.VIEWING)
    n.save()
    return n


@transaction.atomic
def nomination_refuse(
    *, nomination: Nomination, reason: str, justified: bool, notes: str = ""
) -> Nomination:
    """Record a refusal: the household returns to the pool, the place to the agenda."""
    if reason not in Nomination.RefusalReason.values:
        raise OutcomeError(_("Choose a refusal reason."))
    n = _locked(nomination)
    _move(n, Nomination.Status.REFUSED)
    n.refusal_reason = reason
    n.refusal_justified = justified
    n.refusal_notes = notes
    n.save()
    household = n.household
    household.refusal_justified = justified
    household.save(update_fields=["refusal_justified"])
    _set_household(
        household,
        Household.Status.SEARCHING,
        reason=_("Refused %(vacancy)s: %(reason)s")
        % {"vacancy": n.vacancy, "reason": n.get_refusal_reason_display()},
    )
    _back_to_agenda(n.vacancy)
    return n


@transaction.atomic
def nomination_cancel(*, nomination: Nomination, reason: str) -> Nomination:
    if not reason.strip():
        raise OutcomeError(_("Give a reason for cancelling the nomination."))
    n = _locked(nomination, vacancy_may_be_closed=True)
    _move(n, Nomination.Status.CANCELLED)
    n.cancel_reason = reason.strip()
    n.save()
    _set_household(n.household, Household.Status.SEARCHING, reason=reason.strip())
    _back_to_agenda(n.vacancy)
    return n


@transaction.atomic
def nomination_sign_lease(
    *, nomination: Nomination, signed_on: datetime.date, lease_start: datetime.date
) -> Nomination:
    if lease_start < signed_on - datetime.timedelta(days=366):
        raise OutcomeError(_("Check the dates: the lease starts long before it was signed."))
    n = _locked(nomination)
    if n.status in (Nomination.Status.NOMINATED, Nomination.Status.VIEWING):
        _move(n, Nomination.Status.ACCEPTED)  # signing implies the household accepted
    _move(n, Nomination.Status.LEASE_SIGNED)
    n.lease_signed_on = signed_on
    n.lease_start = lease_start
    n.save()
    _set_household(n.household, Household.Status.LEASE_SIGNED)
    sync_vacancy_status(n.vacancy)
    return n


@transaction.atomic
def nomination_mark_housed(*, nomination: Nomination, move_in_date: datetime.date) -> Nomination:
    n = _locked(nomination)
    if n.lease_start and move_in_date < n.lease_start - datetime.timedelta(days=31):
        raise OutcomeError(_("The move-in date is long before the lease starts."))
    _move(n, Nomination.Status.HOUSED)
    n.move_in_date = move_in_date
    n.save()
    _set_household(n.household, Household.Status.HOUSED)
    sync_vacancy_status(n.vacancy)
    return n


@transaction.atomic
def nomination_report_to_coa(*, nomination: Nomination, reported_on: datetime.date) -> Nomination:
    """Record the day the placement was reported to COA (one of the quota counting dates)."""
    n = _locked(nomination)
    if n.status not in (Nomination.Status.LEASE_SIGNED, Nomination.Status.HOUSED):
        raise OutcomeError(_("Only a placement with a signed lease is reported to COA."))
    if n.lease_signed_on and reported_on < n.lease_signed_on:
        raise OutcomeError(_("The report to COA cannot be before the lease was signed."))
    n.reported_to_coa_on = reported_on
    n.save()
    return n


def _back_to_agenda(vacancy: Vacancy) -> None:
    """Put a vacancy whose place came free again on the next open meeting's agenda."""
    vacancy.refresh_from_db()
    meeting = (
        Meeting.objects.filter(
            region_id=vacancy.municipality.region_id,
            status__in=[Meeting.Status.PLANNED, Meeting.Status.IN_PROGRESS],
            date__gte=candidates.today(),
        )
        .order_by("date")
        .first()
    )
    if meeting is not None:
        AgendaItem.objects.get_or_create(
            meeting=meeting,
            kind=AgendaItem.Kind.VACANCY,
            vacancy=vacancy,
            defaults={"position": 0},
        )
    sync_vacancy_status(vacancy)
