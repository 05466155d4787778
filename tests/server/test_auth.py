"""Sign-in, lock-out, token rotation and device revocation (server/auth.py) on PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import uuid
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from sqlalchemy.orm import Session
from starlette.exceptions import StarletteDeprecationWarning

from app.models.base import utcnow
from app.models.entities import Role, Team, User
from app.sync.protocol import PULL_PATH, PUSH_PATH, REFRESH_PATH, TOKEN_PATH, RefreshRequest
from server import auth
from server.deps import CurrentPrincipal, Principal
from server.models import (
    Credential,
    Device,
    RefreshToken,
    ServerState,
    SignInThrottle,
    Tenant,
)
from server.problems import Problem
from server.settings import Settings
from tests.server.conftest import MakeClient, settings_for

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; the httpx it falls back to works the same.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.postgres

ME = "/api/v1/me"
LOGOUT = "/api/v1/auth/logout"
DEVICES = "/api/v1/admin/devices"


def _as_caller(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    """The answers of routes that identify their caller in two ways: /me through
    ``principal_from_request``, and the sync routes in their own transaction."""
    push = {"client_id": str(uuid.uuid4()), "mutations": []}
    return {
        ME: client.get(ME, headers=headers),
        PULL_PATH: client.get(PULL_PATH, headers=headers),
        PUSH_PATH: client.post(PUSH_PATH, headers=headers, json=push),
    }


PASSWORD = "correct horse battery staple"
MAX_FAILED = 5
LOCKOUT_MINUTES = 15


# --- Database and app ------------------------------------------------------------------------


@pytest.fixture
def auth_engine(pg_platform_engine: sa.Engine) -> sa.Engine:
    """This test's own migrated platform database (a clone made by tests/server/conftest.py)."""
    return pg_platform_engine


class FakeClock:
    """A clock the test moves by hand, put on ``app.state.clock``."""

    def __init__(self) -> None:
        self.now = utcnow().replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _client(
    make_client: MakeClient, engine: sa.Engine, clock: FakeClock, signing_key: str | None = None
) -> TestClient:
    settings = settings_for(
        engine,
        signing_key=signing_key,
        max_failed_sign_ins=MAX_FAILED,
        lockout_minutes=LOCKOUT_MINUTES,
        access_token_minutes=15,
        refresh_token_days=30,
    )
    client = make_client(engine, settings)
    app: FastAPI = client.app  # type: ignore[assignment]
    app.state.clock = clock

    @app.get("/test/principal")
    def _probe(principal: CurrentPrincipal, request: Request) -> dict[str, str]:
        seen: Principal = request.state.principal
        return {"state": str(seen.user_id), "dependency": str(principal.user_id)}

    return client


@pytest.fixture
def client(make_client: MakeClient, auth_engine: sa.Engine, clock: FakeClock) -> TestClient:
    return _client(make_client, auth_engine, clock)


# --- A council to sign in to -----------------------------------------------------------------


@cache
def _password_hash() -> str:
    # One hash for every test user: argon2 is slow on purpose.
    return auth.hash_password(PASSWORD)


@dataclass(frozen=True)
class Council:
    code: str
    tenant_id: uuid.UUID
    team_id: uuid.UUID
    officer: uuid.UUID
    colleague: uuid.UUID
    admin: uuid.UUID


def _add_user(session: Session, tenant_id: uuid.UUID, team_id: uuid.UUID, role: Role) -> uuid.UUID:
    user = User(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        username=f"{role.value}-{secrets.token_hex(3)}",
        display_name=f"Test {role.value}",
        role=role,
        team_id=team_id,
    )
    session.add(user)
    session.flush()
    session.add(Credential(user_id=user.id, password_hash=_password_hash()))
    return user.id


def _council(engine: sa.Engine) -> Council:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        tenant = Tenant(id=uuid.uuid4(), code=f"c-{secrets.token_hex(4)}", name="Test council")
        session.add(tenant)
        session.flush()
        team = Team(id=uuid.uuid4(), tenant_id=tenant.id, name="Repairs", service="housing")
        session.add(team)
        session.flush()
        return Council(
            code=tenant.code,
            tenant_id=tenant.id,
            team_id=team.id,
            officer=_add_user(session, tenant.id, team.id, Role.FIELD_OFFICER),
            colleague=_add_user(session, tenant.id, team.id, Role.FIELD_OFFICER),
            admin=_add_user(session, tenant.id, team.id, Role.ADMIN),
        )


