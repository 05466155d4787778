"""Tests for server.db: the platform's PostgreSQL connections."""

from __future__ import annotations

import sqlalchemy as sa


def test_platform_connections_cost_random_reads_as_in_memory(
    pg_platform_engine: sa.Engine,
) -> None:
    # At PostgreSQL's default (4, for spinning disks) a push's case facts hashed every
    # person of the council instead of looking up the few it needs by key.
    with pg_platform_engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW random_page_cost").scalar_one() == "1.1"
