"""Conflicts: each field two people changed differently, and each change the platform refused."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models import validation as v
from app.ui.pages.common import RowsModel, table_view
from app.ui.session import UiSession
from app.views.conflicts import (
    ConflictRow,
    RejectedRow,
    conflict_rows,
    parse_new_value,
    rejected_rows,
)


class ConflictsPage(QWidget):
    """Resolve conflicts (keep mine, keep theirs, or a new value) and deal with refused changes.

    Every resolution is an ordinary local change (``LocalChanges.resolve_conflict``): it goes
    to the outbox and syncs like any edit.
    """

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName(self.tr("Conflicts"))
        # Open conflicts, one row per field (the value before either change as tooltip), and
        # the changes the platform refused with its field errors.
        self.conflicts = RowsModel(
            [
                (self.tr("Record"), lambda r: r.record),
                (self.tr("Field"), lambda r: r.field),
                (self.tr("Mine"), lambda r: r.mine),
                (self.tr("Theirs"), lambda r: r.theirs),
            ],
            self,
            tooltip=lambda r: self.tr("Before either change: %1").replace("%1", r.base),
        )
        self.rejected = RowsModel(
            [
                (self.tr("Record"), lambda r: r.record),
                (self.tr("Change"), lambda r: r.change),
                (self.tr("Why it was refused"), lambda r: r.errors),
            ],
            self,
            tooltip=lambda r: r.errors,
        )

        heading = QLabel(self.tr("Conflicts"), self)
        heading.setAccessibleName(self.tr("Conflicts"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)

        conflicts_box = QGroupBox(self.tr("Changed here and elsewhere"), self)
        self.conflict_view = table_view(self.conflicts, self.tr("Open conflicts"), conflicts_box)
        self.detail = QLabel(conflicts_box)
        self.detail.setWordWrap(True)
        self.keep_mine = QPushButton(self.tr("Keep &mine"), conflicts_box)
        self.keep_mine.setAccessibleName(self.tr("Keep my value"))
        self.keep_theirs = QPushButton(self.tr("Keep &theirs"), conflicts_box)
        self.keep_theirs.setAccessibleName(self.tr("Keep their value"))
        self.new_value = QLineEdit(conflicts_box)
        self.new_value.setAccessibleName(self.tr("New value"))
        self.new_value.setPlaceholderText(self.tr("Or type a new value"))
        self.use_value = QPushButton(self.tr("&Use this value"), conflicts_box)
        self.use_value.setAccessibleName(self.tr("Use the new value"))
        self.value_error = QLabel(conflicts_box)
        self.value_error.setWordWrap(True)
        self.value_error.setAccessibleName(self.tr("New value error"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine)
        buttons.addWidget(self.keep_theirs)
        buttons.addStretch(1)
        edit = QFormLayout()
        edit.addRow(self.tr("&New value:"), self.new_value)
        edit.addRow("", self.value_error)
        edit_buttons = QHBoxLayout()
        edit_buttons.addStretch(1)
        edit_buttons.addWidget(self.use_value)
        box = QVBoxLayout(conflicts_box)
        box.addWidget(self.conflict_view, 1)
        box.addWidget(self.detail)
        box.addLayout(buttons)
        box.addLayout(edit)
        box.addLayout(edit_buttons)

        rejected_box = QGroupBox(self.tr("Changes the platform refused"), self)
        self.rejected_view = table_view(self.rejected, self.tr("Refused changes"), rejected_box)
        self.open_record = QPushButton(self.tr("&Open record to fix"), rejected_box)
        self.open_record.setAccessibleName(self.tr("Open the record to fix the change"))
        self.dismiss = QPushButton(self.tr("&Dismiss"), rejected_box)
        self.dismiss.setAccessibleName(self.tr("Dismiss the refused change"))
        rejected_buttons = QHBoxLayout()
        rejected_buttons.addStretch(1)
        rejected_buttons.addWidget(self.open_record)
        rejected_buttons.addWidget(self.dismiss)
        rbox = QVBoxLayout(rejected_box)
        rbox.addWidget(self.rejected_view, 1)
        rbox.addLayout(rejected_buttons)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(conflicts_box)
        splitter.addWidget(rejected_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.conflict_view, self.keep_mine)
        self.setTabOrder(self.keep_mine, self.keep_theirs)
        self.setTabOrder(self.keep_theirs, self.new_value)
        self.setTabOrder(self.new_value, self.use_value)
        self.setTabOrder(self.use_value, self.rejected_view)
        self.setTabOrder(self.rejected_view, self.open_record)
        self.setTabOrder(self.open_record, self.dismiss)

        self.keep_mine.clicked.connect(lambda: self._resolve("mine"))
        self.keep_theirs.clicked.connect(lambda: self._resolve("theirs"))
        self.use_value.clicked.connect(lambda: self._resolve("value"))
        self.new_value.returnPressed.connect(lambda: self._resolve("value"))
        self.dismiss.clicked.connect(self._on_dismiss_clicked)
        self.open_record.clicked.connect(self._on_open_record_clicked)
        self.conflict_view.selectionModel().selectionChanged.connect(self._show_selected)
        self.rejected_view.selectionModel().selectionChanged.connect(self._enable_buttons)
        session.events.changed.connect(self.reload)
        self.reload()

    # --- reading --------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read both lists from the store, keeping the selected conflict where it still is."""
        selected = self.selected_conflict()
        store, local = self.session.store, self.session.local
        self.conflicts.set_rows(conflict_rows(store, local.conflicts()))
        self.rejected.set_rows(rejected_rows(store, local.rejected()))
        self.summary.setText(
            self.tr("%n conflict(s) to resolve", "", len(self.conflicts.rows))
            + " · "
            + self.tr("%n refused change(s)", "", len(self.rejected.rows))
        )
        rows = [r.item.conflict_id for r in self.conflicts.rows]
        if rows:
            again = (
                rows.index(selected.item.conflict_id)
                if selected and (selected.item.conflict_id in rows)
                else 0
            )
            self.conflict_view.selectRow(again)
        self._show_selected()

    def selected_conflict(self) -> ConflictRow | None:
        indexes = self.conflict_view.selectionModel().selectedRows()
        if not indexes:
            return None
        row: ConflictRow = self.conflicts.row_at(indexes[0].row())
        return row

    def selected_rejected(self) -> RejectedRow | None:
        indexes = self.rejected_view.selectionModel().selectedRows()
        if not indexes:
            return None
        row: RejectedRow = self.rejected.row_at(indexes[0].row())
        return row

    def _show_selected(self) -> None:
        row = self.selected_conflict()
        self.value_error.clear()
        if row is None:
            self.detail.setText(self.tr("Nothing to resolve."))
        else:
            self.detail.setText(
                self.tr("%1, %2: yours was “%3”, theirs is “%4” (before both: “%5”).")
                .replace("%1", row.record)
                .replace("%2", row.field)
                .replace("%3", row.mine)
                .replace("%4", row.theirs)
                .replace("%5", row.base)
            )
            self.new_value.setText(row.mine if row.item.mine is not None else "")
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        has_conflict = self.selected_conflict() is not None
        for widget in (self.keep_mine, self.keep_theirs, self.new_value, self.use_value):
            widget.setEnabled(has_conflict)
        has_rejected = self.selected_rejected() is not None
        self.dismiss.setEnabled(has_rejected)
        row = self.selected_rejected()
        self.open_record.setEnabled(row is not None and row.item.entity in ("case", "person"))

    # --- acting ---------------------------------------------------------------------------

    def _resolve(self, choice: str) -> None:
        row = self.selected_conflict()
        if row is None:
            return
        item = row.item
        try:
            if choice == "value":
                value = parse_new_value(item.entity, item.field, self.new_value.text())
                self.session.changes.resolve_conflict(item.conflict_id, "value", value)
            elif choice == "mine":
                self.session.changes.resolve_conflict(item.conflict_id, "mine")
            else:
                self.session.changes.resolve_conflict(item.conflict_id, "theirs")
        except v.ValidationError as error:
            self._show_error(error.message)
            return
        except v.RecordInvalid as invalid:
            self._show_error(invalid.by_field().get(item.field, str(invalid)))
            return
        self.session.events.changed.emit()

    def _show_error(self, message: str) -> None:
        self.value_error.setText("⚠ " + message)
        self.value_error.setAccessibleName(self.tr("New value error: %1").replace("%1", message))
        self.new_value.setFocus()

    def _on_dismiss_clicked(self) -> None:
        row = self.selected_rejected()
        if row is not None:
            self.session.local.dismiss_rejected(row.item.mutation_id)
            self.session.events.changed.emit()

    def _on_open_record_clicked(self) -> None:
        row = self.selected_rejected()
        if row is None:
            return
        record: uuid.UUID = row.item.record_id
        if row.item.entity == "case":
            self.session.events.open_case.emit(record)
        elif row.item.entity == "person":
            self.session.events.open_person.emit(record)
