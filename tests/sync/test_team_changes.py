"""The laptop's team lead writes: allocation with its record, closure requests and decisions."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from app.models import entities as e
from app.models.registry import BY_NAME
from app.models.validation import RecordInvalid, ValidationError
from app.store.db import Store
from app.sync.outbox import LocalChanges
from app.views.referrals import ReferralRow, case_for_referral, load_inbox
from tests.sync.conftest import (
    CASE,
    DEVICE,
    NOW,
    PERSON,
    TEAM,
    TENANT,
    USER,
    FakeClock,
    complete,
    load,
    rows_of,
)
from tests.sync.test_changes import outbox_rows

LEAD = uuid.UUID(int=14)
COLLEAGUE = uuid.UUID(int=15)
HOMELESS = uuid.UUID(int=61)


@pytest.fixture
def team_store(store: Store) -> Store:
    common = {"tenant_id": TENANT, "version": 1, "updated_at": NOW, "deleted": False}
    users: list[dict[str, Any]] = [
        {"id": LEAD, "username": "lead", "display_name": "Sam", "role": "team_lead"},
        {"id": COLLEAGUE, "username": "bea", "display_name": "Bea", "role": "field_officer"},
    ]
    case = {
        "id": HOMELESS,
        "reference": "HO-000001",
        "service": "homelessness",
        "case_type": "homelessness",
        "status": "relief",
        "priority": "normal",
        "owning_team_id": TEAM,
        "officer_id": USER,
        "subject_person_id": PERSON,
        "summary": "Sofa surfing",
        "referral_date": date(2026, 10, 1),
        "opened_at": NOW - timedelta(days=20),
        "status_changed_at": NOW - timedelta(days=20),
    }
    rows: dict[str, dict[uuid.UUID, dict[str, Any]]] = {
        "user": {
            u["id"]: complete(BY_NAME["user"].model, {**common, **u, "team_id": TEAM})
            for u in users
        },
        "case": {HOMELESS: complete(BY_NAME["case"].model, {**common, **case})},
    }
    load(store, rows)
    return store


def writer(store: Store, user: uuid.UUID, role: str) -> LocalChanges:
    return LocalChanges(
        store,
        clock=FakeClock(),
        user_id=user,
        device_id=DEVICE,
        tenant_id=TENANT,
        allow_test_numbers=False,
        role=role,
    )


def test_a_lead_allocates_with_its_record_in_one_transaction(team_store: Store) -> None:
    lead = writer(team_store, LEAD, "team_lead")

    allocation = lead.allocate(CASE, COLLEAGUE, "Alex is on leave")

    assert rows_of(team_store, "SELECT officer_id FROM case_record WHERE id = ?", CASE.hex) == [
        (COLLEAGUE.hex,)
    ]
    assert rows_of(
        team_store,
        "SELECT from_officer_id, to_officer_id, to_team_id, allocated_by_id, reason "
        "FROM allocation WHERE id = ?",
        allocation.hex,
    ) == [(USER.hex, COLLEAGUE.hex, TEAM.hex, LEAD.hex, "Alex is on leave")]
    entries = [(r["entity"], r["op"]) for r in outbox_rows(team_store)]
    assert entries == [("allocation", "create"), ("case", "update")]
    assert outbox_rows(team_store)[1]["fields"] == {"officer_id": str(COLLEAGUE)}


@pytest.mark.parametrize(
    ("role", "officer", "reason", "field"),
    [
        ("team_lead", COLLEAGUE, "  ", "reason"),
        ("field_officer", COLLEAGUE, "Swap", "case_id"),
        ("team_lead", USER, "Again", "officer_id"),
    ],
)
def test_a_refused_allocation_names_the_field_and_writes_nothing(
    team_store: Store, role: str, officer: uuid.UUID, reason: str, field: str
) -> None:
    changes = writer(team_store, LEAD if role == "team_lead" else USER, role)

    with pytest.raises((ValidationError, RecordInvalid)) as caught:
        changes.allocate(CASE, officer, reason)

    error = caught.value
    if isinstance(error, RecordInvalid):
        fields = set(error.by_field())
    else:
        assert isinstance(error, ValidationError)
        fields = {error.field}
    assert field in fields
    assert outbox_rows(team_store) == []
    assert rows_of(team_store, "SELECT count(*) FROM allocation") == [(0,)]
    assert rows_of(team_store, "SELECT officer_id FROM case_record WHERE id = ?", CASE.hex) == [
        (USER.hex,)
    ]


REFERRAL = uuid.UUID(int=62)


def _with_referral(store: Store) -> ReferralRow:
    common = {"tenant_id": TENANT, "version": 1, "updated_at": NOW, "deleted": False}
    referral = {
        "id": REFERRAL,
        "person_id": PERSON,
        "case_id": CASE,
        "from_service": "adult_social_care",
        "to_service": "homelessness",
        "to_team_id": TEAM,
        "reason": "Discharged from hospital with nowhere to go",
        "urgency": "urgent",
        "lawful_basis": "Public task",
        "status": "sent",
        "sent_at": NOW,
    }
    load(store, {"referral": {REFERRAL: complete(e.Referral, {**common, **referral})}})
    [row] = [r for r in load_inbox(store, TEAM) if r.id == REFERRAL]
    return row


@pytest.mark.parametrize(
    ("role", "reason", "field"),
    [("team_lead", "", "reason"), ("field_officer", "Near her", "case_id")],
)
def test_allocating_a_referral_is_one_transaction_or_nothing(
    team_store: Store, role: str, reason: str, field: str
) -> None:
    referral = _with_referral(team_store)
    case = uuid.uuid4()
    fields = case_for_referral(
        referral, team_id=TEAM, officer_id=COLLEAGUE, today=NOW.date(), case_id=case
    )

    lead = writer(team_store, LEAD, "team_lead")
    with pytest.raises((ValidationError, RecordInvalid)) as caught:
        writer(team_store, LEAD if role == "team_lead" else USER, role).allocate_referral(
            REFERRAL, fields, case, COLLEAGUE, reason
        )
    error = caught.value
    if isinstance(error, RecordInvalid):
        named = set(error.by_field())
    else:
        assert isinstance(error, ValidationError)
        named = {error.field}
    assert field in named
    assert outbox_rows(team_store) == []
    assert rows_of(team_store, "SELECT count(*) FROM case_record WHERE id = ?", case.hex) == [(0,)]
    assert rows_of(team_store, "SELECT status FROM referral WHERE id = ?", REFERRAL.hex) == [
        ("sent",)
    ]

    allocation = lead.allocate_referral(REFERRAL, fields, case, COLLEAGUE, "Knows the family")

    entries = [(r["entity"], r["op"]) for r in outbox_rows(team_store)]
    assert entries == [
        ("case", "create"),
        ("referral", "update"),
        ("allocation", "create"),
        ("case", "update"),
    ]
    # The case opens unallocated (whatever officer the fields named) and the allocation moves it.
    opened = outbox_rows(team_store)[0]["fields"]
    assert isinstance(opened, dict)
    assert opened["officer_id"] is None
    assert rows_of(
        team_store,
        "SELECT case_id, from_officer_id, to_officer_id, to_team_id, reason FROM allocation "
        "WHERE id = ?",
        allocation.hex,
    ) == [(case.hex, None, COLLEAGUE.hex, TEAM.hex, "Knows the family")]
    assert rows_of(
        team_store, "SELECT officer_id, owning_team_id FROM case_record WHERE id = ?", case.hex
    ) == [(COLLEAGUE.hex, TEAM.hex)]
    assert rows_of(
        team_store, "SELECT status, created_case_id FROM referral WHERE id = ?", REFERRAL.hex
    ) == [("accepted", case.hex)]


def test_a_closure_needing_approval_is_requested_then_decided_by_a_lead(
    team_store: Store,
) -> None:
    officer = writer(team_store, USER, "field_officer")
    lead = writer(team_store, LEAD, "team_lead")

    with pytest.raises(ValidationError) as refused:
        officer.transition(HOMELESS, "closed", {"closure_reason": "Housed"})
    with pytest.raises(ValidationError) as no_reason:
        officer.request_closure(HOMELESS, " ")
    officer.request_closure(HOMELESS, "Housed by a friend")
    with pytest.raises(ValidationError):
        officer.decline_closure(HOMELESS, "Not yours to decline")
    with pytest.raises(ValidationError) as bare:
        lead.decline_closure(HOMELESS, "")
    note = lead.decline_closure(HOMELESS, "Check the tenancy is secure first")

    assert (refused.value.field, no_reason.value.field, bare.value.field) == (
        "status",
        "closure_reason",
        "reason",
    )
    assert "team lead" in refused.value.message
    assert rows_of(
        team_store,
        "SELECT status, closure_reason, closure_requested_at, closure_requested_by_id "
        "FROM case_record WHERE id = ?",
        HOMELESS.hex,
    ) == [("relief", "Housed by a friend", None, None)]
    assert rows_of(
        team_store, "SELECT author_id, text FROM supervision_note WHERE id = ?", note.hex
    ) == [(LEAD.hex, "Closure declined: Check the tenancy is secure first")]
    entries = [(r["entity"], r["op"]) for r in outbox_rows(team_store)]
    assert entries == [("case", "update"), ("supervision_note", "create"), ("case", "update")]
    # And a lead closes it outright.
    lead.transition(HOMELESS, "closed")
    assert rows_of(team_store, "SELECT status FROM case_record WHERE id = ?", HOMELESS.hex) == [
        ("closed",)
    ]
