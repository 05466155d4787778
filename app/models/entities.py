"""The council case record: one typed mapping per entity, shared by the laptop and the platform."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Syncable, utcnow


class Role(StrEnum):
    """What a user may do; need-to-know rules key off this and the user's team."""

    FIELD_OFFICER = "field_officer"
    TEAM_LEAD = "team_lead"
    ADMIN = "admin"


class Tenure(StrEnum):
    """How a property is held."""

    COUNCIL_TENANCY = "council_tenancy"
    HOUSING_ASSOCIATION = "housing_association"
    PRIVATE_RENTED = "private_rented"
    OWNER = "owner"
    TEMPORARY_ACCOMMODATION = "temporary_accommodation"
    NO_FIXED_ABODE = "no_fixed_abode"


class Language(StrEnum):
    """A resident's preferred language for contact."""

    ENGLISH = "en"
    WELSH = "cy"
    OTHER = "other"


class HouseholdRole(StrEnum):
    """A person's role in a household."""

    LEAD_TENANT = "lead_tenant"
    JOINT_TENANT = "joint_tenant"
    PARTNER = "partner"
    CHILD = "child"
    CARER = "carer"
    OTHER = "other"


class NoteKind(StrEnum):
    """How the contact recorded in a note happened."""

    VISIT = "visit"
    PHONE = "phone"
    OFFICE = "office"
    LETTER = "letter"
    EMAIL = "email"


class Visibility(StrEnum):
    """Who may read a note: the owning service only, or every service with access."""

    SERVICE = "service"
    SHARED = "shared"


class TaskKind(StrEnum):
    """A to-do, or a visit with check-in and check-out."""

    TASK = "task"
    VISIT = "visit"


class TaskStatus(StrEnum):
    """Progress of a task or visit."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class MarkerStatus(StrEnum):
    """A warning marker shows to other services only once approved."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


class ReferralStatus(StrEnum):
    """Referral lifecycle: sent, then accepted (creating a case) or declined with a reason."""

    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Urgency(StrEnum):
    """How quickly the receiving service should act on a referral."""

    ROUTINE = "routine"
    URGENT = "urgent"
    IMMEDIATE = "immediate"


class Team(Syncable, Base):
    """A team within one service of a council."""

    __tablename__ = "team"

    name: Mapped[str] = mapped_column(String(120))
    service: Mapped[str] = mapped_column(String(40))


class User(Syncable, Base):
    """A council worker. Credentials live only on the platform, never in this shared table."""

    __tablename__ = "user_account"

    username: Mapped[str] = mapped_column(String(80), index=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default=Role.FIELD_OFFICER)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id"))


class Property(Syncable, Base):
    """A dwelling, keyed nationally by its UPRN."""

    __tablename__ = "property"

    uprn: Mapped[int | None] = mapped_column(BigInteger, index=True)
    address_line1: Mapped[str] = mapped_column(String(120))
    address_line2: Mapped[str | None] = mapped_column(String(120))
    town: Mapped[str] = mapped_column(String(80))
    postcode: Mapped[str] = mapped_column(String(8), index=True)
    tenure: Mapped[str] = mapped_column(String(30))


class Person(Syncable, Base):
    """A resident. Sealed persons are visible only to named roles."""

    __tablename__ = "person"

    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(120))
    preferred_language: Mapped[str] = mapped_column(String(10), default=Language.ENGLISH)
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    communication_needs: Mapped[str | None] = mapped_column(Text)
    sealed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Household(Syncable, Base):
    """People living together at a property."""

    __tablename__ = "household"

    property_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("property.id"), index=True)


class HouseholdMember(Syncable, Base):
    """A person's membership of a household, with their role in it."""

    __tablename__ = "household_member"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class Relationship(Syncable, Base):
    """How one person relates to another (parent of, carer for, ...)."""

    __tablename__ = "relationship"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    related_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))


