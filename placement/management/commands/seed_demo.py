"""Load demo data: two real-shaped regions, their partners, demo users, households and vacancies.

Idempotent: regions, municipalities, organisations and users are keyed on their natural keys and
brought back to the values below on every run (demo passwords are reset to ``demo``). Households
and vacancies are created only when missing, keyed deterministically (a household by its main
applicant's V-number, a vacancy by its address), so a second run adds nothing and leaves any
changes made while demonstrating alone.

Deterministic: every random choice comes from ``random.Random`` seeded per region, and no random
draw depends on today's date or on what is already in the database. Dates are offsets from
today (``timezone.localdate()``, as in the models), so a fresh database always has households
near or past their deadline and vacancies near their return deadline.

Placements: every housed or lease-signed household gets the let dwelling and the nomination
behind it (lease starts spread from 1 July 2025 to today, so each quota period has realised
persons), and a few searching households are nominated, so the quota ledger, its pipeline and
the meeting have something to show. The quota periods 2025-II to 2026-II with their targets
(the opening balance on 1 July 2025 as the province saw it), the cost keys and the invoice
sender are brought back to the values below on every run; invoice runs are left to the demo.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

from billing.cost_keys import euro
from billing.models import BillingProfile, CostKey
from directory.seed import seed_participants
from placement import candidates, matching
from placement.models import Household, Nomination, Person, SupportLink, Vacancy
from placement.nominating import NominationRefused, nomination_create
from placement.services import household_create, vacancy_submit
from quota.models import QuotaPeriod, QuotaRule, QuotaTarget
from regions.models import (
    Membership,
    Municipality,
    Organisation,
    Province,
    Region,
    Role,
    Weekday,
    WeekOfMonth,
)

SEED = 20250916
DEMO_PASSWORD = "demo"

Kind = Organisation.Kind
HStatus = Household.Status
VStatus = Vacancy.Status
DType = Vacancy.DwellingType


# --- Regions, municipalities, organisations -------------------------------------------------


@dataclass(frozen=True)
class Place:
    name: str
    streets: tuple[tuple[str, str], ...]  # (street, four-digit postcode area)
    weight: int = 1  # share of the municipality's vacancies


@dataclass(frozen=True)
class MunicipalitySpec:
    cbs_code: str
    name: str
    population: int
    places: tuple[Place, ...]
    corporations: tuple[str, ...] = ()  # who lets dwellings here (for the demo vacancies)
    participates: bool = True
    province: str | None = None  # CBS code, when not the region's (``RegionSpec.province``)


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    central_cbs_code: str
    municipalities: tuple[MunicipalitySpec, ...]
    desk: str
    corporations: tuple[tuple[str, str | None], ...]  # (name, CBS code of where it is based)
    support: tuple[tuple[str, str | None], ...]
    households: int
    vacancy_statuses: dict[str, int]
    vacancy_types: dict[str, int]
    # Vacancies that tell a story from the source article: (place, dwelling type, remarks).
    featured_vacancies: tuple[tuple[str, str, str], ...] = ()
    work_locations: tuple[str, ...] = ()
    study_locations: tuple[str, ...] = ()
    open_nominations: int = 3  # searching households nominated, for the pipeline and meeting
    province: str = "PV28"  # CBS code of the province most of its municipalities are in


# The provinces of the demo municipalities (CBS codes). Woerden e.o. spans two of them.
PROVINCES = {"PV26": "Utrecht", "PV28": "Zuid-Holland"}


DRECHTSTEDEN = RegionSpec(
    code="DS",
    name="Drechtsteden",
    central_cbs_code="GM0505",
    municipalities=(
        MunicipalitySpec(
            "GM0505",
            "Dordrecht",
            121_000,
            places=(
                Place(
                    "Dordrecht",
                    (
                        ("Vrieseweg", "3311"),
                        ("Johan de Wittstraat", "3311"),
                        ("Dubbeldamseweg Zuid", "3312"),
                        ("Reeweg Oost", "3312"),
                        ("Brouwersdijk", "3314"),
                        ("Mijlweg", "3316"),
                        ("Krispijnseweg", "3317"),
                        ("Bankastraat", "3317"),
                        ("Admiraal de Ruyterweg", "3318"),
                        ("Dubbelsteynlaan Oost", "3319"),
                        ("Sterrenburglaan", "3328"),
                    ),
                ),
            ),
            corporations=("Trivire", "Woonbron", "Woonkracht10"),
        ),
        MunicipalitySpec(
            "GM0482",
            "Alblasserdam",
            20_500,
            places=(
                Place(
                    "Alblasserdam",
                    (
                        ("Kerkstraat", "2951"),
                        ("Dam", "2952"),
                        ("Vinkenpolderweg", "2952"),
                        ("Polderweg", "2953"),
                        ("Edisonweg", "2954"),
                    ),
                ),
            ),
            corporations=("Trivire",),
        ),
        MunicipalitySpec(
            "GM0531",
            "Hendrik-Ido-Ambacht",
            32_000,
            places=(
                Place(
                    "Hendrik-Ido-Ambacht",
                    (
                        ("Weverskade", "3341"),
                        ("Sophiastraat", "3341"),
                        ("Dijkweg", "3342"),
                        ("Krommeweg", "3343"),
                        ("Pruimendijk", "3344"),
                    ),
                ),
            ),
            corporations=("Oost-West Wonen", "Trivire"),
        ),
        MunicipalitySpec(
            "GM0590",
            "Papendrecht",
            32_500,
            places=(
                Place(
                    "Papendrecht",
                    (
                        ("Westeind", "3351"),
                        ("Veerweg", "3351"),
                        ("Burgemeester Keijzerweg", "3353"),
                        ("Molenlaan", "3355"),
                        ("Oosteind", "3356"),
                    ),
                ),
            ),
            corporations=("Trivire", "Woonkracht10"),
        ),
        MunicipalitySpec(
            "GM0642",
            "Zwijndrecht",
            45_000,
            places=(
                Place(
                    "Zwijndrecht",
                    (
                        ("Stationsweg", "3331"),
                        ("Koninginneweg", "3331"),
                        ("Walburgstraat", "3332"),
                        ("Develsingel", "3333"),
                        ("Ringdijk", "3334"),
                        ("Lindtsedijk", "3336"),
                    ),
                ),
            ),
            corporations=("Woonkracht10", "Woonbron"),
        ),
        # In the area but not in the regional pool: present so the dashboards can show it.
        MunicipalitySpec("GM0610", "Sliedrecht", 26_000, places=(), participates=False),
    ),
    desk="Regieteam Vergunninghouders Dordrecht",
    corporations=(
        ("Trivire", "GM0505"),
        ("Woonbron", None),
        ("Woonkracht10", "GM0505"),
        ("Oost-West Wonen", None),
    ),
    support=(
        ("VluchtelingenWerk Zuidwest-Nederland", None),
        ("Sociale Dienst Drechtsteden", "GM0505"),
    ),
    households=220,
    vacancy_statuses={
        VStatus.SUBMITTED: 6,
        VStatus.ACCEPTED: 12,
        VStatus.ON_AGENDA: 9,
        VStatus.RETURNED: 3,
        VStatus.WITHDRAWN: 3,
        VStatus.LET: 7,
    },
    vacancy_types={
        DType.SINGLE_FAMILY: 9,
        DType.APARTMENT: 16,
        DType.SENIOR: 6,
        DType.SHARED: 5,
        DType.FLEX: 4,
    },
    work_locations=("Dordrecht", "Rotterdam", "Zwijndrecht", "Papendrecht", "Alblasserdam"),
    study_locations=("Da Vinci College, Dordrecht", "Hogeschool Rotterdam", "Albeda, Rotterdam"),
    open_nominations=4,
)

WOERDEN = RegionSpec(
    code="WO",
    name="Woerden e.o.",
    central_cbs_code="GM0632",
    municipalities=(
        MunicipalitySpec(
            "GM0632",
            "Woerden",
            53_000,
            places=(
                Place(
                    "Woerden",
                    (
                        ("Rijnstraat", "3441"),
                        ("Oostdam", "3441"),
                        ("Leidsestraatweg", "3443"),
                        ("Steinhagenseweg", "3446"),
                        ("Molenvlietbrink", "3448"),
                        ("Hoge Rijndijk", "3449"),
                    ),
                    weight=4,
                ),
                Place("Waarder", (("Dorpsstraat", "3466"), ("Kerkweg", "3466"))),
            ),
            corporations=("GroenWest",),
        ),
        MunicipalitySpec(
            "GM0335",
            "Montfoort",
            14_000,
            places=(Place("Montfoort", (("Hoogstraat", "3417"), ("Willeskop", "3417"))),),
            corporations=("Provides",),
        ),
        MunicipalitySpec(
            "GM0589",
            "Oudewater",
            10_500,
            places=(
                Place(
                    "Oudewater",
                    (("Kapellestraat", "3421"), ("Prinses Margrietlaan", "3421")),
                ),
            ),
            corporations=("De Woningraat",),
        ),
        MunicipalitySpec(
            "GM1901",
            "Bodegraven-Reeuwijk",
            36_000,
            places=(
                Place(
                    "Bodegraven",
                    (
                        ("Goudseweg", "2411"),
                        ("Noordstraat", "2411"),
                        ("Willem de Zwijgerlaan", "2412"),
                        ("Prinses Irenelaan", "2414"),
                    ),
                    weight=2,
                ),
                Place("Reeuwijk", (("Oud Reeuwijkseweg", "2811"), ("Raadhuisplein", "2811"))),
            ),
            corporations=("GroenWest",),
            province="PV28",
        ),
    ),
    province="PV26",
    desk="Ferm Werk",
    corporations=(("GroenWest", "GM0632"), ("Provides", None), ("De Woningraat", None)),
    support=(("VluchtelingenWerk Midden-Nederland", None),),
    households=90,
    vacancy_statuses={
        VStatus.SUBMITTED: 3,
        VStatus.ACCEPTED: 4,
        VStatus.ON_AGENDA: 3,
        VStatus.RETURNED: 1,
        VStatus.WITHDRAWN: 1,
        VStatus.LET: 3,
    },
    vacancy_types={
        DType.SINGLE_FAMILY: 3,
        DType.APARTMENT: 5,
        DType.SENIOR: 3,
        DType.SHARED: 2,
        DType.FLEX: 2,
    },
    featured_vacancies=(
        (
            "Waarder",
            DType.SENIOR,
            "Leegstaande seniorenwoning; in overleg met de gemeente beschikbaar voor "
            "vergunninghouders.",
        ),
        (
            "Waarder",
            DType.SENIOR,
            "Tweede leegstaande seniorenwoning in dezelfde rij; samen aanbieden kan.",
        ),
    ),
    work_locations=("Woerden", "Utrecht", "Gouda", "Bodegraven", "Montfoort"),
    study_locations=("ROC Midden Nederland, Woerden", "Hogeschool Utrecht", "MBO Utrecht"),
)

REGIONS = (DRECHTSTEDEN, WOERDEN)


# --- Demo users -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    region_code: str
    organisation: str


DEMO_USERS = (
    DemoUser(
        "coordinator",
        "Carla",
        "de Vries",
        Role.COORDINATOR,
        "DS",
        "Regieteam Vergunninghouders Dordrecht",
    ),
    DemoUser("gemeente", "Gert", "Bakker", Role.MUNICIPALITY_OFFICER, "DS", "Gemeente Zwijndrecht"),
    DemoUser("corporatie", "Cor", "Verhoeven", Role.CORPORATION, "DS", "Trivire"),
    DemoUser(
        "partner", "Petra", "Jansen", Role.PARTNER, "DS", "VluchtelingenWerk Zuidwest-Nederland"
    ),
    DemoUser("financien", "Fien", "van Dijk", Role.FINANCE, "DS", "Gemeente Dordrecht"),
    DemoUser("coordinator-woerden", "Otto", "Smit", Role.COORDINATOR, "WO", "Ferm Werk"),
)
# A province officer works for a province, not a region: ``region_code`` holds its CBS code.
PROVINCE_USERS = (
    DemoUser(
        "provincie", "Pien", "de Boer", Role.PROVINCE_OFFICER, "PV28", "Provincie Zuid-Holland"
    ),
)
ADMIN_USERNAME = "admin"


# --- Households -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    country: str
    weight: int
    languages: tuple[tuple[str, int], ...]  # Dutch language name, weight
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...] = ()
    # Eritrean and Somali names are given name + father's given name; there is no family name.
    patronymic: bool = False
    shared_family_name: bool = False


# fmt: off
ORIGINS = (
    Origin(
        "Syrië",
        35,
        (("Arabisch", 85), ("Koerdisch", 15)),
        male=(
            "Mohammed", "Ahmad", "Omar", "Khaled", "Mahmoud", "Yousef", "Ali", "Hassan",
            "Ibrahim", "Mustafa", "Abdullah", "Bilal", "Rami", "Fadi", "Samer", "Tarek",
            "Anas", "Hamza", "Wael", "Ammar", "Jamal", "Majd",
        ),
        female=(
            "Fatima", "Aya", "Rania", "Hala", "Lina", "Rasha", "Nour", "Amal", "Reem", "Dana",
            "Yasmin", "Maryam", "Hiba", "Salma", "Lama", "Sara", "Ghada", "Rahaf", "Bushra",
        ),
        family=(
            "Al-Hassan", "Khalil", "Haddad", "Al-Ahmad", "Darwish", "Hamdan", "Al-Khatib",
            "Sabbagh", "Qassem", "Al-Ali", "Mansour", "Nasser", "Othman", "Hijazi", "Al-Masri",
            "Alloush", "Kanaan", "Barakat", "Aziz", "Sheikhmous",
        ),
    ),
    Origin(
        "Eritrea",
        15,
        (("Tigrinya", 100),),
        male=(
            "Tesfay", "Yonas", "Dawit", "Filmon", "Habtom", "Mehari", "Kidane", "Samuel",
            "Berhane", "Tekle", "Yohannes", "Amanuel", "Mussie", "Henok", "Biniam", "Robel",
        ),
        female=(
            "Helen", "Senait", "Mebrat", "Selam", "Rahel", "Luwam", "Saba", "Yordanos", "Hiwet",
            "Tsega", "Freweini", "Abeba", "Winta", "Semhar", "Ruta",
        ),
        patronymic=True,
    ),
    Origin(
        "Afghanistan",
        12,
        (("Dari", 80), ("Pasjtoe", 20)),
        male=(
            "Ahmad", "Mohammad", "Farid", "Hamid", "Javid", "Mustafa", "Naveed", "Rahim",
            "Sayed", "Wahid", "Zabihullah", "Karim", "Bashir", "Jawad", "Hussain",
        ),
        female=(
            "Fatima", "Zahra", "Mariam", "Nazanin", "Parwana", "Shabnam", "Soraya", "Farzana",
            "Habiba", "Khadija", "Laila", "Mina", "Nilofar", "Roya", "Samira",
        ),
        family=(
            "Ahmadi", "Hakimi", "Karimi", "Mohammadi", "Nazari", "Rahimi", "Sadat", "Sultani",
            "Wardak", "Yousufzai", "Haidari", "Noori", "Amiri", "Stanekzai", "Popal",
        ),
    ),
    Origin(
        "Turkije",
        12,
        (("Turks", 60), ("Koerdisch", 40)),
        male=(
            "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "Murat", "Emre",
            "Burak", "Yusuf", "Ömer", "Kemal", "Serkan", "Fatih", "Onur",
        ),
        female=(
            "Ayşe", "Fatma", "Zeynep", "Elif", "Emine", "Hatice", "Meryem", "Esra", "Büşra",
            "Merve", "Derya", "Gül", "Sevgi", "Leyla",
        ),
        family=(
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan",
            "Doğan", "Kılıç", "Aslan", "Çetin", "Kurt", "Özdemir", "Polat",
        ),
        shared_family_name=True,
    ),
    Origin(
        "Jemen",
        8,
        (("Arabisch", 100),),
        male=(
            "Abdulrahman", "Mohammed", "Saleh", "Abdullah", "Ali", "Nabil", "Fares", "Waleed",
            "Hani", "Mansour", "Adel", "Majed",
        ),
        female=(
            "Amal", "Asma", "Huda", "Fatima", "Sumaya", "Arwa", "Bushra", "Nadia", "Afrah",
            "Ibtisam",
        ),
        family=(
            "Al-Hadrami", "Al-Yamani", "Saeed", "Ba Abbad", "Al-Qadhi", "Al-Sanabani",
            "Al-Ahdal", "Al-Zubairi", "Nasher", "Al-Shami",
        ),
    ),
    Origin(
        "Somalië",
        7,
        (("Somalisch", 100),),
        male=(
            "Abdi", "Abdirahman", "Ahmed", "Ali", "Hassan", "Mohamed", "Mahad", "Liban", "Farah",
            "Yusuf", "Omar", "Abdiaziz", "Mustafe", "Said",
        ),
        female=(
            "Amina", "Hodan", "Fadumo", "Khadra", "Sahra", "Ifrah", "Hawa", "Asha", "Nimco",
            "Ayan", "Deqa", "Ubah", "Maryan", "Sagal",
        ),
        patronymic=True,
    ),
    Origin(
        "Iran",
        5,
        (("Farsi", 85), ("Koerdisch", 15)),
        male=(
            "Reza", "Ali", "Mohammad", "Amir", "Hossein", "Mehdi", "Saeed", "Dariush", "Kaveh",
            "Behnam", "Navid", "Arash", "Babak", "Farhad",
        ),
        female=(
            "Maryam", "Zahra", "Fatemeh", "Shirin", "Leila", "Nazanin", "Parisa", "Sara",
            "Niloufar", "Mahsa", "Roya", "Azadeh", "Shadi", "Golnaz",
        ),
        family=(
            "Hosseini", "Mohammadi", "Rezaei", "Ahmadi", "Karimi", "Moradi", "Jafari",
            "Ebrahimi", "Sadeghi", "Ghorbani", "Mousavi", "Heidari", "Kazemi", "Farahani",
        ),
    ),
    Origin(
        "Irak",
        6,
        (("Arabisch", 60), ("Koerdisch", 40)),
        male=(
            "Mustafa", "Haider", "Ali", "Ahmed", "Hussein", "Karrar", "Mohammed", "Omar", "Saif",
            "Zaid", "Yasir", "Ammar", "Kawa", "Rebin", "Dilshad",
        ),
        female=(
            "Zainab", "Noor", "Fatima", "Maryam", "Huda", "Shahad", "Rusul", "Ban", "Dalia",
            "Sara", "Shilan", "Nasreen", "Avin", "Hana",
        ),
        family=(
            "Al-Jubouri", "Al-Obaidi", "Al-Saadi", "Al-Tamimi", "Al-Rubaie", "Hamad", "Kareem",
            "Abbas", "Jassim", "Hawrami", "Rashid", "Salih", "Al-Dulaimi",
        ),
    ),
)
# fmt: on

# Household compositions and their share (percent) of the pool. "reunification" is a permit
# holder whose partner and/or children are expected later (nareizigers).
COMPOSITIONS = {
    "single": 45,
    "couple": 9,
    "single_parent": 8,
    "family": 21,
    "large_family": 7,
    "reunification": 10,
}

COA_LOCATIONS = {
    "DS": ("AZC Dordrecht", "AZC Dordrecht", "AZC Gilze", "AZC Rotterdam", "AZC Budel"),
    "WO": ("AZC Utrecht", "AZC Utrecht", "AZC Amersfoort", "AZC Gilze", "AZC Zeist"),
}

OWN_HOME_REASONS = (
    "Heeft via familie zelf een huurwoning gevonden.",
    "Huurt een kamer bij een particuliere verhuurder.",
    "Trekt in bij een broer die al in de regio woont.",
)
WITHDRAWN_REASONS = (
    "Omgekoppeld naar gemeente Utrecht in verband met familie aldaar (COA geïnformeerd).",
    "Omgekoppeld naar gemeente Rotterdam vanwege werk.",
    "Koppeling ingetrokken door COA.",
)
WORK_NOTES = ("Werkt in de logistiek.", "Werkt in de zorg.", "Werkt in een restaurant.")
PREFERENCES = (
    "Liefst in de buurt van familie.",
    "Dicht bij openbaar vervoer.",
    "Kinderen gaan al naar school in de buurt van het AZC; liefst niet te ver weg.",
    "Geen voorkeur voor een plaats.",
    "Wil graag een tuin voor de kinderen.",
)
NOTES = (
    "Tolk nodig bij gesprekken.",
    "Inburgering gestart.",
    "Begeleiding door VluchtelingenWerk na huisvesting.",
    "Diploma's worden gewaardeerd via IDW.",
)
WHEELCHAIR_NOTES = (
    "Rolstoelgebruiker: drempelvrije woning met brede deuren nodig.",
    "Kind in een rolstoel; woning moet rolstoeltoegankelijk zijn.",
)
GROUND_FLOOR_NOTES = (
    "Kan geen trappen lopen (knieletsel).",
    "Hartklachten: geen trappen.",
    "Loopt met een rollator.",
)
MEDICAL_NOTES = (
    "Astma: woning zonder vocht of schimmel.",
    "Regelmatige behandeling in het ziekenhuis; goed bereikbaar met openbaar vervoer.",
    "Diabetes; huisarts in de buurt gewenst.",
)

# V-numbers: ten digits, counted up from a base per region, so they are the same on every run
# and never collide between the regions (or with the test factories, which start at 1000000000).
V_NUMBER_BASE = {"DS": 2_605_000_000, "WO": 2_632_000_000}


# --- Vacancies --------------------------------------------------------------------------------

RETURN_REASONS = (
    "Geen passend huishouden: de woning is te groot voor de wachtende alleenstaanden en de huur "
    "ligt boven de aftoppingsgrens voor de gezinnen.",
    "Ernstige vochtproblemen gevonden bij de voorinspectie; eerst herstel door de corporatie.",
    "Woning op de derde verdieping zonder lift; de wachtende grote gezinnen passen er niet in.",
)
DWELLING_REMARKS = {
    DType.SHARED: "Gedeelde woning voor alleenstaanden; huur per kamer, keuken en badkamer "
    "gedeeld.",
    DType.FLEX: "Tijdelijke woning (flexwoning), huurcontract voor vijf jaar.",
    DType.SENIOR: "Seniorenwoning, in overleg vrijgegeven voor vergunninghouders.",
}
# Dutch postcode letters: F, I, O, Q, U and Y are not used; S is left out because SA, SD and SS
# are not issued.
POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"


# --- Placements, quota and billing -------------------------------------------------------------

# Lease starts of the housed households are spread from here to two weeks ago, so the quota
# periods 2025-II, 2026-I and 2026-II each have realised persons.
HISTORY_START = datetime.date(2025, 7, 1)
# Share of placements in another municipality than the linked one (re-link at COA).
OTHER_MUNICIPALITY_SHARE = 0.25
# Share of housed households already reported to COA.
REPORTED_TO_COA_SHARE = 0.85

QUOTA_PERIODS = ((2025, 2), (2026, 1), (2026, 2))  # (year, half)
# Net target in persons per 1,000 inhabitants per half-year. Dordrecht's yearly target was 262
# persons in 2023 (121,000 inhabitants): about 1.05 per 1,000 per half-year.
QUOTA_RATE = {(2025, 2): Decimal("1.03"), (2026, 1): Decimal("1.08"), (2026, 2): Decimal("1.06")}
# Opening balance on 1 July 2025 (surplus +, backlog -) as the province saw it. Dordrecht's
# backlog of 135 persons is the real one (regional news, 2025); the others are made up.
QUOTA_OPENING = {
    "GM0505": -135,  # Dordrecht
    "GM0482": 6,  # Alblasserdam
    "GM0531": -9,  # Hendrik-Ido-Ambacht
    "GM0590": 12,  # Papendrecht
    "GM0642": -17,  # Zwijndrecht
    "GM0632": -14,  # Woerden
    "GM0335": 4,  # Montfoort
    "GM0589": -3,  # Oudewater
    "GM1901": 9,  # Bodegraven-Reeuwijk
}
# The demo pool houses about a sixth of what the real regions do; targets and opening balances
# are scaled by the same factor so the ledger stays believable (the rates above are real).
QUOTA_DEMO_SCALE = Decimal("0.17")
QUOTA_OPENING_PERIOD = (2025, 2)
QUOTA_OPENING_REASON = "Stand provincie 1 juli 2025"

Method = CostKey.Method
# (year, method, amount field, amount, notes) per region.
COST_KEYS = {
    "DS": (
        (
            2025,
            Method.QUOTA_SHARE,
            "budget",
            Decimal("180000.00"),
            "Begroting regieteam 2025, verdeeld naar de taakstelling.",
        ),
        (
            2026,
            Method.PER_PERSON,
            "tariff",
            Decimal("350.00"),
            "Vanaf 2026: vast bedrag per gehuisveste persoon.",
        ),
    ),
    "WO": tuple(
        (
            year,
            Method.POPULATION_SHARE,
            "budget",
            Decimal("95000.00"),
            "Kosten Ferm Werk, verdeeld naar inwonertal.",
        )
        for year in (2025, 2026)
    ),
}
# NL91ABNA0417164300 is the well-known example IBAN (valid checksum, no real account): demo data.
DEMO_IBAN = "NL91ABNA0417164300"
BILLING_PROFILES = {
    "DS": ("Gemeente Dordrecht", "Spuiboulevard 300\n3311 GR Dordrecht", DEMO_IBAN, 30),
    "WO": ("Gemeente Woerden", "Blekerijlaan 14\n3447 GR Woerden", DEMO_IBAN, 30),
}


# --- Plans: what to create, drawn from the random generator ------------------------------------


@dataclass(frozen=True)
class NamedPerson:
    """A member being drawn, with the name parts their children's names are made from."""

    person: Person
    given: str
    surname: str
    age: int


