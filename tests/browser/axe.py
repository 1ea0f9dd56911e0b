"""axe-core and a sideways-scroll check for a Playwright page (not a test module).

axe-core (``vendor/axe-core``, MPL-2.0) is vendored for the tests only: the app never serves it.
It is run with the page's own Content Security Policy in force (script-src 'self' refuses an
injected ``<script>`` tag): ``page.evaluate`` runs the library's source through the DevTools
protocol, which the policy does not govern, so the page is checked exactly as users get it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.1 level A and AA, the level Dutch government software is held to (EN 301 549).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
    const results = await window.axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
    }));
}"""

# The outermost elements that stick out past the right edge of the viewport: each one whose
# parent still fits is where the page starts to scroll sideways.
WIDE_ELEMENTS = """() => {
    const edge = window.innerWidth + 1;
    const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
        + [...e.classList].map((c) => "." + c).join("");
    const path = (e) => {
        const parts = [];
        for (let n = e; n && n !== document.body; n = n.parentElement) parts.unshift(name(n));
        return parts.slice(-4).join(" > ");
    };
    const found = [];
    for (const e of document.body.querySelectorAll("*")) {
        const right = e.getBoundingClientRect().right;
        const parent = e.parentElement;
        const parentFits = !parent || parent === document.body
            || parent.getBoundingClientRect().right <= edge;
        if (right > edge && parentFits) found.push(path(e) + " (" + Math.round(right) + " px)");
        if (found.length >= 5) break;
    }
    return found;
}"""


@cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page, tags: list[str] = WCAG_21_AA) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, tags)


def describe_violations(violations: list[dict]) -> str:
    """One line per rule (id, impact, help) and one per offending node (selector, why)."""
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    - {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def sideways_scroll(page: Page) -> int:
    """How many pixels the page scrolls sideways (0 when it fits the viewport's width)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth - 1)"
    )


def wide_elements(page: Page) -> list[str]:
    return page.evaluate(WIDE_ELEMENTS)


def page_problems(page: Page, *, check_axe: bool = True) -> list[str]:
    """What is wrong with the page now: axe violations and sideways scroll, described."""
    problems = []
    if check_axe:
        violations = axe_violations(page)
        if violations:
            problems.append(
                f"{len(violations)} axe violation(s):\n{describe_violations(violations)}"
            )
    overflow = sideways_scroll(page)
    if overflow:
        width = page.evaluate("() => window.innerWidth")
        wide = "".join(f"\n    - {e}" for e in wide_elements(page))
        problems.append(f"scrolls sideways by {overflow} px at {width} px wide:{wide}")
    return problems
