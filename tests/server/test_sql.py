"""insert_rows and update_rows: one unnest statement on PostgreSQL, stored as SQLAlchemy stores."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from server.models import ChangeLog, Conflict
from server.sync.sql import array_literal, insert_rows, update_rows


def _conflicts(tenant_id: uuid.UUID, n: int) -> list[dict[str, Any]]:
    at = datetime(2026, 11, 26, 12, 30, tzinfo=UTC)
    return [
        {
            "id": uuid.uuid4(),
            "tenant_id": tenant_id,
            "entity": "case",
            "record_id": uuid.uuid4(),
            "field": ["summary", 'a,b{c}"d\\e', "NULL"][i % 3],
            "base_value": None if i == 0 else {"nested": [i, "text"]},
            "mine_value": f'mine {i}: he said "no" \\ {{x,y}} NULL, 3\u20ac',
            "theirs_value": [i, None],
            "client_id": uuid.uuid4(),
            "mutation_id": i + 1,
            "user_id": uuid.uuid4(),
            "owning_team_id": None,
            "created_at": at,
            "resolved_at": None,
            "resolved_by_id": None,
            "resolution": "NULL" if i == 1 else None,
            "version": 1,
        }
        for i in range(n)
    ]


@contextmanager
def _without_foreign_keys(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction whose conflict rows may name users and clients that do not exist."""
    with engine.begin() as connection:
        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        yield connection


@pytest.mark.postgres
def test_rows_stored_by_unnest_match_sqlalchemys_insert(pg_platform_engine: sa.Engine) -> None:
    table: sa.Table = Conflict.__table__  # type: ignore[assignment]
    tenant_id = uuid.uuid4()
    ours, theirs = _conflicts(tenant_id, 3), _conflicts(tenant_id, 3)
    for mine, other in zip(ours, theirs, strict=True):
        other["record_id"] = mine["record_id"]
    with _without_foreign_keys(pg_platform_engine) as connection:
        insert_rows(connection, table, ours)
        connection.execute(sa.insert(table), theirs)
        stored = connection.execute(sa.select(table).where(table.c.tenant_id == tenant_id)).all()
    by_id = {row.id: row._asdict() for row in stored}
    assert len(by_id) == 6
    ignore = {"id", "client_id", "user_id"}
    for mine, other in zip(ours, theirs, strict=True):
        a, b = by_id[mine["id"]], by_id[other["id"]]
        assert {k: v for k, v in a.items() if k not in ignore} == {
            k: v for k, v in b.items() if k not in ignore
        }
    assert by_id[ours[1]["id"]]["base_value"] == {"nested": [1, "text"]}
    # Text that looks like array syntax or NULL is stored as written.
    assert by_id[ours[1]["id"]]["field"] == 'a,b{c}"d\\e'
    assert by_id[ours[2]["id"]]["field"] == "NULL"
    assert by_id[ours[1]["id"]]["resolution"] == "NULL"
    assert by_id[ours[0]["id"]]["resolution"] is None
    assert by_id[ours[1]["id"]]["mine_value"] == 'mine 1: he said "no" \\ {x,y} NULL, 3\u20ac'


def test_an_array_literal_quotes_all_but_bare_ids_numbers_and_times() -> None:
    when = datetime(2026, 11, 26, 12, 30, tzinfo=UTC)
    assert array_literal(["a", None, 'b"\\c', True, 7, when]) == (
        '{"a",NULL,"b\\"\\\\c","True","7","2026-11-26T12:30:00+00:00"}'
    )
    assert array_literal([1.5]) is None
    # Only ids, numbers or times alone go bare: nothing in their text needs quoting.
    one = uuid.UUID(int=1)
    assert array_literal([one, one]) == f"{{{one},{one}}}"
    assert array_literal([7, -2]) == "{7,-2}"
    assert array_literal([when]) == "{2026-11-26T12:30:00+00:00}"
    assert array_literal([True, False]) == '{"True","False"}'
    assert array_literal(["7", "8"]) == '{"7","8"}'


@pytest.mark.postgres
def test_left_out_columns_take_their_defaults(pg_platform_engine: sa.Engine) -> None:
    log: sa.Table = ChangeLog.__table__  # type: ignore[assignment]
    tenant_id = uuid.uuid4()
    rows = [
        {"tenant_id": tenant_id, "entity": "note", "record_id": uuid.uuid4(), "version": v}
        for v in (1, 2)
    ]
    before = datetime.now(UTC)
    with pg_platform_engine.begin() as connection:
        insert_rows(connection, log, rows)
        xid = connection.execute(sa.text("SELECT pg_current_xact_id()::text::bigint")).scalar()
        stored = connection.execute(
            sa.select(log).where(log.c.tenant_id == tenant_id).order_by(log.c.seq)
        ).all()
    assert [row.version for row in stored] == [1, 2]
    # The Python-side defaults (at, broad) and the server-side ones (seq, xid) all applied.
    assert all(row.at is not None and row.at >= before for row in stored)
    assert all(row.broad is True for row in stored)
    assert all(row.xid == xid for row in stored)
    assert stored[0].seq < stored[1].seq


