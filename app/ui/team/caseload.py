"""TeamCaseloadPage: workload per officer (chart and table), RAG by text and icon, drill-down."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.pages.common import table_view as shared_table_view
from app.ui.session import UiSession
from app.ui.team.chart import WorkloadChart
from app.ui.team.loader import DashboardLoader
from app.ui.team.models import case_model, officer_model
from app.ui.team.pdf import write_summary_pdf
from app.views.team import TeamDashboard, caseload_csv


def table_view(name: str, parent: QWidget) -> QTableView:
    """The screens' shared table, with alternating rows, wrapped text and columns the lead
    sizes: sizing to contents would measure every one of thousands of rows."""
    view = shared_table_view(None, name, parent)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def push_button(text: str, name: str, parent: QWidget) -> QPushButton:
    """A button with its (mnemonic) text and the accessible name screen readers announce."""
    button = QPushButton(text, parent)
    button.setAccessibleName(name)
    return button


class TeamCaseloadPage(QWidget):
    """A team lead's caseload review over the local store (the lead's team).

    Signals:
        loaded(): a dashboard arrived and the page shows it.

    Attributes:
        officers: per officer workload model; cases: the drill-down model (one officer's
        open cases, or all); chart: the workload chart; board: the dashboard shown.
    """

    loaded = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.board: TeamDashboard | None = None
        self._officer_filter: int = -1
        self.setAccessibleName(QCoreApplication.translate("TeamScreens", "Team caseload"))
        self.loader = DashboardLoader(session.store)
        self.loader.loaded.connect(self.show_board)
        self.loader.failed.connect(self._on_loader_failed)

        self.title = QLabel(QCoreApplication.translate("TeamScreens", "Team caseload"), self)
        self.title.setAccessibleName(QCoreApplication.translate("TeamScreens", "Team caseload"))
        self.status = QLabel(QCoreApplication.translate("TeamScreens", "Loading…"), self)
        self.status.setAccessibleName(QCoreApplication.translate("TeamScreens", "Status"))
        self.refresh_button = push_button(
            QCoreApplication.translate("TeamScreens", "&Refresh"),
            QCoreApplication.translate("TeamScreens", "Refresh the caseload"),
            self,
        )
        self.csv_button = push_button(
            QCoreApplication.translate("TeamScreens", "Export &CSV…"),
            QCoreApplication.translate("TeamScreens", "Export the caseload as CSV"),
            self,
        )
        self.pdf_button = push_button(
            QCoreApplication.translate("TeamScreens", "Export &PDF summary…"),
            QCoreApplication.translate("TeamScreens", "Export a one-page PDF summary"),
            self,
        )
        self.show_all_button = push_button(
            QCoreApplication.translate("TeamScreens", "Show &all cases"),
            QCoreApplication.translate("TeamScreens", "Show every officer's cases"),
            self,
        )

        self.chart = WorkloadChart(self)
        self.officers = officer_model()
        self.officer_view = table_view(
            QCoreApplication.translate("TeamScreens", "Officers' workload"), self
        )
        self.officer_view.setModel(self.officers)
        self.cases = case_model()
        self.case_view = table_view(QCoreApplication.translate("TeamScreens", "Open cases"), self)
        self.case_view.setModel(self.cases)
        self.cases_label = QLabel(QCoreApplication.translate("TeamScreens", "All open cases"), self)
        self.cases_label.setBuddy(self.case_view)

        buttons = QHBoxLayout()
        for widget in (self.refresh_button, self.csv_button, self.pdf_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.chart)
        top_layout.addWidget(self.officer_view)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.cases_label)
        heading.addStretch(1)
        heading.addWidget(self.show_all_button)
        bottom_layout.addLayout(heading)
        bottom_layout.addWidget(self.case_view)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.refresh_button, self.csv_button)
        self.setTabOrder(self.csv_button, self.pdf_button)
        self.setTabOrder(self.pdf_button, self.chart)
        self.setTabOrder(self.chart, self.officer_view)
        self.setTabOrder(self.officer_view, self.show_all_button)
        self.setTabOrder(self.show_all_button, self.case_view)

        self.refresh_button.clicked.connect(self.refresh)
        self.csv_button.clicked.connect(self._on_csv_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        self.show_all_button.clicked.connect(self._on_show_all_clicked)
        self.chart.officer_chosen.connect(self.show_officer)
        self.officer_view.activated.connect(self._on_officer_view_activated)
        self.case_view.activated.connect(self._on_case_view_activated)
        session.events.changed.connect(self.refresh)
        self.refresh()

    # -- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Query the store again (off the GUI thread)."""
        team = self.session.identity.team_id
        if team is None:
            self.status.setText(
                QCoreApplication.translate(
                    "TeamScreens", "You are not in a team, so there is no caseload to show."
                )
            )
            return
        self.status.setText(QCoreApplication.translate("TeamScreens", "Loading…"))
        self.loader.request(team, self.session.changes.clock())

    def show_board(self, board: TeamDashboard) -> None:
        """Show a dashboard (the loader's answer; the benchmark calls it directly)."""
        self.board = board
        self.title.setText(
            QCoreApplication.translate("TeamScreens", "Team caseload: {team}").format(
                team=board.team_name
            )
        )
        self.officers.set_rows(board.officers)
        self.chart.set_loads(board.officers)
        self._fill_cases()
        red = sum(1 for c in board.cases if c.rag.value == "red")
        self.status.setText(
            QCoreApplication.translate(
                "TeamScreens", "{cases} open cases, {red} red, {queue} waiting for allocation"
            ).format(cases=len(board.cases), red=red, queue=len(board.queue))
        )
        self.loaded.emit()

    def _on_loader_failed(self, kind: str) -> None:
        self.status.setText(
            QCoreApplication.translate(
                "TeamScreens", "The caseload could not be read ({kind})."
            ).format(kind=kind)
        )

    # -- drill-down -------------------------------------------------------------------------

    def show_officer(self, row: int) -> None:
        """Show one officer's open cases (the row of the officers' table and chart)."""
        self._officer_filter = row
        self.chart.select(row)
        self.officer_view.selectRow(row)
        self._fill_cases()

    def _fill_cases(self) -> None:
        board = self.board
        if board is None:
            return
        load = self.officers.row_at(self._officer_filter)
        if load is None:
            self._officer_filter = -1
            self.cases.set_rows(board.cases)
            self.cases_label.setText(QCoreApplication.translate("TeamScreens", "All open cases"))
        else:
            self.cases.set_rows(board.cases_of(load.officer_id))
            self.cases_label.setText(
                QCoreApplication.translate("TeamScreens", "Open cases of {name}").format(
                    name=load.name
                )
            )

    def _on_show_all_clicked(self) -> None:
        self._officer_filter = -1
        self._fill_cases()

    def _on_officer_view_activated(self, index: QModelIndex) -> None:
        self.show_officer(index.row())

    def _on_case_view_activated(self, index: QModelIndex) -> None:
        line = self.cases.row_at(index.row())
        if line is not None:
            self.session.events.open_case.emit(line.id)

    # -- exports ----------------------------------------------------------------------------

    def export_csv(self, path: Path) -> None:
        """Write the team's caseload as CSV to ``path``."""
        if self.board is not None:
            path.write_text(caseload_csv(self.board), encoding="utf-8", newline="")

    def export_pdf(self, path: Path) -> None:
        """Write the one-page summary PDF to ``path``."""
        if self.board is not None:
            write_summary_pdf(self.board, path)

    def _on_csv_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("TeamScreens", "Export caseload"),
            "caseload.csv",
            QCoreApplication.translate("TeamScreens", "CSV files (*.csv)"),
        )
        if name:
            self.export_csv(Path(name))

    def _on_pdf_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("TeamScreens", "Export summary"),
            "caseload-summary.pdf",
            QCoreApplication.translate("TeamScreens", "PDF files (*.pdf)"),
        )
        if name:
            self.export_pdf(Path(name))
