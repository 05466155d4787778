"""My caseload: the officer's cases only, sorted, filtered, opened by Enter."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.ui.pages.caseload import COLUMNS, ID_ROLE, CaseloadPage
from app.ui.session import UiSession
from app.views.caseload import DueState, load_caseload
from tests.ui.pages.conftest import check_model

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester


def shown_page(qtbot: QtBot, session: UiSession) -> CaseloadPage:
    page = CaseloadPage(session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    return page


def column_values(page: CaseloadPage, name: str) -> list[str]:
    model = page.model
    column = COLUMNS.index(name)
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_caseload_lists_exactly_my_open_cases(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession
) -> None:
    page = shown_page(qtbot, session)
    check_model(qtmodeltester, page.model)
    today = session.changes.clock().date()
    expected = {row.id for row in load_caseload(session.store, session.identity.user_id, today)}
    assert expected  # the demo officer carries cases
    model = page.model
    shown = {model.data(model.index(r, 0), ID_ROLE) for r in range(model.rowCount())}
    assert shown == expected
    assert "closed" not in {r.status for r in (model.row_at(i) for i in range(model.rowCount()))}


def test_sorting_by_reference_and_due(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession
) -> None:
    page = shown_page(qtbot, session)
    page.table.sortByColumn(COLUMNS.index("reference"), Qt.SortOrder.DescendingOrder)
    references = column_values(page, "reference")
    assert references == sorted(references, reverse=True)
    page.table.sortByColumn(COLUMNS.index("due"), Qt.SortOrder.AscendingOrder)
    dues = [page.model.row_at(i).due for i in range(page.model.rowCount())]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated)
    assert dues[: len(dated)] == dated  # undated cases last
    check_model(qtmodeltester, page.model)


def test_due_state_is_text_and_icon(qtbot: QtBot, session: UiSession) -> None:
    page = shown_page(qtbot, session)
    model = page.model
    column = COLUMNS.index("due_state")
    for row in range(model.rowCount()):
        index = model.index(row, column)
        assert model.data(index) in {"Overdue", "Due soon", "Later", "No due date"}
        assert not model.data(index, Qt.ItemDataRole.DecorationRole).isNull()


def test_filters_narrow_by_service_status_and_due(
    qtbot: QtBot, qtmodeltester: ModelTester, session: UiSession
) -> None:
    page = shown_page(qtbot, session)
    rows = [page.model.row_at(i) for i in range(page.model.rowCount())]
    overdue = [r for r in rows if r.due_state == DueState.OVERDUE]
    assert overdue
    assert len(overdue) < len(rows)
    page.due_filter.setCurrentIndex(page.due_filter.findData(str(DueState.OVERDUE)))
    assert page.model.rowCount() == len(overdue)
    assert set(column_values(page, "due_state")) == {"Overdue"}
    assert page.count_label.text() == f"{len(overdue)} of {len(rows)} cases shown"

    page.due_filter.setCurrentIndex(0)
    status = rows[0].status
    page.status_filter.setCurrentIndex(page.status_filter.findData(status))
    assert page.model.rowCount() == sum(r.status == status for r in rows)

    page.status_filter.setCurrentIndex(0)
    page.service_filter.setCurrentIndex(page.service_filter.findData("housing_repairs"))
    assert page.model.rowCount() == 0  # a social worker holds no repairs
    page.service_filter.setCurrentIndex(page.service_filter.findData("adult_social_care"))
    assert page.model.rowCount() == len(rows)
    check_model(qtmodeltester, page.model)


def test_enter_opens_the_current_case(qtbot: QtBot, session: UiSession) -> None:
    page = shown_page(qtbot, session)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(1, 0))
    expected = page.model.row_at(1).id
    with qtbot.waitSignal(session.events.open_case) as opened:
        QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [expected]
    assert isinstance(opened.args[0], uuid.UUID)


def test_a_change_reloads_the_caseload(qtbot: QtBot, session: UiSession) -> None:
    page = shown_page(qtbot, session)
    before = page.model.total
    first = page.model.row_at(0)
    session.changes.transition(first.id, first_allowed_non_closed(first.case_type, first.status))
    with qtbot.waitSignal(page.model.loaded):
        session.events.changed.emit()
    assert page.model.total == before
    reloaded = {page.model.row_at(i).id: page.model.row_at(i) for i in range(before)}
    assert reloaded[first.id].status != first.status


def first_allowed_non_closed(case_type: str, status: str) -> str:
    from app.models.workflow import CASE_TYPES

    return next(s for s in CASE_TYPES[case_type].allowed_from(status) if s != "closed")
