"""Tests for the synthetic council: determinism, exact counts, shared validation, integrity."""

from __future__ import annotations

import functools
import pickle
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar, cast

import pytest
from sqlalchemy import Table, create_engine, event, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import class_mapper
from sqlalchemy.sql.sqltypes import Date, DateTime
from sqlalchemy.types import TypeDecorator

from app.demo import Batch, demo_tenant_id, demo_users, generate_council
from app.models.base import Base, Syncable
from app.models.entities import (
    Assessment,
    Case,
    Household,
    HouseholdMember,
    HouseholdRole,
    MarkerStatus,
    Note,
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
    User,
    WarningMarker,
)
from app.models.validation import (
    clean_person,
    clean_property,
    marker_is_expired,
    normalise_nhs_number,
    validate_case_closure,
    validate_date_of_birth,
    validate_not_before_referral,
    validate_priority,
    validate_repair_target,
    validate_transition,
    validate_warning_marker,
)
from app.models.workflow import CASE_TYPES, CLOSED, Priority, Service, target_for

Row = dict[str, object]
T = TypeVar("T")

TODAY = date(2025, 6, 2)
SEED = 7
FK_ORDER: list[type[Syncable]] = [
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
]
ALL_MODELS: list[type[Syncable]] = [Team, User, *FK_ORDER]


def table_of(model: type[Syncable]) -> Table:
    return cast(Table, class_mapper(model).local_table)


def field(row: Row, key: str, kind: type[T]) -> T:
    value = row[key]
    assert isinstance(value, kind), f"{key}={value!r} is not {kind.__name__}"
    return value


def optional(row: Row, key: str, kind: type[T]) -> T | None:
    value = row[key]
    assert value is None or isinstance(value, kind), f"{key}={value!r}"
    return value


def rows(batches: Iterable[Batch], model: type[Syncable]) -> list[Row]:
    return [row for batch in batches if batch.model is model for row in batch.rows]


def by_id(batches: Iterable[Batch], model: type[Syncable]) -> dict[uuid.UUID, Row]:
    return {field(row, "id", uuid.UUID): row for row in rows(batches, model)}


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@pytest.fixture(scope="module")
def council() -> list[Batch]:
    # Small chunks, so cross-chunk behaviour (counters, FK order per chunk) is exercised.
    return list(generate_council(1000, SEED, today=TODAY, batch_households=100))


# --- Determinism and shape --------------------------------------------------------------------


def test_same_seed_gives_byte_identical_rows() -> None:
    first = list(generate_council(150, SEED, today=TODAY))
    second = list(generate_council(150, SEED, today=TODAY))
    assert first == second
    assert pickle.dumps([b.rows for b in first]) == pickle.dumps([b.rows for b in second])


def test_different_seed_gives_different_council() -> None:
    a = list(generate_council(150, SEED, today=TODAY))
    b = list(generate_council(150, SEED + 1, today=TODAY))
    assert demo_tenant_id(SEED) != demo_tenant_id(SEED + 1)
    names_a = [(r["given_name"], r["family_name"]) for r in rows(a, Person)]
    names_b = [(r["given_name"], r["family_name"]) for r in rows(b, Person)]
    assert names_a != names_b
    assert set(by_id(a, Person)).isdisjoint(by_id(b, Person))


def test_batch_size_moves_only_the_cuts() -> None:
    small = list(generate_council(300, SEED, today=TODAY, batch_households=7))
    large = list(generate_council(300, SEED, today=TODAY))
    for model in ALL_MODELS:
        assert rows(small, model) == rows(large, model), model.__name__
    assert max(len(b.rows) for b in small if b.model is Household) <= 7


@pytest.mark.parametrize("persons", [0, 1, 7])
def test_exact_person_count_small(persons: int) -> None:
    batches = list(generate_council(persons, SEED, today=TODAY))
    assert len(rows(batches, Person)) == persons
    assert len(rows(batches, HouseholdMember)) == persons
    assert [b.model for b in batches[:2]] == [Team, User]  # type: ignore[comparison-overlap]


def test_exact_person_count_1000(council: list[Batch]) -> None:
    assert len(rows(council, Person)) == 1000
    assert len(rows(council, HouseholdMember)) == 1000


def test_invalid_arguments_are_rejected() -> None:
    with pytest.raises(ValueError, match="persons"):
        list(generate_council(-1, 1))
    with pytest.raises(ValueError, match="batch_households"):
        list(generate_council(10, 1, batch_households=0))


