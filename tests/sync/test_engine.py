"""Sync cycles end to end against the real platform on PostgreSQL, with faults on the wire."""

from __future__ import annotations

import random
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import sqlalchemy as sa

from app.models import entities as e
from app.store.db import Store
from app.store.keys import SessionKeyring, StoreKey
from app.sync.engine import StoreWiped, SyncEngine
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.protocol import PUSH_PATH
from app.sync.session import TokenVault, sign_in
from app.sync.transport import RetryPolicy, Transport, Unreachable
from server.migrate import new_epoch
from tests.server import conftest as platform_fixtures
from tests.server.world import wait_for_feed
from tests.sync.conftest import FakeClock, rows_of
from tests.sync.test_transport import FakeSleeper, Script, problem

if TYPE_CHECKING:
    # Imported at run time only through the platform conftest, which silences its warning.
    from fastapi.testclient import TestClient

# The platform fixtures, registered for this module (they live in tests/server/conftest.py).
pg_platform_template = platform_fixtures.pg_platform_template
seeded_pg_template = platform_fixtures.seeded_pg_template
seeded_pg = platform_fixtures.seeded_pg
make_client = platform_fixtures.make_client

SERVER = "http://testserver"
PASSWORD = "doorstep-demo-1"
MakeClient = platform_fixtures.MakeClient


def now() -> datetime:
    return datetime.now(UTC)


class Wire:
    """Forwards each request to the platform app in process, with faults on demand.

    ``drop_responses[path] = n``: the next n requests to ``path`` reach the platform, which
    commits them, but the answer is lost on the way back (a ReadError at the client).
    """

    def __init__(self, platform: TestClient) -> None:
        self.platform = platform
        self.drop_responses: dict[str, int] = {}
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        answer = self.platform.send(request)
        answer.read()
        if self.drop_responses.get(request.url.path, 0) > 0:
            self.drop_responses[request.url.path] -= 1
            raise httpx.ReadError("connection reset after the platform answered", request=request)
        # The test client already decoded any gzip body.
        skip = {"content-encoding", "content-length", "transfer-encoding"}
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() not in skip]
        return httpx.Response(answer.status_code, headers=headers, content=answer.content)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self), base_url=SERVER)


class Laptop:
    """One client: its own store, sign-in, transport and engine."""

    def __init__(self, store: Store, wire: Wire, sleeper: FakeSleeper) -> None:
        self.store = store
        self.clock = now
        self.local = LocalSync(store, clock=now)
        self.client = wire.client()
        self.vault = TokenVault(None, SessionKeyring())
        self.transport = Transport(self.client, sleep=sleeper, rng=random.Random(1))
        self.progress: list[tuple[str, int, int | None]] = []
        self.engine = SyncEngine(
            self.local,
            self.transport,
            clock=now,
            progress=lambda *event: self.progress.append(event),
            page_limit=500,
        )

    def sign_in(self, username: str = "housing.officer") -> None:
        sign_in(
            self.local,
            self.transport,
            self.vault,
            server_url=SERVER,
            tenant="demo",
            username=username,
            password=PASSWORD,
            device_name="test laptop",
        )

    def changes(self) -> LocalChanges:
        identity = self.local.state().identity
        assert identity is not None
        return LocalChanges(
            self.store,
            clock=now,
            user_id=identity.user_id,
            device_id=identity.device_id,
            tenant_id=identity.tenant_id,
            allow_test_numbers=True,
            role=identity.role,
        )

    def my_case(self) -> uuid.UUID:
        identity = self.local.state().identity
        assert identity is not None
        found = rows_of(
            self.store,
            "SELECT id FROM case_record WHERE officer_id = ? AND status != 'closed' "
            "ORDER BY reference LIMIT 1",
            identity.user_id.hex,
        )
        assert found, "the demo officer has open cases"
        return uuid.UUID(hex=found[0][0])

    def has(self, table: str, record: uuid.UUID) -> bool:
        return bool(rows_of(self.store, f"SELECT 1 FROM {table} WHERE id = ?", record.hex))


@pytest.fixture
def wire(seeded_pg: sa.Engine, make_client: MakeClient) -> Wire:
    return Wire(make_client(seeded_pg))


@pytest.fixture
def sleeper() -> FakeSleeper:
    return FakeSleeper()


