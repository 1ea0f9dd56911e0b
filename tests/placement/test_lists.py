"""Lists start at what their reader works on, remember the reader's last filter, keep "all" one
click away, and start at page 1 again when re-sorted; the dashboard links to the next meeting
and shows a municipality officer its own quota position."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from placement.models import Household, Meeting, Nomination, Vacancy
from placement.views.common import PAGE_SIZE
from tests.factories import HouseholdFactory, VacancyFactory
from tests.quota.quota_builders import period, placement, target

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


VACANCY_LINK = re.compile(r'href="/woningaanbod/(\d+)/"')


def streets(response) -> list[str]:
    """The vacancies of the list, in the order shown."""
    assert response.status_code == 200
    ids = [int(pk) for pk in VACANCY_LINK.findall(response.content.decode())]
    by_id = dict(Vacancy.objects.filter(pk__in=ids).values_list("pk", "street"))
    return [by_id[pk] for pk in ids]


def vacancy(world, street: str, status: str, *, submitted_days_ago: int, deadline_in: int):
    made = VacancyFactory(
        corporation=world.trivire,
        municipality=world.dordrecht,
        street=street,
        status=status,
        return_deadline=days(deadline_in),
        return_reason="Geen kandidaat" if status == Vacancy.Status.RETURNED else "",
    )
    when = timezone.now() - datetime.timedelta(days=submitted_days_ago)
    Vacancy.objects.filter(pk=made.pk).update(created_at=when)
    return made


@pytest.fixture
def stock(world):
    """Trivire's vacancies, from old to new.

    street          status      submitted   return deadline
    Oud 1           let         60 days     in 2 days
    Teruggegeven 2  returned    30 days     in 5 days
    Geaccepteerd 3  accepted    20 days     in 20 days
    Agenda 4        on agenda   10 days     in 9 days
    Nieuw 5         submitted   today       in 40 days
    Ingetrokken 6   withdrawn   5 days      in 30 days
    """
    rows = [
        ("Oud 1", Vacancy.Status.LET, 60, 2),
        ("Teruggegeven 2", Vacancy.Status.RETURNED, 30, 5),
        ("Geaccepteerd 3", Vacancy.Status.ACCEPTED, 20, 20),
        ("Agenda 4", Vacancy.Status.ON_AGENDA, 10, 9),
        ("Nieuw 5", Vacancy.Status.SUBMITTED, 0, 40),
        ("Ingetrokken 6", Vacancy.Status.WITHDRAWN, 5, 30),
    ]
    for street, status, ago, deadline in rows:
        vacancy(world, street, status, submitted_days_ago=ago, deadline_in=deadline)


# --- What each reader starts at -------------------------------------------------------------


def test_a_corporation_starts_at_its_active_vacancies_newest_first(world, client_for, stock):
    shown = streets(client_for(world.corporation).get(reverse("vacancy_list")))

    # The one it has just submitted comes first; let and withdrawn ones wait behind "all".
    assert shown == ["Nieuw 5", "Agenda 4", "Geaccepteerd 3", "Teruggegeven 2"]


def test_the_desk_starts_at_vacancies_to_place_most_urgent_first(world, client_for, stock):
    shown = streets(client_for(world.coordinator).get(reverse("vacancy_list")))

    assert shown == ["Agenda 4", "Geaccepteerd 3", "Nieuw 5"]


def test_all_statuses_is_one_click_away(world, client_for, stock):
    corporation = client_for(world.corporation)
    page = corporation.get(reverse("vacancy_list")).content.decode()
    all_link = re.search(
        r'<a[^>]*id="list-all"[^>]*href="([^"]+)"|<a[^>]*href="([^"]+)"[^>]*id="list-all"', page
    )
    assert all_link is not None
    href = (all_link.group(1) or all_link.group(2)).replace("&amp;", "&")

    assert sorted(streets(corporation.get(href))) == [
        "Agenda 4",
        "Geaccepteerd 3",
        "Ingetrokken 6",
        "Nieuw 5",
        "Oud 1",
        "Teruggegeven 2",
    ]


def test_the_status_filter_is_a_set_of_checkboxes_showing_what_is_listed(world, client_for, stock):
    html = client_for(world.corporation).get(reverse("vacancy_list")).content.decode()

    assert "<select" not in html.split('name="status"')[0].rsplit("<", 1)[-1]
    boxes = re.findall(r'<input[^>]*name="status"[^>]*>', html)
    assert len(boxes) == len(Vacancy.Status.choices)
    assert all('type="checkbox"' in box for box in boxes)
    ticked = sorted(re.search(r'value="(\w+)"', b).group(1) for b in boxes if "checked" in b)
    assert ticked == sorted(["submitted", "accepted", "on_agenda", "nominated", "returned"])


def test_the_pool_starts_at_waiting_households_by_deadline(world, client_for):
    def household(ref, weeks, status=Household.Status.SEARCHING):
        HouseholdFactory(
            reference=ref,
            linked_municipality=world.dordrecht,
            link_date=today() - datetime.timedelta(weeks=weeks),
            status=status,
        )

    household("T-NEW", 1)
    household("T-OLD", 12)
    household("T-HOUSED", 20, Household.Status.HOUSED)
    household("T-MID", 6, Household.Status.REGISTERED)

    for persona in (world.coordinator, world.officer, world.partner):
        html = client_for(persona).get(reverse("household_list")).content.decode()
        assert re.findall(r"T-[A-Z]+", html.split('id="pool-table"')[1]) == [
            "T-OLD",
            "T-MID",
            "T-NEW",
        ]


@pytest.fixture
def nominations(world):
    """Nominations for Drechtsteden dwellings in each stage (newest last)."""
    made = {
        "nominated": placement(dwelling=world.dordrecht, status="nominated", reference="N-OPEN"),
        "lease": placement(
            dwelling=world.dordrecht,
            status="lease_signed",
            lease_start=str(days(10)),
            reference="N-LEASE",
        ),
        "refused": placement(
            dwelling=world.dordrecht,
            status="refused",
            refusal_reason="location",
            reference="N-REFUSED",
        ),
        "housed": placement(
            dwelling=world.dordrecht,
            status="housed",
            lease_start=str(days(-30)),
            move_in=str(days(-20)),
            reference="N-HOUSED",
        ),
    }
    for age, key in enumerate(("nominated", "lease", "refused", "housed")):
        Nomination.objects.filter(pk=made[key].pk).update(
            created_at=timezone.now() - datetime.timedelta(days=age)
        )
    return made


def references(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r"N-[A-Z]+", response.content.decode())


def test_nominations_start_at_those_awaiting_an_outcome_newest_first(
    world, client_for, nominations
):
    for persona in (world.coordinator, world.corporation):
        shown = references(client_for(persona).get(reverse("nomination_list")))
        assert shown == ["N-OPEN", "N-LEASE"]


def test_all_nominations_and_the_old_all_link(world, client_for, nominations):
    desk = client_for(world.coordinator)
    everything = ["N-OPEN", "N-LEASE", "N-REFUSED", "N-HOUSED"]
    assert references(desk.get(reverse("nomination_list"), {"all": "1"})) == everything
    assert references(desk.get(reverse("nomination_list"), {"status": "all"})) == everything
    assert references(desk.get(reverse("nomination_list"), {"status": "refused"})) == ["N-REFUSED"]


# --- The last filter is remembered ----------------------------------------------------------


def test_a_list_remembers_its_readers_last_filter_until_reset(world, client_for, stock):
    corporation = client_for(world.corporation)
    url = reverse("vacancy_list")
    assert streets(corporation.get(url, {"status": "let"})) == ["Oud 1"]

    # Back from a vacancy page, through the menu: the same filter, its box still ticked.
    again = corporation.get(url)
    assert streets(again) == ["Oud 1"]
    assert re.search(r'<input[^>]*value="let"[^>]*checked', again.content.decode())
    # Another list keeps its own filter (none here).
    assert references(client_for(world.corporation).get(reverse("nomination_list"))) == []

    assert streets(corporation.get(url, {"reset": "1"})) == [
        "Nieuw 5",
        "Agenda 4",
        "Geaccepteerd 3",
        "Teruggegeven 2",
    ]
    assert streets(corporation.get(url))[0] == "Nieuw 5"


def test_each_reader_keeps_a_filter_of_their_own(world, client_for, stock):
    client_for(world.coordinator).get(reverse("vacancy_list"), {"status": "let"})

    assert streets(client_for(world.corporation).get(reverse("vacancy_list")))[0] == "Nieuw 5"


def test_the_remembered_filter_comes_back_at_page_one(world, client_for):
    for n in range(PAGE_SIZE + 5):
        vacancy(
            world,
            f"Straat {n:02d}",
            Vacancy.Status.ACCEPTED,
            submitted_days_ago=n,
            deadline_in=n + 1,
        )
    desk = client_for(world.coordinator)
    url = reverse("vacancy_list")
    desk.get(url, {"sort": "-return_deadline", "page": "2"})

    assert streets(desk.get(url))[0] == f"Straat {PAGE_SIZE + 4:02d}"


# --- Re-sorting starts at page 1 ------------------------------------------------------------


def test_re_sorting_a_list_starts_at_page_one(world, client_for):
    for n in range(PAGE_SIZE + 5):
        HouseholdFactory(
            reference=f"T-P{n:03d}",
            linked_municipality=world.dordrecht,
            link_date=today() - datetime.timedelta(days=n),
        )
    html = (
        client_for(world.coordinator)
        .get(reverse("household_list"), {"page": "2", "linked_municipality": world.dordrecht.pk})
        .content.decode()
    )
    header = html.split('id="pool-table"')[1].split("</thead>")[0]
    sort_links = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', header)]

    assert sort_links
    for link in sort_links:
        assert "sort=" in link
        assert "page=" not in link
        assert f"linked_municipality={world.dordrecht.pk}" in link  # the filter stays


def test_the_sorted_column_says_so_to_screen_readers(world, client_for, stock):
    html = client_for(world.coordinator).get(reverse("vacancy_list")).content.decode()

    assert re.search(r'<th[^>]*aria-sort="ascending"[^>]*>\s*<a[^>]*>Uiterste', html)


# --- Dashboard ------------------------------------------------------------------------------


def test_the_next_meeting_card_links_to_that_meeting(world, client_for):
    region = world.drecht
    next_date = region.next_meeting_date(today())
    meeting = Meeting.objects.create(region=region, date=next_date)

    html = client_for(world.coordinator).get(reverse("dashboard")).content.decode()
    card = html.split('id="next-meeting"')[1].split("</div></div></div>")[0]

    assert f'href="{reverse("meeting_detail", args=[meeting.pk])}"' in card


def test_without_a_planned_meeting_the_card_links_to_the_meetings(world, client_for):
    html = client_for(world.officer).get(reverse("dashboard")).content.decode()
    card = html.split('id="next-meeting"')[1].split("</div></div></div>")[0]

    assert f'href="{reverse("meeting_list")}"' in card


def test_an_officer_sees_its_own_quota_position(world, client_for):
    now = today()
    current = period(now.year, 1 if now.month <= 6 else 2)
    target(current, world.zwijndrecht, 12)
    target(current, world.dordrecht, 40)
    placement(
        dwelling=world.zwijndrecht,
        persons=3,
        lease_start=str(now.replace(day=1)),
        move_in=str(now.replace(day=1)),
        reported=str(now.replace(day=1)),
    )

    html = client_for(world.officer).get(reverse("dashboard")).content.decode()

    card = html.split('id="own-quota"')[1]
    assert re.search(r'id="own-quota-realised">3<', card)
    assert re.search(r'id="own-quota-target">12<', card)
    with translation.override("nl"):
        remaining = translation.ngettext(
            "%(n)s person still to house", "%(n)s persons still to house", 9
        ) % {"n": 9}
    assert remaining in card  # "nog 9 personen te huisvesten"
    assert f'href="{reverse("quota_municipality", args=[world.zwijndrecht.pk])}"' in card


@pytest.mark.parametrize("persona", ["coordinator", "corporation", "partner"])
def test_only_an_officer_gets_the_quota_card(world, client_for, persona):
    html = client_for(getattr(world, persona)).get(reverse("dashboard")).content.decode()
    assert 'id="own-quota"' not in html
