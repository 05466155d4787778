"""Workload per officer as a bar chart drawn with QPainter (QtCharts is not in Essentials)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.team.models import rag_colour, rag_icon, rag_text
from app.views.team import OfficerLoad


class WorkloadChart(QWidget):
    """Horizontal bars of weighted points per officer, each with its RAG icon and words.

    Keyboard: Up/Down move the selection, Enter/Space open the selected officer's cases; a
    click does the same. The accessible description reads the whole chart as text.

    Signals:
        officer_chosen(int): the row of the officer opened (by click, Enter or Space).
        selection_changed(int): the row now selected.
    """

    officer_chosen = Signal(int)
    selection_changed = Signal(int)

    ROW_HEIGHT = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loads: list[OfficerLoad] = []
        self._selected = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(QCoreApplication.translate("TeamScreens", "Workload per officer"))

    def set_loads(self, loads: list[OfficerLoad]) -> None:
        """Show these officers' workloads; keeps the selection when the row still exists."""
        self._loads = list(loads)
        if self._selected >= len(self._loads):
            self._selected = len(self._loads) - 1
        lines = [
            QCoreApplication.translate(
                "TeamScreens", "{name}: {points} points, {cases} open cases, {rag}"
            ).format(name=o.name, points=o.points, cases=o.open_cases, rag=rag_text(o.rag))
            for o in self._loads
        ]
        self.setAccessibleDescription("; ".join(lines))
        self.updateGeometry()
        self.update()

    def selected(self) -> int:
        """The selected row, or -1."""
        return self._selected

    def select(self, row: int) -> None:
        """Select a row (clamped); emits selection_changed when it moves."""
        row = max(-1, min(row, len(self._loads) - 1))
        if row != self._selected:
            self._selected = row
            self.selection_changed.emit(row)
            self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, max(1, len(self._loads)) * self.ROW_HEIGHT + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, self.ROW_HEIGHT * 2)

    def bar_rect(self, row: int) -> QRect:
        """Where a row's bar is drawn (tests click it)."""
        label_width = min(180, self.width() // 3)
        top = 4 + row * self.ROW_HEIGHT
        most = max((o.points for o in self._loads), default=0) or 1
        room = max(1, self.width() - label_width - 110)
        width = max(2, int(room * self._loads[row].points / most))
        return QRect(label_width + 22, top + 4, width, self.ROW_HEIGHT - 8)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        label_width = min(180, self.width() // 3)
        if not self._loads:
            painter.setPen(text_colour)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                QCoreApplication.translate("TeamScreens", "No officers"),
            )
            painter.end()
            return
        for row, load in enumerate(self._loads):
            top = 4 + row * self.ROW_HEIGHT
            line = QRect(0, top, self.width(), self.ROW_HEIGHT)
            if row == self._selected:
                painter.fillRect(line, palette.color(QPalette.ColorRole.Highlight))
                painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
            else:
                painter.setPen(text_colour)
            name_box = QRect(4, top, label_width - 8, self.ROW_HEIGHT)
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            elided = painter.fontMetrics().elidedText(
                load.name, Qt.TextElideMode.ElideRight, name_box.width()
            )
            painter.drawText(name_box, align, elided)
            rag_icon(load.rag).paint(painter, QRect(label_width, top + 5, 16, 16))
            bar = self.bar_rect(row)
            painter.fillRect(bar, rag_colour(load.rag))
            figure = QCoreApplication.translate("TeamScreens", "{points} pts · {rag}").format(
                points=load.points, rag=rag_text(load.rag)
            )
            painter.drawText(QRect(bar.right() + 6, top, 104, self.ROW_HEIGHT), align, figure)
        if self.hasFocus() and self._selected >= 0:
            focus = QRect(
                0, 4 + self._selected * self.ROW_HEIGHT, self.width() - 1, self.ROW_HEIGHT
            )
            painter.setPen(Qt.PenStyle.DashLine)
            painter.drawRect(focus.adjusted(0, 0, 0, -1))
        painter.end()

    def _row_at(self, y: int) -> int:
        row = (y - 4) // self.ROW_HEIGHT
        return row if 0 <= row < len(self._loads) else -1

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        row = self._row_at(int(event.position().y()))
        if row >= 0:
            self.select(row)
            self.officer_chosen.emit(row)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Down:
            self.select(self._selected + 1)
        elif key == Qt.Key.Key_Up:
            self.select(max(0, self._selected - 1))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._selected >= 0:
                self.officer_chosen.emit(self._selected)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        if self._selected < 0 and self._loads:
            self.select(0)
        super().focusInEvent(event)
        self.update()
