"""Fast conversion of entity rows to SQLite parameters, in exactly SQLAlchemy's storage format."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Table, Uuid

from app.models.base import UTCDateTime

Converter = Callable[[Any], Any]


def _uuid(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def stored_time(value: datetime) -> str:
    """An aware datetime as the store keeps it (for comparisons in raw SQL)."""
    # SQLAlchemy's SQLite DATETIME format: always six fractional digits, so text sorts in order.
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    return stored_time(value)


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value)


def _as_is(value: Any) -> Any:
    return value


def _converter_for(column_type: object) -> Converter:
    # UTCDateTime first: it is a TypeDecorator, so check it before the generic types.
    if isinstance(column_type, UTCDateTime):
        return _datetime
    if isinstance(column_type, Uuid):
        return _uuid
    if isinstance(column_type, Boolean):
        return _bool
    if isinstance(column_type, Date):
        return _date
    if isinstance(column_type, JSON):
        return _json
    return _as_is


_NO_DEFAULT = object()


def _default_of(column: Column[Any]) -> Callable[[], Any]:
    """What SQLAlchemy would fill in for a column the caller left out."""
    default = column.default
    if default is None:
        if column.nullable or column.server_default is not None:
            return lambda: None if column.server_default is None else _NO_DEFAULT
        return lambda: _NO_DEFAULT
    arg = default.arg  # type: ignore[attr-defined]
    if callable(arg):
        # SQLAlchemy wraps zero-argument callables to take an execution context.
        return lambda: arg(None)
    return lambda: arg


@dataclass(frozen=True)
class InsertPlan:
    """How rows of one table become parameters for one INSERT statement."""

    table: Table
    sql: str
    names: tuple[str, ...]
    getter: Callable[[Mapping[str, Any]], tuple[Any, ...]]
    # Only the columns whose Python value differs from SQLite's: str and int pass untouched.
    conversions: tuple[tuple[int, Converter], ...]
    defaults: tuple[Callable[[], Any], ...]

    def parameters(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        """One row as an INSERT parameter tuple."""
        try:
            values = list(self.getter(row))
        except KeyError:
            values = [self._value_or_default(row, i) for i in range(len(self.names))]
        for index, convert in self.conversions:
            values[index] = convert(values[index])
        return tuple(values)

    def _value_or_default(self, row: Mapping[str, Any], index: int) -> Any:
        name = self.names[index]
        if name in row:
            return row[name]
        value = self.defaults[index]()
        if value is _NO_DEFAULT:
            raise ValueError(f"{self.table.name} row has no value for required column {name}")
        return value


@cache
def insert_plan(table: Table) -> InsertPlan:
    """The INSERT statement for every column of ``table`` and how to fill its parameters."""
    columns = list(table.columns)
    names = tuple(column.name for column in columns)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names)}) "  # noqa: S608 (names from our schema)
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    conversions = tuple(
        (index, convert)
        for index, column in enumerate(columns)
        if (convert := _converter_for(column.type)) is not _as_is
    )
    getter = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    defaults = tuple(_default_of(column) for column in columns)
    return InsertPlan(table, sql, names, getter, conversions, defaults)


def to_parameters(table: Table, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows (dicts keyed by column name; left-out columns take their defaults) as tuples."""
    plan = insert_plan(table)
    return [plan.parameters(row) for row in rows]
