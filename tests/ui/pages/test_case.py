"""The case screen: audited opening, legal moves only, inline errors, notes and visits."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.models.workflow import CASE_TYPES
from app.ui.pages.case import CasePage
from app.ui.session import UiSession
from tests.ui.pages.conftest import check_model, pending, rows

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester


def my_case(session: UiSession, where: str = "1") -> uuid.UUID:
    found = rows(
        session,
        f"SELECT id FROM case_record WHERE officer_id = :me AND status != 'closed' AND {where} "
        "ORDER BY reference LIMIT 1",
        me=session.identity.user_id.hex,
    )
    assert found, "the demo officer has such a case"
    return uuid.UUID(hex=str(found[0][0]))


def open_case(qtbot: QtBot, session: UiSession, case_id: uuid.UUID) -> CasePage:
    page = CasePage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.shown):
        page.show_case(case_id)
    return page


def status_of(session: UiSession, case_id: uuid.UUID) -> str:
    return str(rows(session, "SELECT status FROM case_record WHERE id = :c", c=case_id.hex)[0][0])


def test_opening_a_case_records_an_audit_view(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession
) -> None:
    case_id = my_case(session)
    count = (
        "SELECT count(*) FROM audit_event WHERE entity_id = :c AND action = 'view' AND user_id = :u"
    )
    params = {"c": case_id.hex, "u": session.identity.user_id.hex}
    before_views = rows(session, count, **params)[0][0]
    before = pending(session)
    page = open_case(qtbot, session, case_id)
    assert rows(session, count, **params)[0][0] == before_views + 1  # type: ignore[operator]
    assert pending(session) == before + 1  # uploaded on the next sync
    assert page.case is not None
    check_model(qtmodeltester, page.tasks_model)
    check_model(qtmodeltester, page.notes_model)


def test_only_legal_transitions_are_offered_and_a_forced_one_is_refused(
    qtbot: QtBot, session: UiSession
) -> None:
    case_id = my_case(session)
    page = open_case(qtbot, session, case_id)
    assert page.case is not None
    kind = CASE_TYPES[page.case.case_type]
    allowed = kind.allowed_from(page.case.status)
    assert set(page.transition_buttons) == set(allowed)
    illegal = next(s for s in kind.statuses if s not in allowed and s != page.case.status)
    assert page.findChild(QPushButton, f"to_{illegal}") is None
    before = pending(session)
    assert not page.try_transition(illegal)
    message = page.status_errors.message("status")
    assert f"cannot move from '{page.case.status}' to '{illegal}'" in message
    assert "allowed from" in message
    assert status_of(session, case_id) == page.case.status
    assert pending(session) == before


def test_a_legal_move_by_its_button_updates_status_and_offers_the_next_moves(
    qtbot: QtBot, session: UiSession
) -> None:
    case_id = my_case(session)
    page = open_case(qtbot, session, case_id)
    assert page.case is not None
    target = next(s for s in page.case.allowed_statuses if s != "closed")
    before = pending(session)
    with qtbot.waitSignal(page.shown):
        page.transition_buttons[target].click()
    assert status_of(session, case_id) == target
    assert pending(session) == before + 1
    kind = CASE_TYPES[page.case.case_type]
    assert set(page.transition_buttons) == set(kind.allowed_from(target))
    assert page.status_label.text().endswith(target.replace("_", " ").capitalize())


def test_closing_without_a_reason_names_the_field(qtbot: QtBot, session: UiSession) -> None:
    case_id = my_case(session)
    page = open_case(qtbot, session, case_id)
    assert page.case is not None
    if "closed" not in page.case.allowed_statuses:
        target = next(s for s in page.case.allowed_statuses if s != "closed")
        page.try_transition(target)
    assert "closed" in page.transition_buttons
    page.closure_reason.clear()
    assert not page.try_transition("closed")
    assert "cannot close without a reason" in page.status_errors.message("closure_reason")
    assert status_of(session, case_id) != "closed"


def test_due_date_before_referral_shows_its_field_message(qtbot: QtBot, session: UiSession) -> None:
    case_id = my_case(session)
    page = open_case(qtbot, session, case_id)
    before = pending(session)
    page.due_date.setText("01/01/2001")
    assert not page.save_details()
    assert "before the case's referral date" in page.errors.message("due_date")
    assert pending(session) == before
    page.due_date.setText("not a date")
    assert not page.save_details()
    assert "day/month/year" in page.errors.message("due_date")


def test_add_a_shared_note(qtbot: QtBot, session: UiSession) -> None:
    page = open_case(qtbot, session, my_case(session))
    before = pending(session)
    page.note_visibility.setCurrentIndex(page.note_visibility.findData("shared"))
    page.note_text.setPlainText("Phoned the GP; referral letter to follow.")
    with qtbot.waitSignal(page.shown):
        assert page.add_note()
    assert pending(session) == before + 1
    newest = page.notes_model.rows[0]
    assert (newest.text, newest.visibility) == (
        "Phoned the GP; referral letter to follow.",
        "shared",
    )


def test_check_in_then_out_of_a_visit(qtbot: QtBot, session: UiSession) -> None:
    visit = rows(
        session,
        "SELECT t.id, t.case_id FROM task t JOIN case_record c ON c.id = t.case_id "
        "WHERE c.officer_id = :me AND t.kind = 'visit' AND t.status = 'open' "
        "AND t.checked_in_at IS NULL LIMIT 1",
        me=session.identity.user_id.hex,
    )
    assert visit
    task_id, case_hex = visit[0]
    page = open_case(qtbot, session, uuid.UUID(hex=str(case_hex)))
    row = next(i for i, t in enumerate(page.tasks_model.rows) if t.id.hex == task_id)
    page.tasks_table.setCurrentIndex(page.tasks_model.index(row, 0))
    assert page.check_in_button.isEnabled()
    assert not page.check_out_button.isEnabled()
    assert page.check_in()
    task = page.selected_task()
    assert task is not None
    assert task.checked_in_at == session.changes.clock()
    assert page.check_out_button.isEnabled()
    assert not page.check_in_button.isEnabled()
    # Checking in twice is refused with the field's message.
    assert not page.check_in()
    assert page.task_errors.message("checked_in_at").startswith("Error: Already checked in")
    session.changes.clock.advance(minutes=40)  # type: ignore[attr-defined]
    assert page.check_out()
    task = page.selected_task()
    assert task is not None
    assert task.checked_out_at == session.changes.clock()


def test_a_summary_only_case_shows_no_detail_and_records_no_view(
    qtbot: QtBot, session: UiSession
) -> None:
    before = pending(session)
    page = open_case(qtbot, session, uuid.uuid4())
    assert page.case is None
    assert "not on this laptop" in page.title.text()
    assert page.transition_buttons == {}
    assert not page.save_button.isEnabled()
    assert pending(session) == before


def test_supervision_notes_offered_to_the_allocated_officer_only(
    qtbot: QtBot, session: UiSession
) -> None:
    page = open_case(qtbot, session, my_case(session))
    assert page.supervision.isVisibleTo(page)
    others = rows(
        session,
        "SELECT id FROM case_record WHERE officer_id IS NOT NULL AND officer_id != :me LIMIT 1",
        me=session.identity.user_id.hex,
    )
    assert others, "the demo laptop holds a colleague's case"
    with qtbot.waitSignal(page.shown):
        page.show_case(uuid.UUID(hex=str(others[0][0])))
    assert page.case is not None
    assert not page.supervision.isVisibleTo(page)


def test_an_officer_asks_a_lead_to_close_a_case_that_needs_approval(
    qtbot: QtBot, session: UiSession
) -> None:
    needing = [name for name, kind in CASE_TYPES.items() if kind.closure_needs_approval]
    listed = ", ".join(f"'{name}'" for name in needing)
    case_id = my_case(session, f"case_type IN ({listed})")
    page = open_case(qtbot, session, case_id)
    assert page.case is not None
    if "closed" not in page.case.allowed_statuses:
        page.try_transition(next(s for s in page.case.allowed_statuses if s != "closed"))
    assert page.transition_buttons["closed"].text() == "Request closure"
    page.closure_reason.setText("Support plan complete")
    assert page.try_transition("closed")
    requested = rows(
        session, "SELECT status, closure_requested_at FROM case_record WHERE id = :c", c=case_id.hex
    )[0]
    assert requested[0] != "closed"
    assert requested[1] is not None
