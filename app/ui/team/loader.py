"""Runs the caseload query on the thread pool; the result comes back to the GUI by signal."""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.store.db import Store
from app.views.team import TeamDashboard, team_dashboard


class _Relay(QObject):
    """Lives on the GUI thread; a worker's emit reaches it as a queued call."""

    done = Signal(object, int)
    failed = Signal(str, int)


class _Job(QRunnable):
    def __init__(
        self, relay: _Relay, store: Store, team_id: uuid.UUID, now: datetime, ticket: int
    ) -> None:
        super().__init__()
        self.relay, self.store, self.team_id, self.now, self.ticket = (
            relay,
            store,
            team_id,
            now,
            ticket,
        )

    def run(self) -> None:
        # Its own connection: the GUI thread's is never shared with a worker.
        try:
            with self.store.engine.connect() as connection:
                board = team_dashboard(connection, self.team_id, self.now)
        except Exception as error:  # reported to the page, never raised into Qt's pool
            self.relay.failed.emit(type(error).__name__, self.ticket)
            return
        self.relay.done.emit(board, self.ticket)


class DashboardLoader(QObject):
    """Loads a team's dashboard off the GUI thread; only the newest request's answer counts.

    Signals:
        loaded(TeamDashboard): the newest request's result, on the GUI thread.
        failed(str): the newest request failed (the error's kind; no personal data).
    """

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, store: Store, pool: QThreadPool | None = None) -> None:
        super().__init__()
        self._store = store
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay()
        self._relay.done.connect(self._on_relay_done)
        self._relay.failed.connect(self._on_relay_failed)
        self._ticket = 0

    def request(self, team_id: uuid.UUID, now: datetime) -> None:
        """Start a load; an older one still running is answered but ignored."""
        self._ticket += 1
        self._pool.start(_Job(self._relay, self._store, team_id, now, self._ticket))

    def _on_relay_done(self, board: TeamDashboard, ticket: int) -> None:
        if ticket == self._ticket:
            self.loaded.emit(board)

    def _on_relay_failed(self, kind: str, ticket: int) -> None:
        if ticket == self._ticket:
            self.failed.emit(kind)
