"""The sizes ``seed_demo`` can load (``--scale``), and the regions generated for the larger ones.

- ``demo``: the two real-shaped regions (Drechtsteden, Woerden e.o.), written one object at a
  time through the workflow services, as before.
- ``small``: the same two regions plus one generated region, with bulk inserts (CI smoke).
- ``national``: the two regions plus 23 generated ones (25 regions, 346 municipalities, 60,000
  households; Drechtsteden, the personas' region, the largest pool with 22,000), quota periods
  2022-I to 2026-II, with bulk inserts.

At every scale each region has the twelve regional meetings before today, held, with their
agendas and decision lists, the next meeting's agenda drafted from the data, and its ended quota
periods billed: issued, mostly paid, one credit note (``demo.meetings``, ``demo.billing``).

Generated regions carry the names of the Dutch safety regions and their real provinces (CBS
codes PV20-PV31); their municipalities are generated: plausible Dutch-sounding names that are
not real ones, CBS codes from GM5001 on (real codes stop below GM2000), populations and streets
drawn from a seeded generator. Only the demo's ten municipalities are real.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from .data import (
    BILLING_PROFILES,
    COST_KEYS,
    DEMO_IBAN,
    DEMO_USERS,
    HISTORY_START,
    PROVINCE_USERS,
    PROVINCES,
    QUOTA_OPENING,
    QUOTA_PERIODS,
    REGIONS,
    SEED,
    DemoUser,
    DType,
    Method,
    MunicipalitySpec,
    Place,
    RegionSpec,
    Role,
    VStatus,
)

# The twelve provinces by CBS code.
ALL_PROVINCES = {
    "PV20": "Groningen",
    "PV21": "Fryslân",
    "PV22": "Drenthe",
    "PV23": "Overijssel",
    "PV24": "Flevoland",
    "PV25": "Gelderland",
    "PV26": "Utrecht",
    "PV27": "Noord-Holland",
    "PV28": "Zuid-Holland",
    "PV29": "Zeeland",
    "PV30": "Noord-Brabant",
    "PV31": "Limburg",
}
# Safety regions outside the demo's two areas: (code, name, province).
GENERATED_REGIONS = (
    ("RR", "Rotterdam-Rijnmond", "PV28"),
    ("GR", "Groningen", "PV20"),
    ("FR", "Fryslân", "PV21"),
    ("DR", "Drenthe", "PV22"),
    ("IJ", "IJsselland", "PV23"),
    ("TW", "Twente", "PV23"),
    ("NOG", "Noord- en Oost-Gelderland", "PV25"),
    ("GM", "Gelderland-Midden", "PV25"),
    ("GZ", "Gelderland-Zuid", "PV25"),
    ("NHN", "Noord-Holland-Noord", "PV27"),
    ("ZW", "Zaanstreek-Waterland", "PV27"),
    ("KE", "Kennemerland", "PV27"),
    ("AA", "Amsterdam-Amstelland", "PV27"),
    ("GV", "Gooi en Vechtstreek", "PV27"),
    ("HL", "Haaglanden", "PV28"),
    ("HM", "Hollands Midden", "PV28"),
    ("ZE", "Zeeland", "PV29"),
    ("MWB", "Midden- en West-Brabant", "PV30"),
    ("BN", "Brabant-Noord", "PV30"),
    ("BZO", "Brabant-Zuidoost", "PV30"),
    ("LN", "Limburg-Noord", "PV31"),
    ("ZL", "Zuid-Limburg", "PV31"),
    ("FL", "Flevoland", "PV24"),
)
# Name parts of the generated municipalities: prefix + stem + suffix, e.g. "Oosterbroekdijk".
NAME_PREFIXES = ("", "Ooster", "Wester", "Noord", "Zuid", "Nieuw", "Oud", "Hoog", "Groot")
NAME_STEMS = (
    "Beek", "Linde", "Esse", "Heide", "Wilder", "Elsen", "Molen", "Vliet", "Rijs", "Haren",
    "Bergh", "Veen", "Zand", "Holte", "Marke", "Brak", "Wolde", "Dal", "Sluis", "Meer",
)  # fmt: skip
NAME_SUFFIXES = ("dam", "dijk", "broek", "horst", "hoven", "haven", "woude", "loo", "kerk", "um")
STREETS = (
    "Dorpsstraat", "Kerkstraat", "Molenweg", "Stationsweg", "Schoolstraat", "Julianalaan",
    "Beatrixstraat", "Wilhelminastraat", "Prins Bernhardlaan", "Oranjelaan", "Raadhuisplein",
    "Lindelaan", "Eikenlaan", "Kastanjelaan", "Berkenlaan", "Vondellaan", "Rembrandtlaan",
    "Dijkstraat", "Havenstraat", "Marktstraat",
)  # fmt: skip
STREET_KINDS = ("straat", "laan", "weg", "singel", "hof", "plein", "kade", "dreef")
CORPORATION_FORMS = ("Woonstichting {}", "{} Wonen", "Woningcorporatie {}", "Thuis in {}")
COA_SITES = ("AZC Budel", "AZC Gilze", "AZC Zeist", "AZC Ter Apel", "AZC Assen", "AZC Amersfoort")
GIVEN = ("Anna", "Bas", "Chantal", "Daan", "Eva", "Floor", "Hugo", "Jasmijn", "Koen", "Lotte")
FAMILY = ("Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters")

# Open vacancies per 100 households of a generated region, by status, and their types.
VACANCY_STATUS_SHARE = {
    VStatus.SUBMITTED: 0.45,
    VStatus.ACCEPTED: 0.8,
    VStatus.ON_AGENDA: 0.6,
    VStatus.RETURNED: 0.2,
    VStatus.WITHDRAWN: 0.2,
    VStatus.LET: 0.35,
}
VACANCY_TYPE_SHARE = {
    DType.SINGLE_FAMILY: 9,
    DType.APARTMENT: 16,
    DType.SENIOR: 6,
    DType.SHARED: 5,
    DType.FLEX: 4,
}
# Fewer leases than in the demo's short window: a larger waiting pool to rank against.
GENERATED_PLACED_SHARE = 0.25
# Signed leases still to start (or just started) are about a month of a region's leases: half
# a percent of a large region's households, housed from six weeks after the link. (The demo's
# short window has more: a tenth.) With the demo's rule, national Drechtsteden had 2,250 of
# them, and its last meetings thousands of agenda items.
LARGE_LEASE_SIGNED_SHARE = 0.005
GENERATED_HOUSED_SHARE = GENERATED_PLACED_SHARE - LARGE_LEASE_SIGNED_SHARE
# A large pool has a longer history of refusals: three leases in four came after one.
GENERATED_REFUSED_SHARE = 0.75
NATIONAL_QUOTA_PERIODS = tuple((year, half) for year in range(2022, 2027) for half in (1, 2))
NATIONAL_HISTORY_START = datetime.date(2022, 1, 1)


@dataclass(frozen=True)
class Scale:
    name: str
    regions: tuple[RegionSpec, ...]
    provinces: dict[str, str]
    users: tuple[DemoUser, ...]
    province_users: tuple[DemoUser, ...]
    quota_periods: tuple[tuple[int, int], ...]
    history_start: datetime.date
    bulk: bool  # bulk inserts (no change history, no notices) instead of the services
    # Past periods billed per region (invoice runs), issued, mostly paid, one credit note.
    invoice_runs: bool = True
    admin_username: str = "admin"


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (i < total % parts) for i in range(parts)]


def _counts(shares: dict, total: float, minimum: int = 1) -> dict:
    return {key: max(minimum, round(share * total)) for key, share in shares.items()}


def generated_regions(regions: int, municipalities: int, households: int) -> tuple[RegionSpec, ...]:
    """``regions`` generated regions (at most 23) with ``municipalities`` municipalities and
    ``households`` households between them, shared evenly. The same specs on every call.
    """
    assert 1 <= regions <= len(GENERATED_REGIONS) and municipalities >= 2 * regions
    rng = random.Random(f"{SEED}-generated-regions")
    names = [
        f"{prefix}{stem.lower() if prefix else stem}{suffix}"
        for suffix in NAME_SUFFIXES
        for stem in NAME_STEMS
        for prefix in NAME_PREFIXES
    ]
    rng.shuffle(names)
    pools = _split(households, regions)
    specs = []
    code_number, postcode = 5001, 1000
    for index, ((code, name, province), munis, pool) in enumerate(
        zip(GENERATED_REGIONS, _split(municipalities, regions), pools, strict=False)
    ):
        muni_specs = []
        corporations = []
        # Street names unique within the region (addresses are kept apart region-wide).
        street_names = [f"{stem}{kind}" for stem in NAME_STEMS for kind in STREET_KINDS]
        street_names += STREETS
        rng.shuffle(street_names)
        for m in range(munis):
            muni_name = names.pop()
            if m < 2:
                corporations.append(
                    CORPORATION_FORMS[(index + m) % len(CORPORATION_FORMS)].format(muni_name)
                )
            population = rng.randint(150_000, 400_000) if m == 0 else rng.randint(9_000, 60_000)
            # A street of 180 numbers per 15,000 inhabitants, at least six.
            count = max(6, population // 15_000)
            streets = tuple((street_names.pop(), f"{postcode + k // 4}") for k in range(count))
            postcode += -(-count // 4)
            muni_specs.append(
                MunicipalitySpec(
                    f"GM{code_number:04d}",
                    muni_name,
                    population,
                    places=(Place(muni_name, streets),),
                    corporations=tuple(corporations),
                    quota_opening=rng.randint(-40, 15),
                )
            )
            code_number += 1
        central = muni_specs[0]
        specs.append(
            RegionSpec(
                code=code,
                name=name,
                central_cbs_code=central.cbs_code,
                municipalities=tuple(muni_specs),
                desk=f"Regionaal plaatsingsbureau {name}",
                corporations=tuple((c, None) for c in corporations),
                support=((f"VluchtelingenWerk {name}", None),),
                households=pool,
                vacancy_statuses=_counts(VACANCY_STATUS_SHARE, pool / 100),
                vacancy_types={},  # drawn to fit the statuses: see below
                work_locations=tuple(m.name for m in muni_specs[:5]),
                study_locations=(f"ROC {central.name}", f"Hogeschool {central.name}"),
                open_nominations=3,
                province=province,
                v_number_base=2_700_000_000 + index * 1_000_000,
                coa_locations=COA_SITES,
                placed_share=GENERATED_PLACED_SHARE,
                housed_share=GENERATED_HOUSED_SHARE,
                housed_from_weeks=6,
                refused_share=GENERATED_REFUSED_SHARE,
            )
        )
    return tuple(_with_types(spec) for spec in specs)


def _with_types(spec: RegionSpec) -> RegionSpec:
    """Dwelling types in the demo's proportions, as many as the spec has vacancies."""
    total = sum(spec.vacancy_statuses.values())
    weight = sum(VACANCY_TYPE_SHARE.values())
    types = {t: total * share // weight for t, share in VACANCY_TYPE_SHARE.items()}
    types[DType.APARTMENT] += total - sum(types.values())
    return RegionSpec(**{**spec.__dict__, "vacancy_types": types})


def metropolitan_drechtsteden(households: int) -> RegionSpec:
    """Drechtsteden with ``households`` households and open vacancies to match, drawn as in
    the demo (same seeds and shares: the demo's households come first), but with a large
    region's month of signed leases still to start, not the demo's tenth of the households."""
    spec = REGIONS[0]
    statuses = _counts(VACANCY_STATUS_SHARE, households / 100)
    changes = {
        "households": households,
        "vacancy_statuses": statuses,
        "refused_share": GENERATED_REFUSED_SHARE,
        "housed_share": spec.placed_share - LARGE_LEASE_SIGNED_SHARE,
        "housed_from_weeks": 6,
    }
    return _with_types(RegionSpec(**{**spec.__dict__, **changes}))


def coordinators(specs: tuple[RegionSpec, ...]) -> tuple[DemoUser, ...]:
    """One coordinator per generated region, ``coordinator-<code>``, password ``demo``."""
    return tuple(
        DemoUser(
            f"coordinator-{spec.code.lower()}",
            GIVEN[i % len(GIVEN)],
            FAMILY[i % len(FAMILY)],
            Role.COORDINATOR,
            spec.code,
            spec.desk,
        )
        for i, spec in enumerate(specs)
    )


def build(name: str, **sizes) -> Scale:
    """The scale called ``name``; ``sizes`` override the national scale's generated part
    (regions, municipalities, households) and Drechtsteden's pool (metropolitan): the tests
    run its code path at small numbers."""
    if name == "demo":
        return Scale(
            "demo", REGIONS, PROVINCES, DEMO_USERS, PROVINCE_USERS, QUOTA_PERIODS, HISTORY_START,
            bulk=False,
        )  # fmt: skip
    regions = REGIONS
    if name == "small":
        generated = generated_regions(
            **({"regions": 1, "municipalities": 3, "households": 120} | sizes)
        )
        periods, start = QUOTA_PERIODS, HISTORY_START
    elif name == "national":
        # 346 municipalities and 60,000 households. Drechtsteden, where the demo's personas
        # work, is the metropolitan pool of 22,000 households (about 15,000 waiting: the
        # benchmark's ranking and proposal); its first 220 are the demo's own draws.
        metropolitan = sizes.pop("metropolitan", 22_000)
        national = {"regions": 23, "municipalities": 336, "households": 60_000 - 22_000 - 90}
        generated = generated_regions(**(national | sizes))
        periods, start = NATIONAL_QUOTA_PERIODS, NATIONAL_HISTORY_START
        regions = (metropolitan_drechtsteden(metropolitan), *REGIONS[1:])
    else:
        raise ValueError(name)
    return Scale(
        name,
        regions + generated,
        ALL_PROVINCES,
        DEMO_USERS + coordinators(generated),
        PROVINCE_USERS,
        periods,
        start,
        bulk=True,
    )


SCALES = ("demo", "small", "national")


# --- Figures per region that the demo's tables give for its two regions -----------------------


def quota_opening(m: MunicipalitySpec) -> int:
    return m.quota_opening if m.quota_opening is not None else QUOTA_OPENING[m.cbs_code]


def opening_reason(first_period: tuple[int, int]) -> str:
    year, half = first_period
    return f"Stand provincie 1 {'januari' if half == 1 else 'juli'} {year}"


def cost_keys(spec: RegionSpec, scale: Scale) -> tuple:
    """The demo's cost keys for its regions (earlier years: the first one's); a fee per housed
    person for the generated ones. One per year of the scale's quota periods."""
    years = sorted({year for year, _half in scale.quota_periods})
    own = {key[0]: key for key in COST_KEYS.get(spec.code, ())}
    if own:
        first = own[min(own)]
        return tuple(own.get(year) or (year, *first[1:]) for year in years)
    fee = "Vast bedrag per gehuisveste persoon."
    return tuple((year, Method.PER_PERSON, "tariff", Decimal("325.00"), fee) for year in years)


def billing_profile(spec: RegionSpec) -> tuple[str, str, str, int]:
    if spec.code in BILLING_PROFILES:
        return BILLING_PROFILES[spec.code]
    central = next(m for m in spec.municipalities if m.cbs_code == spec.central_cbs_code)
    postcode = central.places[0].streets[0][1]
    address = f"Raadhuisplein 1\n{postcode} AA {central.name}"
    return (f"Gemeente {central.name}", address, DEMO_IBAN, 30)
