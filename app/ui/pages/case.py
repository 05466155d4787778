"""The case screen: details with inline validation, legal status moves only, notes, tasks.

Opening a case records an audit view event. Keyboard: Ctrl+S saves the details,
Ctrl+Shift+N moves to the note text, Ctrl+I checks in and Ctrl+Shift+I checks out of the
selected visit; the status buttons have mnemonics in the order the workflow lists them.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models import entities as e
from app.models.validation import RecordInvalid, ValidationError
from app.models.workflow import CASE_TYPES
from app.ui.pages.common import (
    FieldErrors,
    RowsModel,
    add_field_row,
    case_type_label,
    code_label,
    errors_of,
    fill_with_scrolled,
    record_visit_step,
    show_date,
    show_time,
    slot,
    table_view,
)
from app.ui.pages.resident import (
    append_note,
    note_kind_combo,
    notes_model,
    parse_uk_date,
    visibility_combo,
)
from app.ui.session import UiSession
from app.ui.team.supervision import SupervisionNotesWidget
from app.views.case import CaseDetail, TaskRow, load_case, load_notes, load_tasks


class CasePage(QWidget):
    """One case held in full on this laptop.

    Signals:
        shown(): the case has been (re)read from the store and shown.
    """

    shown = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: uuid.UUID | None = None
        self.case: CaseDetail | None = None
        self.setObjectName("case_page")
        self.setAccessibleName(self.tr("Case"))

        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.title.setAccessibleName(self.tr("Case title"))
        self.subject_button = QPushButton(self)
        self.subject_button.setAccessibleName(self.tr("Open the resident"))
        self.subject_button.clicked.connect(self._on_subject_clicked)
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName(self.tr("Case facts"))

        # --- status: only the legal moves are offered -------------------------------------
        status_box = QGroupBox(self.tr("Status"), self)
        status_layout = QVBoxLayout(status_box)
        self.status_label = QLabel(status_box)
        self.status_label.setAccessibleName(self.tr("Current status"))
        self.transition_row = QHBoxLayout()
        self.transition_buttons: dict[str, QPushButton] = {}
        self.status_error = QLabel(status_box)
        self.status_errors = FieldErrors(self.status_error)
        status_layout.addWidget(self.status_label)
        status_layout.addLayout(self.transition_row)
        status_layout.addWidget(self.status_error)

        # --- details ----------------------------------------------------------------------
        details = QGroupBox(self.tr("Details"), self)
        form = QFormLayout(details)
        self.general_error = QLabel(details)
        self.errors = FieldErrors(self.general_error)
        self.summary = QLineEdit(details)
        self.summary.setAccessibleName(self.tr("Summary"))
        self.priority = QComboBox(details)
        self.priority.setAccessibleName(self.tr("Priority"))
        self.due_date = QLineEdit(details)
        self.due_date.setAccessibleName(self.tr("Due date"))
        self.closure_reason = QLineEdit(details)
        self.closure_reason.setAccessibleName(self.tr("Closure reason"))
        detail_fields: list[tuple[str, QWidget, str]] = [
            (self.tr("S&ummary"), self.summary, "summary"),
            (self.tr("&Priority"), self.priority, "priority"),
            (self.tr("&Due date (dd/mm/yyyy)"), self.due_date, "due_date"),
            (self.tr("Closure &reason"), self.closure_reason, "closure_reason"),
        ]
        for label, control, field in detail_fields:
            add_field_row(form, self.errors, label, control, field)
        self.save_button = QPushButton(self.tr("&Save details"), details)
        self.save_button.setAccessibleName(self.tr("Save details"))
        self.save_button.clicked.connect(slot(self.save_details))
        self.saved_label = QLabel(details)
        self.saved_label.setAccessibleName(self.tr("Save result"))
        form.addRow(self.general_error)
        form.addRow(self.save_button, self.saved_label)

        # --- tasks and visits -------------------------------------------------------------
        tasks = QGroupBox(self.tr("Tasks and visits"), self)
        tasks_layout = QVBoxLayout(tasks)
        self.tasks_model = RowsModel(
            [
                (self.tr("Kind"), lambda t: code_label(t.kind)),
                (self.tr("Title"), lambda t: t.title),
                (self.tr("Due"), lambda t: show_time(t.due_at)),
                (self.tr("Status"), lambda t: code_label(t.status)),
                (self.tr("Checked in"), lambda t: show_time(t.checked_in_at)),
                (self.tr("Checked out"), lambda t: show_time(t.checked_out_at)),
            ],
            self,
        )
        self.tasks_table = table_view(self.tasks_model, self.tr("Tasks and visits"), tasks)
        self.tasks_table.selectionModel().selectionChanged.connect(self._on_task_selection)
        visit_row = QHBoxLayout()
        self.check_in_button = QPushButton(self.tr("Check &in"), tasks)
        self.check_in_button.setAccessibleName(self.tr("Check in to the selected visit"))
        self.check_in_button.clicked.connect(slot(self.check_in))
        self.check_out_button = QPushButton(self.tr("Check &out"), tasks)
        self.check_out_button.setAccessibleName(self.tr("Check out of the selected visit"))
        self.check_out_button.clicked.connect(slot(self.check_out))
        self.task_error = QLabel(tasks)
        self.task_errors = FieldErrors(self.task_error)
        visit_row.addWidget(self.check_in_button)
        visit_row.addWidget(self.check_out_button)
        visit_row.addStretch(1)
        tasks_layout.addWidget(self.tasks_table)
        tasks_layout.addLayout(visit_row)
        tasks_layout.addWidget(self.task_error)

        # --- notes ------------------------------------------------------------------------
        notes = QGroupBox(self.tr("Notes"), self)
        notes_layout = QVBoxLayout(notes)
        self.notes_model = notes_model(self)
        self.notes_table = table_view(self.notes_model, self.tr("Notes, newest first"), notes)
        note_row = QHBoxLayout()
        self.note_kind = note_kind_combo(notes)
        self.note_visibility = visibility_combo(notes)
        self.note_text = QPlainTextEdit(notes)
        self.note_text.setAccessibleName(self.tr("Note text"))
        self.note_text.setTabChangesFocus(True)
        self.note_text.setMaximumHeight(80)
        self.add_note_button = QPushButton(self.tr("&Add note"), notes)
        self.add_note_button.setAccessibleName(self.tr("Add note"))
        self.add_note_button.clicked.connect(slot(self.add_note))
        self.note_error = QLabel(notes)
        self.note_errors = FieldErrors(self.note_error)
        note_row.addWidget(self.note_kind)
        note_row.addWidget(self.note_visibility)
        note_row.addWidget(self.add_note_button)
        notes_layout.addWidget(self.notes_table, 1)
        notes_layout.addLayout(note_row)
        notes_layout.addWidget(self.note_text)
        notes_layout.addWidget(self.note_error)

        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(slot(self.save_details))
        QShortcut(QKeySequence(self.tr("Ctrl+Shift+N")), self).activated.connect(
            self.note_text.setFocus
        )
        QShortcut(QKeySequence(self.tr("Ctrl+I")), self).activated.connect(slot(self.check_in))
        QShortcut(QKeySequence(self.tr("Ctrl+Shift+I")), self).activated.connect(
            slot(self.check_out)
        )

        body = QWidget(self)
        column = QVBoxLayout(body)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.subject_button)
        column.addLayout(header)
        column.addWidget(self.facts)
        column.addWidget(status_box)
        column.addWidget(details)
        column.addWidget(tasks)
        column.addWidget(notes, 1)
        # Supervision notes stay apart from the chronology; the platform sends them only to the
        # team's leads and the allocated officer, so the box is offered only to them.
        self.supervision = SupervisionNotesWidget(session, body)
        self.supervision.setVisible(False)
        column.addWidget(self.supervision)
        fill_with_scrolled(self, body)
        session.events.changed.connect(self._on_store_changed)
        self._update_visit_buttons()

    # --- showing ----------------------------------------------------------------------------

    def show_case(self, case_id: uuid.UUID) -> None:
        """Show the case and record that this user viewed it (uploaded on the next sync)."""
        self.case_id = case_id
        for errors in (self.errors, self.status_errors, self.task_errors, self.note_errors):
            errors.clear()
        self.saved_label.clear()
        self._refresh(reset_form=True)
        if self.case is not None:
            # Reads of case detail are audited, offline too (domain.md, information governance).
            self.session.changes.record_view("case", case_id)

    def _on_store_changed(self) -> None:
        if self.case_id is not None:
            self._refresh(reset_form=False)

    def _refresh(self, *, reset_form: bool) -> None:
        assert self.case_id is not None
        store = self.session.store
        case = load_case(store, self.case_id)
        self.case = case
        if case is None:
            self.title.setText(self.tr("This case's detail is not on this laptop."))
            self.facts.setText(
                self.tr("Only its owning team, officer and referred teams may open it.")
            )
            self.subject_button.setVisible(False)
            self._set_transitions(())
            self.status_label.clear()
            self.tasks_model.set_rows([])
            self.notes_model.set_rows([])
            self.supervision.setVisible(False)
            self.supervision.set_case(None)
            self._set_editable(False)
            self.shown.emit()
            return
        self._set_editable(True)
        may_supervise = self.session.identity.role == e.Role.TEAM_LEAD or (
            case.officer_id == self.session.identity.user_id
        )
        self.supervision.setVisible(may_supervise)
        self.supervision.set_case(case.id if may_supervise else None)
        self.title.setText(f"{case.reference} · {case_type_label(case.case_type)}")
        self.subject_button.setVisible(True)
        self.subject_button.setText(self.tr("Resident: {0}").format(case.subject_name))
        self.facts.setText(
            self.tr("{0} · team {1} · officer {2} · referred {3} · opened {4}").format(
                code_label(case.service),
                case.owning_team,
                case.officer or self.tr("unallocated"),
                show_date(case.referral_date),
                show_time(case.opened_at),
            )
        )
        self.status_label.setText(self.tr("Status: {0}").format(code_label(case.status)))
        self._set_transitions(case.allowed_statuses)
        if reset_form:
            self.summary.setText(case.summary)
            self.priority.clear()
            for priority in case.priorities:
                self.priority.addItem(code_label(priority), priority)
            self.priority.setCurrentIndex(max(self.priority.findData(case.priority), 0))
            self.due_date.setText(show_date(case.due_date))
            self.closure_reason.setText(case.closure_reason or "")
        self.tasks_model.set_rows(load_tasks(store, case.id))
        self.notes_model.set_rows(load_notes(store, case.id))
        self._update_visit_buttons()
        self.shown.emit()

    def _set_editable(self, editable: bool) -> None:
        for widget in (
            self.summary,
            self.priority,
            self.due_date,
            self.closure_reason,
            self.save_button,
            self.add_note_button,
            self.note_text,
        ):
            widget.setEnabled(editable)

    def _set_transitions(self, statuses: tuple[str, ...]) -> None:
        for button in self.transition_buttons.values():
            self.transition_row.removeWidget(button)
            button.deleteLater()
        self.transition_buttons = {}
        for status in statuses:
            if status == "closed" and self._closure_needs_request():
                button = QPushButton(self.tr("Request closure"), self)
                button.setAccessibleName(self.tr("Ask a team lead to close the case"))
            else:
                button = QPushButton(self.tr("Move to: {0}").format(code_label(status)), self)
                button.setAccessibleName(self.tr("Move the case to {0}").format(code_label(status)))
            button.setObjectName(f"to_{status}")
            button.clicked.connect(slot(partial(self.try_transition, status)))
            self.transition_row.addWidget(button)
            self.transition_buttons[status] = button
        if not statuses:
            self.status_errors.clear()

    # --- actions ----------------------------------------------------------------------------

    def _closure_needs_request(self) -> bool:
        """Whether this user may only ask a team lead to close this case (its type needs
        approval); the platform refuses an officer's closure of such a case anyway."""
        kind = CASE_TYPES.get(self.case.case_type) if self.case is not None else None
        return bool(kind and kind.closure_needs_approval) and (
            self.session.identity.role != e.Role.TEAM_LEAD
        )

    def try_transition(self, to_status: str) -> bool:
        """Move the case to ``to_status``; a refused move shows the rule's message.

        Closing a case whose type needs approval is, for an officer, a request to a team lead.
        """
        if self.case is None:
            return False
        extra: dict[str, Any] = {}
        reason = self.closure_reason.text().strip()
        if to_status == "closed" and self._closure_needs_request():
            try:
                self.session.changes.request_closure(self.case.id, reason)
            except (ValidationError, RecordInvalid) as error:
                self.status_errors.show(errors_of(error))
                return False
            self.status_errors.clear()
            self.session.events.changed.emit()
            return True
        if to_status == "closed" and reason != (self.case.closure_reason or ""):
            extra["closure_reason"] = reason or None
        try:
            self.session.changes.transition(self.case.id, to_status, extra)
        except (ValidationError, RecordInvalid) as error:
            self.status_errors.show(errors_of(error))
            return False
        self.status_errors.clear()
        self.session.events.changed.emit()
        return True

    def save_details(self) -> bool:
        """Save changed details; errors are shown by their fields and nothing is saved."""
        if self.case is None:
            return False
        self.saved_label.clear()
        try:
            values: dict[str, Any] = {
                "summary": self.summary.text().strip(),
                "priority": self.priority.currentData(),
                "due_date": parse_uk_date(self.due_date.text(), "due_date"),
                "closure_reason": self.closure_reason.text().strip() or None,
            }
        except ValidationError as error:
            self.errors.show(errors_of(error))
            return False
        changed = {n: v for n, v in values.items() if v != getattr(self.case, n)}
        if not changed:
            self.errors.clear()
            self.saved_label.setText(self.tr("No changes to save."))
            return True
        try:
            self.session.changes.update("case", self.case.id, changed)
        except (ValidationError, RecordInvalid) as error:
            self.errors.show(errors_of(error))
            return False
        self.errors.clear()
        self.saved_label.setText(self.tr("Saved on this laptop; it will sync."))
        self.session.events.changed.emit()
        self._refresh(reset_form=True)
        return True

    def add_note(self) -> bool:
        """Append a note (kind and visibility as chosen) to this case."""
        if self.case is None:
            return False
        return append_note(
            self.session,
            self.case.id,
            self.note_kind,
            self.note_text,
            self.note_visibility,
            self.note_errors,
        )

    def selected_task(self) -> TaskRow | None:
        index = self.tasks_table.currentIndex()
        if not index.isValid():
            return None
        row: TaskRow = self.tasks_model.row_at(index.row())
        return row

    def _visit_action(self, action: str) -> bool:
        task = self.selected_task()
        if task is None:
            self.task_errors.show({"task": self.tr("Select a visit first.")})
            return False
        if not record_visit_step(self.session, self.task_errors, task.id, action):
            return False
        row = self.tasks_table.currentIndex().row()
        self.session.events.changed.emit()
        self.tasks_table.setCurrentIndex(self.tasks_model.index(row, 0))
        return True

    def check_in(self) -> bool:
        """Record arrival at the selected visit, now."""
        return self._visit_action("in")

    def check_out(self) -> bool:
        """Record leaving the selected visit, now."""
        return self._visit_action("out")

    def _on_task_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_visit_buttons()

    def _update_visit_buttons(self) -> None:
        task = self.selected_task()
        open_visit = (
            task is not None and task.kind == e.TaskKind.VISIT and task.status == e.TaskStatus.OPEN
        )
        self.check_in_button.setEnabled(
            open_visit and task is not None and task.checked_in_at is None
        )
        self.check_out_button.setEnabled(
            open_visit
            and task is not None
            and task.checked_in_at is not None
            and task.checked_out_at is None
        )

    def _on_subject_clicked(self) -> None:
        if self.case is not None:
            self.session.events.open_person.emit(self.case.subject_person_id)


__all__ = ["CasePage"]
