"""Signing in on the desktop: open the store, ask the platform, or start offline within grace."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from keyring.backend import KeyringBackend

from app.config import DEMO_MODE, OFFLINE_GRACE_DAYS, Settings, resolve_paths
from app.offline import OfflineRefused, check_offline_start, forget_sign_in, remember_sign_in
from app.store.db import Store, StoreError, make_engine
from app.store.keys import (
    KEYRING_SERVICE,
    PASSPHRASE_ENV,
    SessionKeyring,
    StoreKey,
    StoreKeyError,
    forget_store_key,
    keyring_is_secure,
    obtain_store_key,
    store_key_name,
)
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.session import StoreOwnedByAnother, TokenVault, sign_in, wipe_store
from app.sync.state import Identity
from app.sync.transport import (
    DeviceRevoked,
    ProblemError,
    RetryPolicy,
    Transport,
    Unreachable,
    make_http_client,
)

STORE_FILE = "doorstep.db"
Clock = Callable[[], datetime]
HttpClientFactory = Callable[[str, Settings], httpx.Client]
# An interactive sign-in should say "unreachable" within seconds, not after a minute of retries.
INTERACTIVE_RETRY = RetryPolicy(attempts=2, base=0.25, cap=1.0)
# Connections a passphrase-keyed store opens during sign-in: the GUI thread's and a page
# query worker's, each otherwise paying the key derivation when first used.
WARM_CONNECTIONS = 2


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Desktop:
    """What the desktop app needs from outside, injected so tests replace any of it."""

    settings: Settings
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    keyring: KeyringBackend | None = None
    session_keyring: SessionKeyring = field(default_factory=SessionKeyring)
    http_client: HttpClientFactory = make_http_client
    clock: Clock = _utc_now
    sleep: Callable[[float], None] = time.sleep
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def store_path(self) -> Path:
        return resolve_paths(self.env).data_dir / STORE_FILE

    @property
    def secure_keyring(self) -> bool:
        """Whether secrets outlive this session (an OS vault exists)."""
        return keyring_is_secure(self.keyring)

    @property
    def store_exists(self) -> bool:
        path = self.store_path
        return path.exists() and path.stat().st_size > 0

    @property
    def needs_passphrase(self) -> bool:
        """Whether the sign-in window must ask for the store passphrase."""
        if self.env.get(PASSPHRASE_ENV):
            return False
        if not self.secure_keyring or self.keyring is None:
            return True
        # A store made with a passphrase (no vault then) has no key in the vault now.
        stored = self.keyring.get_password(KEYRING_SERVICE, self._store_key_name)
        return self.store_exists and not stored

    @property
    def _store_key_name(self) -> str:
        return store_key_name(self.store_path)

    def vault(self) -> TokenVault:
        return TokenVault(self.keyring, self.session_keyring)

    def secrets(self) -> KeyringBackend:
        """Where this session's secrets live: the OS vault, or memory for this session only."""
        return self.vault().backend

    def forget_store_key(self) -> None:
        forget_store_key(self.keyring, self.store_path)


@dataclass(frozen=True)
class SignInRequest:
    """What the person typed into the sign-in window."""

    server_url: str
    tenant: str
    username: str
    password: str
    passphrase: str = ""
    passphrase_again: str = ""


