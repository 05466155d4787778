"""Signing a laptop in: its device id, where tokens are kept, and erasing a revoked store."""

from __future__ import annotations

import contextlib
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from sqlalchemy import select, update

from app.store.db import Store
from app.store.keys import KEYRING_SERVICE, SessionKeyring, keyring_is_secure
from app.sync.local import LocalSync
from app.sync.protocol import TokenRequest, TokenResponse
from app.sync.state import Identity, ensure_state
from app.sync.tables import sync_state
from app.sync.transport import Transport


class TokenVault:
    """Refresh tokens in the OS keyring, or, where there is no secure one, in memory only.

    ``fallback`` is the process's ``SessionKeyring``: a sign-in then lasts for the session
    and no token is ever written to a file.
    """

    def __init__(self, backend: KeyringBackend | None, fallback: SessionKeyring) -> None:
        self.secure = keyring_is_secure(backend)
        self.backend: KeyringBackend = backend if self.secure and backend else fallback

    @staticmethod
    def username(server_url: str, tenant: str, user: str) -> str:
        return f"refresh:{server_url.rstrip('/')}:{tenant}:{user}"

    def load(self, identity: Identity) -> str | None:
        """The stored refresh token of the signed-in user, if any."""
        return self.backend.get_password(KEYRING_SERVICE, self._name(identity))

    def save(self, identity: Identity, refresh_token: str) -> None:
        self.backend.set_password(KEYRING_SERVICE, self._name(identity), refresh_token)

    def forget(self, identity: Identity) -> None:
        # Forgetting a token that is not there is not an error.
        with contextlib.suppress(PasswordDeleteError):
            self.backend.delete_password(KEYRING_SERVICE, self._name(identity))

    def _name(self, identity: Identity) -> str:
        return self.username(identity.server_url, identity.tenant, identity.username)


def device_id(local: LocalSync) -> uuid.UUID:
    """This installation's device id: made once, kept in sync_state, sent at every sign-in."""
    with local.store.write_transaction() as connection:
        ensure_state(connection)
        found = connection.execute(select(sync_state.c.device_id)).scalar_one()
        if found is not None:
            return uuid.UUID(str(found))
        made = uuid.uuid4()
        connection.execute(update(sync_state).where(sync_state.c.id == 1).values(device_id=made))
        return made


@dataclass(frozen=True)
class SignedIn:
    """The outcome of a sign-in: who, and whether the token outlives this session."""

    identity: Identity
    tokens: TokenResponse
    kept_in_keyring: bool


class StoreOwnedByAnother(Exception):
    """The store holds another user's (or council's) data; it must be wiped first."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sign_in(
    local: LocalSync,
    transport: Transport,
    vault: TokenVault,
    *,
    server_url: str,
    tenant: str,
    username: str,
    password: str,
    device_name: str | None = None,
) -> SignedIn:
    """Sign in on this laptop, record who it is, and keep the refresh token.

    Raises ``StoreOwnedByAnother`` before contacting the platform when the store already
    belongs to someone else, and the transport's errors when the platform refuses.
    """
    server_url = server_url.rstrip("/")
    current = local.state().identity
    if current is not None and (
        current.server_url.rstrip("/"),
        current.tenant,
        current.username,
    ) != (server_url, tenant, username):
        raise StoreOwnedByAnother(
            f"This laptop's store holds the data of {current.username} ({current.tenant} at "
            f"{current.server_url}). Sync it and run 'doorstep logout --wipe' first."
        )
    device = device_id(local)
    tokens = transport.sign_in(
        TokenRequest(
            tenant=tenant,
            username=username,
            password=password,
            device_id=device,
            device_name=(device_name if device_name is not None else socket.gethostname())[:120],
        )
    )
    identity = Identity(
        server_url=server_url,
        tenant=tenant,
        tenant_id=tokens.tenant_id,
        user_id=tokens.user_id,
        username=username,
        display_name=tokens.display_name,
        role=tokens.role,
        team_id=tokens.team_id,
        device_id=tokens.device_id,
    )
    local.set_identity(identity)
    vault.save(identity, tokens.refresh_token)
    # From now on every rotated refresh token replaces the stored one at once.
    transport.on_tokens = lambda pair: vault.save(identity, pair.refresh_token)
    return SignedIn(identity, tokens, vault.secure)


def store_files(path: Path) -> list[Path]:
    """The store file and SQLite's companions (write-ahead log, shared memory)."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def wipe_store(store: Store) -> list[Path]:
    """Close the store and delete its files; returns the files that were there."""
    store.close()
    removed = []
    for file in store_files(store.path):
        if file.exists():
            file.unlink()
            removed.append(file)
    return removed
