"""A small council world in a fresh store, a fake clock, and builders for wire changes."""

from __future__ import annotations

import secrets
import shutil
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.models import entities as e
from app.models.base import Syncable
from app.models.registry import BY_NAME
from app.store.db import Store
from app.store.keys import StoreKey
from app.sync import codec
from app.sync.graph import wire_columns
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.protocol import Change, PullResponse
from app.sync.state import Identity

TENANT = uuid.UUID(int=1)
TEAM = uuid.UUID(int=10)
OTHER_TEAM = uuid.UUID(int=13)
USER = uuid.UUID(int=11)
DEVICE = uuid.UUID(int=12)
PROPERTY = uuid.UUID(int=20)
PERSON = uuid.UUID(int=30)
HOUSEHOLD = uuid.UUID(int=40)
MEMBER = uuid.UUID(int=50)
CASE = uuid.UUID(int=60)
TASK = uuid.UUID(int=70)
VISIT = uuid.UUID(int=71)
NOTE = uuid.UUID(int=80)
EPOCH = uuid.UUID(int=999)
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

IDENTITY = Identity(
    server_url="https://platform.test",
    tenant="demo",
    tenant_id=TENANT,
    user_id=USER,
    username="housing.officer",
    display_name="Alex Morgan",
    role="field_officer",
    team_id=TEAM,
    device_id=DEVICE,
)


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def complete(model: type[Syncable], row: Mapping[str, Any]) -> dict[str, Any]:
    """Every column of ``model``: given values, else the column's default, else None."""
    out: dict[str, Any] = {}
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        if column.name in row:
            out[column.name] = row[column.name]
        elif column.default is not None and column.default.is_scalar:
            arg = column.default.arg
            out[column.name] = str(arg) if isinstance(arg, str) else arg
        else:
            out[column.name] = None
    return out


def world() -> dict[str, dict[uuid.UUID, dict[str, Any]]]:
    """Typed rows by entity: a team, an officer, one household, an open tenancy case."""
    common = {"tenant_id": TENANT, "version": 1, "updated_at": NOW, "deleted": False}
    rows: dict[str, list[dict[str, Any]]] = {
        "team": [
            {"id": TEAM, "name": "Tenancy East", "service": "tenancy_management"},
            {"id": OTHER_TEAM, "name": "Repairs North", "service": "housing_repairs"},
        ],
        "user": [
            {
                "id": USER,
                "username": "housing.officer",
                "display_name": "Alex Morgan",
                "role": "field_officer",
                "team_id": TEAM,
            }
        ],
        "property": [
            {
                "id": PROPERTY,
                "uprn": 100023336956,
                "address_line1": "12 Ffordd Glan",
                "town": "Cardiff",
                "postcode": "CF10 1AA",
                "tenure": "council_tenancy",
            }
        ],
        "person": [
            {
                "id": PERSON,
                "given_name": "Siân",
                "family_name": "Pritchard",
                "date_of_birth": date(1961, 3, 4),
                "nhs_number": "9434765919",
                "phone": "029 2000 0000",
                "preferred_language": "cy",
            }
        ],
        "household": [{"id": HOUSEHOLD, "property_id": PROPERTY}],
        "household_member": [
            {"id": MEMBER, "household_id": HOUSEHOLD, "person_id": PERSON, "role": "lead_tenant"}
        ],
        "case": [
            {
                "id": CASE,
                "reference": "TM-000042",
                "service": "tenancy_management",
                "case_type": "tenancy",
                "status": "open",
                "priority": "normal",
                "owning_team_id": TEAM,
                "officer_id": USER,
                "subject_person_id": PERSON,
                "property_id": PROPERTY,
                "summary": "Rent arrears",
                "referral_date": date(2026, 10, 1),
                "opened_at": NOW - timedelta(days=30),
                "status_changed_at": NOW - timedelta(days=30),
            }
        ],
        "task": [
            {"id": TASK, "case_id": CASE, "kind": "task", "title": "Call landlord"},
            {"id": VISIT, "case_id": CASE, "kind": "visit", "title": "Home visit"},
        ],
        "note": [
            {
                "id": NOTE,
                "case_id": CASE,
                "author_id": USER,
                "created_at": NOW - timedelta(days=2),
                "kind": "visit",
                "text": "Discussed a repayment plan.",
                "visibility": "service",
            }
        ],
    }
    return {
        entity: {
            row["id"]: complete(BY_NAME[entity].model, {**common, **row}) for row in entity_rows
        }
        for entity, entity_rows in rows.items()
    }


def load(store: Store, rows: Mapping[str, Mapping[uuid.UUID, dict[str, Any]]]) -> None:
    """Put rows in the store as if an earlier pull had brought them."""
    store.bulk_load(
        [(BY_NAME[entity].model, list(found.values())) for entity, found in rows.items()]
    )


def full(entity: str, row: Mapping[str, Any], version: int | None = None) -> Change:
    """A full-scope change carrying ``row`` (typed values) as the platform would send it."""
    spec = BY_NAME[entity]
    table = spec.model.__tablename__  # type: ignore[attr-defined]
    values = complete(spec.model, row)
    fields = codec.encode(spec.model, {n: values[n] for n in wire_columns(table)})
    return Change(
        entity=entity,
        id=values["id"],
        version=version if version is not None else int(values["version"] or 1),
        fields=fields,
    )


def summary(row: Mapping[str, Any], version: int) -> Change:
    """A case as a summary, as sent to a user outside its detail scope."""
    names = BY_NAME["case"].summary_fields | {"updated_at"}
    fields = codec.encode(e.Case, {n: row[n] for n in names})
    return Change(entity="case", id=row["id"], version=version, scope="summary", fields=fields)


def gone(entity: str, record_id: uuid.UUID, version: int, *, exit_: bool = False) -> Change:
    """A tombstone, or with ``exit_`` a scope exit."""
    if exit_:
        return Change(entity=entity, id=record_id, version=version, scope="exit")
    return Change(entity=entity, id=record_id, version=version, deleted=True)


def page(
    *changes: Change, cursor: str = "c1", has_more: bool = False, epoch: uuid.UUID = EPOCH
) -> PullResponse:
    return PullResponse(changes=list(changes), cursor=cursor, has_more=has_more, epoch=epoch)


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StoreKey]:
    """One migrated store, copied for each test (opening runs every migration)."""
    key = StoreKey(secrets.token_hex(32), "keyring")
    path = tmp_path_factory.mktemp("template") / "doorstep.db"
    Store.open(path, key).close()
    return path, key


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def empty_store(tmp_path: Path, template: tuple[Path, StoreKey]) -> Iterator[Store]:
    path = tmp_path / "doorstep.db"
    shutil.copyfile(template[0], path)
    store = Store.open(path, template[1])
    yield store
    store.close()


@pytest.fixture
def store(empty_store: Store) -> Store:
    load(empty_store, world())
    return empty_store


@pytest.fixture
def sync(store: Store, clock: FakeClock) -> LocalSync:
    local = LocalSync(store, clock=clock)
    local.set_identity(IDENTITY)
    return local


@pytest.fixture
def changes(store: Store, clock: FakeClock) -> LocalChanges:
    return LocalChanges(
        store,
        clock=clock,
        user_id=USER,
        device_id=DEVICE,
        tenant_id=TENANT,
        allow_test_numbers=False,
    )


def fail_on_insert(store: Store, table: str, when: str = "1") -> None:
    """Make the next matching insert into ``table`` fail, as a crash mid-write would."""
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} WHEN {when} "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )


def rows_of(store: Store, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql, params)]
