"""Full-text search over persons and cases, kept in step by triggers on every write."""

from __future__ import annotations

from alembic import op

from app.store import search

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in search.schema_statements():
        op.execute(statement)


def downgrade() -> None:
    for statement in search.drop_statements():
        op.execute(statement)