@dataclass
class HouseholdPlan:
    household: Household
    members: list[Person]
    status: str
    status_reason: str
    created_at: datetime.datetime
    status_changed_at: datetime.datetime

    @property
    def key(self) -> str:
        return next(p.v_number for p in self.members if p.role == Person.Role.MAIN)


@dataclass
class VacancyPlan:
    vacancy: Vacancy
    status: str
    return_reason: str
    created_at: datetime.datetime
    status_changed_at: datetime.datetime

    @property
    def key(self) -> tuple[str, str]:
        return (self.vacancy.street, self.vacancy.postcode)


@dataclass
class PlacementPlan:
    """The let dwelling and lease behind a housed or lease-signed household, and the household's
    history made to fit it (linked before it was nominated)."""

    key: str  # the household's main applicant's V-number
    status: str  # the household's (and the nomination's) status: housed or lease_signed
    vacancy: Vacancy
    vacancy_created_at: datetime.datetime
    nominated_at: datetime.datetime
    viewing_at: datetime.datetime
    lease_signed_on: datetime.date
    lease_start: datetime.date
    move_in_date: datetime.date | None
    reported_to_coa_on: datetime.date | None
    link_date: datetime.date  # at the latest; an earlier link date stays
    household_created_at: datetime.datetime
    status_changed_at: datetime.datetime


