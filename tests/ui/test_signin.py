"""Signing in on the desktop against a real platform: online, wrong password, offline start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.signon import Desktop
from app.ui.main import DesktopApp
from tests.ui.conftest import PASSWORD, USER, Clock, NetworkSwitch, sign_in

pytestmark = pytest.mark.postgres


def test_sign_in_opens_the_main_window_and_syncs(qtbot: QtBot, shell: DesktopApp) -> None:
    window = sign_in(qtbot, shell)
    assert shell.controller is not None
    assert shell.session is not None
    assert shell.session.identity.username == USER
    assert shell.sign_in is None
    with qtbot.waitSignal(shell.controller.sync_finished, timeout=60_000) as finished:
        pass
    assert finished.args[0].pulled > 0
    assert window.status.connection.text() == "Online"
    assert shell.controller.status().last_sync_at is not None
    assert window.status.pending.text() == "0 change(s) waiting to sync"


def test_wrong_password_shows_the_message_beside_the_password(
    qtbot: QtBot, shell: DesktopApp
) -> None:
    window = shell.show_sign_in(username=USER)
    window.inputs["password"].setText("not-the-password")
    with qtbot.waitSignal(window.failed, timeout=30_000) as failed:
        window.sign_in_button.click()
    assert failed.args[0] == "password"
    assert "password is not right" in window.error_text("password")
    assert window.errors["password"].isVisible()
    assert window.error_text("username") == ""
    assert shell.window is None
    assert window.sign_in_button.isEnabled()


def test_empty_fields_are_named(qtbot: QtBot, shell: DesktopApp) -> None:
    window = shell.show_sign_in()
    with qtbot.waitSignal(window.failed, timeout=10_000) as failed:
        window.sign_in_button.click()
    assert failed.args[0] == "username"
    assert window.error_text("username") == "Enter your username."


def test_offline_start_within_the_grace_period_only(
    qtbot: QtBot, shell: DesktopApp, network: NetworkSwitch, clock: Clock, desktop: Desktop
) -> None:
    sign_in(qtbot, shell)
    assert shell.controller is not None
    with qtbot.waitSignal(shell.controller.sync_finished, timeout=60_000):
        pass
    shell.sign_out()
    assert shell.sign_in is not None
    network.online = False

    window = shell.sign_in
    window.inputs["password"].setText("not-the-password")
    with qtbot.waitSignal(window.failed, timeout=30_000) as failed:
        window.sign_in_button.click()
    assert failed.args[0] == "password"
    assert "does not match" in window.error_text("password")

    clock.shift = timedelta(days=15)
    window.inputs["password"].setText(PASSWORD)
    with qtbot.waitSignal(window.failed, timeout=30_000) as failed:
        window.sign_in_button.click()
    assert failed.args[0] == "server_url"
    assert "more than 14 days ago" in window.error_text("server_url")

    clock.shift = timedelta(days=13)
    window.inputs["password"].setText(PASSWORD)
    with qtbot.waitSignal(shell.main_window_shown, timeout=30_000) as shown:
        window.sign_in_button.click()
    main = shown.args[0]
    assert shell.controller is not None
    assert shell.controller.online is False
    assert main.status.connection.text() == "Offline: working from this laptop"
    assert "Started offline" in main.status.message.text()


def test_first_sign_in_needs_the_platform(
    qtbot: QtBot, shell: DesktopApp, network: NetworkSwitch
) -> None:
    network.online = False
    window = shell.show_sign_in(username=USER)
    window.inputs["password"].setText(PASSWORD)
    with qtbot.waitSignal(window.failed, timeout=30_000) as failed:
        window.sign_in_button.click()
    assert failed.args[0] == "server_url"
    assert "cannot be reached" in window.error_text("server_url")


def test_repeated_wrong_passwords_lock_the_account_with_a_username_message(
    qtbot: QtBot, shell: DesktopApp
) -> None:
    window = shell.show_sign_in(username=USER)
    fields = []
    for _attempt in range(6):
        window.inputs["password"].setText("not-the-password")
        with qtbot.waitSignal(window.failed, timeout=30_000) as failed:
            window.sign_in_button.click()
        fields.append(failed.args[0])
        if failed.args[0] == "username":
            break
    assert fields[0] == "password"
    assert fields[-1] == "username", fields
    message = window.error_text("username")
    assert "Wait" in message or "locked" in message
    assert window.error_text("password") == ""
