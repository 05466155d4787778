"""Tests for server.db: the platform's PostgreSQL connections."""

from __future__ import annotations

import sqlalchemy as sa

from server.db import make_engine


def test_platform_connections_cost_random_reads_as_in_memory(
    pg_platform_engine: sa.Engine,
) -> None:
    # At PostgreSQL's default (4, for spinning disks) a push's case facts hashed every
    # person of the council instead of looking up the few it needs by key.
    with pg_platform_engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW random_page_cost").scalar_one() == "1.1"


def test_an_operators_own_connection_options_still_apply(pg_platform_url: str) -> None:
    engine = make_engine(f"{pg_platform_url}?options=-c%20statement_timeout%3D5000")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar_one() == "5s"
            assert connection.exec_driver_sql("SHOW random_page_cost").scalar_one() == "1.1"
    finally:
        engine.dispose()
