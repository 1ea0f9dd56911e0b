"""What a user may see and do: decided here, from their single membership.

Views never test roles themselves; they ask a ``Capabilities`` and use each model's
``objects.visible_to(user)`` queryset, which applies the region/organisation scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from .models import Membership, Role


def get_membership(user) -> Membership | None:
    """The user's membership with organisation and region loaded, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_membership_cache"):
        user._membership_cache = (
            Membership.objects.select_related("organisation__region", "organisation__municipality")
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
        """Quota positions (numbers per municipality, no personal data)."""
        return self.role is not None and self.role != Role.CORPORATION

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
    def records_outcomes(self) -> bool:
        """Viewing, acceptance or refusal, lease and move-in of a nomination."""
        return self.role in {Role.COORDINATOR, Role.CORPORATION}


def capabilities(user) -> Capabilities:
    membership = get_membership(user)
    if membership is None:
        return Capabilities(role=None)
    return Capabilities(role=membership.role, at_centre=membership.at_centre)


def require(user, capability: str) -> Membership:
    """Return the user's membership, or refuse with 403 when the capability is missing."""
    membership = get_membership(user)
    if membership is None or not getattr(capabilities(user), capability):
        raise PermissionDenied
    return membership
