"""The platform's share of sync.md's failure list, on real PostgreSQL with real transactions.

(1) out-of-order commit, (2) lost acknowledgement, (4) concurrent offline edits, (5) poison
mutation, (6) restored database; and the documented worked example over HTTP with real tokens.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import entities as e
from app.sync.protocol import PULL_PATH, PUSH_PATH, TOKEN_PATH, PushRequest, PushResponse
from server.auth import hash_password
from server.deps import Principal
from server.migrate import new_epoch
from server.models import ChangeLog, ClientState, Conflict
from server.models import MutationResult as StoredResult
from server.problems import Problem
from server.sync.pull import pull_page
from server.sync.push import apply_push
from tests.server.world import Feed, World, mutation

pytestmark = pytest.mark.postgres

WAIT_S = 30.0


def _person(name: str) -> dict[str, Any]:
    return {"given_name": name, "family_name": "Lloyd"}


def _count(world: World, statement: sa.Select[Any]) -> int:
    return world.count(statement)


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    """Bounded polling for something another connection does (a lock wait), never a sleep."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


# --- (1) Out-of-order commit -----------------------------------------------------------------


def test_a_change_committed_late_is_not_skipped_by_the_cursor(world: World) -> None:
    officer = world.user(world.team())
    start = world.pull(officer)
    early, late = uuid.uuid4(), uuid.uuid4()

    # T1 takes its transaction id and sequence number first, and stays open.
    t1 = Session(world.engine)
    t1.begin()
    apply_push(
        t1,
        officer,
        PushRequest(
            client_id=uuid.uuid4(),
            mutations=[mutation(1, "person", early, "create", _person("Early"))],
        ),
        world.settings,
    )
    # T2 writes after T1 and commits first.
    world.push(officer, uuid.uuid4(), mutation(1, "person", late, "create", _person("Late")))
    with world.sessions() as session:
        seqs = dict(
            session.execute(
                sa.select(ChangeLog.record_id, ChangeLog.seq).where(ChangeLog.record_id.in_([late]))
            )
            .tuples()
            .all()
        )
    while_open = world.pull(officer, start, settle=False)

    t1.commit()
    t1.close()
    after = world.pull(officer, while_open)

    assert seqs[late] > 0
    # T2's change may not be served past T1's open transaction: the cursor would pass T1.
    assert early not in while_open.ids("person")
    served = while_open.ids("person") | after.ids("person")
    assert {early, late} <= served
    assert early in after.ids("person")


# --- (2) Lost acknowledgement ----------------------------------------------------------------


