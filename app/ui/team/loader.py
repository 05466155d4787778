"""Runs the caseload query on the thread pool; the result comes back to the GUI by signal."""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from app.store.db import Store
from app.ui.pages.common import QueryRunner
from app.views.team import TeamDashboard, team_dashboard


class DashboardLoader(QObject):
    """Loads a team's dashboard off the GUI thread; only the newest request's answer counts.

    Signals:
        loaded(TeamDashboard): the newest request's result, on the GUI thread.
        failed(str): the newest request failed (the error's kind; no personal data).
    """

    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        # The screens' one query runner: superseded answers are dropped there.
        self._runner = QueryRunner(self)
        self._runner.loaded.connect(self.loaded)
        self._runner.failed.connect(self.failed)

    def request(self, team_id: uuid.UUID, now: datetime) -> None:
        """Start a load; an older one still running is answered but ignored."""
        store = self._store

        def work() -> TeamDashboard:
            # Its own connection: the GUI thread's is never shared with a worker.
            with store.engine.connect() as connection:
                return team_dashboard(connection, team_id, now)

        self._runner.submit(work)
