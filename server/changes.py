"""Every write to a synced record bumps its version and appends to the change feed, together."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.orm import Session

from server.access import Audience
from server.models import ChangeLog
from server.sync.sql import insert_rows

Entry = tuple[str, uuid.UUID, int, Audience]
"""(entity, record id, new version, audience) of one change-feed entry."""

_BROAD = Audience()


def log_changes(
    session: Session,
    tenant_id: uuid.UUID,
    entity: str,
    changes: Iterable[tuple[uuid.UUID, int] | tuple[uuid.UUID, int, Audience]],
) -> None:
    """Append (record id, new version[, audience]) of one entity to the feed, in this transaction.

    Without an audience the entry is broad: the feed then reads it for every principal of the
    tenant and decides on the record, which is always correct, only slower to serve.
    """
    log_entries(
        session,
        tenant_id,
        [(entity, c[0], c[1], c[2] if len(c) == 3 else _BROAD) for c in changes],
    )


def log_entries(session: Session, tenant_id: uuid.UUID, entries: Iterable[Entry]) -> None:
    """Append entries of any entities in the order given, in one statement.

    ``xid`` is left to the database default (the writing transaction's id on PostgreSQL).
    """
    rows = [
        {
            "tenant_id": tenant_id,
            "entity": entity,
            "record_id": record_id,
            "version": version,
            "broad": audience.broad,
            "case_id": audience.case_id,
            "user_id": audience.user_id,
            "lead_team_id": audience.lead_team_id,
        }
        for entity, record_id, version, audience in entries
    ]
    if rows:
        insert_rows(session.connection(), ChangeLog.__table__, rows)  # type: ignore[arg-type]
