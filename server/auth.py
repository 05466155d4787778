"""Identity: password hashes, sign-in throttling, access and refresh tokens, and devices."""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Annotated, Any, Protocol

import anyio.to_thread
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Request
from sqlalchemy import Uuid, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models.base import utcnow
from app.models.entities import Role, Team, User
from app.sync.protocol import RefreshRequest, TokenRequest, TokenResponse
from server.deps import Principal, SessionDep
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
from server.sync.sql import is_postgres

log = logging.getLogger(__name__)

ALGORITHM = "HS256"
MIN_KEY_BYTES = 32
"""HS256 keys shorter than the hash output weaken the signature (RFC 7518 section 3.2)."""
BACKOFF_AFTER = 3
"""Failures before each further failure makes the account wait (2, 4, 8 ... seconds)."""
LAST_SEEN_GRANULARITY = timedelta(minutes=1)
"""A device's last_seen_at is written at most this often, not on every request."""

_hasher = PasswordHasher()

Clock = Callable[[], datetime]


# --- Passwords -------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` with the library's default (current) parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; a malformed hash never matches."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with parameters other than today's defaults."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    # Checked against when the user is unknown, so that answer takes as long as a wrong password.
    return hash_password(secrets.token_urlsafe(16))


# --- Problems --------------------------------------------------------------------------------


def _invalid_credentials(headers: dict[str, str] | None = None) -> Problem:
    # One body for unknown council, unknown user, wrong password and disabled account.
    return Problem(
        401,
        "invalid-credentials",
        "The council, username or password is not right.",
        headers=headers,
    )


def _device_revoked() -> Problem:
    return Problem(
        403,
        "device-revoked",
        "This device has been revoked.",
        "Wipe its local data, then sign in again as a new device (a new device id).",
        extra={"wipe": True},
    )


def _invalid_token(detail: str) -> Problem:
    return Problem(
        401, "invalid-token", "Sign in again.", detail, headers={"WWW-Authenticate": "Bearer"}
    )


def _invalid_refresh(detail: str) -> Problem:
    return Problem(401, "invalid-refresh-token", "Sign in again.", detail)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


# --- Clock and signing key -------------------------------------------------------------------


def current_time(request: Request) -> datetime:
    """Now, from the clock a test put on ``app.state.clock``, else the real UTC time."""
    clock: Clock | None = getattr(request.app.state, "clock", None)
    return clock() if clock is not None else utcnow()


def load_signing_key(settings: Settings, session: Session) -> str:
    """The token signing key: the configured one, else the one kept in server_state."""
    key = settings.signing_key
    if key is None:
        key = session.scalar(select(ServerState.signing_key).where(ServerState.id == 1))
        if key is None:
            raise RuntimeError(
                "The platform database is not initialised; run doorstep-server migrate."
            )
    if len(key.encode()) < MIN_KEY_BYTES:
        raise RuntimeError(f"The token signing key must be at least {MIN_KEY_BYTES} bytes.")
    return key


def signing_key(request: Request, session: Session) -> str:
    """The app's signing key, read once and then kept on ``app.state``."""
    cached: str | None = getattr(request.app.state, "signing_key", None)
    if cached is None:
        cached = load_signing_key(request.app.state.settings, session)
        request.app.state.signing_key = cached
    return cached


# --- Access tokens ---------------------------------------------------------------------------


class InvalidToken(Exception):
    """An access token that is malformed, wrongly signed or expired."""


