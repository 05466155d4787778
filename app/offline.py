"""Offline start: proof that a user signed in on this laptop recently, kept in the keyring."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from app.store.keys import KEYRING_SERVICE


class OfflineRefused(Exception):
    """Offline start is not allowed; ``field`` is the sign-in field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class OfflinePass:
    """The last online sign-in of one user: when, and a salted hash of the password then."""

    signed_in_at: datetime
    salt: bytes
    digest: bytes


def _name(server_url: str, tenant: str, username: str) -> str:
    return f"offline:{server_url.rstrip('/')}:{tenant}:{username}"


def _hash(password: str, salt: bytes) -> bytes:
    # scrypt at n=2**14, r=8: 16 MB and tens of milliseconds, so a stolen keyring entry is
    # slow to guess from while a sign-in stays quick on an ordinary laptop.
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)


def remember_sign_in(
    backend: KeyringBackend,
    *,
    server_url: str,
    tenant: str,
    username: str,
    password: str,
    at: datetime,
) -> None:
    """Record a successful online sign-in, so the same user may start offline for a while."""
    salt = secrets.token_bytes(16)
    entry = {
        "at": at.isoformat(),
        "salt": base64.b64encode(salt).decode(),
        "digest": base64.b64encode(_hash(password, salt)).decode(),
    }
    backend.set_password(KEYRING_SERVICE, _name(server_url, tenant, username), json.dumps(entry))


def forget_sign_in(backend: KeyringBackend, *, server_url: str, tenant: str, username: str) -> None:
    """Drop the offline pass (sign-out, revoked device)."""
    with contextlib.suppress(PasswordDeleteError):
        backend.delete_password(KEYRING_SERVICE, _name(server_url, tenant, username))


def load_pass(
    backend: KeyringBackend, *, server_url: str, tenant: str, username: str
) -> OfflinePass | None:
    """The stored pass, or None when there is none or it cannot be read."""
    raw = backend.get_password(KEYRING_SERVICE, _name(server_url, tenant, username))
    if not raw:
        return None
    try:
        entry = json.loads(raw)
        return OfflinePass(
            signed_in_at=datetime.fromisoformat(entry["at"]),
            salt=base64.b64decode(entry["salt"]),
            digest=base64.b64decode(entry["digest"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def check_offline_start(
    backend: KeyringBackend,
    *,
    server_url: str,
    tenant: str,
    username: str,
    password: str,
    now: datetime,
    grace_days: int,
    last_contact: datetime | None = None,
) -> OfflinePass:
    """Allow an offline start, or raise ``OfflineRefused`` saying which field is wrong and why.

    The grace period runs from the later of the last online sign-in and ``last_contact``
    (the last finished sync): both prove the platform still accepted this laptop then.
    """
    found = load_pass(backend, server_url=server_url, tenant=tenant, username=username)
    if found is None:
        raise OfflineRefused(
            "server_url",
            "The platform cannot be reached, and this user has not signed in on this laptop "
            "before, so there is nothing to work on offline. Connect and try again.",
        )
    if not hmac.compare_digest(_hash(password, found.salt), found.digest):
        raise OfflineRefused(
            "password", "The password does not match the one last used on this laptop."
        )
    since = max(found.signed_in_at, last_contact) if last_contact else found.signed_in_at
    if now - since > timedelta(days=grace_days):
        raise OfflineRefused(
            "server_url",
            f"This laptop last reached the platform more than {grace_days} days ago, the "
            "most your council allows offline. Connect to the platform to sign in.",
        )
    return found
