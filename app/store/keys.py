"""The local store's encryption key: random and kept in the OS keyring, or a typed passphrase."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringError

KEYRING_SERVICE = "Doorstep"
PASSPHRASE_ENV = "DOORSTEP_STORE_PASSPHRASE"  # noqa: S105 (a variable name, not a secret)
MIN_PASSPHRASE = 10


class StoreKeyError(Exception):
    """No key can be had for the store; ``message`` says what the user can do about it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoreKey:
    """What SQLCipher is keyed with. ``secret`` never leaves memory except into the keyring."""

    secret: str
    # "derived": the raw key SQLCipher would derive from a passphrase, derived once by us.
    source: Literal["keyring", "passphrase", "derived"]

    def __repr__(self) -> str:  # keep the secret out of logs and tracebacks
        return f"StoreKey(source={self.source!r}, secret=<redacted>)"

    @property
    def sqlcipher_passphrase(self) -> str:
        """The value for ``PRAGMA key``: a raw 256-bit key, or a passphrase SQLCipher stretches."""
        return f"x'{self.secret}'" if self.source != "passphrase" else self.secret


def keyring_is_secure(backend: KeyringBackend | None) -> bool:
    """Whether the backend stores secrets in an OS vault, not a file or nowhere at all."""
    if backend is None:
        return False
    module = type(backend).__module__
    # fail/null: no vault at all; keyrings.alt: plaintext or weakly-encrypted files.
    if module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
        return False
    if module.startswith("keyring.backends.chainer"):
        return any(keyring_is_secure(b) for b in getattr(backend, "backends", []))
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority probe fails cannot be trusted
        return False


def default_keyring() -> KeyringBackend:
    """The OS keyring that ``keyring`` selects for this machine."""
    import keyring

    return keyring.get_keyring()


def store_key_name(path: Path) -> str:
    """The keyring entry that holds the key of the store file at ``path``."""
    return _entry(str(path.absolute()))


def _entry(store_id: str) -> str:
    return f"store:{store_id}"


def forget_store_key(backend: KeyringBackend | None, path: Path) -> None:
    """Drop an erased store's key from the keyring, so nothing can open a copy of it.

    KeyringError covers "no such key" and "no keyring at all": with no keyring the key was
    never kept there (the store used a passphrase), so there is nothing to drop.
    """
    if backend is not None:
        with contextlib.suppress(KeyringError):
            backend.delete_password(KEYRING_SERVICE, store_key_name(path))


def obtain_store_key(
    store_id: str,
    *,
    store_exists: bool,
    backend: KeyringBackend | None,
    env: Mapping[str, str],
    prompt: Callable[[str], str] | None = None,
) -> StoreKey:
    """Find or make the key for the store named ``store_id``.

    A new random key is made only for a store that does not exist yet, so a lost keyring
    entry can never lead to an existing store being re-keyed or overwritten.
    """
    username = _entry(store_id)
    secure = keyring_is_secure(backend)
    if secure and backend is not None:
        stored = backend.get_password(KEYRING_SERVICE, username)
        if stored:
            return StoreKey(stored, "keyring")
        if not store_exists:
            secret = secrets.token_hex(32)
            backend.set_password(KEYRING_SERVICE, username, secret)
            return StoreKey(secret, "keyring")
    passphrase = env.get(PASSPHRASE_ENV)
    if not passphrase and prompt is not None:
        reason = (
            "The local store was made with a passphrase."
            if secure
            else "No secure keyring is available on this computer, so the store key cannot "
            "be kept; it will be held in memory for this session only."
        )
        passphrase = prompt(f"{reason} Enter the store passphrase: ")
        # A typo when the store is made would lock its owner out for good: ask twice.
        if passphrase and not store_exists and prompt("Type it again: ") != passphrase:
            raise StoreKeyError("The two passphrases differ; nothing was created. Try again.")
    if not passphrase:
        if secure:
            raise StoreKeyError(
                "The keyring holds no key for this local store. Enter the store passphrase, "
                f"or set {PASSPHRASE_ENV} for unattended use."
            )
        raise StoreKeyError(
            "No secure keyring (Secret Service, Keychain or Credential Manager) is available, "
            f"so the store needs a passphrase: type it when asked, or set {PASSPHRASE_ENV} "
            "for unattended use. The key is never written to a file."
        )
    if len(passphrase) < MIN_PASSPHRASE:
        raise StoreKeyError(
            f"The store passphrase must be at least {MIN_PASSPHRASE} characters long."
        )
    return StoreKey(passphrase, "passphrase")


class SessionKeyring(KeyringBackend):
    """Secrets held in this process's memory only: the fallback where no OS vault exists.

    Its priority is zero so ``keyring_is_secure`` never mistakes it for a vault.
    """

    priority = 0

    @properties.classproperty
    def viable(cls) -> bool:  # noqa: N805 (a class property)
        # Never offered by keyring's auto-detection: only ever chosen on purpose.
        return False

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._secrets.pop((service, username), None)
