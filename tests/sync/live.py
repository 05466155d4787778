"""The real platform served over TCP by uvicorn in a thread, on a clone of the seeded council."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
import uvicorn

from server.app import create_app
from server.db import make_engine
from tests.server.conftest import create_database, database_url, drop_database, settings_for
from tests.server.world import wait_for_feed


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(engine: sa.Engine) -> Iterator[str]:
    """``create_app`` over ``engine`` on a free loopback port; yields its base URL."""
    app = create_app(settings_for(engine), engine=engine)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the platform did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def seeded_clone(admin_url: str, template: str) -> Iterator[sa.Engine]:
    """An engine on a fresh clone of the seeded template database, dropped afterwards."""
    name = f"doorstep_sync_{secrets.token_hex(6)}"
    create_database(admin_url, name, template)
    engine = make_engine(database_url(admin_url, name))
    try:
        wait_for_feed(engine)
        yield engine
    finally:
        engine.dispose()
        drop_database(admin_url, name)
