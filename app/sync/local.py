"""The laptop's half of sync without the network: push answers and pull pages applied locally."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from app.models import validation as v
from app.models.registry import BY_NAME, EntitySpec
from app.models.workflow import CLOSED
from app.store import search
from app.store.db import BULK_BEGIN, BULK_END, CACHE_KIB, Store
from app.store.rows import insert_plan, stored_time, to_parameters
from app.sync import codec, pulled
from app.sync.feed import FeedChange, FeedPage, from_response
from app.sync.graph import ORDER, SPEC_OF_TABLE, TABLE_OF_ENTITY, TABLES
from app.sync.outbox import count_outbox, read_outbox
from app.sync.protocol import (
    MAX_BATCH,
    FieldConflict,
    Mutation,
    MutationResult,
    PullResponse,
)
from app.sync.removal import (
    ALL_FIELDS,
    Ids,
    Waits,
    ancestors,
    chunks,
    delete_ids,
    has_pending,
    marks,
    orphans,
    owned_closure,
    park,
    pending_fields,
    purge,
    referrers_outside,
    remove,
    unpark_candidates,
)
from app.sync.state import (
    ConflictItem,
    Identity,
    RejectedItem,
    SyncState,
    SyncStateError,
    SyncStatus,
    ensure_state,
    read_conflicts,
    read_rejected,
    read_state,
    read_status,
    save_identity,
)
from app.sync.tables import (
    case_summary,
    local_conflict,
    outbox,
    pending_exit,
    rejected_mutation,
    sync_state,
)

# Each step is one local transaction. A pull page and its cursor are written together, so a
# crash at any point leaves either the whole page with its cursor or neither; push answers and
# the removal of their outbox entries are likewise written together, so an entry is never both
# gone and unanswered.

Clock = Callable[[], datetime]

BULK_PAGE = 1000
"""Pages at least this long use the store's large bulk-load page cache."""

_SUMMARY_COLUMNS = (
    "reference",
    "service",
    "case_type",
    "status",
    "owning_team_id",
    "subject_person_id",
    "updated_at",
)


class ResyncRequired(SyncStateError):
    """The platform's epoch changed (it was restored): call ``reset_for_resync`` and pull again."""


