"""Amounts and figures written the way the reader's language writes them, in one place.

Dutch: "€ 28.375,00" (a non-breaking space between the sign and the number, so the two never
wrap apart) and "€ -350,00"; English: "€28,375.00" and "-€350.00". The separators come from
Django's locale formats; grouping is always on for amounts and figures.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import get_language

CENT = Decimal("0.01")
NBSP = "\u00a0"
# How the euro sign stands next to the number, per language (default: Dutch).
EURO_PATTERNS = {"nl": "€" + NBSP + "{sign}{number}", "en": "{sign}€{number}"}


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def euro_text(value) -> str:
    """An amount in euros with cents in the active language ("€ 1.234,50" / "€1,234.50"),
    rounded half up to the cent (database sums may carry more decimals). "—" for no amount."""
    amount = _decimal(value)
    if amount is None or not amount.is_finite():
        return "—"
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    language = (get_language() or "nl").split("-")[0]
    pattern = EURO_PATTERNS.get(language, EURO_PATTERNS["nl"])
    return pattern.format(
        sign="-" if amount < 0 else "",
        number=number_format(abs(amount), 2, force_grouping=True),
    )


def number_text(value, decimals: int | None = None) -> str:
    """A figure with the active language's thousands and decimal separators ("28.375")."""
    number = _decimal(value)
    if number is None or not number.is_finite():
        return "" if value is None else str(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return number_format(number, decimals, force_grouping=True)
