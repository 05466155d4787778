"""Platform schema migrations (Alembic, configured in code) and the server epoch reset."""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text, update

from server.models import ServerState

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the platform's scripts; env.py runs on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest platform schema revision this build ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration scripts under {MIGRATIONS}")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None when it has never been migrated.

    Read directly rather than through Alembic's MigrationContext, which logs two lines per
    call: /ready is polled every few seconds and would fill the log.
    """
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    revision: str | None = connection.execute(
        text(f"SELECT version_num FROM {VERSION_TABLE}")  # noqa: S608 (a constant)
    ).scalar()
    return revision


def migrate(engine: Engine, revision: str = "head") -> bool:
    """Bring the schema to ``revision`` in one transaction; True if anything was applied.

    Safe to run on every start and from several processes in turn: at head it does nothing.
    """
    if engine.dialect.name == "sqlite":
        return _migrate_sqlite(engine, revision)
    with engine.begin() as connection:
        return _upgrade(connection, revision)


def _upgrade(connection: Connection, revision: str) -> bool:
    before = current_revision(connection)
    if revision == "head" and before == head_revision():
        return False
    command.upgrade(alembic_config(connection), revision)
    return current_revision(connection) != before


def _migrate_sqlite(engine: Engine, revision: str) -> bool:
    """SQLite: batch mode rebuilds a table by copy, drop and rename, and with foreign keys
    enforced the drop fails while other tables point at it (demo databases were left
    half-migrated). Enforcement is paused around the upgrade (the pragma works only outside a
    transaction) and every reference is checked before the upgrade is kept."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        try:
            with connection.begin():
                applied = _upgrade(connection, revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(
                        f"the upgrade would break {len(broken)} references, e.g. in {broken[0][0]}"
                    )
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
    return applied


def new_epoch(engine: Engine) -> uuid.UUID:
    """Give the feed a fresh epoch, so every laptop's cursor is refused and it resyncs.

    Run after restoring a backup: laptops may hold changes the restored database never saw,
    and their cursors may point past its end. Their pending outboxes are kept and pushed.
    """
    epoch = uuid.uuid4()
    with engine.begin() as connection:
        result = connection.execute(
            update(ServerState).where(ServerState.id == 1).values(epoch=epoch)
        )
        if result.rowcount != 1:
            raise RuntimeError(
                "The platform database is not initialised; run doorstep-server migrate."
            )
    return epoch
