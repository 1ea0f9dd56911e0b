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

from notices import events as notice_events

from . import agenda_decisions, candidates, matching
from .models import AgendaItem, Household, Meeting, Nomination, Vacancy
from .schedule import next_scheduled_meeting


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
    statuses = list(vacancy.nominations.taking_a_place().values_list("status", flat=True))
    let = (Nomination.Status.LEASE_SIGNED, Nomination.Status.HOUSED, Nomination.Status.MOVED_OUT)
    if len(statuses) >= vacancy.places and all(s in let for s in statuses):
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
    # The agenda items this nomination decides (vacancy, household), in whichever open meeting.
    agenda_decisions.settle(vacancy=locked_vacancy, household=locked_household)
    notice_events.nomination_created(nomination)
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
    agenda_decisions.settle(nomination=n)
    _back_to_agenda(
        n.vacancy,
        household=household,
        why=_("%(ref)s refused (%(reason)s)")
        % {"ref": household.reference, "reason": n.get_refusal_reason_display()},
    )
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
    agenda_decisions.settle(nomination=n)
    _back_to_agenda(
        n.vacancy,
        household=n.household,
        why=_("nomination of %(ref)s cancelled") % {"ref": n.household.reference},
    )
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
    agenda_decisions.settle(nomination=n)
    notice_events.lease_signed(n)
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


# What becomes of the vacancy when its lease is dissolved: the corporation chooses.
VACANCY_REOPEN = "open"
VACANCY_WITHDRAW = "withdrawn"


@transaction.atomic
def nomination_dissolve_lease(
    *,
    nomination: Nomination,
    reason: str,
    dissolved_on: datetime.date,
    vacancy_to: str,
    notes: str = "",
    today: datetime.date | None = None,
) -> Nomination:
    """The signed lease falls through (ontbonden) before the household moves in.

    Guarantees, all or nothing, under the locks of vacancy, household and nomination (so of two
    people dissolving at once, one wins and the other gets a clear ``OutcomeError``): the
    nomination is dissolved with its coded reason and date (not before signing, not in the
    future); the household is searching again with its link date, and so its waiting time,
    unchanged; the vacancy is open for another nomination (on the next meeting's agenda) or
    withdrawn, as chosen; the quota no longer counts the placement (``quota.counting``).
    """
    today = today or candidates.today()
    if reason not in Nomination.DissolutionReason.values:
        raise OutcomeError(_("Choose why the lease was dissolved."))
    if vacancy_to not in (VACANCY_REOPEN, VACANCY_WITHDRAW):
        raise OutcomeError(_("Choose what happens to the vacancy."))
    if dissolved_on > today:
        raise OutcomeError(_("The date the lease was dissolved cannot be in the future."))
    n = _locked(nomination, vacancy_may_be_closed=True)
    if n.status == Nomination.Status.DISSOLVED:  # e.g. the other one of two at the same moment
        raise OutcomeError(_("This lease has already been dissolved."))
    if n.vacancy.status in (Vacancy.Status.RETURNED, Vacancy.Status.WITHDRAWN):
        raise OutcomeError(
            _("The vacancy is “%(status)s”: this nomination cannot go on.")
            % {"status": n.vacancy.get_status_display()}
        )
    _move(n, Nomination.Status.DISSOLVED)
    if dissolved_on < n.lease_signed_on:
        raise OutcomeError(_("A lease cannot be dissolved before it was signed."))
    if vacancy_to == VACANCY_WITHDRAW and n.other_places_taken():
        raise OutcomeError(
            _("Another place of this dwelling is still taken: the vacancy cannot be withdrawn.")
        )
    n.dissolved_on = dissolved_on
    n.dissolution_reason = reason
    n.dissolution_notes = notes.strip()
    n.save()
    _set_household(
        n.household,
        Household.Status.SEARCHING,
        reason=_("Lease of %(vacancy)s dissolved: %(reason)s")
        % {"vacancy": n.vacancy, "reason": n.get_dissolution_reason_display()},
    )
    agenda_decisions.settle(nomination=n)
    if vacancy_to == VACANCY_WITHDRAW:
        vacancy = n.vacancy
        vacancy.status = Vacancy.Status.WITHDRAWN
        vacancy.status_changed_at = timezone.now()
        vacancy.save(update_fields=["status", "status_changed_at", "updated_at"])
    else:
        _back_to_agenda(
            n.vacancy,
            household=n.household,
            why=_("lease of %(ref)s dissolved (%(reason)s)")
            % {"ref": n.household.reference, "reason": n.get_dissolution_reason_display()},
        )
    return n


@transaction.atomic
def nomination_move_out(
    *, nomination: Nomination, moved_out_on: datetime.date, today: datetime.date | None = None
) -> Nomination:
    """The household left the dwelling (vertrokken) some time after moving in.

    Guarantees, all or nothing, under the same locks: the nomination records the day (not
    before the move-in, not in the future); the household is "left the dwelling", a closed
    status: it is not back in the pool unless the desk registers it again by hand (status
    searching), since most who leave find their own way; the vacancy stays let (the corporation
    offers the dwelling again as a new vacancy); a placement that had counted stays counted in
    its period (``quota.counting``).
    """
    today = today or candidates.today()
    if moved_out_on > today:
        raise OutcomeError(_("The day the household left cannot be in the future."))
    n = _locked(nomination)
    if n.status == Nomination.Status.MOVED_OUT:
        raise OutcomeError(_("The departure from this dwelling has already been recorded."))
    _move(n, Nomination.Status.MOVED_OUT)
    if moved_out_on < n.move_in_date:
        raise OutcomeError(_("The household cannot leave before it moved in."))
    n.moved_out_on = moved_out_on
    n.save()
    _set_household(
        n.household,
        Household.Status.LEFT,
        reason=_("Left the dwelling %(vacancy)s.") % {"vacancy": n.vacancy},
    )
    return n


def _back_to_agenda(vacancy: Vacancy, *, household: Household | None = None, why: str = "") -> None:
    """Put a vacancy whose place came free again on the next open meeting's agenda; its item
    there (and ``household``'s) is open again if it was decided by the nomination that fell
    through (``why``)."""
    vacancy.refresh_from_db()
    today = candidates.today()
    # Only a meeting in today's schedule (one held today included), never one off the schedule.
    meeting = next_scheduled_meeting(
        region=vacancy.municipality.region,
        after=today - datetime.timedelta(days=1),
        today=today,
        plan=False,
    )
    if meeting is not None:
        AgendaItem.objects.get_or_create(
            meeting=meeting,
            kind=AgendaItem.Kind.VACANCY,
            vacancy=vacancy,
            defaults={"position": 0},
        )
        agenda_decisions.reopen(
            meeting=meeting,
            vacancy=vacancy,
            household=household,
            why=why or _("a place came free again"),
        )
    sync_vacancy_status(vacancy)
