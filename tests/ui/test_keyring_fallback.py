"""Where no secure keyring exists: a clear notice, a store passphrase, a session-only sign-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.ui.main import DesktopApp
from tests.ui.conftest import PASSWORD, USER, NetworkSwitch, Platform, make_desktop

pytestmark = pytest.mark.postgres


def test_session_only_sign_in_without_a_keyring(
    qtbot: QtBot, tmp_path: Path, network: NetworkSwitch, platform: Platform
) -> None:
    desktop = make_desktop(tmp_path / "laptop", network, platform.url, secure=False)
    shell = DesktopApp(desktop, probe_interval_ms=3_600_000, sync_interval_ms=3_600_000)
    try:
        window = shell.show_sign_in(username=USER)
        assert "No secure keyring" in window.keyring_notice.text()
        assert window.inputs["passphrase"].isVisibleTo(window)
        assert window.passphrase_again.isVisibleTo(window)
        window.inputs["password"].setText(PASSWORD)
        window.inputs["passphrase"].setText("correct horse battery")
        window.passphrase_again.setText("correct horse battery staple")
        with qtbot.waitSignal(window.failed, timeout=30_000) as failed:
            window.sign_in_button.click()
        assert failed.args[0] == "passphrase"
        assert "differ" in window.error_text("passphrase")

        window.passphrase_again.setText("correct horse battery")
        with qtbot.waitSignal(shell.main_window_shown, timeout=30_000) as shown:
            window.sign_in_button.click()
        assert shell.opened is not None
        assert shell.opened.kept_in_keyring is False
        assert shell.opened.key.source == "passphrase"
        assert "session only" in shown.args[0].status.notice.text()
        # The refresh token lives in this process's memory, never in a file.
        assert desktop.vault().load(shell.opened.identity)
        assert not list((tmp_path / "laptop").rglob("*token*"))
    finally:
        shell.shutdown()
