"""Opening an up-to-date store skips Alembic; the version files' head is Alembic's head."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from app.store.db import (
    Store,
    StoreUnreadable,
    head_revision,
    make_engine,
    migrate,
    shipped_head,
)
from app.store.keys import StoreKey

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_head_is_alembics_head() -> None:
    assert shipped_head() == head_revision()


def test_an_up_to_date_store_opens_without_alembic(tmp_path: Path) -> None:
    key = StoreKey(secrets.token_hex(32), "keyring")
    path = tmp_path / "doorstep.db"
    Store.open(path, key).close()  # made and migrated here, with Alembic
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from app.store.db import Store\n"
        "from app.store.keys import StoreKey\n"
        "store = Store.open(Path(sys.argv[1]), StoreKey(sys.argv[2], 'keyring'))\n"
        "print('alembic' in sys.modules)\n"
        "store.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), key.secret],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]


def test_an_old_store_is_still_migrated(tmp_path: Path) -> None:
    key = StoreKey(secrets.token_hex(32), "keyring")
    path = tmp_path / "doorstep.db"
    engine = make_engine(path, key)
    migrate(engine, "0002")  # a store made by an older Doorstep
    engine.dispose()
    reopened = Store.open(path, key)
    try:
        assert reopened.revision() == head_revision()
    finally:
        reopened.close()


def test_a_passphrase_store_is_reopened_with_the_key_derived_once(tmp_path: Path) -> None:
    passphrase = StoreKey("correct horse battery staple", "passphrase")
    path = tmp_path / "doorstep.db"
    made = Store.open(path, passphrase)
    assert made.key == passphrase  # a new file: SQLCipher makes the salt from the passphrase
    made.close()

    reopened = Store.open(path, passphrase)
    try:
        assert reopened.key is not None
        assert reopened.key.source == "derived"
        assert reopened.key != passphrase
        with reopened.engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE written_with_the_raw_key (x)")
    finally:
        reopened.close()

    # What the derived key wrote, the passphrase itself reads (the same key underneath).
    plain = make_engine(path, passphrase)
    try:
        with plain.connect() as connection:
            found = connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'written_with_the_raw_key'"
            ).scalar_one()
        assert found == 1
    finally:
        plain.dispose()


def test_a_wrong_passphrase_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "doorstep.db"
    Store.open(path, StoreKey("correct horse battery staple", "passphrase")).close()
    before = path.read_bytes()
    with pytest.raises(StoreUnreadable, match="key does not match"):
        Store.open(path, StoreKey("wrong horse battery staple", "passphrase"))
    assert path.read_bytes() == before
