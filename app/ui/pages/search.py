"""Search: as-you-type over residents and cases, results grouped People / Cases.

Keyboard: type in the search box (Ctrl+L returns to it); Enter in the box opens the first
result; Down moves into the results, where Enter opens the selected person or case.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QTreeView, QVBoxLayout, QWidget

from app.store.db import CaseHit, PersonHit
from app.ui.pages.common import case_type_label, code_label, show_date
from app.ui.session import UiSession

Index = QModelIndex | QPersistentModelIndex
DEBOUNCE_MS = 25
"""Keystrokes closer together than this run one search. Officers type 5 to 8 keys a second
(125 ms or more apart), so this merges only bursts (a paste, key repeat, keys queued while
the GUI was busy) and keeps keystroke-to-results under the 50 ms target with a query of a
few milliseconds."""
RESULT_LIMIT = 25
PEOPLE, CASES = 0, 1
_GROUP = 0  # internal id of a group row; a result's id is its group + 1


class SearchResultsModel(QAbstractItemModel):
    """Two groups, People and Cases, each holding up to ``RESULT_LIMIT`` hits."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.people: list[PersonHit] = []
        self.cases: list[CaseHit] = []

    def set_results(self, people: list[PersonHit], cases: list[CaseHit]) -> None:
        self.beginResetModel()
        self.people, self.cases = people, cases
        self.endResetModel()

    def _group(self, group: int) -> list[Any]:
        return self.people if group == PEOPLE else self.cases

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return 2
        if parent.internalId() == _GROUP and parent.column() == 0:
            return len(self._group(parent.row()))
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _GROUP:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        if index.internalId() == _GROUP:
            found = len(self._group(index.row()))
            if index.row() == PEOPLE:
                if found >= RESULT_LIMIT:
                    return self.tr("People (first {0}: type more to narrow)").format(found)
                return self.tr("People ({0})").format(found)
            if found >= RESULT_LIMIT:
                return self.tr("Cases (first {0}: type more to narrow)").format(found)
            return self.tr("Cases ({0})").format(found)
        hit = self.hit(index)
        if isinstance(hit, PersonHit):
            parts = [hit.name, show_date(hit.date_of_birth)]
            if hit.nhs_number:
                parts.append(self.tr("NHS {0}").format(hit.nhs_number))
            parts.append(hit.address or "")
            parts.append(hit.postcode or "")
            return " · ".join(part for part in parts if part)
        if isinstance(hit, CaseHit):
            label = case_type_label(hit.case_type)
            return f"{hit.reference} · {label} · {code_label(hit.status)} · {hit.subject}"
        return None

    def hit(self, index: Index) -> PersonHit | CaseHit | None:
        """The person or case at ``index``; None for a group row."""
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        rows = self._group(int(index.internalId()) - 1)
        return rows[index.row()] if index.row() < len(rows) else None


class SearchPage(QWidget):
    """As-you-type search; a query runs on the GUI thread (FTS5 prefix lookups, ~ms).

    Signals:
        searched(float): results are shown; the search took this many seconds.
    """

    searched = Signal(float)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("search_page")
        self.setAccessibleName(self.tr("Search"))
        self.model = SearchResultsModel(self)

        heading = QLabel(self.tr("Search"), self)
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.box = QLineEdit(self)
        self.box.setObjectName("search_box")
        self.box.setAccessibleName(self.tr("Search residents and cases"))
        self.box.setPlaceholderText(self.tr("Name, NHS number, postcode, UPRN or case reference"))
        self.box.setClearButtonEnabled(True)
        self.box.installEventFilter(self)
        label = QLabel(self.tr("&Find:"), self)
        label.setBuddy(self.box)

        self.results = QTreeView(self)
        self.results.setObjectName("search_results")
        self.results.setAccessibleName(self.tr("Search results, grouped by people and cases"))
        self.results.setHeaderHidden(True)
        self.results.setUniformRowHeights(True)
        self.results.setModel(self.model)
        self.results.expandAll()
        self.results.activated.connect(self._on_results_activated)
        self.model.modelReset.connect(self.results.expandAll)

        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Search status"))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.box.textChanged.connect(self._timer.start)
        self.box.returnPressed.connect(self.open_first)
        focus = QShortcut(QKeySequence(self.tr("Ctrl+L")), self)
        focus.activated.connect(self.box.setFocus)
        session.events.changed.connect(self._on_store_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(label)
        layout.addWidget(self.box)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.setFocusProxy(self.box)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Down from the box goes to the first result, as in a browser's address bar.
        if (
            watched is self.box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            first = self._first_result()
            if first.isValid():
                self.results.setFocus()
                self.results.setCurrentIndex(first)
                return True
        return super().eventFilter(watched, event)

    def search_now(self) -> None:
        """Run the search for the box's text now (what the debounce timer calls)."""
        self._timer.stop()
        text = self.box.text()
        started = time.perf_counter()
        people = self.session.store.search_persons(text, RESULT_LIMIT)
        cases = self.session.store.search_cases(text, RESULT_LIMIT)
        self.model.set_results(people, cases)
        elapsed = time.perf_counter() - started
        if text.strip():
            self.status.setText(
                self.tr("{0} people and {1} cases found").format(len(people), len(cases))
            )
        else:
            self.status.clear()
        self.searched.emit(elapsed)

    def _on_store_changed(self) -> None:
        if self.box.text().strip():
            self.search_now()

    def _first_result(self) -> QModelIndex:
        for group in (PEOPLE, CASES):
            parent = self.model.index(group, 0)
            if self.model.rowCount(parent):
                return self.model.index(0, 0, parent)
        return QModelIndex()

    def open_first(self) -> None:
        """Enter in the box: finish any pending search, then open the first result."""
        if self._timer.isActive():
            self.search_now()
        self._open(self._first_result())

    def _on_results_activated(self, index: QModelIndex) -> None:
        self._open(index)

    def _open(self, index: QModelIndex) -> None:
        hit = self.model.hit(index)
        if isinstance(hit, PersonHit):
            self.session.events.open_person.emit(hit.id)
        elif isinstance(hit, CaseHit):
            self.session.events.open_case.emit(hit.id)
