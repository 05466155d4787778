"""Alembic environment for the laptop store: runs on the connection the store hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from app.models import entities  # noqa: F401  (registers every table on Base.metadata)
from app.models.base import Base

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("The store migrations run only through app.store.db.migrate().")

# render_as_batch: SQLite cannot ALTER most things, so Alembic copies tables instead.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
