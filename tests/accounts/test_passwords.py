"""Changing one's own password, resetting it by e-mail, and Django's password validators."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession

NEW = "lange-zin-met-woorden"


def test_a_user_changes_their_password(world, client_for):
    client = client_for(world.officer)
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"),
        {"old_password": "demo", "new_password1": NEW, "new_password2": NEW},
    )

    assert response["Location"] == reverse("password_change_done")
    world.officer.refresh_from_db()
    assert world.officer.check_password(NEW)
    # Still logged in here, and the session record follows the new session key.
    assert client.get(reverse("dashboard")).status_code == 200
    assert UserSession.objects.get(user=world.officer).session_key == client.session.session_key


def test_a_weak_new_password_is_refused(world, client_for):
    client = client_for(world.officer)
    for weak in ("kort", "123456789012345"):
        response = client.post(
            reverse("password_change"),
            {"old_password": "demo", "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["new_password2"]
    world.officer.refresh_from_db()
    assert world.officer.check_password("demo")


@pytest.mark.parametrize("password", ["elf-tekens!", "123456789012345678"])
def test_the_validators_want_twelve_characters_and_not_only_digits(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_password_passes_the_validators():
    validate_password(NEW)


def test_password_reset_by_email(world, mailoutbox):
    world.officer.email = "gert@zwijndrecht.example"
    world.officer.save()
    client = Client()

    response = client.post(reverse("password_reset"), {"email": "gert@zwijndrecht.example"})

    assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["gert@zwijndrecht.example"]
    link = re.search(r"https?://[^/\s]+(/\S+/)", mail.body).group(1)
    assert "gert" in mail.body

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert response["Location"] == reverse("password_reset_complete")
    world.officer.refresh_from_db()
    assert world.officer.check_password(NEW)
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(db, mailoutbox):
    response = Client().post(reverse("password_reset"), {"email": "niemand@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_the_login_page_links_the_password_reset(db):
    html = Client().get(reverse("login")).content.decode()
    assert reverse("password_reset") in html


def test_password_pages_are_open_before_the_second_step(world):
    client = Client()
    client.force_login(world.coordinator)
    assert client.get(reverse("password_reset")).status_code == 200
    assert SESSION_KEY in client.session
