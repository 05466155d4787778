"""Composition root of the desktop app: settings, keyring, sign-in, then the main window."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app import __version__
from app.config import LANGUAGE, ConfigError, load_settings
from app.offline import forget_sign_in
from app.signon import Desktop, Opened
from app.store.keys import default_keyring
from app.support.logs import setup_logging
from app.support.redact import public
from app.ui.app import choose_language, create_application, install_translators
from app.ui.mainwindow import MainWindow
from app.ui.pages.standard import PageSpec, standard_pages
from app.ui.session import StoreEvents, UiSession
from app.ui.signin import SignInWindow
from app.ui.sync import PROBE_INTERVAL_MS, SyncController
from app.ui.workers import Workers

PASSWORD_ENV = "DOORSTEP_PASSWORD"  # noqa: S105 (a variable name, not a secret)


class DesktopApp(QObject):
    """Moves between the sign-in window and the main window for one process.

    Signals:
        usable(str): a window is shown and ready for input ("signin" or "main").
        main_window_shown(object): the MainWindow after a sign-in.

    Attributes:
        session: the signed-in ``UiSession`` (None while signed out).
        window: the MainWindow (None while signed out).
        sign_in: the sign-in window (None while signed in).
    """

    usable = Signal(str)
    main_window_shown = Signal(object)

    def __init__(
        self,
        desktop: Desktop,
        pages: Callable[[str], Sequence[PageSpec]] = standard_pages,
        *,
        sync_interval_ms: int | None = None,
        probe_interval_ms: int = PROBE_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.desktop = desktop
        self.pages = pages
        self.sync_interval_ms = sync_interval_ms
        self.probe_interval_ms = probe_interval_ms
        self.workers = Workers(self)
        self.session: UiSession | None = None
        self.opened: Opened | None = None
        self.controller: SyncController | None = None
        self.window: MainWindow | None = None
        self.sign_in: SignInWindow | None = None

    def show_sign_in(self, message: str = "", **prefill: str) -> SignInWindow:
        """Show the sign-in window (with a message saying why, after a sign-out or wipe)."""
        window = SignInWindow(self.desktop, self.workers)
        window.signed_in.connect(self._on_sign_in_signed_in)
        window.prefill(**prefill)
        if message:
            window.show_message(message)
        self.sign_in = window
        window.show()
        QTimer.singleShot(0, lambda: self.usable.emit("signin"))
        return window

    def _on_sign_in_signed_in(self, opened: object) -> None:
        assert isinstance(opened, Opened)
        self.opened = opened
        events = StoreEvents(self)
        session = UiSession(
            store=opened.store,
            local=opened.local,
            changes=opened.changes(self.desktop),
            identity=opened.identity,
            events=events,
        )
        self.session = session
        controller = SyncController(
            session,
            self.desktop,
            opened.key,
            online=opened.online,
            workers=self.workers,
            interval_ms=self.sync_interval_ms,
            probe_interval_ms=self.probe_interval_ms,
            parent=self,
        )
        self.controller = controller
        window = MainWindow(session, self.pages(session.identity.role), controller)
        controller.store_wiped.connect(self._on_controller_store_wiped)
        controller.sign_in_required.connect(
            lambda _message: window.status.set_notice(
                self.tr("Sign in again to sync: File, Sign out, then sign in. Work is kept.")
            )
        )
        window.sign_out_requested.connect(self.sign_out)
        self.window = window
        if not opened.online:
            window.status.say(
                self.tr("Started offline: the platform cannot be reached. Changes wait here."),
            )
        elif not opened.kept_in_keyring:
            window.status.set_notice(
                self.tr("Signed in for this session only: no secure keyring on this computer.")
            )
        window.show()
        if self.sign_in is not None:
            self.sign_in.close()
            self.sign_in.deleteLater()
            self.sign_in = None
        controller.start()
        self.main_window_shown.emit(window)
        QTimer.singleShot(0, lambda: self.usable.emit("main"))

    def _close_session(self) -> None:
        if self.controller is not None:
            self.controller.stop()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
        if self.session is not None:
            # Pages may query on the global pool; none may outlive the store it reads.
            QThreadPool.globalInstance().waitForDone()
            self.session.store.close()
        self.controller = None
        self.window = None
        self.session = None

    def sign_out(self) -> None:
        """Back to the sign-in window; the store and the sign-in stay for next time."""
        who = self.session.identity if self.session else None
        self._close_session()
        self.opened = None
        prefill = {"username": who.username} if who else {}
        self.show_sign_in(self.tr("You have signed out."), **prefill)

    def _on_controller_store_wiped(self, message: str) -> None:
        who = self.session.identity if self.session else None
        self._close_session()
        self.desktop.forget_store_key()
        if who is not None:
            self.desktop.vault().forget(who)
            forget_sign_in(
                self.desktop.secrets(),
                server_url=who.server_url,
                tenant=who.tenant,
                username=who.username,
            )
        self.opened = None
        self.show_sign_in(message)

    def shutdown(self) -> None:
        """Stop sync and close the store (the app is quitting)."""
        self._close_session()
        self.workers.wait()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="doorstep gui", description="Open the Doorstep desktop app."
    )
    parser.add_argument("--server", default="", help="platform address to fill in")
    parser.add_argument("--tenant", default="", help="council code to fill in")
    parser.add_argument("--user", default="", help="username to fill in")
    parser.add_argument(
        "--language", choices=("en", "cy"), help="interface language (default: setting, then OS)"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="show the first usable window, print the milliseconds it took, and exit 0",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app; with ``DOORSTEP_PASSWORD`` set it signs in straight away."""
    started = time.perf_counter()
    args = build_parser().parse_args(list(argv or []))
    if args.smoke_test and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        # Packaging and benchmarks run this on build machines without a display.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        settings = load_settings()
    except ConfigError as error:
        sys.stderr.write(f"doorstep: the configuration cannot be used: {error}\n")
        return 1
    # The GUI logs like the CLI: rotating and redacted, in the per-user log folder. An
    # unwritable folder must not stop the app; self-test reports it.
    with contextlib.suppress(OSError):
        setup_logging(settings.paths.log_dir, str(settings.get("log_level")))
    logging.getLogger(__name__).info("desktop app %s started", public(__version__))
    app = create_application([sys.argv[0]])
    translators = install_translators(app, choose_language(args.language or settings.get(LANGUAGE)))
    desktop = Desktop(settings=settings, keyring=default_keyring())
    shell = DesktopApp(desktop)
    password = os.environ.get(PASSWORD_ENV, "")

    def on_usable(which: str) -> None:
        if args.smoke_test and (which == "main" or not password):
            elapsed = (time.perf_counter() - started) * 1000
            print(f"usable: {which} window in {elapsed:.0f} ms", flush=True)
            app.quit()

    shell.usable.connect(on_usable)
    window = shell.show_sign_in(server_url=args.server, tenant=args.tenant, username=args.user)
    if password:
        # Unattended sign-in (make run, benchmarks); the password never appears in argv.
        window.inputs["password"].setText(password)
        window.submit()
        if args.smoke_test:
            window.failed.connect(lambda _field, message: _fail_smoke(app, message))
    code = app.exec()
    shell.shutdown()
    del translators
    return code


def _fail_smoke(app: QApplication, message: str) -> None:
    sys.stderr.write(f"doorstep: smoke test could not sign in: {message}\n")
    app.exit(1)
