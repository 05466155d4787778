"""Alembic environment for the platform database: runs on the connection migrate() passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from app.models import entities  # noqa: F401  (registers the shared tables on Base.metadata)
from app.models.base import Base
from server import models  # noqa: F401  (registers the platform tables and tenant indexes)

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("The platform migrations run only through server.migrate.migrate().")

# render_as_batch: later revisions must also run on SQLite (the demo default), which cannot
# ALTER most things; batch mode copies the table there and is plain ALTER on PostgreSQL.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
