"""Pieces every content screen uses: labels for codes, due-state icons, field errors, a worker."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFormLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.validation import RecordInvalid, ValidationError
from app.models.workflow import CASE_TYPES, SERVICE_LABELS, Service
from app.ui.session import UiSession
from app.views.caseload import DueState

_CONTEXT = "Doorstep"
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The view row behind a table row."""


def tr(text: str) -> str:
    """Translate a string shared by several screens (one translation context for them)."""
    return QCoreApplication.translate(_CONTEXT, text)


def code_label(code: str | None) -> str:
    """A workflow, kind or role code as words: 'in_progress' becomes 'In progress'."""
    if not code:
        return ""
    if code in Service.__members__.values():
        return tr(SERVICE_LABELS[Service(code)])
    return tr(code.replace("_", " ").capitalize())


def due_label(state: DueState) -> str:
    """The due state in words, so it never depends on the icon or colour alone."""
    return {
        DueState.OVERDUE: tr("Overdue"),
        DueState.DUE_SOON: tr("Due soon"),
        DueState.LATER: tr("Later"),
        DueState.NONE: tr("No due date"),
    }[state]


def due_icon(state: DueState) -> QIcon:
    """A distinct shape for each due state, beside its text."""
    pixmap = {
        DueState.OVERDUE: QStyle.StandardPixmap.SP_MessageBoxCritical,
        DueState.DUE_SOON: QStyle.StandardPixmap.SP_MessageBoxWarning,
        DueState.LATER: QStyle.StandardPixmap.SP_DialogApplyButton,
        DueState.NONE: QStyle.StandardPixmap.SP_MessageBoxQuestion,
    }[state]
    return QApplication.style().standardIcon(pixmap)


def warning_icon() -> QIcon:
    """The icon shown beside every warning marker's text."""
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


def show_date(value: date | None) -> str:
    """A date as UK officers write it."""
    return value.strftime("%d/%m/%Y") if value else ""


def show_time(value: datetime | None) -> str:
    """A UTC time shown in the laptop's local time."""
    return value.astimezone().strftime("%d/%m/%Y %H:%M") if value else ""


def errors_of(error: ValidationError | RecordInvalid) -> dict[str, str]:
    """Field name to message, from either kind of validation failure."""
    if isinstance(error, RecordInvalid):
        return error.by_field()
    return {error.field: error.message}


class FieldErrors:
    """Error labels placed next to their fields; an error for an unplaced field goes to a
    general label, so no message is ever dropped."""

    def __init__(self, general: QLabel) -> None:
        self._labels: dict[str, QLabel] = {}
        self._general = general
        self._prepare(general)

    @staticmethod
    def _prepare(label: QLabel) -> None:
        label.setWordWrap(True)
        label.setVisible(False)
        # Text, not just colour, says it is an error; the style only adds emphasis.
        label.setStyleSheet("color: #a4262c; font-weight: bold;")

    def label(self, field: str, buddy: QWidget) -> QLabel:
        """The error label for ``field``, described to screen readers by its control."""
        label = QLabel(buddy.parentWidget())
        label.setObjectName(f"error_{field}")
        label.setAccessibleName(tr("Error for {0}").format(buddy.accessibleName()))
        self._prepare(label)
        self._labels[field] = label
        return label

    def clear(self) -> None:
        for label in (*self._labels.values(), self._general):
            label.clear()
            label.setVisible(False)

    def show(self, messages: Mapping[str, str]) -> None:
        """Show each message by its field (prefixed 'Error:' so it reads as one)."""
        self.clear()
        unplaced = []
        for field, message in messages.items():
            label = self._labels.get(field)
            if label is None:
                unplaced.append(message)
                continue
            label.setText(tr("Error: {0}").format(message))
            label.setVisible(True)
        if unplaced:
            self._general.setText(tr("Error: {0}").format(" ".join(unplaced)))
            self._general.setVisible(True)

    def message(self, field: str) -> str:
        """The text shown for ``field`` (empty when it has no error)."""
        label = self._labels.get(field, self._general)
        return label.text()


def add_field_row(
    form: QFormLayout, errors: FieldErrors, label: str, control: QWidget, field: str
) -> None:
    """Add ``control`` to ``form`` under ``label`` with its error label beneath it.

    The form's label becomes the control's buddy, so its mnemonic moves focus to the control
    rather than to the holder that stacks control and error.
    """
    holder = QWidget(control.parentWidget())
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(control)
    # After addWidget, so the error label shares the holder with its control.
    column.addWidget(errors.label(field, control))
    form.addRow(label, holder)
    buddy = form.labelForField(holder)
    if isinstance(buddy, QLabel):
        buddy.setBuddy(control)


