from .households import Household, Person
from .meetings import AgendaItem, Meeting
from .nominations import Nomination
from .rent_limits import RentLimit
from .vacancies import Vacancy

__all__ = ["AgendaItem", "Household", "Meeting", "Nomination", "Person", "RentLimit", "Vacancy"]
