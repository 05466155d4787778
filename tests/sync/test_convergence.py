"""Several laptops edit offline and sync through injected faults, killed mid-sync; all converge.

Each laptop is a ``tests.sync.client_worker`` process with its own DOORSTEP_HOME and store.
Rounds run the laptops at once, each making random edits (notes, phone numbers, case
summaries, status transitions, tasks created, renamed and deleted) and then syncing through
the fault proxy; some are killed with SIGKILL at a chosen point (after an edit, as the push
starts, after a pull page, or after a random moment). A final fault-free round lets everyone
finish. Then:

- no laptop has anything left to send, and every mutation any laptop ever made has exactly
  one stored answer on the platform (nothing lost, nothing applied twice);
- every conflict and rejection is held by the laptop whose edit lost (shown to a person);
- every note and task a laptop made is on the platform exactly once, unless refused;
- every laptop holds exactly what a fresh sign-in of its user pulls from the platform.

The seed is printed; DOORSTEP_CONVERGENCE_SEED replays (or varies) a run. Kill timing depends
on the machine's speed, so a replay makes the same edits and faults, not always the same kills.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.models import entities as e
from app.store.db import Store
from app.store.keys import obtain_store_key
from app.sync.graph import SPEC_OF_TABLE
from app.sync.protocol import REFRESH_PATH, TOKEN_PATH
from server.models import Conflict, MutationResult
from tests.server import conftest as platform_fixtures
from tests.server.world import wait_for_feed
from tests.sync.client_worker import FileKeyring
from tests.sync.faults import Fault, FaultProxy, Seeded, Tally
from tests.sync.live import seeded_clone, serve

pg_platform_template = platform_fixtures.pg_platform_template
seeded_pg_template = platform_fixtures.seeded_pg_template

ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("DOORSTEP_CONVERGENCE_SEED", "20261126"))
LAPTOPS = (("a", "housing.officer"), ("b", "housing.officer"), ("c", "team.lead"))
ROUNDS = 6
FAULT_RATE = 0.35
KILL_RATE = 0.5
WORKER_TIMEOUT_S = 120


@dataclass
class Run:
    """One worker process and what it printed."""

    name: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    killed_at: str | None = None


def start(home: Path, server: str, user: str, seed: int, edits: int) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.sync.client_worker", "--home", str(home)]
    command += ["--server", server, "--user", user, "--seed", str(seed), "--edits", str(edits)]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


def watch(run: Run, kill_at: str | None, after: float) -> None:
    """Read the worker's lines; SIGKILL it ``after`` seconds after it prints ``kill_at``."""
    assert run.process.stdout is not None
    timer: threading.Timer | None = None

    def kill() -> None:
        if run.process.poll() is None:
            run.process.send_signal(signal.SIGKILL)
            run.killed_at = f"{after:.2f} s after {kill_at}"

    for line in run.process.stdout:
        run.lines.append(line.rstrip("\n"))
        if kill_at is not None and timer is None and line.startswith(kill_at):
            timer = threading.Timer(after, kill)
            timer.start()
    if timer is not None:
        timer.cancel()


def kill_plan(rng: random.Random, edits: int) -> tuple[str | None, float]:
    """Where to kill a worker: a moment after a printed step (an edit saved, the push
    starting, a pull page applied); or not at all."""
    if rng.random() >= KILL_RATE:
        return None, 0.0
    after = rng.choice([0.0, rng.uniform(0.0, 0.4)])
    choice = rng.randrange(3)
    if choice == 0 and edits:
        return f"edit {rng.randrange(edits)}", after
    if choice == 1:
        return "progress push 0", after
    return f"progress pull {rng.choice([0, 50, 100, 200])}", after


def round_of(
    rng: random.Random, homes: dict[str, Path], users: dict[str, str], server: str, kills: bool
) -> list[Run]:
    runs: list[Run] = []
    threads: list[threading.Thread] = []
    for name, home in homes.items():
        edits = rng.randrange(0, 7) if kills else 0
        kill_at, after = kill_plan(rng, edits) if kills else (None, 0.0)
        run = Run(name, start(home, server, users[name], rng.randrange(2**31), edits))
        runs.append(run)
        thread = threading.Thread(target=watch, args=(run, kill_at, after), daemon=True)
        thread.start()
        threads.append(thread)
    for run, thread in zip(runs, threads, strict=True):
        run.process.wait(timeout=WORKER_TIMEOUT_S)
        thread.join(timeout=10)
        assert run.process.stdout is not None
        run.process.stdout.close()
    return runs


