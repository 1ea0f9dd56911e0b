"""Sorting a list by a column the table has; anything else in ``sort`` is ignored."""

import datetime
import re
import warnings

import pytest
from django.urls import reverse

from .placement_builders import household

pytestmark = pytest.mark.django_db


def references(response) -> list[str]:
    return re.findall(r"T-\d{5}", response.content.decode())


@pytest.fixture
def three_households(world):
    return [
        household(world, link_date=datetime.date(2026, 9, day), persons=persons)
        for day, persons in ((1, 3), (2, 1), (3, 2))
    ]


def test_a_sortable_column_sorts_the_pool(world, client_for, three_households):
    client = client_for(world.coordinator)

    by_size = references(client.get(reverse("household_list"), {"sort": "-size"}))

    assert by_size == [
        h.reference for h in sorted(three_households, key=lambda h: -h.members.count())
    ]


@pytest.mark.parametrize("sort", ["0.5", "main_applicant", "members__full_name", "size,-id", "-"])
def test_an_unknown_sort_key_is_ignored(world, client_for, three_households, sort):
    client = client_for(world.coordinator)
    default = references(client.get(reverse("household_list")))
    assert len(default) == 3

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # django-tables2 warned about accessor paths like "0.5"
        response = client.get(reverse("household_list"), {"sort": sort})

    assert response.status_code == 200
    assert references(response) == default
