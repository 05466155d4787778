"""The referrals inbox of the user's team, and what accepting a referral creates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from app.models import entities as e
from app.models.workflow import CASE_TYPES, Priority, Service, case_types_for
from app.store.db import Store
from app.views.common import team_service


@dataclass(frozen=True, slots=True)
class ReferralRow:
    """A referral waiting for the team's decision."""

    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    case_id: uuid.UUID | None
    from_service: str
    to_service: str
    reason: str
    urgency: str
    lawful_basis: str
    sent_at: datetime


def _inbox(connection: Connection, team_id: uuid.UUID | None) -> list[ReferralRow]:
    service = team_service(connection, team_id)
    r, p = e.Referral.__table__, e.Person.__table__
    # Referrals to the team, and those sent to the service's shared inbox (no team named).
    to_us = [r.c.to_team_id == team_id] if team_id is not None else []
    if service is not None:
        to_us.append(and_(r.c.to_team_id.is_(None), r.c.to_service == service))
    if not to_us:
        return []
    rows = connection.execute(
        select(
            r.c.id,
            r.c.person_id,
            p.c.given_name,
            p.c.family_name,
            r.c.case_id,
            r.c.from_service,
            r.c.to_service,
            r.c.reason,
            r.c.urgency,
            r.c.lawful_basis,
            r.c.sent_at,
        )
        .join(p, p.c.id == r.c.person_id)
        .where(
            or_(*to_us),
            r.c.status == str(e.ReferralStatus.SENT),
            r.c.deleted.is_(False),
        )
        .order_by(r.c.sent_at)
    ).all()
    return [
        ReferralRow(x[0], x[1], f"{x[2]} {x[3]}", x[4], x[5], x[6], x[7], x[8], x[9], x[10])
        for x in rows
    ]


def load_inbox(store: Store, team_id: uuid.UUID | None) -> list[ReferralRow]:
    """Referrals sent to ``team_id`` (or to its service with no team named), oldest first."""
    with store.engine.connect() as connection:
        return _inbox(connection, team_id)


def load_team_service(store: Store, team_id: uuid.UUID | None) -> str | None:
    """The service of the user's team: what a referral they send comes from."""
    with store.engine.connect() as connection:
        return team_service(connection, team_id)


_DEFAULT_PRIORITY = (Priority.NORMAL, Priority.ROUTINE)


def case_for_referral(
    referral: ReferralRow,
    *,
    team_id: uuid.UUID,
    officer_id: uuid.UUID,
    today: date,
    case_id: uuid.UUID,
) -> dict[str, Any]:
    """The fields of the case that accepting ``referral`` opens in the receiving service.

    The reference is made from the case's own id: a laptop offline cannot know the next number
    in the council's sequence, and the id is already unique.
    """
    service = Service(referral.to_service)
    kind = case_types_for(service)[0]
    priority = next(p for p in _DEFAULT_PRIORITY if p in kind.priorities)
    prefix = "".join(word[0] for word in str(service).split("_"))[:2].upper()
    return {
        "reference": f"{prefix}-L{case_id.hex[:8].upper()}",
        "service": str(service),
        "case_type": kind.code,
        "status": CASE_TYPES[kind.code].initial,
        "priority": str(priority),
        "owning_team_id": team_id,
        "officer_id": officer_id,
        "subject_person_id": referral.person_id,
        "summary": referral.reason[:200],
        "referral_date": today,
    }
