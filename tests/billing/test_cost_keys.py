"""The cost key (verdeelsleutel): how much each participating municipality pays for the central
desk in a half-year, and the line on the invoice that says how the amount was derived.

Every amount below is worked out by hand in the test, from the placements of the worked example
(``billing_builders``: Zwijndrecht 12 persons in 3 households in 2026-I, Papendrecht 3 in 1,
Dordrecht 2 in 1; Sliedrecht does not participate). Lines are read in English here; the Dutch
invoice is checked through the pages in ``test_views``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from billing import cost_keys
from billing.cost_keys import CostKeyError, half_of_year, largest_remainder
from quota.ledger import build_ledger
from quota.models import QuotaRule
from regions.models import Municipality

from .billing_builders import TODAY, cost_key, period, quota_targets, worked_example


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def placements(world):
    return worked_example(world)


def lines(world, key, year: int = 2026, half: int = 1) -> dict[str, cost_keys.Line]:
    """The cost key's line per participating municipality, by municipality name."""
    municipalities = list(
        Municipality.objects.filter(region=world.drecht, participates=True).order_by("name")
    )
    result = cost_keys.shares(
        cost_key=key,
        period=period(year, half),
        municipalities=municipalities,
        ledger=build_ledger(region=world.drecht, today=TODAY),
    )
    return {m.name: result[m.pk] for m in municipalities}


def amounts(result: dict[str, cost_keys.Line]) -> dict[str, Decimal]:
    return {name: line.amount for name, line in result.items()}


# --- Fee per placed person -------------------------------------------------------------------


def test_fee_per_person_is_the_persons_housed_in_the_half_year_times_the_tariff(world, placements):
    result = lines(world, cost_key(world, "per_person", tariff="350.00"))

    # 12 x 350.00 = 4200.00; 3 x 350.00 = 1050.00; 2 x 350.00 = 700.00. No line for Sliedrecht.
    assert amounts(result) == {
        "Dordrecht": Decimal("700.00"),
        "Papendrecht": Decimal("1050.00"),
        "Zwijndrecht": Decimal("4200.00"),
    }
    zwijndrecht = result["Zwijndrecht"]
    assert zwijndrecht.quantity == 12
    assert zwijndrecht.unit_price == Decimal("350.00")
    assert zwijndrecht.description == "12 persons housed in 2026-I x €350.00"
    assert "12" in zwijndrecht.description and "350" in zwijndrecht.description


def test_fee_per_person_in_the_next_half_year_counts_only_that_half_year(world, placements):
    result = lines(world, cost_key(world, "per_person", tariff="350.00"), half=2)

    # Zwijndrecht: the couple from 1 July and the child who joined on 3 August: 3 x 350.00.
    assert amounts(result) == {
        "Dordrecht": Decimal("0.00"),
        "Papendrecht": Decimal("0.00"),
        "Zwijndrecht": Decimal("1050.00"),
    }
    assert result["Papendrecht"].description == "0 persons housed in 2026-II x €350.00"


def test_fee_per_person_follows_the_regions_counting_rule(world, placements):
    # Counted for the municipality the household was linked to, the Papendrecht family (linked
    # to Zwijndrecht) moves to Zwijndrecht: 12 + 3 = 15 persons.
    QuotaRule.objects.create(region=world.drecht, credited="linked")

    result = lines(world, cost_key(world, "per_person", tariff="350.00"))

    assert result["Zwijndrecht"].amount == Decimal("5250.00")  # 15 x 350.00
    assert result["Papendrecht"].amount == Decimal("0.00")


# --- Fee per placed household ----------------------------------------------------------------


def test_fee_per_household_counts_households_not_family_members_who_join_later(world, placements):
    result = lines(world, cost_key(world, "per_household", tariff="1250.00"))

    # Zwijndrecht: the families of 5 and 4 and the couple; the child who joined the December
    # family is a person but not a household placed in 2026-I. 3 x 1250.00 = 3750.00.
    assert amounts(result) == {
        "Dordrecht": Decimal("1250.00"),
        "Papendrecht": Decimal("1250.00"),
        "Zwijndrecht": Decimal("3750.00"),
    }
    assert result["Zwijndrecht"].description == "3 households housed in 2026-I x €1,250.00"
    assert result["Papendrecht"].description == "1 household housed in 2026-I x €1,250.00"


