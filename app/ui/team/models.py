"""Qt item models over the team lead's queries (app/views/team.py); thin, read-only adapters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

from app.views.team import (
    AllocationEntry,
    CaseLine,
    OfficerLoad,
    PendingClosure,
    PendingMarker,
    QueueItem,
    Rag,
    SupervisionEntry,
)

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

RAG_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's Rag value, for sorting and tests."""
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
"""The dataclass behind the row."""


def rag_text(rag: Rag) -> str:
    """The RAG status in words: the meaning never rests on colour."""
    return {
        Rag.RED: QCoreApplication.translate("TeamScreens", "Red"),
        Rag.AMBER: QCoreApplication.translate("TeamScreens", "Amber"),
        Rag.GREEN: QCoreApplication.translate("TeamScreens", "Green"),
    }[rag]


_COLOURS = {Rag.RED: "#b00020", Rag.AMBER: "#b35c00", Rag.GREEN: "#2e7d32"}
_ICONS: dict[Rag, QIcon] = {}


def rag_colour(rag: Rag) -> QColor:
    """The colour that goes with the status's shape and words."""
    return QColor(_COLOURS[rag])


def rag_icon(rag: Rag) -> QIcon:
    """A shape per status as well as a colour: square red, triangle amber, circle green."""
    icon = _ICONS.get(rag)
    if icon is None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(rag_colour(rag))
        if rag is Rag.RED:
            painter.drawRect(2, 2, 12, 12)
        elif rag is Rag.AMBER:
            painter.drawPolygon(QPolygonF([QPointF(8, 1), QPointF(15, 15), QPointF(1, 15)]))
        else:
            painter.drawEllipse(2, 2, 12, 12)
        painter.end()
        icon = _ICONS[rag] = QIcon(pixmap)
    return icon


class RowsModel(QAbstractTableModel, Generic[T]):
    """A table of dataclass rows: one function per column gives its text."""

    def __init__(
        self,
        headers: Sequence[str],
        columns: Sequence[Callable[[T], object]],
        rag: Callable[[T], Rag | None] | None = None,
        rag_column: int = -1,
    ) -> None:
        super().__init__()
        self._headers = list(headers)
        self._columns = list(columns)
        self._rag = rag
        self._rag_column = rag_column
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        """Replace every row (a fresh query's result)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        """The rows in order."""
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        """The dataclass of one row, or None beyond the end."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if not 0 <= column < len(self._columns):
            return None
        rag = self._rag(item) if self._rag else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            value = self._columns[column](item)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.DecorationRole and column == self._rag_column and rag:
            return rag_icon(rag)
        if role == Qt.ItemDataRole.ForegroundRole and column == self._rag_column and rag:
            return rag_colour(rag)
        if role == RAG_ROLE:
            return str(rag) if rag else None
        if role == ITEM_ROLE:
            return item
        return None


def officer_model() -> RowsModel[OfficerLoad]:
    """Per officer: name, RAG, open cases, points, overdue tasks and visits."""
    return RowsModel(
        [
            QCoreApplication.translate("TeamScreens", "Officer"),
            QCoreApplication.translate("TeamScreens", "Status"),
            QCoreApplication.translate("TeamScreens", "Open cases"),
            QCoreApplication.translate("TeamScreens", "Points"),
            QCoreApplication.translate("TeamScreens", "Overdue tasks"),
            QCoreApplication.translate("TeamScreens", "Overdue visits"),
            QCoreApplication.translate("TeamScreens", "Red"),
            QCoreApplication.translate("TeamScreens", "Amber"),
        ],
        [
            lambda o: o.name,
            lambda o: rag_text(o.rag),
            lambda o: o.open_cases,
            lambda o: o.points,
            lambda o: o.overdue_tasks,
            lambda o: o.overdue_visits,
            lambda o: o.red,
            lambda o: o.amber,
        ],
        rag=lambda o: o.rag,
        rag_column=1,
    )


