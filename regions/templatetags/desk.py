"""Template filters shared by every app of the placement desk."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euro(value) -> str:
    """An amount in euros with cents in the active language's format ("€ 1.234,50" in Dutch).
    Also for sums that a database returns with more decimals than cents."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"€ {number_format(amount, 2, force_grouping=True)}"
