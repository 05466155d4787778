"""The screen queries, without Qt: due states, caseload sort and filter, resident and case reads."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from app.store.db import Store
from app.views.case import load_case, load_notes, load_tasks
from app.views.caseload import (
    CaseloadFilter,
    DueState,
    due_state,
    load_caseload,
    sort_rows,
)
from app.views.referrals import case_for_referral, load_inbox
from app.views.resident import load_resident
from app.views.visits import load_todays_visits
from tests.demo_store import TODAY, demo_user, load_demo

WORKER = demo_user("social.worker")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = load_demo(tmp_path_factory.mktemp("views") / "store.db", persons=600)
    yield opened
    opened.close()


def query(store: Store, sql: str, **params: object) -> list[tuple[object, ...]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-1, DueState.OVERDUE),
        (0, DueState.DUE_SOON),
        (7, DueState.DUE_SOON),
        (8, DueState.LATER),
    ],
)
def test_due_state_boundaries(offset: int, expected: DueState) -> None:
    assert due_state(TODAY + timedelta(days=offset), TODAY) is expected


def test_no_due_date_is_its_own_state() -> None:
    assert due_state(None, TODAY) is DueState.NONE


def test_caseload_is_the_officers_open_cases(store: Store) -> None:
    rows = load_caseload(store, WORKER.id, TODAY)
    expected = query(
        store,
        "SELECT id FROM case_record WHERE officer_id = :me AND status != 'closed'",
        me=WORKER.id.hex,
    )
    assert {row.id.hex for row in rows} == {str(r[0]) for r in expected}
    for row in rows:
        assert row.due_state is due_state(row.due, TODAY)


def test_sort_and_filter(store: Store) -> None:
    rows = load_caseload(store, WORKER.id, TODAY)
    sort_rows(rows, "reference", descending=True)
    assert [r.reference for r in rows] == sorted((r.reference for r in rows), reverse=True)
    sort_rows(rows, "due_state")
    order = [DueState.OVERDUE, DueState.DUE_SOON, DueState.LATER, DueState.NONE]
    ranks = [order.index(r.due_state) for r in rows]
    assert ranks == sorted(ranks)
    with pytest.raises(ValueError, match="cannot sort"):
        sort_rows(rows, "nhs_number")
    overdue = CaseloadFilter(due=DueState.OVERDUE)
    assert all(r.due_state is DueState.OVERDUE for r in rows if overdue.accepts(r))
    nothing = CaseloadFilter(service="housing_repairs")
    assert not [r for r in rows if nothing.accepts(r)]


def test_resident_view_holds_everything_visible(store: Store) -> None:
    person = query(
        store,
        "SELECT person_id FROM warning_marker WHERE status = 'approved' LIMIT 1",
    )[0][0]
    view = load_resident(store, uuid.UUID(hex=str(person)), TODAY)
    assert view is not None
    assert view.markers
    assert [m.expired for m in view.markers] == sorted(m.expired for m in view.markers)
    assert view.person.id.hex == person
    assert any(member.person_id == view.person.id for member in view.household)
    assert load_resident(store, uuid.uuid4(), TODAY) is None


def test_case_detail_offers_the_workflows_next_statuses(store: Store) -> None:
    case_id = query(store, "SELECT id FROM case_record WHERE status = 'referral' LIMIT 1")[0][0]
    case = load_case(store, uuid.UUID(hex=str(case_id)))
    assert case is not None
    assert set(case.allowed_statuses) == {"assessment", "closed"}
    notes = load_notes(store, case.id)
    assert [n.created_at for n in notes] == sorted((n.created_at for n in notes), reverse=True)
    tasks = load_tasks(store, case.id)
    assert {t.id.hex for t in tasks} == {
        str(r[0]) for r in query(store, "SELECT id FROM task WHERE case_id = :c", c=case_id)
    }
    assert load_case(store, uuid.uuid4()) is None


def test_todays_visits_only_today(store: Store) -> None:
    rows = load_todays_visits(store, WORKER.id, TODAY)
    assert all(r.due_at is not None and r.due_at.date() == TODAY for r in rows)
    assert load_todays_visits(store, WORKER.id, date(1990, 1, 1)) == []


def test_accepting_makes_a_case_of_the_receiving_service(store: Store) -> None:
    inbox = load_inbox(store, WORKER.team_id)
    assert inbox
    case_id = uuid.uuid4()
    fields = case_for_referral(
        inbox[0], team_id=WORKER.team_id, officer_id=WORKER.id, today=TODAY, case_id=case_id
    )
    assert fields["service"] == "adult_social_care"
    assert fields["case_type"] == "care_act"
    assert fields["status"] == "referral"
    assert fields["priority"] == "normal"
    assert fields["reference"] == f"AS-L{case_id.hex[:8].upper()}"
    assert len(fields["reference"]) <= 20


def test_no_team_no_inbox(store: Store) -> None:
    assert load_inbox(store, None) == []


def test_accept_referral_is_all_or_nothing(tmp_path: Path) -> None:
    from app.models.validation import RecordInvalid
    from tests.demo_store import sign_in

    store = load_demo(tmp_path / "store.db", persons=300)
    try:
        signed = sign_in(store, WORKER)
        referral = load_inbox(store, WORKER.team_id)[0]
        case_id = uuid.uuid4()
        fields = case_for_referral(
            referral, team_id=WORKER.team_id, officer_id=WORKER.id, today=TODAY, case_id=case_id
        )
        before = signed.local.status().pending
        with pytest.raises(RecordInvalid, match="priority"):
            signed.changes.accept_referral(referral.id, {**fields, "priority": "urgent"}, case_id)
        assert query(store, "SELECT count(*) FROM case_record WHERE id = :c", c=case_id.hex) == [
            (0,)
        ]
        status = query(store, "SELECT status FROM referral WHERE id = :r", r=referral.id.hex)
        assert status == [("sent",)]
        assert signed.local.status().pending == before
        assert signed.changes.accept_referral(referral.id, fields, case_id) == case_id
        assert signed.local.status().pending == before + 2
    finally:
        store.close()


def test_caseload_names_follow_a_rename(tmp_path: Path) -> None:
    from tests.demo_store import sign_in

    store = load_demo(tmp_path / "store.db", persons=300)
    try:
        signed = sign_in(store, WORKER)
        row = load_caseload(store, WORKER.id, TODAY)[0]
        person = query(
            store, "SELECT subject_person_id FROM case_record WHERE id = :c", c=row.id.hex
        )
        signed.changes.update(
            "person", uuid.UUID(hex=str(person[0][0])), {"family_name": "Ap Gruffydd"}
        )
        renamed = next(r for r in load_caseload(store, WORKER.id, TODAY) if r.id == row.id)
        assert renamed.resident.endswith(" Ap Gruffydd")
    finally:
        store.close()
