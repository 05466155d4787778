"""Changing what a user may read (team, role, sealed access), and the resync that follows."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Any, Final

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.models.entities import User
from server.changes import log_changes
from server.models import Credential


class _Keep(Enum):
    KEEP = "keep"


KEEP: Final = _Keep.KEEP
"""Leave this attribute as it is."""


def change_user_scope(
    session: Session,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    now: datetime,
    team_id: uuid.UUID | _Keep | None = KEEP,
    role: str | _Keep = KEEP,
    may_view_sealed: bool | _Keep = KEEP,
) -> bool:
    """Change the user's team, role or sealed access, in the caller's transaction.

    The feed sends each record as its reader may see it when the record changes, so a
    reader whose access changes while the records do not would keep what they lost and
    miss what they gained. Any such change therefore bumps the user's feed generation:
    their laptops' next pull is told 'resync-required' (see ``server.sync.pull.feed_epoch``)
    and pulls the new scope from the start, keeping their outbox. Returns whether anything
    changed. Raises LookupError for a user not of this tenant.
    """
    user = session.get(User, user_id, with_for_update=True)
    credential = session.get(Credential, user_id, with_for_update=True)
    if user is None or user.tenant_id != tenant_id or credential is None:
        raise LookupError("no such user in this council")
    values: dict[str, Any] = {}
    if team_id is not KEEP and team_id != user.team_id:
        values["team_id"] = team_id
    if role is not KEEP and role != user.role:
        values["role"] = role
    sealed = may_view_sealed is not KEEP and may_view_sealed != credential.may_view_sealed
    if values:
        version = session.execute(
            update(User)
            .where(User.id == user_id)
            .values(**values, version=User.version + 1, updated_at=now)
            .returning(User.version)
        ).scalar_one()
        # Every laptop holds the users list; the team's members see the move.
        log_changes(session, tenant_id, "user", [(user_id, version)])
    if sealed:
        credential.may_view_sealed = bool(may_view_sealed)
    if not values and not sealed:
        return False
    credential.feed_generation += 1
    session.flush()
    return True
