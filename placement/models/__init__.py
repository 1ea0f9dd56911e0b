from .access_log import PersonalDataView
from .households import Household, Person, refresh_sizes
from .meetings import AgendaItem, Meeting
from .nominations import Nomination
from .rent_limits import AowAge, RentLimit
from .support import SupportLink
from .vacancies import Vacancy

__all__ = [
    "AgendaItem",
    "AowAge",
    "Household",
    "Meeting",
    "Nomination",
    "PersonalDataView",
    "Person",
    "RentLimit",
    "SupportLink",
    "Vacancy",
    "refresh_sizes",
]
