"""Simulated laptops for bench/server.py: sign in, pull everything, then push-then-pull cycles."""

from __future__ import annotations

import asyncio
import gc
import os
import random
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import Any

import httpx
import uvloop
from pydantic_core import from_json

from app.models.workflow import CLOSED
from app.sync.protocol import (
    PULL_PATH,
    PUSH_PATH,
    REFRESH_PATH,
    TOKEN_PATH,
    Cursor,
    Mutation,
    PushRequest,
    PushResponse,
    RefreshRequest,
    TokenRequest,
    TokenResponse,
)

MAX_ATTEMPTS = 30
"""A request still failing after this many tries stops its client (the run then reports it)."""

BACKOFF_S = (0.05, 0.1, 0.2, 0.5, 1.0)

FULL_COLLECTIONS_NEVER = 10**9
"""A gen-2 threshold (middle-generation collections between full ones) no run reaches."""

Timing = tuple[float, float, int]
"""(started, ended, count) of one successful push, on the system-wide monotonic clock: count
is the mutations it had answered."""

PullTiming = tuple[float, float, int, int]
"""(started, ended, changes, entries) of one pull page: the changes it carried, and how many
feed entries the platform went through for it (the cursor's sequence number moved that far;
the bench peeks into the opaque cursor only to measure this)."""


@dataclass(frozen=True)
class ClientSpec:
    """One simulated laptop: which demo account it signs in with."""

    index: int
    username: str
    password: str


@dataclass(frozen=True)
class LoadConfig:
    """What every simulated laptop does."""

    base_url: str
    tenant: str
    tag: str
    """Marks this run's notes and edits, so the integrity check can find every one."""
    batch: int
    note_share: float
    """Share of mutations that create a note; the rest edit a case summary or a task title."""
    hot_share: float
    """Share of edits aimed at the team's few 'hot' records, which teammates edit concurrently."""
    hot_records: int
    seed: int
    warmup_s: float
    seconds: float
    gzip: bool
    pull_every: int = 1
    """Pull after every n-th push (0: never after the first pull), to tell their costs apart."""
    signin_concurrency: int = 2
    initial_pull_concurrency: int = 4
    timeout_s: float = 60.0


@dataclass
class Edit:
    """An acknowledged field edit: what was sent and what the platform answered."""

    entity: str
    record_id: str
    value: str
    outcome: str
    version: int | None
    client_id: str
    mutation_id: int


