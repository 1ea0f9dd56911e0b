"""What a user may see and do: decided here, from their single membership.

Views never test roles themselves; they ask a ``Capabilities`` and use each model's
``objects.visible_to(user)`` queryset, which applies the region/organisation scope.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from itertools import product

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import Membership, Municipality, Role


def get_membership(user) -> Membership | None:
    """The user's membership with organisation and region loaded, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_membership_cache"):
        user._membership_cache = (
            Membership.objects.select_related(
                "organisation__region", "organisation__municipality", "organisation__province"
            )
            .filter(user=user)
            .first()
        )
    return user._membership_cache


@dataclass(frozen=True)
class Capabilities:
    role: str | None
    # The organisation is the central desk or the central municipality (who bills the others).
    at_centre: bool = False

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def sees_pool(self) -> bool:
        """The regional pool of households (with personal data)."""
        return self.role in {Role.COORDINATOR, Role.MUNICIPALITY_OFFICER, Role.PARTNER}

    @property
    def sees_personal_data(self) -> bool:
        return self.sees_pool

    @property
    def edits_households(self) -> bool:
        return self.role in {Role.COORDINATOR, Role.MUNICIPALITY_OFFICER}

    @property
    def imports_coa_lists(self) -> bool:
        """Read in COA's list of linked permit holders (exchange app): the coordinator for the
        region, a municipality officer for their own municipality only."""
        return self.edits_households

    @property
    def sees_vacancies(self) -> bool:
        return self.role in {
            Role.COORDINATOR,
            Role.MUNICIPALITY_OFFICER,
            Role.PARTNER,
            Role.CORPORATION,
        }

    @property
    def reviews_vacancies(self) -> bool:
        """Accept a submitted vacancy or return it to the corporation."""
        return self.role == Role.COORDINATOR

    @property
    def submits_vacancies(self) -> bool:
        return self.role == Role.CORPORATION

    @property
    def sees_meetings(self) -> bool:
        """Meetings, agendas and decision lists of the region."""
        return self.role in {Role.COORDINATOR, Role.MUNICIPALITY_OFFICER, Role.PARTNER}

    @property
    def runs_meetings(self) -> bool:
        """Edit the agenda, propose and nominate, close the meeting."""
        return self.role == Role.COORDINATOR

    @property
    def sees_nominations(self) -> bool:
        return self.role in {
            Role.COORDINATOR,
            Role.MUNICIPALITY_OFFICER,
            Role.PARTNER,
            Role.CORPORATION,
        }

    @property
    def sees_quota(self) -> bool:
        """Quota positions (numbers per municipality, no personal data). A province officer
        sees them for its province's municipalities (``municipalities_in_scope``)."""
        return self.role is not None and self.role != Role.CORPORATION

    @property
    def sees_quota_rows(self) -> bool:
        """The rows behind the quota figures: the drill-down to households, the re-link list
        and their exports. The region's roles; not the province, which supervises numbers."""
        return self.sees_quota and not self.sees_province

    @property
    def sees_province(self) -> bool:
        """A province officer: read-only supervision of its municipalities' quota, figures and
        meeting dates across the regions they are in; never personal data, never invoices."""
        return self.role == Role.PROVINCE_OFFICER

    @property
    def sees_reports(self) -> bool:
        """The region's figures (rapportage: counts, no personal data): coordinators and
        municipality officers for their region, a province officer for its province; the rows
        behind a figure only as far as ``visible_to`` and the disclosure rule allow."""
        return self.role in {Role.COORDINATOR, Role.MUNICIPALITY_OFFICER, Role.PROVINCE_OFFICER}

    @property
    def manages_quota(self) -> bool:
        """Enter targets, override an opening balance, set the counting rule."""
        return self.role == Role.COORDINATOR

    @property
    def manages_billing(self) -> bool:
        """Cost keys, invoice runs, issuing, credit notes, payments: finance at the centre."""
        return self.role == Role.FINANCE and self.at_centre

    @property
    def sees_invoices(self) -> bool:
        """Central finance sees every invoice of the region; an officer those of their own
        municipality."""
        return self.manages_billing or self.role == Role.MUNICIPALITY_OFFICER

    @property
    def manages_caseloads(self) -> bool:
        """Link a household to a support organisation and grant income / medical notes."""
        return self.role == Role.COORDINATOR

    @property
    def sees_read_log(self) -> bool:
        """Who read a household's personal data (every user sees their own reads)."""
        return self.role == Role.COORDINATOR

    @property
    def sees_home_addresses(self) -> bool:
        """Where housed households live: not for finance, who needs figures and references."""
        return self.role in {Role.COORDINATOR, Role.MUNICIPALITY_OFFICER, Role.PARTNER}

    @property
    def records_outcomes(self) -> bool:
        """Viewing, acceptance or refusal, lease and move-in of a nomination."""
        return self.role in {Role.COORDINATOR, Role.CORPORATION}

    @property
    def sees_change_history(self) -> bool:
        """Who changed what, when, old -> new, on households, vacancies, nominations, meetings
        and quota figures of the region (the audit app shows it)."""
        return self.role == Role.COORDINATOR

    @property
    def sees_invoice_history(self) -> bool:
        """The change history of invoices and cost keys: central finance, who keeps them."""
        return self.manages_billing

    @property
    def sees_directory(self) -> bool:
        """Who's who at the regional table (names, roles, e-mail, phone of professionals):
        every role of the region's table."""
        return self.role in {
            Role.COORDINATOR,
            Role.MUNICIPALITY_OFFICER,
            Role.CORPORATION,
            Role.PARTNER,
            Role.FINANCE,
        }

    @property
    def manages_directory(self) -> bool:
        """Keep the who's who: organisations and people at the table, meeting attendance."""
        return self.role == Role.COORDINATOR


