"""Supervision notes on one case: apart from its chronology, for leads and its officer."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.models import validation as v
from app.ui.session import UiSession
from app.ui.team.caseload import push_button, table_view
from app.ui.team.errors import messages
from app.ui.team.models import supervision_model
from app.views.team import supervision_notes


class SupervisionNotesWidget(QWidget):
    """The supervision notes of one case, and a box to add one.

    The platform sends these notes only to the team's leads and the case's allocated officer,
    so this widget shows whatever the store holds for the case.

    Signals:
        note_added(uuid.UUID): a note was written to the store (and queued for the platform).
    """

    note_added = Signal(uuid.UUID)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: uuid.UUID | None = None
        self.setAccessibleName(QCoreApplication.translate("TeamScreens", "Supervision notes"))
        self.notes = supervision_model()
        self.view = table_view(QCoreApplication.translate("TeamScreens", "Supervision notes"), self)
        self.view.setModel(self.notes)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName(
            QCoreApplication.translate("TeamScreens", "New supervision note")
        )
        self.editor.setTabChangesFocus(True)
        label = QLabel(QCoreApplication.translate("TeamScreens", "&New supervision note"), self)
        label.setBuddy(self.editor)
        self.add_button = push_button(
            QCoreApplication.translate("TeamScreens", "A&dd supervision note"),
            QCoreApplication.translate("TeamScreens", "Add supervision note"),
            self,
        )
        self.error = QLabel(self)
        self.error.setAccessibleName(QCoreApplication.translate("TeamScreens", "Problem"))
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(label)
        layout.addWidget(self.editor)
        layout.addWidget(self.add_button)
        layout.addWidget(self.error)
        self.add_button.clicked.connect(self.add)
        session.events.changed.connect(self.reload)
        self.setEnabled(False)

    def set_case(self, case_id: uuid.UUID | None) -> None:
        """Show the notes of this case (None: no case chosen)."""
        self.case_id = case_id
        self.setEnabled(case_id is not None)
        self.error.clear()
        self.reload()

    def reload(self) -> None:
        """Read the case's notes again (a few rows: cheap enough for the GUI thread)."""
        if self.case_id is None:
            self.notes.set_rows([])
            return
        with self.session.store.engine.connect() as connection:
            self.notes.set_rows(supervision_notes(connection, self.case_id))

    def add(self) -> None:
        """Write the note in the box; a refusal is shown by field and nothing is written."""
        if self.case_id is None:
            return
        try:
            note_id = self.session.changes.add_supervision_note(
                self.case_id, self.editor.toPlainText()
            )
        except (v.ValidationError, v.RecordInvalid) as error:
            self.error.setText(messages(error))
            return
        self.error.clear()
        self.editor.clear()
        self.note_added.emit(note_id)
        self.session.events.changed.emit()
