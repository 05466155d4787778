"""Today's visits: the officer's visits and tasks due today, check-in and check-out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.ui.pages.visits import VisitsPage
from app.ui.session import UiSession
from tests.ui.pages.conftest import check_model, pending, scalar

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester


def test_todays_visits_are_mine_and_due_today(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession
) -> None:
    page = VisitsPage(session)
    qtbot.addWidget(page)
    check_model(qtmodeltester, page.model)
    today = session.changes.clock().date()
    assert page.model.rows, "the demo social worker has visits today"
    assert all(row.due_at is not None and row.due_at.date() == today for row in page.model.rows)
    expected = scalar(
        session,
        "SELECT count(*) FROM task WHERE assignee_id = :me AND status = 'open' "
        "AND date(due_at) = :today",
        me=session.identity.user_id.hex,
        today=today.isoformat(),
    )
    assert len(page.model.rows) == expected


def test_check_in_and_out_from_todays_list(qtbot: QtBot, session: UiSession) -> None:
    page = VisitsPage(session)
    qtbot.addWidget(page)
    number = next(i for i, row in enumerate(page.model.rows) if row.is_visit)
    page.table.setCurrentIndex(page.model.index(number, 0))
    before = pending(session)
    assert not page.check_out_button.isEnabled()  # not checked in yet
    with qtbot.waitSignal(page.refreshed):
        assert page.check_in()
    selected = page.selected()
    assert selected is not None
    assert selected.checked_in_at == session.changes.clock()
    assert pending(session) == before + 1
    assert page.check_out_button.isEnabled()
    with qtbot.waitSignal(page.refreshed):
        assert page.check_out()
    assert pending(session) == before + 2


def test_enter_on_a_visit_opens_its_case(qtbot: QtBot, session: UiSession) -> None:
    page = VisitsPage(session)
    qtbot.addWidget(page)
    page.table.setCurrentIndex(page.model.index(0, 0))
    with qtbot.waitSignal(session.events.open_case) as opened:
        QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [page.model.rows[0].case_id]
