"""The encrypted local case store: SQLCipher file, migrations on open, bulk load and search."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.models import entities
from app.models.base import Syncable
from app.store import search
from app.store.keys import StoreKey
from app.store.rows import insert_plan, to_parameters
from app.store.search import fts_query

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
# Page cache: 32 MB day to day; a bulk load (demo import, initial sync) inserts random UUID
# keys all over its indexes and re-indexes search, and with 256 MB for its duration it runs
# about 1.7x faster at 100,000 persons. The cache shrinks back when the load ends.
CACHE_KIB = 32_000
BULK_CACHE_KIB = 262_144
BULK_BEGIN = [f"PRAGMA cache_size=-{BULK_CACHE_KIB}", *search.BULK_BEGIN]
BULK_END = [*search.BULK_END, f"PRAGMA cache_size=-{CACHE_KIB}"]


class StoreError(Exception):
    """The store cannot be used; ``message`` is written for the person at the keyboard."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnreadable(StoreError):
    """Wrong key or a damaged file. The file is left exactly as it was."""


class StoreCorrupt(StoreError):
    """The file opened but SQLite's integrity check found damage."""


@dataclass(frozen=True)
class StoreCheck:
    """What ``doorstep store check`` reports."""

    path: Path
    revision: str
    integrity: str
    counts: dict[str, int]

    @property
    def ok(self) -> bool:
        """Whether the integrity check came back clean."""
        return self.integrity == "ok"


@dataclass(frozen=True)
class PersonHit:
    """A person found by search, with enough to recognise them in a list."""

    id: uuid.UUID
    name: str
    date_of_birth: date | None
    nhs_number: str | None
    postcode: str | None
    address: str | None


@dataclass(frozen=True)
class CaseHit:
    """A case found by search."""

    id: uuid.UUID
    reference: str
    case_type: str
    status: str
    subject: str


def _alembic_config(connection: Connection | None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest schema revision this build of Doorstep ships (read once per process)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))
    head = script.get_current_head()
    assert head is not None
    return head


_REVISION = re.compile(
    r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:["']([^"']*)["']|None)\s*$""", re.M
)


@cache
def shipped_head() -> str | None:
    """The head revision read from the version files without importing Alembic, or None when
    they are not one plain chain (then Alembic decides). Importing Alembic costs a third of the
    desktop's start-up, and almost every open finds the store already up to date."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for version_file in (MIGRATIONS / "versions").glob("*.py"):
        found = {
            match[1]: match[2] for match in _REVISION.finditer(version_file.read_text("utf-8"))
        }
        if not found.get("revision"):
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(connection: Connection) -> str | None:
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).first()
    if exists is None:
        return None
    rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return str(rows[0][0]) if len(rows) == 1 else None


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the store's schema to ``revision`` in one transaction; data is carried forward."""
    with engine.begin() as connection:
        shipped = shipped_head() if revision == "head" else None
        if shipped is not None and _stored_revision(connection) == shipped:
            return
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        current = MigrationContext.configure(connection).get_current_revision()
        if revision == "head" and current == head_revision():
            return
        command.upgrade(_alembic_config(connection), revision)


def _set_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # SQLCipher writes its own errors to stderr; our messages say it better, once.
        cursor.execute("PRAGMA cipher_log_level = NONE")
        # The first read after PRAGMA key is what proves the key; it fails on a wrong one.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    finally:
        cursor.close()


