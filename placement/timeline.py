"""One timeline per household: everything that happened to it, oldest first, from every party.

``timeline_for(household, user)`` is the one entry point. Each source below reads records that
already exist and turns them into ``Entry`` rows: the household and its change history (linked
by COA, registered, status changes with their reasons, own home), its caseload links, the
agenda items of meetings, and its nominations with their change history (nominated, viewing,
accepted, refused, cancelled, lease signed, moved in, reported to COA, dissolved, left).

What a reader sees follows the disclosure rule (``regions.access.disclosed_groups``): free
text about the household (status reasons, refusal and cancellation notes, dissolution notes)
and its support organisations are background data; medical and income data never appear here.
Nominations and meetings come through their own ``visible_to`` querysets, so an entry links to
what its reader may open. A corporation never sees the household page; on its nomination's page
it gets that nomination's entries only (``nomination=``), without the desk's report to COA.

The change history is read through the ``history`` managers django-simple-history adds to the
tracked models (registered by the audit app); placement does not import audit. Queries do not
grow with the number of entries: one per source, plus one for the actors' organisations.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regions.access import Disclosure, capabilities, get_membership
from regions.models import Role as UserRole

from .disclosure import disclosure_of
from .models import AgendaItem, Household, Meeting, Nomination, SupportLink

# The COA import writes this change reason (followed by the file name) on the rows it saves.
COA_IMPORT_PREFIX = "COA-lijst"

# Household statuses the nomination entries already tell (with the dwelling and the dates):
# their status changes are not listed twice.
TOLD_BY_NOMINATIONS = {
    Household.Status.NOMINATED,
    Household.Status.VIEWING,
    Household.Status.LEASE_SIGNED,
    Household.Status.HOUSED,
    Household.Status.LEFT,
}
# What a corporation sees of its own nomination: the steps it takes part in.
CORPORATION_KINDS = frozenset(
    {
        "nominated",
        "viewing",
        "accepted",
        "refused",
        "cancelled",
        "lease_signed",
        "moved_in",
        "dissolved",
        "moved_out",
    }
)
# Tie-break between entries at the same moment: the order in which things happen.
KIND_ORDER = (
    "linked",
    "registered",
    "support",
    "agenda",
    "nominated",
    "viewing",
    "accepted",
    "refused",
    "cancelled",
    "lease_signed",
    "moved_in",
    "reported_to_coa",
    "dissolved",
    "moved_out",
    "status",
    "own_home",
    "notice",
)
_EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Entry:
    """One thing that happened. ``when`` is a date, or an aware datetime when the time is
    known; ``recorded_at`` (when it was entered) orders date-only entries within their day."""

    kind: str
    when: datetime.date | datetime.datetime
    what: str
    detail: str = ""
    who: str = ""
    url: str = ""
    recorded_at: datetime.datetime | None = None
    actor_id: int | None = None

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime.datetime)

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.when) if self.has_time else self.when

    @property
    def iso(self) -> str:
        """For ``<time datetime>``: the local date, with the time when it is known."""
        if self.has_time:
            return timezone.localtime(self.when).isoformat(timespec="minutes")
        return self.when.isoformat()

    def sort_key(self) -> tuple:
        if self.has_time:
            moment = self.when
        elif self.recorded_at is not None and timezone.localdate(self.recorded_at) == self.when:
            moment = self.recorded_at
        else:
            moment = _EARLIEST
        return (self.day, moment, KIND_ORDER.index(self.kind))


@dataclass(frozen=True)
class _Reader:
    user: object
    shown: Disclosure
    role: str | None

    @property
    def is_corporation(self) -> bool:
        return self.role == UserRole.CORPORATION


def timeline_for(
    household: Household, user, *, nomination: Nomination | None = None
) -> list[Entry]:
    """Everything that happened to ``household`` that ``user`` may see, oldest first.

    ``household`` must come from ``HouseholdQuerySet.with_disclosure(user)``. With
    ``nomination``, only that nomination's entries (the nomination page)."""
    reader = _Reader(user=user, shown=disclosure_of(household, user), role=capabilities(user).role)
    if nomination is not None:
        # Shown on the nomination's own page: its entries need no link to it.
        entries = [replace(e, url="") for e in _nominations(household, reader, only=nomination)]
    else:
        entries = [
            *_household_history(household, reader),
            *_support_links(household, reader),
            *_agenda(household, reader),
            *_nominations(household, reader),
            *_notices(household, reader),
        ]
    entries = _with_actors(entries, reader)
    return sorted(entries, key=Entry.sort_key)


