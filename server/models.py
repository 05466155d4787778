"""Platform-only tables: tenants, credentials, devices, tokens, sync bookkeeping and conflicts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models import entities
from app.models.base import Base, utcnow


class Tenant(Base):
    """A council. Every other row belongs to exactly one tenant, and no query crosses tenants."""

    __tablename__ = "tenant"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Credential(Base):
    """A user's password hash and sign-in throttling state; never synced to laptops."""

    __tablename__ = "credential"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    # Named users who may see sealed persons (staff who are service users, adoption).
    may_view_sealed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Bumped when what the user may read changes (team, role, sealed access): their feed
    # cursors then belong to an old epoch and their laptops resync (server.users).
    feed_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SignInThrottle(Base):
    """Failed sign-ins under a username no account has, so it locks out like a real one.

    Keyed by a hash of council code and username (no name is stored): answers and timing
    then never tell an unknown username from a known one.
    """

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()


class Device(Base):
    """A laptop registered at sign-in; revoking it tells the laptop to wipe its store."""

    __tablename__ = "device"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class RefreshToken(Base):
    """One refresh token (stored hashed). Rotation links tokens in a family; reuse kills it."""

    __tablename__ = "refresh_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    # The token this one was rotated into: a retry within the grace is recognised by it
    # never having been used (see server.auth.refresh).
    replaced_by: Mapped[str | None] = mapped_column(String(64))


class ClientState(Base):
    """Per sync client: the last mutation id applied, updated in the same transaction."""

    __tablename__ = "client_state"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), index=True)
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MutationResult(Base):
    """The answer given for each mutation, so a retried batch gets the same answers back."""

    __tablename__ = "mutation_result"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    mutation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    result: Mapped[dict[str, Any]] = mapped_column()
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ChangeLog(Base):
    """The change feed: one row per committed change to a synced record.

    On PostgreSQL ``xid`` is the writing transaction's id (``pg_current_xact_id()``); the feed
    serves only rows older than the oldest transaction still running, ordered by (xid, seq),
    so a transaction that commits late can never be skipped by a cursor. SQLite serialises
    writers, so there seq order is commit order and xid is 0.
    """

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    # Filled by the database: pg_current_xact_id() on PostgreSQL (see the migration), 0 on SQLite.
    xid: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue())
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who the entry may concern (server.access.Audience), so the feed filters in SQL rather
    # than reading every entry of the tenant. The defaults (broad) are always correct.
    broad: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    lead_team_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (Index("ix_change_log_feed", "tenant_id", "xid", "seq"),)


class Conflict(Base):
    """A field two people changed differently. Both values are kept until a person decides."""

    __tablename__ = "conflict"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    field: Mapped[str] = mapped_column(String(60))
    base_value: Mapped[dict[str, Any]] = mapped_column()
    mine_value: Mapped[dict[str, Any]] = mapped_column()
    theirs_value: Mapped[dict[str, Any]] = mapped_column()
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    mutation_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    owning_team_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    resolution: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("client_id", "mutation_id", "field"),)


class ServerState(Base):
    """Single row: the epoch (changes when a database is restored) and the token signing key."""

    __tablename__ = "server_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[uuid.UUID] = mapped_column(Uuid)
    signing_key: Mapped[str] = mapped_column(Text)


# The platform holds every council, so it indexes the shared tables by tenant; the laptop,
# which holds one, does not. Declared here so only the platform's metadata carries them.
TENANT_INDEXES = [
    Index(f"ix_{model.__tablename__}_tenant", model.__table__.c.tenant_id)  # type: ignore[attr-defined]
    for model in entities.SYNCED_ENTITIES
]
Index(
    "ix_user_account_tenant_username", entities.User.tenant_id, entities.User.username, unique=True
)
Index("ix_case_record_tenant_reference", entities.Case.tenant_id, entities.Case.reference)
# Every pull page asks which persons are sealed; few are, so a partial index answers at once.
Index(
    "ix_person_tenant_sealed",
    entities.Person.tenant_id,
    postgresql_where=entities.Person.sealed,
    sqlite_where=entities.Person.sealed,
)
# One weight per case type and priority in a council: the admin route upserts on it.
Index(
    "ix_workload_weight_tenant_type_priority",
    entities.WorkloadWeight.tenant_id,
    entities.WorkloadWeight.case_type,
    entities.WorkloadWeight.priority,
    unique=True,
)
# Need-to-know follows referrals to their case on every detail check.
Index("ix_referral_case_id", entities.Referral.case_id)