@dataclass
class RegionResult:
    region: Region
    households_new: int = 0
    vacancies_new: int = 0
    placements_new: int = 0
    nominations_new: int = 0
    users: list = field(default_factory=list)


def weighted(rng: random.Random, options: dict) -> object:
    return rng.choices(list(options), weights=list(options.values()))[0]


def aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment on ``day`` in the project's time zone, never later than now."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return min(moment, timezone.now())


def birth_date(rng: random.Random, age: int, today: datetime.date) -> datetime.date:
    # Day 1-28 so the draw does not depend on the month (and so on today's date).
    return datetime.date(today.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))


class HouseholdPlanner:
    """Draws one region's households; the same draws on every run."""

    def __init__(
        self, spec: RegionSpec, municipalities: dict[str, Municipality], today: datetime.date
    ):
        self.spec = spec
        self.rng = random.Random(f"{SEED}-{spec.code}-households")
        self.today = today
        self.next_v_number = V_NUMBER_BASE[spec.code]
        participating = [m for m in spec.municipalities if m.participates]
        self.municipalities = [municipalities[m.cbs_code] for m in participating]
        self.populations = [m.population for m in participating]

    def v_number(self) -> str:
        self.next_v_number += 1
        return f"{self.next_v_number:010d}"

    def plans(self) -> list[HouseholdPlan]:
        return [self.plan() for _ in range(self.spec.households)]

    def plan(self) -> HouseholdPlan:
        rng, today = self.rng, self.today
        origin = rng.choices(ORIGINS, weights=[o.weight for o in ORIGINS])[0]
        language = weighted(rng, dict(origin.languages))
        composition = weighted(rng, COMPOSITIONS)
        days_since_link = rng.randint(0, 20 * 7)
        link_date = today - datetime.timedelta(days=days_since_link)
        members = self.members(origin, composition, days_since_link)
        household = Household(
            linked_municipality=rng.choices(self.municipalities, weights=self.populations)[0],
            link_date=link_date,
            language=language,
            coa_location=rng.choice(COA_LOCATIONS[self.spec.code]),
        )
        self.needs(household)
        self.income(household, composition)
        if rng.random() < 0.25:
            household.preferences = rng.choice(PREFERENCES)
        if rng.random() < 0.2 and not household.notes:
            household.notes = rng.choice(NOTES)
        status, reason, status_days = self.status(days_since_link)
        registered_days = min(rng.randint(0, 3), days_since_link)
        created_on = link_date + datetime.timedelta(days=registered_days)
        created_at = aware(created_on, rng.randint(9, 16), rng.randint(0, 59))
        changed_on = link_date + datetime.timedelta(days=max(status_days, registered_days))
        changed_at = max(aware(changed_on, rng.randint(9, 16), rng.randint(0, 59)), created_at)
        return HouseholdPlan(household, members, status, reason, created_at, changed_at)

    def members(self, origin: Origin, composition: str, days_since_link: int) -> list[Person]:
        rng = self.rng
        main_female = composition == "single_parent" or rng.random() < (
            0.25 if composition == "single" else 0.15
        )
        main_age = (
            rng.choice((rng.randint(18, 27), rng.randint(18, 35), rng.randint(25, 60)))
            if composition == "single"
            else rng.randint(24, 50)
        )
        people = [self.person(origin, main_female, main_age, Person.Role.MAIN)]
        father = None if main_female else people[0]
        if composition in ("couple", "family", "large_family", "reunification"):
            # In Turkey a wife takes her husband's family name; elsewhere here she keeps her own.
            shared = origin.shared_family_name
            partner = self.person(
                origin,
                not main_female,
                max(18, main_age + rng.randint(-8, 3)),
                Person.Role.PARTNER,
                surname=people[0].surname if shared else None,
            )
            people.append(partner)
            father = father or partner
        children = {
            "single_parent": rng.randint(1, 3),
            "family": rng.randint(1, 3),
            "large_family": rng.randint(4, 6),
            "reunification": rng.randint(0, 4),
        }.get(composition, 0)
        # Children carry the father's family name, or his given name where names are patronymic.
        if origin.patronymic:
            child_surname = father.given if father else None
        else:
            child_surname = (father or people[0]).surname
        oldest_child = max(0, min(min(p.age for p in people) - 18, 20))
        for _ in range(children):
            female, age = rng.random() < 0.5, rng.randint(0, oldest_child)
            people.append(
                self.person(origin, female, age, Person.Role.CHILD, surname=child_surname)
            )
        if composition == "large_family" and rng.random() < 0.4:
            people.append(self.person(origin, True, rng.randint(58, 78), Person.Role.OTHER))

        persons = [p.person for p in people]
        if composition == "reunification":
            self.expect_later(persons[1:], days_since_link)
        for person in persons:
            # Family members still abroad usually have no V-number yet.
            person.v_number = self.v_number() if person.present else ""
        return persons

    def expect_later(self, persons: list[Person], days_since_link: int) -> None:
        """Family members who follow the permit holder; sometimes one has already arrived."""
        rng = self.rng
        for person in persons:
            person.present = False
            person.expected_arrival = self.today + datetime.timedelta(days=rng.randint(14, 150))
        if days_since_link > 21 and rng.random() < 0.25:
            joined = persons[0]
            joined.present = True
            joined.expected_arrival = None
            joined.arrival_date = self.today - datetime.timedelta(
                days=rng.randint(1, days_since_link - 14)
            )

    def person(
        self, origin: Origin, female: bool, age: int, role: str, surname: str | None = None
    ) -> NamedPerson:
        rng = self.rng
        given = rng.choice(origin.female if female else origin.male)
        if surname is None:
            # Patronymic: the second name is the father's given name.
            surname = rng.choice(origin.male if origin.patronymic else origin.family)
        person = Person(
            full_name=f"{given} {surname}",
            date_of_birth=birth_date(rng, age, self.today),
            role=role,
        )
        return NamedPerson(person, given, surname, age)

    def needs(self, household: Household) -> None:
        rng = self.rng
        draw = rng.random()
        if draw < 0.03:
            household.needs_wheelchair_access = True
            household.needs_ground_floor = True
            household.medical_notes = rng.choice(WHEELCHAIR_NOTES)
        elif draw < 0.10:
            household.needs_ground_floor = True
            household.medical_notes = rng.choice(GROUND_FLOOR_NOTES)
        elif draw < 0.16:
            household.medical_notes = rng.choice(MEDICAL_NOTES)

    def income(self, household: Household, composition: str) -> None:
        rng = self.rng
        draw = rng.random()
        if draw < 0.12:
            household.income_type = Household.IncomeType.WAGE
            household.annual_income = Decimal(rng.randrange(16_000, 36_000, 250))
            household.work_study_location = rng.choice(self.spec.work_locations)
            household.notes = rng.choice(WORK_NOTES)
        elif draw < 0.17 and composition == "single":
            household.income_type = Household.IncomeType.STUDY
            household.work_study_location = rng.choice(self.spec.study_locations)
        elif draw < 0.20:
            household.income_type = Household.IncomeType.NONE
        else:
            household.income_type = Household.IncomeType.BENEFIT
            if rng.random() < 0.1:
                household.work_study_location = rng.choice(self.spec.work_locations)

    def status(self, days_since_link: int) -> tuple[str, str, int]:
        """Status, its reason and the day (after the link) it was reached. Older households are
        more often housed; the newest are still registered."""
        rng = self.rng
        draw = rng.random()
        weeks = days_since_link // 7
        if weeks >= 6 and draw < 0.40:
            # A lease takes at least four weeks from the link: nomination, viewing, signing.
            status = HStatus.HOUSED if weeks >= 8 and draw < 0.30 else HStatus.LEASE_SIGNED
            return status, "", rng.randint(28, days_since_link)
        changed = rng.randint(min(7, days_since_link), days_since_link)
        if weeks >= 3 and draw > 0.97:
            return HStatus.OWN_HOME, rng.choice(OWN_HOME_REASONS), changed
        if weeks >= 3 and draw > 0.94:
            return HStatus.WITHDRAWN, rng.choice(WITHDRAWN_REASONS), changed
        if weeks < 2 and draw < 0.85:
            return HStatus.REGISTERED, "", 0
        return HStatus.SEARCHING, "", min(rng.randint(1, 10), days_since_link)


