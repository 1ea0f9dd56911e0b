"""Pages of the placement desk. Views parse, authorise (``regions.access`` and the models'
``visible_to`` querysets), call a service and render; they hold no rules of their own."""

from .dashboard import dashboard, rules
from .households import (
    household_create,
    household_detail,
    household_edit,
    household_list,
    household_own_home,
    household_status,
)
from .matching import (
    household_vacancies,
    meeting_proposal,
    vacancy_candidates,
    vacancy_nominate,
)
from .meetings import (
    agenda_add,
    agenda_item_edit,
    meeting_agenda_pdf,
    meeting_build_agenda,
    meeting_close,
    meeting_decisions_pdf,
    meeting_detail,
    meeting_edit,
    meeting_list,
    meeting_start,
)
from .nominations import nomination_detail, nomination_list, nomination_outcome
from .privacy import (
    household_read_log,
    my_reads,
    support_link_add,
    support_link_grants,
    support_link_remove,
)
from .province import meeting_dates
from .schedule import meeting_schedule
from .vacancies import (
    vacancy_accept,
    vacancy_create,
    vacancy_detail,
    vacancy_edit,
    vacancy_list,
    vacancy_return,
    vacancy_withdraw,
)

__all__ = [
    "agenda_add",
    "agenda_item_edit",
    "dashboard",
    "household_create",
    "household_detail",
    "household_edit",
    "household_list",
    "household_own_home",
    "household_read_log",
    "household_status",
    "household_vacancies",
    "meeting_agenda_pdf",
    "meeting_build_agenda",
    "meeting_close",
    "meeting_dates",
    "meeting_decisions_pdf",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "meeting_proposal",
    "meeting_schedule",
    "meeting_start",
    "my_reads",
    "nomination_detail",
    "nomination_list",
    "nomination_outcome",
    "rules",
    "support_link_add",
    "support_link_grants",
    "support_link_remove",
    "vacancy_accept",
    "vacancy_candidates",
    "vacancy_create",
    "vacancy_detail",
    "vacancy_edit",
    "vacancy_list",
    "vacancy_nominate",
    "vacancy_return",
    "vacancy_withdraw",
]
