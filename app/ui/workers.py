"""Background work on a thread pool whose results come back to the GUI thread by signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class JobSignals(QObject):
    """How a job reports; made on the GUI thread, so its signals are delivered there.

    Signals:
        succeeded(object): the function's return value.
        failed(object): the exception it raised.
        progressed(str, int, object): (phase, done, total or None) while it runs.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(str, int, object)

    def __init__(self) -> None:
        super().__init__()
        self.on_success: Callable[[Any], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None
        self.on_progress: Callable[[str, int, object], None] | None = None
        self.on_done: Callable[[], None] | None = None
        # Connected to slots of this object, which lives on the GUI thread: emitted from the
        # pool thread they are queued, so every callback runs on the GUI thread.
        self.succeeded.connect(self._on_succeeded)
        self.failed.connect(self._on_failed)
        self.progressed.connect(self._on_progressed)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        if self.on_done is not None:
            self.on_done()
        if self.on_success is not None:
            self.on_success(result)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        if self.on_done is not None:
            self.on_done()
        if self.on_failure is not None and isinstance(error, BaseException):
            self.on_failure(error)

    @Slot(str, int, object)
    def _on_progressed(self, phase: str, done: int, total: object) -> None:
        if self.on_progress is not None:
            self.on_progress(phase, done, total)


class Job(QRunnable):
    """Runs ``work(report)`` on a pool thread; ``report(phase, done, total)`` emits progress.

    The job never touches a widget: everything it has to say goes through ``signals``.
    """

    def __init__(self, work: Callable[[Callable[[str, int, int | None], None]], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = JobSignals()
        # The signals object outlives run(): the GUI thread may still be delivering them.
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.work(self._report)
        except BaseException as error:  # every failure must reach the GUI, never vanish
            self.signals.failed.emit(error)
            return
        self.signals.succeeded.emit(result)

    def _report(self, phase: str, done: int, total: int | None) -> None:
        self.signals.progressed.emit(phase, done, total)


class Workers(QObject):
    """A private thread pool; keeps each job alive until its result has been delivered."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: set[Job] = set()

    def start(
        self,
        work: Callable[[Callable[[str, int, int | None], None]], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        on_progress: Callable[[str, int, object], None] | None = None,
    ) -> Job:
        """Run ``work`` off the GUI thread; the callbacks run on the GUI thread."""
        job = Job(work)
        self._running.add(job)
        job.signals.on_success = on_success
        job.signals.on_failure = on_failure
        job.signals.on_progress = on_progress
        job.signals.on_done = lambda: self._running.discard(job)
        self.pool.start(job)
        return job

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job has finished (used when the app closes)."""
        return self.pool.waitForDone(msecs)

    def drop_results(self) -> None:
        """Finish every job and discard what it has still to report: its receivers are going.

        Results already queued for the GUI thread die with their signals object, so no
        callback runs on a window or controller that has been closed.
        """
        self.pool.waitForDone()
        for job in self._running:
            job.signals.on_success = job.signals.on_failure = None
            job.signals.on_progress = job.signals.on_done = None
        self._running.clear()
