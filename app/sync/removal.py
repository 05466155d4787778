"""Taking records off the laptop without breaking a foreign key or losing a row silently."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.sync import codec
from app.sync.graph import (
    ORDER,
    OWNED,
    PARENTS,
    REFERRERS,
    SPEC_OF_TABLE,
    TABLE_OF_ENTITY,
    TABLES,
    wire_columns,
)
from app.sync.tables import parked_change

# A record leaves with the rows it owns (graph.OWNED); any other row left pointing at a removed
# record is *parked*: moved, as wire values, into ``parked_change`` with the parent it waits for,
# and put back when that parent arrives. The same parking takes pulled rows whose parent the
# feed has not sent yet. Ids here are the 32-digit hex text SQLite stores for a UUID.

Ids = dict[str, set[str]]
"""Table name -> hex ids."""

Waits = dict[str, dict[str, tuple[str, str]]]
"""Table name -> hex id -> (parent table, parent hex id) the row waits for."""

CHUNK = 500
"""Ids per IN (...) list: well under SQLite's bound-parameter limit."""


def chunks(ids: Iterable[str], size: int = CHUNK) -> Iterator[list[str]]:
    """``ids`` in lists of at most ``size``."""
    batch: list[str] = []
    for item in ids:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def marks(count: int) -> str:
    """``?, ?, ...`` for ``count`` parameters."""
    return ", ".join("?" * count)


def select_column(
    connection: Connection, table: str, column: str, values: Iterable[str], want: str = "id"
) -> list[tuple[str, str]]:
    """(want, column) pairs of ``table`` rows whose ``column`` is one of ``values``."""
    found: list[tuple[str, str]] = []
    for batch in chunks(values):
        sql = f"SELECT {want}, {column} FROM {table} WHERE {column} IN ({marks(len(batch))})"  # noqa: S608
        found.extend((row[0], row[1]) for row in connection.exec_driver_sql(sql, tuple(batch)))
    return found


def delete_ids(connection: Connection, table: str, ids: Iterable[str]) -> int:
    """Delete rows of ``table`` by id; how many there were."""
    total = 0
    for batch in chunks(ids):
        sql = f"DELETE FROM {table} WHERE id IN ({marks(len(batch))})"  # noqa: S608
        total += connection.exec_driver_sql(sql, tuple(batch)).rowcount
    return total


# --- Pending outbox entries --------------------------------------------------------------------

ALL_FIELDS = frozenset({"*"})
"""Marks a record whose every field is pending (an unpushed create)."""


def pending_fields(connection: Connection) -> dict[tuple[str, str], set[str]]:
    """(table, hex id) -> the fields that outbox entries of the record change ("*": all)."""
    found: dict[tuple[str, str], set[str]] = {}
    for entity, record_id, op, fields in connection.exec_driver_sql(
        "SELECT entity, record_id, op, fields FROM outbox"
    ):
        table = TABLE_OF_ENTITY.get(entity)
        if table is None:
            continue
        names = found.setdefault((table, record_id), set())
        names.update(json.loads(fields))
        if op == "create":
            names.update(ALL_FIELDS)
        elif op == "delete":
            names.add("deleted")
        elif op == "transition":
            # Set locally by the transition and by the platform from the same values.
            names.update({"status_changed_at", "closed_at"})
    return found


def has_pending(ids: Ids, pending: Mapping[tuple[str, str], set[str]]) -> bool:
    """Whether any of ``ids`` has outbox entries."""
    return any((table, record) in pending for table, found in ids.items() for record in found)


# --- Closures ----------------------------------------------------------------------------------


def owned_closure(connection: Connection, roots: Ids) -> Ids:
    """``roots`` and every row they own, transitively (a person's cases, the cases' notes...)."""
    result: Ids = {table: set(found) for table, found in roots.items() if found}
    frontier: Ids = {table: set(found) for table, found in result.items()}
    while frontier:
        following: Ids = {}
        for parent, found in frontier.items():
            for reference in OWNED.get(parent, ()):
                for child_id, _ in select_column(
                    connection, reference.child, reference.column, found
                ):
                    known = result.setdefault(reference.child, set())
                    if child_id not in known:
                        known.add(child_id)
                        following.setdefault(reference.child, set()).add(child_id)
        frontier = following
    return result


