"""Small helpers shared by the screen queries: UUID and time values as SQLite holds them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Connection, select

from app.models import entities as e


def hex_id(value: uuid.UUID) -> str:
    """A UUID as the store keeps it (32 hex digits), for hand-written SQL."""
    return value.hex


def parse_time(raw: object) -> datetime | None:
    """A UTC timestamp column read by hand-written SQL (stored naive, always UTC)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(raw)).replace(tzinfo=UTC)


def day_bounds(day: date) -> tuple[str, str]:
    """The stored-text range [start, end) of one UTC day, for range scans on timestamps."""
    start = datetime(day.year, day.month, day.day)
    end = datetime.fromordinal(start.toordinal() + 1)
    return str(start), str(end)


def team_service(connection: Connection, team_id: uuid.UUID | None) -> str | None:
    """The service a team belongs to, or None when the team is unknown here."""
    if team_id is None:
        return None
    team = e.Team.__table__
    return connection.execute(select(team.c.service).where(team.c.id == team_id)).scalar()
