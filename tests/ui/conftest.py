"""Desktop test fixtures: a real platform over HTTP with a network switch, and a Desktop."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from app.config import DEMO_MODE, SERVER_URL, TENANT, ConfigSources, Settings, load_settings
from app.signon import Desktop
from app.store.keys import SessionKeyring
from app.sync.transport import RetryPolicy
from app.ui.main import DesktopApp
from app.ui.mainwindow import MainWindow
from server.app import create_app
from tests.conftest import free_port
from tests.fakes import FakeVault
from tests.server import conftest as platform_fixtures

pg_platform_template = platform_fixtures.pg_platform_template
seeded_pg_template = platform_fixtures.seeded_pg_template
seeded_pg = platform_fixtures.seeded_pg

PASSWORD = "doorstep-demo-1"
# The offscreen platform cannot pass size hints to a window manager it does not have; that
# is no fault of the app's (it says nothing on a real display).
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


USER = "housing.officer"


class Clock:
    """Wall-clock time plus a shift a test can move forward (the offline grace period)."""

    def __init__(self) -> None:
        self.shift = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.shift


class NetworkSwitch(httpx.BaseTransport):
    """Real HTTP to the platform, with the cable pulled on demand (a refused connection)."""

    def __init__(self) -> None:
        self.online = True
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.online:
            raise httpx.ConnectError("network unreachable (test switch)", request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        pass  # shared by every client a test makes; closed by the fixture


class Platform:
    """The platform app served by uvicorn on a free port, in a thread of this process."""

    def __init__(self, engine: sa.Engine) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(platform_fixtures.settings_for(engine), engine=engine)
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            loop="asyncio",
            http="h11",
            ws="none",
            lifespan="on",
            access_log=False,
            log_config=None,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="platform", daemon=True)

    def start(self, qtbot: QtBot) -> None:
        self.thread.start()
        qtbot.waitUntil(lambda: self.server.started, timeout=20_000)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@pytest.fixture
def platform(seeded_pg: sa.Engine, qtbot: QtBot) -> Iterator[Platform]:
    served = Platform(seeded_pg)
    served.start(qtbot)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture
def network() -> Iterator[NetworkSwitch]:
    switch = NetworkSwitch()
    yield switch
    switch.inner.close()


def make_settings(home: Path, server_url: str = "") -> Settings:
    settings = load_settings(ConfigSources(None, None), {"DOORSTEP_HOME": str(home)})
    settings.set_user(DEMO_MODE, True)  # the demo council uses 999 test NHS numbers
    settings.set_user(TENANT, "demo")
    if server_url:
        settings.set_user(SERVER_URL, server_url)
    return settings


def make_desktop(
    home: Path,
    network: NetworkSwitch,
    server_url: str = "",
    *,
    clock: Clock | None = None,
    secure: bool = True,
    env: dict[str, str] | None = None,
) -> Desktop:
    def http_client(url: str, _settings: Settings) -> httpx.Client:
        return httpx.Client(base_url=url, transport=network, timeout=30.0)

    return Desktop(
        settings=make_settings(home, server_url),
        env={"DOORSTEP_HOME": str(home), **(env or {})},
        keyring=FakeVault() if secure else None,
        session_keyring=SessionKeyring(),
        http_client=http_client,
        clock=clock or Clock(),
        sleep=lambda _seconds: None,
        retry=RetryPolicy(attempts=2, base=0.0, cap=0.0),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def desktop(tmp_path: Path, network: NetworkSwitch, platform: Platform, clock: Clock) -> Desktop:
    return make_desktop(tmp_path / "laptop", network, platform.url, clock=clock)


@pytest.fixture
def shell(desktop: Desktop, qtbot: QtBot) -> Iterator[DesktopApp]:
    app = DesktopApp(desktop, probe_interval_ms=3_600_000, sync_interval_ms=3_600_000)
    yield app
    if app.sign_in is not None:
        app.sign_in.close()
    app.shutdown()


SignIn = Callable[..., MainWindow]


def sign_in(qtbot: QtBot, shell: DesktopApp, password: str = PASSWORD) -> MainWindow:
    """Type the password into the sign-in window, submit, and wait for the main window."""
    window = shell.show_sign_in(username=USER)
    window.inputs["password"].setText(password)
    with qtbot.waitSignal(shell.main_window_shown, timeout=30_000) as shown:
        window.sign_in_button.click()
    main = shown.args[0]
    assert isinstance(main, MainWindow)
    return main


def first_open_case(shell: DesktopApp) -> uuid.UUID:
    """A case of the signed-in officer (pulled by the first sync)."""
    assert shell.session is not None
    with shell.session.store.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT id FROM case_record WHERE officer_id = ? AND status != 'closed' "
            "ORDER BY reference LIMIT 1",
            (shell.session.identity.user_id.hex,),
        ).scalar_one()
    return uuid.UUID(hex=found)
