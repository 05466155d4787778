"""The main window's status bar: connection, pending changes, last sync, progress, conflicts."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, QTimer, QTimeZone, Signal
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QStyle,
    QWidget,
)

from app.sync.engine import SyncReport
from app.sync.state import SyncStatus
from app.ui.sync import SyncController

ICON_PX = 16


class SyncStatusBar(QStatusBar):
    """Shows what the SyncController says; every state is text plus an icon, never colour alone.

    Signals:
        conflicts_clicked(): the person asked to see the open conflicts.
    """

    conflicts_clicked = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setAccessibleName(self.tr("Sync status"))
        self.connection = QLabel(self)
        self.connection_icon = QLabel(self)
        self.pending = QLabel(self)
        self.last_synced = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Sync progress"))
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.conflicts = QPushButton(self)
        self.conflicts.setFlat(True)
        self.conflicts.setAccessibleName(self.tr("Open conflicts"))
        self.conflicts.clicked.connect(self.conflicts_clicked)
        self.sync_button = QPushButton(self.tr("Sync now"), self)
        self.sync_button.setAccessibleName(self.tr("Sync now"))
        self.sync_button.setToolTip(self.tr("Send and receive changes now (Ctrl+R or F5)"))
        self.sync_button.clicked.connect(controller.sync_now)
        # A label of its own rather than showMessage(), which would hide the counts.
        self.message = QLabel(self)
        self.message.setWordWrap(False)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message.clear)
        # A standing notice (e.g. a session-only sign-in) that sync messages do not replace.
        self.notice = QLabel(self)
        self.notice.hide()
        for widget in (
            self.notice,
            self.connection_icon,
            self.connection,
            self.pending,
            self.last_synced,
        ):
            self.addPermanentWidget(widget)
        self.addWidget(self.message, 1)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.conflicts)
        self.addPermanentWidget(self.sync_button)

        controller.online_changed.connect(self._show_connection)
        controller.status_changed.connect(self._on_controller_status_changed)
        controller.sync_started.connect(self._on_controller_sync_started)
        controller.sync_progressed.connect(self._on_controller_sync_progressed)
        controller.sync_finished.connect(self._on_controller_sync_finished)
        controller.sync_failed.connect(self._on_controller_sync_failed)
        self._show_connection(controller.online)

    def say(self, text: str, timeout_ms: int = 0) -> None:
        """Show a message beside the counts; with a timeout it clears itself."""
        self.message.setText(text)
        self.message.setAccessibleName(text)
        if timeout_ms:
            self._message_timer.start(timeout_ms)
        else:
            self._message_timer.stop()

    def set_notice(self, text: str) -> None:
        """A standing notice beside the connection state ("" hides it)."""
        self.notice.setText(("ⓘ " + text) if text else "")
        self.notice.setToolTip(text)
        self.notice.setAccessibleName(text)
        self.notice.setVisible(bool(text))

    def _icon(self, pixmap: QStyle.StandardPixmap) -> None:
        icon = self.style().standardIcon(pixmap)
        self.connection_icon.setPixmap(icon.pixmap(ICON_PX, ICON_PX))

    def _show_connection(self, online: bool) -> None:
        if online:
            self.connection.setText(self.tr("Online"))
            self._icon(QStyle.StandardPixmap.SP_DialogApplyButton)
        else:
            self.connection.setText(self.tr("Offline: working from this laptop"))
            self._icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.connection.setAccessibleName(self.connection.text())

    def _on_controller_status_changed(self, status: object) -> None:
        assert isinstance(status, SyncStatus)
        self.pending.setText(self.tr("%n change(s) waiting to sync", "", status.pending))
        self.pending.setAccessibleName(self.pending.text())
        if status.last_sync_at is None:
            self.last_synced.setText(self.tr("Never synced"))
        else:
            moment = QDateTime.fromSecsSinceEpoch(
                int(status.last_sync_at.timestamp()), QTimeZone.systemTimeZone()
            )
            when = QLocale().toString(moment, QLocale.FormatType.ShortFormat)
            self.last_synced.setText(self.tr("Last synced %1").replace("%1", when))
        self.last_synced.setAccessibleName(self.last_synced.text())
        count = status.open_conflicts + status.rejected
        if count:
            self.conflicts.setText(self.tr("%n conflict(s) to resolve", "", count))
            self.conflicts.setIcon(
                self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            )
        else:
            self.conflicts.setText(self.tr("No conflicts"))
            self.conflicts.setIcon(
                self.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
            )
        self.conflicts.setAccessibleName(self.conflicts.text())

    def _on_controller_sync_started(self) -> None:
        self.sync_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the engine says how much there is
        self.progress.setFormat(self.tr("Syncing"))
        self.progress.show()
        self.say(self.tr("Syncing…"))

    def _on_controller_sync_progressed(self, phase: str, done: int, total: object) -> None:
        labels = {
            "push": self.tr("Sending %1"),
            "pull": self.tr("Receiving %1"),
            "resync": self.tr("Starting afresh %1"),
            "prune": self.tr("Tidying up %1"),
        }
        if isinstance(total, int) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)
        text = labels.get(phase, "%1").replace("%1", str(done) if done else "")
        self.progress.setFormat(text.strip())

    def _end_sync(self) -> None:
        self.progress.hide()
        self.sync_button.setEnabled(True)

    def _on_controller_sync_finished(self, report: object) -> None:
        assert isinstance(report, SyncReport)
        self._end_sync()
        self.say(
            self.tr("Synced: %1 sent, %2 received")
            .replace("%1", str(report.pushed))
            .replace("%2", str(report.pulled)),
            10_000,
        )

    def _on_controller_sync_failed(self, message: str) -> None:
        self._end_sync()
        self.say(message)
