"""Deterministic synthetic council data for demos, tests and benchmarks, streamed in batches."""

from __future__ import annotations

import functools
import gc
import itertools
import random
import re
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from faker import Faker

from app.models.base import Syncable
from app.models.entities import (
    Assessment,
    Case,
    Household,
    HouseholdMember,
    HouseholdRole,
    Language,
    MarkerStatus,
    Note,
    NoteKind,
    Person,
    Property,
    Referral,
    ReferralStatus,
    Relationship,
    Role,
    Task,
    TaskKind,
    TaskStatus,
    Team,
    Tenure,
    Urgency,
    User,
    Visibility,
    WarningMarker,
)
from app.models.validation import (
    ValidationError,
    nhs_check_digit,
    normalise_postcode,
)
from app.models.workflow import (
    CASE_TYPES,
    CLOSED,
    SERVICE_LABELS,
    CaseType,
    Priority,
    Service,
    add_working_days,
    case_types_for,
    target_for,
)

__all__ = ["Batch", "DemoUser", "demo_tenant_id", "demo_users", "generate_council"]

Row = dict[str, object]

# A fixed namespace so a seed names the same tenant on every laptop and on the platform.
_DEMO_NAMESPACE = uuid.UUID("5f0c2a36-8d1e-4c8b-9a57-3f1f4e2b7d10")

NFA_POSTCODE = "ZZ99 3VZ"
"""The NHS pseudo-postcode for a person of no fixed abode."""


@dataclass(frozen=True)
class DemoUser:
    """A demo council worker, with the plain demo password the platform hashes when seeding."""

    username: str
    display_name: str
    role: str
    team_id: uuid.UUID
    password: str
    id: uuid.UUID
    service: str


@dataclass(frozen=True)
class Batch:
    """Rows of one table, keyed by column name, ready for ``insert(model.__table__)``."""

    model: type[Syncable]
    rows: list[Row]


def demo_tenant_id(seed: int) -> uuid.UUID:
    """The demo council's tenant id for ``seed``; the same on every machine."""
    return uuid.uuid5(_DEMO_NAMESPACE, f"tenant:{seed}")


# --- The organisation: teams and users -------------------------------------------------------

# Housing patches run north/south and social care patches east/west, as in many councils
# whose directorates drew their boundaries separately.
_TEAM_PLAN: dict[Service, tuple[tuple[str, str | None], ...]] = {
    Service.HOUSING_REPAIRS: (("Repairs North", "north"), ("Repairs South", "south")),
    Service.TENANCY_MANAGEMENT: (
        ("Tenancy Management North", "north"),
        ("Tenancy Management South", "south"),
    ),
    Service.HOMELESSNESS: (("Housing Options", None),),
    Service.ADULT_SOCIAL_CARE: (
        ("Adult Social Care East", "east"),
        ("Adult Social Care West", "west"),
    ),
    Service.CHILDRENS_EARLY_HELP: (("Early Help East", "east"), ("Early Help West", "west")),
}
_OFFICERS_PER_TEAM = 4

# The accounts the README shows; fixed names so the docs never depend on the seed.
_NAMED_USERS: tuple[tuple[str, str, Role, Service, str], ...] = (
    ("housing.officer", "Alex Morgan", Role.FIELD_OFFICER, Service.TENANCY_MANAGEMENT, "1"),
    ("social.worker", "Jordan Evans", Role.FIELD_OFFICER, Service.ADULT_SOCIAL_CARE, "2"),
    ("team.lead", "Sam Okafor", Role.TEAM_LEAD, Service.TENANCY_MANAGEMENT, "3"),
)
_NAMED_WEIGHT = 5  # named demo officers carry a bigger caseload so the demo has something to show


@dataclass(frozen=True)
class _Team:
    id: uuid.UUID
    name: str
    service: Service
    locality: str | None


@dataclass
class _Organisation:
    teams: list[_Team] = field(default_factory=list)
    users: list[DemoUser] = field(default_factory=list)
    lead: dict[uuid.UUID, DemoUser] = field(default_factory=dict)
    officers: dict[uuid.UUID, list[DemoUser]] = field(default_factory=dict)
    officer_weights: dict[uuid.UUID, list[int]] = field(default_factory=dict)
    by_service: dict[Service, list[_Team]] = field(default_factory=dict)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128) & _UUID_CLEAR | _UUID_V4)