class PageRejected(Exception):
    """A pull page could not be applied; nothing of it was written and the cursor is unchanged."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ResultCounts:
    """What one batch of push answers did locally."""

    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    ignored: int = 0


@dataclass
class PageCounts:
    """What one pull page did locally."""

    upserted: int = 0
    summaries: int = 0
    tombstones: int = 0
    exits: int = 0
    conflicts: int = 0
    deferred: int = 0
    parked: int = 0
    unparked: int = 0
    swept: int = 0
    ignored: int = 0
    removed: dict[str, int] = field(default_factory=dict)

    def add(self, other: PageCounts) -> None:
        """Add another page's counts to these."""
        for name in (
            "upserted",
            "summaries",
            "tombstones",
            "exits",
            "conflicts",
            "deferred",
            "parked",
            "unparked",
            "swept",
            "ignored",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for table, count in other.removed.items():
            self.removed[table] = self.removed.get(table, 0) + count


def _hex(value: uuid.UUID) -> str:
    return value.hex


def _pending_of_record(connection: Connection, entity: str, record_id: uuid.UUID) -> set[str]:
    """Fields still pending in the outbox for one record ("*" for an unpushed create)."""
    names: set[str] = set()
    for op, fields in connection.execute(
        select(outbox.c.op, outbox.c.fields).where(
            outbox.c.entity == entity, outbox.c.record_id == record_id
        )
    ):
        names.update(fields)
        if op == "delete":
            names.add("deleted")
        elif op == "create":
            names.update(ALL_FIELDS)
        elif op == "transition":
            names.update({"status_changed_at", "closed_at"})
    return names


class LocalSync:
    """Sync state, push answers and pull pages for one store (the engine's local half)."""

    def __init__(self, store: Store, *, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._state_made = False

    def _ensure_state(self) -> None:
        """Make the sync_state row once; afterwards status reads never take the write lock,
        so the UI can poll them while a sync holds it."""
        if not self._state_made:
            with self.store.write_transaction() as connection:
                ensure_state(connection)
            self._state_made = True

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self.store.write_transaction() as connection:
            # Rows may arrive child first (the feed serves a record at its latest change, which
            # can come after its children's); foreign keys are checked at commit, after any
            # row still missing its parent has been parked.
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            yield connection

    # --- identity and status ----------------------------------------------------------------

    def state(self) -> SyncState:
        """The sync_state row (made, with a new client id, on first use)."""
        self._ensure_state()
        with self.store.engine.connect() as connection:
            return read_state(connection)

    def set_identity(self, identity: Identity) -> None:
        """Record who signed in (after ``POST /auth/token``)."""
        with self.store.write_transaction() as connection:
            save_identity(connection, identity)

    def status(self) -> SyncStatus:
        """Counts for ``doorstep status`` and the sync indicator."""
        self._ensure_state()
        with self.store.engine.connect() as connection:
            return read_status(connection)

    def pending_count(self) -> int:
        """How many changes wait to be pushed (one count, for the push loop)."""
        with self.store.engine.connect() as connection:
            return count_outbox(connection)

    def conflicts(self, *, open_only: bool = True) -> list[ConflictItem]:
        """Conflicts for the conflicts screen."""
        with self.store.engine.connect() as connection:
            return read_conflicts(connection, open_only=open_only)

    def rejected(self, *, include_dismissed: bool = False) -> list[RejectedItem]:
        """Rejected changes with their field errors."""
        with self.store.engine.connect() as connection:
            return read_rejected(connection, include_dismissed=include_dismissed)

    def dismiss_rejected(self, mutation_id: int) -> None:
        """Hide a rejected change from the list once the officer has dealt with it."""
        with self.store.write_transaction() as connection:
            connection.execute(
                update(rejected_mutation)
                .where(rejected_mutation.c.mutation_id == mutation_id)
                .values(dismissed_at=self.clock())
            )

    # --- push -------------------------------------------------------------------------------

    def pending_mutations(self, limit: int = MAX_BATCH) -> list[Mutation]:
        """The next batch to push: the oldest outbox entries, in order."""
        with self.store.engine.connect() as connection:
            return read_outbox(connection, limit)

    def record_attempt(self, mutation_ids: Iterable[int]) -> None:
        """Count a push attempt for these entries (shown when an entry keeps failing)."""
        ids = list(mutation_ids)
        if not ids:
            return
        with self.store.write_transaction() as connection:
            connection.execute(
                update(outbox)
                .where(outbox.c.mutation_id.in_(ids))
                .values(attempts=outbox.c.attempts + 1)
            )

    def apply_results(self, results: Iterable[MutationResult]) -> ResultCounts:
        """Apply the platform's answers to a push, in one transaction.

        applied/merged: the entry leaves the outbox. conflict: each field's conflict is kept
        for the conflicts screen and the record takes the platform's value ("theirs"), which
        the platform kept. rejected: the entry moves to ``rejected_mutation`` with its errors
        and the record is put back as it was before the change. Answers for entries no longer
        in the outbox (a retried push) are ignored, so applying an answer twice is harmless.
        """
        counts = ResultCounts()
        with self._transaction() as connection:
            now = self.clock()
            ensure_state(connection)
            state = read_state(connection)
            acked = state.last_mutation_id_acked
            deleted: Ids = {}
            created_rejected: Ids = {}
            for result in results:
                row = (
                    connection.execute(
                        select(outbox).where(outbox.c.mutation_id == result.mutation_id)
                    )
                    .mappings()
                    .first()
                )
                if row is None:
                    counts.ignored += 1
                    continue
                connection.execute(delete(outbox).where(outbox.c.mutation_id == result.mutation_id))
                acked = max(acked, result.mutation_id)
                spec = BY_NAME.get(row["entity"])
                if spec is None:
                    continue
                table = TABLES[spec.model.__tablename__]  # type: ignore[attr-defined]
                record_id: uuid.UUID = row["record_id"]
                if result.outcome in ("applied", "merged"):
                    if result.outcome == "applied":
                        counts.applied += 1
                    else:
                        counts.merged += 1
                    self._acknowledged(connection, spec, row, result)
                    if row["op"] == "delete":
                        deleted.setdefault(table.name, set()).add(record_id.hex)
                elif result.outcome == "conflict":
                    counts.conflicts += 1
                    self._store_conflicts(connection, state, row, result.conflicts, now)
                    if self._take_theirs(connection, spec, record_id, result.conflicts):
                        deleted.setdefault(table.name, set()).add(record_id.hex)
                else:
                    counts.rejected += 1
                    self._reject(connection, row, result, now)
                    if row["op"] == "create":
                        created_rejected.setdefault(table.name, set()).add(record_id.hex)
                    else:
                        self._undo(connection, spec, row)
            pending = pending_fields(connection)
            for name in sorted(deleted, key=ORDER.__getitem__, reverse=True):
                free = {i for i in deleted[name] if (name, i) not in pending}
                purge(connection, name, free, tombstones=True)
            # A create the platform refused leaves the laptop too, children first, unless a
            # later entry still needs it (that entry will be refused in turn and say why).
            for name in sorted(created_rejected, key=ORDER.__getitem__, reverse=True):
                free = {i for i in created_rejected[name] if (name, i) not in pending}
                purge(connection, name, free, tombstones=False)
            connection.execute(
                update(sync_state).where(sync_state.c.id == 1).values(last_mutation_id_acked=acked)
            )
            _settle_pending_exits(connection, pending, now)
        return counts

    def _acknowledged(
        self, connection: Connection, spec: EntitySpec, row: RowMapping, result: MutationResult
    ) -> None:
        table = TABLES[spec.model.__tablename__]  # type: ignore[attr-defined]
        if not spec.pulled:
            # Audit events only travel up: once the platform has one, the laptop needs it no
            # more (data minimisation).
            delete_ids(connection, table.name, [row["record_id"].hex])
            return
        # The returned version is adopted only when the platform applied this change on
        # exactly the version it was based on: then its row at the new version is this
        # laptop's row. Otherwise that version includes changes not pulled yet, and claiming
        # it would let the next edit skip the platform's three-way merge (it applies an edit
        # whose base version is current without comparing values). The pull brings the
        # authoritative row and version either way.
        if (
            result.outcome == "applied"
            and result.version is not None
            and result.version == row["base_version"] + 1
        ):
            connection.execute(
                update(table)
                .where(table.c.id == row["record_id"], table.c.version < result.version)
                .values(version=result.version)
            )

    def _store_conflicts(
        self,
        connection: Connection,
        state: SyncState,
        row: RowMapping,
        conflicts: list[FieldConflict],
        now: datetime,
    ) -> None:
        if not conflicts:
            return
        values = [
            {
                "conflict_id": item.conflict_id,
                "entity": row["entity"],
                "record_id": row["record_id"],
                "field": item.field,
                "base": item.base,
                "mine": item.mine,
                "theirs": item.theirs,
                "user_id": state.identity.user_id if state.identity else None,
                "client_id": state.client_id,
                "mutation_id": row["mutation_id"],
                "created_at": now,
                "version": 0,
            }
            for item in conflicts
        ]
        # The same conflict may already have come down the feed (push committed, answer
        # lost, pull, retried push): the feed's copy is the platform's and stays.
        connection.execute(sqlite_insert(local_conflict).on_conflict_do_nothing(), values)

    def _take_theirs(
        self,
        connection: Connection,
        spec: EntitySpec,
        record_id: uuid.UUID,
        conflicts: list[FieldConflict],
    ) -> bool:
        """Give the record the platform's value of each conflicting field; True if deleted.

        The platform kept its value and holds no pull change for this record to send (a
        conflict changes no row), so without this the laptop would show a value the platform
        does not have. A field a later outbox entry changes again keeps the local value: that
        entry carries this laptop's base and will meet the same conflict on the platform.
        """
        table = TABLES[spec.model.__tablename__]  # type: ignore[attr-defined]
        later = _pending_of_record(connection, spec.name, record_id)
        values: dict[str, Any] = {}
        for item in conflicts:
            if item.field in later or "*" in later or item.field not in table.c:
                continue
            try:
                values.update(codec.decode(spec.model, {item.field: item.theirs}))
            except v.RecordInvalid:
                continue  # not a value this column holds; the conflict still shows it
        if values:
            connection.execute(update(table).where(table.c.id == record_id).values(**values))
        return values.get("deleted") is True

    def _reject(
        self, connection: Connection, row: RowMapping, result: MutationResult, now: datetime
    ) -> None:
        connection.execute(
            sqlite_insert(rejected_mutation)
            .values(
                mutation_id=row["mutation_id"],
                entity=row["entity"],
                record_id=row["record_id"],
                op=row["op"],
                base_version=row["base_version"],
                fields=row["fields"],
                base=row["base"],
                errors=[error.model_dump() for error in result.errors],
                code=result.code,
                at=row["at"],
                rejected_at=now,
            )
            .on_conflict_do_nothing()
        )

    def _undo(self, connection: Connection, spec: EntitySpec, row: RowMapping) -> None:
        """Put back what a refused update, transition or delete changed on the record.

        The refused values stay in ``rejected_mutation`` for the officer to correct. Fields a
        later outbox entry changes again keep their local value.
        """
        table = TABLES[spec.model.__tablename__]  # type: ignore[attr-defined]
        later = _pending_of_record(connection, spec.name, row["record_id"])
        if "*" in later:
            return
        if row["op"] == "delete":
            restore: dict[str, Any] = {} if "deleted" in later else {"deleted": False}
        else:
            try:
                base = codec.decode(spec.model, row["base"])
            except v.RecordInvalid:
                return
            restore = {name: value for name, value in base.items() if name not in later}
        if restore:
            connection.execute(
                update(table).where(table.c.id == row["record_id"]).values(**restore)
            )

    # --- pull -------------------------------------------------------------------------------

    def apply_page(self, page: PullResponse | FeedPage) -> PageCounts:
        """Apply one page of the change feed and store its cursor, in one transaction.

        Raises ``ResyncRequired`` for a page of another epoch than the stored cursor's,
        ``SyncStateError`` before sign-in, and ``PageRejected`` for a page that cannot be
        applied (a value the model cannot hold, or a reference that cannot be satisfied);
        in every case nothing of the page is written and the cursor stays where it was.
        """
        return self.apply_pages([page])

    def apply_pages(self, pages: Sequence[PullResponse | FeedPage]) -> PageCounts:
        """Apply consecutive pages and the last one's cursor, all in one transaction.

        The same guarantee as ``apply_page`` (all of it or none of it, cursor included), at a
        lower cost per record: an initial sync that applies a few pages per transaction
        commits, and re-indexes search, a few times less often. Pages read with
        ``feed.read_page`` skip pydantic, which costs more than applying them.
        """
        total = PageCounts()
        if not pages:
            return total
        light = [page if isinstance(page, FeedPage) else from_response(page) for page in pages]
        bulk = sum(len(page.changes) for page in light) >= BULK_PAGE
        # The pages' change objects and the rows made from them are acyclic and freed by
        # reference counting, yet each counts towards the cyclic collector's thresholds; its
        # full sweeps of the heap would cost about a fifth of the apply time. Paused only for
        # the duration of this call.
        collecting = gc.isenabled()
        gc.disable()
        try:
            with self._transaction() as connection:
                try:
                    for statement in BULK_BEGIN if bulk else search.BULK_BEGIN:
                        connection.exec_driver_sql(statement)
                    for page in light:
                        total.add(_PageApplier(connection, self.clock(), page).run())
                    for statement in BULK_END if bulk else search.BULK_END:
                        connection.exec_driver_sql(statement)
                finally:
                    if bulk:
                        connection.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")
        except IntegrityError as error:
            # Parking leaves no row pointing nowhere, so this is a platform or store fault.
            raise PageRejected(
                "A pulled page could not be stored and was not applied; the sync position is "
                f"unchanged. ({error.orig})"
            ) from error
        finally:
            if collecting:
                gc.enable()
        return total

    def prune_closed_cases(self, keep_days: int) -> int:
        """Remove cases closed more than ``keep_days`` ago, with their detail; how many went.

        Data minimisation (``keep_closed_cases_days``): the platform keeps serving a closed
        case, so the laptop lets it go itself. Cases allocated to this user stay, and so does
        any case with changes still waiting in the outbox. A case that changes again on the
        platform comes back with the change.
        """
        with self._transaction() as connection:
            ensure_state(connection)
            state = read_state(connection)
            user = state.identity.user_id.hex if state.identity else ""
            now = self.clock()
            cutoff = stored_time(now - timedelta(days=keep_days))
            old = {
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT id FROM case_record WHERE status = ? AND closed_at < ? "
                    "AND (officer_id IS NULL OR officer_id != ?)",
                    (CLOSED, cutoff, user),
                )
            }
            pending = pending_fields(connection)
            old -= _blocked(connection, "case_record", old, pending)
            _leave(connection, "case_record", old, now)
            summaries = connection.exec_driver_sql(
                "DELETE FROM case_summary WHERE status = ? AND updated_at < ?", (CLOSED, cutoff)
            ).rowcount
        return len(old) + int(summaries)

    def reset_for_resync(self) -> None:
        """Start the feed again after the platform's epoch changed, keeping the outbox whole.

        Every record held now is marked; each one the new feed sends is unmarked, and when
        the feed has been read to its end the records still marked (the restored platform no
        longer has them, or no longer shows them to this user) are removed, unless they or
        something under them still wait in the outbox.
        """
        with self._transaction() as connection:
            connection.execute(
                update(sync_state)
                .where(sync_state.c.id == 1)
                .values(cursor=None, epoch=None, resyncing=True)
            )
            connection.exec_driver_sql("DELETE FROM resync_sweep")
            for name, spec in SPEC_OF_TABLE.items():
                if spec.pulled:
                    connection.exec_driver_sql(
                        f"INSERT INTO resync_sweep (tbl, id) SELECT '{name}', id FROM {name}"  # noqa: S608
                    )
            connection.exec_driver_sql(
                "INSERT INTO resync_sweep (tbl, id) SELECT 'case_summary', id FROM case_summary"
            )
            # Parked rows came from the old feed; the new one sends again whatever still exists.
            connection.exec_driver_sql("DELETE FROM parked_change")


# --- Leaving the user's scope ------------------------------------------------------------------


def _blocked(
    connection: Connection,
    table: str,
    ids: set[str],
    pending: Mapping[tuple[str, str], set[str]],
) -> set[str]:
    """Those of ``ids`` whose removal must wait: they or rows they take with them are pending."""
    if not pending or not ids:
        return set()

    def waits(roots: Ids) -> bool:
        closure = owned_closure(connection, roots)
        referrers = referrers_outside(connection, closure)
        return has_pending(closure, pending) or has_pending(
            {name: set(rows) for name, rows in referrers.items()}, pending
        )

    if not waits({table: ids}):
        return set()
    # Rare (a record left scope while its own change waited): find which ones, one by one.
    return {record for record in ids if waits({table: {record}})}


def _upsert_summaries(
    connection: Connection, tenant_id: uuid.UUID, summaries: list[tuple[str, int, dict[str, Any]]]
) -> None:
    if not summaries:
        return
    model = BY_NAME["case"].model
    values = []
    for record, version, fields in summaries:
        try:
            typed = codec.decode(model, {n: fields.get(n) for n in _SUMMARY_COLUMNS})
        except v.RecordInvalid as invalid:
            raise PageRejected(f"The summary of case {record} is not valid: {invalid}") from None
        values.append(
            {
                **typed,
                "id": uuid.UUID(hex=record),
                "tenant_id": tenant_id,
                "version": version,
                "deleted": False,
            }
        )
    statement = sqlite_insert(case_summary)
    statement = statement.on_conflict_do_update(
        index_elements=["id"],
        set_={
            name: statement.excluded[name]
            for name in (*_SUMMARY_COLUMNS, "tenant_id", "version", "deleted")
        },
    )
    connection.execute(statement, values)


def _leave(connection: Connection, table: str, ids: set[str], now: datetime) -> dict[str, int]:
    """Remove records that left the user's scope, with what they own and their summaries."""
    if not ids:
        return {}
    removed = remove(connection, {table: ids}, now)
    if table == "person":
        for batch in chunks(ids):
            connection.exec_driver_sql(
                f"DELETE FROM case_summary WHERE subject_person_id IN ({marks(len(batch))})",  # noqa: S608
                tuple(batch),
            )
    return removed


def _settle_pending_exits(
    connection: Connection, pending: Mapping[tuple[str, str], set[str]], now: datetime
) -> None:
    """Carry out deferred scope exits whose outbox entries have now all been answered."""
    rows = connection.execute(select(pending_exit)).mappings().all()
    if not rows:
        return
    state = read_state(connection)
    tenant_id = state.identity.tenant_id if state.identity else None
    for row in rows:
        table = TABLE_OF_ENTITY.get(row["entity"])
        record = row["record_id"].hex
        if table is None:
            continue
        if _blocked(connection, table, {record}, pending):
            continue
        if row["scope"] == "summary" and tenant_id is not None and row["fields"] is not None:
            _upsert_summaries(connection, tenant_id, [(record, row["version"], row["fields"])])
        elif table == "case_record":
            delete_ids(connection, "case_summary", [record])
        _leave(connection, table, {record}, now)
        connection.execute(
            delete(pending_exit).where(
                pending_exit.c.entity == row["entity"],
                pending_exit.c.record_id == row["record_id"],
            )
        )


# --- One pull page -----------------------------------------------------------------------------


def _upsert_sql(table: str) -> str:
    plan = insert_plan(TABLES[table])
    sets = ", ".join(f"{name} = excluded.{name}" for name in plan.names if name != "id")
    return f"{plan.sql} ON CONFLICT (id) DO UPDATE SET {sets}"


_UPSERT = {name: _upsert_sql(name) for name in TABLES}

Full = tuple[str, int, dict[str, Any]]
"""A full record from the feed: (hex id, version, wire fields)."""


def _parse_time(raw: Any) -> datetime | None:
    if raw is None:
        return None
    value = datetime.fromisoformat(str(raw))
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _parse_uuid(raw: Any) -> uuid.UUID | None:
    return None if raw is None else uuid.UUID(str(raw))


class _PageApplier:
    """Applies one page inside the caller's transaction."""

    def __init__(self, connection: Connection, now: datetime, page: FeedPage) -> None:
        self.connection = connection
        self.now = now
        self.page = page
        self.counts = PageCounts()

    def run(self) -> PageCounts:
        connection, page = self.connection, self.page
        ensure_state(connection)
        state = read_state(connection)
        if state.identity is None:
            raise SyncStateError("Sign in before pulling: the store does not know its council.")
        if state.cursor is not None and state.epoch is not None and state.epoch != page.epoch:
            raise ResyncRequired(
                "The platform was restored from a backup; a full resync is needed."
            )
        self.tenant_id = state.identity.tenant_id
        self.pending = pending_fields(connection)

        latest: dict[tuple[str, str], FeedChange] = {}
        conflicts: list[FeedChange] = []
        for change in page.changes:
            if change.entity == "conflict":
                conflicts.append(change)
            elif change.entity in TABLE_OF_ENTITY:
                latest[(change.entity, change.record)] = change
            else:
                self.counts.ignored += 1  # an entity this version of Doorstep does not know
        full: dict[str, list[Full]] = {}
        summaries: list[Full] = []
        tombstones: dict[str, dict[str, int]] = {}
        exits: dict[str, set[str]] = {}
        for (entity, record), change in latest.items():
            table = TABLE_OF_ENTITY[entity]
            if change.deleted:
                tombstones.setdefault(table, {})[record] = change.version
            elif change.scope == "exit":
                exits.setdefault(table, set()).add(record)
            elif change.scope == "summary" and table == "case_record" and change.fields:
                summaries.append((record, change.version, change.fields))
            elif change.scope == "full" and change.fields is not None:
                full.setdefault(table, []).append((record, change.version, change.fields))
            else:
                raise PageRejected(
                    f"A {entity} change in scope {change.scope} cannot be applied: "
                    f"its fields are missing, or the scope is not one a {entity} has."
                )

        self._supersede(latest)
        written: Ids = {}
        for table in sorted(full, key=ORDER.__getitem__):
            written[table] = self._write_full(table, full[table])
            self.counts.upserted += len(full[table])
        if "case_record" in written:
            delete_ids(connection, "case_summary", written["case_record"])
        self._park_orphans(written)
        self._unpark()
        self._summaries(summaries)
        self._tombstones(tombstones)
        self._exits(exits)
        self._conflicts(conflicts)
        if state.resyncing:
            self._cross_off(latest)
            if not page.has_more:
                self._sweep()
        values: dict[str, Any] = {"cursor": page.cursor, "epoch": page.epoch}
        if not page.has_more:
            values["last_sync_at"] = self.now
            values["resyncing"] = False
        connection.execute(update(sync_state).where(sync_state.c.id == 1).values(**values))
        return self.counts

    # -- steps ---------------------------------------------------------------------------------

    def _supersede(self, latest: Mapping[tuple[str, str], FeedChange]) -> None:
        """A change in this page replaces any parked copy, and a full one cancels a pending exit."""
        connection = self.connection
        if not latest:
            return  # an empty page (or conflicts only): nothing to supersede, no statement to run
        if connection.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM parked_change)").scalar():
            connection.exec_driver_sql(
                "DELETE FROM parked_change WHERE entity = ? AND record_id = ?", list(latest)
            )
        if connection.exec_driver_sql("SELECT EXISTS (SELECT 1 FROM pending_exit)").scalar():
            back = [
                key
                for key, change in latest.items()
                if change.scope == "full" and not change.deleted
            ]
            if back:
                connection.exec_driver_sql(
                    "DELETE FROM pending_exit WHERE entity = ? AND record_id = ?", back
                )

    def _write_full(self, table: str, items: list[Full]) -> set[str]:
        """Upsert full records; fields with pending local edits keep their local values.

        The pending edit is pushed later with its original base values, so the platform
        merges it against the value just pulled: equal to the base, it applies; changed by
        someone else, it is a conflict shown to a person. Either way the pulled value is not
        lost, and the local edit is not overwritten before the officer's change is sent.
        """
        model = TABLES[table]
        tenant = self.tenant_id.hex
        parameters: list[tuple[Any, ...]] = []
        slow: list[Full] = []
        for item in items:
            record, version, fields = item
            if (table, record) in self.pending:
                slow.append(item)
                continue
            try:
                parameters.append(pulled.parameters(model, record, tenant, version, fields))
            except pulled.Unsure:
                slow.append(item)
        if slow:
            parameters += self._typed_parameters(table, slow)
        self.connection.exec_driver_sql(_UPSERT[table], parameters)
        if table in search.INDEXED_TABLES:
            self.connection.exec_driver_sql(search.TOUCH, [(table, r) for r, _, _ in items])
        return {record for record, _, _ in items}

    def _typed_parameters(self, table: str, items: list[Full]) -> list[tuple[Any, ...]]:
        """The general path: decode to typed values, keep pending fields, convert to storage."""
        spec = SPEC_OF_TABLE[table]
        protected = [record for record, _, _ in items if (table, record) in self.pending]
        local = self._local_rows(table, protected) if protected else {}
        rows: list[dict[str, Any]] = []
        for record, version, fields in items:
            try:
                row = codec.decode(spec.model, fields)
            except v.RecordInvalid as invalid:
                raise PageRejected(
                    f"The platform sent a {spec.name} ({record}) this laptop cannot store: "
                    f"{invalid}"
                ) from None
            row["id"] = uuid.UUID(hex=record)
            row["tenant_id"] = self.tenant_id
            row["version"] = version
            row["deleted"] = False
            current = local.get(record)
            if current is not None:
                names = self.pending[(table, record)]
                keep = current.keys() if "*" in names else names
                for name in keep:
                    if name in current and name not in ("id", "tenant_id", "version"):
                        row[name] = current[name]
            rows.append(row)
        try:
            return to_parameters(TABLES[table], rows)
        except ValueError as error:
            raise PageRejected(f"A pulled {spec.name} is incomplete: {error}") from None

    def _local_rows(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        model = TABLES[table]
        found: dict[str, dict[str, Any]] = {}
        for batch in chunks(ids):
            query = select(model).where(model.c.id.in_([uuid.UUID(hex=i) for i in batch]))
            for row in self.connection.execute(query).mappings():
                found[row["id"].hex] = dict(row)
        return found

    def _park_orphans(self, written: Ids) -> None:
        """Park rows whose parent is not here (yet), and whatever points at them."""
        waits: Waits = {}
        for table, ids in written.items():
            found = orphans(self.connection, table, ids)
            if found:
                waits[table] = found
        if waits:
            parked = park(self.connection, waits, self.now)
            self.counts.parked += sum(len(ids) for ids in parked.values())

    def _unpark(self) -> None:
        """Apply parked rows whose parent has arrived, repeatedly (a case, then its notes)."""
        for _ in range(len(TABLES) * 4):
            candidates = unpark_candidates(self.connection)
            if not candidates:
                return
            by_table: dict[str, list[Full]] = {}
            for entity, record, version, fields in candidates:
                table = TABLE_OF_ENTITY.get(entity)
                if table is not None:
                    by_table.setdefault(table, []).append((record, version, fields))
            written: Ids = {}
            for table in sorted(by_table, key=ORDER.__getitem__):
                written[table] = self._write_full(table, by_table[table])
            self.counts.unparked += len(candidates)
            self._park_orphans(written)
        raise PageRejected("Parked records kept waiting on one another; the page was not applied.")

    def _summaries(self, summaries: list[Full]) -> None:
        """Cases now outside the user's detail scope: keep the summary, drop the detail."""
        if not summaries:
            return
        self.counts.summaries += len(summaries)
        ids = {record for record, _, _ in summaries}
        blocked = _blocked(self.connection, "case_record", ids, self.pending)
        self._defer("case", "summary", [s for s in summaries if s[0] in blocked])
        ready = [s for s in summaries if s[0] not in blocked]
        _upsert_summaries(self.connection, self.tenant_id, ready)
        self._count(_leave(self.connection, "case_record", {s[0] for s in ready}, self.now))

    def _exits(self, exits: Mapping[str, set[str]]) -> None:
        """Records the user may no longer see at all: remove them once nothing here is pending."""
        for table in sorted(exits, key=ORDER.__getitem__):
            ids = exits[table]
            self.counts.exits += len(ids)
            if table == "case_record":
                delete_ids(self.connection, "case_summary", ids)
            blocked = _blocked(self.connection, table, ids, self.pending)
            entity = SPEC_OF_TABLE[table].name
            self._defer(entity, "exit", [(record, 0, {}) for record in blocked])
            self._count(_leave(self.connection, table, ids - blocked, self.now))

    def _defer(self, entity: str, scope: str, items: list[Full]) -> None:
        if not items:
            return
        self.counts.deferred += len(items)
        statement = sqlite_insert(pending_exit)
        statement = statement.on_conflict_do_update(
            index_elements=["entity", "record_id"],
            set_={n: statement.excluded[n] for n in ("scope", "version", "fields")},
        )
        self.connection.execute(
            statement,
            [
                {
                    "entity": entity,
                    "record_id": uuid.UUID(hex=record),
                    "scope": scope,
                    "version": version,
                    "fields": fields or None,
                }
                for record, version, fields in items
            ],
        )

    def _tombstones(self, tombstones: Mapping[str, Mapping[str, int]]) -> None:
        """Deleted on the platform: delete here too, unless an edit here is still pending.

        A record with pending edits is kept as it is: the platform answers those edits with
        a delete-vs-edit conflict, and the record then takes the platform's deleted state.
        A tombstone still needed by another row (the platform keeps a deleted case's notes)
        is kept as a hidden tombstone rather than breaking the reference.
        """
        connection = self.connection
        marked: Ids = {}
        for table, records in tombstones.items():
            self.counts.tombstones += len(records)
            if table == "case_record":
                delete_ids(connection, "case_summary", records)
            free = [(v_, r) for r, v_ in records.items() if (table, r) not in self.pending]
            if free:
                connection.exec_driver_sql(
                    f"UPDATE {table} SET deleted = 1, version = ? WHERE id = ?",  # noqa: S608
                    free,
                )
                marked[table] = {r for _, r in free}
                if table in search.INDEXED_TABLES:
                    # Search triggers are off during a page; re-index these at its end.
                    connection.exec_driver_sql(search.TOUCH, [(table, r) for _, r in free])
        for table in sorted(marked, key=ORDER.__getitem__, reverse=True):
            purged = purge(connection, table, marked[table], tombstones=True)
            if purged:
                self.counts.removed[table] = self.counts.removed.get(table, 0) + len(purged)

    def _conflicts(self, changes: list[FeedChange]) -> None:
        """Conflicts the platform shows this user (their own, or their team's as a lead)."""
        if not changes:
            return
        self.counts.conflicts += len(changes)
        gone = [
            uuid.UUID(hex=change.record)
            for change in changes
            if change.deleted or change.fields is None
        ]
        if gone:
            self.connection.execute(
                delete(local_conflict).where(local_conflict.c.conflict_id.in_(gone))
            )
        values = []
        for change in changes:
            fields = change.fields
            if change.deleted or fields is None:
                continue
            try:
                values.append(
                    {
                        "conflict_id": uuid.UUID(hex=change.record),
                        "entity": str(fields["entity"]),
                        "record_id": uuid.UUID(str(fields["record_id"])),
                        "field": str(fields["field"]),
                        "base": fields.get("base"),
                        "mine": fields.get("mine"),
                        "theirs": fields.get("theirs"),
                        "user_id": _parse_uuid(fields.get("user_id")),
                        "owning_team_id": _parse_uuid(fields.get("owning_team_id")),
                        "client_id": _parse_uuid(fields.get("client_id")),
                        "mutation_id": fields.get("mutation_id"),
                        "created_at": _parse_time(fields.get("created_at")) or self.now,
                        "resolved_at": _parse_time(fields.get("resolved_at")),
                        "resolved_by_id": _parse_uuid(fields.get("resolved_by_id")),
                        "resolution": fields.get("resolution"),
                        "version": change.version,
                    }
                )
            except (KeyError, ValueError) as error:
                raise PageRejected(
                    f"A pulled conflict ({change.record}) is malformed: {error}"
                ) from None
        if not values:
            return
        statement = sqlite_insert(local_conflict)
        excluded = statement.excluded
        updates: dict[str, Any] = {
            name: excluded[name]
            for name in (
                "entity",
                "record_id",
                "field",
                "base",
                "mine",
                "theirs",
                "user_id",
                "owning_team_id",
                "client_id",
                "mutation_id",
                "created_at",
                "version",
            )
        }
        # A resolution made here and not yet known to the platform is not undone by the feed.
        for name in ("resolved_at", "resolved_by_id", "resolution"):
            updates[name] = func.coalesce(excluded[name], local_conflict.c[name])
        self.connection.execute(
            statement.on_conflict_do_update(index_elements=["conflict_id"], set_=updates), values
        )

    def _cross_off(self, latest: Mapping[tuple[str, str], FeedChange]) -> None:
        """During a resync, each record this page names is not swept at the end."""
        pairs = []
        for entity, record in latest:
            table = TABLE_OF_ENTITY[entity]
            pairs.append((table, record))
            if table == "case_record":
                pairs.append(("case_summary", record))
        if pairs:
            self.connection.exec_driver_sql(
                "DELETE FROM resync_sweep WHERE tbl = ? AND id = ?", pairs
            )

    def _sweep(self) -> None:
        """End of a full resync: remove what the new feed did not send, pending work kept."""
        connection = self.connection
        marked: Ids = {}
        for table, record in connection.exec_driver_sql("SELECT tbl, id FROM resync_sweep"):
            marked.setdefault(table, set()).add(record)
        summaries = marked.pop("case_summary", set())
        delete_ids(connection, "case_summary", summaries)
        pending: Ids = {}
        for table, record in self.pending:
            pending.setdefault(table, set()).add(record)
        # A pending record keeps the records it points at, or it could not be shown or fixed.
        keep = ancestors(connection, pending)
        roots = {
            table: ids - keep.get(table, set()) for table, ids in marked.items() if table in TABLES
        }
        removed = remove(connection, roots, self.now, cascade=False)
        self.counts.swept += sum(removed.values()) + len(summaries)
        connection.exec_driver_sql("DELETE FROM resync_sweep")

    def _count(self, removed: Mapping[str, int]) -> None:
        for table, count in removed.items():
            if count:
                self.counts.removed[table] = self.counts.removed.get(table, 0) + count
