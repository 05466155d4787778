"""Small SQL helpers the sync engine and access rules share, portable to SQLite."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Dialect,
    Table,
    Uuid,
    any_,
    bindparam,
    insert,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute, Session


def is_postgres(session: Session) -> bool:
    """Whether the session talks to PostgreSQL (else SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def id_in(
    session: Session,
    column: ColumnElement[Any] | QueryableAttribute[Any],
    ids: Collection[uuid.UUID],
) -> ColumnElement[bool]:
    """``column IN ids``, the ids bound into the statement (see ``ids_param``)."""
    return ids_param(column, is_postgres(session), None, ids)


def ids_param(
    column: ColumnElement[Any] | QueryableAttribute[Any],
    postgres: bool,
    name: str | None = "ids",
    ids: Collection[uuid.UUID] | None = None,
) -> ColumnElement[bool]:
    """``column IN :name``: run with a list of ids as ``name``, or bound to ``ids`` now.

    One array parameter on PostgreSQL, so a page of 5,000 ids is one bind: an expanded IN
    list would render thousands of placeholders into a new statement text for every page,
    which PostgreSQL then has to parse and plan afresh. Hot queries are built once with a
    named parameter: making the statement and its cache key anew for every request cost
    more than running it.
    """
    value: dict[str, Any] = {} if ids is None else {"value": list(ids)}
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(Uuid()), **value))
    return column.in_(bindparam(name, expanding=True, **value))


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ``rows`` (dicts with the same keys) into ``table``, in one statement.

    On PostgreSQL the values go as one array per column, unnested server-side: a statement
    text of its own per table and set of columns, prepared once however many rows a batch
    has. psycopg's executemany sends a command per row and cost a fifth of a push's time.
    Values pass through each column's own bind processing, and columns left out take their
    Python-side default as SQLAlchemy's INSERT would give them. Anything else (SQLite, a
    single row, rows with different keys) is an ordinary executemany.
    """
    if not rows:
        return
    keys = rows[0].keys()
    dialect = connection.dialect
    if dialect.name != "postgresql" or len(rows) == 1 or any(row.keys() != keys for row in rows):
        connection.execute(insert(table), list(rows))
        return
    plan = _unnest_plan(table, frozenset(keys), dialect)
    connection.exec_driver_sql(plan.sql, _array_params(plan, rows))


def update_rows(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    conditional: bool,
) -> int:
    """UPDATE ``table`` by id from ``rows``, in one statement; how many rows it changed.

    Each row holds ``_id``, the columns to set, and (``conditional``) ``_seen``: the row is
    then changed only if still at that version. Every row names a different id and all set
    the same columns. On PostgreSQL the values go as arrays unnested server-side, as in
    ``insert_rows``: one command where an executemany sent one per row (a push's updates
    were 5% of the platform's CPU). SQLite gets the executemany. The planner joins by
    looking each array element up by key in turn (custom and generic plans alike, by
    EXPLAIN), so rows are locked in the order given.
    """
    if not rows:
        return 0
    keys = frozenset(rows[0].keys())
    if conditional != ("_seen" in keys):
        raise ValueError("rows hold _seen exactly when the update is conditional")
    if connection.dialect.name != "postgresql" or len(rows) == 1:
        statement = update(table).where(table.c.id == bindparam("_id"))
        if conditional:
            statement = statement.where(table.c.version == bindparam("_seen"))
        return int(connection.execute(statement, list(rows)).rowcount)
    plan = _update_plan(table, keys, connection.dialect)
    return int(connection.exec_driver_sql(plan.sql, _array_params(plan, rows)).rowcount)


def array_literal(values: Sequence[Any]) -> str | None:
    """``values`` as a PostgreSQL array literal (``{"a","b",NULL}``), or None if one is of a
    type this does not write (the driver then sends the list itself).

    The driver writes a list element by element in Python, with a pattern match per element
    to decide its quoting: for a push's rows that was a tenth of the platform's CPU. Every
    element here is quoted, its backslashes and double quotes escaped, so no text (commas,
    braces, "NULL") can change the array's shape; except a list of ids, integers or times
    alone, whose text never holds such a character and goes bare in one join.
    """
    kinds = set(map(type, values))
    if len(kinds) == 1 and kinds <= _BARE:
        # Ids, numbers and times never hold a character the array syntax gives meaning to.
        (kind,) = kinds
        bare = map(str, values) if kind in (uuid.UUID, int) else (v.isoformat() for v in values)
        return "{" + ",".join(bare) + "}"
    parts = []
    for value in values:
        if value is None:
            parts.append("NULL")
            continue
        kind = type(value)
        if kind is str or isinstance(value, str):
            text = str.__str__(value)
        elif kind is uuid.UUID or kind is int or kind is bool:
            text = str(value)
        elif kind is datetime or kind is date:
            text = value.isoformat()
        else:
            return None
        parts.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(parts) + "}"


_BARE = frozenset((uuid.UUID, int, datetime, date))
"""Types whose text needs no quoting in an array literal (``bool`` is not ``int`` here)."""


@dataclass(frozen=True)
class _UnnestPlan:
    sql: str
    columns: tuple[tuple[str, Callable[[Any], Any] | None, Callable[[Any], Any] | None], ...]
    """(name, bind processor, Python default for a column the rows leave out), in the order
    of the statement's array parameters."""


_PLANS: dict[tuple[str, frozenset[str], bool], _UnnestPlan] = {}
"""Per table, set of keys and kind (update or insert), the statement and its parameters."""

_BOUNDS = re.compile(r"\(.*\)")
"""A compiled type's length or precision: VARCHAR(40) -> VARCHAR."""


def _array_params(plan: _UnnestPlan, rows: Sequence[Mapping[str, Any]]) -> tuple[Any, ...]:
    """One array per planned column: the rows' values (or defaults), bind-processed."""
    params: list[Any] = []
    for name, process, default in plan.columns:
        if default is not None:
            values = [default(None) for _ in rows]
        else:
            values = [row[name] for row in rows]
        if process is not None:
            values = [process(v) for v in values]
        literal = array_literal(values)
        params.append(values if literal is None else literal)
    return tuple(params)


def _array_cast(column: ColumnElement[Any], dialect: Dialect) -> str:
    # Arrays of the bare type (VARCHAR, not VARCHAR(40)): an explicit cast to a length cuts
    # a long value short, where the INSERT's or UPDATE's own assignment refuses it as
    # SQLAlchemy's does.
    return f"%s::{_BOUNDS.sub('', column.type.compile(dialect=dialect))}[]"


def _unnest_plan(table: Table, keys: frozenset[str], dialect: Dialect) -> _UnnestPlan:
    found = _PLANS.get((table.name, keys, False))
    if found is not None:
        return found
    columns = []
    for column in table.columns:
        default = None
        if column.name not in keys:
            if column.default is None:
                continue  # the server's default, or NULL
            if column.default.is_scalar:
                value = column.default.arg  # type: ignore[attr-defined]
                default = lambda _context, value=value: value  # noqa: E731
            elif column.default.is_callable:
                default = column.default.arg  # type: ignore[attr-defined]
            else:
                raise ValueError(f"{table.name}.{column.name}: a default this cannot apply")
        columns.append((column, column.type.bind_processor(dialect), default))
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.quote(column.name) for column, _, _ in columns)
    arrays = ", ".join(_array_cast(column, dialect) for column, _, _ in columns)
    aliases = ", ".join(f"c{index}" for index in range(len(columns)))
    # Identifiers quoted by the dialect and compiled column types only; every value is a
    # parameter.
    # In array order (WITH ORDINALITY), so sequence defaults follow the order of the rows.
    sql = (
        f"INSERT INTO {preparer.format_table(table)} ({names}) SELECT {aliases} "  # noqa: S608
        f"FROM unnest({arrays}) WITH ORDINALITY AS u({aliases}, n) ORDER BY n"
    )
    found = _PLANS[(table.name, keys, False)] = _UnnestPlan(
        sql, tuple((column.name, process, default) for column, process, default in columns)
    )
    return found