def _ascii_letters(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def _username(given: str, family: str) -> str:
    return f"{_ascii_letters(given)}.{_ascii_letters(family)}"


def _organisation(seed: int) -> _Organisation:
    # Its own generators, so demo_users(seed) matches generate_council(..., seed) exactly.
    rng = random.Random(f"doorstep-org:{seed}")
    fake = Faker("en_GB")
    fake.seed_instance(f"doorstep-org:{seed}")
    org = _Organisation()
    taken = {name for name, *_ in _NAMED_USERS}
    next_password = len(_NAMED_USERS) + 1
    for service in Service:
        plan = _TEAM_PLAN.get(service) or ((SERVICE_LABELS.get(service, str(service)), None),)
        for index, (name, locality) in enumerate(plan):
            team = _Team(_uuid(rng), name, service, locality)
            org.teams.append(team)
            org.by_service.setdefault(service, []).append(team)
            named = {
                role: (username, display, password)
                for username, display, role, named_service, password in _NAMED_USERS
                if named_service is service and index == 0
            }
            team_users: list[DemoUser] = []
            weights: list[int] = []
            for role in [Role.TEAM_LEAD] + [Role.FIELD_OFFICER] * _OFFICERS_PER_TEAM:
                fixed = named.pop(role, None)
                if fixed is not None:
                    username, display, password = fixed
                    password = f"doorstep-demo-{password}"
                else:
                    given, family = fake.first_name(), fake.last_name()
                    display = f"{given} {family}"
                    base = _username(given, family)
                    username, n = base, 1
                    while username in taken:
                        n += 1
                        username = f"{base}{n}"
                    password = f"doorstep-demo-{next_password}"
                    next_password += 1
                taken.add(username)
                user = DemoUser(
                    username=username,
                    display_name=display,
                    role=str(role),
                    team_id=team.id,
                    password=password,
                    id=_uuid(rng),
                    service=str(service),
                )
                team_users.append(user)
                if role is Role.TEAM_LEAD:
                    org.lead[team.id] = user
                else:
                    weights.append(_NAMED_WEIGHT if fixed is not None else 1)
            org.users.extend(team_users)
            org.officers[team.id] = [u for u in team_users if u.role == Role.FIELD_OFFICER]
            org.officer_weights[team.id] = weights
    return org


def demo_users(seed: int) -> list[DemoUser]:
    """Every user ``generate_council(..., seed)`` emits, with the demo passwords to hash."""
    return list(_organisation(seed).users)


# --- Reference text ---------------------------------------------------------------------------

_PREFIX: dict[str, str] = {
    Service.HOUSING_REPAIRS: "HR",
    Service.TENANCY_MANAGEMENT: "TM",
    Service.HOMELESSNESS: "HL",
    Service.ADULT_SOCIAL_CARE: "AS",
    Service.CHILDRENS_EARLY_HELP: "EH",
}

_REPAIR_SUMMARIES: dict[str, tuple[str, ...]] = {
    Priority.EMERGENCY: (
        "No heating or hot water",
        "Burst pipe in the kitchen",
        "Exposed electrical wiring in the hallway",
        "Front door will not lock",
        "Water coming through the light fitting",
    ),
    Priority.URGENT: (
        "Toilet not flushing",
        "Ground-floor window will not close",
        "Partial loss of power to sockets",
        "Blocked sink in the kitchen",
        "Extractor fan not working in the bathroom",
    ),
    Priority.ROUTINE: (
        "Kitchen cupboard door hanging off",
        "Dripping bath tap",
        "Fence panel down in the back garden",
        "Loose stair handrail",
        "Cracked floor tiles in the bathroom",
    ),
    Priority.DAMP_MOULD: (
        "Black mould in the bathroom",
        "Damp patch on the bedroom ceiling",
        "Condensation and mould around the windows",
        "Mould behind the wardrobe in the back bedroom",
    ),
}
_SUMMARIES: dict[str, tuple[str, ...]] = {
    "tenancy": (
        "Rent arrears",
        "Anti-social behaviour complaint from neighbours",
        "Tenancy audit",
        "Suspected subletting",
        "Succession request after a death",
        "Hoarding concerns",
        "Pets and garden condition",
    ),
    "homelessness": (
        "Section 21 notice served by private landlord",
        "Asked to leave by family",
        "Fleeing domestic abuse",
        "Relationship breakdown",
        "Leaving hospital with nowhere to live",
        "Sofa surfing",
        "Rent arrears in private rented home",
    ),
    "care_act": (
        "Falls at home; needs assessment",
        "Carer breakdown",
        "Hospital discharge support",
        "Memory problems; family concerned",
        "Self-neglect concerns",
        "Request for equipment and adaptations",
    ),
    "early_help": (
        "School attendance concerns",
        "Parenting support requested",
        "Young carer support",
        "Behaviour at home",
        "Family financial hardship",
        "Health visitor referral",
    ),
}
_CLOSURE_REASONS: dict[str, tuple[str, ...]] = {
    "repair": ("Repair completed", "Repair completed and inspected", "Work signed off"),
    "repair:cancelled": (
        "Cancelled: tenant no longer requires the repair",
        "Cancelled: duplicate report",
        "Cancelled: tenant's own responsibility",
    ),
    "tenancy": ("Arrears cleared", "No further action", "Tenancy ended", "Issue resolved"),
    "homelessness": (
        "Accommodation secured",
        "Main duty ended: offer of social housing accepted",
        "Contact lost",
        "Application withdrawn",
        "Advice given; no duty owed",
    ),
    "care_act": (
        "Needs met by support plan; no further involvement",
        "Not eligible; signposted to community services",
        "Moved out of area",
        "Person declined assessment",
    ),
    "early_help": (
        "Plan outcomes achieved",
        "Family declined support",
        "Stepped up to children's social care",
        "Moved out of area",
    ),
}
_GENERIC_CLOSURE = ("No further action",)

_NOTE_OPENERS: dict[str, tuple[str, ...]] = {
    NoteKind.VISIT: ("Visited.", "Home visit.", "Joint visit with {colleague}."),
    NoteKind.PHONE: ("Phoned {given}.", "{given} phoned.", "Call from {given}'s {relative}."),
    NoteKind.OFFICE: ("{given} came into the office.", "Seen at the duty desk."),
    NoteKind.LETTER: ("Letter sent to {given}.", "Letter received from {given}."),
    NoteKind.EMAIL: ("Emailed {given}.", "Email from {given}."),
}
_NOTE_BODIES: dict[str, tuple[str, ...]] = {
    Service.HOUSING_REPAIRS: (
        "Contractor booked for {weekday} morning.",
        "No access; card left asking the tenant to call to rebook.",
        "Operative attended and made safe; follow-on work needed.",
        "Leak traced to the flat above; access needed there.",
        "Tenant confirms the repair is holding.",
        "Materials on order; expected in {n} working days.",
        "Repair inspected; job raised for the {room}.",
    ),
    Service.TENANCY_MANAGEMENT: (
        "Discussed rent arrears of £{amount}; repayment of £{small} a week agreed.",
        "Neighbour reports loud music late at night; diary sheets sent.",
        "Tenancy audit completed; household members confirmed.",
        "Reminded the tenant of the tenancy conditions about the garden.",
        "Universal Credit managed payment requested.",
        "A relative has moved in; advised to ask for them to be added.",
        "Communal landing cleared after a warning letter.",
    ),
    Service.HOMELESSNESS: (
        "Section 21 notice seen; it expires on {date}.",
        "Personalised Housing Plan agreed and signed.",
        "Discussed private rented options; the deposit scheme explained.",
        "Placed in temporary accommodation from {weekday}.",
        "Landlord contacted to negotiate more time.",
        "Staying with friends; cannot stay beyond {weekday}.",
        "Housing register application submitted.",
    ),
    Service.ADULT_SOCIAL_CARE: (
        "{given} struggling with the stairs; occupational therapy referral made.",
        "Family report two falls in the last month.",
        "Care and support plan discussed; {given} agrees to morning calls.",
        "Pendant alarm installed and tested.",
        "Carer finding it hard to cope; carer's assessment offered.",
        "Hospital discharge planned for {weekday}; package of care arranged.",
        "Financial assessment form sent.",
    ),
    Service.CHILDRENS_EARLY_HELP: (
        "School reports attendance at {pct}% this term.",
        "Team Around the Family meeting held at school.",
        "Parent asked for help with bedtime routines.",
        "Family support worker to start parenting sessions.",
        "Health visitor has no concerns about the younger children.",
        "Young carers group place offered.",
        "Family plan reviewed; good progress on school mornings.",
    ),
}
# Visits and calls far outnumber office contacts, letters and emails (same order as above).
_NOTE_KIND_CUM = (4, 8, 9, 10, 11)
_DAMP_NOTE_BODIES = (
    "Tenant reports damp in the {room}.",
    "Black mould on the {room} ceiling; photos taken.",
    "Damp survey booked for {weekday}.",
    "Mould wash applied and extractor fan checked; reinspect in four weeks.",
    "Condensation advice given; dehumidifier supplied.",
    "No access; card left asking the tenant to call to rebook.",
)
_GENERIC_BODIES = ("Case discussed; next steps agreed.", "Update given on progress.")
_NOTE_TAILS = (
    "",
    "",
    "",
    " Next contact in {n} days.",
    " {given} understands the next steps.",
    " Will update the household by phone.",
)
_NOTE_WORDS: dict[str, tuple[str, ...]] = {
    "room": ("back bedroom", "front bedroom", "bathroom", "kitchen", "living room", "hallway"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "relative": ("daughter", "son", "neighbour", "GP", "support worker", "sister"),
}
_NOTE_NUMBERS: dict[str, tuple[int, int]] = {
    "n": (2, 10),
    "amount": (150, 2400),  # rent arrears, pounds
    "small": (5, 25),  # weekly repayment, pounds
    "pct": (62, 89),  # school attendance, a worrying figure
}

_TASKS: dict[str, tuple[tuple[str, str], ...]] = {
    Service.HOUSING_REPAIRS: (
        (TaskKind.VISIT, "Inspect damp and mould"),
        (TaskKind.VISIT, "Post-repair inspection"),
        (TaskKind.TASK, "Book contractor"),
        (TaskKind.TASK, "Order materials"),
        (TaskKind.TASK, "Confirm appointment with tenant"),
    ),
    Service.TENANCY_MANAGEMENT: (
        (TaskKind.VISIT, "Tenancy audit visit"),
        (TaskKind.VISIT, "Welfare visit"),
        (TaskKind.TASK, "Send arrears letter"),
        (TaskKind.TASK, "Review ASB diary sheets"),
    ),
    Service.HOMELESSNESS: (
        (TaskKind.TASK, "Draft Personalised Housing Plan"),
        (TaskKind.TASK, "Contact landlord"),
        (TaskKind.TASK, "Chase ID documents"),
        (TaskKind.VISIT, "Visit temporary accommodation"),
    ),
    Service.ADULT_SOCIAL_CARE: (
        (TaskKind.VISIT, "Home visit: needs assessment"),
        (TaskKind.VISIT, "First review visit"),
        (TaskKind.TASK, "Request GP summary"),
        (TaskKind.TASK, "Arrange occupational therapy"),
    ),
    Service.CHILDRENS_EARLY_HELP: (
        (TaskKind.VISIT, "Home visit with family"),
        (TaskKind.VISIT, "Review visit"),
        (TaskKind.TASK, "Arrange Team Around the Family meeting"),
        (TaskKind.TASK, "Call school about attendance"),
    ),
}
_GENERIC_TASKS = ((TaskKind.TASK, "Follow up"), (TaskKind.VISIT, "Home visit"))

_MARKERS: tuple[tuple[str, str], ...] = (
    ("violence", "Pushed an officer during a visit; police informed."),
    ("violence", "Threatened staff with a weapon at the door."),
    ("verbal abuse", "Repeated abuse of staff on the phone and at the office."),
    ("dog", "Large dog in the property; ask for it to be shut away before entering."),
    ("dog", "Two dogs, one has bitten a postal worker."),
    ("do not visit alone", "Visit in pairs only after a threat made to a lone officer."),
    ("do not visit alone", "Unpredictable behaviour when drinking; visit in pairs."),
    ("fire risk", "Hoarding blocks the hallway; high fire risk."),
    ("infection control", "Bed bugs reported; follow infection control guidance."),
    ("sharps", "Needles found in the property; wear gloves and check surfaces."),
)

_REFERRAL_REASONS: dict[str, tuple[str, ...]] = {
    Service.HOUSING_REPAIRS: (
        "Damp and mould seen during a visit; affecting a child's asthma.",
        "Broken handrail is a falls risk for the resident.",
    ),
    Service.TENANCY_MANAGEMENT: (
        "Rent arrears building up; tenant asks for help with a repayment plan.",
        "Concerns about the condition of the property seen during a visit.",
    ),
    Service.HOMELESSNESS: (
        "Household threatened with homelessness within 56 days (duty to refer).",
        "Asked to leave; needs housing advice urgently.",
    ),
    Service.ADULT_SOCIAL_CARE: (
        "Struggling with stairs and personal care; asks for an assessment.",
        "Carer is finding it hard to cope.",
        "Signs of self-neglect seen during a repair visit.",
    ),
    Service.CHILDRENS_EARLY_HELP: (
        "Family under pressure; parent asks for support with the children.",
        "Children missing school while the family is in temporary accommodation.",
    ),
}
_LAWFUL_BASIS: dict[str, str] = {
    Service.HOUSING_REPAIRS: "UK GDPR Art 6(1)(b): tenancy agreement (repairing obligation)",
    Service.TENANCY_MANAGEMENT: "UK GDPR Art 6(1)(b) tenancy agreement; Art 6(1)(e) public task",
    Service.HOMELESSNESS: "Homelessness Reduction Act 2017 s.213B duty to refer, with consent",
    Service.ADULT_SOCIAL_CARE: "Care Act 2014 s.6 duty to cooperate; UK GDPR Art 6(1)(e), 9(2)(h)",
    Service.CHILDRENS_EARLY_HELP: "Children Act 2004 s.10; UK GDPR Art 6(1)(e), 9(2)(g); consent",
}
_DECLINE_REASONS = (
    "Does not meet the eligibility threshold; signposted to community support.",
    "Already known to the service; case open with another team.",
    "Consent not recorded; please refer again with consent.",
    "Needs can be met by universal services.",
)

_OTHER_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("pl_PL", "Polish"),
    ("ro_RO", "Romanian"),
    ("lt_LT", "Lithuanian"),
    ("pt_PT", "Portuguese"),
    ("tr_TR", "Turkish"),
    ("en_PK", "Urdu"),
)
_COMMUNICATION_NEEDS = (
    "Hard of hearing; prefers text messages.",
    "Uses BSL; book a BSL interpreter for visits.",
    "Partially sighted; large print letters.",
    "Learning disability; easy read letters and extra time.",
    "Dyslexia; prefers phone calls to letters.",
)
_STREET_WORDS = (
    "Church", "Station", "Mill", "Victoria", "Queens", "Kings", "Park", "School", "Chapel",
    "Manor", "Orchard", "Meadow", "Oak", "Elm", "Beech", "Willow", "Hawthorn", "Bridge",
    "Market", "Castle", "Abbey", "Priory", "Windsor", "Albert", "Grange", "Cedar", "Brook",
)  # fmt: skip
_STREET_SUFFIXES = (
    ("Road", 25), ("Street", 15), ("Close", 10), ("Avenue", 8), ("Lane", 8), ("Drive", 6),
    ("Crescent", 5), ("Way", 5), ("Gardens", 4), ("Grove", 4), ("Terrace", 4), ("Place", 3),
    ("Court", 3), ("Walk", 2), ("Rise", 2), ("View", 2),
)  # fmt: skip
_BLOCK_SUFFIXES = ("House", "Court", "Tower", "Lodge")

# Tenure shares for a council's caseload population, skewed to its own tenants.
_TENURES: tuple[tuple[str, float], ...] = (
    (Tenure.COUNCIL_TENANCY, 55),
    (Tenure.HOUSING_ASSOCIATION, 14),
    (Tenure.PRIVATE_RENTED, 15),
    (Tenure.OWNER, 8),
    (Tenure.TEMPORARY_ACCOMMODATION, 6),
    (Tenure.NO_FIXED_ABODE, 2),
)
# Share of homes that are flats: council and housing association stock is flat-heavy.
_FLAT_SHARE: dict[str, float] = {
    Tenure.COUNCIL_TENANCY: 0.45,
    Tenure.HOUSING_ASSOCIATION: 0.4,
    Tenure.TEMPORARY_ACCOMMODATION: 0.5,
    Tenure.PRIVATE_RENTED: 0.3,
}
# How likely a household with this tenure is to come to the homelessness service.
_HOMELESSNESS_WEIGHT: dict[str, float] = {
    Tenure.NO_FIXED_ABODE: 40.0,
    Tenure.TEMPORARY_ACCOMMODATION: 40.0,
    Tenure.PRIVATE_RENTED: 1.5,
    Tenure.OWNER: 0.1,
}
_TENURE_VALUES = tuple(str(t) for t, _ in _TENURES)
_TENURE_CUM = tuple(itertools.accumulate(w for _, w in _TENURES))
_TENURE_CUM_HOUSED = tuple(
    itertools.accumulate(0 if t == Tenure.NO_FIXED_ABODE else w for t, w in _TENURES)
)
_JOINT_TENURES = frozenset({str(Tenure.COUNCIL_TENANCY), str(Tenure.HOUSING_ASSOCIATION)})
_SIZE_VALUES = (1, 2, 3, 4, 5, 6)
_SIZE_CUM = tuple(itertools.accumulate((30, 28, 17, 14, 7, 4)))

# Typical time a case spends in one status, in days, by case type.
_STEP_DAYS: dict[str, tuple[float, float]] = {
    "repair": (0.5, 14),
    "tenancy": (5, 60),
    "homelessness": (7, 56),
    "care_act": (5, 45),
    "early_help": (3, 40),
}
_MEAN_AGE_DAYS: dict[str, float] = {"repair": 120}
_PRIORITY_WEIGHTS: dict[str, float] = {
    Priority.EMERGENCY: 10,
    Priority.URGENT: 25,
    Priority.ROUTINE: 50,
    Priority.DAMP_MOULD: 15,
    Priority.LOW: 25,
    Priority.NORMAL: 55,
    Priority.HIGH: 20,
}
_SHARED_NOTE_SHARE: dict[str, float] = {
    Service.HOUSING_REPAIRS: 0.5,
    Service.TENANCY_MANAGEMENT: 0.4,
    Service.HOMELESSNESS: 0.35,
}
_FORMS: dict[str, tuple[str, int, str]] = {
    # case type -> (form id, version, status in which the form is filled in)
    "care_act": ("care_act_needs_assessment", 3, "assessment"),
    "early_help": ("early_help_assessment", 2, "assessment"),
    "homelessness": ("personalised_housing_plan", 1, "prevention"),
}

# RFC 4122 variant and version 4 bits, as uuid.UUID(version=4) sets them.
_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID_V4 = (0x8000 << 48) | (4 << 76)
_UPRN_STEP = 387_420_489  # coprime with 10, so i -> (a*i + b) mod 10**k visits each value once
_NHS_STEP = 7_919  # prime, so coprime with 10**6 likewise


@dataclass(frozen=True)
class _Pools:
    """Names, phones and streets drawn from Faker once per seed and sampled by the generator."""

    towns: tuple[str, ...]
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    phones: tuple[str, ...]
    # (language, female given names, male given names, surnames) for non-English households
    other_names: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]
    street_names: tuple[str, ...]
    street_towns: tuple[int, ...]
    street_postcodes: tuple[str, ...]
    blocks: tuple[str, ...]
    block_streets: tuple[int, ...]


