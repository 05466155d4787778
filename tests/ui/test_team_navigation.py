"""A team lead's main window adds the team's caseload, allocation and approvals."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.demo_laptop import make_demo_laptop
from app.store.db import Store
from app.store.keys import StoreKey
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.ui.mainwindow import MainWindow
from app.ui.pages.standard import standard_pages
from app.ui.session import StoreEvents, UiSession
from app.ui.sync import SyncController
from app.ui.team.allocation import AllocationPage
from app.ui.team.approvals import ApprovalsPage
from app.ui.team.caseload import TeamCaseloadPage
from app.ui.workers import Workers
from tests.ui.conftest import NetworkSwitch, make_desktop


def now() -> datetime:
    return datetime.now(UTC)


def test_only_team_leads_get_team_pages() -> None:
    officer = [spec.key for spec in standard_pages("field_officer") if spec.in_navigation]
    lead = [spec.key for spec in standard_pages("team_lead") if spec.in_navigation]
    assert officer == ["caseload", "visits", "search", "referrals", "conflicts"]
    assert lead == [*officer, "team", "allocation", "approvals"]
    assert [s.shortcut for s in standard_pages("team_lead") if s.key in lead[5:]] == [
        "Ctrl+6",
        "Ctrl+7",
        "Ctrl+8",
    ]


@pytest.fixture
def lead_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    key = StoreKey(secrets.token_hex(32), "keyring")
    path = tmp_path / "doorstep.db"
    identity = make_demo_laptop(
        path,
        key,
        persons=400,
        seed=1,
        server_url="https://p.example",
        username="team.lead",
        with_conflicts=False,
    )
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
    session = UiSession(store, LocalSync(store, clock=now), changes, identity, StoreEvents())
    network = NetworkSwitch()
    network.online = False
    desktop = make_desktop(tmp_path / "laptop", network, "https://p.example")
    controller = SyncController(
        session, desktop, key, online=False, workers=Workers(), probe_interval_ms=3_600_000
    )
    window = MainWindow(session, standard_pages(identity.role), controller)
    qtbot.addWidget(window)
    yield window
    controller.stop()
    QThreadPool.globalInstance().waitForDone()
    store.close()


def test_team_lead_navigates_to_the_team_pages(lead_window: MainWindow) -> None:
    for key, page_class in (
        ("team", TeamCaseloadPage),
        ("allocation", AllocationPage),
        ("approvals", ApprovalsPage),
    ):
        lead_window.nav_actions[key].trigger()
        assert lead_window.current_key() == key
        assert isinstance(lead_window.stack.currentWidget(), page_class)