@dataclass
class LoadResult:
    """Everything one load process measured and every answer it was given."""

    pid: int
    pushes: list[Timing] = field(default_factory=list)
    pulls: list[PullTiming] = field(default_factory=list)
    received: Counter[str] = field(default_factory=Counter)
    """Changes pulled within the measured window, by entity and scope."""
    errors: list[tuple[float, str]] = field(default_factory=list)
    """(when, what): every non-2xx answer or transport error, retried or not."""
    outcomes: Counter[str] = field(default_factory=Counter)
    rejections: list[str] = field(default_factory=list)
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Note id -> (case id, text) of every note create the platform acknowledged as applied."""
    unacknowledged: set[str] = field(default_factory=set)
    """Note ids sent in a push that never got an answer (a client gave up)."""
    edits: list[Edit] = field(default_factory=list)
    answers: dict[str, dict[int, str]] = field(default_factory=dict)
    """Client id -> mutation id -> outcome, for every answered mutation."""
    last_sent: dict[str, int] = field(default_factory=dict)
    conflicts: list[tuple[str, str, int]] = field(default_factory=list)
    """(conflict id, client id, mutation id) of every conflict the platform reported."""
    failed_clients: list[str] = field(default_factory=list)
    signin_s: float = 0.0
    initial_pull_s: float = 0.0
    initial_changes: int = 0


class ClientGaveUp(Exception):
    """A request kept failing; the client stops and the run reports it."""


@dataclass
class _Pending:
    mutation_id: int
    kind: str  # "note", "case" or "task"
    record_id: str
    value: str
    case_id: str = ""


class _Laptop:
    """One device: its own HTTP connection, tokens, cursor, outbox counter and local view."""

    def __init__(self, spec: ClientSpec, config: LoadConfig, result: LoadResult) -> None:
        self.spec = spec
        self.config = config
        self.result = result
        self.rng = random.Random(f"{config.seed}:{spec.index}")
        self.device_id = _uuid(self.rng)
        self.client_id = _uuid(self.rng)
        headers = {"accept-encoding": "gzip" if config.gzip else "identity"}
        self.http = httpx.AsyncClient(
            base_url=config.base_url,
            timeout=config.timeout_s,
            # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them
            # under a request (laptops sit idle while the others sign in and pull).
            limits=httpx.Limits(
                max_connections=1, max_keepalive_connections=1, keepalive_expiry=3.0
            ),
            headers=headers,
        )
        self.access = ""
        self.refresh = ""
        self.team_id = ""
        self.cursor: str | None = None
        self.next_mutation = 1
        # Local copies of what the platform last said: id -> [version, value, extra].
        self.cases: dict[str, list[Any]] = {}
        self.tasks: dict[str, list[Any]] = {}
        self.case_ids: list[str] = []
        self.task_ids: list[str] = []
        self.hot_cases: list[str] = []
        self.hot_tasks: list[str] = []
        self.answers = result.answers.setdefault(self.client_id, {})
        # The measured window (monotonic clock), set when the cycles begin.
        self.window = (0.0, 0.0)

    async def close(self) -> None:
        await self.http.aclose()

    # -- HTTP -----------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> tuple[httpx.Response, float, float]:
        """Send until a 2xx answer (retrying is always safe); every failure is recorded."""
        for attempt in range(MAX_ATTEMPTS):
            headers = {"authorization": f"Bearer {self.access}"} if self.access else {}
            started = time.monotonic()
            try:
                response = await self.http.request(
                    method, path, json=body, params=params, headers=headers
                )
            except httpx.TransportError as error:
                self.result.errors.append((time.monotonic(), f"{path} {type(error).__name__}"))
            else:
                ended = time.monotonic()
                if response.is_success:
                    return response, started, ended
                self.result.errors.append(
                    (ended, f"{path} {response.status_code} {_code(response)}")
                )
                if response.status_code == 401 and self.refresh and path != REFRESH_PATH:
                    await self._refresh()
                    continue
            await asyncio.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])
        raise ClientGaveUp(f"{self.spec.username}: {method} {path} failed {MAX_ATTEMPTS} times")

    def _take_tokens(self, response: httpx.Response) -> None:
        tokens = TokenResponse.model_validate_json(response.content)
        self.access, self.refresh = tokens.access_token, tokens.refresh_token
        self.team_id = str(tokens.team_id) if tokens.team_id else ""

    async def sign_in(self) -> None:
        request = TokenRequest(
            tenant=self.config.tenant,
            username=self.spec.username,
            password=self.spec.password,
            device_id=self.device_id,
            device_name=f"bench laptop {self.spec.index}",
        )
        response, _, _ = await self._send("POST", TOKEN_PATH, body=request.model_dump(mode="json"))
        self._take_tokens(response)

    async def _refresh(self) -> None:
        body = RefreshRequest(refresh_token=self.refresh).model_dump(mode="json")
        self.access = ""
        response, _, _ = await self._send("POST", REFRESH_PATH, body=body)
        self._take_tokens(response)

    # -- pull -----------------------------------------------------------------------------

    async def pull_all(self, *, timed: bool) -> int:
        """Pull pages from the cursor until the feed has no more; the number of changes."""
        received = 0
        while True:
            params = {"cursor": self.cursor} if self.cursor else {}
            response, started, ended = await self._send("GET", PULL_PATH, params=params)
            # pydantic-core's parser: the stdlib's was 15% of this process's CPU.
            page = from_json(response.content)
            changes = page["changes"]
            self._apply(changes)
            before = Cursor.decode(self.cursor).seq if self.cursor else 0
            self.cursor = page["cursor"]
            received += len(changes)
            if timed:
                entries = Cursor.decode(page["cursor"]).seq - before
                self.result.pulls.append((started, ended, len(changes), entries))
                if self.window[0] <= ended < self.window[1]:
                    self.result.received.update(f"{c['entity']} {c['scope']}" for c in changes)
            if not page["has_more"]:
                break
        self._index()
        return received

    def _apply(self, changes: list[dict[str, Any]]) -> None:
        """Keep the version and value of the records this laptop edits (never go backwards)."""
        for change in changes:
            entity = change["entity"]
            if entity == "case":
                table, value_name, extra_name = self.cases, "summary", "owning_team_id"
            elif entity == "task":
                table, value_name, extra_name = self.tasks, "title", "case_id"
            else:
                continue
            record_id, fields = change["id"], change["fields"]
            if change["scope"] != "full" or change["deleted"] or fields is None:
                table.pop(record_id, None)
                continue
            if entity == "case" and fields["status"] == CLOSED:
                table.pop(record_id, None)
                continue
            local = table.get(record_id)
            if local is None or change["version"] >= local[0]:
                table[record_id] = [change["version"], fields[value_name], fields[extra_name]]

    def _index(self) -> None:
        self.case_ids = sorted(self.cases)
        self.task_ids = sorted(t for t, row in self.tasks.items() if row[2] in self.cases)
        hot = self.config.hot_records
        self.hot_cases = [c for c in self.case_ids if self.cases[c][2] == self.team_id][:hot]
        self.hot_tasks = [
            t for t in self.task_ids if self.cases[self.tasks[t][2]][2] == self.team_id
        ][:hot]

    # -- push -----------------------------------------------------------------------------

    def _batch(self) -> tuple[list[Mutation], list[_Pending]]:
        config, rng = self.config, self.rng
        now = datetime.now(UTC)
        mutations: list[Mutation] = []
        pending: list[_Pending] = []
        used: set[str] = set()
        for _ in range(config.batch):
            mutation_id = self.next_mutation
            self.next_mutation += 1
            marker = f"bench {config.tag} c{self.spec.index} m{mutation_id}"
            target = self._edit_target(used) if rng.random() >= config.note_share else None
            if target is None:
                note_id, case_id = _uuid(rng), rng.choice(self.case_ids)
                text = f"{marker}: visited, no answer; card left."
                mutations.append(
                    Mutation(
                        mutation_id=mutation_id,
                        entity="note",
                        id=note_id,
                        op="create",
                        fields={
                            "case_id": case_id,
                            "kind": "visit",
                            "text": text,
                            "visibility": "service",
                            "created_at": now.isoformat(),
                        },
                        at=now,
                    )
                )
                pending.append(_Pending(mutation_id, "note", note_id, text, case_id))
                continue
            kind, record_id = target
            used.add(record_id)
            table, name = (self.cases, "summary") if kind == "case" else (self.tasks, "title")
            version, current, _extra = table[record_id]
            mutations.append(
                Mutation(
                    mutation_id=mutation_id,
                    entity=kind,
                    id=record_id,
                    op="update",
                    base_version=version,
                    fields={name: marker},
                    base={name: current},
                    at=now,
                )
            )
            pending.append(_Pending(mutation_id, kind, record_id, marker))
        return mutations, pending

    def _edit_target(self, used: set[str]) -> tuple[str, str] | None:
        rng = self.rng
        kind = "case" if rng.random() < 0.6 or not self.task_ids else "task"
        hot = rng.random() < self.config.hot_share
        if kind == "case":
            pool = self.hot_cases if hot and self.hot_cases else self.case_ids
        else:
            pool = self.hot_tasks if hot and self.hot_tasks else self.task_ids
        for _ in range(4):
            record_id = rng.choice(pool)
            if record_id not in used:
                return kind, record_id
        return None

    async def push(self) -> None:
        mutations, pending = self._batch()
        request = PushRequest(client_id=self.client_id, mutations=mutations)
        body = request.model_dump(mode="json")
        self.result.last_sent[self.client_id] = mutations[-1].mutation_id
        try:
            response, started, ended = await self._send("POST", PUSH_PATH, body=body)
        except ClientGaveUp:
            self.result.unacknowledged.update(p.record_id for p in pending if p.kind == "note")
            raise
        answer = PushResponse.model_validate_json(response.content)
        self.result.pushes.append((started, ended, len(answer.results)))
        by_id = {p.mutation_id: p for p in pending}
        outcomes = self.result.outcomes
        for result in answer.results:
            sent = by_id[result.mutation_id]
            outcome = result.outcome
            outcomes[f"{sent.kind} {outcome}"] += 1
            self.answers[result.mutation_id] = outcome
            for conflict in result.conflicts:
                self.result.conflicts.append(
                    (str(conflict.conflict_id), self.client_id, result.mutation_id)
                )
            if outcome == "rejected":
                if len(self.result.rejections) < 10:
                    errors = "; ".join(f"{e.field}: {e.message}" for e in result.errors)
                    self.result.rejections.append(f"{sent.kind} {result.code}: {errors}")
                continue
            if sent.kind == "note":
                if outcome == "applied":
                    self.result.notes[sent.record_id] = (sent.case_id, sent.value)
                continue
            self.result.edits.append(
                Edit(
                    sent.kind,
                    sent.record_id,
                    sent.value,
                    outcome,
                    result.version,
                    self.client_id,
                    result.mutation_id,
                )
            )
            if outcome in ("applied", "merged") and result.version is not None:
                table = self.cases if sent.kind == "case" else self.tasks
                local = table.get(sent.record_id)
                if local is not None and result.version >= local[0]:
                    local[0], local[1] = result.version, sent.value

    async def cycles(self, stop: float) -> None:
        """Push a batch, then pull the feed dry, until ``stop``; then finish the cycle."""
        every, cycle = self.config.pull_every, 0
        while time.monotonic() < stop:
            await self.push()
            cycle += 1
            if time.monotonic() >= stop:
                break
            if every and cycle % every == 0:
                await self.pull_all(timed=True)


def _uuid(rng: random.Random) -> str:
    # From the laptop's own generator, so a run with the same seed sends the same ids.
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _code(response: httpx.Response) -> str:
    """The problem code of an error answer (its type's last segment), if it has one."""
    try:
        problem = response.json()
    except ValueError:
        return ""
    kind = problem.get("type", "") if isinstance(problem, dict) else ""
    return str(kind).rsplit("/", 1)[-1]


async def _limited(semaphore: asyncio.Semaphore, work: Any) -> Any:
    async with semaphore:
        return await work


async def _run(config: LoadConfig, specs: list[ClientSpec], conn: Connection) -> LoadResult:
    result = LoadResult(pid=os.getpid())
    laptops = [_Laptop(spec, config, result) for spec in specs]
    try:
        started = time.monotonic()
        gate = asyncio.Semaphore(config.signin_concurrency)
        await asyncio.gather(*(_limited(gate, laptop.sign_in()) for laptop in laptops))
        result.signin_s = time.monotonic() - started
        started = time.monotonic()
        gate = asyncio.Semaphore(config.initial_pull_concurrency)
        counts = await asyncio.gather(
            *(_limited(gate, laptop.pull_all(timed=False)) for laptop in laptops)
        )
        result.initial_pull_s = time.monotonic() - started
        result.initial_changes = sum(counts)
        for laptop in laptops:
            if not laptop.case_ids:
                raise RuntimeError(
                    f"{laptop.spec.username} sees no open case to write to; raise --persons."
                )
        # Once the laptops held every record they pulled, each full collection of this
        # process's heap took 0.1-0.2 s: every laptop stalled at once, then all pushed
        # together, and those bursts (every ~10 s) set the run's push p99. Set-up objects
        # are frozen out of collections and full ones no longer run (the process ends with
        # the run); young cycles are still collected. (CPython 3.11-3.13's thresholds.)
        gc.collect()
        gc.freeze()
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTIONS_NEVER)
        conn.send(("ready", os.getpid(), result.signin_s, result.initial_pull_s))
        # The parent answers once every load process is ready: when the warm-up starts.
        begin: float = await asyncio.to_thread(conn.recv)
        stop = begin + config.warmup_s + config.seconds
        for laptop in laptops:
            laptop.window = (begin + config.warmup_s, stop)
        await asyncio.sleep(max(0.0, begin - time.monotonic()))
        outcomes = await asyncio.gather(
            *(laptop.cycles(stop) for laptop in laptops), return_exceptions=True
        )
        for laptop, outcome in zip(laptops, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                result.failed_clients.append(f"{laptop.spec.username}: {outcome!r}")
    finally:
        await asyncio.gather(*(laptop.close() for laptop in laptops))
    return result


def load_process(config: LoadConfig, specs: list[ClientSpec], conn: Connection) -> None:
    """Entry point of one load process: runs its laptops and sends back a LoadResult."""
    try:
        result = uvloop.run(_run(config, specs, conn))
    except BaseException:
        conn.send(("failed", os.getpid(), traceback.format_exc()))
        raise
    conn.send(("done", os.getpid(), result))
    conn.close()
