"""The rows behind a figure (drill-downs), as django-tables2 tables over plain dicts."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

ATTRS = {"class": "table table-sm align-middle"}
NUMBER = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class ReferenceColumn(tables.Column):
    """The household's reference, a link to its page (only rows the viewer may see are shown)."""

    def render(self, value, record):
        url = reverse("household_detail", args=[record["household_id"]])
        return format_html('<a href="{}">{}</a>', url, value)


class HousedTable(tables.Table):
    reference = ReferenceColumn(verbose_name=_("Reference"))
    linked = tables.Column(verbose_name=_("Linked municipality"))
    housed_in = tables.Column(verbose_name=_("Housed in"))
    corporation = tables.Column(verbose_name=_("Corporation"))
    dwelling_type = tables.Column(verbose_name=_("Dwelling type"))
    persons = tables.Column(verbose_name=_("Persons"), attrs=NUMBER)
    link_date = tables.DateColumn(verbose_name=_("Link date"), short=True)
    day = tables.DateColumn(verbose_name=_("Counted on"), short=True)
    days_to_lease = tables.Column(verbose_name=_("Days to lease"), attrs=NUMBER)
    days_to_move_in = tables.Column(verbose_name=_("Days to move-in"), attrs=NUMBER)

    class Meta:
        attrs = {**ATTRS, "id": "drilldown-table"}
        orderable = True


class ReturnedTable(tables.Table):
    address = tables.Column(verbose_name=_("Address"))
    municipality = tables.Column(verbose_name=_("Municipality"))
    corporation = tables.Column(verbose_name=_("Corporation"))
    dwelling_type = tables.Column(verbose_name=_("Dwelling type"))
    places = tables.Column(verbose_name=_("Places"), attrs=NUMBER)
    returned_on = tables.DateColumn(verbose_name=_("Returned on"), short=True)
    reason = tables.Column(verbose_name=_("Reason"))

    class Meta:
        attrs = {**ATTRS, "id": "drilldown-table"}
        orderable = True


class RefusedTable(tables.Table):
    reference = ReferenceColumn(verbose_name=_("Reference"))
    address = tables.Column(verbose_name=_("Dwelling"))
    municipality = tables.Column(verbose_name=_("Municipality"))
    reason = tables.Column(verbose_name=_("Reason"))
    justified = tables.Column(verbose_name=_("Justified"))
    refused_on = tables.DateColumn(verbose_name=_("Refused on"), short=True)

    class Meta:
        attrs = {**ATTRS, "id": "drilldown-table"}
        orderable = True


class PoolTable(tables.Table):
    reference = ReferenceColumn(verbose_name=_("Reference"))
    linked = tables.Column(verbose_name=_("Linked municipality"))
    size = tables.Column(verbose_name=_("Persons"), attrs=NUMBER)
    link_date = tables.DateColumn(verbose_name=_("Link date"), short=True)
    weeks = tables.Column(verbose_name=_("Weeks waiting"), attrs=NUMBER)
    status = tables.Column(verbose_name=_("Status now"))

    class Meta:
        attrs = {**ATTRS, "id": "drilldown-table"}
        orderable = True
