"""The platform's answers to a push, applied locally: each outcome, once and only once."""

from __future__ import annotations

import uuid

import pytest

from app.models.validation import ValidationError
from app.store.db import Store
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.protocol import FieldConflict, FieldError, MutationResult
from tests.sync.conftest import CASE, NOTE, PERSON, TASK, VISIT, rows_of


def answer(
    mutation_id: int,
    outcome: str,
    version: int | None = None,
    conflicts: list[FieldConflict] | None = None,
    errors: list[FieldError] | None = None,
    code: str | None = None,
) -> MutationResult:
    return MutationResult.model_validate(
        {
            "mutation_id": mutation_id,
            "outcome": outcome,
            "version": version,
            "conflicts": conflicts or [],
            "errors": errors or [],
            "code": code,
        }
    )


def ids(sync: LocalSync) -> list[int]:
    return [m.mutation_id for m in sync.pending_mutations()]


def test_applied_clears_the_entry_and_adopts_the_version(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001"})
    [mid] = ids(sync)
    counts = sync.apply_results([answer(mid, "applied", version=2)])
    assert (counts.applied, counts.ignored) == (1, 0)
    assert ids(sync) == []
    assert rows_of(store, "SELECT version, phone FROM person") == [(2, "07700 900001")]
    assert sync.state().last_mutation_id_acked == mid
    assert sync.status().pending == 0


@pytest.mark.parametrize(("outcome", "version"), [("applied", 5), ("merged", 2)])
def test_a_version_that_includes_unseen_changes_is_not_adopted(
    store: Store, changes: LocalChanges, sync: LocalSync, outcome: str, version: int
) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001"})
    [mid] = ids(sync)
    sync.apply_results([answer(mid, outcome, version=version)])
    # The next edit is then based on version 1 and merged field by field on the platform.
    assert rows_of(store, "SELECT version FROM person") == [(1,)]
    assert ids(sync) == []


def test_answers_applied_twice_change_nothing_more(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001"})
    changes.update("person", PERSON, {"phone": "07700 900002"})
    first, second = ids(sync)
    results = [answer(first, "applied", version=2), answer(second, "merged", version=3)]
    sync.apply_results(results)
    again = sync.apply_results(results)
    assert (again.applied, again.merged, again.ignored) == (0, 0, 2)
    assert sync.state().last_mutation_id_acked == second


def test_conflict_is_kept_and_the_record_takes_the_platforms_value(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001", "family_name": "Jones"})
    [mid] = ids(sync)
    conflict = FieldConflict(
        conflict_id=uuid.uuid4(),
        field="phone",
        base="029 2000 0000",
        mine="07700 900001",
        theirs="07700 955555",
    )
    counts = sync.apply_results([answer(mid, "conflict", version=2, conflicts=[conflict])])
    assert counts.conflicts == 1
    assert ids(sync) == []
    # The platform applied the family name and kept its phone: so does the laptop.
    assert rows_of(store, "SELECT phone, family_name FROM person") == [("07700 955555", "Jones")]
    [shown] = sync.conflicts()
    assert (shown.field, shown.base, shown.mine, shown.theirs) == (
        "phone",
        "029 2000 0000",
        "07700 900001",
        "07700 955555",
    )
    assert (shown.entity, shown.record_id, shown.mutation_id) == ("person", PERSON, mid)
    assert sync.status().open_conflicts == 1


def test_conflicting_field_edited_again_keeps_the_later_local_value(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001"})
    changes.update("person", PERSON, {"phone": "07700 900002"})
    first, second = ids(sync)
    conflict = FieldConflict(
        conflict_id=uuid.uuid4(), field="phone", base="a", mine="b", theirs="07700 955555"
    )
    sync.apply_results([answer(first, "conflict", version=2, conflicts=[conflict])])
    assert rows_of(store, "SELECT phone FROM person") == [("07700 900002",)]
    assert ids(sync) == [second]


def test_resolving_a_conflict_by_keeping_mine_is_a_change(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001"})
    [mid] = ids(sync)
    conflict_id = uuid.uuid4()
    conflict = FieldConflict(
        conflict_id=conflict_id,
        field="phone",
        base="029 2000 0000",
        mine="07700 900001",
        theirs="07700 955555",
    )
    sync.apply_results([answer(mid, "conflict", version=1, conflicts=[conflict])])
    changes.resolve_conflict(conflict_id, "mine")
    assert sync.conflicts() == []
    [resolved] = sync.conflicts(open_only=False)
    assert resolved.resolution == "mine"
    [entry] = sync.pending_mutations()
    assert (entry.fields, entry.base) == ({"phone": "07700 900001"}, {"phone": "07700 955555"})
    with pytest.raises(ValidationError, match="not open"):
        changes.resolve_conflict(conflict_id, "theirs")


def test_rejected_change_is_listed_and_undone_locally(
    store: Store, changes: LocalChanges, sync: LocalSync, clock: object
) -> None:
    changes.transition(CASE, "investigating")
    changes.update("person", PERSON, {"phone": "07700 900001"})
    first, second = ids(sync)
    error = FieldError(field="status", message="Only the case's team may move it.")
    counts = sync.apply_results(
        [answer(first, "rejected", errors=[error], code="forbidden"), answer(second, "applied", 2)]
    )
    assert (counts.rejected, counts.applied) == (1, 1)
    # A refused change does not block the next one, and is undone here.
    assert rows_of(store, "SELECT status, status_changed_at FROM case_record") == [
        ("open", "2026-10-03 09:30:00.000000")
    ]
    [item] = sync.rejected()
    assert (item.mutation_id, item.op, item.code) == (first, "transition", "forbidden")
    assert item.errors == [{"field": "status", "message": "Only the case's team may move it."}]
    assert item.fields == {"status": "investigating"}
    assert sync.status().rejected == 1
    sync.dismiss_rejected(first)
    assert sync.rejected() == []
    assert len(sync.rejected(include_dismissed=True)) == 1


def test_rejected_creates_leave_the_laptop_children_first(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    task = changes.create("task", {"case_id": CASE, "title": "Fit smoke alarm", "kind": "task"})
    note = changes.add_note(CASE, "visit", "Alarm missing.")
    first, second = ids(sync)
    sync.apply_results([answer(first, "rejected", code="forbidden"), answer(second, "rejected")])
    assert rows_of(store, "SELECT count(*) FROM task WHERE id IN (?, ?)", task.hex, note.hex) == [
        (0,)
    ]
    assert rows_of(store, "SELECT count(*) FROM note WHERE id = ?", note.hex) == [(0,)]
    assert [r.entity for r in sync.rejected()] == ["task", "note"]


def test_rejected_delete_brings_the_record_back(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.delete("task", TASK)
    [mid] = ids(sync)
    sync.apply_results([answer(mid, "rejected", code="forbidden")])
    assert rows_of(store, "SELECT deleted FROM task WHERE id = ?", TASK.hex) == [(0,)]


def test_an_acknowledged_delete_removes_the_tombstone(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.delete("task", VISIT)
    changes.delete("case", CASE)
    first, second = ids(sync)
    sync.apply_results([answer(first, "applied", 2), answer(second, "applied", 2)])
    assert rows_of(store, "SELECT count(*) FROM task WHERE id = ?", VISIT.hex) == [(0,)]
    # The case still has a note and a task pointing at it: it stays, hidden, as a tombstone.
    assert rows_of(store, "SELECT deleted FROM case_record") == [(1,)]
    assert rows_of(store, "SELECT count(*) FROM note WHERE id = ?", NOTE.hex) == [(1,)]


def test_losing_a_delete_to_an_edit_brings_the_record_back(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.delete("task", TASK)
    [mid] = ids(sync)
    conflict = FieldConflict(
        conflict_id=uuid.uuid4(), field="deleted", base=False, mine=True, theirs=False
    )
    sync.apply_results([answer(mid, "conflict", version=2, conflicts=[conflict])])
    assert rows_of(store, "SELECT deleted FROM task WHERE id = ?", TASK.hex) == [(0,)]
    assert [c.field for c in sync.conflicts()] == ["deleted"]


def test_audit_events_leave_the_laptop_once_the_platform_has_them(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.record_view("person", PERSON)
    [mid] = ids(sync)
    sync.apply_results([answer(mid, "applied", version=1)])
    assert rows_of(store, "SELECT count(*) FROM audit_event") == [(0,)]


def test_keeping_my_status_after_a_transition_conflict_queues_a_transition(
    store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    changes.transition(CASE, "investigating")
    [mid] = ids(sync)
    conflict_id = uuid.uuid4()
    conflict = FieldConflict(
        conflict_id=conflict_id, field="status", base="open", mine="investigating", theirs="closed"
    )
    sync.apply_results([answer(mid, "conflict", version=3, conflicts=[conflict])])
    assert rows_of(store, "SELECT status FROM case_record") == [("closed",)]
    # From closed nothing may follow: keeping mine is refused with the workflow's reason.
    with pytest.raises(ValidationError, match="final"):
        changes.resolve_conflict(conflict_id, "mine")
    assert len(sync.conflicts()) == 1
