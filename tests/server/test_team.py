"""Team lead rules on the platform: allocation with history, closure approval, supervision notes,
workload weights. One test per rule, through push, the feed and the admin route."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.models import entities as e
from app.sync.protocol import Mutation, PushResponse
from server.deps import Principal
from tests.server.world import World, as_user, mutation

pytestmark = pytest.mark.postgres

WEIGHTS = "/api/v1/admin/workload-weights"


def _allocation(
    case_id: uuid.UUID,
    lead: Principal,
    team: uuid.UUID,
    to_officer: Principal | None,
    from_officer: Principal | None = None,
    reason: str = "Balancing caseloads before leave",
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "from_officer_id": from_officer.user_id if from_officer else None,
        "to_officer_id": to_officer.user_id if to_officer else None,
        "to_team_id": team,
        "reason": reason,
        "allocated_by_id": lead.user_id,
    }


def _allocate(
    world: World,
    who: Principal,
    case_id: uuid.UUID,
    allocation: dict[str, Any],
    case_fields: dict[str, Any],
    base: dict[str, Any],
) -> PushResponse:
    return world.push(
        who,
        uuid.uuid4(),
        mutation(1, "allocation", uuid.uuid4(), "create", allocation),
        mutation(2, "case", case_id, "update", case_fields, base=base, base_version=1),
    )


def _carried_case(world: World) -> tuple[uuid.UUID, Principal, Principal, Principal, uuid.UUID]:
    """A team with a lead and two officers, and a case the first officer carries."""
    team = world.team()
    lead = world.user(team, e.Role.TEAM_LEAD)
    officer, colleague = world.user(team), world.user(team)
    return (
        team,
        lead,
        officer,
        colleague,
        world.case(team, world.person(), officer_id=officer.user_id),
    )


def _reassignment(
    mutation_id: int, case_id: uuid.UUID, officer: Principal, to: Principal
) -> Mutation:
    """The case update moving a case (at version 1) from ``officer`` to ``to``."""
    return mutation(
        mutation_id,
        "case",
        case_id,
        "update",
        {"officer_id": to.user_id},
        base={"officer_id": officer.user_id},
        base_version=1,
    )


def _push_one(
    world: World,
    who: Principal,
    entity: str,
    record_id: uuid.UUID,
    op: str,
    fields: dict[str, Any],
    *,
    base: dict[str, Any] | None = None,
    base_version: int = 0,
) -> PushResponse:
    """Push one change as the first of a new laptop's batch."""
    return world.push(
        who,
        uuid.uuid4(),
        mutation(1, entity, record_id, op, fields, base=base, base_version=base_version),
    )


def _refusal(response: PushResponse, index: int = 0) -> tuple[str, str | None, list[str]]:
    result = response.results[index]
    return result.outcome, result.code, [error.field for error in result.errors]


def test_a_team_lead_allocates_an_unallocated_case_and_the_history_is_kept(world: World) -> None:
    team = world.team()
    lead = world.user(team, e.Role.TEAM_LEAD)
    officer = world.user(team)
    case_id = world.case(team, world.person())  # a new case nobody carries yet

    answer = _allocate(
        world,
        lead,
        case_id,
        _allocation(case_id, lead, team, officer),
        {"officer_id": officer.user_id},
        {"officer_id": None},
    )

    assert [r.outcome for r in answer.results] == ["applied", "applied"]
    row = world.row("case", case_id)
    assert row is not None
    assert row["officer_id"] == officer.user_id
    feed = world.pull(officer)
    (history,) = [c for c in feed.changes if c.entity == "allocation"]
    assert history.fields is not None
    assert history.fields["reason"] == "Balancing caseloads before leave"
    assert history.fields["allocated_by_id"] == str(lead.user_id)


def test_a_reassignment_pushed_after_its_allocation_record_is_applied(world: World) -> None:
    # A laptop's outbox may split the two across batches: the second is checked against
    # the allocation record already stored, not only against one in its own batch.
    team, lead, officer, colleague, case_id = _carried_case(world)
    client = uuid.uuid4()
    allocation = _allocation(case_id, lead, team, colleague, officer)

    first = world.push(lead, client, mutation(1, "allocation", uuid.uuid4(), "create", allocation))
    second = world.push(lead, client, _reassignment(2, case_id, officer, colleague))

    assert [r.outcome for r in (*first.results, *second.results)] == ["applied", "applied"]
    row = world.row("case", case_id)
    assert row is not None
    assert row["officer_id"] == colleague.user_id


