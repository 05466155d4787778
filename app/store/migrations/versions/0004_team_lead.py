"""Team lead work on the laptop: workload weights, allocation history, supervision notes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_DT = app.models.base.UTCDateTime


def _system_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", _DT(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "workload_weight",
        sa.Column("case_type", sa.String(length=30), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        *_system_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workload_weight")),
    )
    op.create_table(
        "allocation",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("from_officer_id", sa.Uuid(), nullable=True),
        sa.Column("to_officer_id", sa.Uuid(), nullable=True),
        sa.Column("to_team_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("allocated_by_id", sa.Uuid(), nullable=True),
        sa.Column("allocated_at", _DT(timezone=True), nullable=False),
        *_system_columns(),
        sa.ForeignKeyConstraint(
            ["allocated_by_id"],
            ["user_account.id"],
            name=op.f("fk_allocation_allocated_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_allocation_case_id_case_record")
        ),
        sa.ForeignKeyConstraint(
            ["from_officer_id"],
            ["user_account.id"],
            name=op.f("fk_allocation_from_officer_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["to_officer_id"],
            ["user_account.id"],
            name=op.f("fk_allocation_to_officer_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["to_team_id"], ["team.id"], name=op.f("fk_allocation_to_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation")),
    )
    op.create_index(op.f("ix_allocation_case_id"), "allocation", ["case_id"])
    op.create_table(
        "supervision_note",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", _DT(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_system_columns(),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["user_account.id"],
            name=op.f("fk_supervision_note_author_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_supervision_note_case_id_case_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_note")),
    )
    op.create_index(op.f("ix_supervision_note_case_id"), "supervision_note", ["case_id"])
    # Plain ADD COLUMN, not a batch copy: copying case_record would renumber its rowids, which
    # the case search index is keyed on, and drop its triggers. SQLite accepts a REFERENCES
    # clause on an added column whose default is NULL.
    op.add_column("case_record", sa.Column("closure_requested_at", _DT(timezone=True)))
    op.execute(
        "ALTER TABLE case_record ADD COLUMN closure_requested_by_id CHAR(32) "
        "CONSTRAINT fk_case_record_closure_requested_by_id_user_account "
        "REFERENCES user_account (id)"
    )


def downgrade() -> None:
    op.drop_column("case_record", "closure_requested_by_id")
    op.drop_column("case_record", "closure_requested_at")
    op.drop_index(op.f("ix_supervision_note_case_id"), table_name="supervision_note")
    op.drop_table("supervision_note")
    op.drop_index(op.f("ix_allocation_case_id"), table_name="allocation")
    op.drop_table("allocation")
    op.drop_table("workload_weight")
