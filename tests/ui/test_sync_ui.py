"""The status bar's pending count rises offline and falls to zero after a sync back online."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.ui.main import DesktopApp
from server.auth import revoke_device
from tests.ui.conftest import NetworkSwitch, first_open_case, sign_in

pytestmark = pytest.mark.postgres


def test_pending_changes_wait_offline_and_sync_when_back(
    qtbot: QtBot, shell: DesktopApp, network: NetworkSwitch
) -> None:
    window = sign_in(qtbot, shell)
    controller, session = shell.controller, shell.session
    assert controller is not None
    assert session is not None
    with qtbot.waitSignal(controller.sync_finished, timeout=60_000):
        pass
    assert window.status.pending.text() == "0 change(s) waiting to sync"

    network.online = False
    case = first_open_case(shell)
    session.changes.add_note(case, "phone", "Called the tenant; no answer.")
    session.events.changed.emit()
    assert window.status.pending.text() == "1 change(s) waiting to sync"

    with qtbot.waitSignal(controller.sync_failed, timeout=60_000) as failed:
        window.sync_action.trigger()
    assert "cannot be reached" in failed.args[0]
    assert controller.online is False
    assert window.status.connection.text() == "Offline: working from this laptop"
    assert window.status.pending.text() == "1 change(s) waiting to sync"
    assert window.status.sync_button.isEnabled()

    network.online = True
    progress: list[tuple[str, int, object]] = []
    bar_shown: list[bool] = []
    controller.sync_progressed.connect(lambda *event: progress.append(event))
    controller.sync_started.connect(lambda: bar_shown.append(window.status.progress.isVisible()))
    with qtbot.waitSignal(controller.sync_finished, timeout=60_000) as finished:
        window.status.sync_button.click()
    assert bar_shown == [True]
    assert ("push", 1, 1) in progress
    assert not window.status.progress.isVisible()
    assert finished.args[0].pushed == 1
    assert controller.online is True
    assert window.status.connection.text() == "Online"
    assert window.status.pending.text() == "0 change(s) waiting to sync"
    assert session.local.status().pending == 0


def test_reconnect_probe_syncs_without_being_asked(
    qtbot: QtBot, shell: DesktopApp, network: NetworkSwitch
) -> None:
    shell.probe_interval_ms = 50
    window = sign_in(qtbot, shell)
    controller, session = shell.controller, shell.session
    assert controller is not None
    assert session is not None
    with qtbot.waitSignal(controller.sync_finished, timeout=60_000):
        pass
    network.online = False
    session.changes.add_note(first_open_case(shell), "phone", "Left a voicemail.")
    with qtbot.waitSignal(controller.online_changed, timeout=60_000):
        controller.sync_now()
    assert controller.probe.isActive()
    network.online = True
    with qtbot.waitSignal(controller.sync_finished, timeout=60_000) as finished:
        pass
    assert finished.args[0].pushed == 1
    assert window.status.pending.text() == "0 change(s) waiting to sync"


def test_revoked_laptop_is_erased_and_back_at_sign_in(
    qtbot: QtBot, shell: DesktopApp, seeded_pg: sa.Engine
) -> None:
    sign_in(qtbot, shell)
    controller, session = shell.controller, shell.session
    assert controller is not None
    assert session is not None
    with qtbot.waitSignal(controller.sync_finished, timeout=60_000):
        pass
    identity = session.identity
    store_path = session.store.path
    with Session(seeded_pg) as db, db.begin():
        revoke_device(db, identity.tenant_id, identity.device_id)

    with qtbot.waitSignal(controller.store_wiped, timeout=60_000) as wiped:
        controller.sync_now()
    assert "revoked" in wiped.args[0]
    assert not store_path.exists()
    assert shell.window is None
    assert shell.session is None
    assert shell.sign_in is not None
    assert "erased" in shell.sign_in.error_text("")
    assert shell.desktop.vault().load(identity) is None
