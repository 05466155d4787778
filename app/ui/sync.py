"""Background sync for the desktop: SyncEngine cycles on a worker, reported by Qt signals."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.config import KEEP_CLOSED_CASES_DAYS, SYNC_INTERVAL_MINUTES
from app.signon import Desktop, open_worker_store
from app.store.db import Store
from app.store.keys import StoreKey
from app.sync.engine import StoreWiped, SyncEngine, SyncReport
from app.sync.local import LocalSync, PageRejected
from app.sync.protocol import TokenResponse
from app.sync.state import Identity, SyncStateError, SyncStatus
from app.sync.transport import ProblemError, SignInRequired, Transport, Unreachable
from app.ui.session import UiSession
from app.ui.workers import Workers

HEALTH_PATH = "/health"
# While offline, how often to look for the platform again (a cheap GET /health).
PROBE_INTERVAL_MS = 30_000


class WorkerStore:
    """The sync worker's own engine on the store, made on first use and kept between cycles:
    a new engine on a passphrase-keyed store pays SQLCipher's key derivation every time."""

    def __init__(self, desktop: Desktop, key: StoreKey) -> None:
        self.desktop = desktop
        self.key = key
        self.store: Store | None = None

    def get(self) -> Store:
        if self.store is None:
            self.store = open_worker_store(self.desktop.store_path, self.key)
        return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def run_sync_cycle(
    desktop: Desktop,
    worker_store: WorkerStore,
    identity: Identity,
    progress: Callable[[str, int, int | None], None],
) -> SyncReport:
    """One sync cycle on the calling (worker) thread, with the worker's own connections."""
    store = worker_store.get()
    try:
        local = LocalSync(store, clock=desktop.clock)
        vault = desktop.vault()
        token = vault.load(identity)
        if not token:
            raise SignInRequired(401, "no-refresh-token", "Sign in again to sync.")

        def keep(pair: TokenResponse) -> None:
            vault.save(identity, pair.refresh_token)

        with desktop.http_client(identity.server_url, desktop.settings) as client:
            transport = Transport(
                client,
                refresh_token=token,
                on_tokens=keep,
                sleep=desktop.sleep,
                policy=desktop.retry,
            )
            engine = SyncEngine(
                local,
                transport,
                clock=desktop.clock,
                progress=progress,
                keep_closed_cases_days=desktop.settings.get(KEEP_CLOSED_CASES_DAYS),
            )
            return engine.run_cycle()
    except StoreWiped:
        worker_store.store = None  # the engine closed and erased it
        raise


def probe_platform(desktop: Desktop, server_url: str) -> bool:
    """Whether the platform answers its health check (on a worker thread)."""
    try:
        with desktop.http_client(server_url, desktop.settings) as client:
            return client.get(HEALTH_PATH).status_code == 200
    except Exception:  # any failure to get an answer means "not yet"
        return False


