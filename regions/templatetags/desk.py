"""Template filters shared by every app of the placement desk."""

from django import template
from django.utils.html import format_html

from regions.formats import euro_text, number_text

register = template.Library()


@register.filter
def euro(value) -> str:
    """An amount in euros with cents in the active language's format ("€ 1.234,50" in Dutch,
    "€1,234.50" in English) in a ``<span class="amount">`` that never wraps. Also for sums that
    a database returns with more decimals than cents."""
    return format_html('<span class="amount">{}</span>', euro_text(value))


@register.filter
def number(value, decimals=None) -> str:
    """A figure with thousands grouped in the active language ("28.375" / "28,375");
    ``|number:2`` with two decimals."""
    try:
        places = None if decimals in (None, "") else int(decimals)
    except (TypeError, ValueError):
        places = None
    return number_text(value, places)
