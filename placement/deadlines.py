"""The placement deadline rule, in one place.

COA expects a household to be housed within ``PLACEMENT_DEADLINE_WEEKS`` weeks of the link date
(koppeldatum), plus two weeks to move. The pool warns when a household has waited as long as each
of ``PLACEMENT_WARNING_WEEKS`` (default 8, 10, 12 and 14 weeks). The first warning comes before
the deadline, while there is still time to act: at 8 weeks the badge reads "deadline in 2 weeks"
(amber; a warning set earlier than two weeks ahead is a calm "info"); from the deadline on it is
red ("deadline reached", then "2 weeks past the deadline", ...). Both are settings, shown on the
rules page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def deadline_weeks() -> int:
    return settings.PLACEMENT_DEADLINE_WEEKS


def warning_weeks() -> tuple[int, ...]:
    return tuple(sorted(settings.PLACEMENT_WARNING_WEEKS))


def deadline_for(link_date: datetime.date) -> datetime.date:
    return link_date + datetime.timedelta(weeks=deadline_weeks())


def weeks_waiting(link_date: datetime.date, today: datetime.date) -> int:
    """Whole weeks since the link date; 0 before and in the first week."""
    return max((today - link_date).days // 7, 0)


def linked_on_or_before(weeks: int, today: datetime.date) -> datetime.date:
    """The latest link date of a household that has waited at least ``weeks`` weeks today."""
    return today - datetime.timedelta(weeks=weeks)


@dataclass(frozen=True)
class Warning:
    weeks: int
    level: str  # bootstrap contextual class: info / warning / danger (warning_level)
    label: str


def warning_for(link_date: datetime.date, today: datetime.date) -> Warning | None:
    """The highest warning threshold this household has reached, or None."""
    waited_days = (today - link_date).days
    reached = [w for w in warning_weeks() if waited_days >= w * 7]
    if not reached:
        return None
    weeks = reached[-1]
    return Warning(weeks=weeks, level=warning_level(weeks), label=warning_label(weeks))


# How close "near" is: within this many weeks of the deadline the badge turns amber.
NEAR_DEADLINE_WEEKS = 2


def warning_level(weeks: int) -> str:
    """The badge's colour at ``weeks`` weeks since the link: a scale that stays meaningful.

    Early warnings (more than ``NEAR_DEADLINE_WEEKS`` before the deadline) are "info", near the
    deadline "warning", from the deadline on "danger" (the label then says how far past it is:
    colour is never the only sign).
    """
    before = deadline_weeks() - weeks
    if before > NEAR_DEADLINE_WEEKS:
        return "info"
    if before > 0:
        return "warning"
    return "danger"


def warning_label(weeks: int) -> str:
    """What the badge at ``weeks`` weeks since the link says, relative to the deadline."""
    before = deadline_weeks() - weeks
    if before > 0:
        return ngettext("deadline in %(n)s week", "deadline in %(n)s weeks", before) % {"n": before}
    if before == 0:
        return str(_("deadline reached"))
    return ngettext("%(n)s week past the deadline", "%(n)s weeks past the deadline", -before) % {
        "n": -before
    }


# --- Vacancy dates ------------------------------------------------------------------------------
# A desk nominates weeks before a dwelling is free (viewing, contract), so the return deadline
# (uiterste voordrachtdatum) usually lies before "available from". Nothing about the two dates is
# refused; the form and the vacancy page warn when the deadline leaves the dwelling empty, or has
# passed.


def vacancy_date_warnings(
    available_from: datetime.date, return_deadline: datetime.date, today: datetime.date
) -> list[str]:
    """Warnings (not errors) about a vacancy's dates, in the order a reader needs them."""
    warnings = []
    if return_deadline < today:
        warnings.append(
            str(
                _("The return deadline (%(deadline)s) has already passed.")
                % {"deadline": date_format(return_deadline, "j F Y")}
            )
        )
    if return_deadline > available_from:
        days = (return_deadline - available_from).days
        warnings.append(
            ngettext(
                "The return deadline is %(days)s day after the dwelling is available: it may "
                "stand empty until a household is nominated.",
                "The return deadline is %(days)s days after the dwelling is available: it may "
                "stand empty until a household is nominated.",
                days,
            )
            % {"days": days}
        )
    return warnings
