"""The province as a party (issue 13, section 1): its model, the province officer's role, its
scope (``municipalities_in_scope``) and default deny everywhere else, its menu, overview and
meeting dates. Pien is province officer of Zuid-Holland (all of Drechtsteden, and
Bodegraven-Reeuwijk in Woerden e.o.), Ulla of Utrecht (Woerden)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from audit.privacy import role_table
from placement.models import Meeting
from regions.access import (
    HouseholdFacts,
    capabilities,
    disclosed_groups,
    municipalities_in_scope,
    regions_in_scope,
)
from regions.models import Membership, Municipality, Organisation, Province, Role
from tests.factories import UserFactory
from tests.placement.placement_builders import household, today
from tests.regions.province_builders import add_provinces


@pytest.fixture
def provinces(world):
    return add_provinces(world)


def names(queryset) -> list[str]:
    return sorted(m.name for m in queryset)


# --- The scope ------------------------------------------------------------------------------


def test_the_province_officer_sees_her_provinces_municipalities_in_every_region(provinces):
    assert names(municipalities_in_scope(provinces.province_officer)) == [
        "Bodegraven-Reeuwijk",
        "Dordrecht",
        "Papendrecht",
        "Zwijndrecht",
    ]  # Sliedrecht does not take part; Woerden is in Utrecht
    assert [r.name for r in regions_in_scope(provinces.province_officer)] == [
        "Drechtsteden",
        "Woerden e.o.",
    ]
    assert names(municipalities_in_scope(provinces.utrecht_officer)) == ["Woerden"]
    assert "Sliedrecht" in names(
        municipalities_in_scope(provinces.province_officer, participating=False)
    )


def test_everyone_else_sees_the_municipalities_of_their_region(provinces):
    drechtsteden = ["Dordrecht", "Papendrecht", "Zwijndrecht"]
    for user in (provinces.coordinator, provinces.officer, provinces.corporation):
        assert names(municipalities_in_scope(user)) == drechtsteden
    assert names(municipalities_in_scope(provinces.outsider)) == [
        "Bodegraven-Reeuwijk",
        "Woerden",
    ]
    assert list(municipalities_in_scope(UserFactory())) == []  # no membership: nothing


def test_the_province_officers_capabilities(provinces):
    can = capabilities(provinces.province_officer)

    assert can.sees_province and can.sees_quota
    assert not can.sees_quota_rows  # the households behind the numbers
    refused = [
        "sees_pool",
        "sees_personal_data",
        "edits_households",
        "imports_coa_lists",
        "sees_vacancies",
        "sees_meetings",
        "runs_meetings",
        "sees_nominations",
        "manages_quota",
        "manages_billing",
        "sees_invoices",
        "manages_caseloads",
        "sees_read_log",
        "sees_home_addresses",
        "records_outcomes",
        "sees_change_history",
        "sees_invoice_history",
    ]
    assert [name for name in refused if getattr(can, name)] == []
    assert not capabilities(provinces.coordinator).sees_province
    every_fact = HouseholdFacts(
        own_municipality=True, in_caseload=True, income_granted=True, medical_granted=True
    )
    assert disclosed_groups(Role.PROVINCE_OFFICER, every_fact) == frozenset()


# --- The model ------------------------------------------------------------------------------


def test_a_province_organisation_belongs_to_a_province_and_to_no_region(provinces):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organisation.objects.create(
            kind="province", province=provinces.zuid_holland, region=provinces.drecht, name="A"
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organisation.objects.create(kind="province", name="Provincie zonder provincie")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organisation.objects.create(kind="desk", name="Bureau zonder regio")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organisation.objects.create(
            kind="desk", region=provinces.drecht, province=provinces.zuid_holland, name="B"
        )


def test_the_province_code_is_the_cbs_code(db):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Province.objects.create(name="Zeeland", code="ZL")
    province = Province(name="Zeeland", code="PV29")
    province.full_clean()
    assert str(province) == "Zeeland"


def test_the_province_officer_role_fits_only_a_province(provinces):
    wrong = Membership(user=UserFactory(), organisation=provinces.desk, role=Role.PROVINCE_OFFICER)
    with pytest.raises(ValidationError):
        wrong.full_clean()
    also_wrong = Membership(
        user=UserFactory(), organisation=provinces.provincie_zh, role=Role.COORDINATOR
    )
    with pytest.raises(ValidationError):
        also_wrong.full_clean()
    right = Membership.objects.get(user=provinces.province_officer)
    right.full_clean()
    assert right.region is None and not right.at_centre


# --- Her pages --------------------------------------------------------------------------------


def menu(html: str) -> list[str]:
    nav = html.split('aria-label="', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_her_menu_holds_only_what_she_may_open(provinces, client_for):
    response = client_for(provinces.province_officer).get(reverse("dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    links = menu(html)
    for allowed in ("dashboard", "meeting_dates", "quota_dashboard", "rules"):
        assert reverse(allowed) in links, allowed
    for refused in ("household_list", "vacancy_list", "meeting_list", "nomination_list",
                    "billing_overview", "quota_relinks"):  # fmt: skip
        assert reverse(refused) not in links, refused
    # The header names her province where others see their region.
    assert '<span class="desk-region">Zuid-Holland</span>' in html


def test_her_overview_lists_the_next_meeting_of_each_region(provinces, client_for):
    html = client_for(provinces.province_officer).get(reverse("dashboard")).content.decode()

    listed = re.search(r'<ul id="province-next-meetings">(.*?)</ul>', html, re.S).group(1)
    assert "Drechtsteden" in listed and "Woerden e.o." in listed
    assert len(re.findall(r'data-date="\d{4}-\d{2}-\d{2}"', listed)) == 2


def test_the_meeting_dates_give_dates_and_places_without_the_agenda(provinces, client_for):
    meeting = Meeting.objects.create(
        region=provinces.drecht,
        date=today() + datetime.timedelta(days=10),
        place="Stadskantoor Dordrecht",
    )
    family = household(
        provinces, persons=3, municipality=provinces.zwijndrecht, reference="DS-PROV-1"
    )
    # The agenda names the household: none of it reaches the province.
    meeting.items.create(kind="household", household=family, notes="Voorkeur: Dordrecht")

    response = client_for(provinces.province_officer).get(reverse("meeting_dates"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="region-{provinces.drecht.pk}"' in html
    assert f'id="region-{provinces.woerden_region.pk}"' in html
    assert f'data-date="{meeting.date:%Y-%m-%d}"' in html
    assert "Stadskantoor Dordrecht" in html
    assert "DS-PROV-1" not in html and "Voorkeur" not in html
    assert reverse("meeting_detail", args=[meeting.pk]) not in html
    assert reverse("meeting_agenda_pdf", args=[meeting.pk]) not in html


def test_ulla_sees_only_the_meetings_of_woerden_eo(provinces, client_for):
    html = client_for(provinces.utrecht_officer).get(reverse("meeting_dates")).content.decode()

    assert f'id="region-{provinces.woerden_region.pk}"' in html
    assert f'id="region-{provinces.drecht.pk}"' not in html


def test_the_meeting_dates_are_the_provinces_page(provinces, client_for):
    for user in (provinces.coordinator, provinces.officer, provinces.partner):
        assert client_for(user).get(reverse("meeting_dates")).status_code == 403


def test_the_privacy_page_lists_the_province_officer(provinces, client_for):
    rows = {str(row.role): row for row in role_table()}
    province = rows[str(Role.PROVINCE_OFFICER.label)]

    assert province.rest == [] and province.own == [] and province.own_granted == []
    assert not province.invoices and not province.read_log
    html = client_for(provinces.province_officer).get(reverse("privacy")).content.decode()
    with translation.override("nl"):
        assert escape(str(province.scope)) in html


# --- Demo data ---------------------------------------------------------------------------------


def test_the_demo_has_the_provinces_and_the_user_provincie(db):
    call_command("seed_demo", stdout=io.StringIO())

    assert dict(Province.objects.values_list("code", "name")) == {
        "PV26": "Utrecht",
        "PV28": "Zuid-Holland",
    }
    by_province = {
        province: sorted(
            Municipality.objects.filter(province__name=province).values_list("name", flat=True)
        )
        for province in ("Utrecht", "Zuid-Holland")
    }
    assert by_province["Utrecht"] == ["Montfoort", "Oudewater", "Woerden"]
    assert "Bodegraven-Reeuwijk" in by_province["Zuid-Holland"]
    assert "Dordrecht" in by_province["Zuid-Holland"]
    assert not Municipality.objects.filter(province__isnull=True).exists()
    membership = Membership.objects.get(user__username="provincie")
    assert membership.role == Role.PROVINCE_OFFICER
    assert membership.organisation.name == "Provincie Zuid-Holland"
    assert membership.organisation.province.code == "PV28"
    assert membership.user.check_password("demo")
