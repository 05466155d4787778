"""Who this laptop syncs as, where it is in the feed, and what the sync screens list."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from app.sync.tables import (
    local_conflict,
    outbox,
    parked_change,
    pending_exit,
    rejected_mutation,
    sync_state,
)


class SyncStateError(Exception):
    """The store is not ready for this sync step; ``message`` says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Identity:
    """Who signed in on this laptop, as the platform told it at sign-in."""

    server_url: str
    tenant: str
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    username: str
    display_name: str
    role: str
    team_id: uuid.UUID | None
    device_id: uuid.UUID


@dataclass(frozen=True)
class SyncState:
    """The single sync_state row."""

    client_id: uuid.UUID
    identity: Identity | None
    cursor: str | None
    epoch: uuid.UUID | None
    last_sync_at: datetime | None
    last_mutation_id_acked: int
    resyncing: bool


@dataclass(frozen=True)
class SyncStatus:
    """What ``doorstep status`` and the UI's sync indicator show."""

    client_id: uuid.UUID
    identity: Identity | None
    last_sync_at: datetime | None
    pending: int
    open_conflicts: int
    rejected: int
    awaiting_push_to_leave: int
    parked: int
    resyncing: bool
    has_cursor: bool


@dataclass(frozen=True)
class ConflictItem:
    """One field two people changed differently, as the conflicts screen lists it."""

    conflict_id: uuid.UUID
    entity: str
    record_id: uuid.UUID
    field: str
    base: Any
    mine: Any
    theirs: Any
    user_id: uuid.UUID | None
    mutation_id: int | None
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None


@dataclass(frozen=True)
class RejectedItem:
    """A change the platform refused, kept with its field errors for the officer to fix."""

    mutation_id: int
    entity: str
    record_id: uuid.UUID
    op: str
    fields: dict[str, Any]
    errors: list[dict[str, str]]
    code: str | None
    at: datetime
    rejected_at: datetime
    dismissed_at: datetime | None


def ensure_state(connection: Connection) -> None:
    """Make the single sync_state row, with this store's client id, if it is not there yet.

    The client id is made on first use rather than in the migration, so two stores copied
    from one file before first use still get different ids (the platform binds a client id
    to one device and numbers its mutations per client id).
    """
    exists = connection.execute(select(sync_state.c.id).where(sync_state.c.id == 1)).first()
    if exists is None:
        connection.execute(insert(sync_state).values(id=1, client_id=uuid.uuid4()))


def read_state(connection: Connection) -> SyncState:
    """The sync_state row; ``ensure_state`` must have made it (raises ``SyncStateError``)."""
    row = connection.execute(select(sync_state).where(sync_state.c.id == 1)).mappings().first()
    if row is None:
        raise SyncStateError("This store has no sync state yet.")
    identity = None
    if row["user_id"] is not None and row["tenant_id"] is not None:
        identity = Identity(
            server_url=row["server_url"] or "",
            tenant=row["tenant"] or "",
            tenant_id=row["tenant_id"],
            user_id=row["user_id"],
            username=row["username"] or "",
            display_name=row["display_name"] or "",
            role=row["role"] or "",
            team_id=row["team_id"],
            device_id=row["device_id"],
        )
    return SyncState(
        client_id=row["client_id"],
        identity=identity,
        cursor=row["cursor"],
        epoch=row["epoch"],
        last_sync_at=row["last_sync_at"],
        last_mutation_id_acked=int(row["last_mutation_id_acked"]),
        resyncing=bool(row["resyncing"]),
    )


def save_identity(connection: Connection, identity: Identity) -> None:
    """Record who signed in; the feed position and the outbox are left as they are."""
    ensure_state(connection)
    connection.execute(
        update(sync_state)
        .where(sync_state.c.id == 1)
        .values(
            server_url=identity.server_url,
            tenant=identity.tenant,
            tenant_id=identity.tenant_id,
            user_id=identity.user_id,
            username=identity.username,
            display_name=identity.display_name,
            role=identity.role,
            team_id=identity.team_id,
            device_id=identity.device_id,
        )
    )


def read_status(connection: Connection) -> SyncStatus:
    """Counts for the status line: pending, open conflicts, rejected, waiting to leave."""
    state = read_state(connection)

    def count(statement: Any) -> int:
        return int(connection.execute(statement).scalar_one())

    return SyncStatus(
        client_id=state.client_id,
        identity=state.identity,
        last_sync_at=state.last_sync_at,
        pending=count(select(func.count()).select_from(outbox)),
        open_conflicts=count(
            select(func.count())
            .select_from(local_conflict)
            .where(local_conflict.c.resolved_at.is_(None))
        ),
        rejected=count(
            select(func.count())
            .select_from(rejected_mutation)
            .where(rejected_mutation.c.dismissed_at.is_(None))
        ),
        awaiting_push_to_leave=count(select(func.count()).select_from(pending_exit)),
        parked=count(select(func.count()).select_from(parked_change)),
        resyncing=state.resyncing,
        has_cursor=state.cursor is not None,
    )


def read_conflicts(connection: Connection, *, open_only: bool = True) -> list[ConflictItem]:
    """Conflicts, oldest first; by default only those nobody has resolved yet."""
    query = select(local_conflict).order_by(
        local_conflict.c.created_at, local_conflict.c.mutation_id, local_conflict.c.field
    )
    if open_only:
        query = query.where(local_conflict.c.resolved_at.is_(None))
    return [
        ConflictItem(
            conflict_id=row["conflict_id"],
            entity=row["entity"],
            record_id=row["record_id"],
            field=row["field"],
            base=row["base"],
            mine=row["mine"],
            theirs=row["theirs"],
            user_id=row["user_id"],
            mutation_id=row["mutation_id"],
            created_at=row["created_at"],
            resolved_at=row["resolved_at"],
            resolution=row["resolution"],
        )
        for row in connection.execute(query).mappings()
    ]


def read_rejected(connection: Connection, *, include_dismissed: bool = False) -> list[RejectedItem]:
    """Rejected changes in the order they were made."""
    query = select(rejected_mutation).order_by(rejected_mutation.c.mutation_id)
    if not include_dismissed:
        query = query.where(rejected_mutation.c.dismissed_at.is_(None))
    return [
        RejectedItem(
            mutation_id=row["mutation_id"],
            entity=row["entity"],
            record_id=row["record_id"],
            op=row["op"],
            fields=row["fields"],
            errors=row["errors"],
            code=row["code"],
            at=row["at"],
            rejected_at=row["rejected_at"],
            dismissed_at=row["dismissed_at"],
        )
        for row in connection.execute(query).mappings()
    ]
