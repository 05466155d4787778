"""Routes: reading records online (resident summary, case detail) and open conflicts."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy import RowMapping, Table, and_, false, insert, or_, select
from sqlalchemy.orm import Session

from app.models import entities as e
from app.models.base import utcnow
from app.models.registry import BY_NAME
from app.sync.protocol import Change
from server import access
from server.deps import CurrentPrincipal, Principal, SessionDep
from server.models import Conflict
from server.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["records"])

JSON = "application/json"


class ResidentSummary(BaseModel):
    """What every field officer may see of a resident, as feed changes (scope full/summary)."""

    person: Change
    members: list[Change]
    households: list[Change]
    properties: list[Change]
    relationships: list[Change]
    markers: list[Change]
    cases: list[Change]


class CaseDetail(BaseModel):
    """A case in full with its notes, tasks, assessments and attachments."""

    case: Change
    notes: list[Change]
    tasks: list[Change]
    assessments: list[Change]
    attachments: list[Change]


class ConflictList(BaseModel):
    """Open conflicts the caller should resolve or oversee (entity ``conflict`` changes)."""

    conflicts: list[Change]


def _table(name: str) -> Table:
    table: Table = BY_NAME[name].model.__table__  # type: ignore[attr-defined]
    return table


def _rows(session: Session, principal: Principal, name: str, *where: Any) -> list[RowMapping]:
    table = _table(name)
    query = select(table).where(
        table.c.tenant_id == principal.tenant_id, table.c.deleted == false(), *where
    )
    return list(session.execute(query).mappings())


def _not_found() -> Problem:
    return Problem(404, "not-found", "No such record is available to you.")


def _no_admin(principal: Principal) -> None:
    if access.is_admin(principal):
        raise Problem(403, "forbidden", "Administrators do not read resident or case records.")


def _changes(
    principal: Principal, name: str, rows: Iterable[RowMapping], facts: access.Facts
) -> list[Change]:
    spec = BY_NAME[name]
    out = []
    for row in rows:
        change = access.project(principal, spec, row, facts)
        if change is not None and change.scope != "exit":
            out.append(change)
    return out


@router.get("/persons/{person_id}", response_model=ResidentSummary, summary="Resident summary")
def resident_summary(
    person_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    """A resident with their households, properties, visible markers and case summaries."""
    _no_admin(principal)
    with session.begin():
        people = _rows(session, principal, "person", _table("person").c.id == person_id)
        if not people or not access.can_see_person(principal, people[0]["sealed"]):
            raise _not_found()
        members = _rows(
            session,
            principal,
            "household_member",
            _table("household_member").c.person_id == person_id,
        )
        household_ids = [m["household_id"] for m in members]
        households = _rows(
            session, principal, "household", _table("household").c.id.in_(household_ids)
        )
        property_ids = {h["property_id"] for h in households}
        properties = _rows(
            session, principal, "property", _table("property").c.id.in_(property_ids)
        )
        rel = _table("relationship")
        relationships = _rows(
            session,
            principal,
            "relationship",
            or_(rel.c.person_id == person_id, rel.c.related_person_id == person_id),
        )
        markers = _rows(
            session, principal, "warning_marker", _table("warning_marker").c.person_id == person_id
        )
        cases = _rows(session, principal, "case", _table("case").c.subject_person_id == person_id)
        facts = access.facts_for_rows(
            session,
            principal,
            {
                "person": people,
                "household_member": members,
                "relationship": relationships,
                "warning_marker": markers,
                "case": cases,
            },
        )
        summary = ResidentSummary(
            person=_changes(principal, "person", people, facts)[0],
            members=_changes(principal, "household_member", members, facts),
            households=_changes(principal, "household", households, facts),
            properties=_changes(principal, "property", properties, facts),
            relationships=_changes(principal, "relationship", relationships, facts),
            markers=_changes(principal, "warning_marker", markers, facts),
            cases=_changes(principal, "case", cases, facts),
        )
    return Response(summary.model_dump_json(), media_type=JSON)


@router.get("/cases/{case_id}", response_model=CaseDetail, summary="Case detail")
def case_detail(case_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """The case in full, for its team, officer and referred teams; the read is audited.

    404 when the caller may not know of the case at all, 403 when they may see only its
    summary (which the resident summary and the feed give them).
    """
    _no_admin(principal)
    with session.begin():
        cases = _rows(session, principal, "case", _table("case").c.id == case_id)
        facts = access.facts_for_rows(session, principal, {"case": cases})
        level = access.case_access(principal, facts.cases.get(case_id)) if cases else "none"
        if level == "none":
            raise _not_found()
        if level == "summary":
            raise Problem(
                403,
                "forbidden",
                "Only the case's team, its officer and teams it was referred to may read it.",
            )
        detail = {
            name: _rows(session, principal, name, _table(name).c.case_id == case_id)
            for name in access.CASE_DETAIL_ENTITIES
        }
        answer = CaseDetail(
            case=_changes(principal, "case", cases, facts)[0],
            notes=_changes(principal, "note", detail["note"], facts),
            tasks=_changes(principal, "task", detail["task"], facts),
            assessments=_changes(principal, "assessment", detail["assessment"], facts),
            attachments=_changes(principal, "attachment", detail["attachment"], facts),
        )
        now = utcnow()
        session.execute(
            insert(e.AuditEvent),
            [
                {
                    "id": uuid.uuid4(),
                    "tenant_id": principal.tenant_id,
                    "version": 1,
                    "updated_at": now,
                    "user_id": principal.user_id,
                    "device_id": principal.device_id,
                    "action": "view",
                    "entity": "case",
                    "entity_id": case_id,
                    "at": now,
                }
            ],
        )
    return Response(answer.model_dump_json(), media_type=JSON)


@router.get("/conflicts", response_model=ConflictList, summary="Open conflicts")
def open_conflicts(principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Unresolved conflicts from the caller's edits, and for team leads their team's."""
    mine = Conflict.user_id == principal.user_id
    if access.is_lead(principal) and principal.team_id is not None:
        mine = or_(mine, Conflict.owning_team_id == principal.team_id)
    with session.begin():
        rows = session.execute(
            select(Conflict.__table__)
            .where(
                and_(
                    Conflict.tenant_id == principal.tenant_id, Conflict.resolved_at.is_(None), mine
                )
            )
            .order_by(Conflict.created_at, Conflict.field)
        ).mappings()
        changes = [c for c in (access.project_conflict(principal, row) for row in rows) if c]
    return Response(ConflictList(conflicts=changes).model_dump_json(), media_type=JSON)