class SignInFailed(Exception):
    """Sign-in did not work; ``field`` names the input the message belongs beside.

    ``field`` is one of server_url, tenant, username, password, passphrase, or "" for a
    message about the whole form.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Opened:
    """A signed-in store, ready for the main window."""

    store: Store
    key: StoreKey
    local: LocalSync
    identity: Identity
    online: bool
    kept_in_keyring: bool

    def changes(self, desktop: Desktop) -> LocalChanges:
        """The write API for this user."""
        return LocalChanges(
            self.store,
            clock=desktop.clock,
            user_id=self.identity.user_id,
            device_id=self.identity.device_id,
            tenant_id=self.identity.tenant_id,
            allow_test_numbers=desktop.settings.get(DEMO_MODE),
            role=self.identity.role,
        )


def open_worker_store(path: Path, key: StoreKey) -> Store:
    """A second engine on an open store, for a worker thread: its own SQLite connections."""
    return Store(make_engine(path, key), path)


def _check_form(desktop: Desktop, request: SignInRequest) -> None:
    for name, value, label in (
        ("server_url", request.server_url, "the platform address"),
        ("tenant", request.tenant, "your council's code"),
        ("username", request.username, "your username"),
        ("password", request.password, "your password"),
    ):
        if not value.strip():
            raise SignInFailed(name, f"Enter {label}.")
    if not request.server_url.startswith(("https://", "http://")):
        raise SignInFailed("server_url", "The platform address starts with https://.")
    if desktop.needs_passphrase:
        if not request.passphrase:
            raise SignInFailed("passphrase", "Enter the passphrase of this laptop's store.")
        if not desktop.store_exists and request.passphrase != request.passphrase_again:
            raise SignInFailed("passphrase", "The two passphrases differ; type them again.")


def _open_store(desktop: Desktop, request: SignInRequest) -> tuple[Store, StoreKey]:
    env = dict(desktop.env)
    if request.passphrase:
        env[PASSPHRASE_ENV] = request.passphrase
    path = desktop.store_path
    try:
        key = obtain_store_key(
            str(path.absolute()),
            store_exists=desktop.store_exists,
            backend=desktop.keyring,
            env=env,
        )
        store = Store.open(path, key)
    except StoreKeyError as error:
        raise SignInFailed("passphrase", error.message) from None
    except StoreError as error:
        field_name = "passphrase" if request.passphrase else ""
        raise SignInFailed(field_name, error.message) from None
    if key.source == "passphrase":
        _warm(store, WARM_CONNECTIONS)
    # The key its connections use: for a passphrase, the raw key derived from it once.
    return store, store.key or key


def _warm(store: Store, count: int) -> None:
    """Open pooled connections here, on the worker, so the GUI thread never derives a key."""
    with contextlib.ExitStack() as held:
        for _ in range(count):
            held.enter_context(store.engine.connect())


def open_session(desktop: Desktop, request: SignInRequest) -> Opened:
    """Sign in online, or offline within the grace period; the store is closed on failure.

    Runs on a worker thread: it opens the store (migrating it) and talks to the platform.
    """
    _check_form(desktop, request)
    server_url = request.server_url.strip().rstrip("/")
    tenant, username = request.tenant.strip(), request.username.strip()
    store, key = _open_store(desktop, request)
    try:
        return _sign_in(desktop, request, store, key, server_url, tenant, username)
    except BaseException:
        if store.path.exists():
            store.close()
        raise


def _sign_in(
    desktop: Desktop,
    request: SignInRequest,
    store: Store,
    key: StoreKey,
    server_url: str,
    tenant: str,
    username: str,
) -> Opened:
    local = LocalSync(store, clock=desktop.clock)
    vault = desktop.vault()
    try:
        with desktop.http_client(server_url, desktop.settings) as client:
            transport = Transport(client, sleep=desktop.sleep, policy=INTERACTIVE_RETRY)
            done = sign_in(
                local,
                transport,
                vault,
                server_url=server_url,
                tenant=tenant,
                username=username,
                password=request.password,
            )
    except StoreOwnedByAnother as error:
        raise SignInFailed("username", error.message) from None
    except DeviceRevoked:
        identity = local.state().identity
        wipe_store(store)
        desktop.forget_store_key()
        if identity is not None:
            vault.forget(identity)
        forget_sign_in(vault.backend, server_url=server_url, tenant=tenant, username=username)
        raise SignInFailed(
            "",
            "An administrator revoked this laptop, so its local data has been erased. "
            "Sign in again to start afresh.",
        ) from None
    except Unreachable as error:
        return _offline(desktop, request, store, key, local, server_url, tenant, username, error)
    except ProblemError as error:
        if error.status == 429:
            minutes = (
                f" Try again in {max(1, round(error.retry_after / 60))} minutes."
                if (error.retry_after)
                else ""
            )
            raise SignInFailed("username", f"{error.message}{minutes}") from None
        if error.status == 401:
            raise SignInFailed("password", error.message) from None
        raise SignInFailed("", f"The platform refused the sign-in: {error.message}") from None
    remember_sign_in(
        vault.backend,
        server_url=server_url,
        tenant=tenant,
        username=username,
        password=request.password,
        at=desktop.clock(),
    )
    return Opened(store, key, local, done.identity, online=True, kept_in_keyring=vault.secure)


def _offline(
    desktop: Desktop,
    request: SignInRequest,
    store: Store,
    key: StoreKey,
    local: LocalSync,
    server_url: str,
    tenant: str,
    username: str,
    error: Unreachable,
) -> Opened:
    state = local.state()
    identity = state.identity
    unreachable = f"The platform at {server_url} cannot be reached ({error.message})."
    if identity is None or (
        identity.server_url.rstrip("/"),
        identity.tenant,
        identity.username,
    ) != (
        server_url,
        tenant,
        username,
    ):
        raise SignInFailed(
            "server_url",
            f"{unreachable} Working offline needs an earlier sign-in by this user on this laptop.",
        )
    vault = desktop.vault()
    try:
        check_offline_start(
            vault.backend,
            server_url=server_url,
            tenant=tenant,
            username=username,
            password=request.password,
            now=desktop.clock(),
            grace_days=desktop.settings.get(OFFLINE_GRACE_DAYS),
            last_contact=state.last_sync_at,
        )
    except OfflineRefused as refused:
        message = refused.message
        if refused.field == "server_url":
            message = f"{unreachable} {message}"
        raise SignInFailed(refused.field, message) from None
    return Opened(store, key, local, identity, online=False, kept_in_keyring=vault.secure)