@pytest.mark.postgres
def test_a_value_too_long_is_refused_not_cut_and_rows_keep_their_order(
    pg_platform_engine: sa.Engine,
) -> None:
    log: sa.Table = ChangeLog.__table__  # type: ignore[assignment]
    tenant_id = uuid.uuid4()
    ids = [uuid.uuid4() for _ in range(50)]
    rows = [
        {"tenant_id": tenant_id, "entity": "note", "record_id": record_id, "version": 1}
        for record_id in ids
    ]
    with pg_platform_engine.begin() as connection:
        insert_rows(connection, log, rows)
        stored = connection.execute(
            sa.select(log.c.record_id).where(log.c.tenant_id == tenant_id).order_by(log.c.seq)
        ).scalars()
        # The sequence follows the rows' order: the feed serves parents before children.
        assert list(stored) == ids
    too_long = [dict(row, entity="x" * 41) for row in rows[:2]]  # entity is VARCHAR(40)
    with pytest.raises(sa.exc.DBAPIError), pg_platform_engine.begin() as connection:
        insert_rows(connection, log, too_long)


@pytest.mark.postgres
def test_rows_updated_by_unnest_match_sqlalchemys_update_and_count_only_rows_at_seen(
    pg_platform_engine: sa.Engine,
) -> None:
    table: sa.Table = Conflict.__table__  # type: ignore[assignment]
    tenant_id = uuid.uuid4()
    ours, theirs = _conflicts(tenant_id, 3), _conflicts(tenant_id, 3)
    later = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def changes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "_id": row["id"],
                "_seen": 1,
                "field": 'x,"y"\\{z}' if i else "NULL",
                "resolution": None if i else "kept mine",
                "resolved_at": later,
                "version": 2,
            }
            for i, row in enumerate(rows)
        ]

    with _without_foreign_keys(pg_platform_engine) as connection:
        connection.execute(sa.insert(table), ours + theirs)
        # Another writer moved our second row on meanwhile: it is left alone and not counted.
        connection.execute(sa.update(table).where(table.c.id == ours[1]["id"]).values(version=5))
        done = update_rows(connection, table, changes(ours), conditional=True)
        by_row = sa.update(table).where(
            table.c.id == sa.bindparam("_id"), table.c.version == sa.bindparam("_seen")
        )
        connection.execute(by_row, changes(theirs))
        stored = connection.execute(sa.select(table).where(table.c.tenant_id == tenant_id)).all()
    assert done == 2
    by_id = {row.id: row._asdict() for row in stored}
    assert by_id[ours[1]["id"]]["version"] == 5
    assert by_id[ours[1]["id"]]["resolved_at"] is None
    ignore = {"id", "client_id", "user_id", "record_id"}
    for index in (0, 2):
        a, b = by_id[ours[index]["id"]], by_id[theirs[index]["id"]]
        assert {k: v for k, v in a.items() if k not in ignore} == {
            k: v for k, v in b.items() if k not in ignore
        }
    assert by_id[ours[0]["id"]]["field"] == "NULL"
    assert by_id[ours[0]["id"]]["resolution"] == "kept mine"
    assert by_id[ours[2]["id"]]["field"] == 'x,"y"\\{z}'
    assert by_id[ours[2]["id"]]["resolved_at"] == later


@pytest.mark.postgres
def test_an_unconditional_update_changes_every_row_it_names(pg_platform_engine: sa.Engine) -> None:
    table: sa.Table = Conflict.__table__  # type: ignore[assignment]
    rows = _conflicts(uuid.uuid4(), 4)
    with _without_foreign_keys(pg_platform_engine) as connection:
        connection.execute(sa.insert(table), rows)
        named = [{"_id": row["id"], "field": f"f{i}", "version": 7} for i, row in enumerate(rows)]
        done = update_rows(connection, table, named[:3], conditional=False)
        stored = connection.execute(sa.select(table.c.id, table.c.field, table.c.version)).all()
        with pytest.raises(ValueError, match="_seen"):
            update_rows(connection, table, named, conditional=True)
    assert done == 3
    by_id = {row.id: (row.field, row.version) for row in stored}
    assert [by_id[row["id"]] for row in rows] == [
        ("f0", 7),
        ("f1", 7),
        ("f2", 7),
        (rows[3]["field"], 1),
    ]


@pytest.mark.postgres
def test_an_update_too_long_is_refused_not_cut(pg_platform_engine: sa.Engine) -> None:
    table: sa.Table = Conflict.__table__  # type: ignore[assignment]
    conflicts = _conflicts(uuid.uuid4(), 2)
    with _without_foreign_keys(pg_platform_engine) as connection:
        connection.execute(sa.insert(table), conflicts)
    too_long = [{"_id": row["id"], "entity": "x" * 41} for row in conflicts]  # VARCHAR(40)
    with pytest.raises(sa.exc.DBAPIError), pg_platform_engine.begin() as connection:
        update_rows(connection, table, too_long, conditional=False)
    with pg_platform_engine.connect() as connection:
        entities = connection.execute(
            sa.select(table.c.entity).where(table.c.id.in_([row["id"] for row in conflicts]))
        ).scalars()
        assert list(entities) == ["case", "case"]
