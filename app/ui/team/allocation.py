"""AllocationPage: new cases and referrals waiting, and allocation or reassignment with a reason."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QCoreApplication, QItemSelection, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models import entities as e
from app.models import validation as v
from app.ui.session import UiSession
from app.ui.team.caseload import push_button, table_view
from app.ui.team.errors import messages
from app.ui.team.loader import DashboardLoader
from app.ui.team.models import case_model, history_model, queue_model
from app.views.referrals import ReferralRow, case_for_referral, load_inbox
from app.views.team import TeamDashboard, allocation_history, team_members, transfer_teams

# The officer choice that sends a transferred case to the receiving team's queue.
_QUEUE = "queue"


class AllocationPage(QWidget):
    """Allocate a new case, or reassign an open one, to an officer of the team with a reason.

    The allocation and the case's new officer are written locally in one transaction and go to
    the platform at the next sync, which checks again that the user is a lead of the team. A
    referral waiting for the team is accepted into a new case of the team and allocated in that
    same transaction.

    Signals:
        loaded(): the lists were read again.
        allocated(uuid.UUID): an allocation record was written (its id).
    """

    loaded = Signal()
    allocated = Signal(uuid.UUID)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setAccessibleName(QCoreApplication.translate("TeamScreens", "Allocation"))
        self.loader = DashboardLoader(session.store)
        self.loader.loaded.connect(self._on_loader_loaded)
        self.queue = queue_model()
        self.cases = case_model()
        self.history = history_model()
        self.queue_view = table_view(
            QCoreApplication.translate("TeamScreens", "Waiting for allocation"), self
        )
        self.queue_view.setModel(self.queue)
        self.case_view = table_view(
            QCoreApplication.translate("TeamScreens", "Team's open cases"), self
        )
        self.case_view.setModel(self.cases)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(QCoreApplication.translate("TeamScreens", "Cases to allocate"))
        self.tabs.addTab(self.queue_view, QCoreApplication.translate("TeamScreens", "&Waiting"))
        self.tabs.addTab(
            self.case_view, QCoreApplication.translate("TeamScreens", "&Team's open cases")
        )
        # Own team by default; another team of the service transfers the case to it.
        self.team = QComboBox(self)
        self.team.setAccessibleName(QCoreApplication.translate("TeamScreens", "Team"))
        self.team.setAccessibleDescription(
            QCoreApplication.translate(
                "TeamScreens", "Another team here transfers the case to that team."
            )
        )
        self.officer = QComboBox(self)
        self.officer.setAccessibleName(QCoreApplication.translate("TeamScreens", "Officer"))
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName(
            QCoreApplication.translate("TeamScreens", "Reason (required)")
        )
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(80)
        self.allocate_button = push_button(
            QCoreApplication.translate("TeamScreens", "&Allocate"),
            QCoreApplication.translate("TeamScreens", "Allocate the case"),
            self,
        )
        self.selected_label = QLabel(
            QCoreApplication.translate("TeamScreens", "Choose a case."), self
        )
        self.message = QLabel(self)
        self.message.setAccessibleName(QCoreApplication.translate("TeamScreens", "Result"))
        self.message.setWordWrap(True)
        self.history_view = table_view(
            QCoreApplication.translate("TeamScreens", "Allocation history"), self
        )
        self.history_view.setModel(self.history)
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("TeamScreens", "Case:"), self.selected_label)
        team_label = QLabel(QCoreApplication.translate("TeamScreens", "T&eam:"), self)
        team_label.setBuddy(self.team)
        form.addRow(team_label, self.team)
        officer_label = QLabel(QCoreApplication.translate("TeamScreens", "&Officer:"), self)
        officer_label.setBuddy(self.officer)
        form.addRow(officer_label, self.officer)
        reason_label = QLabel(QCoreApplication.translate("TeamScreens", "&Reason:"), self)
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        history_label = QLabel(
            QCoreApplication.translate("TeamScreens", "Allocation &history"), self
        )
        history_label.setBuddy(self.history_view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 2)
        layout.addLayout(form)
        layout.addWidget(self.allocate_button)
        layout.addWidget(self.message)
        layout.addWidget(history_label)
        layout.addWidget(self.history_view, 1)
        self.allocate_button.clicked.connect(self.allocate)
        self.team.currentIndexChanged.connect(self._on_team_changed)
        self.queue_view.selectionModel().selectionChanged.connect(self._on_queue_selection)
        self.case_view.selectionModel().selectionChanged.connect(self._on_case_selection)
        self.tabs.currentChanged.connect(self._on_tabs_changed)
        session.events.changed.connect(self.refresh)
        self.case_id: uuid.UUID | None = None
        self.referral: ReferralRow | None = None
        self.refresh()

    def refresh(self) -> None:
        """Read the service's teams and the chosen team's officers now, and the team's cases
        and queue off the GUI thread."""
        team = self.session.identity.team_id
        if team is None:
            return
        chosen_team = self.team.currentData()
        with self.session.store.engine.connect() as connection:
            teams = transfer_teams(connection, team)
        self.team.blockSignals(True)  # the officers are filled once, below
        self.team.clear()
        for team_id, name in teams:
            # Text, not a UUID object: QVariant keeps strings comparable for findData.
            self.team.addItem(name, str(team_id))
        found = self.team.findData(chosen_team) if chosen_team is not None else -1
        self.team.setCurrentIndex(max(found, 0))
        self.team.blockSignals(False)
        self._fill_officers()
        self.loader.request(team, self.session.changes.clock())

    def _chosen_team(self) -> uuid.UUID | None:
        data = self.team.currentData()
        return uuid.UUID(data) if data else self.session.identity.team_id

    def _fill_officers(self) -> None:
        """The chosen team's field officers; for another team also its queue (no officer)."""
        team = self._chosen_team()
        current = self.officer.currentData()
        self.officer.clear()
        if team is None:
            return
        with self.session.store.engine.connect() as connection:
            members = team_members(connection, team)
        if team != self.session.identity.team_id:
            self.officer.addItem(
                QCoreApplication.translate("TeamScreens", "Unallocated (the team's queue)"),
                _QUEUE,
            )
        for user_id, name, role in members:
            if role == e.Role.FIELD_OFFICER:
                self.officer.addItem(name, str(user_id))
        if current is not None and (found := self.officer.findData(current)) >= 0:
            self.officer.setCurrentIndex(found)

    def _on_team_changed(self, _index: int) -> None:
        self._fill_officers()

    def choose_team(self, team_id: uuid.UUID) -> bool:
        """Pick a team in the list by id; False when a case may not move to it."""
        found = self.team.findData(str(team_id))
        self.team.setCurrentIndex(found)
        return found >= 0

    def choose_officer(self, officer_id: uuid.UUID) -> bool:
        """Pick an officer in the list by id; False when they are not in the team."""
        found = self.officer.findData(str(officer_id))
        self.officer.setCurrentIndex(found)
        return found >= 0

    def _on_loader_loaded(self, board: TeamDashboard) -> None:
        chosen = self.case_id
        self.queue.set_rows(board.queue)
        self.cases.set_rows(board.cases)
        # Keep the chosen case selected across the reload (a model reset clears selections).
        view, ids = (
            (self.queue_view, [q.id for q in board.queue])
            if self.tabs.currentIndex() == 0
            else (self.case_view, [c.id for c in board.cases])
        )
        if chosen is not None and chosen in ids:
            view.selectRow(ids.index(chosen))
        self._show_history()
        self.loaded.emit()

    def _choose(
        self, case_id: uuid.UUID | None, label: str, referral: ReferralRow | None = None
    ) -> None:
        self.case_id = case_id
        self.referral = referral
        self.selected_label.setText(label)
        self._show_history()

    def _on_queue_selection(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = self.queue_view.selectionModel().selectedRows()
        item = self.queue.row_at(rows[0].row()) if rows else None
        if item is None:
            self._choose(None, QCoreApplication.translate("TeamScreens", "Choose a case."))
        elif item.kind == "referral":
            # Allocating a referral accepts it into a new case of the team (see allocate).
            team = self.session.identity.team_id
            inbox = load_inbox(self.session.store, team)
            referral = next((r for r in inbox if r.id == item.id), None)
            self._choose(
                None,
                QCoreApplication.translate(
                    "TeamScreens", "{label} for {name}: allocating opens its case."
                ).format(label=item.label, name=item.subject_name),
                referral,
            )
        else:
            self._choose(item.id, item.label)

    def _on_case_selection(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = self.case_view.selectionModel().selectedRows()
        line = self.cases.row_at(rows[0].row()) if rows else None
        if line is None:
            self._choose(None, QCoreApplication.translate("TeamScreens", "Choose a case."))
        else:
            holder = line.officer_name or QCoreApplication.translate("TeamScreens", "unallocated")
            self._choose(line.id, f"{line.reference} · {line.case_label} ({holder})")

    def _on_tabs_changed(self, _index: int) -> None:
        view: QTableView = self.queue_view if self.tabs.currentIndex() == 0 else self.case_view
        view.clearSelection()
        self._choose(None, QCoreApplication.translate("TeamScreens", "Choose a case."))

    def _show_history(self) -> None:
        if self.case_id is None:
            self.history.set_rows([])
            return
        with self.session.store.engine.connect() as connection:
            self.history.set_rows(allocation_history(connection, self.case_id))

    def allocate(self) -> None:
        """Allocate the chosen case (or referral) to the chosen officer, or transfer it to the
        chosen team; errors are shown by field."""
        if self.case_id is None and self.referral is None:
            self.message.setText(
                QCoreApplication.translate("TeamScreens", "case: Choose a case to allocate.")
            )
            return
        chosen = self.officer.currentData()
        if not chosen:
            self.message.setText(
                QCoreApplication.translate("TeamScreens", "officer: Choose an officer.")
            )
            return
        officer = None if chosen == _QUEUE else uuid.UUID(chosen)
        reason = self.reason.toPlainText()
        team = self._chosen_team()
        try:
            if self.referral is not None:
                allocation = self._allocate_referral(self.referral, officer, team, reason)
                if allocation is None:
                    return
            else:
                assert self.case_id is not None
                allocation = self.session.changes.allocate(
                    self.case_id, officer, reason, team_id=team
                )
        except (v.ValidationError, v.RecordInvalid) as error:
            self.message.setText(messages(error))
            return
        self.reason.clear()
        self._show_history()
        if officer is None:
            done = QCoreApplication.translate(
                "TeamScreens", "Moved to the queue of {team}; its leads allocate it there."
            ).format(team=self.team.currentText())
        else:
            done = QCoreApplication.translate(
                "TeamScreens",
                "Allocated to {name} ({team}). The officer's laptop receives it at its next sync.",
            ).format(name=self.officer.currentText(), team=self.team.currentText())
        self.message.setText(done)
        self.allocated.emit(allocation)
        self.session.events.changed.emit()

    def _allocate_referral(
        self, referral: ReferralRow, officer: uuid.UUID | None, team: uuid.UUID | None, reason: str
    ) -> uuid.UUID | None:
        """Accept ``referral`` into a new case of the lead's team, allocated to ``officer``;
        None (with the field named) when the choice does not allow it."""
        own = self.session.identity.team_id
        if own is None or team != own or officer is None:
            # A referral opens a case in this team; it moves on only once it is a case.
            self.message.setText(
                QCoreApplication.translate(
                    "TeamScreens",
                    "team: A referral is allocated to an officer of your own team; transfer "
                    "its case afterwards.",
                )
            )
            return None
        changes = self.session.changes
        case_id = uuid.uuid4()
        fields = case_for_referral(
            referral,
            team_id=own,
            officer_id=officer,
            today=changes.clock().date(),
            case_id=case_id,
        )
        allocation = changes.allocate_referral(referral.id, fields, case_id, officer, reason)
        # The referral is answered: from now on the page shows its new case.
        self.case_id, self.referral = case_id, None
        self.selected_label.setText(str(fields["reference"]))
        return allocation