@pytest.fixture
def council(auth_engine: sa.Engine) -> Council:
    return _council(auth_engine)


def _username(engine: sa.Engine, user_id: uuid.UUID) -> str:
    with Session(engine) as session:
        name = session.scalar(sa.select(User.username).where(User.id == user_id))
    assert name is not None
    return name


def _credential(engine: sa.Engine, user_id: uuid.UUID) -> Credential:
    with Session(engine) as session:
        credential = session.get(Credential, user_id)
    assert credential is not None
    return credential


def _device(engine: sa.Engine, device_id: uuid.UUID) -> Device:
    with Session(engine) as session:
        device = session.get(Device, device_id)
    assert device is not None
    return device


def _sign_in(
    client: TestClient,
    council: Council,
    user_id: uuid.UUID,
    *,
    password: str = PASSWORD,
    device_id: uuid.UUID | None = None,
) -> Any:
    engine: sa.Engine = client.app.state.engine  # type: ignore[attr-defined]
    return client.post(
        TOKEN_PATH,
        json={
            "tenant": council.code,
            "username": _username(engine, user_id),
            "password": password,
            "device_id": str(device_id or uuid.uuid4()),
            "device_name": "Test laptop",
        },
    )


def _tokens(client: TestClient, council: Council, user_id: uuid.UUID) -> dict[str, Any]:
    response = _sign_in(client, council, user_id)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def _refresh(client: TestClient, refresh_token: str) -> Any:
    return client.post(REFRESH_PATH, json={"refresh_token": refresh_token})


def _db_key(engine: sa.Engine) -> str:
    with Session(engine) as session:
        key = session.scalar(sa.select(ServerState.signing_key))
    assert key is not None
    return key


# --- Passwords -------------------------------------------------------------------------------


def test_password_hashes_are_argon2id_and_verify() -> None:
    hashed = auth.hash_password("s3cret passphrase")
    assert hashed.startswith("$argon2id$")
    assert auth.verify_password(hashed, "s3cret passphrase")
    assert not auth.verify_password(hashed, "s3cret passphrasf")
    assert not auth.verify_password("not a hash", "s3cret passphrase")
    assert not auth.password_needs_rehash(hashed)


