"""Forms through the real pages: bad input is shown again with a message next to the field it is
about, what the user typed is kept, and nothing is saved. Good input is saved and redirects.

Assertions use ``form.errors`` keys and look for the form's own message in the page, so they
hold in Dutch and English alike.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from placement.models import Household, Person, Vacancy
from tests.factories import VacancyFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Helpers ------------------------------------------------------------------------------


class _Inputs(HTMLParser):
    """Collects the value each named input, select or textarea shows in a rendered page."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") == "checkbox":
                self.values[name] = "on" if "checked" in attrs else ""
            else:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def shown_values(response) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(response.content.decode())
    return parser.values


def assert_error_next_to(response, form, name: str) -> None:
    """The field has an error, and its message is shown in the field's own error box."""
    assert form.errors.get(name), f"no error on {name}: {form.errors.as_data()}"
    html = response.content.decode()
    box = re.search(rf'id="{re.escape(form[name].auto_id)}_error"[^>]*>(.*?)</div>', html, re.S)
    assert box, f"no error box next to {name}"
    assert escape(form.errors[name][0]) in box.group(1)


def assert_member_error_shown(response) -> None:
    """The members as a whole have an error (not one row), shown above the member rows."""
    errors = response.context["formset"].non_form_errors()
    assert errors
    html = response.content.decode()
    box = re.search(r'id="members-errors"[^>]*>(.*?)</div>', html, re.S)
    assert box, "no error box above the members"
    assert escape(errors[0]) in box.group(1)


def member(**fields) -> dict:
    row = {
        "full_name": "Amal Haddad",
        "date_of_birth": "1988-04-02",
        "role": "main",
        "v_number": "",
        "present": True,
        "expected_arrival": "",
        "arrival_date": "",
    }
    row.update(fields)
    return row


def empty_member() -> dict:
    """A row as the browser sends it when nobody typed in it (select and checkbox defaults)."""
    return member(full_name="", date_of_birth="", role="main", present=True)