class Case(Syncable, Base):
    """A piece of work owned by one service, about one subject person."""

    __tablename__ = "case_record"

    reference: Mapped[str] = mapped_column(String(20), index=True)
    service: Mapped[str] = mapped_column(String(40))
    case_type: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(30))
    priority: Mapped[str] = mapped_column(String(20))
    owning_team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("team.id"), index=True)
    officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    subject_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    property_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("property.id"))
    summary: Mapped[str] = mapped_column(String(200), default="")
    referral_date: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_date: Mapped[date | None] = mapped_column(Date)
    target_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    closure_reason: Mapped[str | None] = mapped_column(String(200))
    # An officer asks to close a case type that needs approval; a team lead then closes it
    # (approves) or clears the request (declines).
    closure_requested_at: Mapped[datetime | None] = mapped_column()
    closure_requested_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))


class Note(Syncable, Base):
    """A chronology entry. Append-only: never edited, never a sync conflict."""

    __tablename__ = "note"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_record.id"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(20), default=Visibility.SERVICE)


class Task(Syncable, Base):
    """A task or visit on a case; visits record check-in and check-out."""

    __tablename__ = "task"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default=TaskKind.TASK)
    title: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime | None] = mapped_column()
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.OPEN)
    checked_in_at: Mapped[datetime | None] = mapped_column()
    checked_out_at: Mapped[datetime | None] = mapped_column()


class WarningMarker(Syncable, Base):
    """A risk-to-staff alert on a person; the marker shows across services, not the detail."""

    __tablename__ = "warning_marker"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    review_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=MarkerStatus.PROPOSED)
    proposed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column()


class Referral(Syncable, Base):
    """Work passed from one service to another about a person, without re-typing."""

    __tablename__ = "referral"

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_record.id"))
    from_service: Mapped[str] = mapped_column(String(40))
    to_service: Mapped[str] = mapped_column(String(40))
    to_team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(20), default=Urgency.ROUTINE)
    lawful_basis: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=ReferralStatus.SENT)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    created_case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_record.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(Syncable, Base):
    """A structured form response attached to a case."""

    __tablename__ = "assessment"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_record.id"), index=True)
    form_id: Mapped[str] = mapped_column(String(60))
    form_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column()
    completed_at: Mapped[datetime | None] = mapped_column()


class Attachment(Syncable, Base):
    """Metadata of a photo or document on a case or note (the bytes are stored separately)."""

    __tablename__ = "attachment"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_record.id"), index=True)
    note_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("note.id"))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))


class AuditEvent(Syncable, Base):
    """Who viewed or changed which record, when, from which device. Append-only."""

    __tablename__ = "audit_event"

    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkloadWeight(Syncable, Base):
    """Workload points a case of one type and priority counts for; set by a platform admin."""

    __tablename__ = "workload_weight"

    case_type: Mapped[str] = mapped_column(String(30))
    priority: Mapped[str] = mapped_column(String(20))
    points: Mapped[int] = mapped_column(Integer)


class Allocation(Syncable, Base):
    """One allocation or reassignment of a case, with its reason. Append-only: the history."""

    __tablename__ = "allocation"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_record.id"), index=True)
    from_officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    to_officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    to_team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("team.id"))
    reason: Mapped[str] = mapped_column(Text)
    allocated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    allocated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SupervisionNote(Syncable, Base):
    """A team lead's supervision record on a case, apart from its chronology. Append-only."""

    __tablename__ = "supervision_note"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_record.id"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)


SYNCED_ENTITIES: tuple[type[Syncable], ...] = (
    Team,
    User,
    Property,
    Person,
    Household,
    HouseholdMember,
    Relationship,
    Case,
    Note,
    Task,
    WarningMarker,
    Referral,
    Assessment,
    Attachment,
    AuditEvent,
    WorkloadWeight,
    Allocation,
    SupervisionNote,
)
"""Every synced entity, in an order that satisfies foreign keys when loading."""

APPEND_ONLY: frozenset[type[Syncable]] = frozenset({Note, AuditEvent, Allocation, SupervisionNote})
"""Entities merged by insert-if-absent on their client-made UUID; never a conflict."""
