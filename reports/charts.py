"""Server-rendered SVG bar charts for the figures (no JavaScript), in the style of
``quota.charts``: one bar per row, its number at the end, a title as the text alternative. The
numbers are also in the table beside each chart."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
LABEL_WIDTH = 140
BAR_HEIGHT = 18
GAP = 6
TOP = 6
MAX_LABEL = 18


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(title: str, bars: Sequence[tuple[str, int | float | None]]) -> SafeString:
    """Horizontal bars, one per (label, value); an empty value draws no bar and a dash."""
    values = [v for _label, v in bars if v is not None]
    scale = max([*values, 1])
    plot = WIDTH - LABEL_WIDTH - 40
    height = TOP * 2 + len(bars) * (BAR_HEIGHT + GAP)
    parts = []
    for index, (label, value) in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        width = plot * (value or 0) / scale
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end" font-size="11">'
            f"{escape(_short(str(label)))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            'fill="#154273"></rect>'
            f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + 13}" font-size="11">'
            f"{'—' if value is None else escape(str(value))}</text>"
        )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{TOP - 2}" x2="{LABEL_WIDTH}" y2="{height - TOP + 2}" '
        'stroke="#212529" stroke-width="1"></line>'
    )
    return mark_safe(  # noqa: S308 - numbers formatted above, every text escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="report-chart">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
