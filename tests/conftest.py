"""Personas: the people who use the placement desk, in two regions.

Drechtsteden: Carla the coordinator (desk), Gert the Zwijndrecht officer, Cor of corporation
Trivire, Petra the partner (VluchtelingenWerk), Fien of finance (Dordrecht). Woerden e.o.:
Otto, the other region's coordinator: an outsider to everything in Drechtsteden.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from regions.models import Role

from .factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)
from .login import log_in


def build_world() -> SimpleNamespace:
    """The personas and their organisations (the ``world`` fixture; also used by module-scoped
    fixtures that build their data once, such as the access matrix)."""
    drecht = RegionFactory(name="Drechtsteden", code="DS")
    dordrecht = MunicipalityFactory(region=drecht, name="Dordrecht", cbs_code="GM0505")
    zwijndrecht = MunicipalityFactory(region=drecht, name="Zwijndrecht", cbs_code="GM0642")
    papendrecht = MunicipalityFactory(region=drecht, name="Papendrecht", cbs_code="GM0590")
    sliedrecht = MunicipalityFactory(
        region=drecht, name="Sliedrecht", cbs_code="GM0610", participates=False
    )
    drecht.central_municipality = dordrecht
    drecht.save()
    woerden_region = RegionFactory(name="Woerden e.o.", code="WO")
    woerden = MunicipalityFactory(region=woerden_region, name="Woerden", cbs_code="GM0632")

    desk = OrganisationFactory(region=drecht, name="Regieteam Dordrecht", kind="desk")
    gem_zwijndrecht = OrganisationFactory(
        region=drecht, name="Gemeente Zwijndrecht", kind="municipality", municipality=zwijndrecht
    )
    gem_dordrecht = OrganisationFactory(
        region=drecht, name="Gemeente Dordrecht", kind="municipality", municipality=dordrecht
    )
    trivire = OrganisationFactory(region=drecht, name="Trivire", kind="corporation")
    woonbron = OrganisationFactory(region=drecht, name="Woonbron", kind="corporation")
    vwn = OrganisationFactory(region=drecht, name="VluchtelingenWerk", kind="support")
    ferm = OrganisationFactory(region=woerden_region, name="Ferm Werk", kind="desk")
    groenwest = OrganisationFactory(region=woerden_region, name="GroenWest", kind="corporation")

    def member(username, organisation, role):
        user = UserFactory(username=username, first_name=username.title())
        MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    return SimpleNamespace(
        drecht=drecht,
        woerden_region=woerden_region,
        dordrecht=dordrecht,
        zwijndrecht=zwijndrecht,
        papendrecht=papendrecht,
        sliedrecht=sliedrecht,
        woerden=woerden,
        desk=desk,
        trivire=trivire,
        woonbron=woonbron,
        groenwest=groenwest,
        coordinator=member("carla", desk, Role.COORDINATOR),
        officer=member("gert", gem_zwijndrecht, Role.MUNICIPALITY_OFFICER),
        corporation=member("cor", trivire, Role.CORPORATION),
        other_corporation=member("wim", woonbron, Role.CORPORATION),
        partner=member("petra", vwn, Role.PARTNER),
        finance=member("fien", gem_dordrecht, Role.FINANCE),
        outsider=member("otto", ferm, Role.COORDINATOR),
        outsider_corporation=member("gwen", groenwest, Role.CORPORATION),
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every persona has a password; the production hasher takes a third of a second per user
    on purpose, which made each test's world cost seconds. Tests check who may log in, not
    how hard a stolen hash is to crack."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="session")  # stateless: module-scoped fixtures use it too
def client_for():
    """A logged-in test client for a persona; for coordinators, finance and staff (who must
    use two-step login while REQUIRE_MFA is on) the session has passed the second step."""

    def make(user) -> Client:
        return log_in(Client(), user)

    return make