class _Relay(QObject):
    """Carries a worker's result back to the GUI thread (it lives there)."""

    finished = Signal(int, object)
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, generation: int, work: Callable[[], Any]) -> None:
        super().__init__()
        self._relay = relay
        self._generation = generation
        self._work = work

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # reported to the screen, never raised in a pool thread
            self._emit(self._relay.failed, type(error).__name__)
            return
        self._emit(self._relay.finished, result)

    def _emit(self, signal: Any, value: object) -> None:
        # RuntimeError: the screen closed while the query ran, so nobody is waiting for it.
        with contextlib.suppress(RuntimeError):
            signal.emit(self._generation, value)


class QueryRunner(QObject):
    """Runs store queries on the shared thread pool and hands only the latest result back.

    Signals:
        loaded(object): the result of the most recent ``submit``, on the GUI thread.
        failed(str): the most recent query raised; the error's type name.

    Results of superseded queries are dropped, so a slow old query never overwrites a newer
    one. The work function must not touch widgets: it runs on a pool thread.
    """

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._pending = False
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_relay_finished)
        self._relay.failed.connect(self._on_relay_failed)

    @property
    def busy(self) -> bool:
        """Whether a submitted query has not answered yet."""
        return self._pending

    def submit(self, work: Callable[[], Any]) -> None:
        self._generation += 1
        self._pending = True
        QThreadPool.globalInstance().start(_Job(self._relay, self._generation, work))

    def _on_relay_finished(self, generation: int, result: object) -> None:
        if generation == self._generation:
            self._pending = False
            self.loaded.emit(result)

    def _on_relay_failed(self, generation: int, name: str) -> None:
        if generation == self._generation:
            self._pending = False
            self.failed.emit(name)


Column = tuple[str, Callable[[Any], str]]


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of view rows; each column is a header and a text function.

    ``ROW_ROLE`` gives the row object itself; an optional icon function decorates column 0 and
    an optional tooltip function gives each row's tooltip.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        parent: QObject | None = None,
        icon: Callable[[Any], QIcon | None] | None = None,
        tooltip: Callable[[Any], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._icon = icon
        self._tooltip = tooltip
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._columns[index.column()][1](row)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and self._icon:
            return self._icon(row)
        if role == Qt.ItemDataRole.ToolTipRole and self._tooltip:
            return self._tooltip(row)
        if role == ROW_ROLE:
            return row
        return None


def table_view(model: QAbstractTableModel | None, name: str, parent: QWidget) -> QTableView:
    """A read-only, row-selecting, keyboard-usable table for a ``RowsModel`` (or one set later)."""
    view = QTableView(parent)
    if model is not None:
        view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves the table, arrows move within it
    view.verticalHeader().setVisible(False)
    # Screen readers announce the header too: it needs a name of its own.
    view.horizontalHeader().setAccessibleName(name)
    # These tables hold tens or hundreds of rows, so sizing columns to their text is cheap.
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    return view


def record_visit_step(
    session: UiSession, errors: FieldErrors, task_id: uuid.UUID, action: str
) -> bool:
    """Check in to (``action`` "in") or out of the visit ``task_id``, now; a refusal is shown
    by field in ``errors``. Whether it was recorded."""
    try:
        if action == "in":
            session.changes.check_in(task_id)
        else:
            session.changes.check_out(task_id)
    except (ValidationError, RecordInvalid) as error:
        errors.show(errors_of(error))
        return False
    errors.clear()
    return True


def fill_with_scrolled(page: QWidget, body: QWidget) -> None:
    """Lay ``page`` out as ``body`` in a scroll area, edge to edge, for screens taller than
    a small laptop's display."""
    scroll = QScrollArea(page)
    scroll.setWidgetResizable(True)
    scroll.setWidget(body)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll)


def slot(action: Callable[[], object]) -> Callable[[], None]:
    """``action`` as a slot that returns nothing.

    The actions report success to their callers (tests, other screens), but a value returned
    from a Python slot is handed back to Qt, which has no use for it; PySide6 has been seen to
    mis-count references to such returned bools, so slots return None.
    """

    def run() -> None:
        action()

    return run


def case_type_label(code: str) -> str:
    """A case type's name as the workflow spells it ('Care Act assessment and support')."""
    kind = CASE_TYPES.get(code)
    return tr(kind.label) if kind else code_label(code)
