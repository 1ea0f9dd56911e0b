"""Small server-rendered SVG charts (no JavaScript): per municipality, bars for realised vs
adjusted target and a line for progress through the half-year. Each chart carries a text
alternative; the numbers are also in the table next to it."""

from __future__ import annotations

import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .ledger import Position

WIDTH, HEIGHT = 340, 150
BAR_AREA = 110  # left part: two bars
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 130, 330, 12, 120


def _y(value: float, scale: float) -> float:
    return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (value / scale if scale else 0)


def municipality_chart(position: Position, today: datetime.date) -> SafeString:
    period = position.period
    target = max(position.adjusted_target, 0)
    scale = max(target, position.realised, 1)
    title = _(
        "%(municipality)s, %(period)s: realised %(realised)s of adjusted target %(target)s"
    ) % {
        "municipality": position.municipality.name,
        "period": period,
        "realised": position.realised,
        "target": position.adjusted_target,
    }

    # Bars: adjusted target and realised. Numbers are formatted here; text is escaped.
    parts = [
        f'<line x1="4" y1="{PLOT_BOTTOM}" x2="{BAR_AREA}" y2="{PLOT_BOTTOM}" '
        'stroke="#212529" stroke-width="1"></line>'
    ]
    for index, (value, colour, label) in enumerate(
        [(target, "#adb5bd", _("target")), (position.realised, "#154273", _("realised"))]
    ):
        x = 14 + index * 46
        top = _y(value, scale)
        parts.append(
            f'<rect x="{x}" y="{top:.1f}" width="34" height="{max(PLOT_BOTTOM - top, 0):.1f}" '
            f'fill="{colour}"></rect>'
            f'<text x="{x + 17}" y="{top - 3:.1f}" text-anchor="middle" '
            f'font-size="11">{value}</text>'
            f'<text x="{x + 17}" y="136" text-anchor="middle" font-size="10">{escape(label)}</text>'
        )

    # Line: cumulative realised through the half-year, against the even pace to the target.
    days = (period.end - period.start).days or 1

    def x_at(day: datetime.date) -> float:
        fraction = min(max((day - period.start).days / days, 0), 1)
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * fraction

    points = [(PLOT_LEFT, PLOT_BOTTOM)]
    cumulative = 0
    for event in (e for e in position.events if e.day <= today):
        points.append((x_at(event.day), _y(cumulative, scale)))
        cumulative += event.persons
        points.append((x_at(event.day), _y(cumulative, scale)))
    last_day = min(today, period.end)
    if last_day >= period.start:
        points.append((x_at(last_day), _y(cumulative, scale)))
    polyline = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts.append(
        f'<rect x="{PLOT_LEFT}" y="{PLOT_TOP}" width="{PLOT_RIGHT - PLOT_LEFT}" '
        f'height="{PLOT_BOTTOM - PLOT_TOP}" fill="none" stroke="#dee2e6"></rect>'
        f'<line x1="{PLOT_LEFT}" y1="{PLOT_BOTTOM}" x2="{PLOT_RIGHT}" y2="{_y(target, scale):.1f}" '
        'stroke="#adb5bd" stroke-width="1.5" stroke-dasharray="4 3"></line>'
        f'<polyline points="{polyline}" fill="none" stroke="#154273" stroke-width="2"></polyline>'
    )
    if period.contains(today):
        x = x_at(today)
        today_label = escape(_("today"))
        parts.append(
            f'<line x1="{x:.1f}" y1="{PLOT_TOP}" x2="{x:.1f}" y2="{PLOT_BOTTOM}" stroke="#6c757d" '
            'stroke-width="1" stroke-dasharray="2 2"></line>'
            f'<text x="{x:.1f}" y="{PLOT_TOP - 2}" text-anchor="middle" font-size="9">'
            f"{today_label}</text>"
        )
    parts.append(
        f'<text x="{PLOT_LEFT}" y="136" font-size="10">{period.start:%d-%m}</text>'
        f'<text x="{PLOT_RIGHT}" y="136" text-anchor="end" font-size="10">{period.end:%d-%m}</text>'
    )
    return mark_safe(  # noqa: S308 - numbers formatted above, every text escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="quota-chart">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
