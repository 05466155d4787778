"""Routes: a council's workload weights per case type and priority, kept by administrators."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from app.sync.protocol import API_PREFIX
from server import auth
from server.deps import CurrentPrincipal, SessionDep
from server.workload import save_weights, weights_in_force

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


def _listed(session: Session, tenant_id: uuid.UUID) -> WeightList:
    return WeightList(
        weights=[
            Weight(case_type=t, priority=p, points=n)
            for t, p, n in weights_in_force(session, tenant_id)
        ]
    )


@router.get("")
def list_weights(principal: CurrentPrincipal, session: SessionDep) -> WeightList:
    """The weights in force in the administrator's council (laptops get them in the feed)."""
    auth.require_admin(principal)
    with session.begin():
        return _listed(session, principal.tenant_id)


@router.put("")
def set_weights(
    body: WeightUpdate, principal: CurrentPrincipal, request: Request, session: SessionDep
) -> WeightList:
    """Set weights, all or none: any bad one is named by its position and nothing is saved."""
    auth.require_admin(principal)
    weights = [(w.case_type, w.priority, w.points) for w in body.weights]
    prefixes = [f"weights.{index}." for index in range(len(weights))]
    with session.begin():
        save_weights(session, principal.tenant_id, weights, auth.current_time(request), prefixes)
        return _listed(session, principal.tenant_id)