class VacancyPlanner:
    """Draws one region's vacancies; the same draws on every run."""

    def __init__(
        self,
        spec: RegionSpec,
        municipalities: dict[str, Municipality],
        corporations: dict[str, Organisation],
        today: datetime.date,
    ):
        self.spec = spec
        self.rng = random.Random(f"{SEED}-{spec.code}-vacancies")
        self.today = today
        self.municipalities = municipalities
        self.corporations = corporations
        self.participating = [m for m in spec.municipalities if m.participates]
        self.addresses: set[str] = set()

    def plans(self) -> list[VacancyPlan]:
        rng = self.rng
        statuses = [s for s, n in self.spec.vacancy_statuses.items() for _ in range(n)]
        types = [t for t, n in self.spec.vacancy_types.items() for _ in range(n)]
        rng.shuffle(statuses)
        featured = list(self.spec.featured_vacancies)
        for _place, dwelling_type, _remarks in featured:
            types.remove(dwelling_type)
        rng.shuffle(types)
        slots = [(place, t, remarks) for place, t, remarks in featured]
        slots += [(None, t, "") for t in types]
        # The first few vacancies the desk has taken on run out soon: the dashboard warns.
        urgent = 3 if len(statuses) > 20 else 2
        plans = []
        for (place, dwelling_type, remarks), status in zip(slots, statuses, strict=True):
            is_urgent = status in (VStatus.ACCEPTED, VStatus.ON_AGENDA) and urgent > 0
            urgent -= is_urgent
            plans.append(self.plan(place, dwelling_type, remarks, status, is_urgent))
        return plans

    def place(self, place_name: str | None) -> tuple[MunicipalitySpec, Place]:
        rng = self.rng
        for muni in self.participating:
            for place in muni.places:
                if place.name == place_name:
                    return muni, place
        weights = [m.population for m in self.participating]
        muni = rng.choices(self.participating, weights=weights)[0]
        return muni, rng.choices(muni.places, weights=[p.weight for p in muni.places])[0]

    def address(self, place: Place, dwelling_type: str) -> tuple[str, str]:
        rng = self.rng
        while True:
            street, area = rng.choice(place.streets)
            number = str(rng.randint(1, 180))
            if dwelling_type == DType.APARTMENT:
                number += rng.choice("ABCD")
            letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
            address = f"{street} {number}"
            if address not in self.addresses:
                self.addresses.add(address)
                return address, f"{area} {letters}"

    def plan(
        self, place_name: str | None, dwelling_type: str, remarks: str, status: str, urgent: bool
    ) -> VacancyPlan:
        rng = self.rng
        muni_spec, place = self.place(place_name)
        street, postcode = self.address(place, dwelling_type)
        vacancy = Vacancy(
            corporation=self.corporations[rng.choice(muni_spec.corporations)],
            municipality=self.municipalities[muni_spec.cbs_code],
            street=street,
            postcode=postcode,
            place=place.name,
            dwelling_type=dwelling_type,
            remarks=remarks or DWELLING_REMARKS.get(dwelling_type, ""),
            service_charges=Decimal(rng.randint(2000, 8000)) / 100,
        )
        self.dwelling(vacancy)
        available, deadline = self.dates(status, urgent)
        vacancy.available_from = self.today + datetime.timedelta(days=available)
        vacancy.return_deadline = self.today + datetime.timedelta(days=deadline)
        return_reason = rng.choice(RETURN_REASONS) if status == VStatus.RETURNED else ""
        # Submitted one to four weeks before it is free, and in any case in the last ten days.
        submitted = min(
            vacancy.available_from - datetime.timedelta(days=rng.randint(7, 28)),
            self.today - datetime.timedelta(days=rng.randint(1, 10)),
        )
        created_at = aware(submitted, rng.randint(8, 17), rng.randint(0, 59))
        handled = submitted + datetime.timedelta(days=rng.randint(1, 3))
        changed_at = aware(handled, rng.randint(8, 17), rng.randint(0, 59))
        if status == VStatus.SUBMITTED:
            changed_at = created_at
        return VacancyPlan(vacancy, status, return_reason, created_at, changed_at)

    def dwelling(self, vacancy: Vacancy) -> None:
        """Size, floor, accessibility and rent that fit the dwelling type."""
        rng = self.rng

        def rent(low: int, high: int) -> Decimal:
            return Decimal(rng.randint(low * 100, high * 100)) / 100

        match vacancy.dwelling_type:
            case DType.SINGLE_FAMILY:
                vacancy.bedrooms = rng.choice((2, 3, 3, 3, 4, 4, 5))
                vacancy.rooms = vacancy.bedrooms + 1
                vacancy.floor_area = 70 + 12 * vacancy.bedrooms + rng.randint(0, 15)
                vacancy.base_rent = rent(640, 900)
            case DType.APARTMENT:
                vacancy.bedrooms = rng.choice((1, 1, 2, 2, 2, 3))
                vacancy.rooms = vacancy.bedrooms + 1
                vacancy.floor_area = 40 + 15 * vacancy.bedrooms + rng.randint(0, 12)
                vacancy.floor = rng.choice((0, 1, 1, 2, 2, 3, 4, 6, 8))
                vacancy.has_lift = vacancy.floor >= 3 or (vacancy.floor > 0 and rng.random() < 0.3)
                vacancy.wheelchair_accessible = (
                    vacancy.floor == 0 or vacancy.has_lift
                ) and rng.random() < 0.2
                vacancy.base_rent = rent(480, 760)
            case DType.SENIOR:
                vacancy.bedrooms = rng.choice((1, 1, 2))
                vacancy.rooms = vacancy.bedrooms + 1
                vacancy.floor_area = rng.randint(45, 70)
                vacancy.floor = rng.choice((0, 0, 0, 1, 2))
                vacancy.has_lift = vacancy.floor > 0
                vacancy.wheelchair_accessible = rng.random() < 0.6
                vacancy.base_rent = rent(470, 690)
            case DType.SHARED:
                vacancy.places = rng.randint(2, 4)
                vacancy.bedrooms = vacancy.places
                vacancy.rooms = vacancy.places + 1  # a bedroom each and a shared living room
                vacancy.floor_area = 55 + 14 * vacancy.places + rng.randint(0, 10)
                vacancy.floor = rng.choice((0, 1, 2))
                vacancy.base_rent = rent(450, 560)  # per room: see the remarks
            case DType.FLEX:
                vacancy.rooms = rng.randint(1, 3)
                vacancy.bedrooms = vacancy.rooms - 1  # a studio has no separate bedroom
                vacancy.floor_area = 24 + 14 * vacancy.rooms + rng.randint(0, 6)
                vacancy.floor = rng.choice((0, 0, 1))
                vacancy.base_rent = rent(450, 600)

    def dates(self, status: str, urgent: bool) -> tuple[int, int]:
        """Available-from and return-deadline offsets in days from today."""
        rng = self.rng
        if urgent:
            # Available since up to a week, deadline two weeks or a bit more after that, so it
            # falls within the next fortnight.
            available = -rng.randint(1, 7)
            return available, available + 14 + rng.randint(0, -available - 1)
        if status == VStatus.LET:
            available = rng.randint(-7, 0)
        elif status == VStatus.SUBMITTED:
            available = rng.randint(10, 40)
        else:
            available = rng.randint(0, 35)
        return available, available + 7 * rng.randint(2, 6)


