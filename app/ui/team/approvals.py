"""ApprovalsPage: warning markers and case closures waiting for a team lead's decision."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.models import entities as e
from app.models import validation as v
from app.ui.session import UiSession
from app.ui.team.caseload import push_button, table_view
from app.ui.team.errors import messages
from app.ui.team.models import closure_model, marker_model
from app.views.team import PendingClosure, pending_closures, pending_markers


class ApprovalsPage(QWidget):
    """Approve or decline proposed warning markers and requested closures.

    A marker shows to other services only once approved; a closure of a case type that needs
    approval is made here. Both go to the platform at the next sync, which accepts them only
    from a team lead.

    Signals:
        decided(): a decision was written to the store.
    """

    decided = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName(QCoreApplication.translate("TeamScreens", "Approvals"))
        self.markers = marker_model()
        self.closures = closure_model()
        self.marker_view = table_view(
            QCoreApplication.translate("TeamScreens", "Warning markers waiting for approval"), self
        )
        self.marker_view.setModel(self.markers)
        self.closure_view = table_view(
            QCoreApplication.translate("TeamScreens", "Closures waiting for approval"), self
        )
        self.closure_view.setModel(self.closures)
        self.approve_marker_button = push_button(
            QCoreApplication.translate("TeamScreens", "Approve &marker"),
            QCoreApplication.translate("TeamScreens", "Approve the selected marker"),
            self,
        )
        self.decline_marker_button = push_button(
            QCoreApplication.translate("TeamScreens", "&Withdraw marker"),
            QCoreApplication.translate("TeamScreens", "Decline the selected marker"),
            self,
        )
        self.approve_closure_button = push_button(
            QCoreApplication.translate("TeamScreens", "Approve &closure"),
            QCoreApplication.translate("TeamScreens", "Approve the selected closure"),
            self,
        )
        self.decline_closure_button = push_button(
            QCoreApplication.translate("TeamScreens", "&Decline closure"),
            QCoreApplication.translate("TeamScreens", "Decline the selected closure"),
            self,
        )
        self.decline_reason = QLineEdit(self)
        self.decline_reason.setAccessibleName(
            QCoreApplication.translate("TeamScreens", "Reason for declining the closure")
        )
        self.message = QLabel(self)
        self.message.setAccessibleName(QCoreApplication.translate("TeamScreens", "Result"))
        self.message.setWordWrap(True)

        marker_box = QGroupBox(QCoreApplication.translate("TeamScreens", "Warning markers"), self)
        marker_layout = QVBoxLayout(marker_box)
        marker_layout.addWidget(self.marker_view)
        marker_buttons = QHBoxLayout()
        marker_buttons.addWidget(self.approve_marker_button)
        marker_buttons.addWidget(self.decline_marker_button)
        marker_buttons.addStretch(1)
        marker_layout.addLayout(marker_buttons)
        closure_box = QGroupBox(QCoreApplication.translate("TeamScreens", "Closures"), self)
        closure_layout = QVBoxLayout(closure_box)
        closure_layout.addWidget(self.closure_view)
        reason_label = QLabel(
            QCoreApplication.translate("TeamScreens", "Reason for declining:"), self
        )
        reason_label.setBuddy(self.decline_reason)
        closure_buttons = QHBoxLayout()
        closure_buttons.addWidget(self.approve_closure_button)
        closure_buttons.addWidget(reason_label)
        closure_buttons.addWidget(self.decline_reason, 1)
        closure_buttons.addWidget(self.decline_closure_button)
        closure_layout.addLayout(closure_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(marker_box, 1)
        layout.addWidget(closure_box, 1)
        layout.addWidget(self.message)

        self.approve_marker_button.clicked.connect(self.approve_marker)
        self.decline_marker_button.clicked.connect(self.decline_marker)
        self.approve_closure_button.clicked.connect(self.approve_closure)
        self.decline_closure_button.clicked.connect(self.decline_closure)
        session.events.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Read what waits for a decision (a handful of rows)."""
        team = self.session.identity.team_id
        with self.session.store.engine.connect() as connection:
            self.markers.set_rows(pending_markers(connection))
            self.closures.set_rows(pending_closures(connection, team) if team else [])

    def _selected(self, which: str) -> int:
        view = self.marker_view if which == "marker" else self.closure_view
        rows = view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _chosen_closure(self) -> PendingClosure | None:
        """The selected closure request, or None after asking the lead to choose one."""
        closure = self.closures.row_at(self._selected("closure"))
        if closure is None:
            self.message.setText(
                QCoreApplication.translate("TeamScreens", "closure: Choose a closure first.")
            )
        return closure

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.decided.emit()
        self.session.events.changed.emit()

    def _decide_marker(self, status: e.MarkerStatus, done: str) -> None:
        marker = self.markers.row_at(self._selected("marker"))
        if marker is None:
            self.message.setText(
                QCoreApplication.translate("TeamScreens", "marker: Choose a marker first.")
            )
            return
        fields: dict[str, object] = {"status": str(status)}
        if status is e.MarkerStatus.APPROVED:
            fields |= {
                "approved_by_id": self.session.identity.user_id,
                "approved_at": self.session.changes.clock(),
            }
        try:
            self.session.changes.update("warning_marker", marker.id, fields)
        except (v.ValidationError, v.RecordInvalid) as error:
            self.message.setText(messages(error))
            return
        self._done(done)

    def approve_marker(self) -> None:
        """Approve the selected marker: other services see it after the next sync."""
        self._decide_marker(
            e.MarkerStatus.APPROVED, QCoreApplication.translate("TeamScreens", "Marker approved.")
        )

    def decline_marker(self) -> None:
        """Withdraw the selected proposal: it never shows to other services."""
        self._decide_marker(
            e.MarkerStatus.WITHDRAWN, QCoreApplication.translate("TeamScreens", "Marker withdrawn.")
        )

    def approve_closure(self) -> None:
        """Close the selected case with the reason its officer gave."""
        closure = self._chosen_closure()
        if closure is None:
            return
        try:
            self.session.changes.transition(closure.id, "closed")
        except (v.ValidationError, v.RecordInvalid) as error:
            self.message.setText(messages(error))
            return
        self._done(
            QCoreApplication.translate("TeamScreens", "Case {reference} closed.").format(
                reference=closure.reference
            )
        )

    def decline_closure(self) -> None:
        """Keep the selected case open; the reason reaches its officer as a supervision note."""
        closure = self._chosen_closure()
        if closure is None:
            return
        try:
            self.session.changes.decline_closure(closure.id, self.decline_reason.text())
        except (v.ValidationError, v.RecordInvalid) as error:
            self.message.setText(messages(error))
            return
        self.decline_reason.clear()
        self._done(
            QCoreApplication.translate("TeamScreens", "Closure of {reference} declined.").format(
                reference=closure.reference
            )
        )
