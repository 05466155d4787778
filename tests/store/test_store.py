"""The encrypted store: keys, wrong keys, damage, migrations with data, and search in step."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app.models.entities import Case, Household, HouseholdMember, Person, Property
from app.store.db import (
    Store,
    StoreUnreadable,
    head_revision,
    make_engine,
    migrate,
)
from app.store.keys import (
    PASSPHRASE_ENV,
    SessionKeyring,
    StoreKey,
    StoreKeyError,
    obtain_store_key,
)
from app.store.search import fts_query
from tests.fakes import FakeVault

TENANT = uuid.UUID(int=1)
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def raw_key() -> StoreKey:
    return StoreKey(secrets.token_hex(32), "keyring")


def resident_rows() -> list[tuple[Any, list[dict[str, Any]]]]:
    """One resident at one property with one case: enough to see search follow each table."""
    team = uuid.UUID(int=10)
    prop = uuid.UUID(int=20)
    person = uuid.UUID(int=30)
    household = uuid.UUID(int=40)
    common = {"tenant_id": TENANT, "updated_at": NOW}
    from app.models.entities import Team

    return [
        (Team, [{"id": team, "name": "Tenancy East", "service": "tenancy_management", **common}]),
        (
            Property,
            [
                {
                    "id": prop,
                    "uprn": 100023336956,
                    "address_line1": "12 Ffordd Glan",
                    "address_line2": None,
                    "town": "Cardiff",
                    "postcode": "CF10 1AA",
                    "tenure": "council_tenancy",
                    **common,
                }
            ],
        ),
        (
            Person,
            [
                {
                    "id": person,
                    "given_name": "Siân",
                    "family_name": "Pritchard",
                    "date_of_birth": date(1961, 3, 4),
                    "nhs_number": "9434765919",
                    "preferred_language": "cy",
                    **common,
                }
            ],
        ),
        (Household, [{"id": household, "property_id": prop, **common}]),
        (
            HouseholdMember,
            [
                {
                    "id": uuid.UUID(int=50),
                    "household_id": household,
                    "person_id": person,
                    "role": "lead_tenant",
                    **common,
                }
            ],
        ),
        (
            Case,
            [
                {
                    "id": uuid.UUID(int=60),
                    "reference": "TM-000042",
                    "service": "tenancy_management",
                    "case_type": "tenancy",
                    "status": "open",
                    "priority": "normal",
                    "owning_team_id": team,
                    "subject_person_id": person,
                    "referral_date": date(2026, 10, 1),
                    "opened_at": NOW,
                    "status_changed_at": NOW,
                    **common,
                }
            ],
        ),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Any:
    opened = Store.open(tmp_path / "doorstep.db", raw_key())
    yield opened
    opened.close()


# --- keys -------------------------------------------------------------------------------------


def test_new_store_gets_random_key_kept_in_keyring() -> None:
    vault = FakeVault()
    key = obtain_store_key("a", store_exists=False, backend=vault, env={})
    assert key.source == "keyring"
    assert len(key.secret) == 64
    assert vault.get_password("Doorstep", "store:a") == key.secret
    # Asking again gives the same key, not a new one.
    assert obtain_store_key("a", store_exists=True, backend=vault, env={}) == key
    assert key.secret not in repr(key)


def test_existing_store_is_never_rekeyed_when_keyring_lost_its_key() -> None:
    with pytest.raises(StoreKeyError, match="passphrase"):
        obtain_store_key("a", store_exists=True, backend=FakeVault(), env={})


def test_no_secure_keyring_needs_a_passphrase() -> None:
    with pytest.raises(StoreKeyError, match="No secure keyring"):
        obtain_store_key("a", store_exists=False, backend=SessionKeyring(), env={})
    key = obtain_store_key(
        "a", store_exists=False, backend=None, env={PASSPHRASE_ENV: "correct horse battery"}
    )
    assert key == StoreKey("correct horse battery", "passphrase")
    prompted = obtain_store_key(
        "a", store_exists=False, backend=None, env={}, prompt=lambda _msg: "typed at prompt!"
    )
    assert prompted.secret == "typed at prompt!"
    with pytest.raises(StoreKeyError, match="at least 10"):
        obtain_store_key("a", store_exists=False, backend=None, env={PASSPHRASE_ENV: "short"})


# --- opening ----------------------------------------------------------------------------------


def test_store_is_encrypted_at_rest(tmp_path: Path) -> None:
    path = tmp_path / "doorstep.db"
    store = Store.open(path, raw_key())
    store.bulk_load(resident_rows())
    store.close()
    data = path.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert b"Pritchard" not in data
    assert b"CF10" not in data


def test_passphrase_store_reopens_with_the_same_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "doorstep.db"
    Store.open(path, StoreKey("a long passphrase", "passphrase")).close()
    Store.open(path, StoreKey("a long passphrase", "passphrase")).close()
    with pytest.raises(StoreUnreadable):
        Store.open(path, StoreKey("another passphrase", "passphrase"))


def test_wrong_key_is_refused_and_file_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "doorstep.db"
    store = Store.open(path, raw_key())
    store.bulk_load(resident_rows())
    store.close()
    before = path.read_bytes()
    with pytest.raises(StoreUnreadable, match="has not been changed or deleted"):
        Store.open(path, raw_key())
    assert path.read_bytes() == before


def test_damaged_file_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "doorstep.db"
    path.write_bytes(secrets.token_bytes(8192))
    before = path.read_bytes()
    with pytest.raises(StoreUnreadable):
        Store.open(path, raw_key())
    assert path.read_bytes() == before


def test_plain_sqlite_file_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "doorstep.db"
    with sqlite3.connect(path) as connection:
        connection.execute("create table t (x)")
    with pytest.raises(StoreUnreadable, match="unencrypted"):
        Store.open(path, raw_key())


def test_pragmas(store: Store) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_bulk_load_is_all_or_nothing(store: Store) -> None:
    rows = resident_rows()
    # A household pointing at a property that does not exist breaks a foreign key mid-load.
    rows.append(
        (
            Household,
            [
                {
                    "id": uuid.uuid4(),
                    "property_id": uuid.uuid4(),
                    "tenant_id": TENANT,
                    "updated_at": NOW,
                }
            ],
        )
    )
    with pytest.raises(Exception, match="FOREIGN KEY"):
        store.bulk_load(rows)
    assert store.check().counts["person"] == 0


def test_check_reports_revision_and_counts(store: Store) -> None:
    store.bulk_load(resident_rows())
    result = store.check()
    assert result.ok
    assert result.revision == head_revision()
    assert result.counts["person"] == 1
    assert result.counts["case_record"] == 1


# --- migrations -------------------------------------------------------------------------------


def test_upgrade_from_previous_revision_keeps_data_and_indexes_it(tmp_path: Path) -> None:
    path = tmp_path / "doorstep.db"
    key = raw_key()
    engine = make_engine(path, key)
    migrate(engine, "0001")
    with engine.begin() as connection:
        for model, rows in resident_rows():
            connection.execute(model.__table__.insert(), rows)
    engine.dispose()

    store = Store.open(path, key)
    try:
        assert store.revision() == head_revision() != "0001"
        with store.session() as session:
            person = session.scalars(select(Person)).one()
            assert (person.given_name, person.nhs_number) == ("Siân", "9434765919")
            assert person.updated_at == NOW
        assert [h.name for h in store.search_persons("prit")] == ["Siân Pritchard"]
        assert [c.reference for c in store.search_cases("TM-000042")] == ["TM-000042"]
    finally:
        store.close()


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "Sian",
        "siân prit",
        "PRITCHARD",
        "9434765919",
        "943476",
        "CF10 1",
        "cf10 1aa",
        "1000233",
        "ffordd",
        "cardiff",
    ],
)
def test_person_search_by_prefix_of_every_field(store: Store, query: str) -> None:
    store.bulk_load(resident_rows())
    hits = store.search_persons(query)
    assert [h.name for h in hits] == ["Siân Pritchard"]
    assert hits[0].postcode == "CF10 1AA"


@pytest.mark.parametrize("query", ["Smith", "CF11", "9434765918", "tm-000043"])
def test_person_search_misses(store: Store, query: str) -> None:
    store.bulk_load(resident_rows())
    assert store.search_persons(query) == []


def test_search_ignores_fts_syntax_in_input(store: Store) -> None:
    store.bulk_load(resident_rows())
    assert fts_query('  "" * OR ') is not None
    assert store.search_persons('prit" OR *') == []
    assert store.search_persons("") == []
    assert store.search_persons("   ") == []


def test_search_follows_every_write(store: Store) -> None:
    store.bulk_load(resident_rows())
    with store.session() as session:
        session.execute(update(Person).values(family_name="Morgan"))
    assert store.search_persons("pritchard") == []
    assert [h.name for h in store.search_persons("morgan")] == ["Siân Morgan"]
    assert [c.subject for c in store.search_cases("morgan")] == ["Siân Morgan"]

    with store.session() as session:
        session.execute(update(Property).values(postcode="CF24 3AA", address_line1="1 New Rd"))
    assert store.search_persons("CF10") == []
    assert [h.address for h in store.search_persons("CF24")] == ["1 New Rd, Cardiff"]

    with store.session() as session:
        session.execute(update(Case).values(reference="TM-000099"))
    assert store.search_cases("TM-000042") == []
    assert len(store.search_cases("tm-000099")) == 1
    assert len(store.search_cases("000099")) == 1

    with store.session() as session:
        session.execute(update(Person).values(deleted=True))
    assert store.search_persons("morgan") == []


def test_new_passphrase_is_asked_twice_and_must_match() -> None:
    answers = iter(["first passphrase", "second passphrase"])
    with pytest.raises(StoreKeyError, match="differ"):
        obtain_store_key(
            "a", store_exists=False, backend=None, env={}, prompt=lambda _m: next(answers)
        )


def test_bulk_load_gives_back_its_larger_cache(store: Store) -> None:
    from app.store.db import CACHE_KIB

    store.bulk_load(resident_rows())
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == -CACHE_KIB