@dataclass(frozen=True)
class AccessClaims:
    """What a verified access token says."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    device_id: uuid.UUID
    role: str
    team_id: uuid.UUID | None
    issued_at: datetime
    expires_at: datetime
    token_id: str


def issue_access_token(
    key: str,
    *,
    user_id: uuid.UUID,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    role: str,
    team_id: uuid.UUID | None,
    now: datetime,
    lifetime: timedelta,
) -> str:
    """A signed access token for a user on a device, valid from ``now`` for ``lifetime``."""
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "tid": str(tenant_id),
        "did": str(device_id),
        "role": role,
        "team": str(team_id) if team_id is not None else None,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def decode_access_token(key: str, token: str, *, now: datetime) -> AccessClaims:
    """Verify ``token``'s signature and expiry at ``now``; raises InvalidToken otherwise."""
    try:
        user, tenant, device, role, team, issued, expires, token_id = _verified(key, token)
        claims = AccessClaims(
            user_id=user,
            tenant_id=tenant,
            device_id=device,
            role=role,
            team_id=team,
            issued_at=datetime.fromtimestamp(issued, now.tzinfo),
            expires_at=datetime.fromtimestamp(expires, now.tzinfo),
            token_id=token_id,
        )
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError, OSError) as error:
        raise InvalidToken("The access token is not valid.") from error
    if now >= claims.expires_at:
        raise InvalidToken("The access token has expired.")
    return claims


@lru_cache(maxsize=4096)
def _verified(
    key: str, token: str
) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, str, uuid.UUID | None, int, int, str]:
    """A token's claims once its signature checks out, remembered per key and token.

    A laptop sends the same token with every request for its lifetime; checking it again
    each time was a fifth of the cost of identifying the caller. Expiry is checked by the
    caller on every use; a bad token raises and is not remembered.
    """
    # Expiry is checked by the caller against the injected clock rather than PyJWT's own.
    raw = jwt.decode(
        token,
        key,
        algorithms=[ALGORITHM],
        options={
            "require": ["sub", "tid", "did", "role", "exp", "iat", "jti"],
            "verify_exp": False,
            "verify_iat": False,
        },
    )
    team = raw.get("team")
    return (
        uuid.UUID(str(raw["sub"])),
        uuid.UUID(str(raw["tid"])),
        uuid.UUID(str(raw["did"])),
        str(raw["role"]),
        uuid.UUID(str(team)) if team is not None else None,
        int(raw["iat"]),
        int(raw["exp"]),
        str(raw["jti"]),
    )


def _hash_refresh(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_tokens(
    session: Session,
    settings: Settings,
    key: str,
    user: User,
    device: Device,
    *,
    now: datetime,
    family_id: uuid.UUID | None = None,
) -> TokenResponse:
    """A new access token and a new refresh token (stored hashed) in ``family_id`` or a new one.

    Runs in the caller's transaction; the refresh token only works once that commits.
    """
    lifetime = timedelta(minutes=settings.access_token_minutes)
    access = issue_access_token(
        key,
        user_id=user.id,
        tenant_id=user.tenant_id,
        device_id=device.id,
        role=user.role,
        team_id=user.team_id,
        now=now,
        lifetime=lifetime,
    )
    refresh = secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            token_hash=_hash_refresh(refresh),
            family_id=family_id or uuid.uuid4(),
            device_id=device.id,
            user_id=user.id,
            issued_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_days),
        )
    )
    return TokenResponse(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(lifetime.total_seconds()),
        user_id=user.id,
        tenant_id=user.tenant_id,
        device_id=device.id,
        role=user.role,
        team_id=user.team_id,
        display_name=user.display_name,
    )


# --- Sign-in ---------------------------------------------------------------------------------


def _check_password(
    session: Session, settings: Settings, body: TokenRequest, now: datetime
) -> tuple[User, Credential] | Problem:
    """The user if the password is right; otherwise the problem, with throttling recorded."""
    row = session.execute(
        select(User, Credential)
        .join(Tenant, Tenant.id == User.tenant_id)
        .join(Credential, Credential.user_id == User.id)
        .where(Tenant.code == body.tenant, User.username == body.username)
        # Serialises concurrent attempts on one account, so no failure goes uncounted.
        .with_for_update(of=Credential)
    ).one_or_none()
    if row is None:
        return _unknown_account(session, settings, body, now)
    user, credential = row
    refused = _refused_while_locked(settings, credential, now)
    if refused is not None:
        return refused
    matches = verify_password(credential.password_hash, body.password)
    if credential.disabled or user.deleted:
        return _invalid_credentials()
    if not matches:
        return _record_failure(settings, user.id, credential, now)
    if password_needs_rehash(credential.password_hash):
        credential.password_hash = hash_password(body.password)
    credential.failed_attempts = 0
    credential.locked_until = None
    return user, credential


