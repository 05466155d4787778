"""The sync gate: pushes never wait for pages; a page waits for a moment with no push running."""

from __future__ import annotations

import threading

from server.sync.gate import SyncGate


def test_a_page_waits_until_no_push_is_running() -> None:
    gate = SyncGate(pull_slots=1, max_wait_s=30)
    pushing, started, built = threading.Event(), threading.Event(), threading.Event()
    release = threading.Event()

    def push() -> None:
        with gate.push():
            pushing.set()
            release.wait(30)

    def pull() -> None:
        started.set()
        with gate.pull():
            built.set()

    pusher = threading.Thread(target=push)
    pusher.start()
    assert pushing.wait(30)
    puller = threading.Thread(target=pull)
    puller.start()
    assert started.wait(30)
    # The push is still running: the page must not have started.
    assert not built.wait(0.2)
    release.set()
    assert built.wait(30)
    pusher.join(30)
    puller.join(30)
    assert gate.pushing == 0


def test_pushes_do_not_wait_for_a_page_and_a_page_is_not_starved() -> None:
    gate = SyncGate(pull_slots=1, max_wait_s=0.05)
    pushed = threading.Event()

    def push() -> None:
        with gate.push():
            pushed.set()

    # A page being built holds its slot; a push from another thread still goes straight on.
    with gate.pull():
        pusher = threading.Thread(target=push)
        pusher.start()
        assert pushed.wait(30)
        pusher.join(30)
    with gate.push():
        # A push that never ends delays a page by at most max_wait_s.
        done = threading.Event()

        def pull() -> None:
            with gate.pull():
                done.set()

        puller = threading.Thread(target=pull)
        puller.start()
        assert done.wait(30)
        puller.join(30)