def _office_hours(moment: datetime) -> datetime:
    """Fold a moment into 08:00-17:59 of its own day: casework happens in working hours."""
    return moment.replace(hour=8 + moment.hour % 10)


def _valid_postcode(fake: Faker) -> str:
    while True:
        try:
            return normalise_postcode(fake.postcode())
        except ValidationError:
            continue  # Faker draws letters the Royal Mail never uses; draw again


# Faker is slow per call and slow to construct, so pools are drawn once per seed and cached:
# the tests and the CLI generate several councils from the same seed in one process.
@functools.lru_cache(maxsize=4)
def _pools(seed: int) -> _Pools:
    rng = random.Random(f"doorstep-pools:{seed}")
    fake = Faker("en_GB")
    fake.seed_instance(f"doorstep-pools:{seed}")
    towns: list[str] = []
    while len(towns) < 10:
        name = fake.city()
        if name not in towns:
            towns.append(name)
    area = re.sub(r"[0-9].*", "", _valid_postcode(fake))
    # Two postcode districts per town, all in one postcode area, as in a real council.
    districts = [(f"{area}{2 * i + 1}", f"{area}{2 * i + 2}") for i in range(len(towns))]
    surnames = tuple(fake.last_name() for _ in range(1500))
    female = tuple(fake.first_name_female() for _ in range(1000))
    male = tuple(fake.first_name_male() for _ in range(1000))
    # Faker's en_GB numbers are in Ofcom's drama ranges, so no real phone is ever rung.
    phones = tuple(fake.cellphone_number() for _ in range(1500)) + tuple(
        fake.phone_number() for _ in range(700)
    )
    other_names = []
    for locale, language in _OTHER_LANGUAGES:
        other = Faker(locale)
        other.seed_instance(f"doorstep-pools:{seed}:{locale}")
        other_names.append(
            (
                language,
                tuple(other.first_name_female() for _ in range(60)),
                tuple(other.first_name_male() for _ in range(60)),
                tuple(other.last_name() for _ in range(80)),
            )
        )
    suffixes = [s for s, _ in _STREET_SUFFIXES]
    suffix_weights = [w for _, w in _STREET_SUFFIXES]
    street_names: list[str] = []
    street_towns: list[int] = []
    street_postcodes: list[str] = []
    seen: set[tuple[str, int]] = set()
    while len(street_names) < 3000:
        stem = rng.choice(surnames) if rng.random() < 0.6 else rng.choice(_STREET_WORDS)
        name = f"{stem} {rng.choices(suffixes, suffix_weights)[0]}"
        # The main town is bigger, as council areas usually centre on one town.
        town = 0 if rng.random() < 0.3 else rng.randrange(len(towns))
        if (name, town) in seen:
            continue
        seen.add((name, town))
        street_names.append(name)
        street_towns.append(town)
        while True:
            # Faker's inward code in one of the town's districts; checked again once combined.
            inward = _valid_postcode(fake)[-3:]
            try:
                postcode = normalise_postcode(f"{rng.choice(districts[town])} {inward}")
            except ValidationError:
                continue
            break
        street_postcodes.append(postcode)
    blocks = tuple(f"{rng.choice(surnames)} {rng.choice(_BLOCK_SUFFIXES)}" for _ in range(250))
    return _Pools(
        towns=tuple(towns),
        female=female,
        male=male,
        surnames=surnames,
        phones=phones,
        other_names=tuple(other_names),
        street_names=tuple(street_names),
        street_towns=tuple(street_towns),
        street_postcodes=tuple(street_postcodes),
        blocks=blocks,
        block_streets=tuple(rng.randrange(len(street_names)) for _ in blocks),
    )


