"""Team lead work: workload weights, allocation history, supervision notes, closure requests."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.models.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workload_weight",
        sa.Column("case_type", sa.String(length=30), nullable=False),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "updated_at",
            app.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workload_weight")),
    )
    with op.batch_alter_table("workload_weight", schema=None) as batch_op:
        batch_op.create_index("ix_workload_weight_tenant", ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_workload_weight_tenant_type_priority",
            ["tenant_id", "case_type", "priority"],
            unique=True,
        )

    op.create_table(
        "allocation",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("from_officer_id", sa.Uuid(), nullable=True),
        sa.Column("to_officer_id", sa.Uuid(), nullable=True),
        sa.Column("to_team_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("allocated_by_id", sa.Uuid(), nullable=True),
        sa.Column("allocated_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "updated_at",
            app.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
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
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allocation_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_allocation_tenant", ["tenant_id"], unique=False)

    op.create_table(
        "supervision_note",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "updated_at",
            app.models.base.UTCDateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
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
    with op.batch_alter_table("supervision_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_note_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_supervision_note_tenant", ["tenant_id"], unique=False)

    with op.batch_alter_table("case_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "closure_requested_at", app.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("closure_requested_by_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_case_record_closure_requested_by_id_user_account"),
            "user_account",
            ["closure_requested_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("case_record", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_case_record_closure_requested_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("closure_requested_by_id")
        batch_op.drop_column("closure_requested_at")

    with op.batch_alter_table("supervision_note", schema=None) as batch_op:
        batch_op.drop_index("ix_supervision_note_tenant")
        batch_op.drop_index(batch_op.f("ix_supervision_note_case_id"))

    op.drop_table("supervision_note")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index("ix_allocation_tenant")
        batch_op.drop_index(batch_op.f("ix_allocation_case_id"))

    op.drop_table("allocation")
    with op.batch_alter_table("workload_weight", schema=None) as batch_op:
        batch_op.drop_index("ix_workload_weight_tenant_type_priority")
        batch_op.drop_index("ix_workload_weight_tenant")

    op.drop_table("workload_weight")
