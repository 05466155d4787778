"""One laptop session as its own process, for the convergence test to SIGKILL at will.

``python -m tests.sync.client_worker --home DIR --user NAME --seed N --edits K`` signs in
(through the real ``doorstep login`` command) if the laptop is not signed in, makes K random
offline edits through ``LocalChanges``, then runs one sync cycle through the proxy named in
DIR/config.toml. It prints one line per step, flushed, so the test can kill it at a chosen
point: ``edit N``, ``progress PHASE DONE``, ``done {json report}``. Each edit is written to
DIR/journal.jsonl only after its local transaction committed, with the outbox mutation id it
took: an edit the officer was shown as saved.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from app.cli import Context, main
from app.config import ConfigSources
from app.models import validation as v
from app.models.workflow import CASE_TYPES, CLOSED
from app.store.db import Store
from app.sync.engine import SyncEngine
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.transport import (
    RetryPolicy,
    SignInRequired,
    Transport,
    Unreachable,
    make_http_client,
)

PASSWORDS = {"housing.officer": "doorstep-demo-1", "team.lead": "doorstep-demo-3"}
# Short waits: faults are frequent here, and the test has a time budget.
POLICY = RetryPolicy(attempts=10, base=0.02, cap=0.3)
PAGE_LIMIT = 50


class FileKeyring(KeyringBackend):
    """A test keyring in a JSON file, so a killed process's successor finds its secrets.

    Replaced atomically on every write: a SIGKILL leaves the old or the new file, never half.
    It claims to be secure so the store key and tokens are kept as on a real laptop.
    """

    priority = 5

    def __init__(self, path: Path) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self.path.read_text())
            return data
        except FileNotFoundError:
            return {}

    def _write(self, data: dict[str, str]) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data[f"{service}\n{username}"] = password
        self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        if data.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError(username)
        self._write(data)


def context(home: Path, user: str) -> Context:
    keyring = FileKeyring(home / "keyring.json")
    return Context(
        env={"DOORSTEP_HOME": str(home), "DOORSTEP_PASSWORD": PASSWORDS[user]},
        out=io.StringIO(),
        err=io.StringIO(),
        keyring=lambda: keyring,
        config_sources=ConfigSources(home / "config.toml", None),
    )


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def login(ctx: Context, server: str, user: str) -> bool:
    code = main(["login", "--server", server, "--user", user, "--tenant", "demo"], ctx)
    assert isinstance(ctx.err, io.StringIO)
    if code != 0:
        say(f"login-failed {code} {ctx.err.getvalue().strip()}")
    return code == 0


class Editor:
    """Random edits of the kinds officers make, aimed at a few shared records so they clash."""

    def __init__(
        self,
        store: Store,
        changes: LocalChanges,
        rng: random.Random,
        name: str,
        team: uuid.UUID | None,
    ) -> None:
        self.team = team.hex if team else ""
        self.store = store
        self.changes = changes
        self.rng = rng
        self.name = name

    def _ids(self, sql: str, *params: Any) -> list[str]:
        with self.store.engine.connect() as connection:
            return [row[0] for row in connection.exec_driver_sql(sql, params)]

    def _cases(self) -> list[str]:
        # The same few cases of the user's team on every laptop: edits there meet each other.
        # (Not a case seen through a referral: a note there is for its own service and is
        # not served back to this user.)
        return self._ids(
            "SELECT id FROM case_record WHERE NOT deleted AND status != ? "
            "AND owning_team_id = ? ORDER BY reference LIMIT 4",
            CLOSED,
            self.team,
        )

    def edit(self, number: int) -> dict[str, Any] | None:
        """One random edit; its journal entry, or None if there was nothing to edit."""
        kind = self.rng.choice(
            ["note", "note", "person", "case", "transition", "task_new", "task_edit", "task_del"]
        )
        cases = self._cases()
        if not cases:
            return None
        case = uuid.UUID(hex=self.rng.choice(cases))
        tag = f"cv {self.name} {number} {uuid.uuid4().hex[:8]}"
        if kind == "note":
            record = self.changes.add_note(case, "phone", tag)
            return {"kind": kind, "entity": "note", "id": str(record), "text": tag}
        if kind == "person":
            persons = self._ids(
                "SELECT subject_person_id FROM case_record WHERE id IN "
                f"({', '.join('?' * len(cases))})",
                *cases,
            )
            record = uuid.UUID(hex=self.rng.choice(persons))
            phone = f"07700 900{self.rng.randrange(1000):03d}"
            self.changes.update("person", record, {"phone": phone})
            return {"kind": kind, "entity": "person", "id": str(record), "value": phone}
        if kind == "case":
            self.changes.update("case", case, {"summary": tag})
            return {"kind": kind, "entity": "case", "id": str(case), "value": tag}
        if kind == "transition":
            [(case_type, status)] = [
                tuple(row)
                for row in self.store.engine.connect()
                .exec_driver_sql(
                    "SELECT case_type, status FROM case_record WHERE id = ?", (case.hex,)
                )
                .all()
            ]
            moves = [s for s in CASE_TYPES[case_type].allowed_from(status) if s != CLOSED]
            if not moves:
                return None
            target = self.rng.choice(moves)
            self.changes.transition(case, target)
            return {"kind": kind, "entity": "case", "id": str(case), "value": target}
        tasks = self._ids(
            "SELECT id FROM task WHERE case_id = ? AND NOT deleted AND kind = 'task' ORDER BY id",
            case.hex,
        )
        if kind == "task_new" or not tasks:
            due = datetime.now(UTC) + timedelta(days=self.rng.randrange(1, 30))
            record = self.changes.create(
                "task", {"case_id": case, "kind": "task", "title": tag, "due_at": due}
            )
            return {"kind": "task_new", "entity": "task", "id": str(record), "text": tag}
        task = uuid.UUID(hex=self.rng.choice(tasks))
        if kind == "task_edit":
            self.changes.update("task", task, {"title": tag})
            return {"kind": kind, "entity": "task", "id": str(task), "value": tag}
        self.changes.delete("task", task)
        return {"kind": kind, "entity": "task", "id": str(task)}


def last_mutation_id(store: Store) -> int:
    with store.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'"
        ).scalar()
    return int(found or 0)


def run(home: Path, server: str, user: str, seed: int, edits: int, sync: bool) -> int:
    ctx = context(home, user)
    store_path = ctx.store_path
    if not store_path.exists() and not login(ctx, server, user):
        return 3
    store = ctx.open_store(create=False)
    local = LocalSync(store, clock=lambda: datetime.now(UTC))
    identity = local.state().identity
    vault = ctx.token_vault()
    if identity is None or not vault.load(identity):
        store.close()
        if not login(ctx, server, user):
            return 3
        store = ctx.open_store(create=False)
        local = LocalSync(store, clock=lambda: datetime.now(UTC))
        identity = local.state().identity
    assert identity is not None
    rng = random.Random(seed)
    changes = LocalChanges(
        store,
        clock=lambda: datetime.now(UTC),
        user_id=identity.user_id,
        device_id=identity.device_id,
        tenant_id=identity.tenant_id,
        allow_test_numbers=True,
        role=identity.role,
    )
    editor = Editor(store, changes, rng, f"{home.name}-{seed}", identity.team_id)
    with (home / "journal.jsonl").open("a") as journal:
        for number in range(edits):
            try:
                entry = editor.edit(number)
            except (v.ValidationError, v.RecordInvalid) as refused:
                say(f"edit-refused {refused}")
                continue
            if entry is None:
                continue
            entry["mutation_id"] = last_mutation_id(store)
            journal.write(json.dumps(entry) + "\n")
            journal.flush()
            say(f"edit {number}")
    if not sync:
        store.close()
        return 0
    settings = ctx.settings()
    for attempt in range(2):
        token = vault.load(identity)
        with make_http_client(identity.server_url, settings) as client:
            transport = Transport(
                client,
                refresh_token=token,
                on_tokens=lambda pair: vault.save(identity, pair.refresh_token),
                policy=POLICY,
            )
            engine = SyncEngine(
                local,
                transport,
                clock=lambda: datetime.now(UTC),
                progress=lambda phase, done, _total: say(f"progress {phase} {done}"),
                page_limit=PAGE_LIMIT,
            )
            try:
                report = engine.run_cycle()
            except SignInRequired:
                # A refresh whose answer was lost rotated the token away (reuse detection
                # ended the sign-in): sign in again, as the officer would.
                if attempt:
                    raise
                store.close()
                if not login(ctx, server, user):
                    return 3
                store = ctx.open_store(create=False)
                local = LocalSync(store, clock=lambda: datetime.now(UTC))
                continue
            except Unreachable as error:
                # Offline for this session (faults beat every retry): the edits wait.
                say(f"unreachable {error.message}")
                store.close()
                return 3
        say("done " + json.dumps(report.as_dict()))
        break
    store.close()
    return 0


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="client_worker")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--user", required=True, choices=sorted(PASSWORDS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--edits", type=int, default=0)
    parser.add_argument("--no-sync", action="store_true")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse(sys.argv[1:])
    sys.exit(run(args.home, args.server, args.user, args.seed, args.edits, not args.no_sync))
