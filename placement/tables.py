"""Tables for the regional pool and the vacancy list (django-tables2)."""

from __future__ import annotations

import datetime

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from regions.templatetags.desk import euro

from . import deadlines
from .disclosure import disclosure_of
from .models import Household, Vacancy


class HouseholdTable(tables.Table):
    # Detail links leave the list: not through the results region's htmx boost.
    reference = tables.Column(
        linkify=True,
        verbose_name=_("Reference"),
        attrs={"a": {"data-hx-boost": "false"}, "td": {"class": "text-nowrap"}},
    )
    main_applicant = tables.Column(
        verbose_name=_("Main applicant"), empty_values=(), orderable=False, accessor="pk"
    )
    linked_municipality = tables.Column(verbose_name=_("Linked municipality"))
    # Present members, plus the family expected later ("1 + 5 verwacht"); sorted by the
    # expected size, which is what matching and the size filter use.
    size = tables.Column(
        verbose_name=_("Size"),
        # id last: a stable order across pages, walked in household_size_idx.
        order_by=("expected_size", "size", "id"),
        attrs={"td": {"class": "text-end text-nowrap"}},
    )
    # id last: a stable order across pages, walked in household_link_date_id_idx.
    link_date = tables.DateColumn(verbose_name=_("Link date"), order_by=("link_date", "id"))
    weeks_waiting = tables.Column(
        verbose_name=_("Weeks waiting"),
        empty_values=(),
        order_by=("-link_date", "-id"),
        accessor="link_date",
        attrs={"td": {"class": "text-end"}},
    )
    deadline = tables.Column(
        verbose_name=_("Deadline"),
        empty_values=(),
        order_by=("link_date", "id"),
        accessor="link_date",
    )
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Household
        fields = (
            "reference",
            "main_applicant",
            "linked_municipality",
            "size",
            "link_date",
            "weeks_waiting",
            "deadline",
            "status",
        )
        order_by = ("link_date",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "pool-table"}

    def __init__(self, *args, today: datetime.date, user, **kwargs):
        self.today = today
        self.user = user
        super().__init__(*args, **kwargs)

    def render_main_applicant(self, record: Household) -> str:
        # ``main_members`` is prefetched by the view for the households whose names the user
        # may see (no query per row); for the others the column says so.
        if not disclosure_of(record, self.user).identity:
            hidden = _("name not visible for your role")
            return format_html(
                '<span aria-hidden="true" title="{}">—</span>'
                '<span class="visually-hidden">{}</span>',
                hidden,
                hidden,
            )
        mains = getattr(record, "main_members", [])
        return mains[0].full_name if mains else "—"

    def render_size(self, record: Household):
        later = record.expected_size - record.size
        if later <= 0:
            return record.size
        return format_html(
            '{} <span class="text-body-secondary">+ {}</span>',
            record.size,
            _("%(n)s expected") % {"n": later},
        )

    def render_weeks_waiting(self, record: Household) -> int:
        return deadlines.weeks_waiting(record.link_date, self.today)

    def render_deadline(self, record: Household):
        day = date_format(record.deadline, "SHORT_DATE_FORMAT")
        warning = record.deadline_warning(self.today)
        if warning is None:
            return day
        return format_html(
            '{} <span class="badge text-bg-{}">{}</span>',
            day,
            warning.level,
            warning.label,
        )


class VacancyTable(tables.Table):
    address = tables.Column(
        verbose_name=_("Address"),
        accessor="street",
        linkify=True,
        order_by=("street",),
        attrs={"a": {"data-hx-boost": "false"}},
    )
    # The municipality only where it differs from the place: one column less, so the status
    # stays in view at 1280 px.
    place = tables.Column(verbose_name=_("Place"), order_by=("place", "municipality__name"))
    corporation = tables.Column(verbose_name=_("Corporation"))
    # The number of places only where there are several (shared housing): no column of ones.
    dwelling_type = tables.Column(verbose_name=_("Type"))
    bedrooms = tables.Column(verbose_name=_("Bedrooms"), attrs={"td": {"class": "text-end"}})
    total_rent = tables.Column(
        verbose_name=_("Rent incl. service"),
        empty_values=(),
        order_by=("base_rent",),
        attrs={"td": {"class": "text-end"}},
    )
    available_from = tables.DateColumn(verbose_name=_("Available from"))
    created_at = tables.DateColumn(verbose_name=_("Submitted"))
    return_deadline = tables.Column(verbose_name=_("Return deadline"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Vacancy
        # The status early: what a corporation looks for first, in view on any screen.
        fields = (
            "address",
            "place",
            "status",
            "corporation",
            "dwelling_type",
            "bedrooms",
            "total_rent",
            "available_from",
            "created_at",
            "return_deadline",
        )
        order_by = ("return_deadline",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "vacancy-table"}

    def __init__(self, *args, today: datetime.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def render_place(self, record: Vacancy):
        municipality = record.municipality.name
        if municipality.casefold() == record.place.casefold():
            return record.place
        return format_html(
            '{} <span class="d-block small text-body-secondary">{} {}</span>',
            record.place,
            _("municipality"),
            municipality,
        )

    def render_dwelling_type(self, record: Vacancy):
        if record.places <= 1:
            return record.get_dwelling_type_display()
        return format_html(
            '{} <span class="d-block small text-body-secondary">{}</span>',
            record.get_dwelling_type_display(),
            _("%(n)s places") % {"n": record.places},
        )

    def render_total_rent(self, record: Vacancy) -> str:
        return euro(record.total_rent)

    def render_return_deadline(self, record: Vacancy):
        text = date_format(record.return_deadline, "SHORT_DATE_FORMAT")
        if record.is_near_return_deadline(self.today):
            return format_html('{} <span class="badge text-bg-danger">{}</span>', text, _("soon"))
        return text
