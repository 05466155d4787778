"""Applying a pushed batch: exactly once, access-checked, validated, merged, audited and logged.

One call runs in the caller's database transaction. The client's row is locked first, so
two pushes from the same client never interleave; mutations already applied get their stored
answer back; each new mutation is decided in memory (decode, access, validation, three-way
merge) against the batch's target rows, read with one query per entity and no lock. The
writes then go to the database together, grouped by statement, inside one savepoint: inserts,
conflicts, audit events, the change log, the answers and the client's last mutation id, and
last the updates, each only if its row is still at the version read. So edited rows are
locked only from those updates to the commit. If a row moved meanwhile, or any write fails
(a reference to a record that does not exist, say), the savepoint is rolled back and the
batch is decided again on rows locked as they are read; if a write fails then too, mutation
by mutation, each in its own savepoint, so the failing mutation alone is rejected.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from typing import Any, Literal

from sqlalchemy import Select, Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.models import entities as e
from app.models import validation as v
from app.models.base import utcnow
from app.models.registry import BY_NAME, SPECS, EntitySpec
from app.models.workflow import CLOSED
from app.sync import codec
from app.sync.merge import three_way, transition_verdict
from app.sync.protocol import (
    FieldConflict,
    FieldError,
    Mutation,
    MutationResult,
    Outcome,
    PushRequest,
    PushResponse,
)
from app.sync.rules import RuleContext, check_record
from server import access
from server.access import CaseFacts, Facts
from server.changes import Entry, log_entries
from server.deps import Principal
from server.models import ClientState, Conflict
from server.models import MutationResult as StoredResult
from server.problems import Problem
from server.settings import Settings
from server.sync.scope import touch_cases, touch_persons
from server.sync.sql import ids_param, insert_rows, is_postgres, update_rows

OPTIMISTIC_ATTEMPTS = 3
"""Times a batch is decided on unlocked rows before it locks them (see ``_apply_fresh``).

A hot record (a case several officers edit at once) moves often; deciding on it again is
cheaper than holding its lock while a whole batch is decided, which queued every other
push of that record behind it: under the benchmark, push p99 went over a second."""

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
"""Serialization failure and deadlock: the whole transaction is worth retrying."""

_ORDER = {spec.name: rank for rank, spec in enumerate(SPECS)}
"""Foreign-key order of the entities (the registry lists them parents first)."""

_SYSTEM = frozenset({"id", "tenant_id", "version", "updated_at", "deleted"})
_MISSING: Any = object()


def is_retryable(error: BaseException) -> bool:
    """Whether a database error is a deadlock or serialization failure (retry the batch)."""
    return getattr(getattr(error, "orig", None), "sqlstate", None) in RETRYABLE_SQLSTATES


class _Moved(Exception):
    """A row the batch read without a lock changed before the batch's update reached it."""


class _Rejected(Exception):
    """A mutation is refused; carries the answer's code and field errors."""

    def __init__(self, code: str, errors: Iterable[FieldError]) -> None:
        super().__init__(code)
        self.code = code
        self.errors = list(errors)


def _reject(code: str, name: str, message: str) -> _Rejected:
    return _Rejected(code, [FieldError(field=name, message=message)])


def _invalid(invalid: v.RecordInvalid | v.ValidationError) -> _Rejected:
    items = invalid.errors if isinstance(invalid, v.RecordInvalid) else [invalid]
    return _Rejected("validation", [FieldError(field=i.field, message=i.message) for i in items])


# --- Defaults for new rows ---------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    static: dict[str, Any]
    dynamic: dict[str, Callable[[Any], Any]]
    required: frozenset[str]
    table: Table


_SHAPES: dict[str, _Shape] = {}


def _shape(spec: EntitySpec) -> _Shape:
    found = _SHAPES.get(spec.name)
    if found is None:
        table: Table = spec.model.__table__  # type: ignore[attr-defined]
        static: dict[str, Any] = {}
        dynamic: dict[str, Callable[[Any], Any]] = {}
        required = set()
        for column in table.columns:
            if column.name in _SYSTEM:
                continue
            default = column.default
            if default is not None and default.is_scalar:
                arg = default.arg  # type: ignore[attr-defined]
                static[column.name] = str(arg) if isinstance(arg, StrEnum) else arg
            elif default is not None and default.is_callable:
                dynamic[column.name] = default.arg  # type: ignore[attr-defined]
            elif column.nullable:
                static[column.name] = None
            else:
                required.add(column.name)
        found = _SHAPES[spec.name] = _Shape(static, dynamic, frozenset(required), table)
    return found


@cache
def _load_query(name: str, postgres: bool, lock: bool) -> Select[Any]:
    """A batch's target rows of one entity; parameter ``ids``. Built once per shape."""
    table = _shape(BY_NAME[name]).table
    statement = select(table).where(ids_param(table.c.id, postgres))
    if lock:
        # Ordered, so concurrent batches lock rows in the same order and cannot deadlock
        # on them. FOR NO KEY UPDATE, the lock PostgreSQL's own UPDATE takes when no key
        # changes: it still serialises edits of one record, but lets other batches insert
        # notes and tasks that reference it (their foreign-key check takes KEY SHARE, which
        # FOR UPDATE would block). Under 100 laptops this took push from 48 to 205
        # mutations/s and from 53 errors to none.
        statement = statement.order_by(table.c.id).with_for_update(key_share=True)
    return statement


