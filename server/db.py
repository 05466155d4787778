"""Engine, sessions and the server epoch, for PostgreSQL in production and SQLite for demos."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from server.models import ServerState
from server.sync.sql import is_postgres


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and WAL like the laptop store."""
    # Bound values can be residents' details: keep them out of error messages and logs.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_pre_ping", True)
    connect_args = dict(kwargs.pop("connect_args", {}))
    # Ours first, so an operator's own options (PGOPTIONS, the URL's ?options=, the caller's)
    # still apply, and win where they set the same thing: libpq takes one options string.
    operators = [
        os.environ.get("PGOPTIONS"),
        make_url(url).query.get("options"),
        connect_args.get("options"),
    ]
    connect_args["options"] = " ".join(
        [PLANNER_OPTIONS, *(o for o in operators if isinstance(o, str) and o)]
    )
    return create_engine(url, connect_args=connect_args, **kwargs)


PLANNER_OPTIONS = "-c random_page_cost=1.1"
"""Every platform connection's planner settings (PostgreSQL).

The platform reads small slices of its tables by index, from a working set that is in
memory; at the default random-read cost (set for spinning disks) the planner scans and
hashes whole tables instead: a push's case facts for 15 cases hashed all 2,000 persons,
1.3 ms where looking them up by key takes 0.3 ms. Behind a pooler that refuses start-up
options (PgBouncer without ``ignore_startup_parameters = options``), set it on the database
instead: ``ALTER DATABASE ... SET random_page_cost = 1.1`` (docs/sync-protocol.md).
"""


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (responses are built after)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session committed at the end of the block, or rolled back whole on any error."""
    with factory.begin() as session:
        yield session


def current_epoch(
    session: Session, *, local_settings: Mapping[str, str] | None = None
) -> uuid.UUID:
    """The feed epoch: changes when the database is restored from a backup.

    It mixes the stored epoch with PostgreSQL's system identifier and timeline, which a
    restore into a new cluster or a point-in-time recovery change by themselves; an
    administrator can also force a new epoch with ``doorstep-server new-epoch``.
    ``local_settings`` are set for the rest of the transaction in the same statement
    (PostgreSQL only): one round trip where the feed made three.
    """
    if not is_postgres(session):
        stored = session.scalar(select(ServerState.epoch).where(ServerState.id == 1))
        if stored is None:
            raise RuntimeError(_NOT_INITIALISED)
        return stored
    params: dict[str, str] = {}
    columns = []
    for index, (name, value) in enumerate((local_settings or {}).items()):
        params[f"n{index}"], params[f"v{index}"] = name, value
        columns.append(f"set_config(:n{index}, :v{index}, true)")
    # Placeholders only: the setting names and values are bound parameters.
    extra = "".join(f", {column}" for column in columns)
    row = session.execute(text(_EPOCH_SQL + extra), params).one()
    if row[0] is None:
        raise RuntimeError(_NOT_INITIALISED)
    digest = hashlib.sha256(f"{row[0]}:{row[1]}:{row[2]}".encode()).digest()
    return uuid.UUID(bytes=digest[:16], version=4)


_EPOCH_SQL = (
    "SELECT (SELECT epoch FROM server_state WHERE id = 1), "
    "(SELECT system_identifier FROM pg_control_system()), "
    "(SELECT timeline_id FROM pg_control_checkpoint())"
)
_NOT_INITIALISED = "The platform database is not initialised; run doorstep-server migrate."
