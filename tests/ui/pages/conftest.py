"""A real encrypted store with the demo council, and a signed-in UiSession for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QAbstractItemModel, QThreadPool
from sqlalchemy import text

from app.store.db import Store
from app.store.keys import StoreKey
from app.ui.session import StoreEvents, UiSession
from tests.demo_store import Signed, demo_user, load_demo, sign_in

PASSPHRASE = StoreKey("correct horse battery staple", "passphrase")

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The council loaded once per session; each test works on its own copy."""
    path = tmp_path_factory.mktemp("demo") / "store.db"
    load_demo(path).close()
    return path


@pytest.fixture
def store(demo_file: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "store.db"
    shutil.copyfile(demo_file, path)
    opened = Store.open(path, PASSPHRASE)
    yield opened
    # No query may outlive its test: a pool thread left running would touch a closed store.
    QThreadPool.globalInstance().waitForDone()
    opened.close()


@pytest.fixture
def signed(store: Store) -> Signed:
    """The social worker: the demo officer with visits today and referrals in the inbox."""
    return sign_in(store, demo_user("social.worker"))


@pytest.fixture
def session(signed: Signed) -> UiSession:
    return UiSession(signed.store, signed.local, signed.changes, signed.identity, StoreEvents())


def check_model(tester: ModelTester, model: QAbstractItemModel) -> None:
    """Qt's model tester over ``model`` (pytest-qt's helper is untyped)."""
    tester.check(model)  # type: ignore[no-untyped-call]


def scalar(session: UiSession, sql: str, **params: object) -> object:
    """The single value ``sql`` reads from the session's store."""
    with session.store.engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def rows(session: UiSession, sql: str, **params: object) -> list[tuple[object, ...]]:
    """Every row ``sql`` reads from the session's store."""
    with session.store.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def pending(session: UiSession) -> int:
    """How many changes wait in the outbox."""
    return session.local.status().pending
