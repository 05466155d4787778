"""The conflicts page over a demo laptop's store: models, keep theirs, dismiss a refusal."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.config import SERVER_URL, ConfigSources, load_settings
from app.demo_laptop import make_demo_laptop
from app.store.db import Store
from app.store.keys import StoreKey
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.ui.pages.conflicts import ConflictsPage
from app.ui.session import StoreEvents, UiSession
from app.ui.signin import SignInWindow
from app.ui.workers import Workers
from tests.ui.conftest import NetworkSwitch, make_desktop


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[UiSession]:
    key = StoreKey(secrets.token_hex(32), "keyring")
    path = tmp_path / "doorstep.db"
    identity = make_demo_laptop(path, key, persons=400, seed=1, server_url="https://p.example")
    store = Store.open(path, key)
    changes = LocalChanges(
        store,
        clock=now,
        user_id=identity.user_id,
        device_id=identity.device_id,
        tenant_id=identity.tenant_id,
        allow_test_numbers=True,
        role=identity.role,
    )
    yield UiSession(store, LocalSync(store, clock=now), changes, identity, StoreEvents())
    store.close()


def test_keep_theirs_and_dismiss(qtbot: QtBot, qtmodeltester: object, session: UiSession) -> None:
    page = ConflictsPage(session)
    qtbot.addWidget(page)
    qtmodeltester.check(page.conflicts)  # type: ignore[attr-defined]
    qtmodeltester.check(page.rejected)  # type: ignore[attr-defined]
    assert page.conflicts.rowCount() == 1
    assert page.rejected.rowCount() == 1
    refusal = page.rejected.rows[0]
    assert refusal.errors == "Priority: Only a team lead may raise a case to high priority."
    assert refusal.change == "update (Priority)"
    assert page.summary.text() == "1 conflict(s) to resolve · 1 refused change(s)"

    with qtbot.waitSignal(session.events.changed):
        page.keep_theirs.click()
    assert page.conflicts.rowCount() == 0
    assert session.local.status().pending == 0  # keeping theirs changes nothing to send
    assert not page.keep_mine.isEnabled()

    page.rejected_view.selectRow(0)
    assert page.open_record.isEnabled()
    with qtbot.waitSignal(session.events.open_case) as opened:
        page.open_record.click()
    assert opened.args[0] == refusal.item.record_id
    with qtbot.waitSignal(session.events.changed):
        page.dismiss.click()
    assert page.rejected.rowCount() == 0
    assert session.local.rejected() == []


def test_policy_locked_platform_address(qtbot: QtBot, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('server_url = "https://doorstep.council.example"\n', encoding="utf-8")
    desktop = make_desktop(tmp_path / "laptop", NetworkSwitch())
    desktop.settings = load_settings(
        ConfigSources(None, policy), {"DOORSTEP_HOME": str(tmp_path / "laptop")}
    )
    window = SignInWindow(desktop, Workers())
    qtbot.addWidget(window)
    address = window.inputs["server_url"]
    assert address.text() == "https://doorstep.council.example"
    assert address.isReadOnly()
    assert window.locked["server_url"].text() == "🔒 Set by your organisation"
    assert "server_url" not in window.locked or desktop.settings.is_locked(SERVER_URL)
    window.prefill(server_url="https://elsewhere.example", username="housing.officer")
    assert address.text() == "https://doorstep.council.example"
    assert window.inputs["username"].text() == "housing.officer"