def test_batches_come_in_foreign_key_order(council: list[Batch]) -> None:
    assert [b.model for b in council[:2]] == [Team, User]  # type: ignore[comparison-overlap]
    position = {model: i for i, model in enumerate(FK_ORDER)}
    chunk: list[int] = []
    for batch in council[2:]:
        assert batch.rows, "empty batches are never yielded"
        index = position[batch.model]
        if chunk and index <= chunk[-1]:
            chunk = []  # the next chunk of households starts again with properties
        chunk.append(index)
        assert chunk == sorted(chunk)


def test_every_reference_exists_in_an_earlier_or_same_batch(council: list[Batch]) -> None:
    seen: dict[str, set[object]] = defaultdict(set)
    for batch in council:
        table = table_of(batch.model)
        seen[table.name].update(row["id"] for row in batch.rows)
        for fk in table.foreign_keys:
            target = fk.column.table.name
            for row in batch.rows:
                value = row[fk.parent.name]
                assert value is None or value in seen[target], (table.name, fk.parent.name)


def test_rows_carry_every_column_with_matching_python_types(council: list[Batch]) -> None:
    tenant = demo_tenant_id(SEED)
    for batch in council:
        table = table_of(batch.model)
        columns = {c.name: c for c in table.columns}
        for row in batch.rows:
            assert set(row) == set(columns), table.name
            assert row["tenant_id"] == tenant
            assert row["version"] == 0
            assert row["deleted"] is False
            for name, value in row.items():
                column = columns[name]
                if value is None:
                    assert column.nullable, f"{table.name}.{name} is not nullable"
                    continue
                kind = column.type
                if isinstance(kind, TypeDecorator):
                    kind = kind.impl_instance
                expected: Any = kind.python_type
                assert isinstance(value, expected), f"{table.name}.{name}={value!r}"
                if isinstance(kind, DateTime):
                    assert isinstance(value, datetime)
                    assert value.tzinfo is UTC, f"{table.name}.{name} must be aware UTC"
                elif isinstance(kind, Date):
                    assert not isinstance(value, datetime)
                if expected is int:
                    assert not isinstance(value, bool)


