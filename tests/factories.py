"""Small factory_boy factories; the personas in conftest.py build on them."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from placement.models import Household, Person, Vacancy
from regions.models import Membership, Municipality, Organisation, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Regio {n}")
    code = factory.Sequence(lambda n: f"R{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    population = 50_000


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.DESK


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    password = factory.django.Password("demo")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "coordinator"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    linked_municipality = factory.SubFactory(MunicipalityFactory)
    link_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(weeks=3))
    language = "Arabisch"
    status = Household.Status.SEARCHING


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    full_name = factory.Sequence(lambda n: f"Persoon {n}")
    date_of_birth = datetime.date(1990, 5, 17)
    role = Person.Role.MAIN
    v_number = factory.Sequence(lambda n: f"{1000000000 + n}")
    present = True


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    corporation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.CORPORATION)
    municipality = factory.SubFactory(
        MunicipalityFactory, region=factory.SelfAttribute("..corporation.region")
    )
    street = factory.Sequence(lambda n: f"Voorstraat {n}")
    postcode = "3311 AB"
    place = "Dordrecht"
    dwelling_type = Vacancy.DwellingType.APARTMENT
    rooms = 3
    bedrooms = 2
    floor_area = 65
    base_rent = Decimal("640.00")
    service_charges = Decimal("45.00")
    available_from = factory.LazyFunction(datetime.date.today)
    return_deadline = factory.LazyFunction(
        lambda: datetime.date.today() + datetime.timedelta(weeks=4)
    )
    status = Vacancy.Status.SUBMITTED


def household_with_members(*, municipality, sizes=("main",), expected=0, **kwargs) -> Household:
    """A household with the given member roles present and ``expected`` members arriving later."""
    household = HouseholdFactory(linked_municipality=municipality, **kwargs)
    for role in sizes:
        PersonFactory(household=household, role=role)
    for _ in range(expected):
        PersonFactory(household=household, role="child", present=False, v_number="")
    return household
