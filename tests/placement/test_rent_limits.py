"""Passend toewijzen, complete (issue 10, section 6): the income limits of AOW-age households,
the AOW age per year, and every yearly figure with its source on the Regels page.

Figures 2026 (Rijksoverheid, 25 November 2025): income limits 29,400 (1 person) / 39,925 (more
persons) below the AOW age, 28,775 / 38,650 at the AOW age; rent caps 713.00 (1-2 persons) and
764.14 (3+); quality-discount limit 498.20; maximum rent for rent benefit 932.93. All limits are
inclusive ("tot en met"): an income equal to the limit is within it, so the cap applies.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from placement import candidates, matching
from placement.admin import AowAgeAdmin, RentLimitAdmin
from placement.models import AowAge, Household, RentLimit
from tests.factories import HouseholdFactory, PersonFactory, VacancyFactory

TODAY = datetime.date(2026, 7, 1)
SETTINGS = matching.MatchSettings()
CAPS_2026 = matching.RentCaps(
    year=2026,
    income_limit_single=29400,
    income_limit_multi=39925,
    cap_small=713,
    cap_large=764.14,
    income_limit_single_aow=28775,
    income_limit_multi_aow=38650,
    max_rent_benefit=932.93,
)
# Reached the AOW age (67) on 1 March 2026: of AOW age on any letting date after that.
AOW_SINCE = datetime.date(2026, 3, 1)


def single(*, income: float | None, aow_from: datetime.date | None = None, size: int = 1):
    return matching.Candidate(
        id=1,
        reference="B-00001",
        size=size,
        expected_size=size,
        link_date=TODAY,
        income_type="wage",
        annual_income=income,
        aow_from=aow_from,
    )


def flat(rent: float = 740, letting_date: datetime.date | None = TODAY):
    return matching.Dwelling(
        id=1,
        label="W-1",
        dwelling_type="apartment",
        bedrooms=1,
        rent=rent,
        caps=CAPS_2026,
        letting_date=letting_date,
    )


def explain(dwelling, household):
    return matching.explain(dwelling, household, SETTINGS, TODAY)


# --- The AOW-age income limits -----------------------------------------------------------------


class TestAowIncomeLimits:
    def test_aow_single_above_the_aow_limit_may_rent_above_the_cap(self):
        # 29,000 > 28,775 (AOW age, 1 person): no rent cap, so a rent of 740 > 713 is allowed.
        # Below the AOW age the same income is under 29,400 and the cap would apply.
        result = explain(flat(rent=740), single(income=29000, aow_from=AOW_SINCE))
        assert result.fits, result.reasons

    def test_the_same_income_below_the_aow_age_gets_the_cap(self):
        result = explain(flat(rent=740), single(income=29000))
        assert not result.fits
        assert "713" in result.reasons[0]

    def test_aow_single_exactly_at_the_limit_gets_the_cap(self):
        # 28,775 is "tot en met" 28,775: within the limit, so 740 > 713 is not suitable.
        with translation.override("en"):
            result = explain(flat(rent=740), single(income=28775, aow_from=AOW_SINCE))
        assert not result.fits
        assert "713.00" in result.reasons[0]
        assert "28,775.00" in result.reasons[0] or "28775.00" in result.reasons[0]
        assert "AOW age" in result.reasons[0]

    def test_single_below_the_aow_age_exactly_at_its_limit_gets_the_cap(self):
        result = explain(flat(rent=740), single(income=29400))
        assert not result.fits
        # One euro above the limit: no cap.
        assert explain(flat(rent=740), single(income=29401)).fits

    def test_a_rent_exactly_at_the_cap_is_suitable(self):
        assert explain(flat(rent=713), single(income=28775, aow_from=AOW_SINCE)).fits

    def test_aow_couple_uses_the_aow_limit_for_more_persons(self):
        # 2 persons, 38,700: above 38,650 (AOW age) but below 39,925 (below the AOW age).
        couple_aow = single(income=38700, aow_from=AOW_SINCE, size=2)
        couple = single(income=38700, size=2)
        assert explain(flat(rent=740), couple_aow).fits
        assert not explain(flat(rent=740), couple).fits

    def test_the_age_is_judged_on_the_letting_date(self):
        # AOW age from 1 March 2026: a dwelling let on 28 February 2026 still sees a household
        # below the AOW age (29,000 <= 29,400: the cap applies); one let on 1 March does not.
        household = single(income=29000, aow_from=AOW_SINCE)
        before = explain(flat(letting_date=datetime.date(2026, 2, 28)), household)
        on_the_day = explain(flat(letting_date=AOW_SINCE), household)
        assert not before.fits
        assert on_the_day.fits

    def test_without_a_letting_date_the_evaluation_day_counts(self):
        household = single(income=29000, aow_from=AOW_SINCE)
        assert explain(flat(letting_date=None), household).fits  # TODAY is 1 July 2026

    def test_figures_without_aow_limits_use_the_general_ones(self):
        caps = matching.RentCaps(
            year=2024, income_limit_single=27725, income_limit_multi=37625, cap_small=650.43,
            cap_large=697.07,
        )  # fmt: skip
        dwelling = matching.Dwelling(
            id=1, label="W", dwelling_type="apartment", bedrooms=1, rent=700, caps=caps
        )
        assert not explain(dwelling, single(income=27000, aow_from=AOW_SINCE)).fits

    def test_the_reason_names_the_income_limit_of_the_group(self):
        with translation.override("en"):
            below = explain(flat(rent=740), single(income=29000)).reasons[0]
            unknown = explain(flat(rent=740), single(income=None)).reasons[0]
        assert "29,400.00" in below or "29400.00" in below
        assert "below the AOW age" in below
        assert "No yearly income" in unknown


# --- The AOW age per year -----------------------------------------------------------------------

AGES = {2025: (67, 0), 2026: (67, 0), 2027: (67, 0), 2028: (67, 3)}


@pytest.mark.parametrize(
    ("born", "reaches"),
    [
        # 67 in 2026, when the AOW age is 67.
        (datetime.date(1959, 6, 1), datetime.date(2026, 6, 1)),
        # 67 on 15 December 2027: the AOW age of 2027 (67) applies, not that of 2028.
        (datetime.date(1960, 12, 15), datetime.date(2027, 12, 15)),
        # 67 on 10 January 2028, but the AOW age of 2028 is 67 years and 3 months.
        (datetime.date(1961, 1, 10), datetime.date(2028, 4, 10)),
        # 31 August + 67 years 3 months: there is no 30 November... 31 November: 1 December.
        (datetime.date(1961, 8, 31), datetime.date(2028, 12, 1)),
        # Born on 29 February: 67 on 1 March in a year without 29 February.
        (datetime.date(1960, 2, 29), datetime.date(2027, 3, 1)),
    ],
)
def test_the_day_the_aow_age_is_reached(born, reaches):
    assert candidates.aow_date(born, AGES) == reaches


def test_a_year_after_the_table_takes_the_latest_row():
    # 2029 has no row here: the 2028 age (67 + 3 months) applies.
    assert candidates.aow_date(datetime.date(1962, 5, 20), AGES) == datetime.date(2029, 8, 20)


def test_no_table_or_no_date_of_birth_counts_as_below_the_aow_age():
    assert candidates.aow_date(None, AGES) is None
    assert candidates.aow_date(datetime.date(1950, 1, 1), {}) is None


# --- The figures in the database ----------------------------------------------------------------


def test_the_yearly_rows_hold_the_published_figures(db):
    row = RentLimit.objects.get(year=2026)
    assert (row.income_limit_single, row.income_limit_multi) == (Decimal(29400), Decimal(39925))
    assert (row.income_limit_single_aow, row.income_limit_multi_aow) == (
        Decimal(28775),
        Decimal(38650),
    )
    assert (row.rent_cap_small, row.rent_cap_large) == (Decimal("713.00"), Decimal("764.14"))
    assert row.quality_discount_limit == Decimal("498.20")
    assert row.max_rent_benefit == Decimal("932.93")
    assert row.published_on == datetime.date(2025, 11, 25)
    assert "Rijksoverheid" in row.source
    old = RentLimit.objects.get(year=2025)
    assert (old.income_limit_single, old.income_limit_multi) == (Decimal(28375), Decimal(38500))
    assert (old.income_limit_single_aow, old.income_limit_multi_aow) == (
        Decimal(27775),
        Decimal(37350),
    )
    assert (old.rent_cap_small, old.rent_cap_large) == (Decimal("682.96"), Decimal("731.93"))
    assert old.max_rent_benefit == Decimal("900.07")
    assert old.published_on == datetime.date(2024, 11, 18)
    ages = {a.year: (a.years, a.months) for a in AowAge.objects.all()}
    assert ages[2025] == ages[2026] == ages[2027] == (67, 0)
    assert ages[2028] == (67, 3)


def test_impossible_figures_are_refused_with_a_message(db):
    row = RentLimit.objects.get(year=2026)
    row.income_limit_multi_aow = Decimal("20000")  # below the AOW single limit
    row.max_rent_benefit = Decimal("700")  # below the high cap
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        row.full_clean()
    text = " ".join(raised.value.messages)
    assert "AOW-age income limit for more persons" in text
    assert "maximum rent for rent benefit" in text
    with pytest.raises(ValidationError):
        AowAge(year=2040, years=67, months=12).full_clean()


def test_the_admin_lists_every_figure_with_source_and_date():
    for name in (
        "income_limit_single_aow",
        "income_limit_multi_aow",
        "max_rent_benefit",
        "published_on",
        "source",
    ):
        assert name in RentLimitAdmin.list_display
    assert {"year", "years", "months", "source"} <= set(AowAgeAdmin.list_display)


# --- From rows to the matching data -------------------------------------------------------------


def aow_household(world, *, main_born, partner_born=None, income=Decimal("29000")):
    household = HouseholdFactory(
        linked_municipality=world.zwijndrecht,
        status=Household.Status.SEARCHING,
        income_type="wage",
        annual_income=income,
    )
    PersonFactory(household=household, role="main", date_of_birth=main_born)
    if partner_born:
        PersonFactory(household=household, role="partner", date_of_birth=partner_born)
    return Household.objects.with_sizes().get(pk=household.pk)


def vacancy_2026(world, rent="740.00"):
    return VacancyFactory(
        corporation=world.trivire,
        municipality=world.dordrecht,
        bedrooms=1,
        base_rent=Decimal(rent),
        available_from=datetime.date(2026, 7, 1),
        return_deadline=datetime.date(2026, 6, 15),
    )


def test_an_aow_age_single_earning_29000_fits_a_flat_above_the_cap(world):
    # Main applicant born 1 February 1959: 67 (the AOW age of 2026) on 1 February 2026.
    household = aow_household(world, main_born=datetime.date(1959, 2, 1))
    dwelling = candidates.to_dwelling(
        vacancy_2026(world), candidates.rent_caps(), on=datetime.date(2026, 6, 1)
    )
    candidate = candidates.to_candidate(household)
    assert candidate.aow_from == datetime.date(2026, 2, 1)
    assert dwelling.letting_date == datetime.date(2026, 7, 1)
    assert matching.explain(dwelling, candidate, SETTINGS, datetime.date(2026, 6, 1)).fits


def test_the_main_applicant_decides_not_the_oldest_member(world):
    # The partner is 76, the main applicant 46: not an AOW-age household; 29,000 <= 29,400.
    household = aow_household(
        world, main_born=datetime.date(1980, 1, 1), partner_born=datetime.date(1950, 1, 1)
    )
    caps = candidates.rent_caps()
    dwelling = candidates.to_dwelling(vacancy_2026(world), caps, on=datetime.date(2026, 6, 1))
    candidate = candidates.to_candidates([household])[0]
    result = matching.explain(dwelling, candidate, SETTINGS, datetime.date(2026, 6, 1))
    # 2 persons: limit 39,925 below the AOW age (38,650 at it): the cap of 713 applies.
    assert not result.fits


def test_turning_67_after_the_letting_date_is_not_yet_aow_age(world):
    # 67 on 1 August 2026, the flat is let from 1 July 2026: below the AOW age, cap applies.
    household = aow_household(world, main_born=datetime.date(1959, 8, 1))
    dwelling = candidates.to_dwelling(
        vacancy_2026(world), candidates.rent_caps(), on=datetime.date(2026, 6, 1)
    )
    candidate = candidates.to_candidate(household)
    assert not matching.explain(dwelling, candidate, SETTINGS, datetime.date(2026, 6, 1)).fits


# --- The Regels page ----------------------------------------------------------------------------


def test_the_rules_page_shows_every_yearly_figure_with_source_and_date(world, client_for):
    page = client_for(world.coordinator).get(reverse("rules")).content.decode()
    for figure in ("28.775,00", "38.650,00", "27.775,00", "37.350,00", "932,93", "900,07"):
        assert figure in page, figure
    assert "25 november 2025" in page
    assert "18 november 2024" in page
    assert 'id="aow-age-table"' in page


def test_the_rules_page_says_at_or_below_the_limit(world, client_for):
    # The law and the code: an income up to and including the limit (tot en met) gets the cap.
    page = client_for(world.coordinator).get(reverse("rules")).content.decode()
    assert "onder de inkomensgrens van dat jaar" not in page
    assert "income is below the year" not in page
    assert (
        "tot en met de inkomensgrens van dat jaar" in page
        or "income is at or below the year" in page
    )
