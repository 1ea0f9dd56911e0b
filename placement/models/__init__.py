from .households import Household, Person
from .vacancies import Vacancy

__all__ = ["Household", "Person", "Vacancy"]
