"""How the desk looks on a phone and on a desktop (issue 11, "Phones and tablets", "Looks",
contrast and focus under "Accessibility").

On a 375 x 667 phone the header is one compact bar with a "Menu" button that opens the menu from
the keyboard; at 1280 px the whole menu shows. Every link and button in the header is a 44 px
touch target. Focus rings and the highlighted quota row are checked with the colours the browser
computes, against WCAG's contrast formula.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from quota.models import QuotaPeriod, QuotaTarget
from tests.browser.axe import sideways_scroll

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
TOUCH_TARGET = 44  # px, WCAG 2.5.5 (AAA) and the NL Design System's minimum


def dutch(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def rgb(css_colour: str) -> tuple[float, float, float, float]:
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' as four numbers (alpha 1 when absent)."""
    parts = [float(p) for p in re.findall(r"[\d.]+", css_colour)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def luminance(colour) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground, background) -> float:
    """WCAG 2.1 contrast ratio of two opaque colours."""
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The first opaque background colour at or above an element: what its text (or, from its
# parent, its focus outline drawn outside it) is seen against.
BACKGROUND_BEHIND = """(element) => {
    for (let e = element; e; e = e.parentElement) {
        const colour = getComputedStyle(e).backgroundColor;
        const alpha = colour.startsWith("rgba") ? parseFloat(colour.split(",")[3]) : 1;
        if (colour !== "transparent" && alpha === 1) return colour;
    }
    return "rgb(255, 255, 255)";
}"""


def focus_ring(page: Page, locator) -> dict:
    """Focus the element the way a keyboard user does (Tab from the element before it) and
    read its outline and the background the outline is drawn on."""
    locator.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(locator).to_be_focused()
    style = locator.evaluate(
        """(e) => {
            const s = getComputedStyle(e);
            return {colour: s.outlineColor, style: s.outlineStyle, width: s.outlineWidth,
                    focusVisible: e.matches(":focus-visible")};
        }"""
    )
    style["background"] = locator.evaluate(f"(e) => ({BACKGROUND_BEHIND})(e.parentElement)")
    return style


def too_small(locator) -> list[str]:
    """The visible elements in ``locator`` smaller than a 44 x 44 px touch target."""
    small = []
    for i in range(locator.count()):
        element = locator.nth(i)
        box = element.bounding_box()
        if box is None or not element.is_visible():
            continue
        if box["height"] < TOUCH_TARGET - 0.5 or box["width"] < TOUCH_TARGET - 0.5:
            small.append(f"{element.inner_text()!r}: {box['width']:.0f} x {box['height']:.0f}")
    return small


@pytest.fixture
def phone(new_context):
    return new_context(viewport=PHONE).new_page()


@pytest.fixture
def desktop(new_context):
    return new_context(viewport=DESKTOP).new_page()


# --- The header on a phone ------------------------------------------------------------------


def test_on_a_phone_the_menu_folds_behind_a_button_in_a_compact_header(world, log_in, phone):
    log_in(world.coordinator, page=phone)

    header = phone.locator("header")
    toggler = header.get_by_role("button", name=dutch("Menu"))
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(header.locator(f"nav a[href='{reverse('household_list')}']")).to_be_hidden()
    # The header keeps at most 15% of the screen (it took 36% before).
    assert header.bounding_box()["height"] <= 0.15 * PHONE["height"]
    # It names the region it works for.
    expect(header.locator(".desk-brand")).to_contain_text("Drechtsteden")
    assert sideways_scroll(phone) == 0


def test_on_a_phone_the_menu_opens_and_is_used_with_the_keyboard(world, log_in, phone):
    log_in(world.coordinator, page=phone)
    header = phone.locator("header")
    toggler = header.get_by_role("button", name=dutch("Menu"))

    toggler.focus()
    phone.keyboard.press("Enter")

    expect(toggler).to_have_attribute("aria-expanded", "true")
    pool = header.get_by_role("link", name=dutch("Households"), exact=True)
    expect(pool).to_be_visible()
    # Every link and button in the open menu is a 44 x 44 px touch target.
    assert too_small(header.locator("a, button")) == []
    # Tab walks into the menu; Enter follows the link.
    phone.keyboard.press("Tab")
    expect(header.get_by_role("link", name=dutch("Overview"), exact=True)).to_be_focused()
    phone.keyboard.press("Tab")
    expect(pool).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(re.escape(reverse("household_list")) + r"(\?.*)?$"))
    # On the next page the menu is folded again.
    expect(header.get_by_role("button", name=dutch("Menu"))).to_have_attribute(
        "aria-expanded", "false"
    )


