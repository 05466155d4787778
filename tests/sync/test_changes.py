"""Every local change: checked by the shared rules, written with its outbox entry, or not at all."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import entities as e
from app.models.validation import RecordInvalid, ValidationError
from app.store.db import Store
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.tables import outbox
from tests.sync.conftest import (
    CASE,
    DEVICE,
    NOTE,
    NOW,
    PERSON,
    TASK,
    TEAM,
    TENANT,
    USER,
    VISIT,
    FakeClock,
    fail_on_insert,
    rows_of,
)


def outbox_rows(store: Store) -> list[dict[str, object]]:
    with store.engine.connect() as connection:
        query = select(outbox).order_by(outbox.c.mutation_id)
        return [dict(row) for row in connection.execute(query).mappings()]


def person_fields(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "given_name": "Rhys",
        "family_name": "Owen",
        "date_of_birth": date(1990, 5, 17),
        "nhs_number": "401 023 2137",
        "preferred_language": "en",
    }
    fields.update(overrides)
    return fields


# --- create -------------------------------------------------------------------------------


def test_create_writes_record_and_outbox_entry_together(
    store: Store, changes: LocalChanges, clock: FakeClock
) -> None:
    person_id = changes.create("person", person_fields())
    (row,) = rows_of(
        store, "SELECT nhs_number, version, updated_at FROM person WHERE id = ?", person_id.hex
    )
    assert row[0] == "4010232137"  # normalised by the shared rule, stored without spaces
    assert row[1] == 0  # the platform has not accepted it yet
    [entry] = outbox_rows(store)
    assert entry["op"] == "create"
    assert entry["entity"] == "person"
    assert entry["record_id"] == person_id
    assert entry["base_version"] == 0
    assert entry["base"] == {}
    assert entry["at"] == clock()
    fields = entry["fields"]
    assert isinstance(fields, dict)
    assert fields["nhs_number"] == "4010232137"
    assert fields["date_of_birth"] == "1990-05-17"
    assert fields["sealed"] is False
    assert not {"id", "tenant_id", "version"} & set(fields)
    # Search follows the write at once.
    assert [h.name for h in store.search_persons("rhys owen")] == ["Rhys Owen"]


def test_validation_errors_are_field_specific_and_save_nothing(
    store: Store, changes: LocalChanges
) -> None:
    with pytest.raises(RecordInvalid) as caught:
        changes.create(
            "person",
            person_fields(
                family_name=" ",
                nhs_number="401 023 2138",
                date_of_birth=NOW.date() + timedelta(days=1),
            ),
        )
    errors = caught.value.by_field()
    assert set(errors) == {"family_name", "nhs_number", "date_of_birth"}
    assert "check digit" in errors["nhs_number"]
    assert rows_of(store, "SELECT count(*) FROM person") == [(1,)]
    assert outbox_rows(store) == []


def test_test_nhs_numbers_only_in_demo_mode(store: Store, clock: FakeClock) -> None:
    def local(allow: bool) -> LocalChanges:
        return LocalChanges(
            store,
            clock=clock,
            user_id=USER,
            device_id=DEVICE,
            tenant_id=TENANT,
            allow_test_numbers=allow,
        )

    with pytest.raises(RecordInvalid) as caught:
        local(False).create("person", person_fields(nhs_number="999 000 0018"))
    assert "test numbers" in caught.value.by_field()["nhs_number"]
    local(True).create("person", person_fields(nhs_number="999 000 0018"))


def test_wrong_types_and_unknown_fields_are_named(changes: LocalChanges) -> None:
    with pytest.raises(RecordInvalid) as caught:
        changes.create("person", person_fields(date_of_birth="1990-05-17", shoe_size=9))
    assert set(caught.value.by_field()) == {"shoe_size"}
    with pytest.raises(RecordInvalid) as caught:
        changes.create("person", person_fields(date_of_birth="1990-05-17"))
    assert caught.value.by_field() == {"date_of_birth": "must be a date."}
    with pytest.raises(ValidationError, match="entity"):
        changes.create("team", {"name": "x", "service": "homelessness"})


def test_case_rules_apply_on_create(store: Store, changes: LocalChanges) -> None:
    fields: dict[str, object] = {
        "reference": "HR-000001",
        "service": "housing_repairs",
        "case_type": "repair",
        "priority": "emergency",
        "owning_team_id": TEAM,
        "subject_person_id": PERSON,
        "referral_date": date(2026, 11, 1),
        "target_at": NOW + timedelta(hours=30),
    }
    with pytest.raises(RecordInvalid) as caught:
        changes.create("case", fields)
    assert "24 hours" in caught.value.by_field()["target_at"]
    case_id = changes.create("case", {**fields, "target_at": NOW + timedelta(hours=20)})
    # The status starts where the case type's workflow starts; opened now.
    assert rows_of(
        store, "SELECT status, opened_at FROM case_record WHERE id = ?", case_id.hex
    ) == [("reported", "2026-11-02 09:30:00.000000")]


def test_references_must_be_on_the_laptop(changes: LocalChanges, store: Store) -> None:
    with pytest.raises(RecordInvalid) as caught:
        changes.add_note(uuid.uuid4(), "visit", "Called round.")
    assert caught.value.by_field() == {"case_id": "No such record is on this laptop."}
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO case_summary (id, tenant_id, reference, service, case_type, status, "
            "owning_team_id, subject_person_id, version, deleted, updated_at) VALUES "
            "(?, ?, 'HR-9', 'housing_repairs', 'repair', 'reported', ?, ?, 3, 0, ?)",
            (uuid.UUID(int=61).hex, TENANT.hex, TEAM.hex, PERSON.hex, "2026-11-01 00:00:00"),
        )
    with pytest.raises(RecordInvalid) as caught:
        changes.add_note(uuid.UUID(int=61), "visit", "Called round.")
    assert "team" in caught.value.by_field()["case_id"]
    with pytest.raises(ValidationError, match="team"):
        changes.update("case", uuid.UUID(int=61), {"summary": "x"})


def test_warning_marker_needs_reason_and_review_date(changes: LocalChanges) -> None:
    with pytest.raises(RecordInvalid) as caught:
        changes.create(
            "warning_marker", {"person_id": PERSON, "category": "violence", "reason": " "}
        )
    assert set(caught.value.by_field()) == {"reason", "review_date"}
    marker = changes.create(
        "warning_marker",
        {
            "person_id": PERSON,
            "category": "dog",
            "reason": "Large dog",
            "review_date": date(2027, 1, 1),
        },
    )
    with pytest.raises(RecordInvalid) as caught:
        changes.update("warning_marker", marker, {"status": "approved"})
    assert caught.value.by_field() == {"status": "Only a team lead may change this."}


# --- one transaction ------------------------------------------------------------------------


def test_failure_mid_create_saves_nothing(store: Store, changes: LocalChanges) -> None:
    fail_on_insert(store, "outbox")  # after the record's insert, before the outbox's
    with pytest.raises(Exception, match="injected failure"):
        changes.create("person", person_fields())
    assert rows_of(store, "SELECT count(*) FROM person") == [(1,)]
    assert store.search_persons("rhys") == []
    assert outbox_rows(store) == []


def test_failure_mid_update_saves_nothing(store: Store, changes: LocalChanges) -> None:
    fail_on_insert(store, "outbox")
    with pytest.raises(Exception, match="injected failure"):
        changes.update("person", PERSON, {"family_name": "Morgan"})
    assert rows_of(store, "SELECT family_name FROM person") == [("Pritchard",)]
    assert [h.name for h in store.search_persons("pritchard")] == ["Siân Pritchard"]


def test_failure_mid_transition_saves_nothing(store: Store, changes: LocalChanges) -> None:
    fail_on_insert(store, "outbox")
    with pytest.raises(Exception, match="injected failure"):
        changes.transition(CASE, "investigating")
    assert rows_of(store, "SELECT status FROM case_record") == [("open",)]


# --- update ---------------------------------------------------------------------------------


def test_fields_that_are_not_editable_are_refused_by_name(changes: LocalChanges) -> None:
    with pytest.raises(RecordInvalid) as caught:
        changes.update("case", CASE, {"status": "closed", "reference": "X", "sealed": True})
    errors = caught.value.by_field()
    assert "transition" in errors["status"]
    assert "once the record exists" in errors["reference"]
    assert errors["sealed"] == "is not a field of this record."
    with pytest.raises(RecordInvalid) as caught:
        changes.update("person", PERSON, {"sealed": True})
    assert caught.value.by_field() == {"sealed": "Only a team lead may change this."}
    with pytest.raises(ValidationError, match="append-only"):
        changes.update("note", NOTE, {"text": "rewritten"})


def test_successive_edits_queue_in_order_with_chained_bases(
    store: Store, changes: LocalChanges, clock: FakeClock
) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001"})
    clock.advance(minutes=1)
    changes.update("person", PERSON, {"phone": "07700 900002", "family_name": "Jones"})
    first, second = outbox_rows(store)
    assert first["mutation_id"] < second["mutation_id"]  # type: ignore[operator]
    assert (first["op"], second["op"]) == ("update", "update")
    assert first["fields"] == {"phone": "07700 900001"}
    assert first["base"] == {"phone": "029 2000 0000"}
    # The second is based on the first: the platform holds the first's values by then.
    assert second["fields"] == {"phone": "07700 900002", "family_name": "Jones"}
    assert second["base"] == {"phone": "07700 900001", "family_name": "Pritchard"}
    # Both name the version the platform last sent, which the record keeps until a pull.
    assert first["base_version"] == second["base_version"] == 1
    assert rows_of(store, "SELECT version, phone FROM person") == [(1, "07700 900002")]


def test_an_edit_to_the_same_value_queues_nothing(store: Store, changes: LocalChanges) -> None:
    changes.update("person", PERSON, {"phone": "029 2000 0000", "nhs_number": "943 476 5919"})
    assert outbox_rows(store) == []


def test_delete_keeps_a_tombstone_and_queues_its_base(store: Store, changes: LocalChanges) -> None:
    changes.delete("task", TASK)
    assert rows_of(store, "SELECT deleted FROM task WHERE id = ?", TASK.hex) == [(1,)]
    [entry] = outbox_rows(store)
    assert entry["op"] == "delete"
    assert entry["fields"] == {}
    base = entry["base"]
    assert isinstance(base, dict)
    assert base["title"] == "Call landlord"
    assert base["status"] == "open"
    with pytest.raises(ValidationError, match="deleted"):
        changes.update("task", TASK, {"title": "again"})
    with pytest.raises(ValidationError, match="append-only"):
        changes.delete("note", NOTE)


# --- workflow, notes, visits, views ----------------------------------------------------------


def test_transition_follows_the_state_machine(
    store: Store, changes: LocalChanges, clock: FakeClock
) -> None:
    with pytest.raises(ValidationError) as caught:
        changes.transition(CASE, "monitoring")
    assert caught.value.field == "status"
    assert "allowed from 'open': investigating, closed" in caught.value.message
    changes.transition(CASE, "investigating")
    assert rows_of(store, "SELECT status, status_changed_at FROM case_record") == [
        ("investigating", "2026-11-02 09:30:00.000000")
    ]
    [entry] = outbox_rows(store)
    assert entry["op"] == "transition"
    assert entry["fields"] == {"status": "investigating"}
    base = entry["base"]
    assert isinstance(base, dict)
    assert base["status"] == "open"


def test_closing_needs_a_reason_and_no_open_tasks(store: Store, changes: LocalChanges) -> None:
    with pytest.raises(RecordInvalid) as caught:
        changes.transition(CASE, "closed")
    errors = caught.value.by_field()
    assert set(errors) == {"closure_reason", "tasks"}
    assert "'Call landlord', 'Home visit'" in errors["tasks"]
    changes.update("task", TASK, {"status": "done"})
    changes.update("task", VISIT, {"status": "cancelled"})
    changes.transition(CASE, "closed", {"closure_reason": "Arrears cleared"})
    assert rows_of(store, "SELECT status, closure_reason, closed_at FROM case_record") == [
        ("closed", "Arrears cleared", "2026-11-02 09:30:00.000000")
    ]
    entry = outbox_rows(store)[-1]
    assert entry["fields"] == {"status": "closed", "closure_reason": "Arrears cleared"}


def test_notes_are_appended_with_their_author(store: Store, changes: LocalChanges) -> None:
    note = changes.add_note(CASE, "phone", "Tenant rang about the plan.", "shared")
    assert rows_of(
        store, "SELECT author_id, kind, visibility FROM note WHERE id = ?", note.hex
    ) == [(USER.hex, "phone", "shared")]
    with pytest.raises(RecordInvalid) as caught:
        changes.add_note(CASE, "telepathy", " ")
    assert set(caught.value.by_field()) == {"kind", "text"}


def test_visit_check_in_and_out(store: Store, changes: LocalChanges, clock: FakeClock) -> None:
    with pytest.raises(ValidationError, match="Check in before"):
        changes.check_out(VISIT)
    with pytest.raises(ValidationError, match="Only a visit"):
        changes.check_in(TASK)
    changes.check_in(VISIT)
    with pytest.raises(ValidationError, match="Already checked in at 09:30"):
        changes.check_in(VISIT)
    clock.advance(minutes=40)
    changes.check_out(VISIT)
    assert rows_of(
        store, "SELECT checked_in_at, checked_out_at FROM task WHERE id = ?", VISIT.hex
    ) == [("2026-11-02 09:30:00.000000", "2026-11-02 10:10:00.000000")]
    assert [entry["fields"] for entry in outbox_rows(store)] == [
        {"checked_in_at": "2026-11-02T09:30:00Z"},
        {"checked_out_at": "2026-11-02T10:10:00Z"},
    ]


def test_a_view_is_audited_and_queued(store: Store, changes: LocalChanges) -> None:
    event = changes.record_view("case", CASE)
    assert rows_of(
        store,
        "SELECT user_id, device_id, action, entity, entity_id FROM audit_event WHERE id = ?",
        event.hex,
    ) == [(USER.hex, DEVICE.hex, "view", "case", CASE.hex)]
    [entry] = outbox_rows(store)
    assert (entry["entity"], entry["op"]) == ("audit_event", "create")


def test_pending_mutations_are_wire_ready(changes: LocalChanges, sync: LocalSync) -> None:
    changes.update("person", PERSON, {"phone": "07700 900001"})
    changes.transition(CASE, "investigating")
    first, second = sync.pending_mutations()
    assert first.mutation_id < second.mutation_id
    assert first.id == PERSON
    assert first.model_dump(mode="json")["fields"] == {"phone": "07700 900001"}
    assert second.op == "transition"
    assert sync.status().pending == 2
    sync.record_attempt([first.mutation_id])
    assert sync.pending_mutations(limit=1) == [first]


def test_kinds_checked_against_the_model(changes: LocalChanges) -> None:
    with pytest.raises(RecordInvalid) as caught:
        changes.create("task", {"case_id": CASE, "title": "x", "kind": "errand"})
    assert caught.value.by_field() == {"kind": f"Must be one of: {', '.join(e.TaskKind)}."}