def open_store(home: Path) -> Store:
    key = obtain_store_key(
        str((home / "doorstep.db").absolute()),
        store_exists=True,
        backend=FileKeyring(home / "keyring.json"),
        env={},
    )
    return Store.open(home / "doorstep.db", key)


def query(store: Store, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(sql, params)]


def snapshot(store: Store) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every platform record the laptop holds (tombstones left out), whole, by table and id."""
    tables = {
        name: f"SELECT * FROM {name} WHERE NOT deleted"
        for name, spec in SPEC_OF_TABLE.items()
        if spec.pulled
    }
    tables["case_summary"] = "SELECT * FROM case_summary"
    tables["local_conflict"] = (
        "SELECT conflict_id AS id, entity, record_id, field, base, mine, theirs FROM local_conflict"
    )
    found: dict[str, dict[Any, dict[str, Any]]] = {}
    with store.engine.connect() as connection:
        for name, sql in tables.items():
            rows = connection.exec_driver_sql(sql).mappings()
            found[name] = {row["id"]: dict(row) for row in rows}
    return found


def differences(mine: dict[Any, dict[str, Any]], theirs: dict[Any, dict[str, Any]]) -> list[str]:
    """What differs between two tables' rows, column by column."""
    out = [f"only on the laptop: {key}" for key in mine.keys() - theirs.keys()]
    out += [f"only on the platform: {key}" for key in theirs.keys() - mine.keys()]
    for key in mine.keys() & theirs.keys():
        for column, value in mine[key].items():
            if theirs[key].get(column) != value:
                out.append(f"{key}.{column}: laptop {value!r}, platform {theirs[key][column]!r}")
    return out


@pytest.fixture
def platform(pg_admin_url: str, seeded_pg_template: str) -> Iterator[tuple[sa.Engine, str]]:
    with seeded_clone(pg_admin_url, seeded_pg_template) as engine, serve(engine) as url:
        yield engine, url


@pytest.mark.postgres
def test_laptops_converge_through_faults_and_kills(
    tmp_path: Path, platform: tuple[sa.Engine, str]
) -> None:
    engine, platform_url = platform
    print(f"convergence seed {SEED} (replay with DOORSTEP_CONVERGENCE_SEED={SEED})")
    rng = random.Random(SEED)
    policy = Seeded(SEED, FAULT_RATE, careful=(TOKEN_PATH, REFRESH_PATH))
    users = dict(LAPTOPS)
    homes: dict[str, Path] = {}
    with FaultProxy(platform_url, policy, delay_s=0.1) as proxy:
        for name, _user in LAPTOPS:
            home = tmp_path / name
            home.mkdir()
            (home / "config.toml").write_text(f'proxy = "{proxy.url}"\n')
            homes[name] = home
        log: list[str] = []
        for number in range(ROUNDS):
            for run in round_of(rng, homes, users, platform_url, kills=True):
                log.append(
                    f"round {number} {run.name}: exit {run.process.returncode}"
                    f"{f' killed at {run.killed_at}' if run.killed_at else ''}"
                    f" | {' / '.join(run.lines[-3:])}"
                )
        policy.enabled = False
        for _ in range(2):
            # Fault-free and one at a time: each pushes, then each pulls what others pushed.
            # The feed serves only changes older than the oldest write transaction on the
            # database server (another test run may hold one): let it catch up first.
            wait_for_feed(engine)
            for name in homes:
                [run] = round_of(rng, {name: homes[name]}, users, platform_url, kills=False)
                assert run.process.returncode == 0, "\n".join([*log, *run.lines])
        # The platform as each user sees it: a fresh laptop's first sync.
        fresh: dict[str, Path] = {}
        wait_for_feed(engine)
        for user in sorted(set(users.values())):
            home = tmp_path / f"fresh-{user}"
            home.mkdir()
            (home / "config.toml").write_text(f'proxy = "{proxy.url}"\n')
            [run] = round_of(rng, {user: home}, {user: user}, platform_url, kills=False)
            assert run.process.returncode == 0, "\n".join(run.lines)
            fresh[user] = home
        events = list(proxy.events)

    report = "\n".join(log)
    print(report)
    tally = Tally.of(events).counts
    print(f"faults injected: {tally}")
    killed = sum(" killed at " in line for line in log)
    print(f"workers killed: {killed}")
    # The run really was hostile: faults of many kinds, and kills.
    assert len([f for f in tally if f != Fault.PASS.value]) >= 5, tally
    assert killed >= 3, report

    check(engine, homes, users, fresh)


