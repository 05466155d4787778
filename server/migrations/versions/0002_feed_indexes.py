"""Indexes the change feed's access checks need: sealed persons, referrals by case."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_person_tenant_sealed",
        "person",
        ["tenant_id"],
        postgresql_where=sa.text("sealed"),
        sqlite_where=sa.text("sealed"),
    )
    op.create_index("ix_referral_case_id", "referral", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_referral_case_id", table_name="referral")
    op.drop_index("ix_person_tenant_sealed", table_name="person")