def test_on_a_phone_escape_folds_the_open_menu(world, log_in, phone):
    log_in(world.coordinator, page=phone)
    toggler = phone.locator("header").get_by_role("button", name=dutch("Menu"))
    toggler.click()
    menu = phone.locator("#desk-nav")
    expect(menu).to_have_class(re.compile(r"\bcollapse show\b"))  # opened (not still opening)

    phone.keyboard.press("Tab")
    phone.keyboard.press("Escape")

    expect(menu).to_be_hidden()
    expect(toggler).to_be_focused()


def test_on_a_phone_without_javascript_the_menu_is_open(world, log_in, new_context):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    log_in(world.coordinator, page=page)

    header = page.locator("header")
    expect(header.get_by_role("button", name=dutch("Menu"))).to_be_hidden()
    expect(header.get_by_role("link", name=dutch("Households"), exact=True)).to_be_visible()
    expect(header.locator("form[action$='/accounts/logout/'] button")).to_be_visible()


def test_on_a_phone_form_controls_are_touch_targets(world, log_in, phone):
    log_in(world.coordinator, page=phone)
    phone.goto(reverse("household_list"))

    controls = phone.locator("main form[role=search]").locator(
        "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, button"
    )
    assert controls.count() > 0
    assert too_small(controls) == []


# --- The header on a desktop -----------------------------------------------------------------


def test_on_a_desktop_the_whole_menu_shows_without_a_menu_button(world, log_in, desktop):
    log_in(world.coordinator, page=desktop)

    header = desktop.locator("header")
    expect(header.get_by_role("button", name=dutch("Menu"))).to_be_hidden()
    menu_links = header.locator("nav a")
    expect(menu_links.first).to_be_visible()
    # One row of menu items, under the identity and account row.
    tops = {round(menu_links.nth(i).bounding_box()["y"]) for i in range(menu_links.count())}
    assert len(tops) == 1
    assert too_small(header.locator("a, button")) == []
    assert sideways_scroll(desktop) == 0


# --- One focus style, visible against its background -----------------------------------------


def test_focus_rings_on_buttons_and_inputs_stand_out_3_to_1(world, log_in, desktop):
    log_in(world.coordinator, page=desktop)
    desktop.goto(reverse("household_list"))
    search = desktop.locator("main form[role=search]")

    rings = {
        "button": focus_ring(desktop, search.locator("button[type=submit]").first),
        "input": focus_ring(desktop, desktop.locator("#id_q")),
        "link": focus_ring(desktop, desktop.locator("footer a").first),
        "header button": focus_ring(
            desktop, desktop.locator("header form[action$='/accounts/logout/'] button")
        ),
    }

    for name, ring in rings.items():
        assert ring["focusVisible"], name
        assert ring["style"] == "solid", (name, ring)
        assert float(ring["width"].removesuffix("px")) >= 2, (name, ring)
        ratio = contrast(rgb(ring["colour"]), rgb(ring["background"]))
        assert ratio >= 3, (
            f"{name}: focus ring {ring['colour']} on {ring['background']}: {ratio:.2f}"
        )
    # One style: the same width everywhere.
    assert len({ring["width"] for ring in rings.values()}) == 1


# --- The highlighted quota row -----------------------------------------------------------------


def test_links_and_negative_figures_on_the_own_quota_row_are_readable(world, log_in, desktop):
    today = timezone.localdate()
    period = QuotaPeriod.objects.create(year=today.year, half=1 if today.month <= 6 else 2)
    for municipality in (world.zwijndrecht, world.dordrecht):
        QuotaTarget.objects.create(period=period, municipality=municipality, net_target=20)
    log_in(world.officer, page=desktop)  # Gert works for Zwijndrecht
    desktop.goto(reverse("quota_dashboard"))

    own = desktop.locator("#quota-table tbody tr.table-info")
    expect(own).to_have_count(1)
    expect(own.locator("th")).to_contain_text("Zwijndrecht")
    negative = own.locator(".text-danger")
    expect(negative).to_have_text(re.compile(r"^[−-]20$"))
    for element in [*own.locator("a").all(), negative]:
        colour = rgb(element.evaluate("(e) => getComputedStyle(e).color"))
        background = rgb(element.evaluate(BACKGROUND_BEHIND))
        ratio = contrast(colour, background)
        assert ratio >= 4.5, f"{element.inner_text()!r}: {ratio:.2f}"