def _prove(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one()


@cache
def _sqlcipher_kdf() -> tuple[str, int] | None:
    """This SQLCipher's default key derivation as (hashlib name, iterations), if PBKDF2."""
    import sqlcipher3

    connection = sqlcipher3.connect(":memory:")
    try:
        algorithm = connection.execute("PRAGMA cipher_default_kdf_algorithm").fetchone()[0]
        iterations = int(connection.execute("PRAGMA cipher_default_kdf_iter").fetchone()[0])
    finally:
        connection.close()
    names = {"PBKDF2_HMAC_SHA512": "sha512", "PBKDF2_HMAC_SHA256": "sha256"}
    name = names.get(str(algorithm))
    return (name, iterations) if name else None


def derive_raw_key(path: Path, key: StoreKey) -> StoreKey | None:
    """The raw key SQLCipher derives from a passphrase for this file, derived once here.

    SQLCipher runs its key derivation (256,000 rounds of PBKDF2) on every new connection to a
    passphrase-keyed file, 0.2 s or more each; a raw key skips it. The salt is the file's
    first 16 bytes. None for a key that is raw already or when the derivation is not known.
    """
    if key.source != "passphrase":
        return None  # before probing SQLCipher: a keyring-held key is raw already
    kdf = _sqlcipher_kdf()
    if kdf is None:
        return None
    try:
        with path.open("rb") as handle:
            salt = handle.read(16)
    except OSError:
        return None
    if len(salt) != 16:
        return None
    raw = hashlib.pbkdf2_hmac(kdf[0], key.secret.encode("utf-8"), salt, kdf[1], 32)
    return StoreKey(raw.hex(), "derived")


def make_engine(path: Path, key: StoreKey) -> Engine:
    """An engine on the encrypted file; the key is passed as a URL part, never formatted."""
    url = URL.create("sqlite+pysqlcipher", password=key.sqlcipher_passphrase, database=str(path))
    # A queue of connections shared by threads, as pysqlite uses for files, rather than the
    # pysqlcipher default of one connection per thread: every new connection to a store keyed
    # by passphrase pays SQLCipher's key derivation (0.3 s or more), and the desktop's GUI
    # thread and query workers would each pay it. SQLite serialises writers; busy_timeout waits.
    engine = create_engine(url, poolclass=QueuePool, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _set_pragmas)
    return engine


class Store:
    """The laptop's one local case store; the UI's only data source."""

    def __init__(self, engine: Engine, path: Path, key: StoreKey | None = None) -> None:
        self.engine = engine
        self.path = path
        # The key connections are made with (for a second engine on the same file).
        self.key = key
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, path: Path, key: StoreKey) -> Store:
        """Open (or create) the store at ``path``, proving the key and applying migrations."""
        path.parent.mkdir(parents=True, exist_ok=True)
        existed = path.exists() and path.stat().st_size > 0
        if existed and path.read_bytes()[:16] == SQLITE_HEADER:
            raise StoreUnreadable(
                f"{path} is an unencrypted SQLite file, not a Doorstep store. It has not been "
                "changed. Move it aside or set DOORSTEP_HOME to another folder."
            )
        derived = derive_raw_key(path, key) if existed else None
        engine = make_engine(path, derived or key)
        try:
            try:
                _prove(engine)
            except DatabaseError:
                if derived is None:
                    raise
                # Should the derivation not match this SQLCipher's, the passphrase still works.
                engine.dispose()
                derived = None
                engine = make_engine(path, key)
                _prove(engine)
        except DatabaseError as error:
            engine.dispose()
            raise StoreUnreadable(
                f"The local store at {path} cannot be read: the key does not match it or the "
                "file is damaged. It has not been changed or deleted. If you set a passphrase, "
                "check it; otherwise ask IT to check the keyring."
            ) from error
        try:
            migrate(engine)
        except DatabaseError as error:
            engine.dispose()
            raise StoreCorrupt(
                f"The local store at {path} could not be brought up to date ({error.orig}). "
                "It has not been deleted; run 'doorstep store check' and contact IT."
            ) from error
        return cls(engine, path, derived or key)

    def close(self) -> None:
        """Release every connection to the file."""
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back whole on any error."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def write_transaction(self) -> Iterator[Connection]:
        """A Core connection in a transaction that holds SQLite's write lock from its start.

        ``BEGIN IMMEDIATE`` rather than the driver's lazy ``BEGIN``: a unit that reads and then
        writes (every sync step and every local change) would otherwise fail at once with
        ``SQLITE_BUSY`` when another connection wrote in between, instead of waiting for the
        lock. It also makes per-transaction pragmas such as ``defer_foreign_keys`` stick.
        """
        with self.engine.begin() as connection:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield connection

    def revision(self) -> str | None:
        """The schema revision the file is at."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def check(self) -> StoreCheck:
        """Run SQLite's integrity check and count the records of every entity."""
        with self.engine.connect() as connection:
            integrity = "; ".join(
                row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")
            )
            counts = {
                model.__tablename__: connection.execute(
                    text(f"SELECT count(*) FROM {model.__tablename__} WHERE deleted = 0")  # noqa: S608
                ).scalar_one()
                for model in entities.SYNCED_ENTITIES
                if hasattr(model, "__tablename__")
            }
        return StoreCheck(self.path, self.revision() or "none", integrity, counts)

    def bulk_load(self, batches: Iterable[tuple[type[Syncable], list[dict[str, Any]]]]) -> int:
        """Insert batches of complete rows in one transaction; all or nothing.

        Rows are converted by ``rows.to_parameters`` (SQLAlchemy's own storage format, checked
        by a round-trip test) and search is re-indexed set-based in the same transaction,
        which together make a large load several times faster than row-by-row ORM inserts.
        """
        total = 0
        with self.engine.begin() as connection:
            for statement in BULK_BEGIN:
                connection.exec_driver_sql(statement)
            for model, rows in batches:
                if not rows:
                    continue
                table = model.__table__  # type: ignore[attr-defined]
                connection.exec_driver_sql(insert_plan(table).sql, to_parameters(table, rows))
                touched = search.touched_ids(table.name, rows)
                if touched:
                    connection.exec_driver_sql(search.TOUCH, touched)
                total += len(rows)
            for statement in BULK_END:
                connection.exec_driver_sql(statement)
        return total

    def search_persons(self, query: str, limit: int = 25) -> list[PersonHit]:
        """Persons whose name, NHS number, postcode, address or UPRN start with each word.

        Up to ``limit`` matches in index order, shown by name. There is no relevance ranking:
        a short prefix can match thousands of residents, ranking them all costs more than a
        keystroke allows, and the officer narrows the list by typing more.
        """
        match = fts_query(query)
        if match is None:
            return []
        sql = text(
            """
            SELECT p.id, p.given_name || ' ' || p.family_name, p.date_of_birth, p.nhs_number,
                   f.postcode, f.address
              FROM (SELECT rowid, postcode, address FROM person_fts
                     WHERE person_fts MATCH :match LIMIT :limit) f
              JOIN person p ON p.rowid = f.rowid
             ORDER BY p.family_name, p.given_name
            """
        )
        with self.engine.connect() as connection:
            rows = connection.execute(sql, {"match": match, "limit": limit}).all()
        return [
            PersonHit(
                id=uuid.UUID(hex=row[0]),
                name=row[1],
                date_of_birth=date.fromisoformat(row[2]) if row[2] else None,
                nhs_number=row[3],
                postcode=row[4] or None,
                address=row[5].strip() or None,
            )
            for row in rows
        ]

    def search_cases(self, query: str, limit: int = 25) -> list[CaseHit]:
        """Cases whose reference, type or subject's name start with each word."""
        match = fts_query(query)
        if match is None:
            return []
        sql = text(
            """
            SELECT c.id, c.reference, c.case_type, c.status, f.subject
              FROM (SELECT rowid, subject FROM case_fts
                     WHERE case_fts MATCH :match LIMIT :limit) f
              JOIN case_record c ON c.rowid = f.rowid
             ORDER BY c.reference
            """
        )
        with self.engine.connect() as connection:
            rows = connection.execute(sql, {"match": match, "limit": limit}).all()
        return [CaseHit(uuid.UUID(hex=r[0]), r[1], r[2], r[3], r[4]) for r in rows]
