"""Default deny for the province officer (issue 13, section 1): Pien, province officer of
Zuid-Holland, works in no region, so no ``visible_to`` queryset gives her anything, though the
objects are in her province's region. Built on the access matrix's world (one object of every
kind), in a module of its own because that world is built once per module."""

from __future__ import annotations

import pytest
from django.urls import reverse

from billing.models import Invoice
from downloads.models import PreparedDownload
from exchange.models import ImportBatch
from notices.models import Notice
from placement.models import Household, Meeting, Nomination, Vacancy
from tests.access_world import built_once


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker, client_for):
    """The access matrix's world: one object of every kind, Pien among the personas."""
    with built_once(django_db_blocker, client_for) as built:
        yield built


def test_no_visible_to_gives_the_province_anything(objects, db):
    pien = objects.world.province_officer
    # Objects of every kind exist (in her province's region), and she sees none of them.
    Notice.objects.create(
        recipient=objects.world.officer,
        kind=Notice.Kind.VACANCY_SUBMITTED,
        subject_key="vacancy:1",
    )
    PreparedDownload.objects.create(
        owner=objects.world.officer, kind="export", title="x", filename="x.csv"
    )
    for model in (
        Household,
        Vacancy,
        Meeting,
        Nomination,
        Invoice,
        ImportBatch,
        PreparedDownload,
        Notice,
    ):
        assert model.objects.exists(), model
        assert list(model.objects.visible_to(pien)) == [], model
    assert not Household.objects.editable_by(pien).exists()


def test_no_support_link_or_read_log_opens_for_her(objects, db, client_for):
    client = client_for(objects.world.province_officer)
    household_pk, link_pk = objects.caseload_household.pk, objects.support_link.pk

    assert client.get(reverse("household_read_log", args=[household_pk])).status_code == 403
    assert (
        client.get(reverse("support_link_remove", args=[household_pk, link_pk])).status_code == 403
    )
    assert client.get(reverse("household_detail", args=[household_pk])).status_code == 404
    # Her own reads: none, since she opens no household.
    reads = client.get(reverse("my_reads"))
    assert reads.status_code == 200
    assert objects.caseload_household.reference not in reads.content.decode()