def test_weak_hash_is_upgraded_on_sign_in(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with Session(auth_engine) as session, session.begin():
        session.execute(
            sa.update(Credential)
            .where(Credential.user_id == council.officer)
            .values(password_hash=weak)
        )
    assert auth.password_needs_rehash(weak)

    _tokens(client, council, council.officer)

    stored = _credential(auth_engine, council.officer).password_hash
    assert stored != weak
    assert stored.startswith("$argon2id$")
    assert not auth.password_needs_rehash(stored)
    assert auth.verify_password(stored, PASSWORD)


# --- Sign-in ---------------------------------------------------------------------------------


def test_sign_in_issues_tokens_and_registers_the_device(
    client: TestClient, council: Council, auth_engine: sa.Engine, clock: FakeClock
) -> None:
    device_id = uuid.uuid4()
    response = _sign_in(client, council, council.officer, device_id=device_id)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user_id"] == str(council.officer)
    assert body["tenant_id"] == str(council.tenant_id)
    assert body["device_id"] == str(device_id)
    assert body["role"] == Role.FIELD_OFFICER
    assert body["team_id"] == str(council.team_id)
    assert body["display_name"] == "Test field_officer"
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    device = _device(auth_engine, device_id)
    assert (device.user_id, device.tenant_id, device.name) == (
        council.officer,
        council.tenant_id,
        "Test laptop",
    )
    assert device.last_seen_at == clock.now
    # Only the hash of the refresh token is kept.
    with Session(auth_engine) as session:
        stored = session.scalars(
            sa.select(RefreshToken.token_hash).where(RefreshToken.device_id == device_id)
        ).all()
    assert stored == [hashlib.sha256(body["refresh_token"].encode()).hexdigest()]
    claims = auth.decode_access_token(_db_key(auth_engine), body["access_token"], now=clock.now)
    assert (claims.user_id, claims.tenant_id, claims.device_id) == (
        council.officer,
        council.tenant_id,
        device_id,
    )
    assert claims.expires_at == clock.now + timedelta(minutes=15)


def test_every_failed_sign_in_gives_the_same_answer(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    with Session(auth_engine) as session, session.begin():
        session.execute(
            sa.update(Credential)
            .where(Credential.user_id == council.colleague)
            .values(disabled=True)
        )
    username = _username(auth_engine, council.officer)
    attempts = {
        "wrong password": (council.code, username, "not the password"),
        "unknown user": (council.code, "nobody-here", PASSWORD),
        "unknown council": ("no-such-council", username, PASSWORD),
        "disabled user": (council.code, _username(auth_engine, council.colleague), PASSWORD),
    }
    answers = {}
    for label, (tenant, user, password) in attempts.items():
        response = client.post(
            TOKEN_PATH,
            json={
                "tenant": tenant,
                "username": user,
                "password": password,
                "device_id": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 401, label
        answers[label] = response.json()

    assert answers["wrong password"]["type"].endswith("/invalid-credentials")
    assert all(answer == answers["wrong password"] for answer in answers.values()), answers


def test_lock_out_after_repeated_failures_even_with_the_right_password(
    client: TestClient, council: Council, clock: FakeClock, auth_engine: sa.Engine
) -> None:
    for _ in range(MAX_FAILED - 1):
        response = _sign_in(client, council, council.officer, password="wrong")
        assert response.status_code == 401
        # Wait out any back-off, so every attempt here is counted.
        clock.advance(int(response.headers.get("Retry-After", "0")))

    response = _sign_in(client, council, council.officer, password="wrong")
    assert response.status_code == 429
    assert response.json()["type"].endswith("/locked-out")
    assert response.headers["Retry-After"] == str(LOCKOUT_MINUTES * 60)

    clock.advance(60)
    response = _sign_in(client, council, council.officer)
    assert response.status_code == 429
    assert response.json()["type"].endswith("/locked-out")
    assert response.headers["Retry-After"] == str((LOCKOUT_MINUTES - 1) * 60)
    credential = _credential(auth_engine, council.officer)
    assert credential.failed_attempts == MAX_FAILED
    assert credential.locked_until == clock.now + timedelta(minutes=LOCKOUT_MINUTES - 1)

    clock.advance((LOCKOUT_MINUTES - 1) * 60)
    assert _sign_in(client, council, council.officer).status_code == 200


def test_an_unknown_username_backs_off_and_locks_out_like_a_real_one(
    client: TestClient, council: Council, clock: FakeClock, auth_engine: sa.Engine
) -> None:
    def answers(username: str) -> list[tuple[int, str, str | None]]:
        seen = []
        for _ in range(MAX_FAILED + 1):
            response = client.post(
                TOKEN_PATH,
                json={
                    "tenant": council.code,
                    "username": username,
                    "password": "not the password",
                    "device_id": str(uuid.uuid4()),
                },
            )
            retry = response.headers.get("Retry-After")
            seen.append((response.status_code, response.json()["type"], retry))
            if response.status_code == 401:
                clock.advance(int(retry or "0"))
        return seen

    known = answers(_username(auth_engine, council.officer))
    unknown = answers("nobody-here")

    assert unknown == known
    assert [status for status, _, _ in known] == [401] * (MAX_FAILED - 1) + [429, 429]
    with Session(auth_engine) as session:
        # No username is kept for the unknown account, only a hash.
        assert session.scalar(sa.select(sa.func.count()).select_from(SignInThrottle)) == 1
        assert not session.scalars(
            sa.select(SignInThrottle.key).where(SignInThrottle.key.contains("nobody"))
        ).all()


def test_back_off_grows_with_each_failure(
    client: TestClient, council: Council, clock: FakeClock
) -> None:
    delays = []
    for _ in range(4):
        response = _sign_in(client, council, council.officer, password="wrong")
        assert response.status_code == 401
        delays.append(response.headers.get("Retry-After"))
        clock.advance(int(response.headers.get("Retry-After", "0")))
    assert delays == [None, None, "2", "4"]

    # An attempt inside the back-off window is refused without a look at the password.
    clock.advance(-1)
    early = _sign_in(client, council, council.officer)
    assert early.status_code == 429
    assert early.json()["type"].endswith("/too-many-attempts")
    assert early.headers["Retry-After"] == "1"

    clock.advance(1)
    assert _sign_in(client, council, council.officer).status_code == 200


def test_success_resets_the_failure_count(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    for _ in range(2):
        assert _sign_in(client, council, council.officer, password="wrong").status_code == 401
    assert _credential(auth_engine, council.officer).failed_attempts == 2

    _tokens(client, council, council.officer)
    assert _credential(auth_engine, council.officer).failed_attempts == 0

    # Two more failures are again the first two: no back-off yet.
    for _ in range(2):
        response = _sign_in(client, council, council.officer, password="wrong")
        assert response.status_code == 401
        assert "Retry-After" not in response.headers


def test_device_registered_to_another_user_is_refused(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    device_id = uuid.uuid4()
    assert _sign_in(client, council, council.officer, device_id=device_id).status_code == 200

    response = _sign_in(client, council, council.colleague, device_id=device_id)

    assert response.status_code == 409
    assert response.json()["type"].endswith("/device-taken")
    assert _device(auth_engine, device_id).user_id == council.officer
    # The same user signing in again on the same device is fine.
    assert _sign_in(client, council, council.officer, device_id=device_id).status_code == 200


# --- Access tokens ---------------------------------------------------------------------------


def test_access_token_identifies_the_caller(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    with Session(auth_engine) as session, session.begin():
        session.execute(
            sa.update(Credential)
            .where(Credential.user_id == council.officer)
            .values(may_view_sealed=True)
        )
    tokens = _tokens(client, council, council.officer)

    response = client.get(ME, headers=_bearer(tokens["access_token"]))

    assert response.status_code == 200, response.text
    assert response.json() == {
        "user_id": str(council.officer),
        "tenant_id": str(council.tenant_id),
        "device_id": tokens["device_id"],
        "role": "field_officer",
        "team_id": str(council.team_id),
        "service": "housing",
        "may_view_sealed": True,
        "username": _username(auth_engine, council.officer),
        "display_name": "Test field_officer",
    }
    probe = client.get("/test/principal", headers=_bearer(tokens["access_token"]))
    assert probe.json() == {"state": str(council.officer), "dependency": str(council.officer)}


def test_missing_or_tampered_token_is_refused(
    client: TestClient, council: Council, auth_engine: sa.Engine, clock: FakeClock
) -> None:
    access = _tokens(client, council, council.officer)["access_token"]
    header, payload, signature = access.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    other_key = auth.issue_access_token(
        secrets.token_hex(32),
        user_id=council.officer,
        tenant_id=council.tenant_id,
        device_id=uuid.UUID(claims["did"]),
        role="admin",
        team_id=None,
        now=clock.now,
        lifetime=timedelta(minutes=5),
    )
    bad = {
        "no header": {},
        "not bearer": {"Authorization": f"Basic {access}"},
        "edited claims": _bearer(f"{header}.{forged_payload}.{signature}"),
        "wrong key": _bearer(other_key),
        "garbage": _bearer("not.a.token"),
    }
    for label, headers in bad.items():
        for route, response in _as_caller(client, headers).items():
            assert response.status_code == 401, (label, route)
            assert response.json()["type"].endswith("/invalid-token"), (label, route)
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), (label, route)
    for route, response in _as_caller(client, _bearer(access)).items():
        assert response.status_code == 200, route


def test_expired_access_token_is_refused(
    client: TestClient, council: Council, auth_engine: sa.Engine, clock: FakeClock
) -> None:
    tokens = _tokens(client, council, council.officer)
    clock.advance(15 * 60 - 1)
    assert client.get(ME, headers=_bearer(tokens["access_token"])).status_code == 200
    clock.advance(1)
    response = client.get(ME, headers=_bearer(tokens["access_token"]))
    assert response.status_code == 401
    assert response.json()["type"].endswith("/invalid-token")

    # A token issued (by the injected clock) an hour ago for five minutes is expired now.
    stale = auth.issue_access_token(
        _db_key(auth_engine),
        user_id=council.officer,
        tenant_id=council.tenant_id,
        device_id=uuid.UUID(tokens["device_id"]),
        role="field_officer",
        team_id=council.team_id,
        now=clock.now - timedelta(hours=1),
        lifetime=timedelta(minutes=5),
    )
    assert client.get(ME, headers=_bearer(stale)).status_code == 401
    with pytest.raises(auth.InvalidToken):
        auth.decode_access_token(_db_key(auth_engine), stale, now=clock.now)
    assert auth.decode_access_token(
        _db_key(auth_engine), stale, now=clock.now - timedelta(hours=1)
    ).user_id == (council.officer)


def test_token_for_another_council_is_refused(
    client: TestClient, council: Council, auth_engine: sa.Engine, clock: FakeClock
) -> None:
    other = _council(auth_engine)
    tokens = _tokens(client, council, council.officer)
    forged = auth.issue_access_token(
        _db_key(auth_engine),
        user_id=council.officer,
        tenant_id=other.tenant_id,
        device_id=uuid.UUID(tokens["device_id"]),
        role="field_officer",
        team_id=council.team_id,
        now=clock.now,
        lifetime=timedelta(minutes=5),
    )
    assert client.get(ME, headers=_bearer(forged)).status_code == 401


def test_configured_signing_key_is_used(
    make_client: MakeClient, auth_engine: sa.Engine, council: Council, clock: FakeClock
) -> None:
    key = secrets.token_hex(32)
    keyed = _client(make_client, auth_engine, clock, signing_key=key)
    tokens = _tokens(keyed, council, council.officer)
    assert auth.decode_access_token(key, tokens["access_token"], now=clock.now)
    with pytest.raises(auth.InvalidToken):
        auth.decode_access_token(_db_key(auth_engine), tokens["access_token"], now=clock.now)
    assert keyed.get(ME, headers=_bearer(tokens["access_token"])).status_code == 200


def test_disabled_user_loses_access(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    tokens = _tokens(client, council, council.officer)
    with Session(auth_engine) as session, session.begin():
        session.execute(
            sa.update(Credential).where(Credential.user_id == council.officer).values(disabled=True)
        )
    for route, response in _as_caller(client, _bearer(tokens["access_token"])).items():
        assert response.status_code == 401, route
        assert response.json()["type"].endswith("/account-disabled"), route
    assert _refresh(client, tokens["refresh_token"]).status_code == 401


def test_last_seen_is_written_at_most_once_a_minute(
    client: TestClient, council: Council, auth_engine: sa.Engine, clock: FakeClock
) -> None:
    tokens = _tokens(client, council, council.officer)
    device_id = uuid.UUID(tokens["device_id"])
    signed_in_at = clock.now

    clock.advance(59)
    assert client.get(ME, headers=_bearer(tokens["access_token"])).status_code == 200
    assert _device(auth_engine, device_id).last_seen_at == signed_in_at

    clock.advance(1)
    assert client.get(ME, headers=_bearer(tokens["access_token"])).status_code == 200
    assert _device(auth_engine, device_id).last_seen_at == clock.now

    # The sync routes note it too: a pull after its page, in a transaction of its own.
    push = {"client_id": str(uuid.uuid4()), "mutations": []}
    for method, path, body in (("GET", PULL_PATH, None), ("POST", PUSH_PATH, push)):
        clock.advance(60)
        headers = _bearer(tokens["access_token"])
        assert client.request(method, path, headers=headers, json=body).status_code == 200
        assert _device(auth_engine, device_id).last_seen_at == clock.now, path


# --- Refresh tokens --------------------------------------------------------------------------


def test_refresh_rotates_and_the_old_token_stops_working(
    client: TestClient, council: Council, clock: FakeClock
) -> None:
    first = _tokens(client, council, council.officer)
    clock.advance(60)

    response = _refresh(client, first["refresh_token"])

    assert response.status_code == 200, response.text
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["device_id"] == first["device_id"]
    assert client.get(ME, headers=_bearer(second["access_token"])).status_code == 200
    # Once the successor is used (or the grace for a lost answer is over), never again.
    assert _refresh(client, second["refresh_token"]).status_code == 200
    assert _refresh(client, first["refresh_token"]).status_code == 401


def test_reusing_a_refresh_token_revokes_its_whole_family(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    device_id = uuid.uuid4()
    first = _sign_in(client, council, council.officer, device_id=device_id).json()
    other_family = _sign_in(client, council, council.officer, device_id=device_id).json()
    second = _refresh(client, first["refresh_token"]).json()
    third = _refresh(client, second["refresh_token"]).json()

    reused = _refresh(client, first["refresh_token"])

    assert reused.status_code == 401
    assert reused.json()["type"].endswith("/refresh-reused")
    newest = _refresh(client, third["refresh_token"])
    assert newest.status_code == 401
    assert newest.json()["type"].endswith("/invalid-refresh-token")
    # Only the compromised family dies; another sign-in on the device carries on.
    assert _refresh(client, other_family["refresh_token"]).status_code == 200


def test_concurrent_use_of_one_refresh_token_leaves_one_live_token(
    client: TestClient, council: Council, auth_engine: sa.Engine, clock: FakeClock
) -> None:
    tokens = _tokens(client, council, council.officer)
    settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
    key = _db_key(auth_engine)
    request = RefreshRequest(refresh_token=tokens["refresh_token"])
    start = threading.Barrier(2)

    def attempt() -> str:
        with Session(auth_engine, expire_on_commit=False) as session:
            start.wait(timeout=10)
            try:
                return auth.refresh(session, settings, key, request, now=clock.now).refresh_token
            except Problem as problem:
                return problem.code

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda _: attempt(), range(2)))

    # The row lock makes the second see the first's rotation, within the grace and with
    # its successor unused: a retry. The first answer's token is superseded by it.
    assert all(len(outcome) > 20 for outcome in outcomes), outcomes
    with Session(auth_engine) as session:
        live = session.scalars(
            sa.select(RefreshToken.token_hash).where(
                RefreshToken.device_id == uuid.UUID(tokens["device_id"]),
                RefreshToken.revoked_at.is_(None),
                RefreshToken.used_at.is_(None),
            )
        ).all()
    assert len(live) == 1
    survivor = next(o for o in outcomes if auth._hash_refresh(o) == live[0])
    loser = next(o for o in outcomes if o != survivor)
    # Both holders carrying on is reuse: the superseded one revokes the family.
    reused = _refresh(client, loser)
    assert reused.json()["type"].endswith("/refresh-reused")
    assert _refresh(client, survivor).status_code == 401


def test_a_refresh_retried_after_a_lost_answer_keeps_the_device_signed_in(
    client: TestClient, council: Council, clock: FakeClock
) -> None:
    tokens = _tokens(client, council, council.officer)
    lost = _refresh(client, tokens["refresh_token"]).json()  # the answer never arrives

    clock.advance(30)
    retried = _refresh(client, tokens["refresh_token"])

    assert retried.status_code == 200, retried.text
    fresh = retried.json()
    assert client.get(ME, headers=_bearer(fresh["access_token"])).status_code == 200
    # The pair the lost answer carried is dead, and presenting it is reuse.
    assert _refresh(client, lost["refresh_token"]).json()["type"].endswith("/refresh-reused")


def test_a_refresh_token_presented_after_the_grace_or_after_its_successor_is_reuse(
    client: TestClient, council: Council, clock: FakeClock
) -> None:
    late = _tokens(client, council, council.officer)
    _refresh(client, late["refresh_token"])
    clock.advance(60)
    assert _refresh(client, late["refresh_token"]).json()["type"].endswith("/refresh-reused")

    moved_on = _tokens(client, council, council.officer)
    successor = _refresh(client, moved_on["refresh_token"]).json()
    assert _refresh(client, successor["refresh_token"]).status_code == 200
    # Within the grace, but the successor was used: not a lost answer.
    assert _refresh(client, moved_on["refresh_token"]).json()["type"].endswith("/refresh-reused")


def test_expired_or_unknown_refresh_token_is_refused(
    client: TestClient, council: Council, clock: FakeClock
) -> None:
    tokens = _tokens(client, council, council.officer)
    assert _refresh(client, secrets.token_urlsafe(32)).status_code == 401
    clock.advance(timedelta(days=30).total_seconds())
    response = _refresh(client, tokens["refresh_token"])
    assert response.status_code == 401
    assert response.json()["type"].endswith("/invalid-refresh-token")


def test_logout_revokes_the_devices_refresh_tokens(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    device_id = uuid.uuid4()
    first = _sign_in(client, council, council.officer, device_id=device_id).json()
    second = _sign_in(client, council, council.officer, device_id=device_id).json()
    elsewhere = _tokens(client, council, council.officer)

    response = client.post(LOGOUT, headers=_bearer(second["access_token"]))

    assert response.status_code == 204
    assert _refresh(client, first["refresh_token"]).status_code == 401
    assert _refresh(client, second["refresh_token"]).status_code == 401
    # The user's other laptop stays signed in.
    assert _refresh(client, elsewhere["refresh_token"]).status_code == 200


# --- Devices and administration --------------------------------------------------------------


def test_revoked_device_is_told_to_wipe(
    client: TestClient, council: Council, auth_engine: sa.Engine, clock: FakeClock
) -> None:
    officer = _tokens(client, council, council.officer)
    admin = _tokens(client, council, council.admin)

    response = client.post(
        f"{DEVICES}/{officer['device_id']}/revoke", headers=_bearer(admin["access_token"])
    )

    assert response.status_code == 200, response.text
    assert response.json()["revoked_at"] is not None
    assert response.json()["user_id"] == str(council.officer)
    for answer in (
        *_as_caller(client, _bearer(officer["access_token"])).values(),
        _refresh(client, officer["refresh_token"]),
        _sign_in(client, council, council.officer, device_id=uuid.UUID(officer["device_id"])),
        _sign_in(client, council, council.colleague, device_id=uuid.UUID(officer["device_id"])),
    ):
        assert answer.status_code == 403
        assert answer.json()["type"].endswith("/device-revoked")
        assert answer.json()["wipe"] is True
    with Session(auth_engine) as session:
        live = session.scalar(
            sa.select(sa.func.count())
            .select_from(RefreshToken)
            .where(
                RefreshToken.device_id == uuid.UUID(officer["device_id"]),
                RefreshToken.revoked_at.is_(None),
            )
        )
    assert live == 0
    # The administrator's own device is untouched.
    assert client.get(ME, headers=_bearer(admin["access_token"])).status_code == 200


def test_only_an_admin_may_manage_devices(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    victim = _tokens(client, council, council.colleague)
    officer = _tokens(client, council, council.officer)

    revoke = client.post(
        f"{DEVICES}/{victim['device_id']}/revoke", headers=_bearer(officer["access_token"])
    )
    listing = client.get(DEVICES, headers=_bearer(officer["access_token"]))

    for response in (revoke, listing):
        assert response.status_code == 403
        assert response.json()["type"].endswith("/forbidden")
    assert _device(auth_engine, uuid.UUID(victim["device_id"])).revoked_at is None
    assert client.get(ME, headers=_bearer(victim["access_token"])).status_code == 200


def test_admin_cannot_revoke_another_councils_device(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    other = _council(auth_engine)
    theirs = _tokens(client, other, other.officer)
    admin = _tokens(client, council, council.admin)

    for device_id in (theirs["device_id"], str(uuid.uuid4())):
        response = client.post(
            f"{DEVICES}/{device_id}/revoke", headers=_bearer(admin["access_token"])
        )
        assert response.status_code == 404
        assert response.json()["type"].endswith("/not-found")
    assert client.get(ME, headers=_bearer(theirs["access_token"])).status_code == 200


def test_admin_lists_only_their_councils_devices(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    other = _council(auth_engine)
    _tokens(client, other, other.officer)
    officer = _tokens(client, council, council.officer)
    admin = _tokens(client, council, council.admin)

    response = client.get(DEVICES, headers=_bearer(admin["access_token"]))

    assert response.status_code == 200, response.text
    listed = {row["id"]: row for row in response.json()}
    assert set(listed) == {officer["device_id"], admin["device_id"]}
    row = listed[officer["device_id"]]
    assert row["username"] == _username(auth_engine, council.officer)
    assert row["name"] == "Test laptop"
    assert row["revoked_at"] is None
    assert row["last_seen_at"] is not None


def test_revoke_device_function_for_the_cli(
    client: TestClient, council: Council, auth_engine: sa.Engine
) -> None:
    officer = _tokens(client, council, council.officer)
    device_id = uuid.UUID(officer["device_id"])
    other = _council(auth_engine)

    with Session(auth_engine) as session, session.begin():
        assert auth.revoke_device(session, other.tenant_id, device_id) is None
    assert _device(auth_engine, device_id).revoked_at is None

    with Session(auth_engine) as session, session.begin():
        revoked = auth.revoke_device(session, council.tenant_id, device_id)
        assert revoked is not None
        first_revoked_at = revoked.revoked_at
    with Session(auth_engine) as session, session.begin():
        again = auth.revoke_device(session, council.tenant_id, device_id)
        assert again is not None
        assert again.revoked_at == first_revoked_at

    assert _refresh(client, officer["refresh_token"]).status_code == 403
