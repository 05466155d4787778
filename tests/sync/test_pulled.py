"""The fast path for pulled rows stores exactly what codec.decode plus rows.to_parameters store."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from app.demo import generate_council
from app.models.registry import BY_MODEL, BY_NAME
from app.store.rows import to_parameters
from app.sync import codec, pulled
from app.sync.graph import TABLES, wire_columns
from tests.sync.conftest import TENANT, complete, world

TENANT_HEX = TENANT.hex


def general(
    entity: str, record: uuid.UUID, version: int, fields: dict[str, Any]
) -> tuple[Any, ...]:
    spec = BY_NAME[entity]
    row = codec.decode(spec.model, fields)
    row.update(id=record, tenant_id=TENANT, version=version, deleted=False)
    [params] = to_parameters(TABLES[spec.model.__tablename__], [row])  # type: ignore[attr-defined]
    return params


def fast(entity: str, record: uuid.UUID, version: int, fields: dict[str, Any]) -> tuple[Any, ...]:
    table = TABLES[BY_NAME[entity].model.__tablename__]  # type: ignore[attr-defined]
    return pulled.parameters(table, record.hex, TENANT_HEX, version, fields)


def wire(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    model = BY_NAME[entity].model
    values = complete(model, row)
    return codec.encode(model, {n: values[n] for n in wire_columns(model.__tablename__)})  # type: ignore[attr-defined]


def samples() -> list[tuple[str, uuid.UUID, dict[str, Any]]]:
    found = [
        (entity, record, wire(entity, row))
        for entity, rows in world().items()
        for record, row in rows.items()
    ]
    for batch in generate_council(40, 3, today=date(2026, 11, 2)):
        entity = BY_MODEL[batch.model].name
        for row in batch.rows[:25]:
            found.append((entity, row["id"], wire(entity, row)))  # type: ignore[arg-type]
    return found


def test_every_entity_stores_the_same_values_by_both_paths() -> None:
    seen = set()
    for entity, record, fields in samples():
        assert fast(entity, record, 3, fields) == general(entity, record, 3, fields), entity
        seen.add(entity)
    assert seen >= {"person", "case", "note", "task", "household_member", "property", "team"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("updated_at", "2026-11-02T09:30:00Z"),
        ("updated_at", "2026-11-02T09:30:00.123456Z"),
        ("updated_at", "2026-11-02T10:30:00.5+01:00"),
        ("updated_at", "2026-11-02T09:30:00+00:00"),
        ("updated_at", "2026-11-02T093000.1Z"),
        ("date_of_birth", "1961-03-04"),
        ("date_of_birth", "1961-W10-1"),
        ("given_name", "Siân ÿ 🏠"),
        ("phone", None),
    ],
)
def test_value_shapes_agree(name: str, value: Any) -> None:
    fields = wire("person", world()["person"][uuid.UUID(int=30)])
    fields[name] = value
    record = uuid.uuid4()
    assert fast("person", record, 1, fields) == general("person", record, 1, fields)


@pytest.mark.parametrize(
    "change",
    [
        {"given_name": None},  # required
        {"given_name": 7},
        {"date_of_birth": "4 March 1961"},
        {"interpreter_needed": "yes"},
        {"updated_at": "2026-11-02T09:30:00"},  # no timezone
        {"shoe_size": 9},  # not a field
        {"family_name": "x" * 81},
    ],
)
def test_bad_values_are_never_stored_by_the_fast_path(change: dict[str, Any]) -> None:
    fields = {**wire("person", world()["person"][uuid.UUID(int=30)]), **change}
    with pytest.raises(pulled.Unsure):
        fast("person", uuid.uuid4(), 1, fields)


def test_uuid_forms() -> None:
    fields = wire("household", world()["household"][uuid.UUID(int=40)])
    upper = {**fields, "property_id": fields["property_id"].upper()}
    record = uuid.uuid4()
    assert fast("household", record, 1, upper) == general("household", record, 1, fields)
    for bad in (
        "0000000-00000-0000-0000-000000000014",
        "zzzzzzzz-0000-0000-0000-000000000014",
        "00000000-0000-0000-0000-0000000 0014",
    ):
        with pytest.raises(pulled.Unsure):
            fast("household", record, 1, {**fields, "property_id": bad})
    missing = dict(fields)
    del missing["property_id"]
    with pytest.raises(pulled.Unsure):
        fast("household", record, 1, missing)
