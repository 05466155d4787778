"""The sync commands (login, sync, status, logout) against the platform app in process."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from keyring.backends import fail
from sqlalchemy.orm import Session

from app.cli import Context, main
from app.config import ConfigSources, Settings
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from server.auth import revoke_device
from tests.fakes import FakeVault
from tests.server import conftest as platform_fixtures
from tests.sync.test_engine import SERVER, Wire, now
from tests.sync.test_transport import FakeSleeper, Script, problem

pg_platform_template = platform_fixtures.pg_platform_template
seeded_pg_template = platform_fixtures.seeded_pg_template
seeded_pg = platform_fixtures.seeded_pg
make_client = platform_fixtures.make_client

LOGIN = ["login", "--server", SERVER, "--user", "housing.officer", "--tenant", "demo"]


def run(argv: list[str], ctx: Context) -> tuple[int, str, str]:
    ctx.out, ctx.err = io.StringIO(), io.StringIO()
    code = main(argv, ctx)
    assert isinstance(ctx.out, io.StringIO)
    assert isinstance(ctx.err, io.StringIO)
    return code, ctx.out.getvalue(), ctx.err.getvalue()


def context(tmp_path: Path, client: Callable[[], httpx.Client], password: str) -> Context:
    vault = FakeVault()

    def http_client(server_url: str, _settings: Settings) -> httpx.Client:
        assert server_url == SERVER
        return client()

    return Context(
        env={"DOORSTEP_HOME": str(tmp_path), "DOORSTEP_PASSWORD": password},
        out=io.StringIO(),
        err=io.StringIO(),
        keyring=lambda: vault,
        http_client=http_client,
        sleep=FakeSleeper(),
        clock=now,
        config_sources=ConfigSources(None, None),
    )


@pytest.fixture
def wire(seeded_pg: sa.Engine, make_client: platform_fixtures.MakeClient) -> Wire:
    return Wire(make_client(seeded_pg))


def add_note(ctx: Context) -> None:
    store = ctx.open_store(create=False)
    try:
        identity = LocalSync(store, clock=now).state().identity
        assert identity is not None
        changes = LocalChanges(
            store,
            clock=now,
            user_id=identity.user_id,
            device_id=identity.device_id,
            tenant_id=identity.tenant_id,
            allow_test_numbers=True,
        )
        with store.engine.connect() as connection:
            case = connection.exec_driver_sql(
                "SELECT id FROM case_record WHERE officer_id = ? AND status != 'closed' LIMIT 1",
                (identity.user_id.hex,),
            ).scalar_one()
        changes.add_note(uuid.UUID(hex=case), "phone", "Called from the command line test.")
    finally:
        store.close()


@pytest.mark.postgres
def test_login_sync_status_logout(tmp_path: Path, wire: Wire) -> None:
    ctx = context(tmp_path, wire.client, "doorstep-demo-1")

    code, out, err = run(LOGIN, ctx)
    assert (code, err) == (0, ""), err
    assert "housing.officer" in out
    assert "device" in out

    code, out, err = run(["status", "--json"], ctx)
    assert code == 0, err
    status = json.loads(out)
    assert status["user"] == "housing.officer"
    assert status["server"] == SERVER
    assert status["signed_in"] is True
    assert status["device"]
    assert (status["pending"], status["last_sync"]) == (0, None)

    code, out, err = run(["sync", "--json"], ctx)
    assert code == 0, err
    report = json.loads(out)
    assert report["pulled"] > 0
    assert {"pushed", "pulled", "merged", "conflicts", "rejected"} <= report.keys()

    add_note(ctx)
    status = json.loads(run(["status", "--json"], ctx)[1])
    assert status["pending"] == 1
    assert status["last_sync"] is not None

    code, _out, err = run(["logout", "--wipe"], ctx)
    assert code == 1
    assert "1 local changes have not reached the platform" in err
    assert (tmp_path / "doorstep.db").exists()

    code, out, err = run(["sync", "--json"], ctx)
    assert code == 0, err
    assert json.loads(out)["pushed"] == 1

    code, out, err = run(["sync"], ctx)
    assert code == 0, err
    assert "0 changes sent" in out

    code, out, err = run(["logout", "--wipe"], ctx)
    assert code == 0, err
    assert "erased" in out
    assert not (tmp_path / "doorstep.db").exists()
    code, _out, err = run(["status"], ctx)
    assert code == 1
    assert "no local store" in err


@pytest.mark.postgres
def test_logout_keeps_the_store_and_revokes_the_sign_in(tmp_path: Path, wire: Wire) -> None:
    ctx = context(tmp_path, wire.client, "doorstep-demo-1")
    assert run(LOGIN, ctx)[0] == 0
    assert run(["logout"], ctx)[0] == 0
    assert json.loads(run(["status", "--json"], ctx)[1])["signed_in"] is False
    code, _out, err = run(["sync"], ctx)
    assert code == 4
    assert "doorstep login" in err
    assert (tmp_path / "doorstep.db").exists()
    assert run(LOGIN, ctx)[0] == 0  # the same user signs in again on the same store


@pytest.mark.postgres
def test_wrong_password(tmp_path: Path, wire: Wire) -> None:
    code, _out, err = run(LOGIN, context(tmp_path, wire.client, "not-the-password"))
    assert code == 4
    assert "sign-in refused" in err
    assert "password is not right" in err


@pytest.mark.postgres
def test_revoked_laptop_is_erased_at_its_next_sync(
    tmp_path: Path, wire: Wire, seeded_pg: sa.Engine
) -> None:
    ctx = context(tmp_path, wire.client, "doorstep-demo-1")
    assert run(LOGIN, ctx)[0] == 0
    status = json.loads(run(["status", "--json"], ctx)[1])
    store = ctx.open_store(create=False)
    identity = LocalSync(store, clock=now).state().identity
    store.close()
    assert identity is not None
    with Session(seeded_pg) as session, session.begin():
        revoke_device(session, identity.tenant_id, identity.device_id)

    code, _out, err = run(["sync"], ctx)

    assert code == 5
    assert "revoked" in err
    assert "erased" in err
    assert not (tmp_path / "doorstep.db").exists()
    assert status["device"] == str(identity.device_id)


def test_unreachable_platform(tmp_path: Path) -> None:
    script = Script(*[httpx.ConnectError("connection refused")] * 10)

    def client() -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(script), base_url=SERVER)

    ctx = context(tmp_path, client, "doorstep-demo-1")
    code, _out, err = run(LOGIN, ctx)
    assert code == 3
    assert f"cannot reach the platform at {SERVER}" in err
    assert isinstance(ctx.sleep, FakeSleeper)
    assert len(ctx.sleep.delays) == len(script.requests) - 1  # retried, never really waited


def test_locked_out(tmp_path: Path) -> None:
    script = Script(problem(429, "locked-out", {"Retry-After": "300"}))

    def client() -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(script), base_url=SERVER)

    code, _out, err = run(LOGIN, context(tmp_path, client, "guess"))
    assert code == 4
    assert "Try again in 300 seconds" in err


def test_sync_before_login(tmp_path: Path) -> None:
    ctx = context(tmp_path, lambda: pytest.fail("no request expected"), "x")
    code, _out, err = run(["sync"], ctx)
    assert code == 1
    assert "no local store" in err


def test_login_needs_a_server_and_a_password(tmp_path: Path) -> None:
    ctx = context(tmp_path, lambda: pytest.fail("no request expected"), "")
    code, _out, err = run(["login", "--user", "u", "--tenant", "demo"], ctx)
    assert code == 2
    assert "--server" in err
    code, _out, err = run(["login", "--server", SERVER, "--user", "u", "--tenant", "demo"], ctx)
    assert code == 2
    assert "DOORSTEP_PASSWORD" in err


def test_logout_wipe_without_any_keyring_erases_the_store(tmp_path: Path) -> None:
    # A laptop with no keyring backend keeps its store key as a passphrase; wiping must not
    # fail on the keyring it never used (it once ended in a NoKeyringError traceback).
    ctx = Context(
        env={"DOORSTEP_HOME": str(tmp_path), "DOORSTEP_STORE_PASSPHRASE": "a long passphrase"},
        out=io.StringIO(),
        err=io.StringIO(),
        keyring=fail.Keyring,
        clock=now,
        config_sources=ConfigSources(None, None),
    )
    code, _out, err = run(["import-demo", "--persons", "5", "--seed", "1"], ctx)
    assert code == 0, err
    assert (tmp_path / "doorstep.db").exists()
    code, out, err = run(["logout", "--wipe", "--force"], ctx)
    assert code == 0, err
    assert "erased" in out
    assert not (tmp_path / "doorstep.db").exists()