def capabilities(user) -> Capabilities:
    membership = get_membership(user)
    if membership is None:
        return Capabilities(role=None)
    return Capabilities(role=membership.role, at_centre=membership.at_centre)


def municipalities_in_scope(user, *, participating: bool = True):
    """The municipalities whose figures the user may see: the one place of that scope.

    Everyone with a membership: the municipalities of their region; a province officer: the
    municipalities of their province, whatever region they are in; no membership: none. With
    ``participating`` (the default) only those taking part in a regional pool."""
    membership = get_membership(user)
    if membership is None:
        return Municipality.objects.none()
    organisation = membership.organisation
    if membership.role == Role.PROVINCE_OFFICER:
        if organisation.province_id is None:
            return Municipality.objects.none()
        scope = Municipality.objects.filter(province_id=organisation.province_id)
    elif organisation.region_id is None:
        return Municipality.objects.none()
    else:
        scope = Municipality.objects.filter(region_id=organisation.region_id)
    if participating:
        scope = scope.filter(participates=True)
    return scope.select_related("region")


def regions_in_scope(user):
    """The regions the user's municipalities are in (a province officer: possibly several)."""
    from .models import Region

    return Region.objects.filter(pk__in=municipalities_in_scope(user).values("region_id")).order_by(
        "name"
    )


def require(user, capability: str) -> Membership:
    """Return the user's membership, or refuse with 403 when the capability is missing."""
    membership = get_membership(user)
    if membership is None or not getattr(capabilities(user), capability):
        raise PermissionDenied
    return membership


# --- Minimisation by purpose ---------------------------------------------------------------
# Which groups of a household's data a user sees (AVG art. 5 and 25: only what the role needs).
# The rule is a pure function of the user's role and four facts about the household; the
# placement app computes the facts in SQL (``HouseholdQuerySet.with_disclosure``) and filters
# with ``disclosing_conditions``, which is derived from this same function.


class Group(StrEnum):
    """Groups of a household's data, from least to most sensitive."""

    # Reference, size, composition by role and age, needs flags, weeks waiting, linked
    # municipality, status: what the regional meeting needs.
    MEETING = "meeting"
    # Names, dates of birth, V-numbers.
    IDENTITY = "identity"
    # Language, COA location, work or study location, preferences, notes, status reason.
    BACKGROUND = "background"
    # Income type and amount.
    INCOME = "income"
    # Medical and accessibility notes: a special category of personal data (AVG art. 9).
    MEDICAL = "medical"