# --- The generator ----------------------------------------------------------------------------


class _NoteValues(dict[str, object]):
    """Template values drawn only when a note's template uses them: most use one or none."""

    def __init__(
        self, rng: random.Random, given: str, colleagues: list[DemoUser], day: date
    ) -> None:
        super().__init__(given=given)
        self._rng, self._colleagues, self._day = rng, colleagues, day

    def __missing__(self, key: str) -> object:
        rng = self._rng
        value: object
        if key == "colleague":
            value = rng.choice(self._colleagues).display_name.split()[0]
        elif key == "date":
            value = f"{self._day + timedelta(days=rng.randint(14, 60)):%d/%m/%Y}"
        elif key in _NOTE_WORDS:
            value = rng.choice(_NOTE_WORDS[key])
        else:
            low, high = _NOTE_NUMBERS[key]
            value = rng.randint(low, high)
        self[key] = value
        return value


@dataclass
class _Member:
    id: uuid.UUID
    given_name: str
    role: str
    age: int


@dataclass
class _CaseInfo:
    row: Row
    case_type: CaseType
    service: Service
    path: list[tuple[str, datetime]]
    team: _Team
    officer: DemoUser | None
    subject: uuid.UUID
    end: datetime  # closure time, or the generation instant for an open case

    @property
    def opened_at(self) -> datetime:
        return self.path[0][1]

    @property
    def closed(self) -> bool:
        return self.path[-1][0] == CLOSED


