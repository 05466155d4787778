"""The single view of a resident: warnings first, then person, household, property, cases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from app.models import entities as e
from app.models.validation import marker_is_expired
from app.store.db import Store
from app.sync.tables import case_summary
from app.views.case import NoteRow, read_notes

CHRONOLOGY_LIMIT = 300
"""The newest notes shown; a resident known to services for decades has thousands."""


@dataclass(frozen=True, slots=True)
class MarkerView:
    """An approved warning marker: shown to every field officer, expired ones marked so."""

    id: uuid.UUID
    category: str
    reason: str
    review_date: date
    expired: bool


@dataclass(frozen=True)
class PersonView:
    """The resident's own details (the editable ones and what identifies them)."""

    id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: date | None
    nhs_number: str | None
    phone: str | None
    email: str | None
    preferred_language: str
    interpreter_needed: bool
    communication_needs: str | None

    @property
    def name(self) -> str:
        """Given and family name."""
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True, slots=True)
class MemberView:
    """Someone in the resident's household (the resident included)."""

    person_id: uuid.UUID
    name: str
    role: str
    date_of_birth: date | None


@dataclass(frozen=True)
class PropertyView:
    """Where the household lives."""

    id: uuid.UUID
    uprn: int | None
    address: str
    postcode: str
    tenure: str


@dataclass(frozen=True, slots=True)
class CaseLine:
    """A case about the resident: in full (``detail``) or, for other services, a summary."""

    id: uuid.UUID
    reference: str
    service: str
    case_type: str
    status: str
    detail: bool
    officer: str | None


@dataclass(frozen=True)
class ResidentView:
    """Everything this user may see about one resident."""

    person: PersonView
    markers: list[MarkerView]
    household: list[MemberView]
    property: PropertyView | None
    cases: list[CaseLine]
    chronology: list[NoteRow]


def _markers(connection: Connection, person_id: uuid.UUID, today: date) -> list[MarkerView]:
    w = e.WarningMarker.__table__
    rows = connection.execute(
        select(w.c.id, w.c.category, w.c.reason, w.c.review_date)
        .where(
            w.c.person_id == person_id,
            w.c.status == str(e.MarkerStatus.APPROVED),
            w.c.deleted.is_(False),
        )
        .order_by(w.c.review_date.desc())
    ).all()
    markers = [
        MarkerView(r[0], r[1], r[2], r[3], marker_is_expired(r[3], today=today)) for r in rows
    ]
    # In-date markers first: they are the ones that change how the visit is made.
    return sorted(markers, key=lambda m: m.expired)


def _household(
    connection: Connection, person_id: uuid.UUID
) -> tuple[list[MemberView], PropertyView | None]:
    hm, h, p, pr = (m.__table__ for m in (e.HouseholdMember, e.Household, e.Person, e.Property))
    household_id = connection.execute(
        select(hm.c.household_id)
        .join(h, h.c.id == hm.c.household_id)
        .where(hm.c.person_id == person_id, hm.c.deleted.is_(False), h.c.deleted.is_(False))
        .limit(1)
    ).scalar()
    if household_id is None:
        return [], None
    members = [
        MemberView(r[0], f"{r[1]} {r[2]}", r[3], r[4])
        for r in connection.execute(
            select(p.c.id, p.c.given_name, p.c.family_name, hm.c.role, p.c.date_of_birth)
            .join(p, p.c.id == hm.c.person_id)
            .where(hm.c.household_id == household_id, hm.c.deleted.is_(False))
            .order_by(p.c.date_of_birth)
        )
    ]
    prop = connection.execute(
        select(pr)
        .join(h, h.c.property_id == pr.c.id)
        .where(h.c.id == household_id, pr.c.deleted.is_(False))
    ).first()
    if prop is None:
        return members, None
    m = prop._mapping
    lines = [m["address_line1"], m["address_line2"], m["town"]]
    address = ", ".join(part for part in lines if part)
    return members, PropertyView(m["id"], m["uprn"], address, m["postcode"], m["tenure"])


def _cases(connection: Connection, person_id: uuid.UUID) -> list[CaseLine]:
    c, u = e.Case.__table__, e.User.__table__
    full = [
        CaseLine(r[0], r[1], r[2], r[3], r[4], True, r[5])
        for r in connection.execute(
            select(c.c.id, c.c.reference, c.c.service, c.c.case_type, c.c.status, u.c.display_name)
            .outerjoin(u, u.c.id == c.c.officer_id)
            .where(c.c.subject_person_id == person_id, c.c.deleted.is_(False))
        )
    ]
    held = {line.id for line in full}
    s = case_summary
    summaries = [
        CaseLine(r[0], r[1], r[2], r[3], r[4], False, None)
        for r in connection.execute(
            select(s.c.id, s.c.reference, s.c.service, s.c.case_type, s.c.status).where(
                s.c.subject_person_id == person_id, s.c.deleted.is_(False)
            )
        )
        if r[0] not in held
    ]
    return sorted(full + summaries, key=lambda line: line.reference)


def load_resident(store: Store, person_id: uuid.UUID, today: date) -> ResidentView | None:
    """The resident as this laptop holds them, or None when they are not here."""
    p = e.Person.__table__
    with store.engine.connect() as connection:
        row = connection.execute(
            select(p).where(p.c.id == person_id, p.c.deleted.is_(False))
        ).first()
        if row is None:
            return None
        m = row._mapping
        person = PersonView(
            id=m["id"],
            given_name=m["given_name"],
            family_name=m["family_name"],
            date_of_birth=m["date_of_birth"],
            nhs_number=m["nhs_number"],
            phone=m["phone"],
            email=m["email"],
            preferred_language=m["preferred_language"],
            interpreter_needed=bool(m["interpreter_needed"]),
            communication_needs=m["communication_needs"],
        )
        household, prop = _household(connection, person_id)
        cases = _cases(connection, person_id)
        detail_ids = [line.id for line in cases if line.detail]
        chronology = read_notes(connection, detail_ids, CHRONOLOGY_LIMIT)
        return ResidentView(
            person=person,
            markers=_markers(connection, person_id, today),
            household=household,
            property=prop,
            cases=cases,
            chronology=chronology,
        )
