"""Pulled wire values straight to SQLite parameters, in exactly the store's storage format."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Integer, String, Table, Text, Uuid

from app.models.base import UTCDateTime
from app.store.rows import insert_plan, stored_time

# The general path, ``codec.decode`` then ``rows.to_parameters``, builds a typed value (a
# ``uuid.UUID``, a ``datetime``) only to turn it back into text, and costs several times more
# than the insert itself on an initial sync. This path goes from wire text to stored text in
# one step for the shapes the platform sends. It accepts only what ``codec.decode`` accepts;
# anything it is unsure of raises ``Unsure`` and the caller takes the general path, which also
# gives the field-specific message when a value is bad. tests/sync/test_pulled.py checks both
# paths store the same bytes.

Convert = Callable[[Any], Any]


class Unsure(Exception):
    """This path cannot vouch for a value; use the general one."""


def uuid_hex(raw: Any) -> str:
    """A UUID in ``str(uuid.UUID(...))`` form (as codec.encode writes it) as stored hex."""
    if type(raw) is str and len(raw) == 36 and raw[8] == raw[13] == raw[18] == raw[23] == "-":
        digits = raw[:8] + raw[9:13] + raw[14:18] + raw[19:23] + raw[24:]
        try:
            # fromhex skips spaces, so a string with spaces would decode to fewer bytes.
            if len(bytes.fromhex(digits)) == 16:
                return digits.lower()
        except ValueError:
            pass
    raise Unsure


def _datetime(raw: Any) -> str:
    if type(raw) is not str:
        raise Unsure
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise Unsure from None
    if value.tzinfo is None:
        raise Unsure
    # The platform's form, "2026-11-02T09:30:00Z" or with six fractional digits, maps onto
    # the stored form "2026-11-02 09:30:00.000000" by slicing; other offsets are converted.
    if (
        raw[-1] == "Z"
        and len(raw) in (20, 27)
        and raw[4] == raw[7] == "-"
        and raw[10] == "T"
        and raw[13] == raw[16] == ":"
    ):
        if len(raw) == 20:
            return f"{raw[:10]} {raw[11:19]}.000000"
        if raw[19] == ".":
            return f"{raw[:10]} {raw[11:26]}"
    return stored_time(value)


def _date(raw: Any) -> str:
    if type(raw) is not str or len(raw) != 10:
        raise Unsure
    try:
        # Written back rather than kept: "2026-W45-1" is ten characters and a valid date too.
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise Unsure from None


def _bool(raw: Any) -> int:
    if type(raw) is not bool:
        raise Unsure
    return int(raw)


def _int(raw: Any) -> int:
    if type(raw) is not int:
        raise Unsure
    return raw


def _json(raw: Any) -> str:
    if type(raw) is not dict:
        raise Unsure
    return json.dumps(raw)


def _text(length: int | None) -> Convert:
    def convert(raw: Any) -> str:
        if type(raw) is not str or (length is not None and len(raw) > length):
            raise Unsure
        return raw

    return convert


def _converter(column_type: Any) -> Convert:
    if isinstance(column_type, UTCDateTime):
        return _datetime
    if isinstance(column_type, Uuid):
        return uuid_hex
    if isinstance(column_type, Boolean):
        return _bool
    if isinstance(column_type, Date):
        return _date
    if isinstance(column_type, Integer | BigInteger):
        return _int
    if isinstance(column_type, JSON):
        return _json
    if isinstance(column_type, String | Text):
        return _text(getattr(column_type, "length", None))
    raise TypeError(f"no pulled-value converter for {column_type!r}")


_OWN = ("id", "tenant_id", "version", "deleted")
"""Columns a change carries outside its fields (tenant_id: known to the laptop)."""


@cache
def _plan(table: Table) -> tuple[tuple[str, Convert | None, bool], ...]:
    """Per column in insert order: name, converter (None for the change's own), nullable."""
    names = insert_plan(table).names
    columns = {column.name: column for column in table.columns}
    return tuple(
        (
            name,
            None if name in _OWN else _converter(columns[name].type),
            bool(columns[name].nullable),
        )
        for name in names
    )


def parameters(
    table: Table,
    record: str,
    tenant: str,
    version: int,
    fields: Mapping[str, Any],
) -> tuple[Any, ...]:
    """One pulled record as an upsert parameter tuple; raises ``Unsure`` to use the other path.

    ``record`` and ``tenant`` are hex ids as stored.
    """
    own = {"id": record, "tenant_id": tenant, "version": version, "deleted": 0}
    values: list[Any] = []
    for name, convert, nullable in _plan(table):
        if convert is None:
            values.append(own[name])
            continue
        raw = fields.get(name, _ABSENT)
        if raw is None and nullable:
            values.append(None)
        elif raw is None or raw is _ABSENT:
            raise Unsure
        else:
            values.append(convert(raw))
    if len(fields) != len(values) - len(own):
        raise Unsure  # a field this table does not have: let the general path name it
    return tuple(values)


_ABSENT: Any = object()