def referrers_outside(connection: Connection, removed: Ids) -> Waits:
    """Rows not in ``removed`` that point at a row in it, with the row they point at."""
    waits: Waits = {}
    for parent, found in removed.items():
        for reference in REFERRERS.get(parent, ()):
            gone = removed.get(reference.child, set())
            for child_id, parent_id in select_column(
                connection, reference.child, reference.column, found
            ):
                if child_id not in gone:
                    waits.setdefault(reference.child, {}).setdefault(child_id, (parent, parent_id))
    return waits


# --- Parking -----------------------------------------------------------------------------------


def park(connection: Connection, waits: Waits, now: datetime, *, exclude: Ids | None = None) -> Ids:
    """Move rows into ``parked_change`` (and whatever points at them), then delete them.

    Rows in ``exclude`` (being deleted by the caller) are left alone. Returns every row parked
    or, for a row already tombstoned, simply deleted. Deletion runs under
    ``PRAGMA defer_foreign_keys`` (the caller's transaction), so the order is free.
    """
    parked: Ids = {}
    skip = exclude or {}
    frontier = waits
    while frontier:
        following: Ids = {}
        for table, rows in frontier.items():
            done = parked.setdefault(table, set())
            gone = skip.get(table, set())
            fresh = {
                record: wait
                for record, wait in rows.items()
                if record not in done and record not in gone
            }
            if not fresh:
                continue
            _store_parked(connection, table, fresh, now)
            done.update(fresh)
            following[table] = set(fresh)
        frontier = referrers_outside(connection, following) if following else {}
        # Rows already parked in this call are not parked twice.
        frontier = {
            table: {r: w for r, w in rows.items() if r not in parked.get(table, set())}
            for table, rows in frontier.items()
        }
        frontier = {table: rows for table, rows in frontier.items() if rows}
    for table in sorted(parked, key=ORDER.__getitem__, reverse=True):
        delete_ids(connection, table, parked[table])
    return parked


def _store_parked(
    connection: Connection, table: str, rows: dict[str, tuple[str, str]], now: datetime
) -> None:
    spec = SPEC_OF_TABLE[table]
    model = TABLES[table]
    names = wire_columns(table)
    values: list[dict[str, Any]] = []
    for batch in chunks(rows):
        query = select(model).where(model.c.id.in_([uuid.UUID(hex=i) for i in batch]))
        for row in connection.execute(query).mappings():
            if row["deleted"]:
                continue  # a tombstone waits for nothing: it is simply removed
            wait_table, wait_id = rows[row["id"].hex]
            values.append(
                {
                    "entity": spec.name,
                    "record_id": row["id"],
                    "version": row["version"],
                    "fields": codec.encode(spec.model, {n: row[n] for n in names}),
                    "wait_table": wait_table,
                    "wait_id": uuid.UUID(hex=wait_id),
                    "parked_at": now,
                }
            )
    if values:
        statement = sqlite_insert(parked_change)
        statement = statement.on_conflict_do_update(
            index_elements=["entity", "record_id"],
            set_={
                name: statement.excluded[name]
                for name in ("version", "fields", "wait_table", "wait_id", "parked_at")
            },
        )
        connection.execute(statement, values)