def test_a_field_officer_is_refused_allocation_by_the_platform(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    colleague = world.user(team)
    case_id = world.case(team, world.person(), officer_id=officer.user_id)

    # The officer's laptop would hide the button; this is the platform's own refusal.
    answer = _allocate(
        world,
        officer,
        case_id,
        {**_allocation(case_id, officer, team, colleague, officer)},
        {"officer_id": colleague.user_id},
        {"officer_id": officer.user_id},
    )

    assert _refusal(answer, 0) == ("rejected", "forbidden", ["case_id"])
    assert "team lead" in answer.results[0].errors[0].message
    assert _refusal(answer, 1) == ("rejected", "forbidden", ["officer_id"])
    row = world.row("case", case_id)
    assert row is not None
    assert row["officer_id"] == officer.user_id


def test_a_reassignment_without_an_allocation_record_is_refused(world: World) -> None:
    _team, lead, officer, colleague, case_id = _carried_case(world)

    answer = world.push(lead, uuid.uuid4(), _reassignment(1, case_id, officer, colleague))

    assert _refusal(answer) == ("rejected", "forbidden", ["officer_id"])
    assert "reason" in answer.results[0].errors[0].message


def test_an_allocation_needs_a_reason_and_the_current_officer(world: World) -> None:
    team = world.team()
    lead = world.user(team, e.Role.TEAM_LEAD)
    officer, colleague, other = world.user(team), world.user(team), world.user(team)
    case_id = world.case(team, world.person(), officer_id=officer.user_id)

    no_reason = _push_one(
        world,
        lead,
        "allocation",
        uuid.uuid4(),
        "create",
        _allocation(case_id, lead, team, colleague, officer, reason="   "),
    )
    stale = _push_one(
        world,
        lead,
        "allocation",
        uuid.uuid4(),
        "create",
        _allocation(case_id, lead, team, colleague, other),
    )

    assert _refusal(no_reason) == ("rejected", "validation", ["reason"])
    assert _refusal(stale) == ("rejected", "forbidden", ["from_officer_id"])


def test_a_lead_of_another_team_may_not_allocate(world: World) -> None:
    team, elsewhere = world.team(), world.team()
    other_lead = world.user(elsewhere, e.Role.TEAM_LEAD)
    officer = world.user(team)
    case_id = world.case(team, world.person())

    answer = _push_one(
        world,
        other_lead,
        "allocation",
        uuid.uuid4(),
        "create",
        _allocation(case_id, other_lead, team, officer),
    )

    assert _refusal(answer)[:2] == ("rejected", "forbidden")


def test_a_closure_needing_approval_is_made_only_by_a_team_lead(world: World) -> None:
    team = world.team("homelessness")
    officer = world.user(team)
    lead = world.user(team, e.Role.TEAM_LEAD)
    case_id = world.case(
        team, world.person(), officer_id=officer.user_id, case_type="homelessness", status="relief"
    )
    close = {"status": "closed", "closure_reason": "Accommodation secured"}

    refused = _push_one(
        world,
        officer,
        "case",
        case_id,
        "transition",
        close,
        base={"status": "relief"},
        base_version=1,
    )
    requested = _push_one(
        world,
        officer,
        "case",
        case_id,
        "update",
        {
            "closure_reason": "Accommodation secured",
            "closure_requested_at": "2026-11-20T10:00:00Z",
            "closure_requested_by_id": officer.user_id,
        },
        base={"closure_reason": None, "closure_requested_at": None},
        base_version=1,
    )
    approved = _push_one(
        world, lead, "case", case_id, "transition", close, base={"status": "relief"}, base_version=2
    )

    assert _refusal(refused) == ("rejected", "forbidden", ["status"])
    assert "team lead" in refused.results[0].errors[0].message
    assert requested.results[0].outcome == "applied"
    assert approved.results[0].outcome == "applied"
    row = world.row("case", case_id)
    assert row is not None
    assert (row["status"], row["closure_requested_by_id"]) == ("closed", officer.user_id)


def test_a_closure_not_needing_approval_stays_with_the_officer(world: World) -> None:
    team = world.team()
    officer = world.user(team)
    case_id = world.case(team, world.person(), officer_id=officer.user_id)  # tenancy

    closed = _push_one(
        world,
        officer,
        "case",
        case_id,
        "transition",
        {"status": "closed", "closure_reason": "Arrears cleared"},
        base={"status": "open"},
        base_version=1,
    )

    assert closed.results[0].outcome == "applied"


def test_a_closure_is_requested_only_in_ones_own_name(world: World) -> None:
    team = world.team("homelessness")
    officer, colleague = world.user(team), world.user(team)
    case_id = world.case(team, world.person(), officer_id=officer.user_id, case_type="homelessness")

    answer = _push_one(
        world,
        officer,
        "case",
        case_id,
        "update",
        {"closure_requested_by_id": colleague.user_id},
        base={"closure_requested_by_id": None},
        base_version=1,
    )

    assert _refusal(answer) == ("rejected", "forbidden", ["closure_requested_by_id"])


def _supervise(
    world: World, who: Principal, case_id: uuid.UUID, text: str, note_id: uuid.UUID | None = None
) -> PushResponse:
    fields = {"case_id": case_id, "author_id": who.user_id, "text": text}
    return _push_one(world, who, "supervision_note", note_id or uuid.uuid4(), "create", fields)


def test_supervision_notes_reach_only_team_leads_and_the_allocated_officer(world: World) -> None:
    team, elsewhere = world.team(), world.team()
    lead = world.user(team, e.Role.TEAM_LEAD)
    officer, colleague = world.user(team), world.user(team)
    other_lead = world.user(elsewhere, e.Role.TEAM_LEAD)
    case_id = world.case(team, world.person(), officer_id=officer.user_id)
    world.note(case_id, officer.user_id)

    written = {uuid.uuid4(), uuid.uuid4()}
    lead_note, officer_note = sorted(written)
    by_lead = _supervise(world, lead, case_id, "Discussed risk; visit weekly.", lead_note)
    by_officer = _supervise(world, officer, case_id, "Asked for advice.", officer_note)
    by_colleague = _supervise(world, colleague, case_id, "Not mine to write.")

    def served(who: Principal) -> dict[uuid.UUID, str]:
        feed = world.pull(who)
        return {c.id: c.scope for c in feed.changes if c.entity == "supervision_note"}

    assert [r.outcome for r in (*by_lead.results, *by_officer.results)] == ["applied", "applied"]
    assert _refusal(by_colleague) == ("rejected", "forbidden", ["case_id"])
    assert served(lead) == dict.fromkeys(written, "full")
    assert served(officer) == dict.fromkeys(written, "full")
    # The colleague reads the case's chronology but not its supervision (a first pull leaves
    # out exits: there is nothing on the laptop yet to remove).
    assert served(colleague) == {}
    assert served(other_lead) == {}
    with world.client() as http:
        detail = http.get(f"/api/v1/cases/{case_id}", headers=as_user(colleague))
    assert "Discussed risk" not in detail.text


def test_reassignment_moves_supervision_notes_to_the_new_officer(world: World) -> None:
    team, lead, old, new, case_id = _carried_case(world)
    note = uuid.uuid4()
    assert _supervise(world, lead, case_id, "Agreed a plan.", note).results[0].outcome == "applied"
    old_start, new_start = world.pull(old), world.pull(new)

    moved = _allocate(
        world,
        lead,
        case_id,
        _allocation(case_id, lead, team, new, old),
        {"officer_id": new.user_id},
        {"officer_id": old.user_id},
    )
    old_after, new_after = world.pull(old, old_start), world.pull(new, new_start)

    assert [r.outcome for r in moved.results] == ["applied", "applied"]
    assert old_start.get("supervision_note", note).scope == "full"  # type: ignore[union-attr]
    assert new_start.get("supervision_note", note) is None
    assert old_after.get("supervision_note", note).scope == "exit"  # type: ignore[union-attr]
    assert new_after.get("supervision_note", note).scope == "full"  # type: ignore[union-attr]


def test_only_an_administrator_sets_workload_weights(world: World) -> None:
    team = world.team()
    admin = world.user(None, e.Role.ADMIN)
    lead = world.user(team, e.Role.TEAM_LEAD)
    body = {"weights": [{"case_type": "homelessness", "priority": "high", "points": 7}]}

    with world.client() as http:
        as_lead = http.put(WEIGHTS, json=body, headers=as_user(lead))
        read_as_lead = http.get(WEIGHTS, headers=as_user(lead))
        saved = http.put(WEIGHTS, json=body, headers=as_user(admin))
        again = http.put(WEIGHTS, json=body, headers=as_user(admin))

    assert (as_lead.status_code, read_as_lead.status_code) == (403, 403)
    assert saved.status_code == 200
    in_force = {(w["case_type"], w["priority"]): w["points"] for w in saved.json()["weights"]}
    assert in_force[("homelessness", "high")] == 7
    assert in_force[("repair", "emergency")] == 3  # a default, not set by this council
    assert again.status_code == 200
    weights = [c for c in world.pull(lead).changes if c.entity == "workload_weight"]
    assert len(weights) == 1  # the repeat changed nothing, so it made no second row
    assert weights[0].fields is not None
    assert weights[0].fields["points"] == 7


def test_bad_workload_weights_are_named_by_field_and_nothing_is_saved(world: World) -> None:
    admin = world.user(None, e.Role.ADMIN)
    body = {
        "weights": [
            {"case_type": "homelessness", "priority": "high", "points": 4},
            {"case_type": "repair", "priority": "high", "points": 2},
            {"case_type": "burglary", "priority": "low", "points": 1},
            {"case_type": "tenancy", "priority": "low", "points": 500},
        ]
    }

    with world.client() as http:
        answer = http.put(WEIGHTS, json=body, headers=as_user(admin))

    assert answer.status_code == 422
    fields = [error["field"] for error in answer.json()["errors"]]
    assert fields == ["weights.1.priority", "weights.2.case_type", "weights.3.points"]
    assert world.pull(admin).ids("workload_weight") == set()


def test_laptops_may_not_push_workload_weights(world: World) -> None:
    team = world.team()
    lead = world.user(team, e.Role.TEAM_LEAD)

    answer = _push_one(
        world,
        lead,
        "workload_weight",
        uuid.uuid4(),
        "create",
        {"case_type": "repair", "priority": "routine", "points": 0},
    )

    # Nothing of a weight is settable from a laptop: each field is refused by name.
    assert _refusal(answer) == ("rejected", "validation", ["case_type", "points", "priority"])
    assert world.pull(lead).ids("workload_weight") == set()
