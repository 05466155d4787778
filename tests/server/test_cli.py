"""The doorstep-server command: each command, and clear refusals that leave nothing half-done."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.demo import demo_tenant_id, demo_users
from app.models.base import utcnow
from app.models.entities import Team, User, WorkloadWeight
from app.models.workload import default_weights
from app.sync.protocol import API_PREFIX, REFRESH_PATH, TOKEN_PATH
from server.auth import verify_password
from server.cli import main
from server.db import make_engine
from server.migrate import head_revision, migrate
from server.models import ChangeLog, Credential, Device, RefreshToken, ServerState, Tenant
from tests.server.conftest import MakeClient

PASSWORD = "correct horse battery"
ME_PATH = f"{API_PREFIX}/me"
SERVE_START_TIMEOUT_S = 30.0

Run = Callable[..., tuple[int, str, str]]


def _url(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _runner(url: str) -> Run:
    def run(
        *argv: str, password: str | None = PASSWORD, prompt: Callable[[str], str] | None = None
    ) -> tuple[int, str, str]:
        env = {"DOORSTEP_DATABASE_URL": url}
        if password is not None:
            env["DOORSTEP_PASSWORD"] = password
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), env=env, out=out, err=err, prompt=prompt)
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def run(sqlite_platform_engine: sa.Engine) -> Run:
    """Run doorstep-server against a migrated SQLite platform database."""
    return _runner(_url(sqlite_platform_engine))


@pytest.fixture
def tenant(run: Run) -> str:
    code, _out, err = run("create-tenant", "--code", "cardiff", "--name", "Cardiff Council")
    assert code == 0, err
    return "cardiff"


def _count(engine: sa.Engine, model: type[object]) -> int:
    with Session(engine) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _user_args(username: str = "alex.morgan", **overrides: str) -> list[str]:
    options = {
        "--tenant": "cardiff",
        "--username": username,
        "--display-name": "Alex Morgan",
        "--role": "field_officer",
        "--team": "Tenancy North",
        "--service": "tenancy_management",
    }
    options.update(overrides)
    args = ["create-user"]
    for option, value in options.items():
        if value:
            args += [option, value]
    return args


# --- migrate ----------------------------------------------------------------------------------


def test_migrate_creates_the_schema_then_reports_it_up_to_date(tmp_path: Path) -> None:
    run = _runner(f"sqlite:///{tmp_path / 'new.db'}")

    code, out, err = run("migrate")
    assert (code, err) == (0, "")
    assert f"at revision {head_revision()} (migrated)" in out

    code, out, _err = run("migrate")
    assert code == 0
    assert "(already up to date)" in out


@pytest.mark.postgres
def test_migrate_on_postgresql(pg_admin_url: str, tmp_path: Path) -> None:
    from tests.server.conftest import create_database, database_url, drop_database

    name = f"doorstep_cli_{uuid.uuid4().hex[:10]}"
    create_database(pg_admin_url, name)
    try:
        run = _runner(database_url(pg_admin_url, name))
        code, out, err = run("migrate")
        assert (code, err) == (0, "")
        assert "(migrated)" in out
        code, out, err = run("create-tenant", "--code", "newport", "--name", "Newport")
        assert (code, err) == (0, "")
    finally:
        drop_database(pg_admin_url, name)


def test_commands_refuse_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    run = _runner(f"sqlite:///{tmp_path / 'empty.db'}")
    code, _out, err = run("create-tenant", "--code", "cardiff", "--name", "Cardiff")
    assert code == 1
    assert "schema revision none" in err
    assert "run 'doorstep-server migrate' first" in err


def test_an_unreachable_database_is_reported_without_a_traceback() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port once the probe socket closes.
    run = _runner(f"postgresql+psycopg://doorstep:secret@127.0.0.1:{port}/nowhere")
    code, _out, err = run("migrate")
    assert code == 1
    assert err.startswith("doorstep-server: cannot use the database at postgresql+psycopg://")
    assert "secret" not in err
    assert "Traceback" not in err


def test_invalid_settings_name_their_variable() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["migrate"], env={"DOORSTEP_MAX_BODY_BYTES": "5"}, out=out, err=err)
    assert code == 1
    assert "DOORSTEP_MAX_BODY_BYTES" in err.getvalue()


def test_no_command_prints_help_and_unknown_ones_are_usage_errors(run: Run) -> None:
    code, out, _err = run()
    assert code == 2
    assert "create-tenant" in out
    code, _out, err = run("destroy-everything")
    assert code == 2
    assert "invalid choice: 'destroy-everything'" in err


# --- create-tenant ----------------------------------------------------------------------------


def test_create_tenant(run: Run, sqlite_platform_engine: sa.Engine) -> None:
    code, out, err = run("create-tenant", "--code", "cardiff", "--name", "Cardiff Council")
    assert (code, err) == (0, "")
    with Session(sqlite_platform_engine) as session:
        tenant = session.scalars(sa.select(Tenant)).one()
    assert (tenant.code, tenant.name) == ("cardiff", "Cardiff Council")
    assert str(tenant.id) in out


def test_create_tenant_refuses_a_duplicate_or_bad_code(
    run: Run, tenant: str, sqlite_platform_engine: sa.Engine
) -> None:
    code, _out, err = run("create-tenant", "--code", tenant, "--name", "Again")
    assert code == 1
    assert "--code: a tenant with code 'cardiff' already exists" in err

    code, _out, err = run("create-tenant", "--code", "Bad Code!", "--name", "X")
    assert code == 1
    assert "--code: 'Bad Code!' is not allowed" in err

    code, _out, err = run("create-tenant", "--code", "ok", "--name", "   ")
    assert code == 1
    assert "--name" in err
    assert _count(sqlite_platform_engine, Tenant) == 1


# --- create-user ------------------------------------------------------------------------------


def test_create_user_with_a_new_team(
    run: Run, tenant: str, sqlite_platform_engine: sa.Engine
) -> None:
    code, out, err = run(*_user_args(), "--may-view-sealed")
    assert (code, err) == (0, "")
    assert "Created field_officer 'alex.morgan' in team 'Tenancy North'" in out

    with Session(sqlite_platform_engine) as session:
        user = session.scalars(sa.select(User)).one()
        team = session.scalars(sa.select(Team)).one()
        credential = session.get(Credential, user.id)
        feed = session.execute(sa.select(ChangeLog.entity, ChangeLog.record_id, ChangeLog.version))
        entries = set(feed.tuples())
    assert (user.username, user.display_name, user.role) == (
        "alex.morgan",
        "Alex Morgan",
        "field_officer",
    )
    assert (team.name, team.service) == ("Tenancy North", "tenancy_management")
    assert user.team_id == team.id
    assert user.tenant_id == team.tenant_id
    assert (user.version, team.version) == (1, 1)
    # Laptops learn of new users and teams through the feed like any other record.
    assert entries == {("user", user.id, 1), ("team", team.id, 1)}
    assert credential is not None
    assert credential.may_view_sealed
    assert verify_password(credential.password_hash, PASSWORD)


def test_create_user_joins_an_existing_team(
    run: Run, tenant: str, sqlite_platform_engine: sa.Engine
) -> None:
    assert run(*_user_args("first.user"))[0] == 0
    code, _out, err = run(*_user_args("second.user", **{"--service": ""}))
    assert (code, err) == (0, "")
    with Session(sqlite_platform_engine) as session:
        team_ids = set(session.scalars(sa.select(User.team_id)))
    assert len(team_ids) == 1
    assert _count(sqlite_platform_engine, Team) == 1


def test_an_admin_needs_no_team(run: Run, tenant: str) -> None:
    code, out, err = run(
        *_user_args("it.admin", **{"--role": "admin", "--team": "", "--service": ""})
    )
    assert (code, err) == (0, "")
    assert "in no team" in out


def test_create_user_asks_twice_without_the_environment_variable(
    run: Run, tenant: str, sqlite_platform_engine: sa.Engine
) -> None:
    answers = iter(["a long enough secret", "a long enough typo"])
    code, _out, err = run(*_user_args(), password=None, prompt=lambda _text: next(answers))
    assert code == 1
    assert "the two passwords do not match" in err
    assert _count(sqlite_platform_engine, User) == 0

    answers = iter(["a long enough secret"] * 2)
    code, _out, err = run(*_user_args(), password=None, prompt=lambda _text: next(answers))
    assert (code, err) == (0, "")


def test_create_user_without_any_way_to_get_a_password(run: Run, tenant: str) -> None:
    code, _out, err = run(*_user_args(), password=None, prompt=None)
    assert code == 1
    assert "set DOORSTEP_PASSWORD" in err


@pytest.mark.parametrize(
    ("args", "password", "status", "message"),
    [
        (_user_args(**{"--role": "boss"}), PASSWORD, 2, "argument --role: invalid choice: 'boss'"),
        (_user_args(**{"--tenant": "nowhere"}), PASSWORD, 1, "--tenant: there is no tenant"),
        (_user_args(), "short", 1, "password: use at least 10 characters (this one has 5)"),
        (_user_args(**{"--username": "Alex Morgan"}), PASSWORD, 1, "--username: 'Alex Morgan'"),
        (_user_args(**{"--display-name": " "}), PASSWORD, 1, "--display-name"),
        (_user_args(**{"--service": ""}), PASSWORD, 1, "--team: tenant 'cardiff' has no team"),
        (_user_args(**{"--team": ""}), PASSWORD, 1, "--team: a field_officer must belong"),
        (_user_args(**{"--service": "pest_control"}), PASSWORD, 2, "argument --service"),
    ],
    ids=[
        "unknown-role",
        "unknown-tenant",
        "weak-password",
        "bad-username",
        "blank-name",
        "new-team-without-service",
        "no-team",
        "unknown-service",
    ],
)
def test_create_user_refuses_bad_input_and_writes_nothing(
    run: Run,
    tenant: str,
    sqlite_platform_engine: sa.Engine,
    args: list[str],
    password: str,
    status: int,
    message: str,
) -> None:
    code, out, err = run(*args, password=password)
    assert code == status
    assert message in err
    assert out == ""
    assert _count(sqlite_platform_engine, User) == 0
    assert _count(sqlite_platform_engine, Team) == 0
    assert _count(sqlite_platform_engine, ChangeLog) == 0


def test_create_user_refuses_a_duplicate_username_or_a_team_of_another_service(
    run: Run, tenant: str, sqlite_platform_engine: sa.Engine
) -> None:
    assert run(*_user_args())[0] == 0

    code, _out, err = run(*_user_args())
    assert code == 1
    assert "--username: 'alex.morgan' is already taken in tenant 'cardiff'" in err

    code, _out, err = run(*_user_args("sam.jones", **{"--service": "homelessness"}))
    assert code == 1
    assert "--service: team 'Tenancy North' belongs to tenancy_management" in err
    assert _count(sqlite_platform_engine, User) == 1


def test_update_user_moves_them_and_makes_their_laptops_resync(
    run: Run, tenant: str, sqlite_platform_engine: sa.Engine
) -> None:
    assert run(*_user_args("first.user"))[0] == 0
    assert run(*_user_args("other.user", **{"--team": "Tenancy South"}))[0] == 0

    code, out, err = run(
        "update-user", "--tenant", tenant, "--username", "first.user", "--team", "Tenancy South"
    )
    again = run(
        "update-user", "--tenant", tenant, "--username", "first.user", "--team", "Tenancy South"
    )
    nobody = run("update-user", "--tenant", tenant, "--username", "no.one", "--role", "admin")
    no_team = run("update-user", "--tenant", tenant, "--username", "first.user", "--team", "X")

    assert (code, err) == (0, "")
    assert "resync" in out
    assert again[0] == 0
    assert "already had" in again[1]
    assert nobody[0] == 1
    assert "--username" in nobody[2]
    assert no_team[0] == 1
    assert "--team" in no_team[2]
    with Session(sqlite_platform_engine) as session:
        user = session.scalars(sa.select(User).where(User.username == "first.user")).one()
        south = session.scalars(sa.select(Team).where(Team.name == "Tenancy South")).one()
        credential = session.get(Credential, user.id)
        feed = set(
            session.execute(
                sa.select(ChangeLog.version).where(ChangeLog.record_id == user.id)
            ).scalars()
        )
    assert user.team_id == south.id
    assert user.version == 2
    # Laptops learn of the move through the feed; the user's own laptops resync.
    assert feed == {1, 2}
    assert credential is not None
    assert credential.feed_generation == 1


def test_the_same_username_may_exist_in_another_tenant(run: Run, tenant: str) -> None:
    assert run("create-tenant", "--code", "swansea", "--name", "Swansea")[0] == 0
    assert run(*_user_args())[0] == 0
    code, _out, err = run(*_user_args(**{"--tenant": "swansea"}))
    assert (code, err) == (0, "")


# --- seed-demo --------------------------------------------------------------------------------


def test_seed_demo_then_refuse_a_second(run: Run, sqlite_platform_engine: sa.Engine) -> None:
    code, out, err = run("seed-demo", "--persons", "20", "--seed", "3")
    assert (code, err) == (0, "")
    assert "as tenant 'demo': 20 persons" in out
    for account in ("housing.officer", "social.worker", "team.lead"):
        assert account in out
    assert "doorstep-demo-1" in out
    with Session(sqlite_platform_engine) as session:
        tenant = session.scalars(sa.select(Tenant)).one()
    assert tenant.id == demo_tenant_id(3)

    code, _out, err = run("seed-demo", "--persons", "20", "--seed", "4")
    assert code == 1
    assert "Tenant 'demo' already exists (20 persons)" in err


def test_seed_demo_refuses_bad_numbers(run: Run) -> None:
    code, _out, err = run("seed-demo", "--persons", "many")
    assert code == 2
    assert "--persons must be a whole number" in err


# --- revoke-device ----------------------------------------------------------------------------


def _device(engine: sa.Engine, tenant_code: str) -> uuid.UUID:
    """A registered device with a live refresh token, as a sign-in would leave them."""
    run = _runner(_url(engine))
    assert run(*_user_args(**{"--tenant": tenant_code}))[0] == 0
    device_id = uuid.uuid4()
    with Session(engine) as session, session.begin():
        tenant = session.scalars(sa.select(Tenant).where(Tenant.code == tenant_code)).one()
        user = session.scalars(sa.select(User)).one()
        session.add(Device(id=device_id, tenant_id=tenant.id, user_id=user.id, name="Laptop"))
        session.flush()
        session.add(
            RefreshToken(
                token_hash="ab" * 32,
                family_id=uuid.uuid4(),
                device_id=device_id,
                user_id=user.id,
                expires_at=utcnow() + timedelta(days=1),
            )
        )
    return device_id


def test_revoke_device(run: Run, tenant: str, sqlite_platform_engine: sa.Engine) -> None:
    device_id = _device(sqlite_platform_engine, tenant)

    code, out, err = run("revoke-device", "--tenant", tenant, str(device_id))
    assert (code, err) == (0, "")
    assert f"Revoked device {device_id}" in out
    with Session(sqlite_platform_engine) as session:
        device = session.get(Device, device_id)
        token = session.scalars(sa.select(RefreshToken)).one()
    assert device is not None
    assert device.revoked_at is not None
    assert token.revoked_at is not None

    code, out, _err = run("revoke-device", "--tenant", tenant, str(device_id))
    assert code == 0
    assert "already revoked" in out


def test_revoke_device_refuses_a_bad_or_foreign_device(
    run: Run, tenant: str, sqlite_platform_engine: sa.Engine
) -> None:
    code, _out, err = run("revoke-device", "--tenant", tenant, "not-a-uuid")
    assert code == 1
    assert "DEVICE_ID: 'not-a-uuid' is not a device id" in err

    code, _out, err = run("revoke-device", "--tenant", tenant, str(uuid.uuid4()))
    assert code == 1
    assert "tenant 'cardiff' has no device" in err

    device_id = _device(sqlite_platform_engine, tenant)
    assert run("create-tenant", "--code", "swansea", "--name", "Swansea")[0] == 0
    code, _out, err = run("revoke-device", "--tenant", "swansea", str(device_id))
    assert code == 1
    assert "tenant 'swansea' has no device" in err
    with Session(sqlite_platform_engine) as session:
        device = session.get(Device, device_id)
    assert device is not None
    assert device.revoked_at is None


# --- new-epoch --------------------------------------------------------------------------------


def test_new_epoch(run: Run, sqlite_platform_engine: sa.Engine) -> None:
    with Session(sqlite_platform_engine) as session:
        before = session.scalar(sa.select(ServerState.epoch))
    code, out, err = run("new-epoch")
    assert (code, err) == (0, "")
    with Session(sqlite_platform_engine) as session:
        after = session.scalar(sa.select(ServerState.epoch))
    assert after != before
    assert str(after) in out


# --- serve ------------------------------------------------------------------------------------


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    run = _runner(f"sqlite:///{tmp_path / 'empty.db'}")
    code, _out, err = run("serve", "--port", "1")
    assert code == 1
    assert "run 'doorstep-server migrate' first" in err


def test_serve_refuses_a_bad_port(run: Run) -> None:
    code, _out, err = run("serve", "--port", "70000")
    assert code == 2
    assert "--port must be a whole number from 1 to 65,535" in err


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The real ``doorstep-server serve`` in a child process on a migrated SQLite database."""
    database = f"sqlite:///{tmp_path / 'served.db'}"
    engine = make_engine(database)
    migrate(engine)
    engine.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = Path(sys.executable).parent / "doorstep-server"
    env = {**os.environ, "DOORSTEP_DATABASE_URL": database, "DOORSTEP_LOG_LEVEL": "INFO"}
    process = subprocess.Popen(
        [str(script), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVE_START_TIMEOUT_S
        while True:
            # Bounded polling: the only way to know a child process has bound its port.
            try:
                if httpx.get(f"{base}/health", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                _out, err = process.communicate(timeout=5)
                pytest.fail(f"doorstep-server serve did not start: {err}")
            time.sleep(0.1)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_serve_answers_health_ready_and_logs_json(
    served: tuple[str, subprocess.Popen[str]],
) -> None:
    base, process = served
    assert httpx.get(f"{base}/ready", timeout=5).json() == {
        "status": "ready",
        "revision": head_revision(),
    }
    assert httpx.get(f"{base}/docs", timeout=5).status_code == 200

    process.terminate()
    out, err = process.communicate(timeout=10)
    assert "Serving the Doorstep platform" in out
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "doorstep.access"]
    assert {(line["method"], line["route"], line["status"]) for line in access} >= {
        ("GET", "/health", 200),
        ("GET", "/ready", 200),
    }
    # uvicorn's own access log (raw paths with query strings) is off.
    assert not [line for line in lines if line["logger"] == "uvicorn.access"]


@pytest.mark.postgres
def test_a_device_revoked_from_the_command_line_is_told_to_wipe(
    seeded_pg: sa.Engine, make_client: MakeClient
) -> None:
    officer = next(u for u in demo_users(1) if u.username == "social.worker")
    client = make_client(seeded_pg)
    device_id = uuid.uuid4()
    signed_in = client.post(
        TOKEN_PATH,
        json={
            "tenant": "demo",
            "username": officer.username,
            "password": officer.password,
            "device_id": str(device_id),
        },
    )
    assert signed_in.status_code == 200, signed_in.text
    me = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    assert client.get(ME_PATH, headers=me).status_code == 200

    code, _out, err = _runner(_url(seeded_pg))("revoke-device", "--tenant", "demo", str(device_id))
    assert (code, err) == (0, "")

    refused = client.get(ME_PATH, headers=me)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/device-revoked")
    assert refused.json()["wipe"] is True
    refresh = client.post(REFRESH_PATH, json={"refresh_token": signed_in.json()["refresh_token"]})
    assert refresh.status_code == 403


@pytest.mark.postgres
def test_workload_weight_lists_sets_and_refuses_bad_values_by_option(
    pg_platform_engine: sa.Engine,
) -> None:
    run = _runner(_url(pg_platform_engine))
    assert run("create-tenant", "--code", "cardiff", "--name", "Cardiff Council")[0] == 0
    weight = ("workload-weight", "--tenant", "cardiff")
    defaults = default_weights()

    code, out, err = run(*weight)
    assert (code, err) == (0, "")
    listed = {(t, p): int(n) for t, p, n in (line.split() for line in out.splitlines())}
    assert listed == defaults

    code, out, err = run(
        *weight, "--case-type", "homelessness", "--priority", "high", "--points", "7"
    )
    assert (code, err) == (0, "")
    assert "homelessness/high to 7 points" in out
    with Session(pg_platform_engine) as session:
        saved = session.execute(sa.select(WorkloadWeight.points, WorkloadWeight.version)).all()
        logged = session.scalar(
            sa.select(sa.func.count())
            .select_from(ChangeLog)
            .where(ChangeLog.entity == "workload_weight")
        )
    assert ([tuple(row) for row in saved], logged) == ([(7, 1)], 1)
    code, out, _err = run(*weight, "--case-type", "homelessness", "--priority", "high")
    assert (code, out.split()) == (0, ["homelessness", "high", "7"])

    # Each bad value is named by its option, with the rule the admin API uses; nothing saved.
    refusals = {
        ("homelessness", "high", "500"): "--points: Must be a whole number from 0 to 100.",
        ("homelessness", "high", "lots"): "--points: Must be a whole number from 0 to 100.",
        ("burglary", "high", "3"): "--case-type: ",
        ("repair", "high", "3"): "--priority: ",
    }
    for (case_type, priority, points), message in refusals.items():
        code, out, err = run(
            *weight, "--case-type", case_type, "--priority", priority, "--points", points
        )
        assert (code, out) == (1, ""), (case_type, priority, points)
        assert err.startswith(f"doorstep-server: {message}"), err
        assert err.rstrip().endswith("Nothing was saved.")
    code, _out, err = run(*weight, "--case-type", "repair", "--points", "3")
    assert (code, err) == (1, "doorstep-server: --priority: say which weight --points sets.\n")
    with Session(pg_platform_engine) as session:
        kept = session.execute(sa.select(WorkloadWeight.points)).scalars().all()
    assert kept == [7]
