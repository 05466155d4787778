"""Referrals inbox: referrals sent to the user's team (or its service's shared inbox).

Accepting opens a case for the team, allocated to the user, in the same transaction;
declining needs a reason. Keyboard: arrows choose; Alt+A accepts; type the reason and Alt+D
declines; Enter opens the referred resident.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models import entities as e
from app.models.validation import RecordInvalid, ValidationError
from app.ui.pages.common import (
    FieldErrors,
    RowsModel,
    add_field_row,
    code_label,
    errors_of,
    show_time,
    slot,
)
from app.ui.pages.common import table_view as make_table
from app.ui.session import UiSession
from app.views.referrals import ReferralRow, case_for_referral, load_inbox


class ReferralsPage(QWidget):
    """Referrals waiting for this team's decision, oldest first.

    Signals:
        refreshed(): the inbox has been re-read from the store.
    """

    refreshed = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("referrals_page")
        self.setAccessibleName(self.tr("Referrals inbox"))
        heading = QLabel(self.tr("Referrals inbox"), self)
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.model = RowsModel(
            [
                (self.tr("Sent"), lambda r: show_time(r.sent_at)),
                (self.tr("Urgency"), lambda r: code_label(r.urgency)),
                (self.tr("Resident"), lambda r: r.person_name),
                (self.tr("From"), lambda r: code_label(r.from_service)),
                (self.tr("To"), lambda r: code_label(r.to_service)),
                (self.tr("Reason"), lambda r: r.reason),
                (self.tr("Lawful basis"), lambda r: r.lawful_basis),
            ],
            self,
        )
        self.table = make_table(self.model, self.tr("Referrals waiting for a decision"), self)
        self.table.activated.connect(self._on_table_activated)
        self.accept_button = QPushButton(self.tr("&Accept and open a case"), self)
        self.accept_button.setAccessibleName(self.tr("Accept the selected referral"))
        self.accept_button.clicked.connect(slot(self.accept_selected))
        self.decline_reason = QLineEdit(self)
        self.decline_reason.setAccessibleName(self.tr("Reason for declining"))
        self.decline_button = QPushButton(self.tr("&Decline"), self)
        self.decline_button.setAccessibleName(self.tr("Decline the selected referral"))
        self.decline_button.clicked.connect(slot(self.decline_selected))
        self.general_error = QLabel(self)
        self.errors = FieldErrors(self.general_error)
        self.result = QLabel(self)
        self.result.setAccessibleName(self.tr("Decision result"))
        self.summary = QLabel(self)
        self.summary.setAccessibleName(self.tr("Number of referrals waiting"))

        form = QFormLayout()
        add_field_row(
            form, self.errors, self.tr("Decline &reason"), self.decline_reason, "decline_reason"
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.decline_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.general_error)
        layout.addWidget(self.result)
        session.events.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the inbox (small: read on the GUI thread)."""
        rows = load_inbox(self.session.store, self.session.identity.team_id)
        self.model.set_rows(rows)
        self.summary.setText(self.tr("{0} referrals waiting").format(len(rows)))
        self.refreshed.emit()

    def selected(self) -> ReferralRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row: ReferralRow = self.model.row_at(index.row())
        return row

    def accept_selected(self) -> uuid.UUID | None:
        """Accept the selected referral; returns the new case's id."""
        row = self.selected()
        identity = self.session.identity
        if row is None or identity.team_id is None:
            self.errors.show({"referral": self.tr("Select a referral first.")})
            return None
        case_id = uuid.uuid4()
        fields = case_for_referral(
            row,
            team_id=identity.team_id,
            officer_id=identity.user_id,
            today=self.session.changes.clock().date(),
            case_id=case_id,
        )
        try:
            created = self.session.changes.accept_referral(row.id, fields, case_id)
        except (ValidationError, RecordInvalid) as error:
            self.errors.show(errors_of(error))
            return None
        self.errors.clear()
        self.result.setText(
            self.tr("Accepted: case {0} opened for {1}.").format(
                fields["reference"], row.person_name
            )
        )
        self.session.events.changed.emit()
        return created

    def decline_selected(self) -> bool:
        """Decline the selected referral with the reason typed."""
        row = self.selected()
        if row is None:
            self.errors.show({"referral": self.tr("Select a referral first.")})
            return False
        reason = self.decline_reason.text().strip() or None
        try:
            self.session.changes.update(
                "referral",
                row.id,
                {"status": str(e.ReferralStatus.DECLINED), "decline_reason": reason},
            )
        except (ValidationError, RecordInvalid) as error:
            self.errors.show(errors_of(error))
            return False
        self.errors.clear()
        self.decline_reason.clear()
        self.result.setText(self.tr("Declined the referral for {0}.").format(row.person_name))
        self.session.events.changed.emit()
        return True

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.session.events.open_person.emit(self.model.row_at(index.row()).person_id)