# --- Budget split by share of the quota ------------------------------------------------------


def test_quota_share_splits_half_the_yearly_budget_by_the_net_targets(world, placements):
    first_half = period(2026, 1)
    quota_targets(world, first_half, dordrecht=131, zwijndrecht=48, papendrecht=34, sliedrecht=20)

    result = lines(world, cost_key(world, "quota_share", budget="100000.00"))

    # Half of 100,000.00 = 50,000.00 = 5,000,000 cents, split 131 : 48 : 34 (213; Sliedrecht's
    # 20 does not count, it does not participate):
    #   Dordrecht   5,000,000 x 131 / 213 = 3,075,117.37 cents
    #   Zwijndrecht 5,000,000 x  48 / 213 = 1,126,760.56 cents
    #   Papendrecht 5,000,000 x  34 / 213 =   798,122.07 cents
    # Rounded down that is 4,999,999 cents; the cent left goes to the largest remainder (.56).
    assert amounts(result) == {
        "Dordrecht": Decimal("30751.17"),
        "Papendrecht": Decimal("7981.22"),
        "Zwijndrecht": Decimal("11267.61"),
    }
    assert sum(amounts(result).values()) == Decimal("50000.00")
    description = result["Zwijndrecht"].description
    assert description.startswith("Share 48 of 213 persons of the quota (")
    assert description.endswith(") of the budget for half-year I: €50,000.00")


def test_quota_share_line_shows_the_percentage_rounded(world, placements):
    quota_targets(world, period(2026, 1), dordrecht=131, zwijndrecht=48, papendrecht=34)

    result = lines(world, cost_key(world, "quota_share", budget="100000.00"))

    # 100 x 48 / 213 = 22.5352...% -> 22.54%
    assert "(22.54%)" in result["Zwijndrecht"].description


def test_quota_share_without_targets_cannot_be_applied(world, placements):
    key = cost_key(world, "quota_share", budget="100000.00")

    with pytest.raises(CostKeyError) as refused:
        lines(world, key)
    assert str(refused.value) == ("There are no quota targets for 2026-I to split the budget by.")


def test_quota_share_with_only_a_non_participating_target_cannot_be_applied(world, placements):
    quota_targets(world, period(2026, 1), sliedrecht=20)

    with pytest.raises(CostKeyError):
        lines(world, cost_key(world, "quota_share", budget="100000.00"))


# --- Budget split by population --------------------------------------------------------------


def test_population_share_splits_half_the_yearly_budget_by_inhabitants(world, placements):
    for municipality, population in (
        (world.dordrecht, 119_000),
        (world.zwijndrecht, 44_000),
        (world.papendrecht, 32_000),
        (world.sliedrecht, 25_000),
    ):
        Municipality.objects.filter(pk=municipality.pk).update(population=population)

    result = lines(world, cost_key(world, "population_share", budget="60000.00"), half=2)

    # Half of 60,000.00 = 30,000.00 = 3,000,000 cents over 195,000 inhabitants (Sliedrecht
    # does not participate):
    #   Dordrecht   3,000,000 x 119,000 / 195,000 = 1,830,769.23 cents
    #   Zwijndrecht 3,000,000 x  44,000 / 195,000 =   676,923.08 cents
    #   Papendrecht 3,000,000 x  32,000 / 195,000 =   492,307.69 cents
    # Rounded down 2,999,999 cents; the cent left goes to Papendrecht (.69).
    assert amounts(result) == {
        "Dordrecht": Decimal("18307.69"),
        "Papendrecht": Decimal("4923.08"),
        "Zwijndrecht": Decimal("6769.23"),
    }
    assert sum(amounts(result).values()) == Decimal("30000.00")
    assert result["Zwijndrecht"].description == (
        "Share 44,000 of 195,000 inhabitants (22.56%) of the budget for half-year II: €30,000.00"
    )


# --- Fixed amount ----------------------------------------------------------------------------


def test_fixed_amount_gives_the_odd_cent_to_the_first_half_year(world, placements):
    key = cost_key(world, "fixed", fixed_amount="10000.01")

    first, second = lines(world, key, half=1), lines(world, key, half=2)

    # 10,000.01 = 1,000,001 cents: 500,001 for half-year I, 500,000 for half-year II.
    assert set(amounts(first).values()) == {Decimal("5000.01")}
    assert set(amounts(second).values()) == {Decimal("5000.00")}
    assert set(first) == {"Dordrecht", "Papendrecht", "Zwijndrecht"}
    assert first["Zwijndrecht"].description == (
        "Fixed amount 2026: €10,000.01 per year, share for half-year I"
    )


