"""seed-demo: the council loads whole, in the feed, with working sign-ins, or not at all."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from app.demo import demo_tenant_id, demo_users, generate_council
from app.models.entities import SYNCED_ENTITIES, Person
from app.models.registry import BY_MODEL
from app.sync.protocol import TOKEN_PATH
from server.auth import verify_password
from server.models import ChangeLog, Credential, Tenant
from server.seed import DEMO_TENANT_NAME, NAMED_DEMO_USERNAMES, SeedError, seed_demo
from tests.server.conftest import MakeClient

PERSONS = 60
SEED = 1
ENGINES = [pytest.param("pg_platform_engine", marks=pytest.mark.postgres), "sqlite_platform_engine"]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> sa.Engine:
    """A migrated, empty platform database: PostgreSQL (COPY path) or SQLite (INSERT path)."""
    value: sa.Engine = request.getfixturevalue(request.param)
    return value


def _expected_counts() -> Counter[str]:
    counts: Counter[str] = Counter()
    for batch in generate_council(PERSONS, SEED):
        counts[batch.model.__tablename__] += len(batch.rows)  # type: ignore[attr-defined]
    return counts


def _table_counts(session: Session, tenant_id: Any) -> Counter[str]:
    counts: Counter[str] = Counter()
    for model in SYNCED_ENTITIES:
        table: sa.Table = model.__table__  # type: ignore[attr-defined]
        n = session.scalar(
            sa.select(sa.func.count()).select_from(table).where(table.c.tenant_id == tenant_id)
        )
        if n:
            counts[table.name] = n
    return counts


def test_seed_loads_exactly_the_generated_council_at_version_1(engine: sa.Engine) -> None:
    report = seed_demo(engine, PERSONS, SEED)

    expected = _expected_counts()
    assert report.counts == dict(expected)
    assert report.tenant_id == demo_tenant_id(SEED)
    assert report.changes == report.records == sum(expected.values())
    with Session(engine) as session:
        tenant = session.get(Tenant, report.tenant_id)
        assert tenant is not None
        assert (tenant.code, tenant.name) == ("demo", DEMO_TENANT_NAME)
        assert _table_counts(session, report.tenant_id) == expected
        for model in SYNCED_ENTITIES:
            table: sa.Table = model.__table__  # type: ignore[attr-defined]
            versions = session.scalars(sa.select(table.c.version).distinct()).all()
            assert versions in ([], [1]), table.name


def test_every_record_has_exactly_one_feed_entry(engine: sa.Engine) -> None:
    report = seed_demo(engine, PERSONS, SEED)

    with Session(engine) as session:
        feed = session.execute(
            sa.select(ChangeLog.entity, ChangeLog.record_id, ChangeLog.version, ChangeLog.xid)
        ).all()
        assert {row.version for row in feed} == {1}
        assert len({(row.entity, row.record_id) for row in feed}) == len(feed) == report.records
        for model in SYNCED_ENTITIES:
            table: sa.Table = model.__table__  # type: ignore[attr-defined]
            ids = set(session.scalars(sa.select(table.c.id)).all())
            logged = {row.record_id for row in feed if row.entity == BY_MODEL[model].name}
            assert logged == ids, table.name
    xids = {row.xid for row in feed}
    if engine.dialect.name == "postgresql":
        # One transaction wrote the whole council: one xid, a real one.
        assert len(xids) == 1
        assert xids != {0}
    else:
        assert xids == {0}


def test_every_demo_user_can_sign_in_with_their_demo_password(engine: sa.Engine) -> None:
    report = seed_demo(engine, PERSONS, SEED)

    users = {user.id: user for user in demo_users(SEED)}
    with Session(engine) as session:
        credentials = {c.user_id: c for c in session.scalars(sa.select(Credential))}
    assert set(credentials) == set(users)
    assert report.credentials == len(users)
    defaults = PasswordHasher()
    for credential in credentials.values():
        assert credential.password_hash.startswith("$argon2id$")
        # Full-strength: the library's current default parameters.
        assert not defaults.check_needs_rehash(credential.password_hash)
        assert not credential.may_view_sealed
    # argon2 is slow on purpose: verify the README's accounts and one other.
    named = [u for u in users.values() if u.username in NAMED_DEMO_USERNAMES]
    assert {u.username for u in report.named_users} == set(NAMED_DEMO_USERNAMES)
    other = next(u for u in users.values() if u.username not in NAMED_DEMO_USERNAMES)
    for user in [*named, other]:
        assert verify_password(credentials[user.id].password_hash, user.password), user.username
        assert not verify_password(credentials[user.id].password_hash, user.password + "x")


def test_a_second_seed_of_the_same_tenant_is_refused_and_changes_nothing(
    engine: sa.Engine,
) -> None:
    seed_demo(engine, PERSONS, SEED)
    with Session(engine) as session:
        before = session.scalar(sa.select(sa.func.count()).select_from(ChangeLog))

    with pytest.raises(SeedError) as same_code:
        seed_demo(engine, PERSONS, SEED + 1, "demo")
    assert "Tenant 'demo' already exists" in same_code.value.message
    assert f"{PERSONS} persons" in same_code.value.message

    with pytest.raises(SeedError) as same_seed:
        seed_demo(engine, PERSONS, SEED, "other")
    assert f"seed {SEED} is already loaded as tenant 'demo'" in same_seed.value.message

    with Session(engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) == before
        assert session.scalars(sa.select(Tenant.code)).all() == ["demo"]


def test_another_seed_loads_a_second_isolated_tenant(engine: sa.Engine) -> None:
    first = seed_demo(engine, 10, SEED)
    second = seed_demo(engine, 12, SEED + 1, "demo2")

    assert first.tenant_id != second.tenant_id
    with Session(engine) as session:
        assert _table_counts(session, second.tenant_id)["person"] == 12
        assert _table_counts(session, first.tenant_id)["person"] == 10


def test_a_failure_part_way_leaves_nothing_behind(engine: sa.Engine) -> None:
    def failing_hasher(_password: str) -> str:
        raise RuntimeError("hashing failed")

    with pytest.raises(RuntimeError, match="hashing failed"):
        seed_demo(engine, PERSONS, SEED, hasher=failing_hasher)

    with Session(engine) as session:
        assert session.scalars(sa.select(Tenant.code)).all() == []
        assert session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) == 0


def _contents(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    contents = {}
    with engine.connect() as connection:
        for model in SYNCED_ENTITIES:
            table: sa.Table = model.__table__  # type: ignore[attr-defined]
            contents[table.name] = [
                tuple(row) for row in connection.execute(sa.select(table).order_by(table.c.id))
            ]
        contents["change_log"] = sorted(
            tuple(row)
            for row in connection.execute(
                sa.select(
                    ChangeLog.tenant_id, ChangeLog.entity, ChangeLog.record_id, ChangeLog.version
                )
            )
        )
    return contents


@pytest.mark.postgres
def test_postgresql_copy_loads_what_sqlite_inserts_load(
    pg_platform_engine: sa.Engine, sqlite_platform_engine: sa.Engine
) -> None:
    """The COPY path (PostgreSQL) and the INSERT + log_changes path (SQLite) agree exactly."""
    seed_demo(pg_platform_engine, PERSONS, SEED)
    seed_demo(sqlite_platform_engine, PERSONS, SEED)

    on_postgresql = _contents(pg_platform_engine)
    on_sqlite = _contents(sqlite_platform_engine)
    assert on_postgresql.keys() == on_sqlite.keys()
    for table, rows in on_sqlite.items():
        assert on_postgresql[table] == rows, table


def test_negative_persons_is_refused(sqlite_platform_engine: sa.Engine) -> None:
    with pytest.raises(SeedError, match="persons"):
        seed_demo(sqlite_platform_engine, -1, SEED)


@pytest.mark.postgres
def test_seeded_pg_fixture_is_a_private_copy_of_the_demo_council(seeded_pg: sa.Engine) -> None:
    with Session(seeded_pg) as session:
        assert _table_counts(session, demo_tenant_id(SEED)) == _expected_counts()
        session.execute(sa.delete(Credential))
        session.commit()
    # The next test's copy is untouched: see test_a_named_demo_user_signs_in_over_http.


@pytest.mark.postgres
def test_a_named_demo_user_signs_in_over_http(
    seeded_pg: sa.Engine, make_client: MakeClient
) -> None:
    officer = next(u for u in demo_users(SEED) if u.username == "housing.officer")
    response = make_client(seeded_pg).post(
        TOKEN_PATH,
        json={
            "tenant": "demo",
            "username": officer.username,
            "password": officer.password,
            "device_id": str(uuid.uuid4()),
            "device_name": "Demo laptop",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["access_token"]
