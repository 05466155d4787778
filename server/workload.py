"""A council's workload weights on the platform: read, check and save (the admin API and CLI)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from app.models import validation as v
from app.models.entities import WorkloadWeight
from app.models.workload import effective_weights, validate_weight
from server.changes import log_changes

NewWeight = tuple[str, str, object]
"""(case type, priority, points) as given, before checking: points may be anything."""


def weights_in_force(session: Session, tenant_id: uuid.UUID) -> list[tuple[str, str, int]]:
    """Every weight in force, by case type and priority: the council's own, else the default."""
    rows = session.execute(
        select(WorkloadWeight.case_type, WorkloadWeight.priority, WorkloadWeight.points).where(
            WorkloadWeight.tenant_id == tenant_id, WorkloadWeight.deleted.is_(False)
        )
    ).tuples()
    return [(t, p, n) for (t, p), n in sorted(effective_weights(rows).items())]


def check_weights(weights: Sequence[NewWeight], prefixes: Sequence[str]) -> None:
    """Raise ``RecordInvalid`` naming every bad weight's field (``prefixes[i]`` + field name),
    including a pair given twice; return only when all of them may be saved."""
    errors: list[v.ValidationError] = []
    seen: set[tuple[str, str]] = set()
    for (case_type, priority, points), prefix in zip(weights, prefixes, strict=True):
        try:
            validate_weight(case_type, priority, points, prefix=prefix)
        except v.RecordInvalid as invalid:
            errors += invalid.errors
        if (case_type, priority) in seen:
            errors.append(v.ValidationError(f"{prefix}priority", "This pair is given twice."))
        seen.add((case_type, priority))
    if errors:
        raise v.RecordInvalid(errors)


def save_weights(
    session: Session,
    tenant_id: uuid.UUID,
    weights: Sequence[NewWeight],
    now: datetime,
    prefixes: Sequence[str] | None = None,
) -> None:
    """Check, then set the given weights in the caller's transaction, all or none; pairs not
    named keep their points. Each change goes to the feed, so every laptop receives it."""
    check_weights(weights, prefixes or [""] * len(weights))
    table: Table = WorkloadWeight.__table__  # type: ignore[assignment]
    existing = {
        (row.case_type, row.priority): row
        for row in session.execute(
            select(table.c.id, table.c.case_type, table.c.priority, table.c.points, table.c.version)
            .where(table.c.tenant_id == tenant_id)
            .with_for_update()
        )
    }
    changed: list[tuple[uuid.UUID, int]] = []
    for case_type, priority, points in weights:
        found = existing.get((case_type, priority))
        if found is None:
            record_id = uuid.uuid4()
            session.execute(
                insert(table).values(
                    id=record_id,
                    tenant_id=tenant_id,
                    version=1,
                    updated_at=now,
                    deleted=False,
                    case_type=case_type,
                    priority=priority,
                    points=points,
                )
            )
            changed.append((record_id, 1))
        elif found.points != points:
            version = found.version + 1
            session.execute(
                update(table)
                .where(table.c.id == found.id)
                .values(points=points, version=version, updated_at=now)
            )
            changed.append((found.id, version))
    log_changes(session, tenant_id, "workload_weight", changed)