def household_data(municipality, *, rows=None, **fields) -> dict:
    rows = [member()] if rows is None else rows
    data = {
        "linked_municipality": str(municipality.pk),
        "link_date": "2026-09-02",
        "language": "Tigrinya",
        "income_type": "benefit",
        "annual_income": "",
        "medical_notes": "",
        "work_study_location": "",
        "preferences": "",
        "coa_location": "AZC Gilze",
        "notes": "",
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                data[f"members-{i}-{key}"] = "on"
            elif value is not False:  # an unticked checkbox is not sent at all
                data[f"members-{i}-{key}"] = value
    return data


def vacancy_data(municipality, **fields) -> dict:
    data = {
        "street": "Bosboom Toussaintstraat 12",
        "postcode": "3311 AB",
        "place": "Dordrecht",
        "municipality": str(municipality.pk),
        "dwelling_type": "apartment",
        "places": "1",
        "rooms": "3",
        "bedrooms": "2",
        "floor_area": "65",
        "floor": "2",
        "has_lift": "on",
        "base_rent": "640.00",
        "service_charges": "45.00",
        "available_from": "2026-12-01",
        "return_deadline": "2026-12-29",
        "remarks": "",
    }
    data.update(fields)
    return data


def tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


# --- Households: bad input ----------------------------------------------------------------


@pytest.fixture
def carla(world, client_for):
    """Carla, the coordinator, on the 'new household' page."""
    return client_for(world.coordinator)


def post_household(client, data):
    return client.post(reverse("household_create"), data)


def test_a_malformed_v_number_is_refused_next_to_the_v_number(world, carla):
    response = post_household(
        carla, household_data(world.dordrecht, rows=[member(v_number="12345")])
    )

    assert response.status_code == 200
    row = response.context["formset"].forms[0]
    assert_error_next_to(response, row, "v_number")
    assert shown_values(response)["members-0-v_number"] == "12345"
    assert not Household.objects.exists()


def test_a_v_number_already_registered_is_refused(world, carla):
    first = post_household(
        carla, household_data(world.dordrecht, rows=[member(v_number="1234567890")])
    )
    assert first.status_code == 302

    response = post_household(
        carla,
        household_data(world.zwijndrecht, rows=[member(full_name="Other", v_number="1234567890")]),
    )

    assert response.status_code == 200
    assert_error_next_to(response, response.context["formset"].forms[0], "v_number")
    assert Household.objects.count() == 1


def test_a_household_without_members_is_refused(world, carla):
    response = post_household(carla, household_data(world.dordrecht, rows=[empty_member()]))

    assert response.status_code == 200
    assert_member_error_shown(response)
    assert shown_values(response)["coa_location"] == "AZC Gilze"
    assert not Household.objects.exists()


def test_two_main_applicants_are_refused(world, carla):
    rows = [member(full_name="Amal Haddad"), member(full_name="Omar Haddad", role="main")]

    response = post_household(carla, household_data(world.dordrecht, rows=rows))

    assert response.status_code == 200
    assert_member_error_shown(response)
    assert shown_values(response)["members-1-full_name"] == "Omar Haddad"
    assert not Household.objects.exists()
    assert not Person.objects.exists()


def test_a_household_with_nobody_present_yet_is_refused(world, carla):
    rows = [
        member(full_name="Amal Haddad", present=False, expected_arrival="2027-01-15"),
        member(full_name="Yusuf Haddad", role="child", date_of_birth="2016-09-30", present=False),
    ]

    response = post_household(carla, household_data(world.dordrecht, rows=rows))

    assert response.status_code == 200
    assert_member_error_shown(response)
    assert not Household.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(world, carla):
    response = post_household(
        carla, household_data(world.dordrecht, rows=[member(date_of_birth=tomorrow())])
    )

    assert response.status_code == 200
    assert_error_next_to(response, response.context["formset"].forms[0], "date_of_birth")
    assert shown_values(response)["members-0-date_of_birth"] == tomorrow()
    assert not Household.objects.exists()


def test_a_link_date_in_the_future_is_refused(world, carla):
    response = post_household(carla, household_data(world.dordrecht, link_date=tomorrow()))

    assert response.status_code == 200
    assert_error_next_to(response, response.context["form"], "link_date")
    assert shown_values(response)["link_date"] == tomorrow()
    assert not Household.objects.exists()


def test_an_officer_cannot_link_a_household_to_another_municipality(world, client_for):
    # Gert works for Zwijndrecht; Dordrecht is not his to register.
    response = post_household(client_for(world.officer), household_data(world.dordrecht))

    assert response.status_code == 200
    assert_error_next_to(response, response.context["form"], "linked_municipality")
    assert not Household.objects.exists()


def test_a_household_cannot_be_linked_to_a_non_participating_municipality(world, carla):
    response = post_household(carla, household_data(world.sliedrecht))

    assert response.status_code == 200
    assert_error_next_to(response, response.context["form"], "linked_municipality")
    assert not Household.objects.exists()


# --- Households: good input ---------------------------------------------------------------


def test_the_coordinator_registers_a_family_with_a_member_expected_later(world, carla):
    rows = [
        member(full_name="Amal Haddad", v_number="1234567890"),
        member(full_name="Yusuf Haddad", role="child", date_of_birth="2016-09-30"),
        member(
            full_name="Omar Haddad",
            role="partner",
            date_of_birth="1986-01-15",
            present=False,
            expected_arrival="2027-01-15",
        ),
    ]

    response = post_household(carla, household_data(world.dordrecht, rows=rows))

    household = Household.objects.with_sizes().get()
    assert response.status_code == 302
    assert response.url == reverse("household_detail", args=[household.pk])
    assert household.reference == f"DS-2026-{household.pk:05d}"
    assert household.linked_municipality == world.dordrecht
    assert household.link_date == datetime.date(2026, 9, 2)
    assert (household.size, household.expected_size) == (2, 3)
    assert household.created_by == world.coordinator
    assert household.members.get(role="main").v_number == "1234567890"


def test_add_a_member_shows_one_more_empty_row_and_saves_nothing(world, carla):
    data = household_data(world.dordrecht, rows=[member(full_name="Amal Haddad")])
    data["add_member"] = "1"

    response = post_household(carla, data)

    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 2
    shown = shown_values(response)
    assert shown["members-0-full_name"] == "Amal Haddad"
    assert shown["members-1-full_name"] == ""
    assert shown["members-TOTAL_FORMS"] == "2"
    assert not Household.objects.exists()


def test_add_a_member_does_not_judge_the_half_filled_form(world, carla):
    data = household_data(world.dordrecht, rows=[member(full_name="")], link_date="")
    data["add_member"] = "1"

    response = post_household(carla, data)

    assert response.status_code == 200
    assert 'class="invalid-feedback' not in response.content.decode()
    assert not Household.objects.exists()


def test_a_member_expected_later_cannot_have_arrived_already(world, carla):
    rows = [
        member(full_name="Amal Haddad"),
        member(full_name="Omar Haddad", role="partner", present=False, arrival_date="2026-10-01"),
    ]

    response = post_household(carla, household_data(world.dordrecht, rows=rows))

    assert response.status_code == 200
    assert_error_next_to(response, response.context["formset"].forms[1], "arrival_date")
    assert not Household.objects.exists()


def test_two_members_with_the_same_v_number_are_refused(world, carla):
    rows = [
        member(full_name="Amal Haddad", v_number="1234567890"),
        member(full_name="Omar Haddad", role="partner", v_number="1234567890"),
    ]

    response = post_household(carla, household_data(world.dordrecht, rows=rows))

    assert response.status_code == 200
    assert_member_error_shown(response)
    assert not Household.objects.exists()


def test_a_negative_yearly_income_is_refused(world, carla):
    data = household_data(world.dordrecht, income_type="wage", annual_income="-100")

    response = post_household(carla, data)

    assert response.status_code == 200
    assert_error_next_to(response, response.context["form"], "annual_income")
    assert shown_values(response)["annual_income"] == "-100"
    assert not Household.objects.exists()


def test_a_new_household_form_starts_with_one_member_present(world, carla):
    response = carla.get(reverse("household_create"))

    shown = shown_values(response)
    assert response.status_code == 200
    assert shown["members-TOTAL_FORMS"] == "1"
    assert shown["members-0-present"] == "on"
    assert shown["members-0-role"] == "main"


def test_the_row_added_by_add_a_member_starts_with_present_ticked(world, carla):
    data = household_data(world.dordrecht, rows=[member(full_name="Amal Haddad")])
    data["add_member"] = "1"

    response = post_household(carla, data)

    assert shown_values(response)["members-1-present"] == "on"


def test_add_a_member_marks_no_field_as_invalid(world, carla):
    data = household_data(world.dordrecht, rows=[member(full_name="Amal Haddad")])
    data["add_member"] = "1"

    response = post_household(carla, data)

    html = response.content.decode()
    assert "is-invalid" not in html
    assert 'aria-invalid="true"' not in html


# --- Vacancies: bad input -----------------------------------------------------------------


@pytest.fixture
def cor(world, client_for):
    """Cor of corporation Trivire, submitting a vacancy."""
    return client_for(world.corporation)


def post_vacancy(client, data, **kwargs):
    return client.post(reverse("vacancy_create"), data, **kwargs)


@pytest.mark.parametrize(
    ("field", "typed", "other"),
    [
        ("base_rent", "-25.00", {}),
        ("service_charges", "-1.00", {}),
        ("bedrooms", "4", {"rooms": "3"}),
        ("places", "2", {"dwelling_type": "apartment"}),
        ("postcode", "AB 3311", {}),
        ("postcode", "0311 AB", {}),
    ],
    ids=[
        "negative rent",
        "negative service charges",
        "more bedrooms than rooms",
        "two households in an apartment",
        "postcode letters first",
        "postcode starting with 0",
    ],
)
def test_a_vacancy_with_impossible_values_is_refused_next_to_the_field(
    world, cor, field, typed, other
):
    response = post_vacancy(cor, vacancy_data(world.dordrecht, **other, **{field: typed}))

    assert response.status_code == 200
    assert_error_next_to(response, response.context["form"], field)
    assert shown_values(response)[field] == typed
    assert shown_values(response)["street"] == "Bosboom Toussaintstraat 12"
    assert not Vacancy.objects.exists()


# --- Vacancies: dates as corporations use them ----------------------------------------------


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_a_nomination_deadline_weeks_before_the_dwelling_is_free_is_accepted_quietly(world, cor):
    """The desk nominates four weeks before the keys are handed over: viewing and contract."""
    data = vacancy_data(world.dordrecht, available_from=in_days(56), return_deadline=in_days(28))

    response = post_vacancy(cor, data)

    assert response.status_code == 302
    vacancy = Vacancy.objects.get()
    assert (vacancy.available_from - vacancy.return_deadline).days == 28
    page = cor.get(response["Location"])
    assert not [m for m in page.context["messages"] if m.level_tag == "warning"]
    assert b'id="vacancy-date-warnings"' not in page.content


def test_a_deadline_after_the_dwelling_is_free_is_saved_with_a_warning(world, cor):
    data = vacancy_data(world.dordrecht, available_from=in_days(14), return_deadline=in_days(24))

    response = post_vacancy(cor, data, follow=True)

    assert Vacancy.objects.count() == 1
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings == [
        "De uiterste voordrachtdatum ligt 10 dagen na de datum waarop de woning beschikbaar is: "
        "de woning kan leeg staan tot er een huishouden is voorgedragen."
    ]
    assert 'id="vacancy-date-warnings"' in response.content.decode()


def test_a_deadline_already_past_is_saved_with_a_warning(world, cor):
    data = vacancy_data(world.dordrecht, available_from=in_days(30), return_deadline=in_days(-3))

    response = post_vacancy(cor, data, follow=True)

    assert Vacancy.objects.count() == 1
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "is al verstreken" in warnings[0]


def test_the_vacancy_page_stops_warning_once_a_household_is_nominated(world):
    vacancy = VacancyFactory(
        municipality=world.dordrecht,
        corporation=world.trivire,
        available_from=timezone.localdate(),
        return_deadline=timezone.localdate() + datetime.timedelta(days=20),
        status=Vacancy.Status.ACCEPTED,
    )
    assert len(vacancy.date_warnings()) == 1

    vacancy.status = Vacancy.Status.NOMINATED

    assert vacancy.date_warnings() == []


def test_shared_housing_may_take_more_than_one_household(world, cor):
    response = post_vacancy(
        cor, vacancy_data(world.dordrecht, dwelling_type="shared", places="3", rooms="4")
    )

    assert response.status_code == 302
    assert Vacancy.objects.get().places == 3


def test_a_corporation_cannot_submit_a_vacancy_in_another_region(world, cor):
    response = post_vacancy(cor, vacancy_data(world.woerden, place="Woerden"))

    assert response.status_code == 200
    assert_error_next_to(response, response.context["form"], "municipality")
    assert not Vacancy.objects.exists()


def test_a_vacancy_in_a_non_participating_municipality_is_refused(world, cor):
    response = post_vacancy(cor, vacancy_data(world.sliedrecht, place="Sliedrecht"))

    assert response.status_code == 200
    assert_error_next_to(response, response.context["form"], "municipality")
    assert not Vacancy.objects.exists()


def test_the_coordinator_cannot_submit_for_a_corporation_of_another_region(world, client_for):
    data = vacancy_data(world.dordrecht, corporation=str(world.groenwest.pk))

    response = post_vacancy(client_for(world.coordinator), data)

    assert response.status_code == 200
    assert_error_next_to(response, response.context["form"], "corporation")
    assert not Vacancy.objects.exists()


# --- Vacancies: good input ----------------------------------------------------------------


def test_the_corporation_submits_a_vacancy_and_sees_it(world, cor):
    response = post_vacancy(cor, vacancy_data(world.dordrecht))

    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("vacancy_detail", args=[vacancy.pk])
    assert vacancy.status == Vacancy.Status.SUBMITTED
    assert vacancy.corporation == world.trivire
    assert vacancy.submitted_by == world.corporation
    assert (vacancy.rooms, vacancy.bedrooms, vacancy.postcode) == (3, 2, "3311 AB")


def test_corporation_cannot_submit_for_another_corporation(world, cor):
    # Cor of Trivire posts Woonbron as the corporation: the field is ignored.
    response = post_vacancy(cor, vacancy_data(world.dordrecht, corporation=str(world.woonbron.pk)))

    assert response.status_code == 302
    assert Vacancy.objects.get().corporation == world.trivire


def test_the_coordinator_submits_a_vacancy_on_behalf_of_a_corporation(world, client_for):
    data = vacancy_data(world.zwijndrecht, corporation=str(world.woonbron.pk), place="Zwijndrecht")

    response = post_vacancy(client_for(world.coordinator), data)

    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert vacancy.corporation == world.woonbron
    assert vacancy.submitted_by == world.coordinator


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3311 ab", "3311 AB"),
        ("3311AB", "3311 AB"),
        (" 3311 AB ", "3311 AB"),
        pytest.param("3311  AB", "3311 AB", id="double space"),
    ],
)
def test_a_postcode_is_stored_in_capitals_with_one_space(world, cor, typed, stored):
    response = post_vacancy(cor, vacancy_data(world.dordrecht, postcode=typed))

    assert response.status_code == 302
    assert Vacancy.objects.get().postcode == stored