class _Throttled(Protocol):
    """Sign-in throttling state: a credential's, or that of a username no account has."""

    failed_attempts: int
    locked_until: datetime | None


def _refused_while_locked(
    settings: Settings, throttle: _Throttled, now: datetime
) -> Problem | None:
    """The refusal while a back-off or lock-out runs; clears one that has run out."""
    if throttle.locked_until is None:
        return None
    if now < throttle.locked_until:
        # Refused without checking the password: a locked account gives nothing away.
        retry = {"Retry-After": str(_seconds_until(throttle.locked_until, now))}
        if throttle.failed_attempts >= settings.max_failed_sign_ins:
            return Problem(
                429,
                "locked-out",
                "Too many failed sign-ins; this account is locked for a while.",
                headers=retry,
            )
        return Problem(
            429,
            "too-many-attempts",
            "Wait a little before trying to sign in again.",
            headers=retry,
        )
    if throttle.failed_attempts >= settings.max_failed_sign_ins:
        # A lock-out served in full starts the count afresh.
        throttle.failed_attempts = 0
    throttle.locked_until = None
    return None


def _unknown_account(
    session: Session, settings: Settings, body: TokenRequest, now: datetime
) -> Problem:
    """A sign-in under a council and username no account has: answered as a wrong password.

    The same back-off and lock-out run (on a row keyed by a hash of the two names), and the
    password is checked against a dummy hash, so neither the answers nor their timing tell
    whether the username exists.
    """
    key = hashlib.sha256(f"{body.tenant}\n{body.username}".encode()).hexdigest()
    table = SignInThrottle.__table__
    maker = pg_insert if is_postgres(session) else sqlite_insert
    session.execute(
        maker(table).values(key=key, failed_attempts=0).on_conflict_do_nothing()  # type: ignore[arg-type]
    )
    throttle = session.get(SignInThrottle, key, with_for_update=True, populate_existing=True)
    assert throttle is not None
    refused = _refused_while_locked(settings, throttle, now)
    if refused is not None:
        return refused
    verify_password(_dummy_hash(), body.password)
    return _record_failure(settings, None, throttle, now)


def _record_failure(
    settings: Settings, user_id: uuid.UUID | None, throttle: _Throttled, now: datetime
) -> Problem:
    failures = throttle.failed_attempts + 1
    throttle.failed_attempts = failures
    if failures >= settings.max_failed_sign_ins:
        lockout = timedelta(minutes=settings.lockout_minutes)
        throttle.locked_until = now + lockout
        log.warning("sign-in lock-out", extra={"user_id": str(user_id) if user_id else "unknown"})
        return Problem(
            429,
            "locked-out",
            "Too many failed sign-ins; this account is locked for a while.",
            headers={"Retry-After": str(int(lockout.total_seconds()))},
        )
    if failures >= BACKOFF_AFTER:
        delay = min(
            2 ** (failures - BACKOFF_AFTER + 1),
            settings.lockout_minutes * 60,
        )
        throttle.locked_until = now + timedelta(seconds=delay)
        return _invalid_credentials({"Retry-After": str(delay)})
    return _invalid_credentials()


