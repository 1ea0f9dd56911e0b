"""The read-access log (issue 9): every view of a household's personal data is recorded, lists
in one INSERT; the log is append-only on PostgreSQL; coordinators see it per household and
every user sees their own reads."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from placement.access_log import purge_personal_data_views, record_views
from placement.models import PersonalDataView, SupportLink
from regions.access import Group

from .placement_builders import household


@pytest.fixture
def own(world):
    return household(world, persons=2, municipality=world.zwijndrecht, medical_notes="Astma")


@pytest.fixture
def other(world):
    return household(world, persons=1, municipality=world.dordrecht)


def test_household_page_records_who_saw_which_groups(world, own, client_for):
    client_for(world.officer).get(reverse("household_detail", args=[own.pk]))
    view = PersonalDataView.objects.get()
    assert view.user == world.officer
    assert view.household == own
    assert view.channel == PersonalDataView.Channel.PAGE
    assert view.page == "household_detail"
    assert view.groups == "identity,background,income,medical"


def test_partner_read_records_only_the_granted_groups(world, own, client_for):
    SupportLink.objects.create(
        household=own, organisation=world.partner.membership.organisation, may_see_medical=True
    )
    client_for(world.partner).get(reverse("household_detail", args=[own.pk]))
    assert PersonalDataView.objects.get().groups == "identity,background,medical"


def test_meeting_data_alone_is_not_logged(world, other, client_for):
    response = client_for(world.officer).get(reverse("household_detail", args=[other.pk]))
    assert response.status_code == 200
    assert not PersonalDataView.objects.exists()


def test_edit_page_is_a_logged_read(world, own, client_for):
    client_for(world.coordinator).get(reverse("household_edit", args=[own.pk]))
    assert PersonalDataView.objects.get().page == "household_edit"


def test_pool_list_logs_every_named_row_in_one_insert(world, client_for):
    households = [household(world, municipality=world.zwijndrecht) for _ in range(4)]
    household(world, municipality=world.dordrecht)  # no name shown to the officer: no row
    client = client_for(world.officer)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("household_list"))
    assert response.status_code == 200
    inserts = [
        q["sql"]
        for q in captured.captured_queries
        if 'INSERT INTO "placement_personaldataview"' in q["sql"]
    ]
    assert len(inserts) == 1
    assert set(PersonalDataView.objects.values_list("household_id", flat=True)) == {
        h.pk for h in households
    }
    assert set(PersonalDataView.objects.values_list("groups", flat=True)) == {"identity"}


def test_htmx_part_is_logged_as_a_partial(world, own, client_for):
    client_for(world.coordinator).get(reverse("household_list"), headers={"HX-Request": "true"})
    assert PersonalDataView.objects.get().channel == PersonalDataView.Channel.PARTIAL


def test_coordinator_sees_the_log_of_a_household(world, own, client_for):
    client_for(world.officer).get(reverse("household_detail", args=[own.pk]))
    coordinator = client_for(world.coordinator)
    detail = coordinator.get(reverse("household_detail", args=[own.pk])).content.decode()
    assert reverse("household_read_log", args=[own.pk]) in detail
    html = coordinator.get(reverse("household_read_log", args=[own.pk])).content.decode()
    assert "Gert" in html
    assert "household_detail" in html


@pytest.mark.parametrize("persona", ["officer", "partner", "finance", "corporation"])
def test_only_coordinators_see_a_households_log(world, own, client_for, persona):
    response = client_for(getattr(world, persona)).get(reverse("household_read_log", args=[own.pk]))
    assert response.status_code == 403


def test_every_user_sees_their_own_reads_only(world, own, other, client_for):
    client_for(world.officer).get(reverse("household_detail", args=[own.pk]))
    client_for(world.coordinator).get(reverse("household_detail", args=[other.pk]))
    html = client_for(world.officer).get(reverse("my_reads")).content.decode()
    assert own.reference in html
    assert other.reference not in html
    assert reverse("my_reads") in html  # the link in the user menu


def _a_view(world, own) -> PersonalDataView:
    record_views(
        user=world.coordinator, shown=[(own.pk, {Group.IDENTITY})], channel="page", page="test"
    )
    return PersonalDataView.objects.get()


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_postgresql_refuses_changing_or_deleting_the_log(world, own, operation):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL")
    view = _a_view(world, own)
    rows = PersonalDataView.objects.filter(pk=view.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        if operation == "update":
            rows.update(groups="meeting")
        else:
            rows.delete()
    assert PersonalDataView.objects.get(pk=view.pk).groups == "identity"


def test_purge_deletes_only_what_is_past_its_period(world, own):
    old = _a_view(world, own)
    cutoff = old.viewed_at + datetime.timedelta(microseconds=1)
    record_views(user=world.officer, shown=[(own.pk, {Group.MEDICAL})], channel="page", page="t")
    deleted = purge_personal_data_views(before=cutoff)
    assert deleted == 1
    assert list(PersonalDataView.objects.values_list("user__username", flat=True)) == ["gert"]


def test_the_purge_flag_does_not_outlive_its_transaction(world, own):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL")
    view = _a_view(world, own)
    purge_personal_data_views(before=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataView.objects.filter(pk=view.pk).delete()
