"""Routes: a council's workload weights per case type and priority, kept by administrators."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from app.models import validation as v
from app.models.entities import WorkloadWeight
from app.models.workload import effective_weights, validate_weight
from app.sync.protocol import API_PREFIX
from server import auth
from server.changes import log_changes
from server.deps import CurrentPrincipal, SessionDep

router = APIRouter(prefix=f"{API_PREFIX}/admin/workload-weights", tags=["admin"])

MAX_WEIGHTS = 200
"""More rows than every case type and priority there are: a larger body is a mistake."""


class Weight(BaseModel):
    """Points one case of this type and priority counts for in a team's workload."""

    case_type: str
    priority: str
    points: int


class WeightList(BaseModel):
    """Every weight in force: the council's own, and the defaults where it set none."""

    weights: list[Weight]


class WeightUpdate(BaseModel):
    """Weights to set; pairs not named keep their current points."""

    weights: list[Weight] = Field(max_length=MAX_WEIGHTS)


def _in_force(session: Session, tenant_id: uuid.UUID) -> WeightList:
    rows = session.execute(
        select(WorkloadWeight.case_type, WorkloadWeight.priority, WorkloadWeight.points).where(
            WorkloadWeight.tenant_id == tenant_id, WorkloadWeight.deleted.is_(False)
        )
    ).tuples()
    weights = effective_weights(rows)
    return WeightList(
        weights=[Weight(case_type=t, priority=p, points=n) for (t, p), n in sorted(weights.items())]
    )


@router.get("")
def list_weights(principal: CurrentPrincipal, session: SessionDep) -> WeightList:
    """The weights in force in the administrator's council (laptops get them in the feed)."""
    auth.require_admin(principal)
    with session.begin():
        return _in_force(session, principal.tenant_id)


@router.put("")
def set_weights(
    body: WeightUpdate, principal: CurrentPrincipal, request: Request, session: SessionDep
) -> WeightList:
    """Set weights, all or none: any bad one is named by its position and nothing is saved."""
    auth.require_admin(principal)
    errors: list[v.ValidationError] = []
    seen: set[tuple[str, str]] = set()
    for index, weight in enumerate(body.weights):
        prefix = f"weights.{index}."
        try:
            validate_weight(weight.case_type, weight.priority, weight.points, prefix=prefix)
        except v.RecordInvalid as invalid:
            errors += invalid.errors
        key = (weight.case_type, weight.priority)
        if key in seen:
            errors.append(v.ValidationError(f"{prefix}priority", "This pair is given twice."))
        seen.add(key)
    if errors:
        raise v.RecordInvalid(errors)
    now = auth.current_time(request)
    tenant = principal.tenant_id
    table: Table = WorkloadWeight.__table__  # type: ignore[assignment]
    with session.begin():
        existing = {
            (row.case_type, row.priority): row
            for row in session.execute(
                select(
                    table.c.id, table.c.case_type, table.c.priority, table.c.points, table.c.version
                )
                .where(table.c.tenant_id == tenant)
                .with_for_update()
            )
        }
        changed: list[tuple[uuid.UUID, int]] = []
        for weight in body.weights:
            found = existing.get((weight.case_type, weight.priority))
            if found is None:
                record_id = uuid.uuid4()
                session.execute(
                    insert(table).values(
                        id=record_id,
                        tenant_id=tenant,
                        version=1,
                        updated_at=now,
                        deleted=False,
                        case_type=weight.case_type,
                        priority=weight.priority,
                        points=weight.points,
                    )
                )
                changed.append((record_id, 1))
            elif found.points != weight.points:
                version = found.version + 1
                session.execute(
                    update(table)
                    .where(table.c.id == found.id)
                    .values(points=weight.points, version=version, updated_at=now)
                )
                changed.append((found.id, version))
        # Every laptop of the council receives the new weights in its next pull.
        log_changes(session, tenant, "workload_weight", changed)
        return _in_force(session, tenant)