def _register_device(
    session: Session, user: User, body: TokenRequest, now: datetime
) -> Device | Problem:
    """The caller's device, registered on first sign-in; refused if revoked or someone else's."""
    device = session.get(Device, body.device_id, with_for_update=True)
    if device is None:
        try:
            # A savepoint, so a concurrent first sign-in with the same id costs only this insert.
            with session.begin_nested():
                device = Device(
                    id=body.device_id,
                    tenant_id=user.tenant_id,
                    user_id=user.id,
                    name=body.device_name,
                    registered_at=now,
                    last_seen_at=now,
                )
                session.add(device)
        except IntegrityError:
            device = session.get(
                Device, body.device_id, with_for_update=True, populate_existing=True
            )
            if device is None:
                raise
    if device.revoked_at is not None:
        # Whoever signs in, a revoked laptop must wipe what the previous registration left.
        return _device_revoked()
    if device.user_id != user.id or device.tenant_id != user.tenant_id:
        return Problem(
            409,
            "device-taken",
            "This device is registered to someone else.",
            "Ask an administrator to revoke the old registration.",
        )
    if body.device_name:
        device.name = body.device_name
    device.last_seen_at = now
    return device


def sign_in(
    session: Session, settings: Settings, key: str, body: TokenRequest, *, now: datetime
) -> TokenResponse:
    """Check the password, register the device, issue tokens; raises Problem on refusal.

    Throttling state is committed even when the attempt is refused.
    """
    outcome: TokenResponse | Problem
    with session.begin():
        checked = _check_password(session, settings, body, now)
        if isinstance(checked, Problem):
            outcome = checked
        else:
            user, _credential = checked
            device = _register_device(session, user, body, now)
            if isinstance(device, Problem):
                outcome = device
            else:
                outcome = issue_tokens(session, settings, key, user, device, now=now)
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


# --- Refresh and logout ----------------------------------------------------------------------


