"""A hand-computed Drechtsteden half-year for the figures (not a test module).

Period 2025-II (1 Jul - 31 Dec 2025), counted on the lease start (the default rule):

    ref  linked       housed in    corp.     type       persons  link      lease     move-in
    A    Zwijndrecht  Dordrecht    Trivire   apartment  3        02-06     04-08 63  18-08 77
    B    Dordrecht    Dordrecht    Trivire   apartment  1        01-07     30-09 91  06-10 97
    C    Zwijndrecht  Zwijndrecht  Woonbron  senior     5        01-05     01-10 153  (lease signed)
    D    Dordrecht    Papendrecht  Trivire   apartment  2 (+1 joined 01-12, not counted)
                                                                 01-09     10-11 70  10-11 70
    G    Papendrecht  Zwijndrecht  Trivire   apartment  1        15-06     15-07 30  20-07 35
                                                                 (left the dwelling 01-12: stays)
    not housed in the period: E (lease 05-01-2026), F (lease dissolved)

    housed 5 households, 12 persons; sizes 1: 2 (B, G), 2: 1, 3: 1, 5: 1
    Trivire 4 households / 7 persons, Woonbron 1 / 5; apartment 4, senior 1
    matrix: in the linked municipality B and C (2), elsewhere 3 = 60,0 %
    lease days [30, 63, 70, 91, 153]: median (rank 3) 70, p75 (rank 4) 91, p90 (rank 5) 153;
        within 70 days 3 (60,0 %), within 98 days 4 (80,0 %)
        Dordrecht [70, 91]: 70 / 91 / 91, 1 (50,0 %), 2; Zwijndrecht [63, 153]: 63 / 153 / 153
    move-in days [35, 70, 77, 97]: median (rank 2) 70, p75 (rank 3) 77, p90 (rank 4) 97;
        within 70 days 2 (50,0 %), within 98 days 4 (100,0 %)
    returned: "Te groot" 2, "Vocht" 1 (one in 2026 and one in Woerden not counted)
    refused: too small 2 (1 justified, 1 not), location 1 (not judged)
    open pool on 31-12-2025: P1 2 persons 4 weeks, P2 1 person 13 weeks, P3 4 persons 17 weeks
        (lease signed only in 2026), E 1 person 8 weeks, F 1 person 26 weeks (lease dissolved);
        5 households, 9 persons; not: the own home, the withdrawn one, the housed ones
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from placement.models import Household, Nomination, Vacancy
from tests.factories import HouseholdFactory, PersonFactory, VacancyFactory
from tests.quota.quota_builders import d, placement

PERIOD = {"kind": "half", "half": "2025-2"}
AS_OF = datetime.date(2025, 12, 31)


def aware(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(d(day), datetime.time(12, 0)))


def _placed(*, link: str, dwelling_type: str | None = None, corporation=None, **kwargs):
    n = placement(**kwargs)
    Household.objects.filter(pk=n.household_id).update(link_date=d(link))
    changes = {}
    if dwelling_type:
        changes["dwelling_type"] = dwelling_type
    if corporation:
        changes["corporation"] = corporation
    if changes:
        Vacancy.objects.filter(pk=n.vacancy_id).update(**changes)
    return n


def _waiting(world, municipality, *, persons: int, link: str, reference: str, **kwargs):
    h = HouseholdFactory(
        linked_municipality=municipality, link_date=d(link), reference=reference, **kwargs
    )
    for index in range(persons):
        PersonFactory(household=h, role="main" if index == 0 else "child")
    return h


def half_year(world) -> SimpleNamespace:
    w = world
    a = _placed(
        dwelling=w.dordrecht, linked=w.zwijndrecht, persons=3, link="2025-06-02",
        lease_start="2025-08-04", move_in="2025-08-18", reference="A",
    )  # fmt: skip
    b = _placed(
        dwelling=w.dordrecht, persons=1, link="2025-07-01",
        lease_start="2025-09-30", move_in="2025-10-06", reference="B",
    )  # fmt: skip
    c = _placed(
        dwelling=w.zwijndrecht, persons=5, link="2025-05-01", lease_start="2025-10-01",
        status=Nomination.Status.LEASE_SIGNED, dwelling_type=Vacancy.DwellingType.SENIOR,
        corporation=w.woonbron, reference="C",
    )  # fmt: skip
    dd = _placed(
        dwelling=w.papendrecht, linked=w.dordrecht, persons=2, joined=["2025-12-01"],
        link="2025-09-01", lease_start="2025-11-10", move_in="2025-11-10", reference="D",
    )  # fmt: skip
    g = _placed(
        dwelling=w.zwijndrecht, linked=w.papendrecht, persons=1, link="2025-06-15",
        lease_start="2025-07-15", move_in="2025-07-20", reference="G",
    )  # fmt: skip
    Nomination.objects.filter(pk=g.pk).update(
        status=Nomination.Status.MOVED_OUT, moved_out_on=d("2025-12-01")
    )
    Household.objects.filter(pk=g.household_id).update(status=Household.Status.LEFT)
    e = _placed(
        dwelling=w.dordrecht, persons=1, link="2025-11-03", lease_start="2026-01-05",
        move_in="2026-01-10", reference="E",
    )  # fmt: skip
    f = _placed(
        dwelling=w.dordrecht, persons=1, link="2025-07-01", lease_start="2025-08-01",
        status=Nomination.Status.LEASE_SIGNED, reference="F",
    )  # fmt: skip
    Nomination.objects.filter(pk=f.pk).update(
        status=Nomination.Status.DISSOLVED,
        dissolved_on=d("2025-08-20"),
        dissolution_reason=Nomination.DissolutionReason.HOUSEHOLD_WITHDREW,
    )
    Household.objects.filter(pk=f.household_id).update(status=Household.Status.SEARCHING)

    # Returned vacancies.
    def returned(reason, day, municipality=w.zwijndrecht, corporation=w.trivire):
        v = VacancyFactory(
            corporation=corporation,
            municipality=municipality,
            status=Vacancy.Status.RETURNED,
            return_reason=reason,
        )
        Vacancy.objects.filter(pk=v.pk).update(status_changed_at=aware(day))
        return v

    returned("Te groot", "2025-08-10")
    returned("Te groot", "2025-12-31")
    returned("Vocht", "2025-07-01")
    returned("Te groot", "2026-01-02")
    returned("Te groot", "2025-09-09", municipality=w.woerden, corporation=w.groenwest)

    # Refusals (their households linked in 2026: not in the pool of 2025).
    def refused(reason, justified, day):
        n = placement(
            dwelling=w.papendrecht,
            status=Nomination.Status.REFUSED,
            refusal_reason=reason,
        )
        Household.objects.filter(pk=n.household_id).update(
            link_date=d("2026-02-01"), status=Household.Status.SEARCHING
        )
        Nomination.objects.filter(pk=n.pk).update(
            refusal_justified=justified, updated_at=aware(day)
        )
        return n

    refused("too_small", True, "2025-10-01")
    refused("too_small", False, "2025-11-01")
    refused("location", None, "2025-12-15")
    refused("location", True, "2026-01-15")

    # The pool.
    p1 = _waiting(w, w.zwijndrecht, persons=2, link="2025-12-01", reference="P1")
    p2 = _waiting(w, w.dordrecht, persons=1, link="2025-10-01", reference="P2")
    p3 = _placed(
        dwelling=w.dordrecht, persons=4, link="2025-09-01", lease_start="2026-01-10",
        lease_signed_on="2026-01-10", move_in="2026-01-20", reference="P3",
    )  # fmt: skip
    own = _waiting(
        w, w.zwijndrecht, persons=1, link="2025-09-01", reference="OWN",
        status=Household.Status.OWN_HOME, own_home_municipality=w.zwijndrecht,
        own_home_date=d("2025-11-01"),
    )  # fmt: skip
    gone = _waiting(
        w, w.zwijndrecht, persons=3, link="2025-08-01", reference="GONE",
        status=Household.Status.WITHDRAWN,
    )  # fmt: skip
    Household.objects.filter(pk=gone.pk).update(status_changed_at=aware("2025-10-01"))
    outside = _waiting(w, w.woerden, persons=1, link="2025-10-01", reference="WO-1")
    return SimpleNamespace(
        a=a, b=b, c=c, d=dd, e=e, f=f, g=g, p1=p1, p2=p2, p3=p3, own=own, gone=gone,
        outside=outside,
    )  # fmt: skip
