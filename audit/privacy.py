"""The privacy page's table "who sees what", read from regions/access.py.

The table is computed from the same functions that decide access (``Capabilities`` and
``disclosed_groups``), so the page cannot drift from what the app does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from regions.access import (
    GROUP_LABELS,
    Capabilities,
    Group,
    HouseholdFacts,
    disclosed_groups,
)
from regions.models import Role

# Where each role works, in words (the scope comes from the visible_to querysets).
SCOPE = {
    Role.COORDINATOR: _("every household of the region"),
    Role.MUNICIPALITY_OFFICER: _(
        "households linked to or housed in their own municipality; the rest of the region's pool"
    ),
    Role.PARTNER: _("households the coordinator put in their caseload; the rest of the pool"),
    Role.CORPORATION: _("households nominated for their own dwellings"),
    Role.FINANCE: _("figures and references for quota and invoices"),
    Role.PROVINCE_OFFICER: _(
        "no household: the quota figures and meeting dates of the province's municipalities, "
        "whatever region they are in"
    ),
}
# What the second column ("own households") means per role.
OWN = HouseholdFacts(own_municipality=True, in_caseload=True)
GRANTED = HouseholdFacts(
    own_municipality=True, in_caseload=True, income_granted=True, medical_granted=True
)


@dataclass(frozen=True)
class RoleRow:
    role: str
    scope: str
    rest: list[str]
    own: list[str]
    own_granted: list[str]
    invoices: bool
    change_history: bool
    invoice_history: bool
    read_log: bool


def _labels(groups: frozenset[Group]) -> list[str]:
    return [str(GROUP_LABELS[g]) for g in Group if g in groups]


def role_table() -> list[RoleRow]:
    rows = []
    for role in Role:
        # Finance works at the centre (the membership model refuses it elsewhere).
        can = Capabilities(role=role, at_centre=role in (Role.FINANCE, Role.COORDINATOR))
        rest = disclosed_groups(role, HouseholdFacts())
        own = disclosed_groups(role, OWN)
        granted = disclosed_groups(role, GRANTED)
        rows.append(
            RoleRow(
                role=role.label,
                scope=SCOPE[role],
                rest=_labels(rest),
                own=_labels(own - rest),
                own_granted=_labels(granted - own),
                invoices=can.sees_invoices,
                change_history=can.sees_change_history,
                invoice_history=can.sees_invoice_history,
                read_log=can.sees_read_log,
            )
        )
    return rows