@pytest.mark.parametrize(
    ("yearly", "first", "second"),
    [
        ("10000.01", "5000.01", "5000.00"),
        ("10000.00", "5000.00", "5000.00"),
        ("0.01", "0.01", "0.00"),
        ("999999999.99", "500000000.00", "499999999.99"),
    ],
)
def test_half_of_a_yearly_amount(yearly, first, second):
    assert half_of_year(Decimal(yearly), 1) == Decimal(first)
    assert half_of_year(Decimal(yearly), 2) == Decimal(second)
    assert Decimal(first) + Decimal(second) == Decimal(yearly)


# --- Largest remainder -----------------------------------------------------------------------


def test_largest_remainder_adds_up_to_the_total_exactly():
    # 100.00 in three: 33.333... each; 33.33 x 3 = 99.99, the cent left goes to "a" (tie).
    parts = largest_remainder(Decimal("100.00"), {"a": 1, "b": 1, "c": 1})

    assert parts == {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}
    assert sum(parts.values()) == Decimal("100.00")


def test_the_cent_left_goes_to_the_largest_remainder_not_the_largest_weight():
    # 10 cents split 1 : 5 = 1.667 : 8.333 -> floors 1 + 8 = 9; the cent goes to x (.667).
    assert largest_remainder(Decimal("0.10"), {"x": 1, "y": 5}) == {
        "x": Decimal("0.02"),
        "y": Decimal("0.08"),
    }


def test_several_cents_left_go_to_the_largest_remainders_in_order():
    # 10 cents split 1 : 2 : 4 = 1.429 : 2.857 : 5.714 -> floors 1 + 2 + 5 = 8; two cents left
    # go to b (.857) and c (.714), not to a (.429).
    assert largest_remainder(Decimal("0.10"), {"a": 1, "b": 2, "c": 4}) == {
        "a": Decimal("0.01"),
        "b": Decimal("0.03"),
        "c": Decimal("0.06"),
    }


def test_ties_are_broken_alphabetically_whatever_the_order_given():
    # 2 cents over three equal weights: the tied cents go to a and b, every time.
    expected = {"a": Decimal("0.01"), "b": Decimal("0.01"), "c": Decimal("0.00")}
    for weights in ({"a": 1, "b": 1, "c": 1}, {"c": 1, "b": 1, "a": 1}, {"b": 1, "c": 1, "a": 1}):
        assert largest_remainder(Decimal("0.02"), weights) == expected


def test_a_zero_weight_gets_nothing_and_a_zero_total_gives_zeros():
    assert largest_remainder(Decimal("0.05"), {"a": 0, "b": 3}) == {
        "a": Decimal("0.00"),
        "b": Decimal("0.05"),
    }
    assert largest_remainder(Decimal("0.00"), {"a": 1, "b": 3}) == {
        "a": Decimal("0.00"),
        "b": Decimal("0.00"),
    }


def test_nothing_to_split_by_is_refused():
    with pytest.raises(CostKeyError):
        largest_remainder(Decimal("100.00"), {"a": 0, "b": 0})


weights_strategy = st.dictionaries(
    keys=st.text(alphabet="abcdefghij", min_size=1, max_size=3),
    values=st.integers(min_value=0, max_value=2_000_000),
    min_size=1,
    max_size=10,
).filter(lambda weights: sum(weights.values()) > 0)


@hypothesis_settings(max_examples=300, deadline=None)
@given(cents=st.integers(min_value=0, max_value=99_999_999_999), weights=weights_strategy)
def test_largest_remainder_parts_add_up_and_stay_within_a_cent(cents, weights):
    total = Decimal(cents) / 100
    parts = largest_remainder(total, weights)

    assert set(parts) == set(weights)
    assert sum(parts.values()) == total
    weight_sum = sum(weights.values())
    for key, part in parts.items():
        assert part == part.quantize(Decimal("0.01"))
        assert part >= 0
        exact = Fraction(cents, 100) * weights[key] / weight_sum
        assert abs(Fraction(part) - exact) < Fraction(1, 100)
