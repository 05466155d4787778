"""The main window over injected pages: navigation, shortcuts, record pages, Back, Welsh."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.store.db import Store
from app.store.keys import StoreKey
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.ui.app import choose_language, install_translators, remove_translators
from app.ui.mainwindow import MainWindow
from app.ui.pages.conflicts import ConflictsPage
from app.ui.pages.standard import PageSpec, standard_pages
from app.ui.session import StoreEvents, UiSession
from app.ui.signin import SignInWindow
from app.ui.sync import SyncController
from app.ui.workers import Workers
from tests.sync.conftest import CASE, IDENTITY, PERSON, FakeClock, empty_store, store, template
from tests.ui.conftest import NetworkSwitch, make_desktop

__all__ = ["empty_store", "store", "template"]


class RecordPage(QLabel):
    """Stands in for the resident and case screens another branch builds."""

    def __init__(self, session: UiSession) -> None:
        super().__init__()
        self.session = session
        self.shown: list[uuid.UUID] = []

    def show_person(self, record: uuid.UUID) -> None:
        self.shown.append(record)
        self.setText(f"person {record}")

    def show_case(self, record: uuid.UUID) -> None:
        self.shown.append(record)
        self.setText(f"case {record}")


def fake_pages() -> list[PageSpec]:
    def label(text: str) -> PageSpec:
        return PageSpec(text, text.title(), None, lambda _s: QLabel(text), True)

    return [
        PageSpec("caseload", "My caseload", "Ctrl+1", lambda _s: QLabel("caseload"), True),
        PageSpec("visits", "Today's visits", "Ctrl+2", lambda _s: QLabel("visits"), True),
        PageSpec("conflicts", "Conflicts", "Ctrl+5", ConflictsPage, True),
        PageSpec("resident", "Resident", None, RecordPage, False),
        PageSpec("case", "Case", None, RecordPage, False),
    ]


@pytest.fixture
def session(store: Store, qtbot: QtBot) -> UiSession:
    clock = FakeClock()
    local = LocalSync(store, clock=clock)
    local.set_identity(IDENTITY)
    changes = LocalChanges(
        store,
        clock=clock,
        user_id=IDENTITY.user_id,
        device_id=IDENTITY.device_id,
        tenant_id=IDENTITY.tenant_id,
        allow_test_numbers=False,
    )
    return UiSession(store, local, changes, IDENTITY, StoreEvents())


@pytest.fixture
def window(
    session: UiSession, qtbot: QtBot, tmp_path: Path, template: tuple[Path, StoreKey]
) -> Iterator[MainWindow]:
    network = NetworkSwitch()
    network.online = False
    desktop = make_desktop(tmp_path / "laptop", network, "http://127.0.0.1:9")
    controller = SyncController(
        session, desktop, template[1], online=False, workers=Workers(), probe_interval_ms=3_600_000
    )
    main = MainWindow(session, fake_pages(), controller)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    controller.start()
    yield main
    controller.stop()


def test_navigation_by_shortcut_and_back(qtbot: QtBot, window: MainWindow) -> None:
    assert window.current_key() == "caseload"
    assert list(window.nav_actions) == ["caseload", "visits", "conflicts"]
    assert window.nav_actions["visits"].shortcut().toString() == "Ctrl+2"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "visits"
    QTest.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "conflicts"
    assert isinstance(window.stack.currentWidget(), ConflictsPage)
    QTest.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current_key() == "visits"
    window.go_back()
    assert window.current_key() == "caseload"
    assert not window.back_action.isEnabled()


def test_open_person_and_case_events_show_record_pages(
    window: MainWindow, session: UiSession
) -> None:
    session.events.open_person.emit(PERSON)
    resident = window.widgets["resident"]
    assert isinstance(resident, RecordPage)
    assert window.current_key() == "resident"
    assert window.nav_group.checkedAction() is None
    session.events.open_case.emit(CASE)
    case_page = window.widgets["case"]
    assert isinstance(case_page, RecordPage)
    assert case_page.shown == [CASE]
    window.back_action.trigger()
    assert window.current_key() == "resident"
    assert resident.shown == [PERSON, PERSON]  # Back shows the same resident again
    window.back_action.trigger()
    assert window.current_key() == "caseload"


def test_offline_status_bar_says_so_in_words(window: MainWindow) -> None:
    status = window.status
    assert status.connection.text() == "Offline: working from this laptop"
    assert status.pending.text() == "0 change(s) waiting to sync"
    assert status.last_synced.text() == "Never synced"
    assert status.conflicts.text() == "No conflicts"
    assert not status.conflicts.icon().isNull()  # meaning by text and icon, not colour
    for widget in (status.sync_button, status.conflicts, status.progress):
        assert widget.accessibleName()


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    window.show_page("conflicts")
    page = window.widgets["conflicts"]
    controls: list[QWidget] = [
        *page.findChildren(QAbstractButton),
        *page.findChildren(QLineEdit),
        *page.findChildren(QAbstractItemView),
    ]
    controls = [c for c in controls if c.parent() is not None and c.isVisibleTo(page)]
    assert controls
    unnamed = [type(c).__name__ for c in controls if not c.accessibleName()]
    assert unnamed == []


def test_standard_pages_include_conflicts() -> None:
    pages = {spec.key: spec for spec in standard_pages()}
    assert pages["conflicts"].shortcut == "Ctrl+5"
    assert pages["conflicts"].in_navigation


def test_language_follows_the_setting_then_the_locale() -> None:
    assert choose_language("", QLocale("cy_GB")) == "cy"
    assert choose_language("", QLocale("fr_FR")) == "en"
    assert choose_language("en", QLocale("cy_GB")) == "en"
    assert choose_language("cy", QLocale("en_GB")) == "cy"


def test_english_says_one_change_and_two_changes() -> None:
    app = QCoreApplication.instance()
    assert app is not None
    translators = install_translators(app, "en")
    try:
        assert translators, "doorstep_en.qm did not load"
        text = "%n change(s) waiting to sync"
        assert QCoreApplication.translate("SyncStatusBar", text, "", 1) == (
            "1 change waiting to sync"
        )
        assert QCoreApplication.translate("SyncStatusBar", text, "", 2) == (
            "2 changes waiting to sync"
        )
    finally:
        remove_translators(app, translators)


def test_welsh_translation_loads(
    qtbot: QtBot, window: MainWindow, session: UiSession, tmp_path: Path
) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    assert choose_language("cy") == "cy"
    translators = install_translators(app, "cy")
    try:
        assert translators, "doorstep_cy.qm did not load"
        titles = {spec.key: spec.title for spec in standard_pages()}
        assert titles["conflicts"] == "Gwrthdaro"
        assert QCoreApplication.translate("Navigation", "My caseload") == "Fy llwyth achosion"
        assert QCoreApplication.translate("Navigation", "Today's visits") == "Ymweliadau heddiw"
        assert QCoreApplication.translate("Navigation", "Search") == "Chwilio"
        assert (
            QCoreApplication.translate("Navigation", "Referrals inbox") == "Mewnflwch atgyfeiriadau"
        )
        network = NetworkSwitch()
        desktop = make_desktop(tmp_path / "welsh", network, "http://127.0.0.1:9")
        sign_in = SignInWindow(desktop, Workers())
        qtbot.addWidget(sign_in)
        assert sign_in.windowTitle() == "Mewngofnodi i Doorstep"
        assert sign_in.sign_in_button.text() == "&Mewngofnodi"
        controller = SyncController(
            session, desktop, StoreKey("x" * 64, "keyring"), online=True, workers=Workers()
        )
        welsh = MainWindow(session, standard_pages(), controller)
        qtbot.addWidget(welsh)
        assert welsh.nav_actions["conflicts"].text() == "Gwrthdaro"
        assert welsh.status.sync_button.text() == "Cysoni nawr"
        assert welsh.status.connection.text() == "Ar-lein"
        controller.stop()
    finally:
        remove_translators(app, translators)
    assert QCoreApplication.translate("Navigation", "My caseload") == "My caseload"


def test_team_screens_are_offered_to_team_leads_only() -> None:
    team_keys = {"team", "allocation", "approvals"}
    assert team_keys.isdisjoint(spec.key for spec in standard_pages("field_officer"))
    lead = {spec.key: spec for spec in standard_pages("team_lead")}
    assert team_keys <= set(lead)
    assert lead["team"].shortcut == "Ctrl+6"
    assert lead["team"].in_navigation
