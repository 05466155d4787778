"""Re-announcing records whose readers changed, so the feed carries scope entries and exits.

The feed projects each record by the reader's access *now*, so a record whose readers change
without the record itself changing (its case was reassigned or referred, its person sealed)
must appear in the feed again: it is "touched" (version + 1, a change-log entry). A reader
who gained access then receives it in full; one who lost it receives its exit or summary.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Table, or_, select, update
from sqlalchemy.orm import Session

from app.models import entities as e
from app.models.registry import BY_NAME
from server.access import CASE_CHILD_ENTITIES, entry_audience
from server.changes import Entry
from server.sync.sql import id_in

Touched = list[Entry]
"""(entity, record id, new version, audience) of every touched record."""


def _table(name: str) -> Table:
    table: Table = BY_NAME[name].model.__table__  # type: ignore[attr-defined]
    return table


def _bump(
    session: Session, name: str, where: object, tenant_id: uuid.UUID, now: datetime
) -> Touched:
    table = _table(name)
    spec = BY_NAME[name]
    columns = [table.c.id, table.c.version]
    if spec.case_field is not None:
        columns.append(table.c[spec.case_field])
    statement = (
        update(table)
        .where(table.c.tenant_id == tenant_id, where)  # type: ignore[arg-type]
        .values(version=table.c.version + 1, updated_at=now)
        .returning(*columns)
    )
    # A touch means the record's readers changed: every reader who may see it at all is
    # told (changed=None), case detail still only its case's detail readers.
    return [
        (name, row.id, row.version, entry_audience(spec, row._mapping, changed=None))
        for row in session.connection().execute(statement)
    ]


def touch_cases(
    session: Session,
    tenant_id: uuid.UUID,
    case_ids: Collection[uuid.UUID],
    now: datetime,
    *,
    skip_case_rows: Collection[uuid.UUID] = (),
) -> Touched:
    """Touch cases and their detail records (notes, tasks, ..., allocations, supervision notes).

    ``skip_case_rows`` names cases already written in this transaction (already in the feed).
    """
    if not case_ids:
        return []
    touched: Touched = []
    rows = [i for i in case_ids if i not in set(skip_case_rows)]
    if rows:
        table = _table("case")
        touched += _bump(session, "case", id_in(session, table.c.id, rows), tenant_id, now)
    for name in CASE_CHILD_ENTITIES:
        table = _table(name)
        touched += _bump(session, name, id_in(session, table.c.case_id, case_ids), tenant_id, now)
    return touched


def touch_persons(
    session: Session,
    tenant_id: uuid.UUID,
    person_ids: Collection[uuid.UUID],
    now: datetime,
) -> Touched:
    """Touch everything that hangs off persons whose sealed flag changed, their cases included."""
    if not person_ids:
        return []
    touched: Touched = []
    for name, column in (("household_member", "person_id"), ("warning_marker", "person_id")):
        table = _table(name)
        touched += _bump(session, name, id_in(session, table.c[column], person_ids), tenant_id, now)
    rel = _table("relationship")
    touched += _bump(
        session,
        "relationship",
        or_(
            id_in(session, rel.c.person_id, person_ids),
            id_in(session, rel.c.related_person_id, person_ids),
        ),
        tenant_id,
        now,
    )
    ref = _table("referral")
    touched += _bump(
        session, "referral", id_in(session, ref.c.person_id, person_ids), tenant_id, now
    )
    cases = list(
        session.scalars(
            select(e.Case.id).where(
                e.Case.tenant_id == tenant_id, id_in(session, e.Case.subject_person_id, person_ids)
            )
        )
    )
    return touched + touch_cases(session, tenant_id, cases, now)
