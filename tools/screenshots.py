"""`make screenshots`: render the desktop's main screens offscreen to docs/screenshots/*.png."""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.config import SERVER_URL, TENANT, ConfigSources, load_settings
from app.demo_laptop import make_demo_laptop
from app.signon import STORE_FILE, Desktop
from app.store.db import Store
from app.store.keys import StoreKey
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.state import Identity
from app.ui.app import create_application, install_translators, remove_translators
from app.ui.mainwindow import MainWindow
from app.ui.pages.standard import standard_pages
from app.ui.session import StoreEvents, UiSession
from app.ui.signin import SignInWindow
from app.ui.sync import SyncController
from app.ui.workers import Workers

PLATFORM = "https://doorstep.council.example"
SIZE = (1280, 800)


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, path: Path, app: QApplication) -> None:
    settle(app)
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")


def type_search(page: QWidget, text: str, app: QApplication) -> None:
    """Type into the page's search box and run its search at once (no debounce wait)."""
    box = page.findChild(QLineEdit)
    search_now = getattr(page, "search_now", None)
    if box is None or search_now is None:
        return
    box.setText(text)
    search_now()
    app.processEvents()


def first_case(store: Store, officer: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The officer's first open case and its resident."""
    with store.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT id, subject_person_id FROM case_record WHERE officer_id = ? "
            "AND status != 'closed' ORDER BY reference LIMIT 1",
            (officer.hex,),
        ).one()
    return uuid.UUID(hex=row[0]), uuid.UUID(hex=row[1])


def open_session(path: Path, key: StoreKey, identity: Identity) -> UiSession:
    """A signed-in session over the demo laptop's store."""
    store = Store.open(path, key)

    def now() -> datetime:
        return datetime.now(UTC)

    return UiSession(
        store=store,
        local=LocalSync(store, clock=now),
        changes=LocalChanges(
            store,
            clock=now,
            user_id=identity.user_id,
            device_id=identity.device_id,
            tenant_id=identity.tenant_id,
            allow_test_numbers=True,
            role=identity.role,
        ),
        identity=identity,
        events=StoreEvents(),
    )


def team_lead_pages(
    desktop: Desktop, home: Path, persons: int, out: Path, app: QApplication
) -> None:
    """The team lead's own pages, from a laptop signed in as the demo team lead."""
    key = StoreKey(secrets.token_hex(32), "keyring")
    path = home / "team-lead.db"
    identity = make_demo_laptop(
        path,
        key,
        persons=persons,
        seed=1,
        server_url=PLATFORM,
        username="team.lead",
        with_conflicts=False,
    )
    session = open_session(path, key, identity)
    workers = Workers()
    controller = SyncController(session, desktop, key, online=True, workers=workers)
    window = MainWindow(session, standard_pages(identity.role), controller)
    window.resize(*SIZE)
    window.show()
    controller.refresh_status()
    for page in ("team", "allocation", "approvals"):
        if page in window.nav_actions:
            window.show_page(page)
            QThreadPool.globalInstance().waitForDone()  # the dashboard loads on the pool
            save(window, out / f"main-{page}.png", app)
    controller.stop()
    window.close()
    QThreadPool.globalInstance().waitForDone()
    session.store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--persons", type=int, default=2000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = create_application(["doorstep"])
    home = Path(tempfile.mkdtemp(prefix="doorstep-shots-"))
    env = {"DOORSTEP_HOME": str(home)}
    settings = load_settings(ConfigSources(None, None), env)
    settings.set_user(SERVER_URL, PLATFORM)
    settings.set_user(TENANT, "demo")
    desktop = Desktop(settings=settings, env=env, keyring=None)
    key = StoreKey(secrets.token_hex(32), "keyring")
    path = home / STORE_FILE
    identity = make_demo_laptop(path, key, persons=args.persons, seed=1, server_url=PLATFORM)

    for language in ("en", "cy"):
        translators = install_translators(app, language)
        suffix = "" if language == "en" else f"-{language}"
        workers = Workers()
        sign_in = SignInWindow(desktop, workers)
        sign_in.prefill(username="housing.officer")
        sign_in.resize(600, 520)
        sign_in.show()
        save(sign_in, args.out / f"sign-in{suffix}.png", app)
        sign_in.close()

        session = open_session(path, key, identity)
        store = session.store
        # Online, timers not started: a still picture of a synced laptop, no network needed.
        controller = SyncController(session, desktop, key, online=True, workers=workers)
        window = MainWindow(session, standard_pages(identity.role), controller)
        window.resize(*SIZE)
        window.show()
        controller.refresh_status()
        keys = list(window.nav_actions) if language == "en" else list(window.nav_actions)[:1]
        for page in keys:
            window.show_page(page)
            if page == "search":
                type_search(window.widgets[page], "ingram", app)
            save(window, args.out / f"main-{page}{suffix}.png", app)
        if language == "en":
            case_id, person_id = first_case(store, identity.user_id)
            for record_page, signal, record in (
                ("resident", session.events.open_person, person_id),
                ("case", session.events.open_case, case_id),
            ):
                if record_page in window.specs:
                    signal.emit(record)
                    save(window, args.out / f"main-{record_page}.png", app)
        controller.stop()
        window.close()
        store.close()
        remove_translators(app, translators)
    translators = install_translators(app, "en")
    team_lead_pages(desktop, home, args.persons, args.out, app)
    remove_translators(app, translators)
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
