"""Small SQL helpers the sync engine and access rules share, portable to SQLite."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Dialect, Table, Uuid, any_, bindparam, insert
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
    """``column IN ids``: one array parameter on PostgreSQL, so a page of 5,000 ids is one bind.

    An expanded IN list would render thousands of placeholders into a new statement text
    for every page, which PostgreSQL then has to parse and plan afresh.
    """
    if is_postgres(session):
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Uuid())))
    return column.in_(list(ids))


def ids_param(
    column: ColumnElement[Any] | QueryableAttribute[Any], postgres: bool, name: str = "ids"
) -> ColumnElement[bool]:
    """``column IN :name`` for a statement built once and run with a list of ids as ``name``.

    As ``id_in``, one array parameter on PostgreSQL. Hot queries are built once: making the
    statement and its cache key anew for every request cost more than running it.
    """
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(Uuid())))
    return column.in_(bindparam(name, expanding=True))


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
    params = []
    for name, process, default in plan.columns:
        if default is not None:
            values = [default(None) for _ in rows]
        else:
            values = [row[name] for row in rows]
        params.append([process(v) for v in values] if process is not None else values)
    connection.exec_driver_sql(plan.sql, tuple(params))


@dataclass(frozen=True)
class _UnnestPlan:
    sql: str
    columns: tuple[tuple[str, Callable[[Any], Any] | None, Callable[[Any], Any] | None], ...]
    """(name, bind processor, Python default for a column the rows leave out)."""


_PLANS: dict[tuple[str, frozenset[str]], _UnnestPlan] = {}


def _unnest_plan(table: Table, keys: frozenset[str], dialect: Dialect) -> _UnnestPlan:
    found = _PLANS.get((table.name, keys))
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
    arrays = ", ".join(f"%s::{column.type.compile(dialect=dialect)}[]" for column, _, _ in columns)
    # Identifiers quoted by the dialect and compiled column types only; every value is a
    # parameter.
    sql = f"INSERT INTO {preparer.format_table(table)} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
    found = _PLANS[(table.name, keys)] = _UnnestPlan(
        sql, tuple((column.name, process, default) for column, process, default in columns)
    )
    return found
