"""One case as the case screen shows it: details, legal next statuses, notes and tasks."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select

from app.models import entities as e
from app.models.workflow import CASE_TYPES
from app.store.db import Store


@dataclass(frozen=True)
class CaseDetail:
    """A case held in full on this laptop."""

    id: uuid.UUID
    reference: str
    service: str
    case_type: str
    case_type_label: str
    status: str
    priority: str
    summary: str
    subject_person_id: uuid.UUID
    subject_name: str
    referral_date: date
    opened_at: datetime
    due_date: date | None
    target_at: datetime | None
    closure_reason: str | None
    owning_team: str
    officer: str | None
    officer_id: uuid.UUID | None
    allowed_statuses: tuple[str, ...]
    priorities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoteRow:
    """One chronology entry."""

    id: uuid.UUID
    case_id: uuid.UUID
    case_reference: str
    created_at: datetime
    kind: str
    text: str
    visibility: str
    author: str | None


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One task or visit on a case."""

    id: uuid.UUID
    kind: str
    title: str
    due_at: datetime | None
    status: str
    checked_in_at: datetime | None
    checked_out_at: datetime | None


def _case_detail(connection: Connection, case_id: uuid.UUID) -> CaseDetail | None:
    c, p, t, u = (m.__table__ for m in (e.Case, e.Person, e.Team, e.User))
    row = connection.execute(
        select(c, p.c.given_name, p.c.family_name, t.c.name.label("team"), u.c.display_name)
        .join(p, p.c.id == c.c.subject_person_id)
        .outerjoin(t, t.c.id == c.c.owning_team_id)
        .outerjoin(u, u.c.id == c.c.officer_id)
        .where(c.c.id == case_id, c.c.deleted.is_(False))
    ).first()
    if row is None:
        return None
    m = row._mapping
    kind = CASE_TYPES.get(m["case_type"])
    return CaseDetail(
        id=m["id"],
        reference=m["reference"],
        service=m["service"],
        case_type=m["case_type"],
        case_type_label=kind.label if kind else m["case_type"],
        status=m["status"],
        priority=m["priority"],
        summary=m["summary"],
        subject_person_id=m["subject_person_id"],
        subject_name=f"{m['given_name']} {m['family_name']}",
        referral_date=m["referral_date"],
        opened_at=m["opened_at"],
        due_date=m["due_date"],
        target_at=m["target_at"],
        closure_reason=m["closure_reason"],
        owning_team=m["team"] or "",
        officer=m["display_name"],
        officer_id=m["officer_id"],
        allowed_statuses=kind.allowed_from(m["status"]) if kind else (),
        priorities=tuple(str(p) for p in kind.priorities) if kind else (),
    )


def load_case(store: Store, case_id: uuid.UUID) -> CaseDetail | None:
    """The case in full, or None when this laptop holds no detail for it."""
    with store.engine.connect() as connection:
        return _case_detail(connection, case_id)


def read_notes(connection: Connection, case_ids: Sequence[uuid.UUID], limit: int) -> list[NoteRow]:
    """Notes of the given cases, newest first: one chronology across them."""
    if not case_ids:
        return []
    n, c, u = (m.__table__ for m in (e.Note, e.Case, e.User))
    rows = connection.execute(
        select(
            n.c.id,
            n.c.case_id,
            c.c.reference,
            n.c.created_at,
            n.c.kind,
            n.c.text,
            n.c.visibility,
            u.c.display_name,
        )
        .join(c, c.c.id == n.c.case_id)
        .outerjoin(u, u.c.id == n.c.author_id)
        .where(n.c.case_id.in_(list(case_ids)), n.c.deleted.is_(False))
        .order_by(n.c.created_at.desc(), n.c.id)
        .limit(limit)
    ).all()
    return [NoteRow(*row) for row in rows]


def load_notes(store: Store, case_id: uuid.UUID, limit: int = 500) -> list[NoteRow]:
    """The case's notes, newest first."""
    with store.engine.connect() as connection:
        return read_notes(connection, [case_id], limit)


def load_tasks(store: Store, case_id: uuid.UUID) -> list[TaskRow]:
    """The case's tasks and visits: open ones first, then by due time."""
    t = e.Task.__table__
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(
                t.c.id,
                t.c.kind,
                t.c.title,
                t.c.due_at,
                t.c.status,
                t.c.checked_in_at,
                t.c.checked_out_at,
            )
            .where(t.c.case_id == case_id, t.c.deleted.is_(False))
            .order_by((t.c.status != str(e.TaskStatus.OPEN)), t.c.due_at)
        ).all()
    return [TaskRow(*row) for row in rows]