class PlacementPlanner(VacancyPlanner):
    """Draws the let dwelling and the lease of each housed or lease-signed household of a region;
    the same draws on every run. Addresses never repeat those of the open vacancies."""

    def __init__(
        self,
        spec: RegionSpec,
        municipalities: dict[str, Municipality],
        corporations: dict[str, Organisation],
        today: datetime.date,
        taken_addresses: set[str],
    ):
        super().__init__(spec, municipalities, corporations, today)
        self.rng = random.Random(f"{SEED}-{spec.code}-placements")
        self.addresses = set(taken_addresses)
        self.spec_by_code = {m.cbs_code: m for m in self.participating}

    def placements(self, households: list[HouseholdPlan]) -> list[PlacementPlan]:
        housed = [h for h in households if h.status == HStatus.HOUSED]
        signed = [h for h in households if h.status == HStatus.LEASE_SIGNED]
        # Housed: lease starts spread evenly (one random day in each equal slice) from
        # HISTORY_START to two weeks ago, so the move-in and the report to COA are past too.
        last = max(self.today - datetime.timedelta(days=14), HISTORY_START)
        span = (last - HISTORY_START).days
        plans = []
        for i, household in enumerate(housed):
            offset = int(span * (i + self.rng.random()) / len(housed))
            plans.append(self.plan_for(household, HISTORY_START + datetime.timedelta(offset)))
        # Lease signed: the lease started in the last three weeks or starts within four.
        for household in signed:
            offset = self.rng.randint(-21, 28)
            plans.append(self.plan_for(household, self.today + datetime.timedelta(offset)))
        return plans

    def plan_for(self, household: HouseholdPlan, lease_start: datetime.date) -> PlacementPlan:
        rng, today, days = self.rng, self.today, datetime.timedelta
        # Every draw is made whatever the outcome, so one household never shifts the next.
        signed_before, signed_ago = rng.randint(3, 14), rng.randint(0, 6)
        lease_signed_on = lease_start - days(signed_before)
        if lease_signed_on > today:
            lease_signed_on = today - days(signed_ago)
        nominated_on = lease_signed_on - days(rng.randint(10, 28))
        viewing_on = min(nominated_on + days(rng.randint(3, 8)), lease_signed_on - days(1))
        move_in_date = lease_start + days(rng.randint(1, 6))
        reported = lease_start + days(rng.randint(5, 10))
        reported_now = rng.random() < REPORTED_TO_COA_SHARE and reported <= today
        # Linked at least two weeks before the nomination: a household the seed linked more
        # recently is moved back to between three and ten weeks before it.
        earliest_link = nominated_on - days(rng.randint(21, 70))
        plan_link = household.household.link_date
        link_date = plan_link if plan_link <= nominated_on - days(14) else earliest_link
        registered = link_date + days(rng.randint(0, 3))
        vacancy, submitted_on = self.dwelling_for(household, lease_start, nominated_on)
        housed = household.status == HStatus.HOUSED
        status_changed_on = move_in_date if housed else lease_signed_on
        return PlacementPlan(
            key=household.key,
            status=household.status,
            vacancy=vacancy,
            vacancy_created_at=aware(submitted_on, rng.randint(8, 17), rng.randint(0, 59)),
            nominated_at=aware(nominated_on, rng.randint(9, 16), rng.randint(0, 59)),
            viewing_at=aware(viewing_on, rng.randint(9, 16), rng.choice((0, 15, 30, 45))),
            lease_signed_on=lease_signed_on,
            lease_start=lease_start,
            move_in_date=move_in_date if housed else None,
            reported_to_coa_on=reported if housed and reported_now else None,
            link_date=link_date,
            household_created_at=aware(registered, rng.randint(9, 16), rng.randint(0, 59)),
            status_changed_at=aware(status_changed_on, rng.randint(9, 16), rng.randint(0, 59)),
        )

    def dwelling_for(
        self, household: HouseholdPlan, lease_start: datetime.date, nominated_on: datetime.date
    ) -> tuple[Vacancy, datetime.date]:
        """A dwelling that fits the household, mostly in its linked municipality; returns it
        (unsaved, let) and the day the corporation offered it."""
        rng, days = self.rng, datetime.timedelta
        linked = household.household.linked_municipality.cbs_code
        others = [m for m in self.participating if m.cbs_code != linked]
        elsewhere = rng.random() < OTHER_MUNICIPALITY_SHARE and others
        muni_spec = (
            rng.choices(others, weights=[m.population for m in others])[0]
            if elsewhere
            else self.spec_by_code[linked]
        )
        place = rng.choices(muni_spec.places, weights=[p.weight for p in muni_spec.places])[0]
        size = len(household.members)  # family members expected later included
        needs = household.household
        if needs.needs_wheelchair_access:
            dwelling_type = DType.SENIOR if size <= 2 else DType.SINGLE_FAMILY
        elif size == 1:
            dwelling_type = weighted(rng, {DType.APARTMENT: 5, DType.FLEX: 3, DType.SENIOR: 1})
        elif size == 2:
            dwelling_type = weighted(rng, {DType.APARTMENT: 5, DType.SENIOR: 1, DType.FLEX: 1})
        elif size <= 4:
            dwelling_type = weighted(rng, {DType.APARTMENT: 2, DType.SINGLE_FAMILY: 3})
        else:
            dwelling_type = DType.SINGLE_FAMILY
        street, postcode = self.address(place, dwelling_type)
        vacancy = Vacancy(
            corporation=self.corporations[rng.choice(muni_spec.corporations)],
            municipality=self.municipalities[muni_spec.cbs_code],
            street=street,
            postcode=postcode,
            place=place.name,
            dwelling_type=dwelling_type,
            remarks=DWELLING_REMARKS.get(dwelling_type, ""),
            service_charges=Decimal(rng.randint(2000, 8000)) / 100,
            status=VStatus.LET,
        )
        self.dwelling(vacancy)
        # Enough bedrooms for two persons each (a studio counts as one), sometimes one more.
        needed = max(1, -(-size // 2))
        spare = rng.random() < 0.3
        if dwelling_type == DType.FLEX:
            vacancy.rooms = max(vacancy.rooms, 1 if size == 1 else needed + 1)
            vacancy.bedrooms = vacancy.rooms - 1
            vacancy.floor_area = max(vacancy.floor_area, 24 + 14 * vacancy.rooms)
        elif vacancy.bedrooms < needed or (spare and vacancy.bedrooms == needed):
            vacancy.bedrooms = needed + spare
            vacancy.rooms = vacancy.bedrooms + 1
        if dwelling_type != DType.FLEX:
            base, per_bedroom = {
                DType.SINGLE_FAMILY: (70, 12),
                DType.APARTMENT: (40, 15),
                DType.SENIOR: (35, 12),
            }[dwelling_type]
            vacancy.floor_area = max(
                vacancy.floor_area, base + per_bedroom * vacancy.bedrooms + rng.randint(0, 12)
            )
        if needs.needs_wheelchair_access:
            vacancy.floor, vacancy.wheelchair_accessible = 0, True
        elif needs.needs_ground_floor and vacancy.floor > 0:
            vacancy.has_lift = True
        # Suitable allocation: at or below the rent cap (2025: EUR 682.96 for one or two
        # persons, 731.93 for three or more).
        low, high = (470, 680) if size <= 2 else (560, 730)
        vacancy.base_rent = Decimal(rng.randint(low * 100, high * 100)) / 100
        vacancy.available_from = lease_start - days(rng.randint(0, 10))
        vacancy.return_deadline = max(vacancy.available_from, nominated_on) + days(
            rng.randint(7, 28)
        )
        submitted_on = min(nominated_on, vacancy.available_from) - days(rng.randint(7, 21))
        return vacancy, submitted_on


# --- The command ------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Load demo data: the Drechtsteden and Woerden e.o. regions with partners, demo users "
        "(password 'demo'), households and vacancies. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        with transaction.atomic():
            admin = self.admin_user()
            self.provinces = {
                code: Province.objects.update_or_create(code=code, defaults={"name": name})[0]
                for code, name in PROVINCES.items()
            }
            results = [self.seed_region(spec, today) for spec in REGIONS]
            province_users = [self.province_user(u) for u in PROVINCE_USERS]
        self.report(results, admin, province_users)

    def seed_region(self, spec: RegionSpec, today: datetime.date) -> RegionResult:
        region, _ = Region.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "meeting_week": WeekOfMonth.THIRD,
                "meeting_weekday": Weekday.TUESDAY,
            },
        )
        municipalities = {
            m.cbs_code: Municipality.objects.update_or_create(
                cbs_code=m.cbs_code,
                defaults={
                    "region": region,
                    "name": m.name,
                    "population": m.population,
                    "participates": m.participates,
                    "province": self.provinces[m.province or spec.province],
                },
            )[0]
            for m in spec.municipalities
        }
        region.central_municipality = municipalities[spec.central_cbs_code]
        region.save(update_fields=["central_municipality"])
        organisations = self.organisations(spec, region, municipalities)
        result = RegionResult(region)
        result.users = [
            self.demo_user(u, organisations) for u in DEMO_USERS if u.region_code == spec.code
        ]
        coordinator = next(u for u in result.users if u.membership.role == Role.COORDINATOR)

        household_plans = HouseholdPlanner(spec, municipalities, today).plans()
        result.households_new = self.create_households(household_plans, coordinator)
        corporations = {
            name: org for name, org in organisations.items() if org.kind == Kind.CORPORATION
        }
        vacancy_planner = VacancyPlanner(spec, municipalities, corporations, today)
        vacancy_plans = vacancy_planner.plans()
        result.vacancies_new = self.create_vacancies(vacancy_plans, region, result.users)

        placement_plans = PlacementPlanner(
            spec, municipalities, corporations, today, vacancy_planner.addresses
        ).placements(household_plans)
        result.placements_new = self.create_placements(placement_plans, region, result.users)
        result.nominations_new = self.create_open_nominations(
            region, coordinator, spec.open_nominations
        )
        self.caseloads(region, organisations, coordinator)
        seed_participants(region=region, users=result.users, today=today)
        self.quota(spec, region, municipalities)
        self.billing(spec, region)
        return result

    # How many open households each support organisation has in its caseload, and how many of
    # those with income / medical notes granted: the partner persona sees its caseload in full
    # and only the meeting data of the rest (regions.access.disclosed_groups).
    CASELOAD_SIZE, CASELOAD_INCOME, CASELOAD_MEDICAL = 8, 3, 1

    def caseloads(self, region: Region, organisations: dict[str, Organisation], coordinator):
        open_households = list(
            Household.objects.filter(linked_municipality__region=region)
            .open()
            .order_by("link_date", "id")[: self.CASELOAD_SIZE]
        )
        for organisation in organisations.values():
            if organisation.kind != Kind.SUPPORT:
                continue
            for index, household in enumerate(open_households):
                SupportLink.objects.get_or_create(
                    household=household,
                    organisation=organisation,
                    defaults={
                        "may_see_income": index < self.CASELOAD_INCOME,
                        "may_see_medical": index < self.CASELOAD_MEDICAL,
                        "created_by": coordinator,
                    },
                )

    def organisations(
        self, spec: RegionSpec, region: Region, municipalities: dict[str, Municipality]
    ) -> dict[str, Organisation]:
        rows: list[tuple[str, str, str | None]] = [(spec.desk, Kind.DESK, spec.central_cbs_code)]
        rows += [
            (f"Gemeente {m.name}", Kind.MUNICIPALITY, m.cbs_code)
            for m in spec.municipalities
            if m.participates
        ]
        rows += [(name, Kind.CORPORATION, cbs) for name, cbs in spec.corporations]
        rows += [(name, Kind.SUPPORT, cbs) for name, cbs in spec.support]
        return {
            name: Organisation.objects.update_or_create(
                region=region,
                name=name,
                defaults={"kind": kind, "municipality": municipalities.get(cbs)},
            )[0]
            for name, kind, cbs in rows
        }

    def demo_user(self, spec: DemoUser, organisations: dict[str, Organisation]):
        user = self.user(spec.username, spec.first_name, spec.last_name)
        membership, _ = Membership.objects.update_or_create(
            user=user,
            defaults={"organisation": organisations[spec.organisation], "role": spec.role},
        )
        membership.full_clean()  # the role must fit the organisation's kind
        return user

    def province_user(self, spec: DemoUser):
        province = self.provinces[spec.region_code]
        organisation, _ = Organisation.objects.update_or_create(
            province=province,
            name=spec.organisation,
            defaults={"kind": Kind.PROVINCE, "region": None, "municipality": None},
        )
        user = self.user(spec.username, spec.first_name, spec.last_name)
        membership, _ = Membership.objects.update_or_create(
            user=user, defaults={"organisation": organisation, "role": spec.role}
        )
        membership.full_clean()
        return user

    def admin_user(self):
        user = self.user(ADMIN_USERNAME, "Beheerder", "", is_staff=True, is_superuser=True)
        Membership.objects.filter(user=user).delete()  # admin-only: no region, no app pages
        return user

    def user(self, username: str, first_name: str, last_name: str, **flags):
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.first_name = first_name
        user.last_name = last_name
        user.email = f"{username}@demo.example"
        user.is_active = True
        user.is_staff = flags.get("is_staff", False)
        user.is_superuser = flags.get("is_superuser", False)
        user.set_password(DEMO_PASSWORD)  # reset on every run: the demo password is always demo
        user.save()
        return user

    def create_households(self, plans: list[HouseholdPlan], coordinator) -> int:
        existing = set(
            Person.objects.filter(
                v_number__in=[p.key for p in plans], role=Person.Role.MAIN
            ).values_list("v_number", flat=True)
        )
        created = 0
        for plan in plans:
            if plan.key in existing:
                continue
            household = household_create(
                household=plan.household, members=plan.members, by=coordinator
            )
            # Seeding: set the status the workflow would have reached, with plausible dates.
            # An own home: registered in the linked municipality on the day of the change.
            own_home = plan.status == Household.Status.OWN_HOME
            Household.objects.filter(pk=household.pk).update(
                status=plan.status,
                status_reason=plan.status_reason,
                status_changed_at=plan.status_changed_at,
                created_at=plan.created_at,
                own_home_municipality_id=household.linked_municipality_id if own_home else None,
                own_home_date=max(plan.status_changed_at.date(), household.link_date)
                if own_home
                else None,
            )
            created += 1
        return created

    def create_vacancies(self, plans: list[VacancyPlan], region: Region, users: list) -> int:
        existing = set(
            Vacancy.objects.filter(municipality__region=region).values_list("street", "postcode")
        )
        coordinator = next(u for u in users if u.membership.role == Role.COORDINATOR)
        # Trivire's demo user submits its own vacancies; the desk enters the others for them.
        submitters = {
            u.membership.organisation_id: u for u in users if u.membership.role == Role.CORPORATION
        }
        created = 0
        for plan in plans:
            if plan.key in existing:
                continue
            vacancy = vacancy_submit(
                vacancy=plan.vacancy,
                by=submitters.get(plan.vacancy.corporation_id, coordinator),
            )
            Vacancy.objects.filter(pk=vacancy.pk).update(
                status=plan.status,
                return_reason=plan.return_reason,
                created_at=plan.created_at,
                status_changed_at=plan.status_changed_at,
            )
            created += 1
        return created

    def create_placements(self, plans: list[PlacementPlan], region: Region, users: list) -> int:
        """The let dwelling and the lease behind each housed or lease-signed household that has
        none yet. Rows are written directly: this is the past, and the workflow services refuse
        back-dated steps; the database constraints still hold."""
        coordinator = next(u for u in users if u.membership.role == Role.COORDINATOR)
        submitters = {
            u.membership.organisation_id: u for u in users if u.membership.role == Role.CORPORATION
        }
        households = {
            p.v_number: p.household
            for p in Person.objects.filter(
                v_number__in=[plan.key for plan in plans], role=Person.Role.MAIN
            ).select_related("household")
        }
        # A household has at most one holding nomination: one that has any is left alone.
        holding = set(
            Nomination.objects.holding()
            .filter(household__in=households.values())
            .values_list("household_id", flat=True)
        )
        vacancies = {
            (v.street, v.postcode): v
            for v in Vacancy.objects.filter(
                municipality__region=region,
                status=VStatus.LET,
                street__in=[plan.vacancy.street for plan in plans],
            )
        }
        created = 0
        for plan in plans:
            household = households.get(plan.key)
            if household is None or household.pk in holding or household.status != plan.status:
                continue  # not seeded here, already placed, or moved on while demonstrating
            vacancy = vacancies.get((plan.vacancy.street, plan.vacancy.postcode))
            if vacancy is None:
                vacancy = plan.vacancy
                vacancy.submitted_by = submitters.get(vacancy.corporation_id, coordinator)
                vacancy.save()
                Vacancy.objects.filter(pk=vacancy.pk).update(
                    created_at=plan.vacancy_created_at,
                    status_changed_at=aware(plan.lease_signed_on, 16),
                )
            elif vacancy.nominations.holding().exists():
                continue
            housed = plan.status == HStatus.HOUSED
            nomination = Nomination.objects.create(
                vacancy=vacancy,
                place=1,
                household=household,
                status=Nomination.Status.HOUSED if housed else Nomination.Status.LEASE_SIGNED,
                score=0,
                viewing_at=plan.viewing_at,
                lease_signed_on=plan.lease_signed_on,
                lease_start=plan.lease_start,
                move_in_date=plan.move_in_date,
                reported_to_coa_on=plan.reported_to_coa_on,
                nominated_by=coordinator,
            )
            Nomination.objects.filter(pk=nomination.pk).update(created_at=plan.nominated_at)
            changes = {"status_changed_at": plan.status_changed_at}
            if household.link_date > plan.link_date:
                # Linked before it was nominated; the reference carries the link year, as
                # household_create makes it.
                changes |= {
                    "link_date": plan.link_date,
                    "created_at": plan.household_created_at,
                    "reference": f"{region.code}-{plan.link_date.year}-{household.pk:05d}",
                }
            Household.objects.filter(pk=household.pk).update(**changes)
            created += 1
        return created

    def create_open_nominations(self, region: Region, coordinator, wanted: int) -> int:
        """Nominate a few searching households, through the workflow, on vacancies the desk has
        taken on, so the pipeline and the meeting have open nominations. Only while the region
        has no nomination awaiting the corporation yet. The vacancies with the latest return
        deadline go first: the urgent ones stay open for the dashboard's warning."""
        if Nomination.objects.filter(
            vacancy__municipality__region=region, status=Nomination.Status.NOMINATED
        ).exists():
            return 0
        today = candidates.today()
        caps = candidates.rent_caps()
        match_settings = matching.MatchSettings.from_settings()
        vacancies = (
            Vacancy.objects.awaiting_nomination()
            .filter(municipality__region=region, places=1)
            .select_related("municipality")
            .order_by("-return_deadline", "street", "postcode")
        )
        created = 0
        for vacancy in vacancies:
            if created >= wanted:
                break
            waiting = candidates.nominatable_households(region.pk).filter(status=HStatus.SEARCHING)
            ranked = matching.rank(
                candidates.to_dwelling(vacancy, caps),
                candidates.to_candidates(waiting.order_by("link_date", "reference")),
                match_settings,
                today,
            )
            households = {h.pk: h for h in waiting}
            for explanation in ranked:
                try:
                    nomination_create(
                        vacancy=vacancy,
                        household=households[explanation.household.id],
                        by=coordinator,
                        today=today,
                    )
                except NominationRefused:
                    continue
                created += 1
                break
        return created

    def quota(
        self, spec: RegionSpec, region: Region, municipalities: dict[str, Municipality]
    ) -> None:
        """Periods, and a target per participating municipality and period. Only the first
        period's opening balance is set; later ones carry the closing balance."""
        QuotaRule.for_region(region)  # the default counting rule, unless one was chosen
        for year, half in QUOTA_PERIODS:
            period, _ = QuotaPeriod.objects.get_or_create(year=year, half=half)
            first = (year, half) == QUOTA_OPENING_PERIOD
            for m in spec.municipalities:
                if not m.participates:
                    continue
                opening = round(QUOTA_OPENING[m.cbs_code] * QUOTA_DEMO_SCALE) if first else None
                QuotaTarget.objects.update_or_create(
                    period=period,
                    municipality=municipalities[m.cbs_code],
                    defaults={
                        "net_target": round(
                            m.population * QUOTA_RATE[(year, half)] * QUOTA_DEMO_SCALE / 1000
                        ),
                        "opening_override": opening,
                        "override_reason": QUOTA_OPENING_REASON if opening is not None else "",
                    },
                )

    def billing(self, spec: RegionSpec, region: Region) -> None:
        for year, method, amount_field, amount, notes in COST_KEYS[spec.code]:
            amounts = {"tariff": None, "budget": None, "fixed_amount": None, amount_field: amount}
            CostKey.objects.update_or_create(
                region=region, year=year, defaults={"method": method, "notes": notes, **amounts}
            )
        sender, address, iban, term = BILLING_PROFILES[spec.code]
        BillingProfile.objects.update_or_create(
            region=region,
            defaults={
                "sender_name": sender,
                "sender_address": address,
                "iban": iban,
                "payment_term_days": term,
            },
        )

    @staticmethod
    def amount(key: CostKey) -> str:
        if key.method == Method.PER_PERSON:
            return f"{euro(key.tariff)} per persoon"
        if key.method == Method.PER_HOUSEHOLD:
            return f"{euro(key.tariff)} per huishouden"
        if key.method == Method.FIXED:
            return f"{euro(key.fixed_amount)} per gemeente per jaar"
        return f"budget {euro(key.budget)} per jaar"

    def report(self, results: list[RegionResult], admin, province_users=()) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS("Demodata geladen."))
        for result in results:
            region = result.region
            households = Household.objects.filter(linked_municipality__region=region)
            by_status = dict(
                households.order_by("status")
                .values("status")
                .annotate(n=Count("id"))
                .values_list("status", "n")
            )
            persons = Person.objects.filter(household__in=households).count()
            vacancies = Vacancy.objects.filter(municipality__region=region).count()
            write(
                f"  {region.name} ({region.code}): "
                f"{region.municipalities.count()} gemeenten, "
                f"{region.organisations.count()} organisaties, "
                f"{households.count()} huishoudens ({result.households_new} nieuw, "
                f"{persons} personen), "
                f"{vacancies} woningen ({result.vacancies_new} nieuw)"
            )
            write("    status huishoudens: " + ", ".join(f"{s} {n}" for s, n in by_status.items()))
            nominations = Nomination.objects.filter(vacancy__municipality__region=region)
            placed = nominations.filter(
                status__in=[Nomination.Status.LEASE_SIGNED, Nomination.Status.HOUSED]
            )
            write(
                f"    plaatsingen: {placed.count()} ({result.placements_new} nieuw), "
                f"open voordrachten: {nominations.awaiting_outcome().count()} "
                f"({result.nominations_new} nieuw)"
            )
            keys = CostKey.objects.filter(region=region).order_by("year")
            with translation.override("nl"):
                lines = [f"{k.year} {k.get_method_display()} ({self.amount(k)})" for k in keys]
                write("    kostenverdeelsleutels: " + "; ".join(lines))
        periods = QuotaPeriod.objects.order_by("year", "half")
        targets = QuotaTarget.objects.filter(period__in=periods).count()
        write(
            f"  Taakstellingsperiodes: {', '.join(str(p) for p in periods)} "
            f"({targets} taakstellingen)"
        )

        rows = [("gebruikersnaam", "wachtwoord", "rol", "organisatie")]
        with translation.override("nl"):
            for result in results:
                for user in result.users:
                    membership = user.membership
                    organisation = f"{membership.organisation} ({result.region.name})"
                    rows.append(
                        (
                            user.username,
                            DEMO_PASSWORD,
                            str(membership.get_role_display()),
                            organisation,
                        )
                    )
            for user in province_users:
                membership = user.membership
                rows.append(
                    (
                        user.username,
                        DEMO_PASSWORD,
                        str(membership.get_role_display()),
                        str(membership.organisation),
                    )
                )
        rows.append((admin.username, DEMO_PASSWORD, "superuser (Django-beheer)", "—"))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        write("")
        write(self.style.MIGRATE_HEADING(f"Demo-gebruikers (wachtwoord: {DEMO_PASSWORD})"))
        for i, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            line = "  ".join(cells).rstrip()
            write(self.style.MIGRATE_LABEL(line) if i == 0 else line)
