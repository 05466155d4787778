"""The laptop process SIGKILLed mid-sync, at chosen points; on restart nothing is lost or doubled.

Laptops are ``tests.sync.client_worker`` processes talking to the real platform (uvicorn on
a PostgreSQL clone of the seeded council) through the fault proxy, which here injects no
fault but tells the test when the platform has answered a request: the process is killed
there, after the platform committed and before the laptop heard.
"""

from __future__ import annotations

import json
import signal
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.models import entities as e
from app.sync.protocol import PULL_PATH, PUSH_PATH
from server.models import MutationResult
from tests.server import conftest as platform_fixtures
from tests.sync.client_worker import PAGE_LIMIT
from tests.sync.faults import Event, FaultProxy, Scripted
from tests.sync.live import seeded_clone, serve
from tests.sync.test_convergence import Run, differences, open_store, query, snapshot, start

pg_platform_template = platform_fixtures.pg_platform_template
seeded_pg_template = platform_fixtures.seeded_pg_template

USER = "housing.officer"


@pytest.fixture
def platform(pg_admin_url: str, seeded_pg_template: str) -> Iterator[tuple[sa.Engine, str]]:
    with seeded_clone(pg_admin_url, seeded_pg_template) as engine, serve(engine) as url:
        yield engine, url


class Killer:
    """Kills the running worker when the platform has answered the n-th request to a path."""

    def __init__(self, path: str, nth: int) -> None:
        self.path, self.nth = path, nth
        self.seen = 0
        self.run: Run | None = None
        self.fired = threading.Event()

    def __call__(self, event: Event) -> None:
        if event.path != self.path or self.run is None or self.fired.is_set():
            return
        self.seen += 1
        if self.seen == self.nth:
            self.run.process.send_signal(signal.SIGKILL)
            self.fired.set()


def work(
    home: Path, server: str, edits: int = 0, seed: int = 1, killer: Killer | None = None
) -> Run:
    """Run one worker session to its end (or its death); returns what it printed."""
    run = Run(home.name, start(home, server, USER, seed, edits))
    if killer is not None:
        killer.run = run
    assert run.process.stdout is not None
    for line in run.process.stdout:
        run.lines.append(line.rstrip("\n"))
    run.process.wait(timeout=120)
    run.process.stdout.close()
    return run


def laptop(tmp_path: Path, name: str, proxy: FaultProxy) -> Path:
    home = tmp_path / name
    home.mkdir()
    (home / "config.toml").write_text(f'proxy = "{proxy.url}"\n')
    return home


@pytest.mark.postgres
def test_killed_between_pull_pages_resumes_from_its_last_whole_page(
    tmp_path: Path, platform: tuple[sa.Engine, str]
) -> None:
    _engine, url = platform
    killer = Killer(PULL_PATH, 3)
    with FaultProxy(url, Scripted(), on_answered=killer) as proxy:
        home = laptop(tmp_path, "a", proxy)
        died = work(home, url, killer=killer)
        assert killer.fired.is_set(), died.lines
        assert died.process.returncode == -signal.SIGKILL
        # Killed as the third page's answer came in: the laptop fetches ahead of applying, so
        # none, one or two whole pages are in the store with their cursor, nothing of the third.
        store = open_store(home)
        try:
            assert store.check().integrity == "ok"
            [(cursor,)] = query(store, "SELECT cursor FROM sync_state")
            held = sum(len(rows) for rows in snapshot(store).values())
        finally:
            store.close()
        applied = [line for line in died.lines if line.startswith("progress pull")]
        assert (
            applied == ["progress pull 0", "progress pull 50", "progress pull 100"][: len(applied)]
        )
        assert (cursor is None) == (held == 0)  # never records without their page's cursor
        assert held <= 2 * PAGE_LIMIT  # at most the two pages before the third

        again = work(home, url)
        assert again.lines[-1].startswith("done"), again.lines
        reference = work(laptop(tmp_path, "reference", proxy), url)
        assert reference.lines[-1].startswith("done"), reference.lines

    mine, theirs = open_store(home), open_store(tmp_path / "reference")
    try:
        ours, platform_view = snapshot(mine), snapshot(theirs)
        for table, rows in platform_view.items():
            assert not differences(ours[table], rows), table
    finally:
        mine.close()
        theirs.close()


@pytest.mark.postgres
def test_killed_after_the_platform_committed_a_push_sends_it_again_once(
    tmp_path: Path, platform: tuple[sa.Engine, str]
) -> None:
    engine, url = platform
    killer = Killer(PUSH_PATH, 1)
    with FaultProxy(url, Scripted(), on_answered=killer) as proxy:
        home = laptop(tmp_path, "a", proxy)
        assert work(home, url).lines[-1].startswith("done")  # signed in and synced
        died = work(home, url, edits=6, seed=7, killer=killer)
        assert killer.fired.is_set(), died.lines
        journal = [json.loads(line) for line in (home / "journal.jsonl").read_text().splitlines()]
        assert journal, died.lines
        store = open_store(home)
        try:
            # The platform has the batch; the laptop never heard, so all of it still waits.
            [(pending,)] = query(store, "SELECT count(*) FROM outbox")
            [(client_id,)] = query(store, "SELECT client_id FROM sync_state")
        finally:
            store.close()
        assert pending == len(journal)
        client = uuid.UUID(hex=client_id)
        with engine.connect() as connection:
            committed = connection.execute(
                sa.select(sa.func.count())
                .select_from(MutationResult)
                .where(MutationResult.client_id == client)
            ).scalar_one()
        assert committed == len(journal)

        again = work(home, url)
        assert again.lines[-1].startswith("done"), again.lines
        report = json.loads(again.lines[-1].removeprefix("done "))
        assert report["pushed"] == len(journal)

    store = open_store(home)
    try:
        assert query(store, "SELECT count(*) FROM outbox") == [(0,)]
    finally:
        store.close()
    with engine.connect() as connection:
        answers = connection.execute(
            sa.select(MutationResult.mutation_id).where(MutationResult.client_id == client)
        ).scalars()
        assert sorted(answers) == [entry["mutation_id"] for entry in journal]
        for entry in journal:
            if entry["kind"] in ("note", "task_new"):
                model = e.Note if entry["kind"] == "note" else e.Task
                found = connection.execute(
                    sa.select(sa.func.count())
                    .select_from(model)
                    .where(model.id == uuid.UUID(entry["id"]))
                ).scalar_one()
                assert found == 1, entry
