"""Today's visits and tasks for the signed-in officer, with where to go and check-in state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text

from app.models import entities as e
from app.store.db import Store
from app.views.common import day_bounds, hex_id, parse_time


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One open task or visit due today."""

    task_id: uuid.UUID
    case_id: uuid.UUID
    kind: str
    title: str
    due_at: datetime | None
    reference: str
    resident: str
    address: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None

    @property
    def is_visit(self) -> bool:
        """Only visits have a check-in and check-out."""
        return self.kind == e.TaskKind.VISIT


_TODAY = text(
    """
    SELECT t.id, t.case_id, t.kind, t.title, t.due_at, c.reference,
           p.given_name || ' ' || p.family_name,
           coalesce(pr.address_line1 || ', ' || pr.postcode, ''),
           t.checked_in_at, t.checked_out_at
      FROM task t
      JOIN case_record c ON c.id = t.case_id
      JOIN person p ON p.id = c.subject_person_id
      LEFT JOIN property pr ON pr.id = c.property_id
     WHERE t.assignee_id = :user AND t.deleted = 0 AND t.status = :open
       AND t.due_at >= :start AND t.due_at < :end
     ORDER BY t.due_at, c.reference
    """
)


def load_todays_visits(store: Store, user_id: uuid.UUID, today: date) -> list[VisitRow]:
    """Open tasks and visits assigned to ``user_id`` due on ``today`` (UTC), by time."""
    start, end = day_bounds(today)
    params = {"user": hex_id(user_id), "open": str(e.TaskStatus.OPEN), "start": start, "end": end}
    with store.engine.connect() as connection:
        rows = connection.execute(_TODAY, params).all()
    return [
        VisitRow(
            task_id=uuid.UUID(hex=r[0]),
            case_id=uuid.UUID(hex=r[1]),
            kind=r[2],
            title=r[3],
            due_at=parse_time(r[4]),
            reference=r[5],
            resident=r[6],
            address=r[7],
            checked_in_at=parse_time(r[8]),
            checked_out_at=parse_time(r[9]),
        )
        for r in rows
    ]
