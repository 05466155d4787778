"""The one store API for every local change: validate, write the record and its outbox entry."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    Integer,
    RowMapping,
    String,
    Table,
    Text,
    Uuid,
    func,
    insert,
    select,
    update,
)

from app.models import entities as e
from app.models import validation as v
from app.models.base import UTCDateTime
from app.models.registry import BY_NAME, SYSTEM_FIELDS, EntitySpec
from app.models.workflow import CASE_TYPES, CLOSED
from app.store.db import Store
from app.sync import codec
from app.sync.graph import PARENTS, TABLES
from app.sync.protocol import MAX_BATCH, Mutation
from app.sync.rules import RuleContext, check_record
from app.sync.tables import case_summary, local_conflict, outbox

Clock = Callable[[], datetime]
Resolution = Literal["mine", "theirs", "value"]
_T = TypeVar("_T")

_NOT_HERE = "No such record is on this laptop."
# Typed as entered: the shared rules normalise these, so only the result's length matters.
_NORMALISED = {"person": frozenset({"nhs_number"}), "property": frozenset({"postcode", "uprn"})}


def _table(spec: EntitySpec) -> Table:
    table: Table = spec.model.__table__  # type: ignore[attr-defined]
    return table


def _spec(entity: str) -> EntitySpec:
    spec = BY_NAME.get(entity)
    if spec is None:
        raise v.ValidationError("entity", f"'{entity}' is not a kind of record that syncs.")
    if not spec.client_creatable:
        raise v.ValidationError("entity", "Teams and users are managed by administrators.")
    return spec


def _type_errors(spec: EntitySpec, fields: Mapping[str, Any]) -> list[v.ValidationError]:
    """Each value of the wrong Python type for its column, as a field-specific error."""
    table = _table(spec)
    errors: list[v.ValidationError] = []
    skip = _NORMALISED.get(spec.name, frozenset())
    for name, value in fields.items():
        if value is None or name in skip:
            continue
        kind = table.c[name].type
        ok: bool
        if isinstance(kind, UTCDateTime):
            ok = isinstance(value, datetime) and value.tzinfo is not None
            message = "must be a date and time with a timezone."
        elif isinstance(kind, Uuid):
            ok = isinstance(value, uuid.UUID)
            message = "must be an identifier (a UUID)."
        elif isinstance(kind, Boolean):
            ok = isinstance(value, bool)
            message = "must be true or false."
        elif isinstance(kind, Date):
            ok = isinstance(value, date) and not isinstance(value, datetime)
            message = "must be a date."
        elif isinstance(kind, Integer | BigInteger):
            ok = isinstance(value, int) and not isinstance(value, bool)
            message = "must be a whole number."
        elif isinstance(kind, JSON):
            ok = isinstance(value, dict)
            message = "must be an object."
        else:
            ok = isinstance(value, str)
            message = "must be text."
        if not ok:
            errors.append(v.ValidationError(name, message))
    return errors


def _length_errors(spec: EntitySpec, values: Mapping[str, Any]) -> list[v.ValidationError]:
    table = _table(spec)
    errors = []
    for name, value in values.items():
        kind = table.c[name].type
        length: int = getattr(kind, "length", None) or 0
        too_long = isinstance(value, str) and 0 < length < len(value)
        if isinstance(kind, String | Text) and too_long:
            errors.append(v.ValidationError(name, f"must be at most {length} characters."))
    return errors


def _raise(errors: list[v.ValidationError]) -> None:
    if errors:
        raise v.RecordInvalid(errors)


class LocalChanges:
    """Every change the UI and CLI make, each in one local transaction with its outbox entry.

    Each call validates with the shared rules (raising ``ValidationError`` or ``RecordInvalid``
    with field-specific messages), then writes the record and appends the outbox entry in one
    transaction; on any error nothing at all is written. The record keeps the version the
    platform last gave it: the outbox entry says which version the change was based on.
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        user_id: uuid.UUID,
        device_id: uuid.UUID,
        tenant_id: uuid.UUID,
        allow_test_numbers: bool,
        role: str = e.Role.FIELD_OFFICER,
    ) -> None:
        self.store = store
        self.clock = clock
        self.user_id = user_id
        self.device_id = device_id
        self.tenant_id = tenant_id
        self.allow_test_numbers = allow_test_numbers
        self.role = str(role)

    @property
    def is_lead(self) -> bool:
        return self.role == e.Role.TEAM_LEAD

    def _run(self, work: Callable[[Connection], _T]) -> _T:
        """Run ``work`` in one write transaction; any error rolls all of it back."""
        with self.store.write_transaction() as connection:
            return work(connection)

    # --- public API ------------------------------------------------------------------------

    def create(
        self, entity: str, fields: Mapping[str, Any], *, record_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        """Create a record (the id is made here unless given); returns its id."""
        spec = _spec(entity)
        return self._run(lambda c: self._create(c, spec, dict(fields), record_id))

    def update(self, entity: str, record_id: uuid.UUID, fields: Mapping[str, Any]) -> None:
        """Change editable fields of a record; a change to nothing queues nothing."""
        spec = _spec(entity)
        self._run(lambda c: self._update(c, spec, record_id, dict(fields)))

    def delete(self, entity: str, record_id: uuid.UUID) -> None:
        """Delete a record: it is kept as a tombstone until the platform has the delete."""
        spec = _spec(entity)
        self._run(lambda c: self._delete(c, spec, record_id))

    def transition(
        self, case_id: uuid.UUID, to_status: str, extra_fields: Mapping[str, Any] | None = None
    ) -> None:
        """Move a case along its workflow, with any editable fields that go with the move."""
        self._run(lambda c: self._transition(c, case_id, to_status, dict(extra_fields or {})))

    def add_note(
        self,
        case_id: uuid.UUID,
        kind: str,
        text: str,
        visibility: str = e.Visibility.SERVICE,
    ) -> uuid.UUID:
        """Append a chronology entry to a case; returns the note's id."""
        fields = {"case_id": case_id, "kind": kind, "text": text, "visibility": str(visibility)}
        return self.create("note", fields)

    # --- team lead work (the platform enforces every rule here again: server/access.py) -----

    def allocate(
        self,
        case_id: uuid.UUID,
        officer_id: uuid.UUID | None,
        reason: str,
        *,
        team_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """Allocate or reassign a case, with its reason, keeping the allocation history.

        The allocation record and the case's new officer (and team, for a transfer) are written
        in one transaction; returns the allocation record's id.
        """

        return self._run(lambda c: self._allocate(c, case_id, officer_id, reason, team_id))

    def request_closure(self, case_id: uuid.UUID, reason: str) -> None:
        """Ask a team lead to close a case whose type needs approval, giving the reason."""
        if not reason.strip():
            raise v.ValidationError("closure_reason", "A case cannot close without a reason.")
        fields = {
            "closure_reason": reason,
            "closure_requested_at": self.clock(),
            "closure_requested_by_id": self.user_id,
        }
        self.update("case", case_id, fields)

    def decline_closure(self, case_id: uuid.UUID, reason: str) -> uuid.UUID:
        """A lead declines a closure request: the request is cleared, the reason kept as a
        supervision note (which the allocated officer reads); returns the note's id."""

        def work(connection: Connection) -> uuid.UUID:
            if not self.is_lead:
                raise v.ValidationError("closure_requested_at", "Only a team lead may decline.")
            note = {"case_id": case_id, "text": f"Closure declined: {reason.strip()}"}
            if not reason.strip():
                raise v.ValidationError("reason", "A reason for declining is required.")
            note_id = self._create(connection, BY_NAME["supervision_note"], note, None)
            cleared = {"closure_requested_at": None, "closure_requested_by_id": None}
            self._update(connection, BY_NAME["case"], case_id, cleared)
            return note_id

        return self._run(work)

    def add_supervision_note(self, case_id: uuid.UUID, text: str) -> uuid.UUID:
        """Append a supervision note to a case (apart from its chronology)."""
        return self.create("supervision_note", {"case_id": case_id, "text": text})

    def check_in(self, task_id: uuid.UUID) -> None:
        """Record arrival at a visit, now."""

        def work(connection: Connection) -> None:
            task = self._visit(connection, task_id)
            if task["checked_in_at"] is not None:
                raise v.ValidationError(
                    "checked_in_at", f"Already checked in at {task['checked_in_at']:%H:%M}."
                )
            self._update(connection, BY_NAME["task"], task_id, {"checked_in_at": self.clock()})

        self._run(work)

    def check_out(self, task_id: uuid.UUID) -> None:
        """Record leaving a visit, now."""

        def work(connection: Connection) -> None:
            task = self._visit(connection, task_id)
            if task["checked_in_at"] is None:
                raise v.ValidationError("checked_out_at", "Check in before checking out.")
            if task["checked_out_at"] is not None:
                raise v.ValidationError(
                    "checked_out_at", f"Already checked out at {task['checked_out_at']:%H:%M}."
                )
            self._update(connection, BY_NAME["task"], task_id, {"checked_out_at": self.clock()})

        self._run(work)

    def record_view(self, entity: str, record_id: uuid.UUID) -> uuid.UUID:
        """Record that this user opened a record (an audit event, uploaded on the next sync)."""
        spec = _spec(entity)
        fields = {
            "user_id": self.user_id,
            "device_id": self.device_id,
            "action": "view",
            "entity": spec.name,
            "entity_id": record_id,
            "at": self.clock(),
        }
        return self.create("audit_event", fields)

    def accept_referral(
        self, referral_id: uuid.UUID, case_fields: Mapping[str, Any], case_id: uuid.UUID
    ) -> uuid.UUID:
        """Accept a referral by opening its case, both in one transaction; returns the case id.

        One transaction so that a refused case leaves the referral unanswered, and a refused
        answer leaves no orphan case behind.
        """

        return self._run(lambda c: self._accept_referral(c, referral_id, case_fields, case_id))

    def allocate_referral(
        self,
        referral_id: uuid.UUID,
        case_fields: Mapping[str, Any],
        case_id: uuid.UUID,
        officer_id: uuid.UUID,
        reason: str,
    ) -> uuid.UUID:
        """A lead accepts a referral into a new case and allocates it, in one transaction.

        The case opens unallocated in the team named by ``case_fields`` (any officer given
        there is ignored) and is then allocated to ``officer_id`` with ``reason``, exactly as
        ``allocate`` does, so the platform sees the same allocation record and officer change
        as for any other new case. Any refusal (not a lead, no reason) writes nothing: the
        referral stays waiting. Returns the allocation record's id.
        """

        def work(connection: Connection) -> uuid.UUID:
            unallocated = {**case_fields, "officer_id": None}
            created = self._accept_referral(connection, referral_id, unallocated, case_id)
            return self._allocate(connection, created, officer_id, reason, None)

        return self._run(work)

    def resolve_conflict(
        self, conflict_id: uuid.UUID, choice: Resolution, value: Any = None
    ) -> None:
        """Settle a conflict: keep mine or a new value (queued as a change), or keep theirs.

        The record already holds the platform's value ("theirs") once the conflict is known,
        so keeping theirs changes nothing but the conflict; the others are ordinary changes,
        validated and merged like any edit.
        """

        def work(connection: Connection) -> None:
            row = (
                connection.execute(
                    select(local_conflict).where(local_conflict.c.conflict_id == conflict_id)
                )
                .mappings()
                .first()
            )
            if row is None or row["resolved_at"] is not None:
                raise v.ValidationError("conflict_id", "This conflict is not open.")
            spec = _spec(row["entity"])
            name = row["field"]
            if choice != "theirs":
                new = value
                if choice == "mine":
                    try:
                        new = codec.decode(spec.model, {name: row["mine"]})[name]
                    except v.RecordInvalid as invalid:
                        raise v.ValidationError(name, str(invalid)) from None
                if name == "deleted":
                    if new is not True:
                        raise v.ValidationError(
                            name, "A deleted record cannot be restored from this laptop."
                        )
                    self._delete(connection, spec, row["record_id"])
                elif name == spec.workflow_field:
                    self._transition(connection, row["record_id"], new, {})
                else:
                    self._update(connection, spec, row["record_id"], {name: new})
            connection.execute(
                update(local_conflict)
                .where(local_conflict.c.conflict_id == conflict_id)
                .values(resolved_at=self.clock(), resolution=choice, resolved_by_id=self.user_id)
            )

        self._run(work)

    # --- the work, inside a transaction ---------------------------------------------------

    def _accept_referral(
        self,
        connection: Connection,
        referral_id: uuid.UUID,
        case_fields: Mapping[str, Any],
        case_id: uuid.UUID,
    ) -> uuid.UUID:
        created = self._create(connection, BY_NAME["case"], dict(case_fields), case_id)
        changes = {"status": str(e.ReferralStatus.ACCEPTED), "created_case_id": created}
        self._update(connection, BY_NAME["referral"], referral_id, changes)
        return created

    def _allocate(
        self,
        connection: Connection,
        case_id: uuid.UUID,
        officer_id: uuid.UUID | None,
        reason: str,
        team_id: uuid.UUID | None,
    ) -> uuid.UUID:
        case = self._current(connection, BY_NAME["case"], case_id)
        if case["status"] == CLOSED:
            raise v.ValidationError("status", "A closed case is not allocated.")
        team = team_id or case["owning_team_id"]
        if officer_id == case["officer_id"] and team == case["owning_team_id"]:
            raise v.ValidationError("officer_id", "The case is already with this officer.")
        record = {
            "case_id": case_id,
            "from_officer_id": case["officer_id"],
            "to_officer_id": officer_id,
            "to_team_id": team,
            "reason": reason,
        }
        allocation_id = self._create(connection, BY_NAME["allocation"], record, None)
        fields: dict[str, Any] = {"officer_id": officer_id}
        if team != case["owning_team_id"]:
            fields["owning_team_id"] = team
        self._update(connection, BY_NAME["case"], case_id, fields)
        return allocation_id

    def _current(
        self, connection: Connection, spec: EntitySpec, record_id: uuid.UUID
    ) -> RowMapping:
        table = _table(spec)
        row = connection.execute(select(table).where(table.c.id == record_id)).mappings().first()
        if row is None:
            if spec.name == "case" and self._is_summary(connection, record_id):
                raise v.ValidationError(
                    "id", "Only the case's team, officer and referred teams may change it."
                )
            raise v.ValidationError("id", _NOT_HERE)
        if row["deleted"]:
            raise v.ValidationError("id", "This record has been deleted.")
        return row

    def _is_summary(self, connection: Connection, case_id: uuid.UUID) -> bool:
        found = connection.execute(select(case_summary.c.id).where(case_summary.c.id == case_id))
        return found.first() is not None

    def _visit(self, connection: Connection, task_id: uuid.UUID) -> RowMapping:
        task = self._current(connection, BY_NAME["task"], task_id)
        if task["kind"] != e.TaskKind.VISIT:
            raise v.ValidationError("kind", "Only a visit has a check-in and check-out.")
        if task["status"] != e.TaskStatus.OPEN:
            raise v.ValidationError("status", "This visit is no longer open.")
        return task

    def _references(
        self, connection: Connection, spec: EntitySpec, values: Mapping[str, Any]
    ) -> list[v.ValidationError]:
        """Each reference to a record this laptop does not hold (or holds only as a summary)."""
        errors = []
        for reference in PARENTS[_table(spec).name]:
            target = values.get(reference.column)
            if target is None or reference.column not in values:
                continue
            parent = TABLES[reference.parent]
            row = connection.execute(select(parent.c.deleted).where(parent.c.id == target)).first()
            if row is not None and not row[0]:
                continue
            if reference.parent == "case_record" and self._is_summary(connection, target):
                message = "Only the case's team, officer and referred teams may add to it."
            else:
                message = _NOT_HERE
            errors.append(v.ValidationError(reference.column, message))
        return errors

    def _context(
        self, connection: Connection, spec: EntitySpec, state: Mapping[str, Any]
    ) -> RuleContext:
        referral_date = None
        if spec.case_field is not None and state.get(spec.case_field) is not None:
            case = TABLES["case_record"]
            referral_date = connection.execute(
                select(case.c.referral_date).where(case.c.id == state[spec.case_field])
            ).scalar()
        return RuleContext(
            today=self.clock().date(),
            allow_test=self.allow_test_numbers,
            referral_date=referral_date,
        )

    def _base_version(
        self, connection: Connection, spec: EntitySpec, record_id: uuid.UUID, version: int
    ) -> int:
        """The version a new outbox entry for this record is based on.

        With no entry pending it is the record's version: the platform sent every field at
        that version and none has changed here since. With entries pending, a later pull may
        have moved the record's version on while those fields kept their local values, so the
        new entry takes the first pending entry's base version instead. The platform applies
        the entries in order; after the first, its row's version no longer matches, so it
        merges each later entry field by field against the entry's base values (here: the
        values after the earlier local edits, which is what the platform then holds), and
        accepts them because its current value equals the base. Claiming a newer version
        would let the platform skip that comparison and overwrite a value nobody here saw.
        """
        first = connection.execute(
            select(outbox.c.base_version)
            .where(outbox.c.entity == spec.name, outbox.c.record_id == record_id)
            .order_by(outbox.c.mutation_id)
            .limit(1)
        ).scalar()
        return version if first is None else int(first)

    def _queue(
        self,
        connection: Connection,
        spec: EntitySpec,
        record_id: uuid.UUID,
        op: str,
        base_version: int,
        fields: Mapping[str, Any],
        base: Mapping[str, Any],
        at: datetime,
    ) -> None:
        connection.execute(
            insert(outbox).values(
                entity=spec.name,
                record_id=record_id,
                op=op,
                base_version=base_version,
                fields=codec.encode(spec.model, fields),
                base=codec.encode(spec.model, base),
                at=at,
            )
        )

    def _defaults(
        self, spec: EntitySpec, given: Mapping[str, Any], now: datetime
    ) -> dict[str, Any]:
        """The new record: given fields, then column defaults and who is acting."""
        state: dict[str, Any] = {}
        for column in _table(spec).columns:
            name = column.name
            if name in SYSTEM_FIELDS:
                continue
            if name in given:
                state[name] = given[name]
                continue
            default = column.default
            if default is not None and default.is_scalar:
                arg = default.arg  # type: ignore[attr-defined]
                state[name] = str(arg) if isinstance(arg, StrEnum) else arg
            elif default is not None and default.is_callable:
                state[name] = now  # every callable default in the model is "now"
            else:
                state[name] = None
        if spec.name == "case" and state.get("status") is None:
            kind = CASE_TYPES.get(str(state.get("case_type")))
            if kind is not None:
                state["status"] = kind.initial
        actor = {
            "note": "author_id",
            "warning_marker": "proposed_by_id",
            "audit_event": "user_id",
            "allocation": "allocated_by_id",
            "supervision_note": "author_id",
        }
        if spec.name in actor and state.get(actor[spec.name]) is None:
            state[actor[spec.name]] = self.user_id
        if spec.name == "audit_event" and state.get("device_id") is None:
            state["device_id"] = self.device_id
        return state

    def _lead_errors_on_create(
        self, spec: EntitySpec, state: Mapping[str, Any]
    ) -> list[v.ValidationError]:
        if self.is_lead:
            return []
        errors = []
        if spec.name == "person" and state.get("sealed"):
            errors.append(v.ValidationError("sealed", "Only a team lead may seal a person."))
        if spec.name == "warning_marker":
            if state.get("status") not in (None, e.MarkerStatus.PROPOSED):
                errors.append(v.ValidationError("status", "Only a team lead may approve a marker."))
            for name in ("approved_by_id", "approved_at"):
                if state.get(name) is not None:
                    errors.append(v.ValidationError(name, "Only a team lead may approve a marker."))
        if spec.name == "allocation":
            errors.append(v.ValidationError("case_id", "Only a team lead may allocate a case."))
        if spec.name == "case":
            officer = state.get("officer_id")
            if officer is not None and officer != self.user_id:
                errors.append(
                    v.ValidationError(
                        "officer_id", "Only a team lead may allocate a case to someone else."
                    )
                )
        return errors

    def _create(
        self,
        connection: Connection,
        spec: EntitySpec,
        fields: dict[str, Any],
        record_id: uuid.UUID | None,
    ) -> uuid.UUID:
        now = self.clock()
        not_settable = sorted(set(fields) - spec.creatable)
        _raise([v.ValidationError(n, "cannot be set on a new record.") for n in not_settable])
        _raise(_type_errors(spec, fields))
        state = self._defaults(spec, fields, now)
        missing = [
            v.ValidationError(column.name, "is required.")
            for column in _table(spec).columns
            if column.name not in SYSTEM_FIELDS
            and not column.nullable
            and state.get(column.name) is None
        ]
        errors = missing + self._lead_errors_on_create(spec, state)
        errors += self._references(connection, spec, state)
        context = self._context(connection, spec, state)
        try:
            state.update(check_record(spec.name, state, set(state), creating=True, context=context))
        except v.RecordInvalid as invalid:
            named = {error.field for error in errors}
            errors += [error for error in invalid.errors if error.field not in named]
        except (TypeError, AttributeError):
            # A rule met a required field left empty; that field's error already says so.
            if not missing:
                raise
        _raise(errors)
        _raise(_length_errors(spec, state))
        record_id = record_id or uuid.uuid4()
        table = _table(spec)
        taken = connection.execute(select(table.c.id).where(table.c.id == record_id)).first()
        if taken is not None:
            raise v.ValidationError("id", "A record with this id already exists.")
        connection.execute(
            insert(table).values(
                **state,
                id=record_id,
                tenant_id=self.tenant_id,
                version=0,
                updated_at=now,
                deleted=False,
            )
        )
        sent = {name: state[name] for name in spec.creatable if name in state}
        self._queue(connection, spec, record_id, "create", 0, sent, {}, now)
        return record_id

    def _editable_errors(
        self, spec: EntitySpec, fields: Mapping[str, Any]
    ) -> list[v.ValidationError]:
        errors = []
        for name in sorted(fields):
            if name in spec.editable:
                continue
            if name in spec.lead_only:
                if not self.is_lead:
                    errors.append(v.ValidationError(name, "Only a team lead may change this."))
                continue
            if name == spec.workflow_field:
                message = "changes only by a status transition."
            elif name in spec.columns:
                message = "cannot be changed once the record exists."
            else:
                message = "is not a field of this record."
            errors.append(v.ValidationError(name, message))
        return errors

    def _update(
        self,
        connection: Connection,
        spec: EntitySpec,
        record_id: uuid.UUID,
        fields: dict[str, Any],
    ) -> None:
        if spec.append_only:
            raise v.ValidationError("id", f"A {spec.name} is append-only: it is never changed.")
        _raise(self._editable_errors(spec, fields))
        _raise(_type_errors(spec, fields))
        current = self._current(connection, spec, record_id)
        state = {**current, **fields}
        _raise(self._references(connection, spec, fields))
        cleaned = check_record(
            spec.name,
            state,
            set(fields),
            creating=False,
            context=self._context(connection, spec, state),
        )
        _raise(_length_errors(spec, cleaned))
        changed = {n: value for n, value in cleaned.items() if current[n] != value}
        if not changed:
            return
        now = self.clock()
        table = _table(spec)
        connection.execute(
            update(table).where(table.c.id == record_id).values(**changed, updated_at=now)
        )
        base = {name: current[name] for name in changed}
        version = self._base_version(connection, spec, record_id, current["version"])
        self._queue(connection, spec, record_id, "update", version, changed, base, now)

    def _delete(self, connection: Connection, spec: EntitySpec, record_id: uuid.UUID) -> None:
        if spec.append_only:
            raise v.ValidationError("id", f"A {spec.name} is append-only: it is never deleted.")
        current = self._current(connection, spec, record_id)
        now = self.clock()
        table = _table(spec)
        connection.execute(
            update(table).where(table.c.id == record_id).values(deleted=True, updated_at=now)
        )
        # Every changeable field as this laptop last saw it, so the platform can tell a version
        # moved by an unrelated touch from a real edit made meanwhile (delete vs edit).
        names = spec.editable | spec.lead_only
        if spec.workflow_field:
            names = names | {spec.workflow_field}
        base = {name: current[name] for name in sorted(names)}
        version = self._base_version(connection, spec, record_id, current["version"])
        self._queue(connection, spec, record_id, "delete", version, {}, base, now)

    def _transition(
        self,
        connection: Connection,
        case_id: uuid.UUID,
        to_status: str,
        extra: dict[str, Any],
    ) -> None:
        spec = BY_NAME["case"]
        _raise(self._editable_errors(spec, extra))
        _raise(_type_errors(spec, extra))
        current = self._current(connection, spec, case_id)
        from_status = current["status"]
        if not isinstance(to_status, str):
            raise v.ValidationError("status", "A transition names the status it moves to.")
        v.validate_transition(current["case_type"], from_status, to_status)
        kind = CASE_TYPES.get(current["case_type"])
        approval = kind is not None and kind.closure_needs_approval
        if to_status == CLOSED and approval and not self.is_lead:
            assert kind is not None
            raise v.ValidationError(
                "status",
                f"A {kind.label} case is closed only by a team lead: request closure instead.",
            )
        now = self.clock()
        state = {**current, **extra, "status": to_status, "status_changed_at": now}
        if to_status == CLOSED:
            # As the platform does: an explicit closing time, else the one on record, else now.
            state["closed_at"] = extra.get("closed_at") or current["closed_at"] or now
            task = TABLES["task"]
            titles = connection.execute(
                select(task.c.title)
                .where(
                    task.c.case_id == case_id,
                    task.c.status == e.TaskStatus.OPEN,
                    task.c.deleted.is_(False),
                )
                .order_by(task.c.title)
            ).scalars()
            v.validate_case_closure(state["closure_reason"], list(titles))
        cleaned = check_record(
            spec.name,
            state,
            set(extra),
            creating=False,
            context=self._context(connection, spec, state),
        )
        state.update(cleaned)
        _raise(_length_errors(spec, cleaned))
        written = {
            name: state[name]
            for name in {"status", "status_changed_at", "closed_at", *extra}
            if state[name] != current[name] or name == "status"
        }
        table = _table(spec)
        connection.execute(
            update(table).where(table.c.id == case_id).values(**written, updated_at=now)
        )
        sent = {"status": to_status, **{n: state[n] for n in extra}}
        # The leaving status is the transition's "from"; the other base values let a rejected
        # transition be undone here exactly.
        base = {name: current[name] for name in written}
        version = self._base_version(connection, spec, case_id, current["version"])
        self._queue(connection, spec, case_id, "transition", version, sent, base, now)


# --- Reading the outbox for a push -------------------------------------------------------------


def read_outbox(connection: Connection, limit: int = MAX_BATCH) -> list[Mutation]:
    """The oldest ``limit`` outbox entries as wire mutations, in mutation id order."""
    rows = connection.execute(select(outbox).order_by(outbox.c.mutation_id).limit(limit)).mappings()
    return [
        Mutation(
            mutation_id=row["mutation_id"],
            entity=row["entity"],
            id=row["record_id"],
            op=row["op"],
            base_version=row["base_version"],
            fields=row["fields"],
            base=row["base"],
            at=row["at"],
        )
        for row in rows
    ]


def count_outbox(connection: Connection) -> int:
    """How many changes wait to be pushed."""
    return int(connection.execute(select(func.count()).select_from(outbox)).scalar_one())
