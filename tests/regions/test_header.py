"""The header carries the organisation's identity (issue 11, "Looks"): the region's name, and its
logo where one is configured (settings.REGION_LOGOS, per region code), with alt text."""

from django.urls import reverse
from django.utils import translation

from regions import context_processors


def header(client) -> str:
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode().split("<header", 1)[1].split("</header>", 1)[0]


def test_the_header_names_the_region(world, client_for):
    html = header(client_for(world.corporation))

    assert '<span class="desk-region">Drechtsteden</span>' in html
    assert "<img" not in html  # no logo configured


def test_a_configured_logo_shows_with_the_region_as_alt_text(world, client_for, settings):
    settings.REGION_LOGOS = {"DS": "regions/drechtsteden.svg"}

    html = header(client_for(world.corporation))

    with translation.override("nl"):
        alt = translation.gettext("Logo of %(region)s") % {"region": "Drechtsteden"}
    assert f'src="/static/regions/drechtsteden.svg" alt="{alt}"' in html


def test_another_region_keeps_its_own_name_without_that_logo(world, client_for, settings):
    settings.REGION_LOGOS = {"DS": "regions/drechtsteden.svg"}

    html = header(client_for(world.outsider_corporation))

    assert '<span class="desk-region">Woerden e.o.</span>' in html
    assert "<img" not in html


def test_a_logo_missing_from_the_static_files_leaves_the_pages_working(
    world, client_for, settings, monkeypatch
):
    settings.REGION_LOGOS = {"DS": "regions/misspelt.svg"}

    def not_collected(path):
        # What the manifest storage says in production about a file collectstatic never saw.
        raise ValueError(f"Missing staticfiles manifest entry for '{path}'")

    monkeypatch.setattr(context_processors, "static", not_collected)

    html = header(client_for(world.corporation))

    assert "<img" not in html
    assert "Drechtsteden" in html
