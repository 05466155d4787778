"""The laptop-only sync tables (outbox, conflicts, rejections, case summaries, sync state)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
)

from app.models.base import NAMING_CONVENTION, UTCDateTime

# Kept apart from ``Base.metadata``: these tables exist only in the laptop store, and the
# platform's migrations are generated from the shared metadata. Migration 0003 creates them
# by hand; tests/sync/test_migration.py checks the two agree column for column.
LOCAL_METADATA = MetaData(naming_convention=NAMING_CONVENTION)

sync_state = Table(
    "sync_state",
    LOCAL_METADATA,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("client_id", Uuid, nullable=False),
    Column("device_id", Uuid),
    Column("server_url", String(300)),
    Column("tenant", String(40)),
    Column("tenant_id", Uuid),
    Column("user_id", Uuid),
    Column("username", String(80)),
    Column("display_name", String(120)),
    Column("role", String(20)),
    Column("team_id", Uuid),
    Column("cursor", Text),
    Column("epoch", Uuid),
    Column("last_sync_at", UTCDateTime),
    Column("last_mutation_id_acked", Integer, nullable=False, server_default="0"),
    # A full resync is under way: records the new feed does not send are swept at its end.
    Column("resyncing", Boolean, nullable=False, server_default="0"),
    CheckConstraint("id = 1", name="single_row"),
)

outbox = Table(
    "outbox",
    LOCAL_METADATA,
    # AUTOINCREMENT: ids are never reused, even after the newest entries are acknowledged,
    # because the platform skips any id at or below the last one it applied for this client.
    Column("mutation_id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(40), nullable=False),
    Column("record_id", Uuid, nullable=False),
    Column("op", String(12), nullable=False),
    Column("base_version", Integer, nullable=False),
    Column("fields", JSON, nullable=False),
    Column("base", JSON, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Index("ix_outbox_entity_record", "entity", "record_id"),
    sqlite_autoincrement=True,
)

local_conflict = Table(
    "local_conflict",
    LOCAL_METADATA,
    Column("conflict_id", Uuid, primary_key=True),
    Column("entity", String(40), nullable=False),
    Column("record_id", Uuid, nullable=False),
    Column("field", String(60), nullable=False),
    Column("base", JSON),
    Column("mine", JSON),
    Column("theirs", JSON),
    Column("user_id", Uuid),
    Column("owning_team_id", Uuid),
    Column("client_id", Uuid),
    Column("mutation_id", Integer),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
    Column("resolved_by_id", Uuid),
    Column("resolution", String(20)),
    Column("version", Integer, nullable=False, server_default="0"),
    Index("ix_local_conflict_entity_record", "entity", "record_id"),
)

rejected_mutation = Table(
    "rejected_mutation",
    LOCAL_METADATA,
    Column("mutation_id", Integer, primary_key=True, autoincrement=False),
    Column("entity", String(40), nullable=False),
    Column("record_id", Uuid, nullable=False),
    Column("op", String(12), nullable=False),
    Column("base_version", Integer, nullable=False),
    Column("fields", JSON, nullable=False),
    Column("base", JSON, nullable=False),
    Column("errors", JSON, nullable=False),
    Column("code", String(40)),
    Column("at", UTCDateTime, nullable=False),
    Column("rejected_at", UTCDateTime, nullable=False),
    Column("dismissed_at", UTCDateTime),
)

case_summary = Table(
    "case_summary",
    LOCAL_METADATA,
    Column("id", Uuid, primary_key=True),
    Column("tenant_id", Uuid, nullable=False),
    Column("reference", String(20), nullable=False),
    Column("service", String(40), nullable=False),
    Column("case_type", String(30), nullable=False),
    Column("status", String(30), nullable=False),
    # No foreign keys: a summary names a team and a person the laptop may not hold.
    Column("owning_team_id", Uuid, nullable=False),
    Column("subject_person_id", Uuid, nullable=False),
    Column("version", Integer, nullable=False, server_default="0"),
    Column("deleted", Boolean, nullable=False, server_default="0"),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_case_summary_subject_person_id", "subject_person_id"),
    Index("ix_case_summary_reference", "reference"),
)

pending_exit = Table(
    "pending_exit",
    LOCAL_METADATA,
    # A record (or its case detail) left the user's scope while it still had outbox entries:
    # it stays until they are pushed, then leaves as ``scope`` says.
    Column("entity", String(40), nullable=False),
    Column("record_id", Uuid, nullable=False),
    Column("scope", String(10), nullable=False),
    Column("version", Integer, nullable=False),
    Column("fields", JSON),
    PrimaryKeyConstraint("entity", "record_id"),
)

parked_change = Table(
    "parked_change",
    LOCAL_METADATA,
    # A pulled record whose parent is not on the laptop (yet): kept aside as wire values and
    # applied when the parent arrives, so a feed that serves a child first loses nothing.
    Column("entity", String(40), nullable=False),
    Column("record_id", Uuid, nullable=False),
    Column("version", Integer, nullable=False),
    Column("fields", JSON, nullable=False),
    Column("wait_table", String(40), nullable=False),
    Column("wait_id", Uuid, nullable=False),
    Column("parked_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("entity", "record_id"),
    Index("ix_parked_change_wait", "wait_table", "wait_id"),
)

resync_sweep = Table(
    "resync_sweep",
    LOCAL_METADATA,
    # Records held when a full resync began; each one the new feed sends is crossed off.
    Column("tbl", String(40), nullable=False),
    Column("id", Uuid, nullable=False),
    PrimaryKeyConstraint("tbl", "id"),
    sqlite_with_rowid=False,
)

LOCAL_TABLES = (
    sync_state,
    outbox,
    local_conflict,
    rejected_mutation,
    case_summary,
    pending_exit,
    parked_change,
    resync_sweep,
)