@pytest.fixture
def laptops(
    tmp_path: Path, template: tuple[Path, StoreKey], wire: Wire, sleeper: FakeSleeper
) -> Iterator[Callable[[str], Laptop]]:
    made: list[Laptop] = []

    def make(name: str) -> Laptop:
        path = tmp_path / name / "doorstep.db"
        path.parent.mkdir()
        shutil.copyfile(template[0], path)
        laptop = Laptop(Store.open(path, template[1]), wire, sleeper)
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.client.close()
        laptop.store.close()


def platform_count(engine: sa.Engine, model: type[e.Note], ids: list[uuid.UUID]) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(model).where(model.id.in_(ids))
            ).scalar_one()
        )


@pytest.mark.postgres
def test_initial_sync_then_an_offline_note_reaches_another_device(
    laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    a = laptops("a")
    a.sign_in()
    first = a.engine.run_cycle()
    assert first.pulled > 0
    assert first.pushed == 0
    status = a.local.status()
    assert status.pending == 0
    assert status.last_sync_at is not None
    assert ("pull", 0, None) in a.progress

    note = a.changes().add_note(a.my_case(), "phone", "Tenant called about the repayment plan.")
    assert a.local.status().pending == 1

    second = a.engine.run_cycle()
    assert (second.pushed, second.merged, second.conflicts, second.rejected) == (1, 0, 0, 0)
    assert a.local.status().pending == 0
    assert ("push", 1, 1) in a.progress
    assert platform_count(seeded_pg, e.Note, [note]) == 1

    b = laptops("b")  # the same officer on a second laptop
    # The feed serves the note once no older write transaction runs on the database server;
    # another test run sharing the server may hold one for a while.
    wait_for_feed(seeded_pg)
    b.sign_in()
    wait_for_feed(seeded_pg)  # another process's open transaction on the server holds it back
    b.engine.run_cycle()
    assert b.has("note", note)
    assert b.local.state().identity != a.local.state().identity  # another device id


@pytest.mark.postgres
def test_lost_acknowledgement_then_a_mixed_retry_duplicates_nothing(
    laptops: Callable[[str], Laptop], wire: Wire, seeded_pg: sa.Engine
) -> None:
    a = laptops("a")
    a.sign_in()
    a.engine.run_cycle()
    case = a.my_case()
    first = [a.changes().add_note(case, "visit", f"Visit {n}") for n in range(2)]

    # The platform commits the push but the answer never arrives, every time it is tried.
    a.transport.policy = RetryPolicy(attempts=2)
    wire.drop_responses[PUSH_PATH] = 2
    with pytest.raises(Unreachable):
        a.engine.run_cycle()
    assert a.local.status().pending == 2  # unanswered, so still in the outbox
    assert platform_count(seeded_pg, e.Note, first) == 2

    # Later: the same two again, with a new one, in one batch.
    third = a.changes().add_note(case, "visit", "Visit 3")
    report = a.engine.run_cycle()

    assert report.pushed == 3
    assert a.local.status().pending == 0
    assert platform_count(seeded_pg, e.Note, [*first, third]) == 3
    with seeded_pg.connect() as connection:
        notes_on_case = connection.execute(
            sa.select(sa.func.count())
            .select_from(e.Note)
            .where(e.Note.case_id == case, e.Note.text.like("Visit %"))
        ).scalar_one()
    assert notes_on_case == 3


@pytest.mark.postgres
def test_lost_push_answer_is_retried_within_one_cycle(
    laptops: Callable[[str], Laptop], wire: Wire, seeded_pg: sa.Engine, sleeper: FakeSleeper
) -> None:
    a = laptops("a")
    a.sign_in()
    a.engine.run_cycle()
    note = a.changes().add_note(a.my_case(), "office", "Came to the office.")
    wire.drop_responses[PUSH_PATH] = 1

    report = a.engine.run_cycle()

    assert report.pushed == 1
    assert len(sleeper.delays) == 1
    assert wire.paths.count(PUSH_PATH) == 2
    assert platform_count(seeded_pg, e.Note, [note]) == 1


@pytest.mark.postgres
def test_new_epoch_resyncs_and_keeps_the_outbox(
    laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    a = laptops("a")
    a.sign_in()
    a.engine.run_cycle()
    case = a.my_case()
    new_epoch(seeded_pg)
    written: list[uuid.UUID] = []

    def officer_writes_during_the_sync(phase: str, done: int, total: int | None) -> None:
        # The UI keeps working while a sync runs: a note made after the push phase must
        # survive the resync and go up in the same cycle.
        if phase == "pull" and not written:
            written.append(a.changes().add_note(case, "phone", "Rang during the sync."))

    a.engine.progress = officer_writes_during_the_sync
    report = a.engine.run_cycle()

    assert report.resynced
    assert report.pushed == 1
    assert report.pulled > 0
    state = a.local.state()
    assert not state.resyncing
    assert a.local.status().pending == 0
    assert platform_count(seeded_pg, e.Note, written) == 1
    assert a.has("case_record", case)


@pytest.mark.postgres
def test_revoked_device_wipes_the_store(
    laptops: Callable[[str], Laptop], seeded_pg: sa.Engine
) -> None:
    from sqlalchemy.orm import Session

    from server.auth import revoke_device

    a = laptops("a")
    a.sign_in()
    a.engine.run_cycle()
    identity = a.local.state().identity
    assert identity is not None
    with Session(seeded_pg) as session, session.begin():
        assert revoke_device(session, identity.tenant_id, identity.device_id) is not None

    with pytest.raises(StoreWiped):
        a.engine.run_cycle()
    assert not a.store.path.exists()
    assert not Path(f"{a.store.path}-wal").exists()


def test_revoked_device_wipes_the_store_without_a_platform(
    sync: LocalSync, clock: FakeClock
) -> None:
    script = Script(problem(403, "device-revoked", wipe=True))
    with httpx.Client(transport=httpx.MockTransport(script), base_url=SERVER) as client:
        transport = Transport(client, refresh_token="r" * 30, sleep=FakeSleeper())
        transport.access_token = "a"
        engine = SyncEngine(sync, transport, clock=clock)
        with pytest.raises(StoreWiped, match="erased"):
            engine.run_cycle()
    assert not sync.store.path.exists()


def test_a_push_that_removes_nothing_stops_the_push_loop(
    sync: LocalSync, clock: FakeClock, changes: LocalChanges
) -> None:
    from tests.sync.conftest import CASE

    changes.add_note(CASE, "phone", "One")
    # An answer about another mutation: the outbox does not shrink, so the loop must end.
    answer = {
        "results": [
            {"mutation_id": 999, "outcome": "applied", "version": 1, "conflicts": [], "errors": []}
        ],
        "last_mutation_id": 999,
    }
    page = {"changes": [], "cursor": "c9", "has_more": False, "epoch": str(uuid.UUID(int=999))}
    script = Script(answer, page)
    with httpx.Client(transport=httpx.MockTransport(script), base_url=SERVER) as client:
        transport = Transport(client, refresh_token="r" * 30, sleep=FakeSleeper())
        transport.access_token = "a"
        report = SyncEngine(sync, transport, clock=clock).run_cycle()
    assert report.pushed == 0
    assert sync.status().pending == 1
    assert [r.url.path for r in script.requests].count(PUSH_PATH) == 1


def test_pages_fetched_ahead_are_applied_in_order_and_an_error_keeps_the_last_cursor(
    sync: LocalSync, clock: FakeClock
) -> None:
    from tests.sync.conftest import full, page
    from tests.sync.test_pull import new_person

    people = [new_person(900 + n) for n in range(3)]
    bodies = [
        page(full("person", people[n]), cursor=f"c{n + 1}", has_more=True).model_dump(mode="json")
        for n in range(3)
    ]
    # Three pages, then the platform fails: the pages ahead of the failure are all applied
    # (whichever transactions the fetcher's lead put them in) and the cursor is the third's.
    script = Script(*bodies, problem(500, "boom"))
    with httpx.Client(transport=httpx.MockTransport(script), base_url=SERVER) as client:
        transport = Transport(
            client, refresh_token="r" * 30, sleep=FakeSleeper(), policy=RetryPolicy(attempts=1)
        )
        transport.access_token = "a"
        with pytest.raises(Unreachable):
            SyncEngine(sync, transport, clock=clock, page_limit=1).run_cycle()
    assert sync.state().cursor == "c3"
    for person in people:
        record = person["id"]
        assert isinstance(record, uuid.UUID)
        assert rows_of(sync.store, "SELECT 1 FROM person WHERE id = ?", record.hex)
    assert [r.url.params.get("cursor") for r in script.requests] == [None, "c1", "c2", "c3"]