GROUP_LABELS = {
    Group.MEETING: _("meeting data"),
    Group.IDENTITY: _("identity"),
    Group.BACKGROUND: _("background"),
    Group.INCOME: _("income"),
    Group.MEDICAL: _("medical notes"),
}

ALL_GROUPS = frozenset(Group)
PERSONAL_GROUPS = ALL_GROUPS - {Group.MEETING}


@dataclass(frozen=True)
class HouseholdFacts:
    """What the rule needs to know about one household, relative to the user."""

    # Officer: linked to the officer's municipality, or being housed or housed there (a
    # nomination for a vacancy in it at lease signed or housed).
    own_municipality: bool = False
    # Partner: the household is in the caseload of the partner's organisation.
    in_caseload: bool = False
    # Partner: the coordinator granted income / medical notes for this household.
    income_granted: bool = False
    medical_granted: bool = False


def disclosed_groups(role: str | None, facts: HouseholdFacts) -> frozenset[Group]:
    """The groups of one household's data a user in ``role`` sees. The one place of the rule.

    coordinator: everything; officer: everything for households of its own municipality,
    the meeting data for the rest of the pool; partner: its caseload in full except income
    and medical notes, each only when granted, the meeting data for the rest; corporation
    and finance: the meeting data (references and figures); no membership: nothing.
    """
    meeting = frozenset({Group.MEETING})
    if role == Role.COORDINATOR:
        return ALL_GROUPS
    if role == Role.MUNICIPALITY_OFFICER:
        return ALL_GROUPS if facts.own_municipality else meeting
    if role == Role.PARTNER:
        if not facts.in_caseload:
            return meeting
        groups = {Group.MEETING, Group.IDENTITY, Group.BACKGROUND}
        if facts.income_granted:
            groups.add(Group.INCOME)
        if facts.medical_granted:
            groups.add(Group.MEDICAL)
        return frozenset(groups)
    if role in (Role.CORPORATION, Role.FINANCE):
        return meeting
    return frozenset()


FACT_NAMES = tuple(f.name for f in fields(HouseholdFacts))


def disclosing_conditions(role: str | None, group: Group) -> list[dict[str, bool]]:
    """The combinations of facts under which ``role`` sees ``group``, for filtering in SQL
    (an empty list: never; ``[{}]``: always). Derived from ``disclosed_groups`` by
    trying every combination, so the rule is written once."""
    conditions = set()
    for values in product((False, True), repeat=len(FACT_NAMES)):
        facts = dict(zip(FACT_NAMES, values, strict=True))
        if group in disclosed_groups(role, HouseholdFacts(**facts)):
            conditions.add(frozenset(facts.items()))
    # Drop the facts that do not matter: two conditions differing in one fact only merge.
    merged = True
    while merged:
        merged = False
        for condition in sorted(conditions, key=sorted):
            for name, value in condition:
                twin = (condition - {(name, value)}) | {(name, not value)}
                if twin in conditions:
                    conditions -= {condition, twin}
                    conditions.add(condition - {(name, value)})
                    merged = True
                    break
            if merged:
                break
    return [dict(sorted(condition)) for condition in sorted(conditions, key=sorted)]


@dataclass(frozen=True)
class Disclosure:
    """The groups of one household's data shown to one user; pages ask this, not the role."""

    groups: frozenset[Group]

    @property
    def identity(self) -> bool:
        return Group.IDENTITY in self.groups

    @property
    def background(self) -> bool:
        return Group.BACKGROUND in self.groups

    @property
    def income(self) -> bool:
        return Group.INCOME in self.groups

    @property
    def medical(self) -> bool:
        return Group.MEDICAL in self.groups

    @property
    def personal(self) -> frozenset[Group]:
        """The groups beyond the meeting data: a page that shows any of these is logged."""
        return self.groups & PERSONAL_GROUPS


def disclosure(user, facts: HouseholdFacts) -> Disclosure:
    return Disclosure(groups=disclosed_groups(capabilities(user).role, facts))
