"""Small SQL helpers the sync engine and access rules share, portable to SQLite."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Uuid, any_, bindparam
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
