"""The text of an invoice line, composed from the figures stored on it.

A line stores what it was derived from (the rule, the counts, the tariff or budget) and the
text is written when it is read, in the reader's language: "12 personen gehuisvest in 2026-I x
€ 350,00" for a Dutch reader, "12 persons housed in 2026-I x €350.00" for an English one. The
text stored with the line (``InvoiceLine.description``) is the one the invoice was made with, in
the site language: the PDF prints that one, so an issued invoice reads as it was sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from regions.formats import euro_text, number_text

HALVES = {1: "I", 2: "II"}


def period_label(year: int, half: int) -> str:
    """A half-year as ``QuotaPeriod.__str__`` writes it: "2026-I"."""
    return f"{year}-{HALVES.get(int(half), half)}"


def _unit(figures: Mapping[str, Any]) -> str:
    unit, year = figures.get("unit"), figures.get("unit_year")
    if unit == "quota":
        return _("persons of the quota")
    if unit == "inhabitants_on":
        return _("inhabitants on 1 January %(year)s") % {"year": year}
    if unit == "inhabitants_mixed":
        return _(
            "inhabitants (1 January %(year)s; where that figure is missing, the latest "
            "earlier one or the current one)"
        ) % {"year": year}
    return _("inhabitants")  # no yearly figures entered: the current ones


def describe(figures: Mapping[str, Any]) -> str:
    """The line's text in the active language; "" when the figures are not known."""
    rule = figures.get("rule")
    if rule in ("per_person", "per_household"):
        n = int(figures["n"])
        if rule == "per_person":
            text = ngettext(
                "%(n)s person housed in %(period)s x %(tariff)s",
                "%(n)s persons housed in %(period)s x %(tariff)s",
                n,
            )
        else:
            text = ngettext(
                "%(n)s household housed in %(period)s x %(tariff)s",
                "%(n)s households housed in %(period)s x %(tariff)s",
                n,
            )
        return text % {
            "n": number_text(n),
            "period": period_label(figures["year"], figures["half"]),
            "tariff": euro_text(figures["tariff"]),
        }
    if rule == "fixed":
        return _("Fixed amount %(year)s: %(yearly)s per year, share for half-year %(half)s") % {
            "year": figures["year"],
            "yearly": euro_text(figures["yearly"]),
            "half": HALVES.get(int(figures["half"]), figures["half"]),
        }
    if rule in ("quota_share", "population_share"):
        return _(
            "Share %(weight)s of %(total)s %(unit)s (%(percent)s%%) of the budget "
            "for half-year %(half)s: %(budget)s"
        ) % {
            "weight": number_text(figures["weight"]),
            "total": number_text(figures["total"]),
            "unit": _unit(figures),
            "percent": number_text(figures["percent"], 2),
            "half": HALVES.get(int(figures["half"]), figures["half"]),
            "budget": euro_text(figures["budget"]),
        }
    if rule == "credit":
        return _("Credit on invoice %(number)s: %(reason)s") % {
            "number": figures["number"],
            "reason": figures["reason"],
        }
    return ""
