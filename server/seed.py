"""Load the synthetic demo council into the platform, feed entries and sign-in accounts included."""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, cast

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Engine, Table, func, insert, or_, select, text
from sqlalchemy.orm import Session

from app.demo import DemoUser, demo_tenant_id, demo_users, generate_council
from app.models.base import Syncable, utcnow
from app.models.entities import Person
from app.models.registry import BY_MODEL
from server.access import entry_audience
from server.auth import hash_password
from server.changes import log_changes
from server.models import Credential, Tenant

DEMO_TENANT_NAME = "Demo Borough Council"
NAMED_DEMO_USERNAMES = ("housing.officer", "social.worker", "team.lead")
"""The accounts the README shows, with their demo passwords."""


class SeedError(Exception):
    """The demo council cannot be loaded here; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SeedReport:
    """What ``seed_demo`` loaded."""

    tenant_id: uuid.UUID
    tenant_code: str
    counts: dict[str, int]
    """Rows per table (``person``, ``case_record``, ...), all at version 1."""
    changes: int
    """Change-feed entries written: one per row."""
    credentials: int
    named_users: tuple[DemoUser, ...]
    """The README's demo accounts (username, password, role), for the CLI to print."""
    seconds: float

    @property
    def records(self) -> int:
        """Every synced row loaded."""
        return sum(self.counts.values())


def seed_demo(
    engine: Engine,
    persons: int,
    seed: int,
    tenant_code: str = "demo",
    *,
    tenant_name: str = DEMO_TENANT_NAME,
    today: date | None = None,
    hasher: Callable[[str], str] | None = None,
) -> SeedReport:
    """Create the demo tenant and load ``generate_council(persons, seed)`` into it.

    Everything happens in one transaction: a failure leaves nothing behind. Every row is
    inserted at version 1 with its change-feed entry, as if each had been written through
    the API, so laptops pull the council like any other data. Every demo user gets a
    credential (argon2, default parameters) for their ``DemoUser.password``; the hashing
    runs on worker threads while the rows load. Refuses a tenant code or demo tenant id
    that already exists, naming it.
    """
    if persons < 0:
        raise SeedError("persons must be zero or more.")
    started = time.perf_counter()
    tenant_id = demo_tenant_id(seed)
    users = demo_users(seed)
    counts: Counter[str] = Counter()
    changes = 0
    hasher = hasher or _demo_password_hash
    workers = max(1, min(len(users), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="seed-hash") as pool:
        # argon2 releases the GIL, so hashing overlaps the load rather than adding to it.
        hashes: dict[uuid.UUID, Future[str]] = {
            user.id: pool.submit(hasher, user.password) for user in users
        }
        try:
            with Session(engine) as session, session.begin():
                _refuse_existing(session, tenant_id, tenant_code, seed)
                session.execute(
                    insert(Tenant),
                    [{"id": tenant_id, "code": tenant_code, "name": tenant_name}],
                )
                load = _copy_batch if engine.dialect.name == "postgresql" else _insert_batch
                for batch in generate_council(persons, seed, today=today):
                    for row in batch.rows:
                        row["version"] = 1
                    load(session, tenant_id, batch.model, batch.rows)
                    counts[batch.model.__tablename__] += len(batch.rows)  # type: ignore[attr-defined]
                    changes += len(batch.rows)
                session.execute(
                    insert(Credential),
                    [
                        {"user_id": user_id, "password_hash": future.result()}
                        for user_id, future in hashes.items()
                    ],
                )
        finally:
            for future in hashes.values():
                future.cancel()
    if engine.dialect.name == "postgresql":
        _analyze(engine)
    by_name = {user.username: user for user in users}
    named = tuple(by_name[name] for name in NAMED_DEMO_USERNAMES if name in by_name)
    return SeedReport(
        tenant_id=tenant_id,
        tenant_code=tenant_code,
        counts=dict(counts),
        changes=changes,
        credentials=len(hashes),
        named_users=named,
        seconds=time.perf_counter() - started,
    )


Rows = list[dict[str, object]]


def _analyze(engine: Engine) -> None:
    """Planner statistics for the freshly loaded tables, as after any bulk load.

    Autovacuum would get there in its own time (and never, where it is turned off); until
    then the planner takes every table for empty and joins the feed's queries the slow way
    round: a laptop's page cost half as much again in PostgreSQL time.
    """
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()


def _insert_batch(
    session: Session, tenant_id: uuid.UUID, model: type[Syncable], rows: Rows
) -> None:
    """Core executemany plus ``log_changes``: the portable path (SQLite)."""
    session.execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
    spec = BY_MODEL[model]
    log_changes(
        session,
        tenant_id,
        spec.name,
        [(cast(uuid.UUID, r["id"]), 1, entry_audience(spec, r, changed=None)) for r in rows],
    )


def _copy_batch(session: Session, tenant_id: uuid.UUID, model: type[Syncable], rows: Rows) -> None:
    """PostgreSQL COPY of the rows and of their change-feed entries.

    About four times faster than executemany INSERTs, which makes 100,000 persons a matter of
    a minute. It writes exactly the change_log rows ``log_changes`` would (record id, version
    1, audience, ``xid`` from the column default, so this transaction's id); the seed tests
    compare the two paths' results.
    """
    table: Table = model.__table__  # type: ignore[attr-defined]
    columns = [column.name for column in table.columns]
    wrap = [isinstance(column.type, JSON) for column in table.columns]
    connection = cast(psycopg.Connection[Any], session.connection().connection.driver_connection)
    entity = BY_MODEL[model].name
    now = utcnow()
    with connection.cursor() as cursor:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        Jsonb(row[name]) if is_json else row[name]
                        for name, is_json in zip(columns, wrap, strict=True)
                    ]
                )
        spec = BY_MODEL[model]
        with cursor.copy(
            "COPY change_log (tenant_id, entity, record_id, version, at, broad, case_id) FROM STDIN"
        ) as copy:
            for row in rows:
                audience = entry_audience(spec, row, changed=None)
                copy.write_row(
                    (tenant_id, entity, row["id"], 1, now, audience.broad, audience.case_id)
                )


@cache
def _demo_password_hash(password: str) -> str:
    # Demo passwords are public (the README shows them) and the same for every seed, so one
    # salted hash per password serves every demo tenant this process seeds: full-strength
    # argon2 costs about half a second a hash, and tests seed many small councils.
    return hash_password(password)


def _refuse_existing(session: Session, tenant_id: uuid.UUID, code: str, seed: int) -> None:
    existing = session.execute(
        select(Tenant.id, Tenant.code).where(or_(Tenant.id == tenant_id, Tenant.code == code))
    ).first()
    if existing is None:
        return
    persons = session.scalar(
        select(func.count()).select_from(Person).where(Person.tenant_id == existing.id)
    )
    if existing.code == code:
        raise SeedError(
            f"Tenant '{code}' already exists ({persons:,} persons); seed-demo only creates a "
            "new tenant. Choose another --tenant-code, or use an empty database."
        )
    raise SeedError(
        f"The demo council for seed {seed} is already loaded as tenant '{existing.code}' "
        f"({persons:,} persons). Choose another --seed, or use an empty database."
    )