# --- Sources ---------------------------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _household_history(household: Household, reader: _Reader) -> list[Entry]:
    """Linked by COA, registered, status changes (with reasons for those who see background),
    own home: from the household's change history."""
    rows = list(Household.history.filter(id=household.pk).order_by("history_date", "history_id"))
    imported = next(
        (
            r.history_change_reason
            for r in rows
            if (r.history_change_reason or "").startswith(COA_IMPORT_PREFIX)
        ),
        None,
    )
    detail = ""
    if imported is not None:
        source = imported[len(COA_IMPORT_PREFIX) :].strip(" :-")
        detail = _("imported from COA list %(file)s") % {"file": source or "—"}
    entries = [
        Entry(
            kind="linked",
            when=household.link_date,
            what=_("Linked by COA to %(municipality)s")
            % {"municipality": household.linked_municipality},
            detail=detail,
            who="COA",
        ),
        Entry(
            kind="registered",
            when=household.created_at,
            what=_("Registered at the desk"),
            actor_id=household.created_by_id or (rows[0].history_user_id if rows else None),
        ),
    ]
    previous = None
    for row in rows:
        if previous is not None and row.status != previous.status:
            entries.extend(_status_change(household, row, reader))
        previous = row
    return entries


def _status_change(household: Household, row, reader: _Reader) -> list[Entry]:
    if row.status in TOLD_BY_NOMINATIONS:
        return []
    reason = row.status_reason if reader.shown.background else ""
    if row.status == Household.Status.OWN_HOME and row.own_home_date:
        # A closed status: the household's current municipality is the one of this row.
        return [
            Entry(
                kind="own_home",
                when=row.own_home_date,
                what=_("Found its own home, registers in %(municipality)s")
                % {"municipality": household.own_home_municipality or "—"},
                detail=reason,
                recorded_at=row.history_date,
                actor_id=row.history_user_id,
            )
        ]
    return [
        Entry(
            kind="status",
            when=row.history_date,
            what=_("Status: %(status)s") % {"status": Household.Status(row.status).label},
            detail=reason,
            actor_id=row.history_user_id,
        )
    ]


def _support_links(household: Household, reader: _Reader) -> list[Entry]:
    """Which support organisations took the household into their caseload: background data
    (who supports a household says something about it), so only for those who see it."""
    if not reader.shown.background:
        return []
    links = SupportLink.objects.filter(household=household).select_related("organisation")
    return [
        Entry(
            kind="support",
            when=link.created_at,
            what=_("In the caseload of %(organisation)s") % {"organisation": link.organisation},
            actor_id=link.created_by_id,
        )
        for link in links
    ]


def _agenda(household: Household, reader: _Reader) -> list[Entry]:
    """On the agenda of a meeting (as a waiting household, or with an open nomination), for
    readers who may see that meeting."""
    items = (
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(reader.user))
        .filter(Q(household=household) | Q(nomination__household=household))
        .select_related("meeting")
    )
    entries = []
    for item in items:
        what = (
            _("On the agenda of the meeting of %(date)s: open nomination")
            if item.kind == AgendaItem.Kind.NOMINATION
            else _("On the agenda of the meeting of %(date)s")
        ) % {"date": _day(item.meeting.date)}
        detail = "" if item.outcome == AgendaItem.Outcome.OPEN else item.get_outcome_display()
        entries.append(
            Entry(
                kind="agenda",
                when=item.meeting.date,
                what=what,
                detail=str(detail),
                url=item.meeting.get_absolute_url(),
            )
        )
    return entries


def _first(rows: list, test) -> object | None:
    return next((r for r in rows if test(r)), None)


def _nominations(
    household: Household, reader: _Reader, *, only: Nomination | None = None
) -> list[Entry]:
    """Each nomination the reader may see, step by step; who recorded each step comes from
    the nomination's change history (the first row that holds the step's value)."""
    nominations = (
        Nomination.objects.visible_to(reader.user)
        .filter(household=household)
        .select_related("vacancy", "meeting")
    )
    if only is not None:
        nominations = nominations.filter(pk=only.pk)
    nominations = list(nominations)
    history = defaultdict(list)
    for row in Nomination.history.filter(id__in=[n.pk for n in nominations]).order_by(
        "history_date", "history_id"
    ):
        history[row.id].append(row)
    entries = []
    for n in nominations:
        entries.extend(_nomination_steps(n, history[n.pk], reader))
    if reader.is_corporation:
        entries = [e for e in entries if e.kind in CORPORATION_KINDS]
    return entries


