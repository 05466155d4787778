"""Scheduling a worker's sync requests: pushes go straight on, pages of the feed wait their turn."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SyncGate:
    """Pushes first: a page is built only when no push is running in this worker process.

    A push is an officer's work reaching the platform and holds row locks until it commits;
    building a page is long, CPU-bound Python that, sharing the interpreter, would slow every
    push beside it. So pages take one of ``pull_slots`` and then wait for a moment with no
    push running (at most ``max_wait_s``, so a steady stream of pushes cannot starve them);
    pushes never wait for pages. A push counts until just before its commit (waiting for the
    WAL flush needs no interpreter). Waiting threads hold no database connection.
    """

    def __init__(self, pull_slots: int, max_wait_s: float) -> None:
        self._pull_slots = threading.BoundedSemaphore(pull_slots)
        self._quiet = threading.Condition()
        self._pushing = 0
        self._max_wait_s = max_wait_s

    @contextmanager
    def push(self) -> Iterator[None]:
        """Around a push: counted while it runs."""
        with self._quiet:
            self._pushing += 1
        try:
            yield
        finally:
            with self._quiet:
                self._pushing -= 1
                if self._pushing == 0:
                    self._quiet.notify_all()

    @contextmanager
    def pull(self) -> Iterator[None]:
        """Around building a page: a slot, then a moment with no push running.

        The bound applies from when the page has its slot, so each queued page waits for a
        quiet moment again. Bounding it from the request's arrival instead (pages that queued
        long then start beside pushes) doubled push p50 under the benchmark (45 -> 120 ms)
        and p99 went from 474-783 to 733-970 ms: pages waiting is what keeps pushes fast.
        """
        with self._pull_slots:
            with self._quiet:
                self._quiet.wait_for(lambda: self._pushing == 0, timeout=self._max_wait_s)
            yield

    @property
    def pushing(self) -> int:
        """Pushes running now (for tests)."""
        with self._quiet:
            return self._pushing
