"""Shared fixtures for the platform tests: migrated databases, a seeded council, API clients.

Fixtures (PostgreSQL ones need ``@pytest.mark.postgres`` on the test):
  pg_platform_template   (session)  name of a PostgreSQL database migrated to head; cloned only
  pg_platform_url        (function) URL of a fresh clone of it, dropped after the test
  pg_platform_engine     (function) server.db engine on pg_platform_url
  seeded_pg_template     (session)  name of a migrated database holding seed_demo(60, seed=1)
  seeded_pg              (function) engine on a fresh clone of seeded_pg_template
  sqlite_platform_engine (function) engine on a migrated SQLite file in tmp_path
  make_client            (function) make_client(engine, settings=None) -> TestClient
Helpers: settings_for(engine, **overrides), create_database / drop_database / database_url.
Each test gets its own database, so tests may write freely; cloning a template database
(``CREATE DATABASE ... TEMPLATE``) costs a fraction of a second, a migration several times that.
"""

from __future__ import annotations

import secrets
import shutil
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.engine import make_url

from server.app import create_app
from server.db import make_engine
from server.migrate import migrate
from server.seed import seed_demo
from server.settings import Settings
from tests.conftest import pg_connect
from tests.server.world import wait_for_feed

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; the httpx it falls back to works the same.
    # Imported here first, so test modules importing it later get it without the warning.
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

SEEDED_PERSONS = 60
SEEDED_SEED = 1

MakeClient = Callable[..., TestClient]


def database_url(admin_url: str, name: str) -> str:
    """The URL of database ``name`` on the server ``admin_url`` points at."""
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def create_database(admin_url: str, name: str, template: str = "template0") -> None:
    """Create database ``name`` as a copy of ``template`` (template0: empty)."""
    with pg_connect(admin_url) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )


def drop_database(admin_url: str, name: str) -> None:
    """Drop database ``name``, ending any connection a test left open."""
    with pg_connect(admin_url) as conn:
        # FORCE ends connections a test leaked, so the drop cannot hang.
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="session")
def pg_platform_template(pg_admin_url: str) -> Iterator[str]:
    """Name of a database migrated to head, once per session, for tests to clone.

    Never connect to it: PostgreSQL refuses to copy a template that has open connections.
    """
    name = f"doorstep_platform_tmpl_{secrets.token_hex(4)}"
    create_database(pg_admin_url, name)
    try:
        engine = make_engine(database_url(pg_admin_url, name))
        try:
            migrate(engine)
        finally:
            engine.dispose()
        yield name
    finally:
        drop_database(pg_admin_url, name)


@pytest.fixture
def pg_platform_url(pg_admin_url: str, pg_platform_template: str) -> Iterator[str]:
    """URL of a migrated PostgreSQL database of this test's own (a clone), dropped after it."""
    name = f"doorstep_platform_{secrets.token_hex(6)}"
    create_database(pg_admin_url, name, pg_platform_template)
    try:
        yield database_url(pg_admin_url, name)
    finally:
        drop_database(pg_admin_url, name)


@pytest.fixture
def pg_platform_engine(pg_platform_url: str) -> Iterator[sa.Engine]:
    """An engine (``server.db.make_engine``) on a fresh migrated database, disposed after.

    The database holds the schema at head and its server_state row, and nothing else.
    """
    engine = make_engine(pg_platform_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def seeded_pg_template(pg_admin_url: str, pg_platform_template: str) -> Iterator[str]:
    """Name of a migrated database holding the demo council, once per session; clone only."""
    name = f"doorstep_seeded_tmpl_{secrets.token_hex(4)}"
    create_database(pg_admin_url, name, pg_platform_template)
    try:
        engine = make_engine(database_url(pg_admin_url, name))
        try:
            seed_demo(engine, SEEDED_PERSONS, SEEDED_SEED)
        finally:
            engine.dispose()
        yield name
    finally:
        drop_database(pg_admin_url, name)


@pytest.fixture
def seeded_pg(pg_admin_url: str, seeded_pg_template: str) -> Iterator[sa.Engine]:
    """An engine on this test's own copy of a migrated database seeded with the demo council.

    ``seed_demo(engine, persons=60, seed=1)``: tenant code ``demo``, id
    ``app.demo.demo_tenant_id(1)``; every row at version 1 with its change_log entry; a
    credential for every user of ``app.demo.demo_users(1)`` with its ``password`` (the named
    accounts are housing.officer, social.worker and team.lead). No credential may view sealed
    persons. The demo data uses 999 test NHS numbers, so apps over it need demo_mode (the
    ``make_client`` default).
    """
    name = f"doorstep_seeded_{secrets.token_hex(6)}"
    create_database(pg_admin_url, name, seeded_pg_template)
    engine = make_engine(database_url(pg_admin_url, name))
    try:
        # The copy's seeded changes must be visible to the feed before a test pulls them.
        wait_for_feed(engine)
        yield engine
    finally:
        engine.dispose()
        drop_database(pg_admin_url, name)


@pytest.fixture(scope="session")
def _sqlite_platform_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("platform-template") / "platform.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        migrate(engine)
    finally:
        # Closing the last connection checkpoints the WAL into the file, so a copy is whole.
        engine.dispose()
    return path


@pytest.fixture
def sqlite_platform_engine(tmp_path: Path, _sqlite_platform_template: Path) -> Iterator[sa.Engine]:
    """An engine on a migrated SQLite platform database (a file in ``tmp_path``), disposed after."""
    path = tmp_path / "platform.db"
    shutil.copyfile(_sqlite_platform_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()


def settings_for(engine: sa.Engine, **overrides: object) -> Settings:
    """Settings for an app over ``engine``: demo_mode on (test data uses 999 NHS numbers)."""
    values: dict[str, object] = {
        "database_url": engine.url.render_as_string(hide_password=False),
        "demo_mode": True,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    """``make_client(engine, settings=None) -> TestClient`` over ``create_app(settings, engine)``.

    The client has run the app's startup (it is entered as a context manager) and is closed
    after the test. Without ``settings`` it uses ``settings_for(engine)``: the defaults plus
    ``demo_mode=True``. Pass ``raise_server_exceptions=False`` to see 500 responses.
    """
    clients: list[TestClient] = []

    def make(
        engine: sa.Engine, settings: Settings | None = None, *, raise_server_exceptions: bool = True
    ) -> TestClient:
        app = create_app(settings or settings_for(engine), engine=engine)
        client = TestClient(app, raise_server_exceptions=raise_server_exceptions)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in reversed(clients):
        client.__exit__(None, None, None)


# =============================================================================
# Access and sync tests (server/access.py, server/sync/): a council built row by row
# =============================================================================


@pytest.fixture
def world(pg_platform_engine: sa.Engine) -> object:
    """A ``tests.server.world.World``: one tenant on this test's own migrated database."""
    from tests.server.world import World

    return World(pg_platform_engine, settings_for(pg_platform_engine))
