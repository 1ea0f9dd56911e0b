"""The what-if page and command: who may open it, the figures it shows, an empty period."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from placement.models import Meeting, Vacancy
from regions.models import Province, Role
from reports.whatif_forms import last_half_year
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.placement.placement_builders import accepted_vacancy, household

pytestmark = pytest.mark.django_db
URL = reverse("whatif")
START, END = last_half_year(timezone.localdate())


def days(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


def period(**extra) -> dict:
    return {"start": START.isoformat(), "end": END.isoformat(), "seed": "1", **extra}


@pytest.fixture
def three_in_dordrecht_for_zwijndrecht(world):
    """Three dwellings in Dordrecht, submitted on day 5, decided at the meeting of day 20 (no
    other meeting before their return deadline on day 30); three households linked to
    Zwijndrecht only (1, 2 and 3 persons)."""
    for n in range(3):
        vacancy = accepted_vacancy(world, available_from=days(40), return_deadline=days(30))
        Vacancy.objects.filter(pk=vacancy.pk).update(
            created_at=datetime.datetime.combine(days(5), datetime.time(12), tzinfo=datetime.UTC)
        )
        household(world, persons=n + 1, municipality=world.zwijndrecht, link_date=days(-10))
    Meeting.objects.create(region=world.drecht, date=days(20))


def cell(html: str, figure: str, column: str) -> str:
    row = re.search(rf'<tr data-figure="{figure}">(.*?)</tr>', html, re.S).group(1)
    return re.search(rf'data-{column}="([^"]*)"', row).group(1)


def municipality_cells(html: str, name: str) -> tuple[str, str]:
    row = re.search(rf'<tr data-municipality="{name}">(.*?)</tr>', html, re.S).group(1)
    return (
        re.search(r'data-regional="([^"]*)"', row).group(1),
        re.search(r'data-own="([^"]*)"', row).group(1),
    )


def province_officer(world, *, municipalities) -> Client:
    holland = Province.objects.create(name="Zuid-Holland", code="PV28")
    for municipality in municipalities:
        municipality.province = holland
        municipality.save()
    organisation = OrganisationFactory(
        region=None, province=holland, name="Provincie Zuid-Holland", kind="province"
    )
    user = UserFactory(username="paula")
    MembershipFactory(user=user, organisation=organisation, role=Role.PROVINCE_OFFICER)
    return user


def test_the_coordinator_sees_the_replays_side_by_side(
    world, client_for, three_in_dordrecht_for_zwijndrecht
):
    response = client_for(world.coordinator).get(URL, period())
    assert response.status_code == 200
    html = response.content.decode()
    assert (cell(html, "households", "regional"), cell(html, "households", "own")) == ("3", "0")
    assert (cell(html, "persons", "regional"), cell(html, "persons", "own")) == ("6", "0")
    assert (cell(html, "unfilled", "regional"), cell(html, "unfilled", "own")) == ("0", "3")
    # Linked on day -10, meeting on day 20, lease 28 days later (none observed): 58 days.
    assert (cell(html, "median", "regional"), cell(html, "median", "own")) == ("58", "")
    assert municipality_cells(html, "Dordrecht") == ("6", "0")
    assert municipality_cells(html, "Zwijndrecht") == ("0", "0")
    assert 'id="whatif-method"' in html


def test_the_page_opens_on_the_last_half_year_with_seed_1(world, client_for):
    response = client_for(world.coordinator).get(URL)
    assert response.status_code == 200
    assert response.context["result"].start == START
    assert response.context["result"].end == END
    assert response.context["result"].seed == 1


def test_an_empty_period_says_so(world, client_for):
    response = client_for(world.coordinator).get(URL, period())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="whatif-empty"' in html
    assert 'id="whatif-table"' not in html


def test_a_period_ending_before_it_starts_is_refused_at_the_field(world, client_for):
    response = client_for(world.coordinator).get(
        URL, {"start": END.isoformat(), "end": START.isoformat(), "seed": "1"}
    )
    assert response.status_code == 400
    assert "end" in response.context["form"].errors
    assert "result" not in response.context


@pytest.mark.parametrize("persona", ["officer", "partner", "corporation", "finance"])
def test_other_roles_of_the_region_are_refused(world, client_for, persona):
    assert client_for(getattr(world, persona)).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(world):
    response = Client().get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_another_region_is_not_there(world, client_for):
    # Otto coordinates Woerden e.o.: Drechtsteden does not exist for him, nor Woerden for Carla.
    drecht, woerden = period(region=world.drecht.pk), period(region=world.woerden_region.pk)
    assert client_for(world.outsider).get(URL, drecht).status_code == 404
    assert client_for(world.coordinator).get(URL, woerden).status_code == 404
    assert client_for(world.outsider).get(URL, woerden).status_code == 200
    assert client_for(world.coordinator).get(URL, {"region": "x"}).status_code == 404


def test_only_a_region_chosen_opens_on_the_defaults(world, client_for):
    response = client_for(world.coordinator).get(URL, {"region": world.drecht.pk})
    assert response.status_code == 200
    assert response.context["result"].start == START


def test_the_province_sees_its_regions_and_only_its_municipalities(
    world, client_for, three_in_dordrecht_for_zwijndrecht
):
    # Zuid-Holland holds Dordrecht and Zwijndrecht; Woerden is not in it.
    officer = province_officer(world, municipalities=[world.dordrecht, world.zwijndrecht])
    client = client_for(officer)
    response = client.get(URL, period(region=world.drecht.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert cell(html, "households", "regional") == "3"
    assert municipality_cells(html, "Dordrecht") == ("6", "0")
    assert 'data-municipality="Papendrecht"' not in html  # another province (none set)
    assert client.get(URL, period(region=world.woerden_region.pk)).status_code == 404


def figure_line(output: str, label: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith(label))
    return line[len(label) :].split()


def test_the_command_prints_the_side_by_side_table(world, three_in_dordrecht_for_zwijndrecht):
    out = io.StringIO()
    call_command(
        "whatif",
        "--region=DS",
        f"--from={START.isoformat()}",
        f"--to={END.isoformat()}",
        "--seed=1",
        stdout=out,
    )
    output = out.getvalue()
    assert figure_line(output, "Households housed") == ["3", "0", "+3"]
    assert figure_line(output, "Persons housed (present)") == ["6", "0", "+6"]
    assert figure_line(output, "Places returned unfilled") == ["0", "3", "-3"]
    assert figure_line(output, "Days from link to lease, median") == ["58", "-", "-"]
    assert figure_line(output, "Dordrecht") == ["6", "0", "+6"]
    assert "3 dwellings (3 places)" in output


def test_the_command_says_when_no_dwelling_came_free(world):
    out = io.StringIO()
    call_command("whatif", "--region=DS", "--from=2026-01-01", "--to=2026-06-30", stdout=out)
    assert "No dwellings came free in this period." in out.getvalue()
