"""A conflict made by a second laptop, resolved on the conflicts page, and synced."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from app.store.db import Store
from app.store.keys import SessionKeyring, StoreKey
from app.sync.engine import SyncEngine
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.session import TokenVault
from app.sync.session import sign_in as platform_sign_in
from app.sync.transport import Transport
from app.ui.main import DesktopApp
from app.ui.pages.conflicts import ConflictsPage
from tests.server.world import wait_for_feed
from tests.ui.conftest import PASSWORD, USER, Platform, first_open_case, sign_in

pytestmark = pytest.mark.postgres


def now() -> datetime:
    return datetime.now(UTC)


class OtherLaptop:
    """A second client of the same officer, with its own store, over real HTTP."""

    def __init__(self, path: Path, platform: Platform) -> None:
        self.store = Store.open(path, StoreKey(secrets.token_hex(32), "keyring"))
        self.local = LocalSync(self.store, clock=now)
        self.client = httpx.Client(base_url=platform.url)
        self.transport = Transport(self.client, sleep=lambda _s: None)
        done = platform_sign_in(
            self.local,
            self.transport,
            TokenVault(None, SessionKeyring()),
            server_url=platform.url,
            tenant="demo",
            username=USER,
            password=PASSWORD,
            device_name="second laptop",
        )
        self.changes = LocalChanges(
            self.store,
            clock=now,
            user_id=done.identity.user_id,
            device_id=done.identity.device_id,
            tenant_id=done.identity.tenant_id,
            allow_test_numbers=True,
            role=done.identity.role,
        )
        self.engine = SyncEngine(self.local, self.transport, clock=now)

    def summary(self, case: uuid.UUID) -> str:
        with self.store.engine.connect() as connection:
            found: str = connection.exec_driver_sql(
                "SELECT summary FROM case_record WHERE id = ?", (case.hex,)
            ).scalar_one()
        return found

    def close(self) -> None:
        self.client.close()
        self.store.close()


def test_conflict_from_a_second_laptop_is_resolved_and_synced(
    qtbot: QtBot,
    qtmodeltester: object,
    shell: DesktopApp,
    platform: Platform,
    tmp_path: Path,
    seeded_pg: sa.Engine,
) -> None:
    window = sign_in(qtbot, shell)
    controller, session = shell.controller, shell.session
    assert controller is not None
    assert session is not None
    with qtbot.waitSignal(controller.sync_finished, timeout=60_000):
        pass
    other = OtherLaptop(tmp_path / "other.db", platform)
    try:
        other.engine.run_cycle()
        case = first_open_case(shell)
        session.changes.update("case", case, {"summary": "Mine: repayment plan agreed"})
        other.changes.update("case", case, {"summary": "Theirs: arrears cleared in full"})
        assert other.engine.run_cycle().pushed == 1

        with qtbot.waitSignal(controller.sync_finished, timeout=60_000) as finished:
            controller.sync_now()
        assert finished.args[0].conflicts == 1
        assert window.status.conflicts.text() == "1 conflict(s) to resolve"

        window.status.conflicts.click()
        page = window.widgets["conflicts"]
        assert isinstance(page, ConflictsPage)
        assert window.current_key() == "conflicts"
        qtmodeltester.check(page.conflicts)  # type: ignore[attr-defined]
        qtmodeltester.check(page.rejected)  # type: ignore[attr-defined]
        assert page.conflicts.rowCount() == 1
        row = page.conflicts.rows[0]
        assert (row.field, row.mine, row.theirs) == (
            "Summary",
            "Mine: repayment plan agreed",
            "Theirs: arrears cleared in full",
        )
        assert row.record.startswith("Case ")

        page.new_value.setText("x" * 250)
        page.use_value.click()
        assert "at most 200 characters" in page.value_error.text()
        assert page.conflicts.rowCount() == 1

        page.keep_mine.click()
        assert page.conflicts.rowCount() == 0
        assert window.status.conflicts.text() == "No conflicts"
        assert window.status.pending.text() == "1 change(s) waiting to sync"

        with qtbot.waitSignal(controller.sync_finished, timeout=60_000) as finished:
            window.sync_action.trigger()
        assert finished.args[0].pushed == 1
        assert finished.args[0].conflicts == 0
        assert window.status.pending.text() == "0 change(s) waiting to sync"
        wait_for_feed(seeded_pg)  # the platform's feed serves a change once it is settled
        other.engine.run_cycle()
        assert other.summary(case) == "Mine: repayment plan agreed"
    finally:
        other.close()
