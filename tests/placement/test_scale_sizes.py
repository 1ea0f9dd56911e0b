"""Issue 14, list pages at national size: household sizes stored as columns and kept right on
every path that changes members; the pool and the dashboard query without GROUP BY or
DISTINCT; the search and the default order can use their indexes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placement import services
from placement.models import Household, Person, refresh_sizes
from tests.exchange.import_builders import confirm, csv_file, person_row, upload_batch
from tests.factories import HouseholdFactory, PersonFactory


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stored(household: Household) -> tuple[int, int]:
    """(present, expected) as the columns hold them, read fresh from the database."""
    return tuple(
        Household.objects.filter(pk=household.pk).values_list("size", "expected_size").get()
    )


def counted(household: Household) -> tuple[int, int]:
    members = Person.objects.filter(household=household)
    return members.filter(present=True).count(), members.count()


# --- The columns follow the members -------------------------------------------------------


def test_sizes_follow_members_added_changed_and_removed(world):
    household = HouseholdFactory(linked_municipality=world.dordrecht)
    assert stored(household) == (0, 0)

    main = PersonFactory(household=household, role="main")
    partner = PersonFactory(household=household, role="partner")
    later = PersonFactory(household=household, role="child", present=False, v_number="")
    assert stored(household) == (2, 3)

    later.present = True  # the family member expected later arrives
    later.arrival_date = timezone.localdate()
    later.save()
    assert stored(household) == (3, 3)

    partner.present = False
    partner.save(update_fields=["present"])
    assert stored(household) == (2, 3)

    partner.delete()
    assert stored(household) == (2, 2)

    # A change that is not about presence leaves the sizes as they are (and right).
    main.full_name = "Nieuwe Naam"
    main.save(update_fields=["full_name"])
    assert stored(household) == (2, 2) == counted(household)


def test_a_household_saved_from_a_stale_instance_keeps_the_right_sizes(world):
    household = HouseholdFactory(linked_municipality=world.dordrecht)
    PersonFactory(household=household, role="main")
    loaded = Household.objects.get(pk=household.pk)  # size 1
    PersonFactory(household=household, role="child")
    PersonFactory(household=household, role="child", present=False, v_number="")

    loaded.notes = "Aantekening"
    loaded.save()  # its own size (1) is not written back

    assert stored(household) == (2, 3)
    assert Household.objects.get(pk=household.pk).notes == "Aantekening"


def test_registering_a_household_stores_its_sizes(world):
    created = services.household_create(
        household=Household(linked_municipality=world.dordrecht, link_date=timezone.localdate()),
        members=[
            Person(full_name="Amal Haddad", date_of_birth=datetime.date(1988, 4, 2), role="main"),
            Person(
                full_name="Yusuf Haddad", date_of_birth=datetime.date(2016, 9, 30), role="child"
            ),
            Person(
                full_name="Omar Haddad",
                date_of_birth=datetime.date(1986, 1, 15),
                role="partner",
                present=False,
            ),
        ],
        by=world.coordinator,
    )
    assert stored(created) == (2, 3)


def test_deleting_a_household_with_members_works(world):
    household = HouseholdFactory(linked_municipality=world.dordrecht)
    PersonFactory(household=household, role="main")
    household.delete()  # the members' post_delete refreshes a household being deleted
    assert not Household.objects.filter(pk=household.pk).exists()


def test_bulk_created_members_are_counted_by_refresh_sizes(world):
    first = HouseholdFactory(linked_municipality=world.dordrecht)
    second = HouseholdFactory(linked_municipality=world.dordrecht)
    born = datetime.date(1990, 1, 1)
    Person.objects.bulk_create(
        [
            Person(household=first, full_name="A", date_of_birth=born, role="main"),
            Person(household=first, full_name="B", date_of_birth=born, role="child"),
            Person(household=first, full_name="C", date_of_birth=born, role="child", present=False),
            Person(household=second, full_name="D", date_of_birth=born, role="main"),
        ]
    )
    assert stored(first) == stored(second) == (0, 0)  # bulk_create sends no signals

    assert refresh_sizes([first.pk]) == 1
    assert stored(first) == (2, 3) and stored(second) == (0, 0)

    assert refresh_sizes(None) == Household.objects.count()
    assert stored(second) == (1, 1)

    with CaptureQueriesContext(connection) as captured:
        assert refresh_sizes([]) == 0
    assert len(captured) == 0


def test_the_coa_import_stores_sizes_of_new_and_updated_households(world, client_for):
    client = client_for(world.coordinator)
    rows = [
        person_row("2400000001", "2400000001", "Hoofd Een"),
        person_row("2400000002", "2400000001", "Partner Een"),
        person_row("2400000003", "2400000001", "Kind Een", "01-01-2015", later="ja"),
        person_row("2400000011", "2400000011", "Hoofd Twee"),
    ]
    confirm(client, upload_batch(client, csv_file(rows)))
    one = Person.objects.get(v_number="2400000001").household
    two = Person.objects.get(v_number="2400000011").household
    assert stored(one) == (2, 3) == counted(one)
    assert stored(two) == (1, 1)

    # The next list: the child has arrived and a baby is new.
    rows[2] = person_row("2400000003", "2400000001", "Kind Een", "01-01-2015", later="nee")
    rows.append(person_row("2400000004", "2400000001", "Baby Een", "01-01-2025"))
    confirm(client, upload_batch(client, csv_file(rows)))
    assert stored(one) == (4, 4) == counted(one)


# --- The queries of the list pages ---------------------------------------------------------


def pool_rows(world, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        household = HouseholdFactory(
            linked_municipality=world.dordrecht if i % 2 else world.zwijndrecht,
            link_date=today - datetime.timedelta(weeks=9 + i % 5),
            status=Household.Status.SEARCHING,
        )
        PersonFactory(household=household, role="main", full_name=f"Karimi {i}")
        PersonFactory(household=household, role="child", present=bool(i % 3), v_number="")


def household_selects(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "placement_household"' in q["sql"]
    ]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": ["searching", "registered"]},
        {"q": "karimi"},
        {"q": "karimi", "status": "searching", "size_min": "2", "sort": "-size"},
        {"sort": "weeks_waiting", "size_max": "2"},
        {"overdue": "on"},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "default",
)
def test_the_pool_queries_without_group_by_or_distinct(world, client_for, params):
    pool_rows(world, 6)
    desk = client_for(world.coordinator)
    with CaptureQueriesContext(connection) as captured:
        response = desk.get(reverse("household_list"), params)
    assert response.status_code == 200
    selects = household_selects(captured)
    assert len(selects) >= 2  # the count and the page
    for sql in selects:
        assert "GROUP BY" not in sql and "DISTINCT" not in sql, sql


def test_the_pool_shows_and_sorts_the_stored_sizes(world, client_for):
    pool_rows(world, 6)  # i % 3 == 0: the child is expected later (1 + 1), else 2 present
    html = client_for(world.coordinator).get(
        reverse("household_list"), {"sort": "size"}, HTTP_HX_REQUEST="true"
    )
    rows = html.content.decode().split('href="/huishoudens/')[1:]
    sizes = [row.split('class="text-end text-nowrap">')[1].split("<")[0].strip() for row in rows]
    assert sizes == ["1", "1", "2", "2", "2", "2"]


def test_the_officers_own_open_and_overdue_counts(world, client_for):
    today = timezone.localdate()
    for weeks, municipality, status in [
        (12, world.zwijndrecht, Household.Status.SEARCHING),  # own, overdue
        (3, world.zwijndrecht, Household.Status.NOMINATED),  # own, open
        (12, world.zwijndrecht, Household.Status.HOUSED),  # own, closed
        (12, world.dordrecht, Household.Status.SEARCHING),  # not own
    ]:
        HouseholdFactory(
            linked_municipality=municipality,
            link_date=today - datetime.timedelta(weeks=weeks),
            status=status,
        )
    html = client_for(world.officer).get(reverse("dashboard")).content.decode()
    text = " ".join(html.split())
    assert '<div class="fs-3 fw-bold">2 <span class="fs-6 text-danger">(1 ' in text


def test_the_dashboard_top_ten_aggregates_nothing(world, client_for):
    pool_rows(world, 12)
    with CaptureQueriesContext(connection) as captured:
        response = client_for(world.coordinator).get(reverse("dashboard"))
    html = response.content.decode()
    assert html.count('href="/huishoudens/') >= 10
    assert 'id="count-open">12<' in html  # the sum of the open statuses' counts
    near = [s for s in household_selects(captured) if "LIMIT 10" in s]
    assert len(near) == 1
    assert "GROUP BY" not in near[0] and "DISTINCT" not in near[0]
    assert (
        'ORDER BY "placement_household"."link_date" ASC, "placement_household"."id" ASC'
        in (near[0])
    )


# --- Indexes (PostgreSQL) -------------------------------------------------------------------


def plan_with_index_preferred(queryset, *, ordered: bool = False) -> str:
    """The plan with sequential scans (and for an ``ordered`` query sorts) made expensive: it
    names an index only if that index can serve the query (a few rows would otherwise just be
    scanned)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if ordered:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


pytestmark_pg = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)


@pytestmark_pg
def test_name_and_reference_search_can_use_the_trigram_indexes(world):
    pool_rows(world, 3)
    names = Person.objects.filter(full_name__icontains="arim").order_by().values("household_id")
    assert "person_full_name_trgm" in plan_with_index_preferred(names)
    references = Household.objects.filter(reference__icontains="t-0").order_by().values("pk")
    assert "household_reference_trgm" in plan_with_index_preferred(references)


@pytestmark_pg
def test_the_default_pool_order_and_size_order_walk_an_index(world):
    pool_rows(world, 3)
    base = Household.objects.filter(status__in=Household.OPEN_STATUSES)
    by_date = base.order_by("link_date", "id")[:25]
    assert "household_link_date_id_idx" in plan_with_index_preferred(by_date, ordered=True)
    by_size = base.order_by("-expected_size", "-size", "-id")[:25]
    assert "household_size_idx" in plan_with_index_preferred(by_size, ordered=True)