class SyncController(QObject):
    """Runs sync cycles for the signed-in user: on demand, on an interval and on reconnect.

    Signals:
        sync_started(): a cycle began.
        sync_progressed(str, int, object): (phase, done, total or None) from the engine.
        sync_finished(object): the ``SyncReport`` of a cycle that completed.
        sync_failed(str): a cycle stopped; the message is for the person at the keyboard.
        online_changed(bool): the platform became reachable (True) or not (False).
        status_changed(object): fresh ``SyncStatus`` counts for the status bar.
        store_wiped(str): the device was revoked and the store erased; back to sign-in.
        sign_in_required(str): the platform ended the sign-in; back to sign-in.

    Attributes:
        online: whether the last contact with the platform succeeded.
        running: whether a cycle is under way.
        last_error: the message of the last failed cycle, if the last cycle failed.
    """

    sync_started = Signal()
    sync_progressed = Signal(str, int, object)
    sync_finished = Signal(object)
    sync_failed = Signal(str)
    online_changed = Signal(bool)
    status_changed = Signal(object)
    store_wiped = Signal(str)
    sign_in_required = Signal(str)

    def __init__(
        self,
        session: UiSession,
        desktop: Desktop,
        key: StoreKey,
        *,
        online: bool,
        workers: Workers | None = None,
        interval_ms: int | None = None,
        probe_interval_ms: int = PROBE_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.desktop = desktop
        self.key = key
        self.online = online
        self.running = False
        self.last_error: str | None = None
        self.workers = workers or Workers(self)
        self.worker_store = WorkerStore(desktop, key)
        self._closed = False
        minutes = desktop.settings.get(SYNC_INTERVAL_MINUTES)
        self.interval = QTimer(self)
        self.interval.setInterval(interval_ms if interval_ms is not None else minutes * 60_000)
        self.interval.timeout.connect(self.sync_now)
        self.probe = QTimer(self)
        self.probe.setInterval(probe_interval_ms)
        self.probe.timeout.connect(self._probe)
        self._probing = False
        session.events.sync_requested.connect(self.sync_now)
        session.events.changed.connect(self.refresh_status)

    def start(self) -> None:
        """Begin the timers; an online start syncs at once."""
        self.interval.start()
        if self.online:
            self.sync_now()
        else:
            self.probe.start()
        self.refresh_status()

    def stop(self) -> None:
        """Stop the timers and wait for a running cycle (the app is closing or signing out)."""
        self._closed = True
        self.interval.stop()
        self.probe.stop()
        self.workers.drop_results()
        self.worker_store.close()

    def status(self) -> SyncStatus:
        return self.session.local.status()

    def refresh_status(self) -> None:
        """Re-read the counts (a few COUNT queries, quick enough for the GUI thread)."""
        if not self._closed:
            self.status_changed.emit(self.status())

    def sync_now(self) -> None:
        """Start a cycle unless one is running."""
        if self.running or self._closed:
            return
        self.running = True
        self.sync_started.emit()
        desktop, worker_store, identity = self.desktop, self.worker_store, self.session.identity
        self.workers.start(
            lambda report: run_sync_cycle(desktop, worker_store, identity, report),
            self._on_cycle_finished,
            self._on_cycle_failed,
            self._on_cycle_progressed,
        )

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)
        if online:
            self.probe.stop()
        elif not self._closed:
            self.probe.start()

    def _on_cycle_progressed(self, phase: str, done: int, total: object) -> None:
        if not self._closed:
            self.sync_progressed.emit(phase, done, total)

    def _on_cycle_finished(self, report: object) -> None:
        self.running = False
        self.last_error = None
        if self._closed:
            return
        assert isinstance(report, SyncReport)
        self._set_online(True)
        if report.pushed or report.pulled or report.pruned or report.resynced:
            # Pages re-query: pulled records, conflicts and dropped outbox entries all show.
            self.session.events.changed.emit()
        else:
            self.refresh_status()
        self.sync_finished.emit(report)

    def _on_cycle_failed(self, error: BaseException) -> None:
        self.running = False
        if self._closed:
            return
        if isinstance(error, StoreWiped):
            self._closed = True
            self.interval.stop()
            self.probe.stop()
            self.store_wiped.emit(error.message)
            return
        if isinstance(error, SignInRequired):
            self.desktop.vault().forget(self.session.identity)
            self._fail(
                QCoreApplication.translate("SyncController", "Sign in again to sync: %1").replace(
                    "%1", error.message
                )
            )
            self.sign_in_required.emit(error.message)
            return
        if isinstance(error, Unreachable):
            self._set_online(False)
            self._fail(
                QCoreApplication.translate(
                    "SyncController",
                    "The platform cannot be reached. Your changes are kept on this laptop "
                    "and will be sent at the next sync.",
                )
            )
            return
        if isinstance(error, ProblemError | PageRejected | SyncStateError):
            self._fail(
                QCoreApplication.translate("SyncController", "Sync did not finish: %1").replace(
                    "%1", error.message
                )
            )
            return
        self._fail(
            QCoreApplication.translate("SyncController", "Sync did not finish: %1").replace(
                "%1", type(error).__name__
            )
        )
        raise error

    def _fail(self, message: str) -> None:
        self.last_error = message
        self.refresh_status()
        self.sync_failed.emit(message)

    def _probe(self) -> None:
        if self._probing or self.running or self._closed:
            return
        self._probing = True
        desktop, server = self.desktop, self.session.identity.server_url
        self.workers.start(
            lambda _report: probe_platform(desktop, server),
            self._on_probe_answered,
            lambda _error: self._on_probe_answered(False),
        )

    def _on_probe_answered(self, reachable: object) -> None:
        self._probing = False
        if reachable is True and not self._closed:
            # Back in signal: send what waited at once rather than at the next interval.
            self.sync_now()