_CONFLICTS: Table = Conflict.__table__  # type: ignore[assignment]
_RESULTS: Table = StoredResult.__table__  # type: ignore[assignment]
_CLIENTS: Table = ClientState.__table__  # type: ignore[assignment]
_ADVANCE_CLIENT = (
    update(_CLIENTS)
    .where(_CLIENTS.c.client_id == bindparam("client"))
    .values(
        last_mutation_id=bindparam("high", type_=_CLIENTS.c.last_mutation_id.type),
        updated_at=bindparam("now", type_=_CLIENTS.c.updated_at.type),
    )
)
_LOCK_CLIENT = (
    select(_CLIENTS.c.tenant_id, _CLIENTS.c.device_id, _CLIENTS.c.last_mutation_id)
    .where(_CLIENTS.c.client_id == bindparam("client"))
    .with_for_update()
)


# --- Effects -----------------------------------------------------------------------------


@dataclass
class _Effects:
    """The writes of one mutation (or of a whole batch), kept apart to be written together."""

    inserts: list[tuple[EntitySpec, dict[str, Any]]] = field(default_factory=list)
    updates: list[tuple[EntitySpec, uuid.UUID, dict[str, Any]]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)
    logs: list[Entry] = field(default_factory=list)
    touch_cases: set[uuid.UUID] = field(default_factory=set)
    touch_persons: set[uuid.UUID] = field(default_factory=set)

    def extend(self, other: _Effects) -> None:
        self.inserts += other.inserts
        self.updates += other.updates
        self.conflicts += other.conflicts
        self.audits += other.audits
        self.logs += other.logs
        self.touch_cases |= other.touch_cases
        self.touch_persons |= other.touch_persons

    @property
    def writes_rows(self) -> bool:
        return bool(self.inserts or self.updates or self.conflicts)


@dataclass
class _Prepared:
    """A mutation decoded once, before any decision."""

    mutation: Mutation
    spec: EntitySpec | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    base: dict[str, Any] = field(default_factory=dict)
    error: _Rejected | None = None


_NORMALISED: dict[str, tuple[str, ...]] = {"person": ("nhs_number",), "property": ("postcode",)}
"""Fields the shared rules normalise, decoded as entered rather than by column length."""


def _prepare(mutation: Mutation) -> _Prepared:
    spec = BY_NAME.get(mutation.entity)
    prepared = _Prepared(mutation, spec)
    if spec is None:
        prepared.error = _reject(
            "validation", "entity", f"'{mutation.entity}' is not an entity that syncs."
        )
        return prepared
    raw = dict(mutation.fields)
    if raw.get("id") in (str(mutation.id), mutation.id):
        del raw["id"]  # some clients echo the id among the fields
    # Typed as entered (an NHS number with spaces, a postcode in lower case): the shared
    # rules normalise these, so the column's length applies only to the normalised value.
    entered = {n: raw.pop(n) for n in _NORMALISED.get(spec.name, ()) if n in raw}
    errors: list[v.ValidationError] = []
    for name, value in entered.items():
        if value is not None and not isinstance(value, str):
            errors.append(v.ValidationError(name, "must be text."))
    try:
        prepared.fields = {**codec.decode(spec.model, raw), **entered}
    except v.RecordInvalid as invalid:
        errors += invalid.errors
    try:
        prepared.base = codec.decode(spec.model, mutation.base)
    except v.RecordInvalid as invalid:
        errors += [v.ValidationError(f"base.{i.field}", i.message) for i in invalid.errors]
    if errors:
        prepared.error = _invalid(v.RecordInvalid(errors))
    return prepared


class _Undo:
    """Undo log for the in-memory state, so a rejected mutation leaves no trace in it."""

    def __init__(self) -> None:
        self.entries: list[tuple[dict[Any, Any], Any, Any]] = []

    def set(self, mapping: dict[Any, Any], key: Any, value: Any) -> None:
        self.entries.append((mapping, key, mapping.get(key, _MISSING)))
        mapping[key] = value

    def mark(self) -> int:
        return len(self.entries)

    def rollback(self, mark: int) -> None:
        while len(self.entries) > mark:
            mapping, key, old = self.entries.pop()
            if old is _MISSING:
                mapping.pop(key, None)
            else:
                mapping[key] = old


