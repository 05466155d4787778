"""Migration 0003: a store from 0002 gains the sync tables and keeps every record."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy import inspect

from app.models.registry import BY_NAME
from app.store.db import Store, head_revision, make_engine, migrate
from app.store.keys import StoreKey
from app.sync.local import LocalSync
from app.sync.outbox import LocalChanges
from app.sync.tables import LOCAL_TABLES
from tests.sync.conftest import DEVICE, PERSON, TENANT, USER, FakeClock, rows_of, world


def test_upgrade_from_0002_keeps_data_and_search(tmp_path: Path) -> None:
    path = tmp_path / "doorstep.db"
    key = StoreKey(secrets.token_hex(32), "keyring")
    engine = make_engine(path, key)
    migrate(engine, "0002")
    rows = world()
    with engine.begin() as connection:
        for entity, found in rows.items():
            table = BY_NAME[entity].model.__table__  # type: ignore[attr-defined]
            # Only the columns the table had at 0002: later revisions add some.
            present = {c["name"] for c in inspect(connection).get_columns(table.name)}
            old_rows = [{k: v for k, v in row.items() if k in present} for row in found.values()]
            connection.execute(table.insert(), old_rows)
    engine.dispose()

    store = Store.open(path, key)
    try:
        assert store.revision() == head_revision() == "0004"
        counts = store.check().counts
        for entity, found in rows.items():
            table = BY_NAME[entity].model.__tablename__  # type: ignore[attr-defined]
            assert counts[table] == len(found), table
        assert rows_of(store, "SELECT given_name, nhs_number, version FROM person") == [
            ("Siân", "9434765919", 1)
        ]
        assert [h.name for h in store.search_persons("prit")] == ["Siân Pritchard"]
        assert [c.reference for c in store.search_cases("TM-000042")] == ["TM-000042"]
        for table in LOCAL_TABLES:
            assert rows_of(store, f"SELECT count(*) FROM {table.name}") == [(0,)]
        # The upgraded store takes changes and syncs at once.
        sync = LocalSync(store, clock=FakeClock())
        client = sync.state().client_id
        assert sync.state().client_id == client
        changes = LocalChanges(
            store,
            clock=FakeClock(),
            user_id=USER,
            device_id=DEVICE,
            tenant_id=TENANT,
            allow_test_numbers=False,
        )
        changes.update("person", PERSON, {"phone": "07700 900001"})
    finally:
        store.close()

    reopened = Store.open(path, key)
    try:
        [pending] = LocalSync(reopened, clock=FakeClock()).pending_mutations()
        assert pending.fields == {"phone": "07700 900001"}
        assert LocalSync(reopened, clock=FakeClock()).state().client_id == client
    finally:
        reopened.close()


def test_migration_and_table_definitions_agree(empty_store: Store) -> None:
    found = inspect(empty_store.engine)
    for table in LOCAL_TABLES:
        columns = {c["name"]: c for c in found.get_columns(table.name)}
        assert list(columns) == [c.name for c in table.columns], table.name
        for column in table.columns:
            reflected = columns[column.name]
            assert bool(reflected["nullable"]) == bool(column.nullable), (table.name, column.name)
            assert type(reflected["type"]).__name__ in (
                type(column.type).__name__.upper(),
                column.type.compile(empty_store.engine.dialect).split("(")[0],
            ), (table.name, column.name, reflected["type"])
        primary = found.get_pk_constraint(table.name)["constrained_columns"]
        assert primary == [c.name for c in table.primary_key.columns], table.name
        indexes = {tuple(i["column_names"]) for i in found.get_indexes(table.name)}
        for index in table.indexes:
            assert tuple(c.name for c in index.columns) in indexes, (table.name, index.name)


def test_client_ids_differ_between_stores_copied_before_first_use(
    tmp_path: Path, template: tuple[Path, StoreKey]
) -> None:
    import shutil

    clients = []
    for name in ("a.db", "b.db"):
        shutil.copyfile(template[0], tmp_path / name)
        store = Store.open(tmp_path / name, template[1])
        try:
            clients.append(LocalSync(store, clock=FakeClock()).state().client_id)
        finally:
            store.close()
    assert clients[0] != clients[1]


OUTBOX_SINCE = "0003"
"""The first store revision with an outbox: every later migration must carry it whole."""


def test_an_upgrade_keeps_every_pending_mutation(
    tmp_path: Path, store: Store, changes: LocalChanges, sync: LocalSync
) -> None:
    """A laptop updated with changes still waiting: the new version opens its store (running
    every migration from the first one with an outbox to head) and sends the same mutations,
    byte for byte, in the same order, with the same ids."""
    from tests.sync.conftest import CASE, TASK

    # Pending changes of every kind, made by this version on a current store...
    changes.update("person", PERSON, {"phone": "07700 900123"})
    changes.add_note(CASE, "phone", "Rang about the repairs.")
    changes.create("task", {"case_id": CASE, "kind": "task", "title": "Chase the landlord"})
    changes.delete("task", TASK)
    changes.transition(CASE, "investigating")
    expected = sync.pending_mutations()
    assert {m.op for m in expected} == {"update", "create", "delete", "transition"}
    with store.engine.connect() as connection:
        raw = [dict(row) for row in connection.exec_driver_sql("SELECT * FROM outbox").mappings()]
        sequence = connection.exec_driver_sql(
            "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'"
        ).scalar_one()

    # ... copied, as they are stored, into a store left at the oldest revision with an outbox.
    path = tmp_path / "old" / "doorstep.db"
    path.parent.mkdir()
    key = StoreKey(secrets.token_hex(32), "keyring")
    engine = make_engine(path, key)
    migrate(engine, OUTBOX_SINCE)
    with engine.begin() as connection:
        existing = inspect(connection)
        for entity, found in world().items():
            table = BY_NAME[entity].model.__table__  # type: ignore[attr-defined]
            # Only the columns the old revision has: later ones arrive with the upgrade.
            have = {c["name"] for c in existing.get_columns(table.name)}
            rows = [{k: v for k, v in row.items() if k in have} for row in found.values()]
            connection.execute(table.insert(), rows)
        columns = ", ".join(raw[0])
        marks = ", ".join("?" for _ in raw[0])
        connection.exec_driver_sql(
            f"INSERT INTO outbox ({columns}) VALUES ({marks})",
            [tuple(row.values()) for row in raw],
        )
        connection.exec_driver_sql(
            "UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'", (sequence,)
        )
    engine.dispose()

    upgraded = Store.open(path, key)
    try:
        assert upgraded.revision() == head_revision()
        local = LocalSync(upgraded, clock=FakeClock())
        assert local.pending_mutations() == expected
        assert local.status().pending == len(expected)
        # New changes continue the numbering: the platform skips ids it has seen.
        LocalChanges(
            upgraded,
            clock=FakeClock(),
            user_id=USER,
            device_id=DEVICE,
            tenant_id=TENANT,
            allow_test_numbers=False,
        ).add_note(CASE, "phone", "After the upgrade.")
        assert local.pending_mutations()[-1].mutation_id == sequence + 1
    finally:
        upgraded.close()
