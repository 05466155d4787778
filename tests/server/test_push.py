"""Push: per-mutation outcomes, three-way merge, append-only, validation and client binding."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from app.models import entities as e
from server.models import ChangeLog, ClientState, Conflict
from server.problems import Problem
from tests.server.world import World, as_user, mutation

pytestmark = pytest.mark.postgres

GOOD_NHS = "943 476 5919"


def _person_fields(**extra: object) -> dict[str, object]:
    return {"given_name": "Megan", "family_name": "Price", **extra}


def test_create_update_delete_answer_applied_with_each_new_version(world: World) -> None:
    officer = world.user(world.team())
    client, pid = uuid.uuid4(), uuid.uuid4()

    created = world.push(
        officer, client, mutation(1, "person", pid, "create", _person_fields(nhs_number=GOOD_NHS))
    )
    updated = world.push(
        officer,
        client,
        mutation(
            2,
            "person",
            pid,
            "update",
            {"phone": "01633 000000"},
            base={"phone": None},
            base_version=1,
        ),
    )
    deleted = world.push(officer, client, mutation(3, "person", pid, "delete", base_version=2))

    assert [r.outcome for r in (*created.results, *updated.results, *deleted.results)] == [
        "applied",
        "applied",
        "applied",
    ]
    assert [r.version for r in (*created.results, *updated.results, *deleted.results)] == [1, 2, 3]
    row = world.row("person", pid)
    assert row is not None
    assert row["nhs_number"] == "9434765919"  # normalised by the shared rule
    assert row["phone"] == "01633 000000"
    assert row["deleted"] is True
    versions = world.count(
        sa.select(sa.func.count()).where(ChangeLog.record_id == pid, ChangeLog.entity == "person")
    )
    assert versions == 3
    audits = world.count(
        sa.select(sa.func.count()).where(
            e.AuditEvent.entity_id == pid, e.AuditEvent.user_id == officer.user_id
        )
    )
    assert audits == 3


def test_transition_from_the_current_status_is_applied(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    case_id = world.case(team, world.person())

    answer = world.push(
        officer,
        uuid.uuid4(),
        mutation(
            1,
            "case",
            case_id,
            "transition",
            {"status": "investigating"},
            base={"status": "open"},
            base_version=1,
        ),
    )

    assert answer.results[0].outcome == "applied"
    assert answer.results[0].version == 2
    row = world.row("case", case_id)
    assert row is not None
    assert row["status"] == "investigating"
    action = world.count(
        sa.select(sa.func.count()).where(
            e.AuditEvent.entity_id == case_id, e.AuditEvent.action == "transition"
        )
    )
    assert action == 1


def test_edit_over_a_newer_version_merges_when_fields_differ(world: World) -> None:
    officer = world.user(world.team())
    pid = world.person(phone="01633 111111", email="old@example.org")
    world.push(
        officer,
        uuid.uuid4(),
        mutation(
            1,
            "person",
            pid,
            "update",
            {"phone": "01633 222222"},
            base={"phone": "01633 111111"},
            base_version=1,
        ),
    )

    late = world.push(
        officer,
        uuid.uuid4(),
        mutation(
            1,
            "person",
            pid,
            "update",
            {"email": "new@example.org"},
            base={"email": "old@example.org"},
            base_version=1,
        ),
    )

    assert late.results[0].outcome == "merged"
    assert late.results[0].version == 3
    row = world.row("person", pid)
    assert row is not None
    assert (row["phone"], row["email"]) == ("01633 222222", "new@example.org")


def test_several_edits_of_one_record_in_a_batch_apply_in_order(world: World) -> None:
    officer = world.user(world.team())
    pid = world.person(phone="01633 111111", email="old@example.org")

    answer = world.push(
        officer,
        uuid.uuid4(),
        mutation(
            1,
            "person",
            pid,
            "update",
            {"phone": "01633 222222"},
            base={"phone": "01633 111111"},
            base_version=1,
        ),
        mutation(
            2,
            "person",
            pid,
            "update",
            {"email": "new@example.org"},
            base={"email": "old@example.org"},
            base_version=2,
        ),
        mutation(
            3,
            "person",
            pid,
            "update",
            {"phone": "01633 333333"},
            base={"phone": "01633 222222"},
            base_version=3,
        ),
    )

    assert [(r.outcome, r.version) for r in answer.results] == [
        ("applied", 2),
        ("applied", 3),
        ("applied", 4),
    ]
    row = world.row("person", pid)
    assert row is not None
    # Each update lands on the version the one before it made, whatever fields it sets.
    assert (row["version"], row["phone"], row["email"]) == (4, "01633 333333", "new@example.org")


def test_same_value_already_there_is_merged_without_a_new_version(world: World) -> None:
    officer = world.user(world.team())
    pid = world.person(phone="01633 111111")
    edit = {"phone": "01633 999999"}
    world.push(
        officer,
        uuid.uuid4(),
        mutation(1, "person", pid, "update", edit, base={"phone": "01633 111111"}, base_version=1),
    )

    same = world.push(
        officer,
        uuid.uuid4(),
        mutation(1, "person", pid, "update", edit, base={"phone": "01633 111111"}, base_version=1),
    )

    assert same.results[0].outcome == "merged"
    assert same.results[0].version == 2
    assert world.count(sa.select(sa.func.count()).where(Conflict.record_id == pid)) == 0


def test_true_conflict_is_stored_with_both_values_and_other_fields_still_applied(
    world: World,
) -> None:
    officer = world.user(world.team())
    pid = world.person(phone="01633 111111", email="old@example.org")
    world.push(
        officer,
        uuid.uuid4(),
        mutation(
            1,
            "person",
            pid,
            "update",
            {"phone": "01633 222222"},
            base={"phone": "01633 111111"},
            base_version=1,
        ),
    )
    loser = world.user(world.team())
    client = uuid.uuid4()

    answer = world.push(
        loser,
        client,
        mutation(
            7,
            "person",
            pid,
            "update",
            {"phone": "01633 333333", "email": "new@example.org"},
            base={"phone": "01633 111111", "email": "old@example.org"},
            base_version=1,
        ),
    )

    result = answer.results[0]
    assert result.outcome == "conflict"
    assert [(c.field, c.base, c.mine, c.theirs) for c in result.conflicts] == [
        ("phone", "01633 111111", "01633 333333", "01633 222222")
    ]
    row = world.row("person", pid)
    assert row is not None
    assert row["phone"] == "01633 222222"  # the server value stays
    assert row["email"] == "new@example.org"  # the non-conflicting field is applied
    with world.sessions() as session:
        stored = session.execute(sa.select(Conflict).where(Conflict.record_id == pid)).scalar_one()
    values: tuple[Any, ...] = (stored.mine_value, stored.theirs_value, stored.base_value)
    assert values == (
        "01633 333333",
        "01633 222222",
        "01633 111111",
    )
    assert (stored.user_id, stored.client_id, stored.mutation_id) == (loser.user_id, client, 7)
    assert stored.id == result.conflicts[0].conflict_id


def test_append_only_records_are_inserted_if_absent_and_never_conflict(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    case_id = world.case(team, world.person())
    note_id = uuid.uuid4()
    note = {
        "case_id": case_id,
        "kind": "visit",
        "text": "First visit.",
        "visibility": "service",
        "created_at": "2026-01-05T10:00:00Z",
    }

    first = world.push(officer, uuid.uuid4(), mutation(1, "note", note_id, "create", note))
    again = world.push(
        officer, uuid.uuid4(), mutation(1, "note", note_id, "create", {**note, "text": "Edited?"})
    )

    assert [first.results[0].outcome, again.results[0].outcome] == ["applied", "applied"]
    assert again.results[0].version == 1
    assert world.count(sa.select(sa.func.count()).where(e.Note.id == note_id)) == 1
    row = world.row("note", note_id)
    assert row is not None
    assert row["text"] == "First visit."
    assert row["author_id"] == officer.user_id
    assert world.count(sa.select(sa.func.count()).where(Conflict.record_id == note_id)) == 0


def test_illegal_transition_is_rejected_naming_the_allowed_ones(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    case_id = world.case(team, world.person())

    answer = world.push(
        officer,
        uuid.uuid4(),
        mutation(
            1,
            "case",
            case_id,
            "transition",
            {"status": "monitoring"},
            base={"status": "open"},
            base_version=1,
        ),
    )

    result = answer.results[0]
    assert (result.outcome, result.code) == ("rejected", "illegal_transition")
    assert result.errors[0].field == "status"
    assert "investigating" in result.errors[0].message
    row = world.row("case", case_id)
    assert row is not None
    assert row["status"] == "open"
    assert answer.last_mutation_id == 1


def test_invalid_nhs_number_is_rejected_on_its_field_and_nothing_is_saved(world: World) -> None:
    officer = world.user(world.team())
    pid, client = uuid.uuid4(), uuid.uuid4()

    answer = world.push(
        officer,
        client,
        mutation(1, "person", pid, "create", _person_fields(nhs_number="943 476 5918")),
    )

    result = answer.results[0]
    assert (result.outcome, result.code) == ("rejected", "validation")
    assert [error.field for error in result.errors] == ["nhs_number"]
    assert "check digit" in result.errors[0].message
    assert world.row("person", pid) is None
    assert world.count(sa.select(sa.func.count()).where(ChangeLog.record_id == pid)) == 0
    assert (
        world.count(sa.select(ClientState.last_mutation_id).where(ClientState.client_id == client))
        == 1
    )


def test_closing_a_case_with_open_tasks_is_rejected_until_they_are_done(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    case_id = world.case(team, world.person(), status="monitoring")
    task_id = world.task(case_id, title="Final visit")
    close = {"status": "closed", "closure_reason": "Arrears cleared"}
    client = uuid.uuid4()

    refused = world.push(
        officer,
        client,
        mutation(
            1, "case", case_id, "transition", close, base={"status": "monitoring"}, base_version=1
        ),
    )
    done = world.push(
        officer,
        client,
        mutation(
            2,
            "task",
            task_id,
            "update",
            {"status": "done"},
            base={"status": "open"},
            base_version=1,
        ),
        mutation(
            3, "case", case_id, "transition", close, base={"status": "monitoring"}, base_version=1
        ),
    )

    assert refused.results[0].outcome == "rejected"
    assert "'Final visit'" in {e.field: e.message for e in refused.results[0].errors}["tasks"]
    assert [r.outcome for r in done.results] == ["applied", "applied"]
    row = world.row("case", case_id)
    assert row is not None
    assert (row["status"], row["closure_reason"]) == ("closed", "Arrears cleared")
    assert row["closed_at"] is not None


def test_a_client_id_of_another_device_is_refused(world: World) -> None:
    team = world.team()
    first, second = world.user(team), world.user(team)
    client = uuid.uuid4()
    world.push(first, client, mutation(1, "person", uuid.uuid4(), "create", _person_fields()))

    with pytest.raises(Problem) as refused:
        world.push(second, client, mutation(2, "person", uuid.uuid4(), "create", _person_fields()))

    assert (refused.value.status, refused.value.code) == (403, "client-device-mismatch")
    with world.client() as http:
        response = http.post(
            "/api/v1/sync/push",
            json={"client_id": str(client), "mutations": []},
            headers=as_user(second),
        )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/client-device-mismatch")


def test_a_reference_to_a_missing_record_rejects_only_that_mutation(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    case_id = world.case(team, world.person())
    good, bad = uuid.uuid4(), uuid.uuid4()

    answer = world.push(
        officer,
        uuid.uuid4(),
        mutation(
            1,
            "task",
            good,
            "create",
            {"case_id": case_id, "title": "Call", "kind": "task", "status": "open"},
        ),
        mutation(
            2,
            "task",
            bad,
            "create",
            {
                "case_id": case_id,
                "title": "Visit",
                "kind": "task",
                "status": "open",
                "assignee_id": uuid.uuid4(),
            },
        ),
        mutation(
            3,
            "case",
            case_id,
            "update",
            {"summary": "Updated"},
            base={"summary": "Rent arrears"},
            base_version=1,
        ),
    )

    assert [r.outcome for r in answer.results] == ["applied", "rejected", "applied"]
    assert answer.results[1].errors[0].field == "assignee_id"
    assert world.row("task", good) is not None
    assert world.row("task", bad) is None


def test_push_through_http_answers_json(world: World) -> None:
    officer = world.user(world.team())
    body = {
        "client_id": str(uuid.uuid4()),
        "mutations": [
            mutation(1, "person", uuid.uuid4(), "create", _person_fields()).model_dump(mode="json")
        ],
    }

    with world.client() as http:
        response = http.post("/api/v1/sync/push", json=body, headers=as_user(officer))

    assert response.status_code == 200
    assert response.json()["results"][0]["outcome"] == "applied"
    assert response.json()["last_mutation_id"] == 1