def unpark_candidates(connection: Connection) -> list[tuple[str, str, int, dict[str, Any]]]:
    """Parked rows whose awaited parent is now on the laptop: (entity, hex id, version, fields).

    They are taken out of ``parked_change``; the caller applies them like pulled changes (and
    parks again any still missing another parent).
    """
    found: list[tuple[str, str, int, dict[str, Any]]] = []
    tables = [
        row[0]
        for row in connection.exec_driver_sql("SELECT DISTINCT wait_table FROM parked_change")
    ]
    for table in tables:
        if table not in TABLES:
            continue
        sql = (
            "SELECT entity, record_id, version, fields FROM parked_change pc "  # noqa: S608
            f"WHERE pc.wait_table = ? AND EXISTS (SELECT 1 FROM {table} p WHERE p.id = pc.wait_id)"
        )
        found.extend(
            (row[0], row[1], int(row[2]), json.loads(row[3]))
            for row in connection.exec_driver_sql(sql, (table,))
        )
    for entity, record_id, _version, _fields in found:
        connection.exec_driver_sql(
            "DELETE FROM parked_change WHERE entity = ? AND record_id = ?", (entity, record_id)
        )
    return found


def orphans(connection: Connection, table: str, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Rows among ``ids`` whose parent is not on the laptop, each with the parent it needs."""
    references = PARENTS.get(table, ())
    if not references:
        return {}
    columns = ", ".join(f"c.{r.column}" for r in references)
    # Table and column names come from the shared schema, never from input.
    present = [
        f"(c.{r.column} IS NULL OR EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {r.parent} p WHERE p.id = c.{r.column}))"
        for r in references
    ]
    found: dict[str, tuple[str, str]] = {}
    for batch in chunks(ids):
        sql = (
            f"SELECT c.id, {columns}, {', '.join(present)} FROM {table} c "  # noqa: S608
            f"WHERE c.id IN ({marks(len(batch))}) AND NOT ({' AND '.join(present)})"
        )
        for row in connection.exec_driver_sql(sql, tuple(batch)):
            values = row[1 : 1 + len(references)]
            flags = row[1 + len(references) :]
            for reference, value, ok in zip(references, values, flags, strict=True):
                if not ok:
                    found[row[0]] = (reference.parent, value)
                    break
    return found


def remove(
    connection: Connection, roots: Ids, now: datetime, *, cascade: bool = True
) -> dict[str, int]:
    """Take ``roots`` (and, with ``cascade``, the rows they own) off the laptop.

    Rows outside that set which point into it are parked rather than left dangling. Returns
    how many rows of each table were deleted (parked rows not included).
    """
    doomed = (
        owned_closure(connection, roots)
        if cascade
        else {table: set(found) for table, found in roots.items() if found}
    )
    waits = referrers_outside(connection, doomed)
    if waits:
        park(connection, waits, now, exclude=doomed)
    return {
        table: delete_ids(connection, table, doomed[table])
        for table in sorted(doomed, key=ORDER.__getitem__, reverse=True)
    }


def ancestors(connection: Connection, ids: Ids) -> Ids:
    """``ids`` and every row they point at, transitively (a note's case, its subject...)."""
    result: Ids = {table: set(found) for table, found in ids.items() if found}
    frontier: Ids = {table: set(found) for table, found in result.items()}
    while frontier:
        following: Ids = {}
        for table, found in frontier.items():
            for reference in PARENTS.get(table, ()):
                for parent_id, _ in select_column(
                    connection, table, "id", found, want=reference.column
                ):
                    known = result.setdefault(reference.parent, set())
                    if parent_id is not None and parent_id not in known:
                        known.add(parent_id)
                        following.setdefault(reference.parent, set()).add(parent_id)
        frontier = following
    return result


def purge(connection: Connection, table: str, ids: Iterable[str], *, tombstones: bool) -> set[str]:
    """Delete those of ``ids`` that no row points at (only tombstoned rows if ``tombstones``).

    A row still pointed at stays: the platform keeps a deleted record's children too, so a
    tombstone another row needs is kept as a tombstone (hidden like every deleted row).
    """
    wanted = set(ids)
    if not wanted:
        return set()
    for reference in REFERRERS.get(table, ()):
        for _, parent_id in select_column(connection, reference.child, reference.column, wanted):
            wanted.discard(parent_id)
    condition = " AND deleted = 1" if tombstones else ""
    for batch in chunks(wanted):
        connection.exec_driver_sql(
            f"DELETE FROM {table} WHERE id IN ({marks(len(batch))}){condition}",  # noqa: S608
            tuple(batch),
        )
    return wanted
