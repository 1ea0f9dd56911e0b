"""The matching pages read the whole pool: their query count must not grow with it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placement.meetings import agenda_build
from placement.models import Meeting

from ..factories import VacancyFactory, household_with_members


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pool(world, n: int) -> None:
    today = datetime.date.today()
    municipalities = [world.dordrecht, world.zwijndrecht, world.papendrecht]
    for i in range(n):
        household_with_members(
            municipality=municipalities[i % 3],
            sizes=("main", "partner", "child")[: 1 + i % 3],
            link_date=today - datetime.timedelta(weeks=8 + i % 6),
            status="searching",
        )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def measure(world, client_for, n: int) -> tuple[int, int]:
    pool(world, n)
    VacancyFactory(corporation=world.trivire, municipality=world.dordrecht, status="accepted")
    shared = VacancyFactory(
        corporation=world.trivire,
        municipality=world.zwijndrecht,
        status="accepted",
        dwelling_type="shared",
        places=3,
        rooms=3,
        bedrooms=3,
        base_rent=400,
    )
    meeting = Meeting.objects.create(
        region=world.drecht, date=datetime.date.today() + datetime.timedelta(days=7)
    )
    agenda_build(meeting=meeting, today=datetime.date.today())
    client = client_for(world.coordinator)
    return (
        queries(client, reverse("vacancy_candidates", args=[shared.pk])),
        queries(client, reverse("meeting_proposal", args=[meeting.pk])),
    )


@pytest.mark.parametrize("n", [3, 30])
def test_candidates_and_proposal_pages_use_a_fixed_number_of_queries(world, client_for, n):
    candidates, proposal = measure(world, client_for, n)
    # session, user, membership, vacancy, rent limits, pool (sizes and municipality in one
    # query), the vacancy's held places: 7. The proposal: agenda vacancies, held places,
    # rent limits, pool, plus session, user, membership and the meeting, and the members of
    # the proposed households (their composition, one query): 9. A coordinator's session has
    # passed two-step login: +1 for the OTP device django-otp checks per request. Both pages
    # read the AOW ages once (the main applicant's AOW age, passend toewijzen): +1. The
    # header counts the unread notices: +1. At national size the pool is read as plain rows
    # (only households passing the SQL-checkable rules), so both pages count the region's
    # nominatable households in a query of their own (+1) and load the households shown as
    # model rows in one more (+1).
    assert (candidates, proposal) == (7 + 1 + 1 + 1 + 2, 9 + 1 + 1 + 1 + 2)
