"""Test doubles injected in place of the OS keyring and other collaborators."""

from __future__ import annotations

from app.store.keys import SessionKeyring


class FakeVault(SessionKeyring):
    """An in-memory keyring that reports itself as a secure OS vault."""

    priority = 5