def test_a_retried_batch_applies_nothing_twice_and_returns_the_first_answers(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    pid = world.person(phone="0")
    case_id = world.case(team, pid)
    client = uuid.uuid4()
    new_person, note = uuid.uuid4(), uuid.uuid4()
    first_batch = [
        mutation(1, "person", new_person, "create", _person("Owain")),
        mutation(2, "person", pid, "update", {"phone": "1"}, base={"phone": "0"}, base_version=1),
        mutation(
            3,
            "note",
            note,
            "create",
            {
                "case_id": case_id,
                "kind": "phone",
                "text": "Rang.",
                "visibility": "service",
                "created_at": "2026-02-01T09:00:00Z",
            },
        ),
    ]
    first = world.push(officer, client, *first_batch)  # committed; imagine the answer is lost

    retry = world.push(
        officer,
        client,
        *first_batch,
        mutation(4, "person", pid, "update", {"phone": "2"}, base={"phone": "1"}, base_version=2),
        mutation(
            5,
            "case",
            case_id,
            "update",
            {"summary": "Retried"},
            base={"summary": "Rent arrears"},
            base_version=1,
        ),
    )

    assert retry.results[:3] == first.results
    assert [r.outcome for r in retry.results[3:]] == ["applied", "applied"]
    assert retry.last_mutation_id == 5
    row = world.row("person", pid)
    assert row is not None
    assert (row["phone"], row["version"]) == ("2", 3)
    assert _count(world, sa.select(sa.func.count()).where(e.Person.id == new_person)) == 1
    assert _count(world, sa.select(sa.func.count()).where(e.Note.id == note)) == 1
    logged = sa.select(sa.func.count()).where(ChangeLog.tenant_id == world.tenant_id)
    assert _count(world, logged.where(ChangeLog.record_id == pid)) == 3  # v1 seeded, v2, v3
    assert _count(world, logged.where(ChangeLog.record_id == new_person)) == 1
    audits = sa.select(sa.func.count()).where(e.AuditEvent.user_id == officer.user_id)
    assert _count(world, audits) == 5
    stored = sa.select(sa.func.count()).where(StoredResult.client_id == client)
    assert _count(world, stored) == 5


# --- (5) Poison mutation ---------------------------------------------------------------------


def test_a_poison_mutation_is_rejected_recorded_and_blocks_nothing(world: World) -> None:
    officer = world.user(world.team())
    client = uuid.uuid4()
    before, poison, after, later = (uuid.uuid4() for _ in range(4))

    batch = world.push(
        officer,
        client,
        mutation(1, "person", before, "create", _person("Before")),
        mutation(2, "person", poison, "create", {**_person("Poison"), "nhs_number": "123"}),
        mutation(3, "person", after, "create", _person("After")),
    )
    again = world.push(
        officer,
        client,
        mutation(2, "person", poison, "create", {**_person("Poison"), "nhs_number": "123"}),
        mutation(4, "person", later, "create", _person("Later")),
    )

    assert [r.outcome for r in batch.results] == ["applied", "rejected", "applied"]
    assert batch.results[1].errors[0].field == "nhs_number"
    assert batch.last_mutation_id == 3
    assert again.results[0] == batch.results[1]  # the stored rejection, not a second try
    assert again.results[1].outcome == "applied"
    assert world.row("person", poison) is None
    assert {world.row("person", i) is not None for i in (before, after, later)} == {True}
    with world.sessions() as session:
        recorded = session.scalar(
            sa.select(StoredResult.result).where(
                StoredResult.client_id == client, StoredResult.mutation_id == 2
            )
        )
        last = session.scalar(
            sa.select(ClientState.last_mutation_id).where(ClientState.client_id == client)
        )
    assert recorded is not None
    assert recorded["outcome"] == "rejected"
    assert last == 4


# --- (6) Restored database -------------------------------------------------------------------


def test_a_restored_platform_forces_a_full_resync_and_still_takes_the_outbox(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    pid = world.person()
    client = uuid.uuid4()
    world.push(officer, client, mutation(1, "person", uuid.uuid4(), "create", _person("Pushed")))
    feed = world.pull(officer)

    new_epoch(world.engine)
    with world.sessions.begin() as session, pytest.raises(Problem) as refused:
        pull_page(session, officer, feed.cursor, 100)
    resynced = world.pull(officer)
    pending = world.push(
        officer,
        client,
        mutation(
            2,
            "person",
            pid,
            "update",
            {"phone": "07700 900000"},
            base={"phone": None},
            base_version=1,
        ),
    )

    assert (refused.value.status, refused.value.code) == (409, "resync-required")
    assert pid in resynced.ids("person")
    assert resynced.ids("person") == feed.ids("person")
    assert pending.results[0].outcome == "applied"
    assert world.pull(officer, resynced).get("person", pid).version == 2  # type: ignore[union-attr]


# --- (4) Concurrent offline edits ------------------------------------------------------------


def _push_in_thread(
    world: World, principal: Principal, request: PushRequest, out: dict[str, Any]
) -> threading.Thread:
    def run() -> None:
        try:
            with world.sessions.begin() as session:
                out["response"] = apply_push(session, principal, request, world.settings)
        except BaseException as error:  # reported by the test, not lost in the thread
            out["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _waiting_on_a_lock(world: World) -> bool:
    with world.engine.connect() as connection:
        waiting = connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar()
    return bool(waiting)


def test_two_clients_editing_one_field_at_once_give_one_winner_and_a_shown_conflict(
    world: World,
) -> None:
    team = world.team()
    first, second = world.user(team), world.user(team)
    lead = world.user(team, e.Role.TEAM_LEAD)
    case_id = world.case(team, world.person(), summary="Start")
    edit: dict[str, Any] = {"base": {"summary": "Start"}, "base_version": 1}

    # First holds the row locked, uncommitted, while second's push arrives and must wait.
    holder = Session(world.engine)
    holder.begin()
    mine = apply_push(
        holder,
        first,
        PushRequest(
            client_id=uuid.uuid4(),
            mutations=[mutation(1, "case", case_id, "update", {"summary": "First"}, **edit)],
        ),
        world.settings,
    )
    out: dict[str, Any] = {}
    thread = _push_in_thread(
        world,
        second,
        PushRequest(
            client_id=uuid.uuid4(),
            mutations=[mutation(1, "case", case_id, "update", {"summary": "Second"}, **edit)],
        ),
        out,
    )
    _wait_until(lambda: _waiting_on_a_lock(world), "the second push to wait for the row lock")
    holder.commit()
    holder.close()
    thread.join(WAIT_S)

    assert "error" not in out
    theirs: PushResponse = out["response"]
    assert mine.results[0].outcome == "applied"
    assert theirs.results[0].outcome == "conflict"
    conflict = theirs.results[0].conflicts[0]
    assert (conflict.field, conflict.base, conflict.mine, conflict.theirs) == (
        "summary",
        "Start",
        "Second",
        "First",
    )
    row = world.row("case", case_id)
    assert row is not None
    assert row["summary"] == "First"
    assert conflict.conflict_id in world.pull(second).ids("conflict")
    assert conflict.conflict_id in world.pull(lead).ids("conflict")
    assert conflict.conflict_id not in world.pull(first).ids("conflict")


def test_two_transitions_from_one_state_apply_the_first_and_keep_the_second(world: World) -> None:
    team = world.team()
    first, second = world.user(team), world.user(team)
    case_id = world.case(team, world.person(), case_type="homelessness", status="approach")
    leave: dict[str, Any] = {"base": {"status": "approach"}, "base_version": 1}

    a = world.push(
        first,
        uuid.uuid4(),
        mutation(1, "case", case_id, "transition", {"status": "prevention"}, **leave),
    )
    b = world.push(
        second,
        uuid.uuid4(),
        mutation(1, "case", case_id, "transition", {"status": "relief"}, **leave),
    )

    assert a.results[0].outcome == "applied"
    assert b.results[0].outcome == "conflict"
    assert [(c.field, c.mine, c.theirs) for c in b.results[0].conflicts] == [
        ("status", "relief", "prevention")
    ]
    row = world.row("case", case_id)
    assert row is not None
    assert row["status"] == "prevention"


def test_delete_against_an_edit_is_a_conflict_and_the_record_is_kept(world: World) -> None:
    officer, other = world.user(world.team()), world.user(world.team())
    pid = world.person(phone="0")

    world.push(
        officer,
        uuid.uuid4(),
        mutation(1, "person", pid, "update", {"phone": "1"}, base={"phone": "0"}, base_version=1),
    )
    deleting = world.push(other, uuid.uuid4(), mutation(1, "person", pid, "delete", base_version=1))

    assert deleting.results[0].outcome == "conflict"
    assert deleting.results[0].conflicts[0].field == "deleted"
    row = world.row("person", pid)
    assert row is not None
    assert (row["deleted"], row["phone"]) == (False, "1")


def test_an_edit_after_a_delete_is_kept_in_a_conflict(world: World) -> None:
    officer, other = world.user(world.team()), world.user(world.team())
    pid = world.person(phone="0")

    world.push(officer, uuid.uuid4(), mutation(1, "person", pid, "delete", base_version=1))
    editing = world.push(
        other,
        uuid.uuid4(),
        mutation(1, "person", pid, "update", {"phone": "1"}, base={"phone": "0"}, base_version=1),
    )

    assert editing.results[0].outcome == "conflict"
    kept = {c.field: c.mine for c in editing.results[0].conflicts}
    assert kept == {"deleted": False, "phone": "1"}
    stored = sa.select(sa.func.count()).where(
        Conflict.record_id == pid, Conflict.mine_value == sa.cast("1", Conflict.mine_value.type)
    )
    assert _count(world, stored) == 1
    row = world.row("person", pid)
    assert row is not None
    assert (row["deleted"], row["phone"]) == (True, "0")


# --- The worked example of docs/sync-protocol.md, over HTTP with real tokens ------------------


def test_the_documented_exchange_works_over_http_with_real_tokens(world: World) -> None:
    team = world.team()
    password = "correct horse battery staple"
    officer = world.user(team, password_hash=hash_password(password), username="housing.officer")
    colleague = world.user(team)
    pid = world.person(phone="01633 000000")
    device_id = uuid.uuid4()
    world.push(
        colleague,
        uuid.uuid4(),
        mutation(
            1,
            "person",
            pid,
            "update",
            {"phone": "01633 111111"},
            base={"phone": "01633 000000"},
            base_version=1,
        ),
    )
    app = world.app()
    app.dependency_overrides.clear()  # the real principal, from the real token
    from fastapi.testclient import TestClient

    with TestClient(app) as http:
        signed_in = http.post(
            TOKEN_PATH,
            json={
                "tenant": world.tenant_code,
                "username": "housing.officer",
                "password": password,
                "device_id": str(device_id),
                "device_name": "Laptop 42",
            },
        )
        assert signed_in.status_code == 200, signed_in.text
        bearer = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        note_id = uuid.uuid4()
        pushed = http.post(
            PUSH_PATH,
            headers=bearer,
            json={
                "client_id": str(uuid.uuid4()),
                "mutations": [
                    mutation(
                        1,
                        "person",
                        pid,
                        "update",
                        {"phone": "01633 222222"},
                        base={"phone": "01633 000000"},
                        base_version=1,
                    ).model_dump(mode="json"),
                    mutation(2, "person", uuid.uuid4(), "create", _person("Nia")).model_dump(
                        mode="json"
                    ),
                ],
            },
        )
        world.settle()
        pulled = http.get(PULL_PATH, headers=bearer, params={"limit": 500})
        unauthorised = http.get(PULL_PATH)

    assert officer.user_id != colleague.user_id
    assert pushed.status_code == 200, pushed.text
    assert [r["outcome"] for r in pushed.json()["results"]] == ["conflict", "applied"]
    assert pulled.status_code == 200
    entities = {c["entity"] for c in pulled.json()["changes"]}
    assert {"person", "conflict", "team", "user"} <= entities
    assert note_id not in {c["id"] for c in pulled.json()["changes"]}
    assert unauthorised.status_code == 401
    assert isinstance(Feed(), Feed)
