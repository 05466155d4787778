"""Bulk-load conversion stores exactly what the ORM would, so both read back the same."""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, insert, select

from app.demo import generate_council
from app.models.entities import SYNCED_ENTITIES, Person
from app.store.db import Store
from app.store.keys import StoreKey
from app.store.rows import to_parameters

TENANT = uuid.UUID(int=1)


def _open(path: Path) -> Store:
    return Store.open(path, StoreKey(secrets.token_hex(32), "keyring"))


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's raw stored values, as SQLite holds them."""
    out = {}
    with store.engine.connect() as connection:
        for model in SYNCED_ENTITIES:
            name = model.__tablename__  # type: ignore[attr-defined]
            out[name] = sorted(
                tuple(row) for row in connection.exec_driver_sql(f"SELECT * FROM {name}")
            )
    return out


def test_fast_path_stores_the_same_bytes_as_sqlalchemy(tmp_path: Path) -> None:
    batches = [(b.model, b.rows) for b in generate_council(60, seed=3, today=date(2026, 11, 2))]
    fast = _open(tmp_path / "fast.db")
    fast.bulk_load(batches)
    orm = _open(tmp_path / "orm.db")
    with orm.engine.begin() as connection:
        for model, rows in batches:
            connection.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
    try:
        assert _dump(fast) == _dump(orm)
        # And the ORM reads fast-path rows back as the values that went in.
        people = {p["id"]: p for model, rows in batches if model is Person for p in rows}
        with fast.session() as session:
            for person in session.scalars(select(Person)):
                source = people[person.id]
                assert person.updated_at == source["updated_at"]
                assert person.date_of_birth == source["date_of_birth"]
                assert person.sealed == source["sealed"]
    finally:
        fast.close()
        orm.close()


def test_left_out_columns_take_defaults_and_required_ones_are_named() -> None:
    table = Person.__table__
    assert isinstance(table, Table)
    (params,) = to_parameters(table, [{"given_name": "A", "family_name": "B", "tenant_id": TENANT}])
    row = dict(zip([c.name for c in table.columns], params, strict=True))
    assert row["version"] == 0
    assert row["deleted"] == 0
    assert row["preferred_language"] == "en"
    assert len(row["id"]) == 32
    with pytest.raises(ValueError, match="required column given_name"):
        to_parameters(table, [{"family_name": "B"}])
