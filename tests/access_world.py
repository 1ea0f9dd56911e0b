"""One Drechtsteden world with an object of every kind, built once per module (not a test module).

Used by the access matrix (``test_access_matrix.py``) and the fuzz test (``test_fuzz_inputs.py``):
both fill every URL's arguments from it. Tests that change data run inside a savepoint that is
rolled back, so the world stays as built here.
"""

from __future__ import annotations

import copy
import datetime
from contextlib import contextmanager
from types import SimpleNamespace

from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from billing import services as billing_services
from billing.models import BillingProfile
from directory.models import Attendance, Participant
from downloads.models import PreparedDownload
from notices.models import Notice
from placement.meetings import agenda_build
from placement.models import Meeting, Nomination, Vacancy
from placement.models.support import SupportLink
from quota.models import QuotaPeriod
from regions.models import Organisation
from tests.billing.billing_builders import (
    ISSUED_ON,
    cost_key,
    invoice_for,
    quota_targets,
    run_period,
    worked_example,
)
from tests.conftest import build_world
from tests.exchange.import_builders import ready_batch
from tests.factories import VacancyFactory
from tests.placement.placement_builders import accepted_vacancy, household, today
from tests.regions.province_builders import add_provinces

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The personas by their short name in the access matrix, and the world attribute of each.
PERSONA_USERS = {
    "coord": "coordinator",
    "officer": "officer",
    "corp": "corporation",
    "partner": "partner",
    "finance": "finance",
    "outsider": "outsider",
    # Not a column of the main matrix: its own table (``PROVINCE`` in test_access_matrix.py).
    "province": "province_officer",
}


def build_objects() -> SimpleNamespace:
    """The personas plus one object of every kind in Drechtsteden, each visible to the roles
    that may see it: the household and the vacancies are in Zwijndrecht (Gert's municipality),
    the vacancies and nominations belong to Trivire (Cor's corporation), the issued invoice is
    addressed to Zwijndrecht."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        world = build_world()
    add_provinces(world)  # Pien, province officer of Zuid-Holland (Drechtsteden's province)
    worked_example(world)  # housed and waiting nominations, quota periods 2025-II..2026-II
    first_half = QuotaPeriod.objects.get(year=2026, half=1)
    quota_targets(world, first_half, zwijndrecht=12, papendrecht=6, dordrecht=20)
    key = cost_key(world, "per_person", tariff="350.00")
    BillingProfile.for_region(world.drecht)
    run = run_period(world)
    invoice = billing_services.invoice_issue(
        invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON
    )
    family = household(world, persons=3, municipality=world.zwijndrecht, reference="DS-MATRIX-1")
    submitted = VacancyFactory(
        corporation=world.trivire,
        municipality=world.zwijndrecht,
        status=Vacancy.Status.SUBMITTED,
        street="Matrixstraat 1",
    )
    # A household in Petra's caseload (VluchtelingenWerk), linked to Papendrecht.
    supported = household(world, persons=1, municipality=world.papendrecht, reference="DS-MATRIX-2")
    link = SupportLink.objects.create(
        household=supported,
        organisation=Organisation.objects.get(region=world.drecht, kind="support"),
        created_by=world.coordinator,
    )
    accepted = accepted_vacancy(world, municipality=world.zwijndrecht, street="Matrixstraat 2")
    meeting = Meeting.objects.create(
        region=world.drecht, date=today() + datetime.timedelta(weeks=2), place="Stadskantoor"
    )
    agenda_build(meeting=meeting, today=today())
    # Someone at the table (Zwijndrecht's decision-maker, no account: only the coordinator may
    # change the entry), attending the planned meeting.
    participant = Participant.objects.create(
        organisation=Organisation.objects.get(region=world.drecht, name="Gemeente Zwijndrecht"),
        name="Wethouder Matrix",
        table_role=Participant.Role.DECISION_MAKER,
        email="matrix@zwijndrecht.example",
    )
    Attendance.objects.create(participant=participant, meeting=meeting)
    notice = Notice.objects.create(
        recipient=world.coordinator,
        kind=Notice.Kind.VACANCY_SUBMITTED,
        subject_key=f"vacancy:{submitted.pk}",
        vacancy=submitted,
        data={"corporation": world.trivire.name},
    )
    nomination = Nomination.objects.filter(
        vacancy__corporation=world.trivire, status=Nomination.Status.ACCEPTED
    ).first()
    # A prepared download that is ready, owned by the coordinator (only she may open it).
    download = PreparedDownload.objects.create(
        owner=world.coordinator,
        kind="export",
        parameters={"export": "quota", "format": "csv", "params": {}},
        title="Taakstelling (CSV)",
        filename="taakstelling.csv",
        content_type="text/csv; charset=utf-8",
        data=b"\xef\xbb\xbfGemeente\r\n",
        size=14,
        status=PreparedDownload.Status.READY,
    )
    import_batch = ready_batch(world)  # a COA list waiting for its confirm (the coordinator's)
    return SimpleNamespace(
        world=world,
        import_batch=import_batch,
        download=download,
        household=family,
        caseload_household=supported,
        support_link=link,
        vacancy=submitted,
        accepted_vacancy=accepted,
        meeting=meeting,
        participant=participant,
        agenda_item=meeting.items.order_by("position", "pk").first(),
        nomination=nomination,
        period=first_half,
        municipality=world.zwijndrecht,
        cost_key=key,
        run=run,
        invoice=invoice,
        notice=notice,
    )


@contextmanager
def built_once(django_db_blocker, client_for):
    """Build the objects, and log each persona in once (``cookies``), inside a transaction that
    is rolled back when the module is done; each test's own savepoint (pytest-django's ``db``)
    nests inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_objects()
            built.cookies = {"anon": Client().cookies}
            for persona, attribute in PERSONA_USERS.items():
                built.cookies[persona] = client_for(getattr(built.world, attribute)).cookies
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def client(objects, persona: str) -> Client:
    """A fresh client with a copy of the persona's session cookie: a logout or a changed
    session cannot leak into the next request."""
    fresh = Client()
    fresh.cookies = copy.deepcopy(objects.cookies[persona])
    return fresh


@contextmanager
def rolled_back():
    """Run a request whose changes must not reach the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