def _nomination_steps(n: Nomination, rows: list, reader: _Reader) -> list[Entry]:
    url = n.get_absolute_url()
    notes = reader.shown.background

    def step(kind, when, what, *, set_by=None, detail="") -> Entry:
        row = _first(rows, set_by) if set_by else None
        return Entry(
            kind=kind,
            when=when if when is not None else (row.history_date if row else n.updated_at),
            what=what,
            detail=detail,
            url=url,
            recorded_at=row.history_date if row else None,
            actor_id=row.history_user_id if row else None,
        )

    def status_row(status):
        return _first(rows, lambda r: r.status == status)

    meeting = _("at the meeting of %(date)s") % {"date": _day(n.meeting.date)} if n.meeting else ""
    created = rows[0] if rows else None
    entries = [
        Entry(
            kind="nominated",
            when=n.created_at,
            what=_("Nominated for %(vacancy)s") % {"vacancy": n.vacancy},
            detail=meeting,
            url=url,
            actor_id=n.nominated_by_id or (created.history_user_id if created else None),
        )
    ]
    if n.viewing_at:
        entries.append(
            step(
                "viewing",
                n.viewing_at,
                _("Viewing"),
                set_by=lambda r: r.viewing_at == n.viewing_at,
            )
        )
    for status, kind, what in (
        (Nomination.Status.ACCEPTED, "accepted", _("Accepted by the household")),
        (Nomination.Status.REFUSED, "refused", _("Refused")),
        (Nomination.Status.CANCELLED, "cancelled", _("Nomination cancelled")),
    ):
        row = status_row(status)
        if row is None and n.status != status:
            continue
        detail = ""
        if kind == "refused":
            detail = n.get_refusal_reason_display()
            if n.refusal_justified is not None:
                detail += ", " + (_("justified") if n.refusal_justified else _("not justified"))
            if notes and n.refusal_notes:
                detail += ". " + n.refusal_notes
        elif kind == "cancelled" and notes:
            detail = n.cancel_reason
        entries.append(
            Entry(
                kind=kind,
                when=row.history_date if row else n.updated_at,
                what=what,
                detail=detail,
                url=url,
                actor_id=row.history_user_id if row else None,
            )
        )
    if n.lease_signed_on:
        entries.append(
            step(
                "lease_signed",
                n.lease_signed_on,
                _("Lease signed"),
                set_by=lambda r: r.lease_signed_on == n.lease_signed_on,
                detail=_("starts %(date)s") % {"date": _day(n.lease_start)}
                if n.lease_start
                else "",
            )
        )
    if n.move_in_date:
        entries.append(
            step(
                "moved_in",
                n.move_in_date,
                _("Moved in"),
                set_by=lambda r: r.move_in_date == n.move_in_date,
            )
        )
    if n.reported_to_coa_on:
        entries.append(
            step(
                "reported_to_coa",
                n.reported_to_coa_on,
                _("Reported to COA (re-link)"),
                set_by=lambda r: r.reported_to_coa_on == n.reported_to_coa_on,
            )
        )
    if n.dissolved_on:
        detail = n.get_dissolution_reason_display()
        if notes and n.dissolution_notes:
            detail += ". " + n.dissolution_notes
        entries.append(
            step(
                "dissolved",
                n.dissolved_on,
                _("Lease dissolved"),
                set_by=lambda r: r.dissolved_on == n.dissolved_on,
                detail=detail,
            )
        )
    if n.moved_out_on:
        entries.append(
            step(
                "moved_out",
                n.moved_out_on,
                _("Left the dwelling"),
                set_by=lambda r: r.moved_out_on == n.moved_out_on,
            )
        )
    return entries


def _notices(household: Household, reader: _Reader) -> list[Entry]:
    """Notices the desk sent about the household or its nominations, one entry per receiving
    organisation and kind (every coordinator of the desk gets their own copy). Coordinators
    see them all; others only those sent to their own organisation."""
    from notices.models import Notice  # the notices app stands on placement: read it late

    notices = Notice.objects.filter(
        Q(household=household) | Q(nomination__household=household)
    ).select_related("recipient__membership__organisation")
    if reader.role != UserRole.COORDINATOR:
        membership = get_membership(reader.user)
        if membership is None:
            return []
        notices = notices.filter(recipient__membership__organisation=membership.organisation_id)
    first: dict[tuple, Notice] = {}
    for notice in notices.order_by("created_at", "id"):
        membership = getattr(notice.recipient, "membership", None)
        organisation = membership.organisation if membership else None
        key = (
            organisation.pk if organisation else None,
            notice.kind,
            notice.subject_key,
            notice.threshold,
        )
        first.setdefault(key, notice)
    entries = []
    for notice in first.values():
        membership = getattr(notice.recipient, "membership", None)
        entries.append(
            Entry(
                kind="notice",
                when=notice.created_at,
                what=_("Notice sent to %(organisation)s: %(kind)s")
                % {
                    "organisation": membership.organisation if membership else notice.recipient,
                    "kind": notice.get_kind_display(),
                },
                detail=_("also by e-mail") if notice.emailed_at else "",
            )
        )
    return entries


# --- Who -------------------------------------------------------------------------------------


def _with_actors(entries: list[Entry], reader: _Reader) -> list[Entry]:
    """Name each entry's actor with their organisation, in one query. A support worker's name
    (a partner) is shown only to readers who see the household's background, as the caseload
    itself is."""
    ids = {e.actor_id for e in entries if e.actor_id}
    users = (
        {
            u.pk: u
            for u in get_user_model()
            .objects.filter(pk__in=ids)
            .select_related("membership__organisation")
        }
        if ids
        else {}
    )
    named = []
    for entry in entries:
        user = users.get(entry.actor_id)
        if user is None:
            named.append(entry)
            continue
        name = user.get_full_name() or user.get_username()
        membership = getattr(user, "membership", None)
        if membership is None:
            who = name
        elif membership.role == UserRole.PARTNER and not reader.shown.background:
            who = _("a support organisation")
        else:
            who = f"{name} ({membership.organisation})"
        named.append(replace(entry, who=who))
    return named
