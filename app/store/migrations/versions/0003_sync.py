"""Laptop-only sync tables: state, outbox, conflicts, rejections, case summaries, parking, sweep."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

# Written by hand (these tables are not in the shared metadata) and frozen here rather than
# imported from app.sync.tables, so later edits to that module cannot change what this revision
# did; tests/sync/test_migration.py checks the two still agree.

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_DT = app.models.base.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("server_url", sa.String(length=300), nullable=True),
        sa.Column("tenant", sa.String(length=40), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=True),
        sa.Column("display_name", sa.String(length=120), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("epoch", sa.Uuid(), nullable=True),
        sa.Column("last_sync_at", _DT(timezone=True), nullable=True),
        sa.Column("last_mutation_id_acked", sa.Integer(), server_default="0", nullable=False),
        sa.Column("resyncing", sa.Boolean(), server_default="0", nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_sync_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "outbox",
        sa.Column("mutation_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("op", sa.String(length=12), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("at", _DT(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("mutation_id", name=op.f("pk_outbox")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_entity_record", "outbox", ["entity", "record_id"])
    op.create_table(
        "local_conflict",
        sa.Column("conflict_id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("base", sa.JSON(), nullable=True),
        sa.Column("mine", sa.JSON(), nullable=True),
        sa.Column("theirs", sa.JSON(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("owning_team_id", sa.Uuid(), nullable=True),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("mutation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _DT(timezone=True), nullable=False),
        sa.Column("resolved_at", _DT(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Uuid(), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("conflict_id", name=op.f("pk_local_conflict")),
    )
    op.create_index("ix_local_conflict_entity_record", "local_conflict", ["entity", "record_id"])
    op.create_table(
        "rejected_mutation",
        sa.Column("mutation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("op", sa.String(length=12), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("at", _DT(timezone=True), nullable=False),
        sa.Column("rejected_at", _DT(timezone=True), nullable=False),
        sa.Column("dismissed_at", _DT(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("mutation_id", name=op.f("pk_rejected_mutation")),
    )
    op.create_table(
        "case_summary",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("case_type", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("owning_team_id", sa.Uuid(), nullable=False),
        sa.Column("subject_person_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("updated_at", _DT(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_summary")),
    )
    op.create_index("ix_case_summary_subject_person_id", "case_summary", ["subject_person_id"])
    op.create_index("ix_case_summary_reference", "case_summary", ["reference"])
    op.create_table(
        "pending_exit",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("entity", "record_id", name=op.f("pk_pending_exit")),
    )
    op.create_table(
        "parked_change",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("wait_table", sa.String(length=40), nullable=False),
        sa.Column("wait_id", sa.Uuid(), nullable=False),
        sa.Column("parked_at", _DT(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entity", "record_id", name=op.f("pk_parked_change")),
    )
    op.create_index("ix_parked_change_wait", "parked_change", ["wait_table", "wait_id"])
    op.create_table(
        "resync_sweep",
        sa.Column("tbl", sa.String(length=40), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "id", name=op.f("pk_resync_sweep")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for name in (
        "resync_sweep",
        "parked_change",
        "pending_exit",
        "case_summary",
        "rejected_mutation",
        "local_conflict",
        "outbox",
        "sync_state",
    ):
        op.drop_table(name)
