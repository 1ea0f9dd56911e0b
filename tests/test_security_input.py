"""Malformed input is a 400 or a message at the field, never a server error (issue 9, "Defects
found"): NUL bytes, which PostgreSQL refuses in text, and values longer than any page uses."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from billing.models import BillingProfile, CostKey
from placement.forms import WhyNotForm
from quota.models import QuotaPeriod, QuotaTarget

from .placement.placement_builders import accepted_vacancy, household

NUL = "\x00"
# The lead merges the Dutch catalogue later: compare with what the catalogue says now.
BAD_REQUEST_TEXT = "Request not understood"
BAD_REQUEST_BODY = (
    "The address or the form contained characters or text that this application does not "
    "accept (for example a text that is far too long). Nothing has been changed."
)


def nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def assert_max_length_message(response, field: str) -> None:
    """The form refused the field for its length, and the page shows why, next to it."""
    form = response.context["form"]
    assert form.has_error(field, code="max_length")
    assert escape(form.errors[field][0]) in response.content.decode()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def carla(world, client_for):
    return client_for(world.coordinator)


@pytest.fixture
def without_input_middleware(settings):
    """The views on their own, as if the middleware were not there: their forms must cope."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "config.middleware.RefuseMalformedInputMiddleware"
    ]


def assert_bad_request(response) -> None:
    assert response.status_code == 400
    assert escape(nl(BAD_REQUEST_TEXT)) in response.content.decode()


# --- The known case: "why not this household?" on the candidates page ----------------------


def test_a_nul_byte_in_the_household_reference_is_a_400_not_a_server_error(world, carla):
    vacancy = accepted_vacancy(world)

    response = carla.get(reverse("vacancy_candidates", args=[vacancy.pk]), {"household": NUL})

    assert_bad_request(response)


def test_the_candidates_view_itself_refuses_a_nul_byte_with_a_message(
    world, carla, without_input_middleware
):
    vacancy = accepted_vacancy(world)

    response = carla.get(
        reverse("vacancy_candidates", args=[vacancy.pk]), {"household": f"DS{NUL}1"}
    )

    assert response.status_code == 200
    assert response.context["why_not"] is None
    assert response.context["why_not_form"].errors["household"]


def test_an_over_long_household_reference_gets_a_dutch_message(world, carla):
    vacancy = accepted_vacancy(world)

    response = carla.get(reverse("vacancy_candidates", args=[vacancy.pk]), {"household": "X" * 60})

    assert response.status_code == 200
    message = nl("A household reference has at most %(limit_value)d characters.") % {
        "limit_value": 20
    }
    assert escape(message) in response.content.decode()
    assert response.context["why_not"] is None


def test_a_real_reference_is_still_explained(world, carla):
    vacancy = accepted_vacancy(world)
    family = household(world)

    response = carla.get(
        reverse("vacancy_candidates", args=[vacancy.pk]), {"household": f" {family.reference} "}
    )

    assert response.context["why_not"]["household"] == family


def test_the_why_not_form_refuses_nul_and_length():
    assert not WhyNotForm({"household": NUL}).is_valid()
    assert not WhyNotForm({"household": "D" * 21}).is_valid()
    assert WhyNotForm({"household": "DS-2026-00012"}).is_valid()


# --- The middleware, on several pages --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("household_list", {"q": NUL}),
        ("household_list", {f"q{NUL}": "x"}),
        ("vacancy_list", {"status": NUL}),
        ("nomination_list", {"status": f"all{NUL}"}),
        ("quota_dashboard", {"period": NUL}),
        ("meeting_list", {"page": NUL}),
        ("billing_overview", {"x": NUL}),
    ],
)
def test_a_nul_byte_in_the_query_string_is_a_400(world, carla, client_for, name, params):
    client = client_for(world.finance) if name.startswith("billing") else carla

    assert_bad_request(client.get(reverse(name), params))


def test_a_query_value_over_the_limit_is_a_400(world, carla, settings):
    settings.MAX_QUERY_VALUE_LENGTH = 50

    assert carla.get(reverse("household_list"), {"q": "a" * 50}).status_code == 200
    assert_bad_request(carla.get(reverse("household_list"), {"q": "a" * 51}))
    assert_bad_request(carla.get(reverse("household_list"), {"a" * 51: "1"}))


def test_a_nul_byte_in_the_path_is_a_400(world, carla):
    assert_bad_request(carla.get("/huishoudens/%00/"))


def test_the_login_page_refuses_a_nul_byte_too(client):
    assert_bad_request(client.get(reverse("login"), {"next": f"/{NUL}"}))
    assert_bad_request(client.post(reverse("login"), {"username": f"carla{NUL}", "password": "x"}))


def test_a_nul_byte_in_a_posted_value_is_a_400_and_nothing_changes(world, client_for):
    fien = client_for(world.finance)
    profile = BillingProfile.for_region(world.drecht)
    before = profile.sender_name

    response = fien.post(
        reverse("billing_profile"),
        {"sender_name": f"Gemeente{NUL}X", "sender_address": "", "payment_term_days": "30"},
    )

    assert_bad_request(response)
    profile.refresh_from_db()
    assert profile.sender_name == before


def test_a_nul_byte_in_a_posted_key_is_a_400(world, carla):
    assert_bad_request(carla.post(reverse("household_list"), {f"a{NUL}": "1"}))


def test_the_400_page_is_dutch_and_keeps_the_menu(world, carla):
    response = carla.get(reverse("household_list"), {"q": NUL})

    page = response.content.decode()
    assert escape(nl(BAD_REQUEST_BODY)) in page
    assert reverse("logout") in page  # rendered for the signed-in user, not a bare page


# --- Length limits on free text (billing, quota) ---------------------------------------------


def test_the_billing_profile_form_refuses_an_over_long_address(world, client_for):
    fien = client_for(world.finance)

    response = fien.post(
        reverse("billing_profile"),
        {"sender_name": "Gemeente Dordrecht", "sender_address": "a" * 501, "payment_term_days": 30},
    )

    assert response.status_code in (200, 400)
    assert_max_length_message(response, "sender_address")
    assert not BillingProfile.objects.filter(sender_address="a" * 501).exists()


def test_the_cost_key_form_refuses_over_long_notes(world, client_for):
    fien = client_for(world.finance)

    response = fien.post(
        reverse("billing_cost_key_create"),
        {"year": 2026, "method": "per_person", "tariff": "350.00", "notes": "n" * 2001},
    )

    assert_max_length_message(response, "notes")
    assert not CostKey.objects.exists()


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        (BillingProfile, "sender_address", 500),
        (CostKey, "notes", 2000),
        (QuotaTarget, "override_reason", 1000),
    ],
)
def test_the_database_refuses_over_long_free_text(world, model, field, limit):
    """Whatever code writes it (a script, the admin, a bulk update), not only the forms."""
    objects = {
        BillingProfile: lambda: BillingProfile.for_region(world.drecht),
        CostKey: lambda: CostKey.objects.create(
            region=world.drecht, year=2026, method="per_person", tariff=1
        ),
        QuotaTarget: lambda: QuotaTarget.objects.create(
            period=QuotaPeriod.objects.create(year=2026, half=1),
            municipality=world.zwijndrecht,
            net_target=10,
        ),
    }
    obj = objects[model]()
    model.objects.filter(pk=obj.pk).update(**{field: "x" * limit})

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=obj.pk).update(**{field: "x" * (limit + 1)})
