"""Every write to a synced record bumps its version and appends to the change feed, together."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import insert
from sqlalchemy.orm import Session

from server.models import ChangeLog


def log_changes(
    session: Session, tenant_id: uuid.UUID, entity: str, changes: Iterable[tuple[uuid.UUID, int]]
) -> None:
    """Append (record id, new version) pairs of one entity to the feed, in this transaction.

    ``xid`` is left to the database default (the writing transaction's id on PostgreSQL).
    """
    rows = [
        {"tenant_id": tenant_id, "entity": entity, "record_id": record_id, "version": version}
        for record_id, version in changes
    ]
    if rows:
        session.execute(insert(ChangeLog), rows)
