"""One sync cycle: push the outbox in batches, pull the feed to its end, then tidy up."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from app.sync.connectivity import Connectivity
from app.sync.feed import FeedPage
from app.sync.local import LocalSync, ResyncRequired
from app.sync.protocol import MAX_BATCH, MAX_PAGE, PushRequest
from app.sync.session import wipe_store
from app.sync.transport import DeviceRevoked, Transport, Unreachable

Clock = Callable[[], datetime]
Progress = Callable[[str, int, int | None], None]
"""(phase, done, total): phase is "push", "pull", "resync" or "prune"; total None if unknown."""


@dataclass
class SyncReport:
    """What one cycle did: mutations the platform answered, and changes pulled.

    ``pushed`` counts every answered mutation; ``merged``, ``conflicts`` and ``rejected`` are
    those of them with that outcome (the rest were applied as sent).
    """

    pushed: int = 0
    pulled: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    resynced: bool = False
    pruned: int = 0

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


class StoreWiped(Exception):
    """The device was revoked and the local store has been erased."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SyncEngine:
    """Runs sync cycles for one store against one platform (no Qt; the UI runs it in a thread)."""

    def __init__(
        self,
        local: LocalSync,
        transport: Transport,
        *,
        clock: Clock,
        progress: Progress | None = None,
        page_limit: int = MAX_PAGE,
        batch_size: int = MAX_BATCH,
        keep_closed_cases_days: int = 30,
        connectivity: Connectivity | None = None,
    ) -> None:
        self.local = local
        self.transport = transport
        self.clock = clock
        self.progress = progress
        self.page_limit = max(1, min(page_limit, MAX_PAGE))
        self.batch_size = max(1, min(batch_size, MAX_BATCH))
        self.keep_closed_cases_days = keep_closed_cases_days
        # Told of every cycle's outcome, so the sync indicator shows online or offline.
        self.connectivity = connectivity

    def run_cycle(self) -> SyncReport:
        """Push, pull, prune. Raises ``StoreWiped`` (after erasing it) for a revoked device.

        Any other error leaves the store consistent: answered mutations are out of the
        outbox, unanswered ones are still in it, and every applied page has its cursor.
        """
        try:
            report = self._cycle()
        except Unreachable:
            if self.connectivity is not None:
                self.connectivity.record(False)
            raise
        if self.connectivity is not None:
            self.connectivity.record(True)
        return report

    def _cycle(self) -> SyncReport:
        report = SyncReport()
        try:
            self._push(report)
            try:
                self._pull(report)
            except ResyncRequired:
                # The platform was restored: start the feed again; the outbox is kept and
                # pushed again (the platform applies nothing twice).
                report.resynced = True
                self._emit("resync", 0, None)
                self.local.reset_for_resync()
                self._push(report)
                self._pull(report)
        except DeviceRevoked as revoked:
            wipe_store(self.local.store)
            raise StoreWiped(
                "An administrator revoked this laptop, so its local data has been erased. "
                f"({revoked.message})"
            ) from revoked
        self._emit("prune", 0, None)
        report.pruned = self.local.prune_closed_cases(self.keep_closed_cases_days)
        return report

    def _emit(self, phase: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(phase, done, total)

    def _push(self, report: SyncReport) -> None:
        total = left = self.local.pending_count()
        done = 0
        client_id = self.local.state().client_id
        self._emit("push", 0, total)
        while left:
            batch = self.local.pending_mutations(self.batch_size)
            if not batch:
                break
            self.local.record_attempt(m.mutation_id for m in batch)
            answer = self.transport.push(PushRequest(client_id=client_id, mutations=batch))
            counts = self.local.apply_results(answer.results)
            answered = counts.applied + counts.merged + counts.conflicts + counts.rejected
            report.pushed += answered
            report.merged += counts.merged
            report.conflicts += counts.conflicts
            report.rejected += counts.rejected
            done += answered
            self._emit("push", done, total)
            now_left = self.local.pending_count()
            if now_left >= left:
                # Answers that removed nothing would loop for ever; the rest waits for
                # the next cycle (and shows in the entry's attempt count).
                break
            left = now_left

    def _pull(self, report: SyncReport) -> None:
        """Read the feed to its end, fetching the next page while this one is applied.

        The platform's time to serve a page and the laptop's time to apply one are of the same
        order, and on separate processors, so overlapping them nearly halves an initial sync.
        The fetcher may run at most ``PREFETCH`` pages ahead; pages already waiting when the
        applier is free are applied together, in one transaction with the last one's cursor.
        A page is never applied before the ones ahead of it, and the stored cursor is always
        that of the last page applied, so an interruption anywhere loses nothing.
        """
        done = 0
        self._emit("pull", 0, None)
        fetcher = _Fetcher(self.transport, self.local.state().cursor, self.page_limit)
        fetcher.start()
        try:
            while True:
                pages = fetcher.take()
                self.local.apply_pages(pages)
                count = sum(len(page.changes) for page in pages)
                done += count
                report.pulled += count
                self._emit("pull", done, None)
                if not pages[-1].has_more:
                    return
        finally:
            fetcher.stop()


PREFETCH = 2
"""Pages the fetcher may hold that are not applied yet (each up to MAX_PAGE changes)."""


class _Fetcher:
    """Fetches pull pages one after another in a thread; errors are handed to the taker."""

    def __init__(self, transport: Transport, cursor: str | None, limit: int) -> None:
        self.transport = transport
        self.cursor = cursor
        self.limit = limit
        self.ready: queue.Queue[FeedPage | BaseException] = queue.Queue(maxsize=PREFETCH)
        self.stopping = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="doorstep-pull", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()

    def take(self) -> list[FeedPage]:
        """The next page, with any others already fetched; raises what the fetcher met.

        An error that came after some pages is raised at the next call, once those pages
        are applied.
        """
        if self.error is not None:
            raise self.error
        pages: list[FeedPage] = []
        item = self.ready.get()
        while True:
            if isinstance(item, BaseException):
                if not pages:
                    raise item
                self.error = item
                return pages
            pages.append(item)
            if not item.has_more:
                return pages
            try:
                item = self.ready.get_nowait()
            except queue.Empty:
                return pages

    def _put(self, item: FeedPage | BaseException) -> bool:
        while not self.stopping.is_set():
            try:
                self.ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            while not self.stopping.is_set():
                page = self.transport.pull(self.cursor, self.limit)
                if not self._put(page) or not page.has_more:
                    return
                self.cursor = page.cursor
        except BaseException as error:  # handed to the applying thread, which raises it
            self._put(error)
