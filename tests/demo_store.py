"""A real encrypted store loaded with the synthetic council, shared by the view and UI tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.demo import DemoUser, demo_tenant_id, demo_users, generate_council
from app.store.db import Store
from app.store.keys import StoreKey
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.state import Identity

SEED = 7
PERSONS = 1500
TODAY = date(2026, 11, 2)
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
DEVICE = uuid.UUID(int=12)


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def load_demo(path: Path, persons: int = PERSONS, seed: int = SEED) -> Store:
    """A new store keyed by passphrase (as on a laptop with no keyring) with the council."""
    store = Store.open(path, StoreKey("correct horse battery staple", "passphrase"))
    store.bulk_load(
        (batch.model, batch.rows) for batch in generate_council(persons, seed, today=TODAY)
    )
    return store


def demo_user(username: str, seed: int = SEED) -> DemoUser:
    """One of the council's demo accounts."""
    return next(user for user in demo_users(seed) if user.username == username)


@dataclass
class Signed:
    """A store, clock and write API for one signed-in demo user."""

    store: Store
    local: LocalSync
    changes: LocalChanges
    identity: Identity
    clock: FakeClock


def sign_in(store: Store, user: DemoUser, seed: int = SEED) -> Signed:
    """The collaborators a screen gets once ``user`` has signed in on this laptop."""
    clock = FakeClock()
    identity = Identity(
        server_url="https://platform.test",
        tenant="demo",
        tenant_id=demo_tenant_id(seed),
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        team_id=user.team_id,
        device_id=DEVICE,
    )
    local = LocalSync(store, clock=clock)
    local.set_identity(identity)
    changes = LocalChanges(
        store,
        clock=clock,
        user_id=user.id,
        device_id=DEVICE,
        tenant_id=identity.tenant_id,
        allow_test_numbers=True,
        role=user.role,
    )
    return Signed(store, local, changes, identity, clock)


def closing(store: Store) -> Iterator[Store]:
    """Yield the store and release its file afterwards."""
    try:
        yield store
    finally:
        store.close()