_MATCHED = {"_id": "id", "_seen": "version"}
"""``update_rows``' keys that pick the row (by id, and at the version seen), not set it."""


def _update_plan(table: Table, keys: frozenset[str], dialect: Dialect) -> _UnnestPlan:
    found = _PLANS.get((table.name, keys, True))
    if found is not None:
        return found
    named = [(key, table.c[_MATCHED.get(key, key)]) for key in sorted(keys)]
    preparer = dialect.identifier_preparer
    target = preparer.format_table(table)
    sets, matches = [], []
    for index, (key, column) in enumerate(named):
        if key in _MATCHED:
            matches.append(f"{target}.{preparer.quote(column.name)} = u.c{index}")
        else:
            sets.append(f"{preparer.quote(column.name)} = u.c{index}")
    arrays = ", ".join(_array_cast(column, dialect) for _, column in named)
    aliases = ", ".join(f"c{index}" for index in range(len(named)))
    # Identifiers quoted by the dialect and compiled column types only; every value is a
    # parameter.
    sql = (
        f"UPDATE {target} SET {', '.join(sets)} FROM unnest({arrays}) AS u({aliases}) "  # noqa: S608
        f"WHERE {' AND '.join(matches)}"
    )
    found = _PLANS[(table.name, keys, True)] = _UnnestPlan(
        sql,
        tuple((key, column.type.bind_processor(dialect), None) for key, column in named),
    )
    return found
