"""Today's visits: the officer's open tasks and visits due today, with check-in and check-out.

Keyboard: arrows choose a visit; Enter opens its case; Ctrl+I checks in, Ctrl+Shift+I checks
out (or the buttons' mnemonics Alt+I / Alt+O).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.pages.common import (
    FieldErrors,
    RowsModel,
    code_label,
    record_visit_step,
    slot,
    table_view,
)
from app.ui.session import UiSession
from app.views.visits import VisitRow, load_todays_visits


def _clock_time(row: VisitRow, which: str) -> str:
    value = getattr(row, which)
    return value.astimezone().strftime("%H:%M") if value else ""


class VisitsPage(QWidget):
    """Open tasks and visits assigned to the signed-in officer, due today.

    Signals:
        refreshed(): the list has been re-read from the store.
    """

    refreshed = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("visits_page")
        self.setAccessibleName(self.tr("Today's visits"))
        heading = QLabel(self.tr("Today's visits"), self)
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.model = RowsModel(
            [
                (self.tr("Time"), lambda r: _clock_time(r, "due_at")),
                (self.tr("Kind"), lambda r: code_label(r.kind)),
                (self.tr("What"), lambda r: r.title),
                (self.tr("Resident"), lambda r: r.resident),
                (self.tr("Address"), lambda r: r.address),
                (self.tr("Case"), lambda r: r.reference),
                (self.tr("Checked in"), lambda r: _clock_time(r, "checked_in_at")),
                (self.tr("Checked out"), lambda r: _clock_time(r, "checked_out_at")),
            ],
            self,
        )
        self.table = table_view(self.model, self.tr("Visits and tasks due today"), self)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.check_in_button = QPushButton(self.tr("Check &in"), self)
        self.check_in_button.setAccessibleName(self.tr("Check in to the selected visit"))
        self.check_in_button.clicked.connect(slot(self.check_in))
        self.check_out_button = QPushButton(self.tr("Check &out"), self)
        self.check_out_button.setAccessibleName(self.tr("Check out of the selected visit"))
        self.check_out_button.clicked.connect(slot(self.check_out))
        self.error = QLabel(self)
        self.errors = FieldErrors(self.error)
        self.summary = QLabel(self)
        self.summary.setAccessibleName(self.tr("Number of visits today"))
        QShortcut(QKeySequence(self.tr("Ctrl+I")), self).activated.connect(slot(self.check_in))
        QShortcut(QKeySequence(self.tr("Ctrl+Shift+I")), self).activated.connect(
            slot(self.check_out)
        )

        buttons = QHBoxLayout()
        buttons.addWidget(self.check_in_button)
        buttons.addWidget(self.check_out_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        session.events.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Re-read today's list (a few dozen rows at most: read on the GUI thread)."""
        current = self.selected()
        today = self.session.changes.clock().date()
        rows = load_todays_visits(self.session.store, self.session.identity.user_id, today)
        self.model.set_rows(rows)
        if current is not None:
            for number, row in enumerate(rows):
                if row.task_id == current.task_id:
                    self.table.setCurrentIndex(self.model.index(number, 0))
        visits = sum(row.is_visit for row in rows)
        self.summary.setText(
            self.tr("{0} visits and {1} tasks due today").format(visits, len(rows) - visits)
        )
        self._update_buttons()
        self.refreshed.emit()

    def selected(self) -> VisitRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row: VisitRow = self.model.row_at(index.row())
        return row

    def _act(self, action: str) -> bool:
        row = self.selected()
        if row is None:
            self.errors.show({"task": self.tr("Select a visit first.")})
            return False
        if not record_visit_step(self.session, self.errors, row.task_id, action):
            return False
        self.session.events.changed.emit()
        return True

    def check_in(self) -> bool:
        """Record arrival at the selected visit, now."""
        return self._act("in")

    def check_out(self) -> bool:
        """Record leaving the selected visit, now."""
        return self._act("out")

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected()
        visit = row is not None and row.is_visit
        self.check_in_button.setEnabled(visit and row is not None and row.checked_in_at is None)
        self.check_out_button.setEnabled(
            visit
            and row is not None
            and row.checked_in_at is not None
            and row.checked_out_at is None
        )

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.session.events.open_case.emit(self.model.row_at(index.row()).case_id)
