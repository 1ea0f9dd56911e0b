"""Forms a screen reader and a keyboard can use (issue 11).

* every choice widget renders as itself: radios and checkbox groups as Bootstrap form-checks in a
  fieldset whose legend names the group, selects as form-select, never a text-field style;
* every ``aria-describedby`` on every page of the access matrix, and on every form of it sent
  back empty (re-rendered with its errors), points at an element that exists: help texts and
  errors are announced;
* the error summary links each wrong field and says what to do ("Vul de kale huur in"), not
  "Dit veld is verplicht" ten times over.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from placement.forms import (
    MeetingCloseForm,
    RefusalForm,
    StyledFormMixin,
    name_required_fields,
)
from tests.access_world import built_once, client, rolled_back
from tests.test_access_matrix import ENDPOINTS, PERSONAS, expected_row, url_kwargs


class Page(HTMLParser):
    """Ids, aria-describedby references, radios/checkboxes with their fieldsets, and the forms
    of one HTML page."""

    def __init__(self, url: str = "/"):
        super().__init__()
        self.url = url
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []  # (element, referenced id)
        self.choices: list[dict] = []  # radio/checkbox inputs with their context
        self.fieldsets: list[dict] = []  # open fieldsets: {"legend": bool}
        self.forms: list[dict] = []
        self.form: dict | None = None
        self.text_classes: list[str] = []  # class of selects (form-select expected)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        for ref in a.get("aria-describedby", "").split():
            self.described.append((f"<{tag} id={a.get('id', '')!r} name={a.get('name')!r}>", ref))
        if tag == "fieldset":
            self.fieldsets.append({"legend": False})
        elif tag == "legend" and self.fieldsets:
            self.fieldsets[-1]["legend"] = True
        elif tag == "form":
            action = urljoin(self.url, a.get("action") or self.url)
            self.form = {
                "method": (a.get("method") or "get").lower(),
                "action": action,
                "names": set(),
            }
            self.forms.append(self.form)
        elif tag == "select":
            self.text_classes.append(f"select {a.get('name')}: {a.get('class', '')}")
        if tag in ("input", "select", "textarea") and self.form is not None and a.get("name"):
            self.form["names"].add(a["name"])
        if tag == "input" and a.get("type") in ("radio", "checkbox"):
            self.choices.append(
                {
                    "type": a["type"],
                    "name": a.get("name"),
                    "class": a.get("class", "").split(),
                    "in_fieldset_with_legend": bool(self.fieldsets)
                    and self.fieldsets[-1]["legend"],
                }
            )

    def handle_endtag(self, tag):
        if tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        elif tag == "form":
            self.form = None

    def dangling(self) -> list[str]:
        return [f"{element} -> #{ref}" for element, ref in self.described if ref not in self.ids]


def parsed(response, url="/") -> Page:
    page = Page(url)
    page.feed(response.content.decode())
    return page


def problems_of(page: Page, what: str) -> list[str]:
    found = [f"{what}: aria-describedby {d} does not exist" for d in page.dangling()]
    for choice in page.choices:
        if "form-control" in choice["class"]:
            found.append(f"{what}: {choice['type']} {choice['name']} styled as a text field")
        # A group of options (name used more than once) is a fieldset with a legend.
        group = sum(1 for c in page.choices if c["name"] == choice["name"]) > 1
        if choice["type"] == "radio" or group:
            if "form-check-input" not in choice["class"]:
                found.append(f"{what}: {choice['type']} {choice['name']} is not a form-check")
            if choice["type"] == "radio" and not choice["in_fieldset_with_legend"]:
                found.append(f"{what}: radio {choice['name']} has no fieldset with a legend")
    for select in page.text_classes:
        if "form-control" in select.split(": ", 1)[1].split():
            found.append(f"{what}: {select} styled as a text field")
    return found


# --- Every page of the access matrix, as every persona that may open it ---------------------


def pages() -> list[tuple[str, str]]:
    found = []
    for endpoint in ENDPOINTS:
        row = expected_row(endpoint.key)
        if endpoint.namespace == "admin" or row is None:
            continue
        for persona, token in zip(PERSONAS, row[0].split(), strict=True):
            if token == "200":
                found.append((endpoint.key, persona))
    return found


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker, client_for):
    with built_once(django_db_blocker, client_for) as built:
        yield built


@pytest.mark.parametrize(("key", "persona"), pages(), ids=lambda v: v)
def test_help_and_error_references_exist_and_choices_render_as_themselves(
    key, persona, objects, db
):
    """On the page and on each of its forms sent back empty (which re-renders it with errors,
    or redirects): every aria-describedby names an element of the page, every radio is a
    form-check in a fieldset with a legend, no choice is styled as a text field."""
    endpoint = next(e for e in ENDPOINTS if e.key == key)
    url = endpoint.url(url_kwargs(endpoint, objects))
    with rolled_back():
        response = client(objects, persona).get(url)
    assert response.status_code == 200
    if "html" not in response.get("Content-Type", ""):
        return  # a PDF or a download
    page = parsed(response, url)
    problems = problems_of(page, f"GET {url} as {persona}")
    for form in page.forms:
        if urlsplit(form["action"]).netloc not in ("", "testserver"):
            continue
        path = urlsplit(form["action"]).path
        data = dict.fromkeys(form["names"] - {"csrfmiddlewaretoken"}, "")
        with rolled_back():
            if form["method"] == "post":
                sent = client(objects, persona).post(path, data)
            else:
                sent = client(objects, persona).get(path, data)
        if sent.status_code in (200, 400) and "html" in sent.get("Content-Type", ""):
            what = f"{form['method'].upper()} {path} (empty) as {persona}"
            problems += problems_of(parsed(sent, path), what)
    assert not problems, "\n".join(problems)


# --- Choice widgets render as themselves ------------------------------------------------------


def test_refusal_radios_are_a_fieldset_of_form_checks():
    html = render_to_string(
        "includes/field.html", {"field": RefusalForm(prefix="refusal")["justified"]}
    )
    assert "<fieldset" in html and "<legend" in html
    assert "Is the refusal justified?" in html or "Is de weigering terecht?" in html
    assert html.count('class="form-check-input"') == 2
    assert "form-control" not in html
    page = Page()
    page.feed(html)
    assert [c["in_fieldset_with_legend"] for c in page.choices] == [True, True]


def test_meeting_close_choices_render_as_radios_with_their_error():
    form = MeetingCloseForm({"undecided": "nonsense"})
    assert not form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["undecided"]})
    assert html.count('type="radio"') == 2
    assert "form-control" not in html
    assert 'aria-describedby="id_undecided_error"' in html  # on the fieldset
    assert 'id="id_undecided_error"' in html
    assert 'aria-invalid="true"' in html


class _Choices(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    tags = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(label="Conditions")
    note = forms.CharField(label="Note", help_text="Shown to the household.")


def test_each_widget_gets_its_own_bootstrap_class():
    form = _Choices()
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert form.fields["tags"].widget.attrs["class"] == "form-check-input"
    assert form.fields["agree"].widget.attrs["class"] == "form-check-input"
    assert form.fields["note"].widget.attrs["class"] == "form-control"


def test_a_checkbox_group_is_a_fieldset_of_checkboxes():
    html = render_to_string("includes/field.html", {"field": _Choices()["tags"]})
    assert "<fieldset" in html and "<legend" in html
    assert html.count('type="checkbox" name="tags"') == 2
    assert html.count('class="form-check-input"') == 2


def test_help_text_is_announced_with_the_id_django_points_to():
    form = _Choices({})
    form.is_valid()
    html = render_to_string("includes/field.html", {"field": form["note"]})
    assert 'aria-describedby="id_note_helptext id_note_error"' in html
    assert 'id="id_note_helptext"' in html
    assert 'id="id_note_error"' in html
    assert 'aria-invalid="true"' in html


# --- Specific messages and the error summary --------------------------------------------------


class _Required(forms.Form):
    street = forms.CharField(label="Straat en huisnummer")
    rent = forms.DecimalField(label="Kale huur (EUR per maand)")
    municipality = forms.ChoiceField(label="Gemeente", choices=[("1", "Dordrecht")])
    agree = forms.BooleanField(label="Voorwaarden")
    v_number = forms.CharField(label="V-nummer")
    coa = forms.CharField(label="COA-locatie")
    paid_on = forms.DateField(label="Betaald op")
    own = forms.CharField(label="Reden", error_messages={"required": "Geef een reden."})


def test_a_missing_value_says_what_to_fill_in():
    with translation.override("nl"):
        fields = _Required().fields
        name_required_fields(fields)
        said = {name: str(field.error_messages["required"]) for name, field in fields.items()}
    assert said == {
        "street": "Vul straat en huisnummer in.",
        "rent": "Vul kale huur in.",
        "municipality": "Kies gemeente.",
        "agree": "Vink voorwaarden aan.",
        "v_number": "Vul V-nummer in.",
        "coa": "Vul COA-locatie in.",
        "paid_on": "Vul een datum in bij “betaald op”.",
        "own": "Geef een reden.",  # a field's own message stays
    }


def test_the_summary_links_each_wrong_field_with_its_own_message(objects, db):
    with rolled_back():
        response = client(objects, "corp").post(reverse("vacancy_create"), {})
    html = response.content.decode()
    assert response.status_code in (200, 400)
    summary = html[html.index('class="alert alert-danger"') :]
    summary = summary[: summary.index("</div>")]
    assert '<a class="alert-link" href="#id_base_rent">' in summary
    assert "Vul de kale huur in." in summary
    assert '<a class="alert-link" href="#id_municipality">' in summary
    assert "Kies een gemeente." in summary
    assert "Vul straat en huisnummer in." in summary
    assert "Dit veld is verplicht" not in html
    page = parsed(response)
    assert not page.dangling()
    rent = re.search(r'<input[^>]*name="base_rent"[^>]*>', html).group()
    assert 'aria-invalid="true"' in rent
    assert re.search(r'aria-describedby="[^"]*\bid_base_rent_error\b', rent)


def test_the_summary_links_a_radio_group_to_its_first_option():
    form = MeetingCloseForm({"undecided": "nonsense"})
    form.is_valid()
    html = render_to_string("includes/form_errors.html", {"form": form})
    assert 'href="#id_undecided_0"' in html
