"""The main window: navigation between injected pages, Back, the sync status bar and menus."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.ui.pages.standard import PageSpec
from app.ui.session import UiSession
from app.ui.statusbar import SyncStatusBar
from app.ui.sync import SyncController


@dataclass(frozen=True)
class _Visit:
    """One step of the Back history: a page, and the record it showed (for resident/case)."""

    key: str
    record: uuid.UUID | None = None


_OPENERS = {"resident": "show_person", "case": "show_case"}


class MainWindow(QMainWindow):
    """The signed-in window. Pages come from ``pages`` (PageSpec) and are built on first show.

    Signals:
        page_shown(str): the key of the page now in front.
        sign_out_requested(): the person chose File > Sign out.
    """

    page_shown = Signal(str)
    sign_out_requested = Signal()

    def __init__(
        self,
        session: UiSession,
        pages: Sequence[PageSpec],
        controller: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.controller = controller
        self.specs = {spec.key: spec for spec in pages}
        self.widgets: dict[str, QWidget] = {}
        self.history: list[_Visit] = []
        self.current: _Visit | None = None
        who = session.identity
        self.setWindowTitle(
            self.tr("Doorstep — %1 (%2)").replace("%1", who.display_name).replace("%2", who.tenant)
        )
        self.setAccessibleName(self.tr("Doorstep main window"))

        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName(self.tr("Page"))
        self.setCentralWidget(self.stack)
        self.status = SyncStatusBar(controller, self)
        self.setStatusBar(self.status)
        self.status.conflicts_clicked.connect(lambda: self.show_page("conflicts"))

        self.navigation = QToolBar(self.tr("Navigation"), self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Navigation"))
        self.navigation.setMovable(False)
        self.navigation.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.navigation)
        self.nav_group = QActionGroup(self)
        # Optional: while a resident or case is shown, no navigation entry is current.
        self.nav_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.nav_actions: dict[str, QAction] = {}

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.sync_action = QAction(self.tr("&Sync now"), self)
        self.sync_action.setShortcuts([QKeySequence("Ctrl+R"), QKeySequence("F5")])
        self.sync_action.triggered.connect(controller.sync_now)
        file_menu.addAction(self.sync_action)
        sign_out = QAction(self.tr("Sign &out"), self)
        sign_out.triggered.connect(self.sign_out_requested)
        file_menu.addAction(sign_out)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        for spec in pages:
            if not spec.in_navigation:
                continue
            action = QAction(spec.title, self)
            action.setCheckable(True)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
                action.setToolTip(
                    self.tr("%1 (%2)")
                    .replace("%1", spec.title)
                    .replace(
                        "%2",
                        QKeySequence(spec.shortcut).toString(
                            QKeySequence.SequenceFormat.NativeText
                        ),
                    )
                )
            action.triggered.connect(lambda _checked=False, key=spec.key: self.show_page(key))
            self.nav_group.addAction(action)
            self.navigation.addAction(action)
            go_menu.addAction(action)
            self.nav_actions[spec.key] = action
        go_menu.addSeparator()
        self.back_action = QAction(self.tr("&Back"), self)
        self.back_action.setShortcut(QKeySequence("Alt+Left"))
        self.back_action.setEnabled(False)
        self.back_action.triggered.connect(self.go_back)
        go_menu.addAction(self.back_action)
        self.navigation.addSeparator()
        self.navigation.addAction(self.back_action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        shortcuts = QAction(self.tr("&Keyboard shortcuts"), self)
        shortcuts.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction(shortcuts)

        session.events.open_person.connect(lambda record: self.open_record("resident", record))
        session.events.open_case.connect(lambda record: self.open_record("case", record))

        first = next((spec.key for spec in pages if spec.in_navigation), None)
        if first is not None:
            self.show_page(first, remember=False)
        else:
            self.stack.addWidget(QLabel(self.tr("No pages are available."), self))
        self.resize(1200, 800)

    # --- pages ------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget | None:
        """The page's widget, built now if it has not been shown before (None if absent)."""
        widget = self.widgets.get(key)
        if widget is None:
            spec = self.specs.get(key)
            if spec is None:
                return None
            widget = spec.factory(self.session)
            self.widgets[key] = widget
            self.stack.addWidget(widget)
        return widget

    def show_page(self, key: str, *, remember: bool = True) -> bool:
        """Bring a navigation page to the front; False when this build has no such page."""
        return self._go(_Visit(key), remember=remember)

    def open_record(self, key: str, record: uuid.UUID) -> bool:
        """Show a resident or case page for ``record`` (from an open_person/open_case event)."""
        if key not in self.specs:
            self.status.say(self.tr("That screen is not part of this version."), 10_000)
            return False
        return self._go(_Visit(key, record), remember=True)

    def _go(self, visit: _Visit, *, remember: bool) -> bool:
        widget = self.page(visit.key)
        if widget is None:
            return False
        if visit.record is not None:
            getattr(widget, _OPENERS[visit.key])(visit.record)
        if remember and self.current is not None and self.current != visit:
            self.history.append(self.current)
        self.current = visit
        self.stack.setCurrentWidget(widget)
        action = self.nav_actions.get(visit.key)
        if action is not None:
            action.setChecked(True)
        else:
            checked = self.nav_group.checkedAction()
            if checked is not None:
                checked.setChecked(False)
        self.back_action.setEnabled(bool(self.history))
        widget.setFocus()
        self.page_shown.emit(visit.key)
        return True

    def go_back(self) -> None:
        """Return to the page (and record) shown before."""
        if not self.history:
            return
        visit = self.history.pop()
        self._go(visit, remember=False)

    def current_key(self) -> str | None:
        return self.current.key if self.current else None

    # --- help and closing -------------------------------------------------------------------

    def shortcut_lines(self) -> list[str]:
        lines = []
        for key, action in self.nav_actions.items():
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            lines.append(f"{shortcut}\t{self.specs[key].title}")
        lines.append("Ctrl+R, F5\t" + self.tr("Sync now"))
        lines.append(
            self.back_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            + "\t"
            + self.tr("Back")
        )
        lines.append("F1\t" + self.tr("Keyboard shortcuts"))
        return lines

    def show_shortcuts(self) -> None:
        QMessageBox.information(
            self, self.tr("Keyboard shortcuts"), "\n".join(self.shortcut_lines())
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.controller.stop()
        super().closeEvent(event)