class _Batch:
    """Decides and writes one batch's new mutations for one principal."""

    def __init__(
        self,
        session: Session,
        principal: Principal,
        settings: Settings,
        client_id: uuid.UUID,
        prepared: list[_Prepared],
    ) -> None:
        self.session = session
        self.principal = principal
        self.settings = settings
        self.client_id = client_id
        self.prepared = prepared
        self.now = utcnow()
        self.today = self.now.date()
        self.pristine_rows: dict[str, dict[uuid.UUID, dict[str, Any]]] = {}
        self.pristine_facts = Facts()
        self.rows: dict[str, dict[uuid.UUID, dict[str, Any]]] = {}
        self.facts = Facts()
        self.undo = _Undo()

    # -- loading ----------------------------------------------------------------------------

    def load(self, *, lock: bool) -> None:
        """Load every target row (one query per entity), then the facts for access.

        Without ``lock`` nothing is locked: the batch is decided on what was read, and its
        updates apply only to rows still at the version read (``write_updates``). With
        ``lock`` the rows stay as read until the transaction ends.
        """
        wanted: dict[str, set[uuid.UUID]] = {}
        for item in self.prepared:
            if item.spec is not None and item.error is None:
                wanted.setdefault(item.spec.name, set()).add(item.mutation.id)
        session = self.session
        connection, postgres = session.connection(), is_postgres(session)
        for name in sorted(wanted, key=_ORDER.__getitem__):
            rows = connection.execute(
                _load_query(name, postgres, lock), {"ids": list(wanted[name])}
            )
            self.pristine_rows[name] = {row["id"]: dict(row) for row in rows.mappings()}
        prospective: dict[str, list[Mapping[str, Any]]] = {}
        for name, found in self.pristine_rows.items():
            prospective.setdefault(name, []).extend(found.values())
        for item in self.prepared:
            if item.spec is not None and item.error is None and item.mutation.op == "create":
                prospective.setdefault(item.spec.name, []).append(item.fields)
        reassigned = {
            item.mutation.id
            for item in self.prepared
            if item.spec is not None
            and item.spec.name == "case"
            and any(name in item.fields for name in access.REASSIGNING_FIELDS)
        }
        self.pristine_facts = access.facts_for_rows(
            session, self.principal, prospective, reassigned=reassigned
        )

    def reset(self) -> None:
        """Start deciding from the loaded state again (row dicts are never changed in place)."""
        self.rows = {name: dict(found) for name, found in self.pristine_rows.items()}
        self.facts = Facts(
            cases=dict(self.pristine_facts.cases),
            sealed=dict(self.pristine_facts.sealed),
            user_teams=self.pristine_facts.user_teams,
            allocated=dict(self.pristine_facts.allocated),
        )
        self.undo = _Undo()

    # -- running ----------------------------------------------------------------------------

    def run(self, *, careful: bool) -> tuple[list[MutationResult], _Effects]:
        """Decide every mutation; write rows per mutation (careful) or for the whole batch."""
        self.reset()
        results: list[MutationResult] = []
        total = _Effects()
        for item in self.prepared:
            mark = self.undo.mark()
            effects = _Effects()
            try:
                result = self.decide(item, effects)
            except _Rejected as rejected:
                self.undo.rollback(mark)
                effects = _Effects()
                result = _rejected(item.mutation, rejected)
            if careful and effects.writes_rows:
                try:
                    with self.session.begin_nested():
                        self.write_rows(effects)
                except DBAPIError as error:
                    if is_retryable(error):
                        raise
                    self.undo.rollback(mark)
                    effects = _Effects()
                    result = _rejected(item.mutation, _database_rejection(error, item.spec))
            total.extend(effects)
            results.append(result)
        if not careful:
            self.write_rows(total, updates=False)
        return results, total

    def write_rows(self, effects: _Effects, *, updates: bool = True) -> None:
        """Inserts in foreign-key order, then conflicts, then (``updates``) the updates."""
        connection = self.session.connection()
        inserts: dict[str, list[dict[str, Any]]] = {}
        for spec, row in effects.inserts:
            inserts.setdefault(spec.name, []).append(row)
        for name in sorted(inserts, key=_ORDER.__getitem__):
            insert_rows(connection, _shape(BY_NAME[name]).table, inserts[name])
        if effects.conflicts:
            insert_rows(connection, _CONFLICTS, effects.conflicts)
        if updates:
            self.write_updates(effects, conditional=False)

    def write_updates(self, effects: _Effects, *, conditional: bool) -> None:
        """Updates grouped by shape, in entity then id order (so batches lock alike: see
        ``update_rows`` on the order its statement locks rows in; a deadlock is retried).

        ``conditional``: each applies only if the row is still at the version the batch
        read; raises _Moved if any is not (another batch changed it meanwhile).
        """
        connection = self.session.connection()
        # A record changed by several mutations of the batch is updated once per round, in
        # the order of its versions, whatever columns each update sets.
        rounds: dict[tuple[str, uuid.UUID], int] = {}
        updates: dict[tuple[int, str, tuple[str, ...]], list[dict[str, Any]]] = {}
        for spec, record_id, values in effects.updates:
            turn = rounds[(spec.name, record_id)] = rounds.get((spec.name, record_id), -1) + 1
            key = (turn, spec.name, tuple(sorted(values)))
            seen = {"_seen": values["version"] - 1} if conditional else {}
            updates.setdefault(key, []).append({"_id": record_id, **seen, **values})
        for (_turn, name, _columns), params in sorted(
            updates.items(), key=lambda i: (i[0][0], _ORDER[i[0][1]])
        ):
            params.sort(key=lambda p: p["_id"])
            table = _shape(BY_NAME[name]).table
            done = update_rows(connection, table, params, conditional=conditional)
            if conditional and done != len(params):
                raise _Moved

    def finish(self, effects: _Effects) -> None:
        """Touches for scope changes, audit events and the change log, written together."""
        session = self.session
        tenant = self.principal.tenant_id
        logs = list(effects.logs)
        if effects.touch_cases:
            # A case written here whose readers change is announced to every reader (the
            # ones losing its detail get its summary), and is not touched a second time.
            written = {record_id for name, record_id, _, _ in logs if name == "case"}
            logs = [
                (name, record_id, version, access.Audience(case_id=record_id))
                if name == "case" and record_id in effects.touch_cases
                else (name, record_id, version, audience)
                for name, record_id, version, audience in logs
            ]
        if effects.touch_persons:
            logs += touch_persons(session, tenant, effects.touch_persons, self.now)
        if effects.touch_cases:
            logs += touch_cases(
                session, tenant, effects.touch_cases, self.now, skip_case_rows=written
            )
        if effects.audits:
            insert_rows(session.connection(), _shape(BY_NAME["audit_event"]).table, effects.audits)
        # Parents first, so a page of the feed never names a record before the one it needs.
        logs.sort(key=lambda entry: _ORDER.get(entry[0], len(_ORDER)))
        log_entries(session, tenant, logs)

    def write_all(
        self, high: int, *, optimistic: bool, careful: bool = False
    ) -> dict[int, MutationResult]:
        """Decide the batch and write it all: rows, feed, answers and the client's last id.

        ``optimistic`` writes the updates last and only to rows still as read (_Moved if
        not); ``careful`` writes each mutation's rows in a savepoint of its own.
        """
        results, effects = self.run(careful=careful)
        # Touches bump versions of records this batch may update too: the updates go first
        # then (rare: only when a batch changes who may read something), else last.
        touching = bool(effects.touch_cases or effects.touch_persons)
        if touching and not careful:
            self.write_updates(effects, conditional=optimistic)
        self.finish(effects)
        session = self.session
        insert_rows(
            session.connection(),
            _RESULTS,
            [
                {
                    "client_id": self.client_id,
                    "mutation_id": result.mutation_id,
                    "result": result.model_dump(mode="json"),
                    "at": self.now,
                }
                for result in results
            ],
        )
        session.connection().execute(
            _ADVANCE_CLIENT, {"client": self.client_id, "high": high, "now": self.now}
        )
        if not touching and not careful:
            self.write_updates(effects, conditional=optimistic)
        return {result.mutation_id: result for result in results}

    # -- deciding ---------------------------------------------------------------------------

    def decide(self, item: _Prepared, effects: _Effects) -> MutationResult:
        """The answer to one mutation; its writes go into ``effects``. Raises _Rejected."""
        if item.error is not None:
            raise item.error
        spec = item.spec
        assert spec is not None
        mutation = item.mutation
        current = self.rows.get(spec.name, {}).get(mutation.id)
        if current is not None and current["tenant_id"] != self.principal.tenant_id:
            # Another council's record: not theirs to know about, even by a clashing id.
            raise _reject("not_found", "id", "No such record is available to you.")
        if mutation.op == "create":
            return self.create(item, spec, current, effects)
        if current is None:
            raise _reject("not_found", "id", "No such record is available to you.")
        if mutation.op == "update":
            return self.update(item, spec, current, effects)
        if mutation.op == "delete":
            return self.delete(item, spec, current, effects)
        return self.transition(item, spec, current, effects)

    def _check(
        self,
        spec: EntitySpec,
        op: Literal["create", "update", "delete", "transition"],
        record: Mapping[str, Any],
        fields: Mapping[str, Any],
    ) -> None:
        denial = access.check_write(self.principal, spec, op, record, fields, self.facts)
        if denial is not None:
            raise _Rejected(denial.code, denial.errors)

    def create(
        self,
        item: _Prepared,
        spec: EntitySpec,
        current: dict[str, Any] | None,
        effects: _Effects,
    ) -> MutationResult:
        mutation, fields = item.mutation, dict(item.fields)
        principal = self.principal
        not_settable = sorted(set(fields) - spec.creatable)
        if not_settable:
            raise _Rejected(
                "validation",
                [FieldError(field=n, message="cannot be set by a client.") for n in not_settable],
            )
        if current is not None:
            if spec.append_only:
                # Insert-if-absent: the retry of a create whose answer was lost.
                self._check(spec, "create", current, fields)
                return _result(mutation, "applied", current["version"])
            if all(current.get(name) == value for name, value in fields.items()):
                self._check(spec, "update", current, {})
                return _result(mutation, "applied", current["version"])
            # The same id with other content: nothing is known of a base, so every field that
            # differs is a conflict for a person to settle; nothing is overwritten.
            return self._merge(item, spec, current, fields, {}, effects, stale=True)
        shape = _shape(spec)
        record: dict[str, Any] = dict(shape.static)
        for name, make in shape.dynamic.items():
            record[name] = make(None)
        record.update(fields)
        self._fill_actor(spec, record, fields)
        missing = sorted(n for n in shape.required if record.get(n) is None)
        if missing:
            raise _Rejected(
                "validation", [FieldError(field=n, message="is required.") for n in missing]
            )
        record.update(
            id=mutation.id,
            tenant_id=principal.tenant_id,
            version=1,
            updated_at=self.now,
            deleted=False,
        )
        self._check(spec, "create", record, fields)
        record.update(self._validate(spec, record, set(fields), creating=True))
        effects.inserts.append((spec, record))
        if spec.pulled:
            effects.logs.append(
                (spec.name, mutation.id, 1, access.entry_audience(spec, record, changed=None))
            )
            effects.audits.append(self._audit("create", spec, mutation))
        self._remember(spec, None, record, effects)
        return _result(mutation, "applied", 1)

    def _fill_actor(
        self, spec: EntitySpec, record: dict[str, Any], fields: Mapping[str, Any]
    ) -> None:
        """Who did it, where the client left it out: always the principal."""
        principal = self.principal
        if spec.name == "note" and fields.get("author_id") is None:
            record["author_id"] = principal.user_id
        elif spec.name == "warning_marker":
            if fields.get("proposed_by_id") is None:
                record["proposed_by_id"] = principal.user_id
            if record.get("status") == e.MarkerStatus.APPROVED and access.is_lead(principal):
                record["approved_by_id"] = record.get("approved_by_id") or principal.user_id
                record["approved_at"] = record.get("approved_at") or self.now
        elif spec.name == "audit_event":
            if fields.get("user_id") is None:
                record["user_id"] = principal.user_id
            if fields.get("device_id") is None:
                record["device_id"] = principal.device_id

    def update(
        self, item: _Prepared, spec: EntitySpec, current: dict[str, Any], effects: _Effects
    ) -> MutationResult:
        fields = item.fields
        allowed = spec.editable | spec.lead_only
        refused = sorted(set(fields) - allowed)
        if refused:
            raise _Rejected(
                "validation",
                [
                    FieldError(
                        field=n,
                        message=(
                            "changes only by a transition."
                            if n == spec.workflow_field
                            else "cannot be changed by a client."
                        ),
                    )
                    for n in refused
                ],
            )
        stale = item.mutation.base_version != current["version"]
        return self._merge(item, spec, current, fields, item.base, effects, stale=stale)

    def _merge(
        self,
        item: _Prepared,
        spec: EntitySpec,
        current: dict[str, Any],
        fields: Mapping[str, Any],
        base: Mapping[str, Any],
        effects: _Effects,
        *,
        stale: bool,
        extra: Mapping[str, Any] | None = None,
        action: str = "update",
    ) -> MutationResult:
        """Three-way merge ``fields`` into the current row; ``extra`` is applied unmerged."""
        mutation = item.mutation
        self._check(spec, "update" if action == "update" else "transition", current, fields)
        if current["deleted"]:
            return self._edit_after_delete(item, spec, current, fields, base, effects)
        mine = self._validate(spec, {**current, **fields}, set(fields), creating=False)
        if stale:
            merge = three_way(current, base, mine)
            apply, conflicts, unchanged = merge.apply, merge.conflicts, merge.unchanged
        else:
            apply = {n: value for n, value in mine.items() if current.get(n) != value}
            conflicts, unchanged = {}, {n for n in mine if n not in apply}
        apply = {**apply, **(extra or {}), **self._stamped(spec, current, apply)}
        if conflicts and apply:
            # What is applied must stand on its own beside the values kept.
            self._validate(spec, {**current, **apply}, set(apply), creating=False)
        version = current["version"]
        if apply:
            version = self._write_update(spec, current, apply, effects, action, mutation)
        stored = self._conflicts(item, spec, current, conflicts, effects)
        outcome: Outcome
        if stored:
            outcome = "conflict"
        elif stale or unchanged:
            outcome = "merged"
        else:
            outcome = "applied"
        return _result(mutation, outcome, version, stored)

    def _stamped(
        self, spec: EntitySpec, current: Mapping[str, Any], apply: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Fields the platform sets with a change: who approved a marker, and when."""
        if (
            spec.name == "warning_marker"
            and apply.get("status") == e.MarkerStatus.APPROVED
            and current["status"] != e.MarkerStatus.APPROVED
        ):
            return {
                "approved_by_id": apply.get("approved_by_id") or self.principal.user_id,
                "approved_at": apply.get("approved_at") or self.now,
            }
        return {}

    def _write_update(
        self,
        spec: EntitySpec,
        current: dict[str, Any],
        apply: dict[str, Any],
        effects: _Effects,
        action: str,
        mutation: Mutation,
    ) -> int:
        version = int(current["version"]) + 1
        values = {**apply, "version": version, "updated_at": self.now}
        effects.updates.append((spec, current["id"], values))
        audience = access.entry_audience(spec, current, changed=apply)
        effects.logs.append((spec.name, current["id"], version, audience))
        effects.audits.append(self._audit(action, spec, mutation))
        self._remember(spec, current, {**current, **values}, effects)
        return version

    def _edit_after_delete(
        self,
        item: _Prepared,
        spec: EntitySpec,
        current: dict[str, Any],
        fields: Mapping[str, Any],
        base: Mapping[str, Any],
        effects: _Effects,
    ) -> MutationResult:
        """An edit of a record deleted meanwhile: kept whole in conflicts, nothing applied."""
        conflicts: dict[str, tuple[Any, Any, Any]] = {"deleted": (False, False, True)}
        for name, value in fields.items():
            conflicts[name] = (base.get(name), value, current.get(name))
        stored = self._conflicts(item, spec, current, conflicts, effects)
        return _result(item.mutation, "conflict", current["version"], stored)

    def delete(
        self, item: _Prepared, spec: EntitySpec, current: dict[str, Any], effects: _Effects
    ) -> MutationResult:
        mutation = item.mutation
        self._check(spec, "delete", current, {})
        if current["deleted"]:
            return _result(mutation, "merged", current["version"])
        changed = mutation.base_version != current["version"]
        if changed and item.base:
            # A version moved only by a scope touch (or by edits since undone) is no change.
            changed = any(current.get(n) != value for n, value in item.base.items())
        if changed:
            # Delete vs edit: the record stays, and a person decides.
            stored = self._conflicts(
                item, spec, current, {"deleted": (False, True, False)}, effects
            )
            return _result(mutation, "conflict", current["version"], stored)
        version = self._write_update(spec, current, {"deleted": True}, effects, "delete", mutation)
        return _result(mutation, "applied", version)

    def transition(
        self, item: _Prepared, spec: EntitySpec, current: dict[str, Any], effects: _Effects
    ) -> MutationResult:
        mutation = item.mutation
        flow = spec.workflow_field
        if flow is None:
            raise _reject("validation", "op", f"A {spec.name} has no workflow to move through.")
        to_status, from_status = item.fields.get(flow), item.base.get(flow)
        errors = []
        if not isinstance(to_status, str):
            errors.append(
                FieldError(field=flow, message="A transition names the status it moves to.")
            )
        if not isinstance(from_status, str):
            errors.append(
                FieldError(field=f"base.{flow}", message="A transition names the status it leaves.")
            )
        others = {n: value for n, value in item.fields.items() if n != flow}
        refused = sorted(set(others) - spec.editable)
        errors += [FieldError(field=n, message="cannot be changed by a client.") for n in refused]
        if errors:
            raise _Rejected("validation", errors)
        assert isinstance(to_status, str)
        assert isinstance(from_status, str)
        self._check(spec, "transition", current, item.fields)
        if current["deleted"]:
            return self._edit_after_delete(item, spec, current, item.fields, item.base, effects)
        try:
            verdict = transition_verdict(
                current["case_type"], current[flow], from_status, to_status
            )
        except v.ValidationError as error:
            raise _Rejected(
                "illegal_transition", [FieldError(field=error.field, message=error.message)]
            ) from None
        stale = mutation.base_version != current["version"]
        if verdict == "conflict":
            # Two different next steps from one state: the first stands, this one is kept
            # with its other fields for a person to decide.
            conflicts: dict[str, tuple[Any, Any, Any]] = {
                flow: (from_status, to_status, current[flow])
            }
            for name, value in others.items():
                if current.get(name) != value:
                    conflicts[name] = (item.base.get(name), value, current.get(name))
            stored = self._conflicts(item, spec, current, conflicts, effects)
            return _result(mutation, "conflict", current["version"], stored)
        if verdict == "already":
            if not others:
                return _result(mutation, "merged", current["version"])
            result = self._merge(item, spec, current, others, item.base, effects, stale=True)
            return result if result.outcome == "conflict" else _with_outcome(result, "merged")
        extra: dict[str, Any] = {flow: to_status, "status_changed_at": mutation.at}
        if to_status == CLOSED:
            extra["closed_at"] = others.get("closed_at") or current.get("closed_at") or mutation.at
            reason = others.get("closure_reason", current.get("closure_reason"))
            try:
                v.validate_case_closure(reason, self._open_task_titles(current["id"]))
            except v.RecordInvalid as invalid:
                raise _invalid(invalid) from None
        result = self._merge(
            item,
            spec,
            current,
            others,
            item.base,
            effects,
            stale=stale,
            extra=extra,
            action="transition",
        )
        # The move itself was decided against the current status, so it counts as applied.
        if result.outcome == "merged":
            return _with_outcome(result, "applied")
        return result

    def _open_task_titles(self, case_id: uuid.UUID) -> list[str]:
        """Open tasks of a case, as stored and as this batch has changed them so far."""
        table = _shape(BY_NAME["task"]).table
        tasks = {
            row.id: (row.title, row.status, row.deleted)
            for row in self.session.execute(
                select(table.c.id, table.c.title, table.c.status, table.c.deleted).where(
                    table.c.tenant_id == self.principal.tenant_id, table.c.case_id == case_id
                )
            )
        }
        for task_id, row in self.rows.get("task", {}).items():
            if row["case_id"] == case_id:
                tasks[task_id] = (row["title"], row["status"], row["deleted"])
        return sorted(
            title
            for title, status, deleted in tasks.values()
            if status == e.TaskStatus.OPEN and not deleted
        )

    def _conflicts(
        self,
        item: _Prepared,
        spec: EntitySpec,
        current: Mapping[str, Any],
        conflicts: Mapping[str, tuple[Any, Any, Any]],
        effects: _Effects,
    ) -> list[FieldConflict]:
        """Store each conflicting field with base, mine and theirs, and log it for the feed."""
        stored = []
        owner = self._owning_team(spec, current)
        for name, (base, mine, theirs) in sorted(conflicts.items()):
            conflict_id = uuid.uuid4()
            values = {
                "base": codec.encode(spec.model, {name: base})[name],
                "mine": codec.encode(spec.model, {name: mine})[name],
                "theirs": codec.encode(spec.model, {name: theirs})[name],
            }
            effects.conflicts.append(
                {
                    "id": conflict_id,
                    "tenant_id": self.principal.tenant_id,
                    "entity": spec.name,
                    "record_id": current["id"],
                    "field": name,
                    "base_value": values["base"],
                    "mine_value": values["mine"],
                    "theirs_value": values["theirs"],
                    "client_id": self.client_id,
                    "mutation_id": item.mutation.mutation_id,
                    "user_id": self.principal.user_id,
                    "owning_team_id": owner,
                    "created_at": self.now,
                    "resolved_at": None,
                    "resolved_by_id": None,
                    "resolution": None,
                    "version": 1,
                }
            )
            effects.logs.append(
                ("conflict", conflict_id, 1, access.conflict_audience(effects.conflicts[-1]))
            )
            stored.append(FieldConflict(conflict_id=conflict_id, field=name, **values))
        return stored

    def _owning_team(self, spec: EntitySpec, row: Mapping[str, Any]) -> uuid.UUID | None:
        """The team whose leads see a conflict: the case's owner, else the author's team."""
        if spec.name == "case":
            owner: uuid.UUID | None = row.get("owning_team_id")
            return owner
        if spec.case_field is not None:
            case = self.facts.cases.get(row[spec.case_field])
            if case is not None:
                return case.owning_team_id
        return self.principal.team_id

    def _audit(self, action: str, spec: EntitySpec, mutation: Mutation) -> dict[str, Any]:
        return {
            "id": uuid.uuid4(),
            "tenant_id": self.principal.tenant_id,
            "version": 1,
            "updated_at": self.now,
            "deleted": False,
            "user_id": self.principal.user_id,
            "device_id": self.principal.device_id,
            "action": action,
            "entity": spec.name,
            "entity_id": mutation.id,
            "at": mutation.at,
        }

    def _remember(
        self,
        spec: EntitySpec,
        before: Mapping[str, Any] | None,
        after: dict[str, Any],
        effects: _Effects,
    ) -> None:
        """Keep the batch's view current, and note changes that move records between scopes."""
        undo, facts = self.undo, self.facts
        undo.set(self.rows.setdefault(spec.name, {}), after["id"], after)
        name = spec.name
        if name == "person":
            undo.set(facts.sealed, after["id"], bool(after["sealed"]))
            if before is not None and before["sealed"] != after["sealed"]:
                effects.touch_persons.add(after["id"])
                for case_id, case in list(facts.cases.items()):
                    if case.subject_person_id == after["id"]:
                        undo.set(
                            facts.cases, case_id, replace(case, subject_sealed=after["sealed"])
                        )
        elif name == "case":
            old = facts.cases.get(after["id"])
            undo.set(
                facts.cases,
                after["id"],
                CaseFacts(
                    id=after["id"],
                    owning_team_id=after["owning_team_id"],
                    officer_id=after["officer_id"],
                    service=after["service"],
                    subject_person_id=after["subject_person_id"],
                    subject_sealed=facts.person_sealed(after["subject_person_id"]),
                    referred_team_ids=old.referred_team_ids if old else frozenset(),
                    deleted=bool(after["deleted"]),
                    referral_date=after["referral_date"],
                ),
            )
            if before is not None and (
                before["owning_team_id"] != after["owning_team_id"]
                or before["officer_id"] != after["officer_id"]
            ):
                effects.touch_cases.add(after["id"])
        elif name == "allocation":
            # A reassignment later in the batch is checked against this record.
            undo.set(
                facts.allocated, after["case_id"], (after["to_officer_id"], after["to_team_id"])
            )
        elif name == "referral" and after["case_id"] is not None:
            moved = before is None or any(
                before[n] != after[n] for n in ("status", "to_team_id", "deleted")
            )
            referred = facts.cases.get(after["case_id"])
            if moved and referred is not None and after["to_team_id"] is not None:
                teams = set(referred.referred_team_ids)
                if after["status"] in access.DETAIL_REFERRAL_STATUSES and not after["deleted"]:
                    teams.add(after["to_team_id"])
                else:
                    teams.discard(after["to_team_id"])
                undo.set(
                    facts.cases,
                    referred.id,
                    replace(referred, referred_team_ids=frozenset(teams)),
                )
                effects.touch_cases.add(referred.id)

    # -- validation -------------------------------------------------------------------------

    def _validate(
        self, spec: EntitySpec, state: Mapping[str, Any], changed: set[str], *, creating: bool
    ) -> dict[str, Any]:
        """The changed fields, normalised by the shared rules; raises _Rejected('validation').

        Rules run on the whole record as it would be, and report errors only for the fields
        the mutation changes (and the rules those fields take part in): a record loaded long
        ago under older rules can still be edited elsewhere.
        """
        # The task rule needs its case's referral date, which the batch's facts already hold.
        case_id = state.get(spec.case_field) if spec.case_field is not None else None
        case = self.facts.cases.get(case_id) if case_id is not None else None
        context = RuleContext(
            today=self.today,
            allow_test=self.settings.demo_mode,
            referral_date=case.referral_date if case is not None else None,
        )
        try:
            return check_record(spec.name, state, changed, creating=creating, context=context)
        except v.RecordInvalid as invalid:
            raise _invalid(invalid) from None


# --- Answers -----------------------------------------------------------------------------


def _result(
    mutation: Mutation,
    outcome: Outcome,
    version: int | None,
    conflicts: list[FieldConflict] | None = None,
) -> MutationResult:
    return MutationResult(
        mutation_id=mutation.mutation_id,
        outcome=outcome,
        version=version,
        conflicts=conflicts or [],
    )


def _with_outcome(result: MutationResult, outcome: Outcome) -> MutationResult:
    return result.model_copy(update={"outcome": outcome})


def _rejected(mutation: Mutation, rejected: _Rejected) -> MutationResult:
    return MutationResult(
        mutation_id=mutation.mutation_id,
        outcome="rejected",
        errors=rejected.errors,
        code=rejected.code,
    )


def _database_rejection(error: DBAPIError, spec: EntitySpec | None) -> _Rejected:
    """A refused write as field errors: a foreign key names the column that points nowhere."""
    diag = getattr(error.orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None) or ""
    if spec is not None and constraint.startswith("fk_"):
        table = _shape(spec).table
        rest = constraint.removeprefix(f"fk_{table.name}_")
        for column in sorted(table.columns.keys(), key=len, reverse=True):
            if rest.startswith(f"{column}_"):
                return _reject("validation", column, "refers to a record that does not exist.")
    if "FOREIGN KEY" in str(error.orig).upper():
        return _reject("validation", "id", "refers to a record that does not exist.")
    return _reject("rejected", "id", "could not be saved.")


_OUT_OF_ORDER = _Rejected(
    "out_of_order",
    [
        FieldError(
            field="mutation_id",
            message="is at or below the last mutation id applied for this client; "
            "mutation ids must increase.",
        )
    ],
)


# --- The entry point ---------------------------------------------------------------------


def _lock_client(session: Session, principal: Principal, client_id: uuid.UUID) -> int:
    """Lock the client's row (creating it bound to this device); its last mutation id."""
    connection, params = session.connection(), {"client": client_id}
    row = connection.execute(_LOCK_CLIENT, params).one_or_none()
    if row is None:
        values = {
            "client_id": client_id,
            "tenant_id": principal.tenant_id,
            "device_id": principal.device_id,
            "last_mutation_id": 0,
            "updated_at": utcnow(),
        }
        maker = pg_insert if is_postgres(session) else sqlite_insert
        connection.execute(maker(_CLIENTS).values(values).on_conflict_do_nothing())
        row = connection.execute(_LOCK_CLIENT, params).one()
    if row.tenant_id != principal.tenant_id or row.device_id != principal.device_id:
        raise Problem(
            403,
            "client-device-mismatch",
            "This sync client belongs to another device.",
            "A client id is bound to the device that first pushed with it; "
            "make a new client id for this device.",
        )
    return int(row.last_mutation_id)


def _apply_fresh(
    session: Session,
    principal: Principal,
    settings: Settings,
    client_id: uuid.UUID,
    fresh: list[_Prepared],
    high: int,
) -> dict[int, MutationResult]:
    """Decide and write the new mutations; their answers by mutation id.

    First optimistically: rows read without locks, every write but the updates, then the
    updates, each only if its row is still at the version read. Edited rows are so locked
    only from the updates to the commit, not while the batch is read and decided. If a row
    moved meanwhile (or a write fails), all of that is rolled back and the batch is decided
    again on rows locked as they are read; and if a write then fails, once more mutation by
    mutation, each in its own savepoint, so the failing mutation alone is rejected.
    """
    batch = _Batch(session, principal, settings, client_id, fresh)
    for _attempt in range(OPTIMISTIC_ATTEMPTS):
        batch.load(lock=False)
        try:
            with session.begin_nested():
                return batch.write_all(high, optimistic=True)
        except _Moved:
            continue
        except DBAPIError as error:
            if is_retryable(error):
                raise
            break
    batch.load(lock=True)
    try:
        with session.begin_nested():
            return batch.write_all(high, optimistic=False)
    except DBAPIError as error:
        if is_retryable(error):
            raise
    return batch.write_all(high, optimistic=False, careful=True)


def apply_push(
    session: Session, principal: Principal, request: PushRequest, settings: Settings
) -> PushResponse:
    """Apply a batch in the caller's transaction; retried batches apply nothing twice.

    Raises Problem 403 when the client id belongs to another device. Deadlocks and
    serialization failures propagate (``is_retryable``) for the caller to retry the batch.
    """
    last = _lock_client(session, principal, request.client_id)
    earlier = [m.mutation_id for m in request.mutations if m.mutation_id <= last]
    stored: dict[int, MutationResult] = {}
    if earlier:
        for mutation_id, result in session.execute(
            select(StoredResult.mutation_id, StoredResult.result).where(
                StoredResult.client_id == request.client_id,
                StoredResult.mutation_id.in_(earlier),
            )
        ):
            stored[mutation_id] = MutationResult.model_validate(result)
    fresh: list[_Prepared] = []
    high = last
    for mutation in request.mutations:
        if mutation.mutation_id > high:
            fresh.append(_prepare(mutation))
            high = mutation.mutation_id
    answers: dict[int, MutationResult] = {}
    if fresh:
        answers = _apply_fresh(session, principal, settings, request.client_id, fresh, high)
    out = []
    for mutation in request.mutations:
        answer = answers.get(mutation.mutation_id) or stored.get(mutation.mutation_id)
        out.append(answer or _rejected(mutation, _OUT_OF_ORDER))
    return PushResponse(results=out, last_mutation_id=high)
