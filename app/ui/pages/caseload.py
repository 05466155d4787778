"""My caseload: the officer's open cases in a sortable, filterable table model.

Keyboard: the filters come first in the tab order, then the table; Enter or a double-click
on a row opens the case; Ctrl+F moves to the service filter.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.workflow import Service
from app.ui.pages.common import (
    QueryRunner,
    case_type_label,
    code_label,
    due_icon,
    due_label,
    show_date,
)
from app.ui.session import UiSession
from app.views.caseload import (
    CaseloadFilter,
    CaseloadRow,
    DueState,
    load_caseload,
    sort_rows,
)

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The case's UUID, for whoever opens it."""

COLUMNS = ("reference", "resident", "service", "case_type", "status", "due", "due_state")


class CaseloadModel(QAbstractTableModel):
    """The caseload rows, sorted and filtered in Python over the loaded list.

    A proxy model would call ``data()`` once per comparison while sorting; sorting the list
    with a key function is one pass, which keeps 20,000 rows quick.

    Signals:
        loaded(): new rows are in the model (after ``set_rows``).
    """

    loaded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[CaseloadRow] = []
        self._shown: list[CaseloadRow] = []
        self._filter = CaseloadFilter()
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._headers = (
            self.tr("Reference"),
            self.tr("Resident"),
            self.tr("Service"),
            self.tr("Type"),
            self.tr("Status"),
            self.tr("Due"),
            self.tr("Due state"),
        )

    # --- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._shown):
            return None
        row = self._shown[index.row()]
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == "due_state":
            return due_icon(row.due_state)
        if role == ID_ROLE:
            return row.id
        return None

    @staticmethod
    def _text(row: CaseloadRow, column: str) -> str:
        if column == "reference":
            return row.reference
        if column == "resident":
            return row.resident
        if column == "service":
            return code_label(row.service)
        if column == "case_type":
            return case_type_label(row.case_type)
        if column == "status":
            return code_label(row.status)
        if column == "due":
            return show_date(row.due)
        return due_label(row.due_state)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._apply_sort()
        self.layoutChanged.emit()

    # --- content ----------------------------------------------------------------------------

    def _apply_sort(self) -> None:
        if self._sort is not None:
            column, order = self._sort
            descending = order == Qt.SortOrder.DescendingOrder
            sort_rows(self._shown, COLUMNS[column], descending=descending)

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        """Replace the caseload (after a load) and re-apply the filter and sort."""
        self._all = rows
        self._refilter()
        self.loaded.emit()

    def set_filter(self, row_filter: CaseloadFilter) -> None:
        self._filter = row_filter
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._shown = [row for row in self._all if self._filter.accepts(row)]
        self._apply_sort()
        self.endResetModel()

    def sort_key(self) -> tuple[str, bool] | None:
        """The column name and whether descending, as last sorted; None before any sort."""
        if self._sort is None:
            return None
        column, order = self._sort
        return COLUMNS[column], order == Qt.SortOrder.DescendingOrder

    def row_at(self, row: int) -> CaseloadRow:
        return self._shown[row]

    @property
    def total(self) -> int:
        """How many cases are loaded, before filtering."""
        return len(self._all)

    def statuses(self) -> list[str]:
        """Every status among the loaded cases, for the status filter."""
        return sorted({row.status for row in self._all})


class CaseloadPage(QWidget):
    """The signed-in officer's open cases, with service, status and due filters.

    The caseload is read on a worker thread (it can hold tens of thousands of cases) and
    re-read whenever ``session.events.changed`` fires.
    """

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("caseload_page")
        self.setAccessibleName(self.tr("My caseload"))
        self.model = CaseloadModel(self)
        self._runner = QueryRunner(self)
        self._runner.loaded.connect(self._on_runner_loaded)
        self._runner.failed.connect(self._on_runner_failed)

        heading = QLabel(self.tr("My caseload"), self)
        heading.setObjectName("heading")
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")

        self.service_filter = QComboBox(self)
        self.service_filter.setAccessibleName(self.tr("Filter by service"))
        self.service_filter.addItem(self.tr("All services"), None)
        for service in Service:
            self.service_filter.addItem(code_label(service), str(service))
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName(self.tr("Filter by status"))
        self.status_filter.addItem(self.tr("All statuses"), None)
        self.due_filter = QComboBox(self)
        self.due_filter.setAccessibleName(self.tr("Filter by due date"))
        self.due_filter.addItem(self.tr("Any due date"), None)
        for state in (DueState.OVERDUE, DueState.DUE_SOON, DueState.LATER, DueState.NONE):
            self.due_filter.addItem(due_icon(state), due_label(state), str(state))
        for combo in (self.service_filter, self.status_filter, self.due_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)

        filters = QHBoxLayout()
        for text, combo in (
            (self.tr("&Service:"), self.service_filter),
            (self.tr("S&tatus:"), self.status_filter),
            (self.tr("&Due:"), self.due_filter),
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addStretch(1)

        self.table = QTableView(self)
        self.table.setObjectName("caseload_table")
        self.table.setAccessibleName(self.tr("Cases assigned to me"))
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights and no per-row sizing: the view lays out 20,000 rows instantly.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Fixed starting widths: sizing to contents would measure thousands of rows.
        for column, width in zip(range(len(COLUMNS)), (110, 200, 170, 200, 130, 100), strict=False):
            self.table.setColumnWidth(column, width)
        # The view emits ``activated`` for Enter and for a double-click alike.
        self.table.activated.connect(self._on_table_activated)
        self.table.sortByColumn(COLUMNS.index("due"), Qt.SortOrder.AscendingOrder)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.service_filter.setFocus)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Number of cases shown"))

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        session.events.changed.connect(self.reload)
        self.reload()

    @property
    def loading(self) -> bool:
        """Whether a reload has not answered yet."""
        return self._runner.busy

    def reload(self) -> None:
        """Re-read the caseload from the store, off the GUI thread."""
        store = self.session.store
        officer = self.session.identity.user_id
        today = self.session.changes.clock().date()
        self.count_label.setText(self.tr("Loading cases…"))
        order = self.model.sort_key()

        def work() -> list[CaseloadRow]:
            rows = load_caseload(store, officer, today)
            # Sorted here, off the GUI thread; the model's own sort then finds it in order.
            if order is not None:
                sort_rows(rows, order[0], descending=order[1])
            return rows

        self._runner.submit(work)

    def _on_runner_loaded(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.model.set_rows(rows)
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(self.tr("All statuses"), None)
        for status in self.model.statuses():
            self.status_filter.addItem(code_label(status), status)
        found = self.status_filter.findData(current)
        self.status_filter.setCurrentIndex(max(found, 0))
        self.status_filter.blockSignals(False)
        self._update_count()

    def _on_runner_failed(self, name: str) -> None:
        self.count_label.setText(self.tr("The caseload could not be read ({0}).").format(name))

    def _on_filter_changed(self) -> None:
        due = self.due_filter.currentData()
        self.model.set_filter(
            CaseloadFilter(
                service=self.service_filter.currentData(),
                status=self.status_filter.currentData(),
                due=DueState(due) if due else None,
            )
        )
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(
            self.tr("{0} of {1} cases shown").format(self.model.rowCount(), self.model.total)
        )

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.session.events.open_case.emit(self.model.row_at(index.row()).id)