def test_batches_insert_into_the_real_schema(council: list[Batch]) -> None:
    engine = create_engine("sqlite://")

    @event.listens_for(engine, "connect")
    def _fk_on(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    _insert_all(engine, council)
    with engine.connect() as conn:
        loaded = conn.execute(select(table_of(Person).c.date_of_birth)).scalars().all()
        assert len(loaded) == 1000


def _insert_all(engine: Engine, batches: list[Batch]) -> None:
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        for batch in batches:
            conn.execute(insert(table_of(batch.model)), batch.rows)


def test_all_events_happen_before_today(council: list[Batch]) -> None:
    start_of_today = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    for batch in council:
        for row in batch.rows:
            assert field(row, "updated_at", datetime) < start_of_today
    for row in rows(council, Note):
        assert field(row, "created_at", datetime) < start_of_today


# --- People, households and properties --------------------------------------------------------


def test_persons_pass_shared_validation(council: list[Batch]) -> None:
    persons = rows(council, Person)
    nhs_numbers = []
    for row in persons:
        cleaned = clean_person(row, today=TODAY, allow_test=True)
        assert cleaned["nhs_number"] == row["nhs_number"]
        nhs = optional(row, "nhs_number", str)
        if nhs is not None:
            assert nhs.startswith("999")
            assert normalise_nhs_number(nhs, allow_test=True) == nhs
            nhs_numbers.append(nhs)
        born = optional(row, "date_of_birth", date)
        if born is not None:
            validate_date_of_birth(born, today=TODAY)
        if row["interpreter_needed"]:
            assert row["preferred_language"] == "other"
            assert field(row, "communication_needs", str)
    assert len(nhs_numbers) == len(set(nhs_numbers)), "NHS numbers are unique"
    assert 0.75 < len(nhs_numbers) / len(persons) < 0.98
    languages = Counter(row["preferred_language"] for row in persons)
    assert languages["en"] > 800
    assert languages["cy"] > 0
    assert languages["other"] > 0
    assert any(row["sealed"] for row in persons)


def test_properties_pass_shared_validation(council: list[Batch]) -> None:
    uprns = []
    tenures: Counter[str] = Counter()
    for row in rows(council, Property):
        cleaned = clean_property(row)
        assert cleaned["postcode"] == row["postcode"], "postcodes are stored normalised"
        tenure = field(row, "tenure", str)
        tenures[tenure] += 1
        postcode = field(row, "postcode", str)
        if tenure == Tenure.NO_FIXED_ABODE:
            assert postcode.startswith("ZZ99 ")
            assert row["uprn"] is None
        else:
            assert not postcode.startswith("ZZ99")
            uprn = field(row, "uprn", int)
            assert 10**9 <= uprn < 10**12
            uprns.append(uprn)
    assert len(uprns) == len(set(uprns)), "UPRNs are never reused"
    assert tenures.most_common(1)[0][0] == Tenure.COUNCIL_TENANCY
    assert set(tenures) == {str(t) for t in Tenure}


def test_households_are_plausible(council: list[Batch]) -> None:
    persons = by_id(council, Person)
    members: dict[object, list[Row]] = defaultdict(list)
    household_of: dict[object, object] = {}
    for row in rows(council, HouseholdMember):
        members[row["household_id"]].append(row)
        assert row["person_id"] not in household_of, "one household per person"
        household_of[row["person_id"]] = row["household_id"]

    def age(person_id: object) -> int | None:
        born = optional(persons[cast(uuid.UUID, person_id)], "date_of_birth", date)
        return None if born is None else age_on(born, TODAY)

    sizes = Counter(len(m) for m in members.values())
    assert set(sizes) <= {1, 2, 3, 4, 5, 6}
    assert sizes[1]
    assert sizes[4]
    for household in members.values():
        roles = Counter(m["role"] for m in household)
        assert roles[HouseholdRole.LEAD_TENANT] == 1
        for member in household:
            years = age(member["person_id"])
            if years is None:
                continue
            if member["role"] == HouseholdRole.CHILD:
                assert years < 18
            else:
                assert years >= 17
    kinds: Counter[object] = Counter()
    for rel in rows(council, Relationship):
        kinds[rel["kind"]] += 1
        a, b = rel["person_id"], rel["related_person_id"]
        assert a != b
        assert household_of[a] == household_of[b]
        if rel["kind"] == "parent_of":
            older, younger = age(a), age(b)
            if older is not None and younger is not None:
                assert older - younger >= 15
        if rel["kind"] == "carer_for":
            carer = age(a)
            assert carer is None or carer >= 18
    assert set(kinds) == {"parent_of", "partner_of", "carer_for"}


# --- Cases and their chronology ---------------------------------------------------------------


@functools.cache
def _reachable(case_type: str) -> frozenset[str]:
    ct = CASE_TYPES[case_type]
    seen: set[str] = {ct.initial}
    todo = [ct.initial]
    while todo:
        status = todo.pop()
        for nxt in ct.allowed_from(status):
            validate_transition(case_type, status, nxt)
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(seen)


def test_cases_pass_shared_validation(council: list[Batch]) -> None:
    teams = by_id(council, Team)
    users = by_id(council, User)
    tasks_by_case: dict[object, list[Row]] = defaultdict(list)
    for task in rows(council, Task):
        tasks_by_case[task["case_id"]].append(task)
    references = []
    for row in rows(council, Case):
        case_type = field(row, "case_type", str)
        status = field(row, "status", str)
        priority = field(row, "priority", str)
        service = field(row, "service", str)
        assert CASE_TYPES[case_type].service == service
        assert status in _reachable(case_type)
        validate_priority(case_type, priority)
        referral_date = field(row, "referral_date", date)
        opened = field(row, "opened_at", datetime)
        changed = field(row, "status_changed_at", datetime)
        assert referral_date <= opened.date() <= changed.date()
        validate_not_before_referral("opened_at", opened, referral_date)
        target = optional(row, "target_at", datetime)
        validate_repair_target(priority, opened, target)
        assert target == target_for(CASE_TYPES[case_type], Priority(priority), opened)
        due = optional(row, "due_date", date)
        if due is not None:
            validate_not_before_referral("due_date", due, referral_date)
        open_titles = [
            str(t["title"]) for t in tasks_by_case[row["id"]] if t["status"] == TaskStatus.OPEN
        ]
        if status == CLOSED:
            validate_case_closure(optional(row, "closure_reason", str), open_titles)
            assert row["closed_at"] == changed
            assert row["officer_id"] is not None
        else:
            assert row["closed_at"] is None
            assert row["closure_reason"] is None
        team = teams[field(row, "owning_team_id", uuid.UUID)]
        assert team["service"] == service
        officer_id = optional(row, "officer_id", uuid.UUID)
        if officer_id is not None:
            assert users[officer_id]["team_id"] == team["id"]
            assert users[officer_id]["role"] == Role.FIELD_OFFICER
        reference = field(row, "reference", str)
        assert len(reference) == 9
        assert reference[2] == "-"
        references.append(reference)
    assert len(references) == len(set(references)), "case references are unique"
    prefixes = {(str(r["reference"])[:2], r["service"]) for r in rows(council, Case)}
    assert len({p for p, _ in prefixes}) == len(prefixes) == len(Service)


def test_every_service_and_case_type_is_represented(council: list[Batch]) -> None:
    cases = rows(council, Case)
    assert {r["service"] for r in cases} == {str(s) for s in Service}
    assert {r["case_type"] for r in cases} == set(CASE_TYPES)
    for code, ct in CASE_TYPES.items():
        statuses = {r["status"] for r in cases if r["case_type"] == code}
        assert len(statuses) >= 3, f"{code} cases sit at varied points of the workflow"
        assert ct.initial in statuses or CLOSED in statuses
    assert any(r["officer_id"] is None for r in cases), "some cases await allocation"
    assert any(r["status"] == CLOSED for r in cases)
    assert any(r["status"] != CLOSED for r in cases)


def test_households_and_persons_span_services(council: list[Batch]) -> None:
    members = rows(council, HouseholdMember)
    household_of = {m["person_id"]: m["household_id"] for m in members}
    cases = rows(council, Case)
    with_case = {household_of[c["subject_person_id"]] for c in cases}
    share = len(with_case) / len(rows(council, Household))
    assert 0.3 < share < 0.55
    services_by_household: dict[object, set[object]] = defaultdict(set)
    for c in cases:
        services_by_household[household_of[c["subject_person_id"]]].add(c["service"])
    spanning = [s for s in services_by_household.values() if len(s) >= 2]
    assert len(spanning) > 20
    assert any(len(s) >= 3 for s in services_by_household.values())
    services_by_person: dict[object, set[object]] = defaultdict(set)
    for c in cases:
        services_by_person[c["subject_person_id"]].add(c["service"])
    assert sum(len(s) >= 2 for s in services_by_person.values()) > 10
    assert any(len(s) >= 3 for s in services_by_person.values())


def test_notes_tasks_and_assessments_follow_the_case(council: list[Batch]) -> None:
    cases = by_id(council, Case)
    start_of_today = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    notes_per_case = Counter(r["case_id"] for r in rows(council, Note))
    assert set(notes_per_case) == set(cases)
    assert min(notes_per_case.values()) >= 2
    assert max(notes_per_case.values()) <= 6
    for note in rows(council, Note):
        case = cases[field(note, "case_id", uuid.UUID)]
        created = field(note, "created_at", datetime)
        validate_not_before_referral("created_at", created, field(case, "referral_date", date))
        assert created >= field(case, "opened_at", datetime)
        assert field(note, "text", str).strip()
    assert {r["kind"] for r in rows(council, Note)} >= {"visit", "phone", "letter"}
    assert {r["visibility"] for r in rows(council, Note)} == {"service", "shared"}

    overdue = 0
    for task in rows(council, Task):
        case = cases[field(task, "case_id", uuid.UUID)]
        due = field(task, "due_at", datetime)
        validate_not_before_referral("due_at", due, field(case, "referral_date", date))
        checked_in = optional(task, "checked_in_at", datetime)
        checked_out = optional(task, "checked_out_at", datetime)
        if task["status"] == TaskStatus.DONE and task["kind"] == TaskKind.VISIT:
            assert checked_in is not None
            assert checked_out is not None
            assert due <= checked_in < checked_out
        else:
            assert checked_in is None
            assert checked_out is None
        if task["status"] == TaskStatus.OPEN and due < start_of_today:
            overdue += 1
        assert task["assignee_id"] == case["officer_id"]
    assert overdue > 0

    forms: Counter[tuple[object, object]] = Counter()
    for assessment in rows(council, Assessment):
        case = cases[field(assessment, "case_id", uuid.UUID)]
        forms[(case["case_type"], assessment["form_id"])] += 1
        assert field(assessment, "answers", dict)
        completed = optional(assessment, "completed_at", datetime)
        if completed is not None:
            validate_not_before_referral(
                "completed_at", completed, field(case, "referral_date", date)
            )
    assert {case_type for case_type, _ in forms} >= {"care_act", "early_help"}


def test_referrals_connect_services(council: list[Batch]) -> None:
    cases = by_id(council, Case)
    statuses: Counter[str] = Counter()
    for referral in rows(council, Referral):
        status = field(referral, "status", str)
        statuses[status] += 1
        assert referral["from_service"] != referral["to_service"]
        source = cases[field(referral, "case_id", uuid.UUID)]
        assert source["service"] == referral["from_service"]
        sent = field(referral, "sent_at", datetime)
        assert sent >= field(source, "opened_at", datetime)
        assert field(referral, "lawful_basis", str)
        assert field(referral, "reason", str)
        created_id = optional(referral, "created_case_id", uuid.UUID)
        if status == ReferralStatus.ACCEPTED:
            assert created_id is not None
            created = cases[created_id]
            assert created["service"] == referral["to_service"]
            assert created["subject_person_id"] == referral["person_id"]
            assert created["referral_date"] == sent.date()
            assert sent <= field(created, "opened_at", datetime)
            assert referral["decline_reason"] is None
        else:
            assert created_id is None
        if status == ReferralStatus.DECLINED:
            assert field(referral, "decline_reason", str)
    assert set(statuses) == {str(s) for s in ReferralStatus}


def test_warning_markers(council: list[Batch]) -> None:
    persons = len(rows(council, Person))
    users = by_id(council, User)
    markers = rows(council, WarningMarker)
    assert 0.01 <= len(markers) / persons <= 0.04
    expired = 0
    for marker in markers:
        review = field(marker, "review_date", date)
        validate_warning_marker(optional(marker, "reason", str), review)
        proposer = users[field(marker, "proposed_by_id", uuid.UUID)]
        assert proposer["role"] == Role.FIELD_OFFICER
        if marker["status"] == MarkerStatus.PROPOSED:
            assert marker["approved_by_id"] is None
            assert marker["approved_at"] is None
            assert not marker_is_expired(review, today=TODAY)
        else:
            approver = users[field(marker, "approved_by_id", uuid.UUID)]
            assert approver["role"] == Role.TEAM_LEAD
            assert field(marker, "approved_at", datetime).date() < review
        expired += marker_is_expired(review, today=TODAY)
    statuses = Counter(m["status"] for m in markers)
    assert statuses[MarkerStatus.APPROVED] > statuses[MarkerStatus.PROPOSED] > 0
    assert 0 < expired < len(markers) / 2


# --- Users ------------------------------------------------------------------------------------


def test_named_demo_users_exist_with_their_roles(council: list[Batch]) -> None:
    users = demo_users(SEED)
    named = {u.username: u for u in users}
    officer, worker, lead = (
        named["housing.officer"],
        named["social.worker"],
        named["team.lead"],
    )
    assert (officer.role, officer.service) == (Role.FIELD_OFFICER, Service.TENANCY_MANAGEMENT)
    assert (worker.role, worker.service) == (Role.FIELD_OFFICER, Service.ADULT_SOCIAL_CARE)
    assert (lead.role, lead.service) == (Role.TEAM_LEAD, Service.TENANCY_MANAGEMENT)
    assert lead.team_id == officer.team_id
    assert officer.password == "doorstep-demo-1"
    assert len(named) == len(users), "usernames are unique"
    assert all(u.password.startswith("doorstep-demo-") for u in users)

    user_rows = rows(council, User)
    assert [(r["id"], r["username"], r["role"], r["team_id"]) for r in user_rows] == [
        (u.id, u.username, u.role, u.team_id) for u in users
    ]
    assert not any("password" in key for row in user_rows for key in row)
    teams = by_id(council, Team)
    assert {t["service"] for t in teams.values()} == {str(s) for s in Service}
    for team_id in teams:
        team_users = [u for u in users if u.team_id == team_id]
        assert [u.role for u in team_users].count(Role.TEAM_LEAD) == 1
        assert [u.role for u in team_users].count(Role.FIELD_OFFICER) >= 3
    assert demo_users(SEED) == users
    assert demo_users(SEED + 1)[0].id != users[0].id


def test_named_officers_have_open_work(council: list[Batch]) -> None:
    named = {u.username: u.id for u in demo_users(SEED)}
    cases = rows(council, Case)
    for username in ("housing.officer", "social.worker"):
        mine = [c for c in cases if c["officer_id"] == named[username] and c["status"] != CLOSED]
        assert len(mine) >= 3, username


def test_default_today_is_used_when_not_given() -> None:
    batches = list(generate_council(5, SEED))
    limit = datetime.now(UTC) + timedelta(days=1)
    assert all(field(r, "updated_at", datetime) < limit for b in batches for r in b.rows)
