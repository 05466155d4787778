"""A signed-in demo laptop for screenshots and benchmarks: council, identity, a conflict."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from app.demo import DemoUser, demo_tenant_id, demo_users, generate_council
from app.store.db import Store
from app.store.keys import StoreKey
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.protocol import FieldConflict, FieldError, MutationResult
from app.sync.state import Identity
from app.sync.tables import sync_state

Clock = Callable[[], datetime]


def demo_user(username: str, seed: int) -> DemoUser:
    """One of the demo council's accounts."""
    return next(user for user in demo_users(seed) if user.username == username)


def make_demo_laptop(
    path: Path,
    key: StoreKey,
    *,
    persons: int,
    seed: int,
    server_url: str,
    username: str = "housing.officer",
    clock: Clock | None = None,
    with_conflicts: bool = True,
) -> Identity:
    """Make a store at ``path`` as if ``username`` had signed in and synced the demo council.

    With ``with_conflicts``, one of the user's cases also has a conflict and a refused change,
    made through the real write API and push-answer code, so the conflicts screen has work.
    """
    now = clock or (lambda: datetime.now(UTC))
    store = Store.open(path, key)
    try:
        store.bulk_load((batch.model, batch.rows) for batch in generate_council(persons, seed))
        user = demo_user(username, seed)
        identity = Identity(
            server_url=server_url.rstrip("/"),
            tenant="demo",
            tenant_id=demo_tenant_id(seed),
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            team_id=user.team_id,
            device_id=uuid.uuid4(),
        )
        local = LocalSync(store, clock=now)
        local.set_identity(identity)
        with store.write_transaction() as connection:
            # As after a first sync, so the status bar has a time to show.
            connection.execute(
                update(sync_state).where(sync_state.c.id == 1).values(last_sync_at=now())
            )
        if with_conflicts:
            _conflict_and_refusal(store, local, identity, now)
        return identity
    finally:
        store.close()


def _conflict_and_refusal(store: Store, local: LocalSync, who: Identity, now: Clock) -> None:
    changes = LocalChanges(
        store,
        clock=now,
        user_id=who.user_id,
        device_id=who.device_id,
        tenant_id=who.tenant_id,
        allow_test_numbers=True,
        role=who.role,
    )
    with store.engine.connect() as connection:
        cases = [
            uuid.UUID(hex=row[0])
            for row in connection.exec_driver_sql(
                "SELECT id FROM case_record WHERE officer_id = ? AND status != 'closed' "
                "ORDER BY reference LIMIT 2",
                (who.user_id.hex,),
            )
        ]
    if len(cases) < 2:
        raise ValueError(f"{who.username} has fewer than two open cases; use more persons.")
    with store.engine.connect() as connection:
        theirs_before = connection.exec_driver_sql(
            "SELECT summary FROM case_record WHERE id = ?", (cases[0].hex,)
        ).scalar_one()
    changes.update("case", cases[0], {"summary": "Tenant agreed a repayment plan of £15 a week"})
    changes.update("case", cases[1], {"priority": "high"})
    pending = local.pending_mutations()
    local.apply_results(
        [
            MutationResult(
                mutation_id=pending[0].mutation_id,
                outcome="conflict",
                conflicts=[
                    FieldConflict(
                        conflict_id=uuid.uuid4(),
                        field="summary",
                        base=theirs_before,
                        mine="Tenant agreed a repayment plan of £15 a week",
                        theirs="Arrears referred to the money advice team",
                    )
                ],
            ),
            MutationResult(
                mutation_id=pending[1].mutation_id,
                outcome="rejected",
                errors=[
                    FieldError(
                        field="priority",
                        message="Only a team lead may raise a case to high priority.",
                    )
                ],
                code="forbidden-field",
            ),
        ]
    )