def check(
    engine: sa.Engine, homes: dict[str, Path], users: dict[str, str], fresh: dict[str, Path]
) -> None:
    views = {}
    for user, home in fresh.items():
        store = open_store(home)
        try:
            views[user] = snapshot(store)
        finally:
            store.close()
    made_notes: list[str] = []
    made_tasks: list[str] = []
    for name, home in homes.items():
        journal_file = home / "journal.jsonl"
        lines = journal_file.read_text().splitlines() if journal_file.exists() else []
        journal = [json.loads(line) for line in lines]
        store = open_store(home)
        try:
            [(client_id,)] = query(store, "SELECT client_id FROM sync_state")
            client = uuid.UUID(hex=client_id)
            assert query(store, "SELECT count(*) FROM outbox") == [(0,)], name
            sequence = query(store, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")
            # No row: this laptop never queued a change (its rounds drew no edits, or were
            # killed before any), so it must have journalled none either.
            made = sequence[0][0] if sequence else 0
            if not sequence:
                assert journal == [], name
            with engine.connect() as connection:
                answers = {
                    mutation: result
                    for mutation, result in connection.execute(
                        sa.select(MutationResult.mutation_id, MutationResult.result).where(
                            MutationResult.client_id == client
                        )
                    )
                }
                conflicts = {
                    (mutation, field_name)
                    for mutation, field_name in connection.execute(
                        sa.select(Conflict.mutation_id, Conflict.field).where(
                            Conflict.client_id == client
                        )
                    )
                }
            # Every mutation this laptop ever made was answered once: none lost, none twice.
            assert sorted(answers) == list(range(1, made + 1)), name
            assert {entry["mutation_id"] for entry in journal} <= set(answers), name
            held_conflicts = {
                (mutation, field_name)
                for mutation, field_name in query(
                    store,
                    "SELECT mutation_id, field FROM local_conflict WHERE client_id = ?",
                    client_id,
                )
            }
            held_rejections = {
                r[0] for r in query(store, "SELECT mutation_id FROM rejected_mutation")
            }
            for mutation, result in answers.items():
                if result["outcome"] == "conflict":
                    shown = {(mutation, c["field"]) for c in result["conflicts"]}
                    assert shown <= held_conflicts, (name, mutation, result)
                    assert shown <= conflicts, (name, mutation, result)
                if result["outcome"] == "rejected":
                    assert mutation in held_rejections, (name, mutation, result)
            for entry in journal:
                outcome = answers[entry["mutation_id"]]["outcome"]
                if entry["kind"] == "note" and outcome != "rejected":
                    made_notes.append(entry["text"])
                if entry["kind"] == "task_new" and outcome != "rejected":
                    made_tasks.append(entry["id"])
            # The laptop holds exactly what the platform shows its user.
            view = views[users[name]]
            mine = snapshot(store)
            for table, rows in view.items():
                assert not differences(mine[table], rows), (name, table)
        finally:
            store.close()
    with engine.connect() as connection:
        for text in made_notes:
            found = connection.execute(
                sa.select(sa.func.count()).select_from(e.Note).where(e.Note.text == text)
            ).scalar_one()
            assert found == 1, text
        tasks = connection.execute(
            sa.select(sa.func.count())
            .select_from(e.Task)
            .where(e.Task.id.in_([uuid.UUID(t) for t in made_tasks]))
        ).scalar_one()
        assert tasks == len(set(made_tasks))
