"""Filters for the regional pool and the vacancy list (django-filter)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.access import Group, capabilities, disclosing_conditions
from regions.models import Municipality, Organisation

from . import deadlines
from .forms import style_widgets
from .models import Household, Nomination, Person, Vacancy

# What each reader works on: the statuses a list shows until its reader chooses others. A
# corporation follows its vacancies until they are let or withdrawn (a returned one waits for
# its change); the desk those it still has to place.
VACANCY_ACTIVE_FOR_CORPORATION = ("submitted", "accepted", "on_agenda", "nominated", "returned")
VACANCY_ACTIVE_FOR_DESK = ("submitted", "accepted", "on_agenda", "nominated")
# Nominations awaiting an outcome: a viewing, the household's answer, the lease or the move-in
# is still to be recorded.
NOMINATION_OPEN = ("nominated", "viewing", "accepted", "lease_signed")


class StyledFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            style_widgets(form.fields)
            form._styled = True
        return form


class HouseholdFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    linked_municipality = django_filters.ModelChoiceFilter(
        label=_("Linked municipality"), queryset=Municipality.objects.none(), empty_label=_("all")
    )
    # The expected size (present + family expected later), as matching counts a household.
    size_min = django_filters.NumberFilter(
        label=_("Size at least (incl. expected)"),
        field_name="expected_size",
        lookup_expr="gte",
        min_value=1,
        max_value=99,
    )
    size_max = django_filters.NumberFilter(
        label=_("Size at most (incl. expected)"),
        field_name="expected_size",
        lookup_expr="lte",
        min_value=1,
        max_value=99,
    )
    # distinct=False: a status is a column of the household, no join can repeat a row (the
    # default DISTINCT over every column made the pool sort the whole region, issue 14).
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Household.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    weeks_min = django_filters.NumberFilter(
        label=_("Waiting at least (weeks)"),
        method="filter_weeks_min",
        min_value=0,
        max_value=520,
    )
    overdue = django_filters.BooleanFilter(
        label=_("Past the deadline"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Household
        fields = [
            "q",
            "linked_municipality",
            "size_min",
            "size_max",
            "status",
            "weeks_min",
            "overdue",
        ]

    def __init__(self, *args, region_id: int, today: datetime.date, user, **kwargs):
        self.today = today
        self.user = user
        super().__init__(*args, **kwargs)
        self.filters["linked_municipality"].queryset = Municipality.objects.filter(
            region_id=region_id
        )

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Names and V-numbers find only the households whose names the user may see: a search
        # must not reveal who is in the pool either.
        # One subquery, a UNION of the households whose reference matches and those with a
        # matching member (not a join: no row is repeated, so no DISTINCT). Each side uses its
        # own index (the trigram indexes of migration 0014 on PostgreSQL, the V-number's).
        members = Person.objects.filter(Q(full_name__icontains=value) | Q(v_number=value))
        if disclosing_conditions(capabilities(self.user).role, Group.IDENTITY) != [{}]:
            # Not a role that sees every name it may list: only the disclosed households.
            named = Household.objects.disclosing(self.user, Group.IDENTITY).values("pk")
            members = members.filter(household__in=named)
        references = Household.objects.filter(reference__icontains=value).values("pk")
        return queryset.filter(pk__in=references.union(members.values("household_id")))

    def filter_weeks_min(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.waiting_since_weeks(min(int(value), 520), self.today)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.open().waiting_since_weeks(deadlines.deadline_weeks(), self.today)


class VacancyFilter(StyledFilterSet):
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=_("all")
    )
    corporation = django_filters.ModelChoiceFilter(
        label=_("Corporation"), queryset=Organisation.objects.none(), empty_label=_("all")
    )
    dwelling_type = django_filters.ChoiceFilter(
        label=_("Type"), choices=Vacancy.DwellingType.choices, empty_label=_("all")
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Vacancy.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    bedrooms_min = django_filters.NumberFilter(
        label=_("Bedrooms at least"), field_name="bedrooms", lookup_expr="gte", min_value=0
    )

    class Meta:
        model = Vacancy
        fields = ["municipality", "corporation", "dwelling_type", "status", "bedrooms_min"]

    def __init__(
        self, *args, region_id: int, show_corporation: bool, statuses: list[str], **kwargs
    ):
        super().__init__(*args, **kwargs)
        # Only the statuses of vacancies this reader can see (not "submitted" for a partner).
        self.filters["status"].extra["choices"] = [
            (value, label) for value, label in Vacancy.Status.choices if value in statuses
        ]
        self.filters["municipality"].queryset = Municipality.objects.filter(region_id=region_id)
        if show_corporation:
            self.filters["corporation"].queryset = Organisation.objects.filter(
                region_id=region_id, kind=Organisation.Kind.CORPORATION
            )
        else:
            del self.filters["corporation"]


class NominationFilter(StyledFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Nomination.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )

    class Meta:
        model = Nomination
        fields = ["status"]


def vacancy_filter_for(user, params, *, region_id: int) -> VacancyFilter:
    """The vacancy list's filter as ``user`` sees it, for the page and its export alike: a
    corporation starts at its active vacancies, the desk and the others at those still to be
    placed; who is neither the desk nor the corporation never sees submitted or withdrawn
    vacancies (``Vacancy.objects.visible_to``), so gets no checkbox for them either."""
    from .views.list_state import with_statuses

    can = capabilities(user)
    active = VACANCY_ACTIVE_FOR_CORPORATION if can.submits_vacancies else VACANCY_ACTIVE_FOR_DESK
    statuses = Vacancy.Status.values
    if not (can.submits_vacancies or can.reviews_vacancies):
        statuses = [s for s in statuses if s not in {"submitted", "withdrawn"}]
    return VacancyFilter(
        with_statuses(params, choices=statuses, default=active),
        queryset=Vacancy.objects.visible_to(user).select_related("municipality", "corporation"),
        region_id=region_id,
        show_corporation=not can.submits_vacancies,
        statuses=statuses,
    )
