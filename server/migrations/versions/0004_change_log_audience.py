"""The change feed's audience columns, so a pull filters need-to-know in its SQL scan."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen as they were when this migration was written (migrations never follow the registry).
_CASE_DETAIL = {
    "note": "note",
    "task": "task",
    "assessment": "assessment",
    "attachment": "attachment",
}


def upgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("broad", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("case_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("user_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("lead_team_id", sa.Uuid(), nullable=True))
    # Existing entries get the audience new ones would, except that every case entry stays
    # broad (which summary fields an old change touched is not known; broad is always safe).
    for entity, table in _CASE_DETAIL.items():
        op.execute(
            f"UPDATE change_log SET broad = false, case_id = t.case_id FROM {table} t "  # noqa: S608
            f"WHERE change_log.entity = '{entity}' AND t.id = change_log.record_id"
        )
    op.execute("UPDATE change_log SET case_id = record_id WHERE entity = 'case'")
    op.execute(
        "UPDATE change_log SET broad = false, user_id = c.user_id, lead_team_id = c.owning_team_id "
        "FROM conflict c WHERE change_log.entity = 'conflict' AND c.id = change_log.record_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("lead_team_id")
        batch_op.drop_column("user_id")
        batch_op.drop_column("case_id")
        batch_op.drop_column("broad")