# --- Returning a vacancy ------------------------------------------------------------------


@pytest.fixture
def submitted(world):
    return VacancyFactory(
        corporation=world.trivire, municipality=world.dordrecht, street="Voorstraat 80"
    )


def test_returning_a_vacancy_without_a_reason_shows_the_form_again(world, client_for, submitted):
    response = client_for(world.coordinator).post(
        reverse("vacancy_return", args=[submitted.pk]), {"reason": "   "}
    )

    # The view answers 400 Bad Request with the form, not a server error.
    assert response.status_code == 400
    assert_error_next_to(response, response.context["form"], "reason")
    submitted.refresh_from_db()
    assert submitted.status == Vacancy.Status.SUBMITTED
    assert submitted.return_reason == ""


def test_a_returned_vacancy_shows_the_reason_to_the_corporation(world, client_for, submitted):
    reason = "De huur ligt boven de aftoppingsgrens voor 1-2 personen."

    response = client_for(world.coordinator).post(
        reverse("vacancy_return", args=[submitted.pk]), {"reason": reason, "confirm": "1"}
    )

    assert response.status_code == 302
    assert response.url == reverse("vacancy_detail", args=[submitted.pk])
    submitted.refresh_from_db()
    assert submitted.status == Vacancy.Status.RETURNED
    assert submitted.return_reason == reason

    page = client_for(world.corporation).get(reverse("vacancy_detail", args=[submitted.pk]))
    assert page.status_code == 200
    assert escape(reason) in page.content.decode()


def test_meeting_attendees_beyond_the_id_range_get_a_message(world):
    """A number no id can have is refused at the field (SQLite raised OverflowError on it)."""
    from placement.forms import MeetingForm
    from placement.models import Meeting

    meeting = Meeting(region=world.drecht, date=datetime.date(2026, 12, 15))
    form = MeetingForm(
        data={"place": "Stadhuis", "attendees": [str(world.desk.pk), "2" * 30], "notes": ""},
        instance=meeting,
    )

    assert not form.is_valid()
    assert "attendees" in form.errors
