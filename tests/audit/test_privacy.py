"""The privacy page: Dutch first, reachable without logging in (the login page links it), the
retention periods and contact read live from the settings, the role table from the access rules."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.privacy import role_table
from regions.access import GROUP_LABELS, Group
from regions.models import Role
from tests.billing.billing_builders import nl

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_reach_it_from_the_login_page():
    client = Client()
    login = client.get(reverse("login"))
    assert reverse("privacy") in login.text
    page = client.get(reverse("privacy"))
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert f'<h1 class="h3">{nl("Privacy statement")}</h1>' in page.text


def test_every_logged_in_user_sees_it_with_the_footer_link(world, client_for):
    for persona in ("coordinator", "officer", "partner", "corporation", "finance"):
        client = client_for(getattr(world, persona))
        assert reverse("privacy") in client.get(reverse("dashboard")).text
        assert client.get(reverse("privacy")).status_code == 200


def test_retention_periods_and_contact_come_from_the_settings(settings):
    settings.RETENTION_PERSONAL_DATA_MONTHS = 30
    settings.RETENTION_LOG_MONTHS = 18
    settings.PRIVACY_CONTACT_NAME = "Mr. A. de Vries, FG Drechtsteden"
    settings.PRIVACY_CONTACT_EMAIL = "fg@drechtsteden.example"
    page = Client().get(reverse("privacy")).text
    personal = page.split('id="retention-personal">')[1].split("</p>")[0]
    logs = page.split('id="retention-logs">')[1].split("</p>")[0]
    assert " 30 " in personal and " 24 " not in personal
    assert " 18 " in logs
    assert "Mr. A. de Vries, FG Drechtsteden" in page
    assert 'href="mailto:fg@drechtsteden.example"' in page


def test_english_through_the_language_switch():
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("privacy")})
    page = client.get(reverse("privacy")).text
    assert "Privacy statement" in page


def test_the_role_table_follows_the_access_rules():
    rows = {row.role: row for row in role_table()}
    coordinator = rows[Role.COORDINATOR.label]
    assert str(GROUP_LABELS[Group.MEDICAL]) in coordinator.rest
    assert coordinator.change_history and coordinator.read_log
    officer = rows[Role.MUNICIPALITY_OFFICER.label]
    assert officer.rest == [str(GROUP_LABELS[Group.MEETING])]
    assert str(GROUP_LABELS[Group.IDENTITY]) in officer.own
    partner = rows[Role.PARTNER.label]
    assert str(GROUP_LABELS[Group.INCOME]) not in partner.own
    assert str(GROUP_LABELS[Group.INCOME]) in partner.own_granted
    assert str(GROUP_LABELS[Group.MEDICAL]) in partner.own_granted
    finance = rows[Role.FINANCE.label]
    assert finance.invoice_history and not finance.change_history
    assert finance.rest == [str(GROUP_LABELS[Group.MEETING])]
    assert not rows[Role.CORPORATION.label].invoices
