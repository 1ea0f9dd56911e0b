"""The demo's data tables: regions and municipalities (real names, CBS codes and provinces),
organisations, demo users, names by origin, household compositions, streets, dwelling remarks,
and the quota and billing figures. Plain data: the planners (``demo.planners``) draw from it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from billing.models import CostKey
from placement.models import Household, Nomination, Vacancy
from regions.models import Organisation, Role

SEED = 20250916
DEMO_PASSWORD = "demo"

Kind = Organisation.Kind
HStatus = Household.Status
VStatus = Vacancy.Status
DType = Vacancy.DwellingType
Refusal = Nomination.RefusalReason


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
    quota_opening: int | None = None  # persons on the first period's opening; else QUOTA_OPENING


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
    # Generated regions (``demo.scales``) carry these; the demo's come from the tables below.
    v_number_base: int | None = None
    coa_locations: tuple[str, ...] = ()
    # Share of the households linked six weeks ago or more that have a lease (then housed
    # from ``housed_from_weeks`` on): the rest wait, found an own home or were withdrawn.
    placed_share: float = 0.40
    housed_share: float = 0.30
    # The demo's leases of households linked six to eight weeks ago are all still to start; a
    # large region's pool is mostly recent, so there that would be a tenth of its households.
    housed_from_weeks: int = 8
    # Share of the leases whose dwelling another household was nominated for first and refused
    # (``demo.planners.meetings``): in the meeting before, or between meetings before the year
    # of meetings the demo holds.
    refused_share: float = 0.25


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
# The earlier rates (2022-I to 2025-I, for the national scale) follow the state's half-yearly
# tasks only roughly: plausible, not the published figures.
QUOTA_RATE = {
    (2022, 1): Decimal("0.77"),
    (2022, 2): Decimal("1.16"),
    (2023, 1): Decimal("1.07"),
    (2023, 2): Decimal("1.40"),
    (2024, 1): Decimal("1.12"),
    (2024, 2): Decimal("1.12"),
    (2025, 1): Decimal("0.95"),
    (2025, 2): Decimal("1.03"),
    (2026, 1): Decimal("1.08"),
    (2026, 2): Decimal("1.06"),
}
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


# --- The year of regional meetings (demo.planners.meetings, demo.planners.agendas) -------------

# Share of the leases in the year of meetings nominated between two meetings (the dwelling was
# on the agenda of the meeting before, and its return deadline would not wait for the next one);
# the rest were nominated in a meeting.
BETWEEN_MEETINGS_SHARE = 0.15
# Refusals before a lease, by coded reason (weights); health and condition count as justified.
REFUSAL_WEIGHTS = {
    Refusal.LOCATION: 5,
    Refusal.TOO_SMALL: 2,
    Refusal.HEALTH: 1,
    Refusal.CONDITION: 1,
    Refusal.NO_SHOW: 1,
}
JUSTIFIED_REFUSALS = (Refusal.HEALTH, Refusal.CONDITION)
# Share of the non-desk organisations at the table that come to a given meeting.
ATTENDANCE_SHARE = 0.85
# What the desk noted, besides the figures of the meeting (one a meeting, in turn).
MEETING_TOPICS = (
    "Stand van de taakstelling per gemeente doorgenomen.",
    "Afspraak: corporaties melden vrijkomende woningen uiterlijk twee weken voor het overleg aan.",
    "Nareizigers: de gezinsgrootte van de grote gezinnen op de lijst opnieuw nagaan bij COA.",
    "Begeleiding na huisvesting: VluchtelingenWerk neemt binnen een week na de sleuteloverdracht "
    "contact op.",
    "Omkoppelingen bij COA aangevraagd voor de huishoudens die buiten hun gemeente een woning "
    "kregen.",
    "Flexwoningen: de oplevering van de volgende fase besproken met de corporaties.",
    "Bezichtigingen: graag met tolk plannen wanneer het huishouden daarom vraagt.",
)
# Notes beside an agenda item, by what happened to it.
VACANCY_DECIDED_NOTES = (
    "Voorstel voor de hele vergadering gevolgd.",
    "Corporatie akkoord met de voordracht.",
    "Besproken met de gemeente van de woning: akkoord.",
)
VACANCY_DEFERRED_NOTE = "Geen passend huishouden op de lijst; volgende keer opnieuw."
NOMINATION_DEFERRED_NOTE = "Bezichtiging loopt; uitkomst in het volgende overleg."
# A waiting household whose family members are still abroad is taken off the agenda by hand:
# the size of the dwelling it needs is known once they have arrived.
DROPPED_REUNIFICATION = "Van de agenda tot de nareizigers er zijn: dan is de gezinsgrootte bekend."
# Billing of the ended periods: issued two weeks after the period, most paid within the term;
# one credit note per region, for a part of the interpreters' costs the state paid back.
INVOICE_ISSUE_AFTER_DAYS = 14
INVOICE_PAID_SHARE = 0.8
CREDIT_NOTE_PERCENT = 5
CREDIT_NOTE_REASON = (
    "Rijksbijdrage tolkkosten {period} ontvangen: {percent} % van de bijdrage terug naar de "
    "gemeente."
)