def case_model() -> RowsModel[CaseLine]:
    """Open cases: reference, RAG and its reason, type, status, officer, points."""
    return RowsModel(
        [
            QCoreApplication.translate("TeamScreens", "Reference"),
            QCoreApplication.translate("TeamScreens", "Status"),
            QCoreApplication.translate("TeamScreens", "Why"),
            QCoreApplication.translate("TeamScreens", "Case type"),
            QCoreApplication.translate("TeamScreens", "Stage"),
            QCoreApplication.translate("TeamScreens", "Officer"),
            QCoreApplication.translate("TeamScreens", "Resident"),
            QCoreApplication.translate("TeamScreens", "Points"),
        ],
        [
            lambda c: c.reference,
            lambda c: rag_text(c.rag),
            lambda c: c.rag_text,
            lambda c: c.case_label,
            lambda c: c.status.replace("_", " "),
            lambda c: c.officer_name or QCoreApplication.translate("TeamScreens", "Unallocated"),
            lambda c: c.subject_name,
            lambda c: c.points,
        ],
        rag=lambda c: c.rag,
        rag_column=1,
    )


def queue_model() -> RowsModel[QueueItem]:
    """Waiting for allocation: new cases and referrals."""
    return RowsModel(
        [
            QCoreApplication.translate("TeamScreens", "Received"),
            QCoreApplication.translate("TeamScreens", "Kind"),
            QCoreApplication.translate("TeamScreens", "What"),
            QCoreApplication.translate("TeamScreens", "Resident"),
            QCoreApplication.translate("TeamScreens", "Urgency"),
            QCoreApplication.translate("TeamScreens", "Summary"),
        ],
        [
            lambda q: q.received.isoformat(),
            lambda q: (
                QCoreApplication.translate("TeamScreens", "New case")
                if q.kind == "case"
                else QCoreApplication.translate("TeamScreens", "Referral")
            ),
            lambda q: q.label,
            lambda q: q.subject_name,
            lambda q: q.urgency,
            lambda q: q.summary,
        ],
    )


def history_model() -> RowsModel[AllocationEntry]:
    """A case's allocation history."""
    return RowsModel(
        [
            QCoreApplication.translate("TeamScreens", "When"),
            QCoreApplication.translate("TeamScreens", "From"),
            QCoreApplication.translate("TeamScreens", "To"),
            QCoreApplication.translate("TeamScreens", "By"),
            QCoreApplication.translate("TeamScreens", "Reason"),
        ],
        [
            lambda h: f"{h.at:%d %b %Y %H:%M}",
            lambda h: h.from_officer or QCoreApplication.translate("TeamScreens", "Nobody"),
            lambda h: h.to_officer or QCoreApplication.translate("TeamScreens", "Nobody"),
            lambda h: h.by,
            lambda h: h.reason,
        ],
    )


def marker_model() -> RowsModel[PendingMarker]:
    """Warning markers waiting for approval."""
    return RowsModel(
        [
            QCoreApplication.translate("TeamScreens", "Resident"),
            QCoreApplication.translate("TeamScreens", "Category"),
            QCoreApplication.translate("TeamScreens", "Reason"),
            QCoreApplication.translate("TeamScreens", "Review by"),
            QCoreApplication.translate("TeamScreens", "Proposed by"),
        ],
        [
            lambda m: m.person_name,
            lambda m: m.category,
            lambda m: m.reason,
            lambda m: m.review_date.isoformat(),
            lambda m: m.proposed_by,
        ],
    )


def closure_model() -> RowsModel[PendingClosure]:
    """Closure requests waiting for approval."""
    return RowsModel(
        [
            QCoreApplication.translate("TeamScreens", "Reference"),
            QCoreApplication.translate("TeamScreens", "Case type"),
            QCoreApplication.translate("TeamScreens", "Stage"),
            QCoreApplication.translate("TeamScreens", "Reason"),
            QCoreApplication.translate("TeamScreens", "Asked by"),
        ],
        [
            lambda c: c.reference,
            lambda c: c.case_label,
            lambda c: c.status.replace("_", " "),
            lambda c: c.closure_reason,
            lambda c: c.requested_by,
        ],
    )


def supervision_model() -> RowsModel[SupervisionEntry]:
    """Supervision notes of one case."""
    return RowsModel(
        [
            QCoreApplication.translate("TeamScreens", "When"),
            QCoreApplication.translate("TeamScreens", "Author"),
            QCoreApplication.translate("TeamScreens", "Note"),
        ],
        [
            lambda n: (
                f"{n.at:%d %b %Y %H:%M}"
                + (
                    QCoreApplication.translate("TeamScreens", " (not yet synced)")
                    if n.pending
                    else ""
                )
            ),
            lambda n: n.author,
            lambda n: n.text,
        ],
    )
