"""Pages of the placement desk. Views parse, authorise (``regions.access`` and the models'
``visible_to`` querysets), call a service and render; they hold no rules of their own."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from regions.access import capabilities, get_membership, regions_in_scope
from regions.models import Municipality, Role

from .. import deadlines, matching, schedule
from ..models import AowAge, Household, RentLimit, Vacancy
from .common import local_today

# --- Dashboard ------------------------------------------------------------------------------


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = get_membership(request.user)
    if membership is None:
        return render(request, "placement/no_membership.html", status=403)
    can = capabilities(request.user)
    today = local_today()
    context: dict = {"today": today, "region": membership.region}
    if can.sees_province:
        # The province's own overview: its municipalities' quota per region (a card the quota
        # app offers) and each region's next meeting; nothing of the pool.
        context["province_meetings"] = [
            (region, *schedule.next_meeting(region, today))
            for region in regions_in_scope(request.user)
        ]

    if can.sees_pool:
        households = Household.objects.visible_to(request.user)
        context["status_counts"] = _status_counts(households)
        # Within two weeks of the deadline, or past it.
        # Sizes are columns: the top 10 walks household_link_date_id_idx, nothing aggregated.
        context["near_deadline"] = (
            households.open()
            .waiting_since_weeks(deadlines.deadline_weeks() - 2, today)
            .select_related("linked_municipality")
            .order_by("link_date", "id")[:10]
        )
        # From the status counts above: one scan of the region less.
        context["open_count"] = sum(
            n for value, _label, n in context["status_counts"] if value in Household.OPEN_STATUSES
        )
        # The figure links to exactly the households it counts (whatever filter the pool keeps).
        context["open_query"] = urlencode([("status", s) for s in Household.OPEN_STATUSES])
        context["overdue_count"] = (
            households.open().waiting_since_weeks(deadlines.deadline_weeks(), today).count()
        )
        if membership.role == Role.MUNICIPALITY_OFFICER:
            # Open and overdue of its own municipality in one query.
            overdue_from = deadlines.linked_on_or_before(deadlines.deadline_weeks(), today)
            own = (
                households.filter(linked_municipality_id=membership.organisation.municipality_id)
                .open()
                .aggregate(
                    open=Count("id"), overdue=Count("id", filter=Q(link_date__lte=overdue_from))
                )
            )
            context["own_open_count"] = own["open"]
            context["own_overdue_count"] = own["overdue"]
            # Its own quota position, from the quota app (a card the template loads).
            context["shows_own_quota"] = True
        # The card links to the meeting itself once it is planned.
        context["next_meeting"], context["next_meeting_planned"] = schedule.next_meeting(
            membership.region, today
        )

    if can.sees_vacancies:
        vacancies = Vacancy.objects.visible_to(request.user).select_related(
            "municipality", "corporation"
        )
        context["vacancy_counts"] = _status_counts(vacancies, Vacancy.Status)
        context["vacancies_near_return"] = vacancies.near_return_deadline(today)[:10]
        if can.reviews_vacancies:
            context["vacancies_to_review"] = vacancies.filter(status=Vacancy.Status.SUBMITTED)[:10]
        if can.submits_vacancies:
            context["recent_vacancies"] = vacancies.order_by("-status_changed_at")[:10]

    if membership.role == Role.FINANCE:
        context["by_municipality"] = (
            Municipality.objects.filter(region_id=membership.organisation.region_id)
            .annotate(
                open=Count("households", filter=Q(households__status__in=Household.OPEN_STATUSES)),
                housed=Count("households", filter=Q(households__status=Household.Status.HOUSED)),
            )
            .order_by("name")
        )
    return render(request, "placement/dashboard.html", context)


def _status_counts(qs, status_enum=Household.Status) -> list[tuple[str, str, int]]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    return [(value, label, counts.get(value, 0)) for value, label in status_enum.choices]


# --- Rules ----------------------------------------------------------------------------------


@require_safe
def rules(request: HttpRequest) -> HttpResponse:
    """The rules the software applies, with their current settings."""
    membership = get_membership(request.user)
    return render(
        request,
        "placement/rules.html",
        {
            "region": membership.region if membership else None,
            "deadline_weeks": deadlines.deadline_weeks(),
            "warning_weeks": deadlines.warning_weeks(),
            "warning_labels": [(w, deadlines.warning_label(w)) for w in deadlines.warning_weeks()],
            "return_warning_days": settings.VACANCY_RETURN_WARNING_DAYS,
            "matching": matching.MatchSettings.from_settings(),
            "weak_rules": matching.weak_rules(),
            "rule_labels": matching.RULE_LABELS,
            "part_labels": matching.PART_LABELS,
            "rent_limits": RentLimit.objects.order_by("-year"),
            "aow_ages": AowAge.objects.order_by("-year"),
            "household_transitions": _labelled(Household.TRANSITIONS, Household.Status),
            "vacancy_transitions": _labelled(Vacancy.TRANSITIONS, Vacancy.Status),
        },
    )


def _labelled(transitions: dict[str, set[str]], enum) -> list[tuple[str, list[str]]]:
    return [
        (enum(state).label, sorted(str(enum(t).label) for t in targets))
        for state, targets in transitions.items()
    ]