class _Council:
    """One demo council's generator state; rows are produced household by household."""

    def __init__(self, seed: int, today: date) -> None:
        self.today = today
        # Everything generated happened before the start of ``today`` (UTC); only due dates and
        # appointments may be later, so a fixed ``today`` gives reproducible data.
        self.now = datetime.combine(today, time(0, 0), tzinfo=UTC)
        self.limit = self.now - timedelta(minutes=1)
        self.tenant_id = demo_tenant_id(seed)
        self.org = _organisation(seed)
        self.rng = random.Random(f"doorstep-data:{seed}")
        pools = _pools(seed)
        self.towns = pools.towns
        self.female, self.male, self.surnames = pools.female, pools.male, pools.surnames
        self.phones, self.other_names = pools.phones, pools.other_names
        self.street_names, self.street_towns = pools.street_names, pools.street_towns
        self.street_postcodes = pools.street_postcodes
        self.blocks, self.block_streets = pools.blocks, pools.block_streets
        # Per-run state: the next free house or flat number on each street and in each block.
        self.street_next = [self.rng.randrange(60) for _ in self.street_names]
        self.block_next = [0] * len(self.blocks)
        self.uprn_counter = [0, 0]
        self.uprn_offset = [self.rng.randrange(10**9), self.rng.randrange(10**8)]
        self.nhs_counter = 0
        self.nhs_offset = self.rng.randrange(10**6)
        self.references: dict[str, int] = {}
        self.case_types = {s: case_types_for(s) for s in Service if case_types_for(s)}
        self.status_order = {
            code: {status: i for i, status in enumerate(ct.statuses)}
            for code, ct in CASE_TYPES.items()
        }
        self.rows: dict[type[Syncable], list[Row]] = {}

    # Small helpers.

    def new_id(self) -> uuid.UUID:
        # Same bits as uuid.UUID(int=..., version=4), set by hand: this runs once per row.
        return uuid.UUID(int=self.rng.getrandbits(128) & _UUID_CLEAR | _UUID_V4)

    def base(self, updated_at: datetime, row_id: uuid.UUID | None = None) -> Row:
        return {
            "id": row_id or self.new_id(),
            "tenant_id": self.tenant_id,
            "version": 0,
            "updated_at": updated_at,
            "deleted": False,
        }

    def emit(self, model: type[Syncable], row: Row) -> None:
        self.rows[model].append(row)

    def past(self, max_days: float, min_days: float = 0.0) -> datetime:
        """A moment between ``min_days`` and ``max_days`` before the generation instant."""
        seconds = self.rng.uniform(min_days * 86400, max_days * 86400)
        # Same calendar day, so still before the generation instant.
        return _office_hours(self.limit - timedelta(seconds=int(seconds)))

    def between(self, start: datetime, end: datetime) -> datetime:
        """A working-hours moment from ``start`` to ``end`` (clamped, so never outside them)."""
        if end <= start:
            return start
        moment = start + timedelta(seconds=int(self.rng.random() * (end - start).total_seconds()))
        return max(start, min(end, _office_hours(moment)))

    def uprn(self) -> int:
        # Unique by construction: an affine bijection over a range, walked by a counter.
        # Mostly 12-digit "100..." UPRNs, some 11-digit "10..." ones, as in real address bases.
        if self.rng.random() < 0.8:
            i = self.uprn_counter[0]
            self.uprn_counter[0] += 1
            return 100_000_000_000 + (_UPRN_STEP * i + self.uprn_offset[0]) % 10**9
        i = self.uprn_counter[1]
        self.uprn_counter[1] += 1
        return 10_000_000_000 + (_UPRN_STEP * i + self.uprn_offset[1]) % 10**8

    def nhs_number(self) -> str | None:
        # Test numbers (999...) only, unique: walk a bijection over the six free digits.
        while self.nhs_counter < 10**6:
            body = (_NHS_STEP * self.nhs_counter + self.nhs_offset) % 10**6
            self.nhs_counter += 1
            first_nine = f"999{body:06d}"
            check = nhs_check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"
        return None  # the 999 range is exhausted (about 900,000 numbers); leave the rest blank

    def date_of_birth(self, age: int) -> date:
        today = self.today
        try:
            birthday = today.replace(year=today.year - age)
        except ValueError:  # 29 February
            birthday = today.replace(year=today.year - age, day=28)
        return birthday - timedelta(days=self.rng.randrange(365))

    def officer_for(self, team: _Team) -> DemoUser:
        officers = self.org.officers[team.id]
        return self.rng.choices(officers, self.org.officer_weights[team.id])[0]

    def team_for(self, service: Service, town: int) -> _Team:
        teams = self.org.by_service[service]
        if len(teams) == 1:
            return teams[0]
        # Two bits of the town index pick its north/south and east/west patches.
        if teams[0].locality in {"north", "south"}:
            locality = ("north", "south")[town % 2]
        else:
            locality = ("east", "west")[(town // 2) % 2]
        for team in teams:
            if team.locality == locality:
                return team
        return teams[town % len(teams)]

    def reference(self, service: Service) -> str:
        prefix = _PREFIX.get(service, str(service)[:2].upper())
        number = self.references.get(prefix, 0) + 1
        self.references[prefix] = number
        return f"{prefix}-{number:06d}"

    # Teams and users.

    def organisation_batches(self) -> Iterator[Batch]:
        # Accounts were set up well before any case, so they never post-date the work.
        created = self.now - timedelta(days=1500)
        teams = [
            {
                "id": t.id,
                "tenant_id": self.tenant_id,
                "version": 0,
                "updated_at": created,
                "deleted": False,
                "name": t.name,
                "service": str(t.service),
            }
            for t in self.org.teams
        ]
        users = [
            {
                "id": u.id,
                "tenant_id": self.tenant_id,
                "version": 0,
                "updated_at": created,
                "deleted": False,
                "username": u.username,
                "display_name": u.display_name,
                "role": u.role,
                "team_id": u.team_id,
            }
            for u in self.org.users
        ]
        yield Batch(Team, teams)
        yield Batch(User, users)

    # Households.

    def chunks(self, persons: int, batch_households: int) -> Iterator[list[Batch]]:
        order: tuple[type[Syncable], ...] = (
            Property,
            Person,
            Household,
            HouseholdMember,
            Relationship,
            Case,
            Note,
            Task,
            WarningMarker,
            Referral,
            Assessment,
        )
        remaining = persons
        while remaining > 0:
            self.rows = {model: [] for model in order}
            # The rows are plain acyclic dicts that reference counting frees, yet every one of
            # them counts towards the cyclic collector's thresholds: with collection on, full
            # sweeps of the process heap cost about 40% of generation time. Pause it only while
            # this chunk is built, never across a yield, so the caller's code is unaffected.
            paused = gc.isenabled()
            gc.disable()
            try:
                for _ in range(batch_households):
                    if remaining <= 0:
                        break
                    remaining -= self.household(remaining)
            finally:
                if paused:
                    gc.enable()
            # Empty batches are skipped: an executemany with no rows is an error in some drivers.
            yield [Batch(model, rows) for model, rows in self.rows.items() if rows]

    def household(self, remaining: int) -> int:
        rng = self.rng
        size = min(remaining, rng.choices(_SIZE_VALUES, cum_weights=_SIZE_CUM)[0])
        shape, plan, links = self.compose(size)
        # Families without a home are placed in temporary accommodation, never left NFA.
        cum = _TENURE_CUM if shape in {"single", "couple"} else _TENURE_CUM_HOUSED
        tenure = rng.choices(_TENURE_VALUES, cum_weights=cum)[0]
        prop, town = self.property(tenure)
        updated = self.past(900, 30)

        language, interpreter_language = Language.ENGLISH, ""
        draw = rng.random()
        given_pools: tuple[tuple[str, ...], tuple[str, ...]] = (self.female, self.male)
        surnames = self.surnames
        if draw < 0.05:
            language = Language.WELSH
        elif draw < 0.11:
            language = Language.OTHER
            interpreter_language, female, male, surnames = rng.choice(self.other_names)
            given_pools = (female, male)
        family = rng.choice(surnames)

        household = {**self.base(updated), "property_id": prop["id"]}
        members: list[_Member] = []
        for role, age, female_person, same_family in plan:
            if role == HouseholdRole.PARTNER and tenure in _JOINT_TENURES and rng.random() < 0.5:
                role = HouseholdRole.JOINT_TENANT  # social landlords often grant joint tenancies
            given = rng.choice(given_pools[0] if female_person else given_pools[1])
            person_id = self.new_id()
            self.emit(
                Person,
                self.person(
                    person_id,
                    given,
                    family if same_family else rng.choice(surnames),
                    age,
                    tenure,
                    language,
                    interpreter_language,
                    updated,
                ),
            )
            members.append(_Member(person_id, given, str(role), age))
        self.emit(Property, prop)
        self.emit(Household, household)
        for member in members:
            self.emit(
                HouseholdMember,
                {
                    **self.base(updated),
                    "household_id": household["id"],
                    "person_id": member.id,
                    "role": member.role,
                },
            )
        for a, b, kind in links:
            self.emit(
                Relationship,
                {
                    **self.base(updated),
                    "person_id": members[a].id,
                    "related_person_id": members[b].id,
                    "kind": kind,
                },
            )
        self.cases(members, shape, tenure, prop, town)
        for member in members:
            # About 2% of persons: markers are almost always on adults.
            if member.age >= 16 and rng.random() < 0.027:
                self.marker(member.id)
        return size

    def adult_age(self) -> int:
        rng = self.rng
        draw = rng.random()
        if draw < 0.2:
            return rng.randint(18, 29)
        if draw < 0.62:
            return rng.randint(30, 59)
        return rng.randint(60, 96)

    def compose(
        self, size: int
    ) -> tuple[str, list[tuple[str, int, bool, bool]], list[tuple[int, int, str]]]:
        """Roles, ages, sex and surname sharing for a household, plus its relationships."""
        rng = self.rng
        plan: list[tuple[str, int, bool, bool]] = []
        links: list[tuple[int, int, str]] = []
        lead_female = rng.random() < 0.58
        draw = rng.random()
        if size == 1:
            plan.append((HouseholdRole.LEAD_TENANT, self.adult_age(), lead_female, True))
            return "single", plan, links
        if size <= 3 and draw < 0.15:
            # An older resident with a live-in carer (and sometimes their partner).
            lead_age = rng.randint(70, 96)
            plan.append((HouseholdRole.LEAD_TENANT, lead_age, lead_female, True))
            if size == 3:
                partner_age = max(65, min(96, lead_age + rng.randint(-6, 6)))
                plan.append((HouseholdRole.PARTNER, partner_age, not lead_female, True))
                links.append((0, 1, "partner_of"))
            carer_age = rng.randint(30, min(65, lead_age - 20))
            is_child = rng.random() < 0.6
            plan.append((HouseholdRole.CARER, carer_age, rng.random() < 0.7, is_child))
            carer = len(plan) - 1
            links.append((carer, 0, "carer_for"))
            if is_child:
                links.append((0, carer, "parent_of"))
            return "cared_for", plan, links
        couple = draw < (0.7 if size == 2 else 0.68)
        children = size - (2 if couple else 1)
        lead_age = rng.randint(20, 50) if children else self.adult_age()
        plan.append((HouseholdRole.LEAD_TENANT, lead_age, lead_female, True))
        parents = [0]
        if couple:
            partner_age = max(18, lead_age + rng.randint(-6, 8))
            female = not lead_female if rng.random() < 0.92 else lead_female
            plan.append((HouseholdRole.PARTNER, partner_age, female, rng.random() < 0.6))
            links.append((0, 1, "partner_of"))
            parents.append(1)
        youngest_parent = min(plan[p][1] for p in parents)
        for _ in range(children):
            age = rng.randint(0, min(17, youngest_parent - 17))
            plan.append((HouseholdRole.CHILD, age, rng.random() < 0.5, True))
            for parent in parents:
                links.append((parent, len(plan) - 1, "parent_of"))
        if children:
            return ("family" if couple else "lone_parent"), plan, links
        return "couple", plan, links

    def property(self, tenure: str) -> tuple[Row, int]:
        rng = self.rng
        updated = self.past(1400, 400)
        if tenure == Tenure.NO_FIXED_ABODE:
            row = {
                **self.base(updated),
                "uprn": None,
                "address_line1": "No fixed abode",
                "address_line2": None,
                "town": self.towns[0],
                "postcode": normalise_postcode(NFA_POSTCODE, no_fixed_abode=True),
                "tenure": str(tenure),
            }
            return row, 0
        flat_share = _FLAT_SHARE.get(tenure, 0.05)
        line2: str | None = None
        if rng.random() < flat_share and tenure != Tenure.PRIVATE_RENTED:
            block = rng.randrange(len(self.blocks))
            self.block_next[block] += 1
            street = self.block_streets[block]
            line1 = f"Flat {self.block_next[block]}, {self.blocks[block]}"
            line2 = self.street_names[street]
        else:
            street = rng.randrange(len(self.street_names))
            self.street_next[street] += rng.randint(1, 2)
            line1 = f"{self.street_next[street]} {self.street_names[street]}"
            if rng.random() < flat_share:
                line1 = f"Flat {rng.choice('ABCD')}, {line1}"  # a converted house
        town = self.street_towns[street]
        row = {
            **self.base(updated),
            "uprn": self.uprn(),
            "address_line1": line1,
            "address_line2": line2,
            "town": self.towns[town],
            "postcode": self.street_postcodes[street],
            "tenure": str(tenure),
        }
        return row, town

    def person(
        self,
        person_id: uuid.UUID,
        given: str,
        family: str,
        age: int,
        tenure: str,
        language: str,
        interpreter_language: str,
        updated: datetime,
    ) -> Row:
        rng = self.rng
        adult = age >= 18
        nfa = tenure == Tenure.NO_FIXED_ABODE
        known_dob = rng.random() < (0.85 if nfa else 0.99)
        has_nhs = rng.random() < ((0.6 if nfa else 0.86) if adult else 0.95)
        phone = None
        if rng.random() < (0.85 if adult else 0.35 if age >= 13 else 0.0):
            phone = rng.choice(self.phones)
        email = None
        if adult and rng.random() < 0.5:
            # Reserved example domains only: demo data must never mail a real inbox.
            domain = rng.choice(("example.com", "example.org", "example.net"))
            email = f"{_username(given, family)}{rng.randrange(100)}@{domain}"
        interpreter = False
        needs: str | None = None
        if language == Language.OTHER and adult and rng.random() < 0.8:
            interpreter = True
            needs = f"{interpreter_language} interpreter needed."
        elif language == Language.WELSH and rng.random() < 0.5:
            needs = "Prefers letters and calls in Welsh."
        elif rng.random() < (0.15 if age >= 70 else 0.03):
            needs = rng.choice(_COMMUNICATION_NEEDS)
        return {
            **self.base(updated, person_id),
            "given_name": given,
            "family_name": family,
            "date_of_birth": self.date_of_birth(age) if known_dob else None,
            "nhs_number": self.nhs_number() if has_nhs else None,
            "phone": phone,
            "email": email,
            "preferred_language": str(language),
            "interpreter_needed": interpreter,
            "communication_needs": needs,
            # Staff who are also service users, adoptions: rare, visible only to named roles.
            "sealed": rng.random() < 0.003,
        }

    # Cases and everything hanging off them.

    def cases(self, members: list[_Member], shape: str, tenure: str, prop: Row, town: int) -> None:
        rng = self.rng
        homeless = tenure in {Tenure.TEMPORARY_ACCOMMODATION, Tenure.NO_FIXED_ABODE}
        if not homeless and rng.random() >= 0.37:
            return
        weights = self.service_weights(members, shape, tenure)
        chosen: list[_CaseInfo] = []
        service = self.pick(weights)
        if service is None:
            return
        first = self.case(service, members, prop, town)
        chosen.append(first)
        weights.pop(service)
        if service is Service.HOUSING_REPAIRS:
            # Repairs come back: a second or third job at the same address is common.
            while rng.random() < 0.4 and len(chosen) < 3:
                chosen.append(self.case(service, members, prop, town))
        # A third of involved households are known to more than one service: the point of
        # the product. Each extra service came through a referral from the previous one.
        source = first
        for chance in (0.35, 0.3):
            if rng.random() >= chance:
                break
            service = self.pick(weights)
            if service is None:
                break
            weights.pop(service)
            sent_at = self.between(source.opened_at, source.end - timedelta(hours=1))
            created = self.case(service, members, prop, town, referred_at=sent_at)
            self.referral(source, created.subject, service, town, sent_at, created)
            chosen.append(created)
            source = created
        if rng.random() < 0.12:
            service = self.pick(weights)
            if service is not None:
                subject = self.subject(service, members)
                sent_at = self.between(source.opened_at, source.end - timedelta(hours=1))
                if not source.closed and rng.random() < 0.65:
                    sent_at = max(sent_at, self.past(14))
                self.referral(source, subject.id, service, town, sent_at, None)

    def service_weights(
        self, members: list[_Member], shape: str, tenure: str
    ) -> dict[Service, float]:
        children = any(m.role == HouseholdRole.CHILD for m in members)
        oldest = max(m.age for m in members)
        council = tenure == Tenure.COUNCIL_TENANCY
        weights: dict[Service, float] = {
            Service.HOUSING_REPAIRS: 6.0 if council else 0.0,
            Service.TENANCY_MANAGEMENT: 2.0 if council else 0.0,
            Service.HOMELESSNESS: _HOMELESSNESS_WEIGHT.get(tenure, 0.3),
            Service.ADULT_SOCIAL_CARE: 6.0
            if shape == "cared_for"
            else 3.0
            if oldest >= 65
            else 0.6,
            Service.CHILDRENS_EARLY_HELP: 3.0 if children else 0.0,
        }
        for service in Service:
            weights.setdefault(service, 0.5)  # a service added later still gets some cases
        return {s: w for s, w in weights.items() if w > 0 and s in self.case_types}

    def pick(self, weights: dict[Service, float]) -> Service | None:
        if not weights:
            return None
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def subject(self, service: Service, members: list[_Member]) -> _Member:
        if service is Service.CHILDRENS_EARLY_HELP:
            children = [m for m in members if m.role == HouseholdRole.CHILD]
            if children:
                return self.rng.choice(children)
        if service is Service.ADULT_SOCIAL_CARE:
            cared = [m for m in members if m.role != HouseholdRole.CARER]
            return max(cared, key=lambda m: m.age)
        return members[0]

    def walk(
        self, case_type: CaseType, priority: str, opened_at: datetime
    ) -> list[tuple[str, datetime]]:
        """A plausible status history: legal transitions only, each taking realistic time."""
        rng = self.rng
        low, high = _STEP_DAYS.get(case_type.code, (3, 40))
        if priority == Priority.EMERGENCY:
            low, high = 1 / 24, 0.6
        path = [(case_type.initial, opened_at)]
        status, at = case_type.initial, opened_at
        for _ in range(12):
            if rng.random() < 0.06:
                break  # some cases simply stall where they are
            options = case_type.allowed_from(status)
            if not options:
                break
            weights = []
            order = self.status_order[case_type.code]
            for option in options:
                if option == CLOSED:
                    settled = status in {"completed", "cancelled", "review", "monitoring"}
                    weights.append(1.5 if settled or len(options) == 1 else 0.2)
                elif option == "cancelled":
                    weights.append(0.1)
                elif order[option] < order[status]:
                    weights.append(0.35)  # loops back (review -> plan) happen, but less often
                else:
                    weights.append(1.0)
            nxt = rng.choices(options, weights)[0]
            step = at + timedelta(seconds=int(rng.uniform(low, high) * 86400))
            if priority != Priority.EMERGENCY:
                # Out-of-hours work is for emergencies; everything else moves in office hours.
                folded = _office_hours(step)
                step = folded if folded > at else step
            at = step
            if at >= self.limit:
                break
            status = nxt
            path.append((status, at))
            if status == CLOSED:
                break
        return path

    def case(
        self,
        service: Service,
        members: list[_Member],
        prop: Row,
        town: int,
        *,
        referred_at: datetime | None = None,
    ) -> _CaseInfo:
        rng = self.rng
        case_type = rng.choice(self.case_types[service])
        priorities = [str(p) for p in case_type.priorities] or [str(Priority.NORMAL)]
        priority = rng.choices(priorities, [_PRIORITY_WEIGHTS.get(p, 10) for p in priorities])[0]
        emergency = priority == Priority.EMERGENCY
        if referred_at is not None:
            referral_date = referred_at.date()
            gap = min(timedelta(days=7), (self.limit - referred_at) / 2)
            opened_at = self.between(referred_at, referred_at + gap)
        else:
            age_days = min(1460.0, rng.expovariate(1 / _MEAN_AGE_DAYS.get(case_type.code, 240)))
            day = self.today - timedelta(days=1 + int(age_days))
            hour = rng.randrange(24) if emergency else rng.randint(8, 17)
            opened_at = datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=UTC)
            lag = (
                0
                if case_type.service is Service.HOUSING_REPAIRS
                else rng.choice((0, 0, 1, 3, 7, 14))
            )
            referral_date = opened_at.date() - timedelta(days=lag)
        path = self.walk(case_type, priority, opened_at)
        status, changed_at = path[-1]
        closed = status == CLOSED
        team = self.team_for(service, town)
        officer: DemoUser | None = self.officer_for(team)
        if not closed and status == case_type.initial and rng.random() < 0.3:
            officer = None  # awaiting allocation: what a team lead's queue is for
        reported_target = target_for(case_type, Priority(priority), opened_at)
        closure_reason = None
        if closed:
            before = path[-2][0] if len(path) > 1 else ""
            key = f"{case_type.code}:{before}"
            reasons = _CLOSURE_REASONS.get(key) or _CLOSURE_REASONS.get(case_type.code)
            closure_reason = rng.choice(reasons or _GENERIC_CLOSURE)
        subject = self.subject(service, members)
        if case_type.code == "repair":
            summary = rng.choice(_REPAIR_SUMMARIES.get(priority, ("Repair",)))
        else:
            summary = rng.choice(_SUMMARIES.get(case_type.code, (case_type.label,)))
        row = {
            **self.base(changed_at),
            "reference": self.reference(service),
            "service": str(service),
            "case_type": case_type.code,
            "status": status,
            "priority": priority,
            "owning_team_id": team.id,
            "officer_id": officer.id if officer else None,
            "subject_person_id": subject.id,
            "property_id": prop["id"],
            "summary": summary,
            "referral_date": referral_date,
            "opened_at": opened_at,
            "status_changed_at": changed_at,
            "due_date": None
            if closed
            else self.due_date(case_type, status, changed_at, reported_target),
            "target_at": reported_target,
            "closed_at": changed_at if closed else None,
            "closure_reason": closure_reason,
            "closure_requested_at": None,
            "closure_requested_by_id": None,
        }
        self.emit(Case, row)
        end = changed_at if closed else self.limit
        info = _CaseInfo(row, case_type, service, path, team, officer, subject.id, end)
        # Practitioners talk to a parent about a child, not to the child.
        contact = subject if subject.age >= 16 else members[0]
        self.notes(info, contact.given_name)
        self.tasks(info)
        self.assessment(info, members)
        return info

    def due_date(
        self, case_type: CaseType, status: str, entered: datetime, target: datetime | None
    ) -> date | None:
        if target is not None:
            return target.date()
        for clock in case_type.clocks:
            if clock.starts_in == status:
                if clock.working_days:
                    return add_working_days(entered.date(), clock.working_days)
                return entered.date() + timedelta(days=clock.days)
        return entered.date() + timedelta(days=28)

    def notes(self, info: _CaseInfo, given: str) -> None:
        rng = self.rng
        service = info.service
        team_users = self.org.officers[info.team.id]
        lead = self.org.lead[info.team.id]
        count = rng.randint(2, 6)
        end = info.end if info.closed else min(self.limit, info.path[-1][1] + timedelta(days=21))
        times = sorted(self.between(info.opened_at, end) for _ in range(count - 1))
        bodies = _NOTE_BODIES.get(service, _GENERIC_BODIES)
        if info.row["priority"] == Priority.DAMP_MOULD:
            bodies = _DAMP_NOTE_BODIES
        shared = _SHARED_NOTE_SHARE.get(service, 0.2)
        kinds = list(_NOTE_OPENERS)
        kind: str
        for index in range(count):
            if index == 0:
                at = info.opened_at
                kind = rng.choice((NoteKind.PHONE, NoteKind.OFFICE, NoteKind.EMAIL))
                text = f"Referral received: {info.row['summary']}."
                if info.officer is None:
                    text += " Awaiting allocation."
            elif index == count - 1 and info.closed:
                at = info.end
                kind = NoteKind.OFFICE
                text = f"Case closed: {info.row['closure_reason']}."
            else:
                at = times[index - 1]
                kind = rng.choices(kinds, cum_weights=_NOTE_KIND_CUM)[0]
                opener, body = rng.choice(_NOTE_OPENERS[kind]), rng.choice(bodies)
                values = _NoteValues(rng, given, team_users, at.date())
                text = f"{opener} {body}{rng.choice(_NOTE_TAILS)}".format_map(values)
            author = info.officer or (lead if index == 0 else rng.choice(team_users))
            self.emit(
                Note,
                {
                    **self.base(at),
                    "case_id": info.row["id"],
                    "author_id": author.id,
                    "created_at": at,
                    "kind": str(kind),
                    "text": text,
                    "visibility": str(
                        Visibility.SHARED if rng.random() < shared else Visibility.SERVICE
                    ),
                },
            )

    def tasks(self, info: _CaseInfo) -> None:
        rng = self.rng
        catalogue = _TASKS.get(info.service, _GENERIC_TASKS)
        count = rng.randint(0, 2) if info.closed else rng.randint(1, 3)
        assignee = info.officer.id if info.officer else None
        start = info.opened_at
        last_done = max(start, info.end - timedelta(hours=2))
        for kind, title in rng.sample(catalogue, min(count, len(catalogue))):
            checked_in = checked_out = None
            if info.closed:
                status = TaskStatus.DONE if rng.random() < 0.8 else TaskStatus.CANCELLED
            else:
                draw = rng.random()
                status = (
                    TaskStatus.OPEN
                    if draw < 0.6
                    else TaskStatus.DONE
                    if draw < 0.9
                    else TaskStatus.CANCELLED
                )
            if status == TaskStatus.OPEN:
                when = rng.random()
                if when < 0.35 and info.opened_at < self.limit - timedelta(days=1):
                    due = self.between(info.opened_at, self.limit - timedelta(days=1))  # overdue
                else:
                    days = 0 if when < 0.5 else rng.randint(1, 21)
                    day = self.today + timedelta(days=days)
                    due = datetime.combine(
                        day, time(rng.randint(9, 16), rng.choice((0, 30))), tzinfo=UTC
                    )
                updated = self.between(info.opened_at, min(info.end, self.limit))
            else:
                due = self.between(start, last_done)
                updated = due
                if status == TaskStatus.DONE and kind == TaskKind.VISIT:
                    checked_in = due + timedelta(minutes=rng.randint(0, 30))
                    checked_out = checked_in + timedelta(minutes=rng.randint(20, 90))
                    updated = checked_out
            self.emit(
                Task,
                {
                    **self.base(updated),
                    "case_id": info.row["id"],
                    "kind": str(kind),
                    "title": title,
                    "due_at": due,
                    "assignee_id": assignee,
                    "status": str(status),
                    "checked_in_at": checked_in,
                    "checked_out_at": checked_out,
                },
            )

    def assessment(self, info: _CaseInfo, members: list[_Member]) -> None:
        form = _FORMS.get(info.case_type.code)
        if form is None:
            return
        form_id, version, filled_in = form
        statuses = [s for s, _ in info.path]
        if filled_in not in statuses:
            return
        index = statuses.index(filled_in)
        started = info.path[index][1]
        # Completed when the case moved on from the status the form belongs to; else a draft.
        completed = info.path[index + 1][1] if index + 1 < len(info.path) else None
        answers = self.answers(info.case_type.code, members, complete=completed is not None)
        self.emit(
            Assessment,
            {
                **self.base(completed or started),
                "case_id": info.row["id"],
                "form_id": form_id,
                "form_version": version,
                "answers": answers,
                "completed_at": completed,
            },
        )

    def answers(self, code: str, members: list[_Member], *, complete: bool) -> dict[str, object]:
        rng = self.rng
        answers: dict[str, object]
        if code == "care_act":
            outcomes = rng.sample(
                [
                    "managing and maintaining nutrition",
                    "maintaining personal hygiene",
                    "being appropriately clothed",
                    "being able to make use of the home safely",
                    "maintaining a habitable home environment",
                    "developing and maintaining family or other personal relationships",
                ],
                rng.randint(0, 3),
            )
            answers = {
                "lives_alone": len(members) == 1,
                "mobility": rng.choice(
                    ("independent", "walking stick", "walking frame indoors", "wheelchair user")
                ),
                "personal_care": rng.choice(("independent", "some help", "full help")),
                "meals": rng.choice(("independent", "needs prompting", "needs meals prepared")),
                "falls_last_year": rng.choice((0, 0, 1, 2, 3, 5)),
                "memory_concerns": rng.random() < 0.3,
                "informal_carer": any(m.role == HouseholdRole.CARER for m in members),
                "eligible_outcomes": outcomes,
                # Care Act eligibility: unable to achieve two or more outcomes.
                "eligible": len(outcomes) >= 2,
            }
        elif code == "early_help":
            answers = {
                "attendance_pct": rng.randint(60, 98),
                "concerns": rng.sample(
                    [
                        "school attendance",
                        "behaviour",
                        "parental mental health",
                        "housing",
                        "debt",
                        "young carer",
                        "domestic abuse",
                    ],
                    rng.randint(1, 3),
                ),
                "strengths": rng.sample(
                    [
                        "supportive grandparent",
                        "engaged with school",
                        "wants help",
                        "good routines for the baby",
                    ],
                    rng.randint(1, 2),
                ),
                "parent_consent": True,
                "voice_of_child": rng.choice(
                    (
                        "Wants to stay at the same school.",
                        "Worries about mum.",
                        "Likes football club and wants to keep going.",
                    )
                ),
            }
        else:
            answers = {
                "household_size": len(members),
                "reasonable_steps_applicant": rng.sample(
                    [
                        "register with letting agents",
                        "apply to the housing register",
                        "give landlord's details",
                        "save for a deposit",
                    ],
                    2,
                ),
                "reasonable_steps_council": rng.sample(
                    [
                        "negotiate with landlord",
                        "deposit scheme referral",
                        "check benefit entitlement",
                        "mediation with family",
                    ],
                    2,
                ),
                "affordability_checked": rng.random() < 0.8,
            }
        if not complete:
            # A draft saved part-way through, as a worker on the doorstep would leave it.
            keep = max(1, len(answers) // 2)
            answers = dict(list(answers.items())[:keep])
        return answers

    def referral(
        self,
        source: _CaseInfo,
        person_id: uuid.UUID,
        to_service: Service,
        town: int,
        sent_at: datetime,
        created: _CaseInfo | None,
    ) -> None:
        rng = self.rng
        team = self.team_for(to_service, town)
        decline_reason = None
        decided = sent_at
        if created is not None:
            status = ReferralStatus.ACCEPTED
            decided = created.opened_at
        elif (
            not source.closed and sent_at >= self.limit - timedelta(days=14) and rng.random() < 0.65
        ):
            status = ReferralStatus.SENT
        else:
            status = ReferralStatus.DECLINED
            decline_reason = rng.choice(_DECLINE_REASONS)
            decided = min(self.limit, sent_at + timedelta(days=rng.randint(1, 5)))
        urgency = rng.choices(list(Urgency), (70, 25, 5))[0]
        reasons = _REFERRAL_REASONS.get(to_service, ("Needs support from this service.",))
        self.emit(
            Referral,
            {
                **self.base(decided),
                "person_id": person_id,
                "case_id": source.row["id"],
                "from_service": str(source.service),
                "to_service": str(to_service),
                # Some go to the service's inbox rather than a team: the lead allocates them.
                "to_team_id": team.id if created or rng.random() < 0.85 else None,
                "reason": rng.choice(reasons),
                "urgency": str(urgency),
                "lawful_basis": _LAWFUL_BASIS.get(to_service, "UK GDPR Art 6(1)(e) public task"),
                "status": str(status),
                "decline_reason": decline_reason,
                "created_case_id": created.row["id"] if created else None,
                "sent_at": sent_at,
            },
        )

    def marker(self, person_id: uuid.UUID) -> None:
        rng = self.rng
        category, reason = rng.choice(_MARKERS)
        proposer = rng.choice(self.org.users)
        while proposer.role != Role.FIELD_OFFICER:
            proposer = rng.choice(self.org.users)
        draw = rng.random()
        approved_by = approved_at = None
        if draw < 0.15:
            status = MarkerStatus.PROPOSED
            proposed = self.past(14)
            review = self.today + timedelta(days=rng.randint(90, 365))
            updated = proposed
        else:
            status = MarkerStatus.WITHDRAWN if draw < 0.19 else MarkerStatus.APPROVED
            # Mostly in date; about one in seven is past its review date and shows as expired.
            if rng.random() < 0.15:
                review = self.today - timedelta(days=rng.randint(1, 90))
            else:
                review = self.today + timedelta(days=rng.randint(7, 365))
            review_start = datetime.combine(review, time(0), tzinfo=UTC)
            approved_at = min(self.past(300, 1), review_start - timedelta(days=30))
            approved_by = self.org.lead[proposer.team_id].id
            updated = approved_at
        self.emit(
            WarningMarker,
            {
                **self.base(updated),
                "person_id": person_id,
                "category": category,
                "reason": reason,
                "review_date": review,
                "status": str(status),
                "proposed_by_id": proposer.id,
                "approved_by_id": approved_by,
                "approved_at": approved_at,
            },
        )


def generate_council(
    persons: int, seed: int, *, today: date | None = None, batch_households: int = 500
) -> Iterator[Batch]:
    """Stream a synthetic council: teams and users, then households in foreign-key order.

    The same ``(persons, seed, today)`` always gives identical rows, whatever
    ``batch_households`` is: only the cut between batches moves. Exactly ``persons`` Person
    rows are produced. Empty batches are not yielded.
    """
    if persons < 0:
        raise ValueError("persons must be zero or more")
    if batch_households < 1:
        raise ValueError("batch_households must be at least 1")
    council = _Council(seed, today or date.today())
    yield from council.organisation_batches()
    for chunk in council.chunks(persons, batch_households):
        yield from chunk
