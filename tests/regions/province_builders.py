"""The province persona for tests (not a test module): Pien, province officer of Zuid-Holland.

Added to a ``build_world()`` world: the Drechtsteden municipalities are in Zuid-Holland, Woerden
in Utrecht, and Woerden e.o. gets Bodegraven-Reeuwijk, which is in Zuid-Holland (as in real
life: the region spans two provinces).
"""

from __future__ import annotations

from types import SimpleNamespace

from regions.models import Municipality, Organisation, Province, Role
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory


def add_provinces(world: SimpleNamespace) -> SimpleNamespace:
    zuid_holland = Province.objects.create(name="Zuid-Holland", code="PV28")
    utrecht = Province.objects.create(name="Utrecht", code="PV26")
    Municipality.objects.filter(region=world.drecht).update(province=zuid_holland)
    Municipality.objects.filter(pk=world.woerden.pk).update(province=utrecht)
    world.bodegraven = MunicipalityFactory(
        region=world.woerden_region,
        name="Bodegraven-Reeuwijk",
        cbs_code="GM1901",
        province=zuid_holland,
    )
    world.zuid_holland, world.utrecht = zuid_holland, utrecht
    world.provincie_zh = Organisation.objects.create(
        kind=Organisation.Kind.PROVINCE, province=zuid_holland, name="Provincie Zuid-Holland"
    )
    world.provincie_utrecht = Organisation.objects.create(
        kind=Organisation.Kind.PROVINCE, province=utrecht, name="Provincie Utrecht"
    )
    world.province_officer = UserFactory(username="pien", first_name="Pien")
    MembershipFactory(
        user=world.province_officer, organisation=world.provincie_zh, role=Role.PROVINCE_OFFICER
    )
    world.utrecht_officer = UserFactory(username="ulla", first_name="Ulla")
    MembershipFactory(
        user=world.utrecht_officer,
        organisation=world.provincie_utrecht,
        role=Role.PROVINCE_OFFICER,
    )
    return world