def refresh(
    session: Session, settings: Settings, key: str, body: RefreshRequest, *, now: datetime
) -> TokenResponse:
    """Rotate a refresh token; a token presented twice revokes its whole family.

    Except within a short grace (``refresh_reuse_grace_seconds``) after its rotation: a
    laptop whose answer was lost retries with the token it still holds, and must not be
    made to sign in again for a dropped connection. The retry gets a new pair, and the
    pair the lost answer carried is superseded (marked used and revoked), so a family
    never has two live tokens. Real reuse is still caught: a thief and the owner both
    carry on, and whichever of them presents a superseded token, or a used one after the
    grace, revokes the family.
    """
    outcome: TokenResponse | Problem
    with session.begin():
        token = session.get(RefreshToken, _hash_refresh(body.refresh_token), with_for_update=True)
        if token is None:
            raise _invalid_refresh("The refresh token is not known.")
        device = session.get(Device, token.device_id)
        if device is None or device.revoked_at is not None:
            raise _device_revoked()
        retry = _lost_answer_retry(session, settings, token, now)
        if token.used_at is not None and retry is None:
            # Someone holds a copy: whoever uses the family next, thief or owner, must sign in.
            session.execute(
                update(RefreshToken)
                .where(RefreshToken.family_id == token.family_id, RefreshToken.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            log.warning(
                "refresh token reused",
                extra={"user_id": str(token.user_id), "device_id": str(token.device_id)},
            )
            outcome = Problem(
                401,
                "refresh-reused",
                "Sign in again.",
                "This refresh token was already used; every token from it is now revoked.",
            )
        elif token.revoked_at is not None:
            outcome = _invalid_refresh("The refresh token has been revoked.")
        elif now >= token.expires_at:
            outcome = _invalid_refresh("The refresh token has expired.")
        else:
            row = session.execute(
                select(User, Credential)
                .join(Credential, Credential.user_id == User.id)
                .where(User.id == token.user_id)
            ).one_or_none()
            if row is None or row[1].disabled or row[0].deleted:
                outcome = _invalid_refresh("The account is disabled.")
            else:
                if retry is not None:
                    # The lost answer's token: superseded, so presenting it later is reuse.
                    retry.used_at = retry.revoked_at = now
                    log.info(
                        "refresh retried after a lost answer", extra={"user_id": str(token.user_id)}
                    )
                else:
                    # Kept at the first use when retried, so the grace never stretches.
                    token.used_at = now
                device.last_seen_at = now
                outcome = issue_tokens(
                    session, settings, key, row[0], device, now=now, family_id=token.family_id
                )
                token.replaced_by = _hash_refresh(outcome.refresh_token)
    if isinstance(outcome, Problem):
        raise outcome
    return outcome


def _lost_answer_retry(
    session: Session, settings: Settings, token: RefreshToken, now: datetime
) -> RefreshToken | None:
    """The token a lost answer carried, if presenting ``token`` again is such a retry.

    That is: ``token`` was rotated less than the grace ago, is not revoked, and the token
    it was rotated into has never been used (the laptop never got it).
    """
    grace = timedelta(seconds=settings.refresh_reuse_grace_seconds)
    if token.used_at is None or token.revoked_at is not None or token.replaced_by is None:
        return None
    if now - token.used_at >= grace:
        return None
    successor = session.get(RefreshToken, token.replaced_by, with_for_update=True)
    if successor is None or successor.used_at is not None or successor.revoked_at is not None:
        return None
    return successor


def revoke_refresh_tokens(session: Session, device_id: uuid.UUID, *, now: datetime) -> int:
    """Revoke every live refresh token of a device; returns how many. Caller's transaction."""
    result = session.execute(
        update(RefreshToken)
        .where(RefreshToken.device_id == device_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def revoke_device(
    session: Session, tenant_id: uuid.UUID, device_id: uuid.UUID, *, now: datetime | None = None
) -> Device | None:
    """Revoke a device of ``tenant_id`` and its refresh tokens; None if the tenant has no such
    device. Its next contact is told to wipe. Idempotent; runs in the caller's transaction.
    """
    device = session.scalar(
        select(Device).where(Device.id == device_id, Device.tenant_id == tenant_id)
    )
    if device is None:
        return None
    now = now or utcnow()
    if device.revoked_at is None:
        device.revoked_at = now
    revoke_refresh_tokens(session, device.id, now=now)
    log.info("device revoked", extra={"device_id": str(device.id)})
    return device


# --- The signed-in principal -----------------------------------------------------------------


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _invalid_token("Send an access token as 'Authorization: Bearer <token>'.")
    return token.strip()


def principal_from_request(request: Request, session: Session) -> Principal:
    """The verified caller, also put on ``request.state.principal``; raises Problem otherwise.

    Commits its own short transaction, so the route can begin its own on the same session.
    """
    claims = access_claims(request, session)
    with session.begin():
        return principal_for_claims(request, session, claims)


def signing_key_in_transaction(request: Request, session: Session) -> str:
    """``signing_key``, read in a short transaction of its own if not yet known."""
    key: str | None = getattr(request.app.state, "signing_key", None)
    if key is None:
        with session.begin():
            key = signing_key(request, session)
    return key


def access_claims(request: Request, session: Session) -> AccessClaims:
    """The request's access token, verified (signature and expiry); raises Problem otherwise.

    Reads nothing from the database once the signing key is known: the device, user and
    credential are checked by ``principal_for_claims``, which a route can run in its own
    transaction.
    """
    token = _bearer(request)
    key = signing_key_in_transaction(request, session)
    try:
        return decode_access_token(key, token, now=current_time(request))
    except InvalidToken as error:
        raise _invalid_token(str(error)) from error


class Caller(Protocol):
    """Identifies the request's caller inside the route's own transaction (``principal_for_claims``
    on a verified token); raises Problem 401/403 as ``principal_from_request`` does."""

    def __call__(self, session: Session, /, *, note_seen: bool = True) -> Principal: ...


async def _caller(request: Request, session: SessionDep) -> Caller:
    # On the event loop: once the signing key is known (read from the database in a worker
    # thread the first time) this is a remembered token check, not worth two thread hand-offs.
    if getattr(request.app.state, "signing_key", None) is None:
        await anyio.to_thread.run_sync(signing_key_in_transaction, request, session)
    claims = access_claims(request, session)

    def identify(in_transaction: Session, *, note_seen: bool = True) -> Principal:
        return principal_for_claims(request, in_transaction, claims, note_seen=note_seen)

    return identify


CallerDep = Annotated[Caller, Depends(_caller)]
"""A route dependency for the sync routes: the token is verified before the body is read, and
the device and account are checked in the route's transaction, saving a transaction (and a
pooled connection's checkout) per request."""


def principal_for_claims(
    request: Request, session: Session, claims: AccessClaims, *, note_seen: bool = True
) -> Principal:
    """The principal a verified token acts as now, in the caller's transaction.

    Refuses (Problem 401) a device that is unknown, revoked (told to wipe), of another user or
    council, and a disabled account. One prebuilt query of plain columns: every request of
    every laptop runs it. Also put on ``request.state.principal``.
    """
    now = current_time(request)
    connection = session.connection()
    row = connection.execute(_PRINCIPAL, {"device": claims.device_id}).one_or_none()
    if row is None:
        raise _invalid_token("The device is not registered.")
    if row.device_user_id != claims.user_id:
        raise _invalid_token("The token does not belong to this device.")
    if row.revoked_at is not None:
        raise _device_revoked()
    if row.tenant_id != claims.tenant_id or row.device_tenant_id != claims.tenant_id:
        raise _invalid_token("The token does not belong to this council.")
    if row.disabled or row.deleted:
        raise Problem(401, "account-disabled", "This account is disabled.")
    if row.last_seen_at is None or now - row.last_seen_at >= LAST_SEEN_GRANULARITY:
        if note_seen:
            connection.execute(_SEEN, {"device": claims.device_id, "now": now})
        else:
            # Left for note_seen_later: a read-only transaction takes no transaction id, so a
            # page being built holds back no one's feed and locks no device row.
            request.state.seen_due = (claims.device_id, now)
    principal = _principal_of(row)
    request.state.principal = principal
    return principal


def note_seen_later(request: Request, session: Session) -> None:
    """Write the last-seen time ``principal_for_claims(note_seen=False)`` left, in a short
    transaction of its own."""
    due: tuple[uuid.UUID, datetime] | None = getattr(request.state, "seen_due", None)
    if due is not None:
        request.state.seen_due = None
        with session.begin():
            session.connection().execute(_SEEN, {"device": due[0], "now": due[1]})


_SEEN = (
    update(Device)
    .where(Device.id == bindparam("device", type_=Uuid()))
    .values(last_seen_at=bindparam("now", type_=Device.__table__.c.last_seen_at.type))
)


_PRINCIPAL = (
    select(
        Device.id.label("device_id"),
        Device.user_id.label("device_user_id"),
        Device.tenant_id.label("device_tenant_id"),
        Device.revoked_at,
        Device.last_seen_at,
        User.id.label("user_id"),
        User.tenant_id,
        # Role and team come from the database, so a change applies without a new token.
        User.role,
        User.team_id,
        User.deleted,
        Credential.disabled,
        Credential.may_view_sealed,
        Credential.feed_generation,
        Team.service,
    )
    .join(User, User.id == Device.user_id)
    .join(Credential, Credential.user_id == User.id)
    .outerjoin(Team, Team.id == User.team_id)
    .where(Device.id == bindparam("device", type_=Uuid()))
)
"""A device with its user, credential and team's service; parameter ``device``."""


def _principal_of(row: Any) -> Principal:
    return Principal(
        user_id=row.user_id,
        tenant_id=row.tenant_id,
        device_id=row.device_id,
        role=row.role,
        team_id=row.team_id,
        service=row.service,
        may_view_sealed=row.may_view_sealed,
        feed_generation=row.feed_generation,
    )


def principal_for_device(session: Session, device_id: uuid.UUID) -> Principal | None:
    """The principal a registered device acts as now (no token or revocation check)."""
    row = session.connection().execute(_PRINCIPAL, {"device": device_id}).one_or_none()
    return None if row is None else _principal_of(row)


def require_admin(principal: Principal) -> None:
    """Refuse anyone but an administrator with 403 'forbidden'."""
    if principal.role != Role.ADMIN:
        raise Problem(403, "forbidden", "Only an administrator may do this.")
