"""Shared pytest fixtures: offscreen Qt and a fresh PostgreSQL database per test session."""

from __future__ import annotations

import os
import pwd
import secrets
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg.rows import TupleRow
from sqlalchemy.engine import URL, make_url

# =============================================================================
# Qt
# =============================================================================

# QApplication reads this when pytest-qt's `qapp` fixture constructs it, so setting it at
# conftest import time is early enough; setdefault lets a developer opt into a real display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# =============================================================================
# PostgreSQL
# =============================================================================
#
# Fixtures:
#   pg_admin_url (session)  -> str, superuser URL of the server the session uses
#   pg_url       (session)  -> str, ``postgresql+psycopg://`` URL of a fresh, empty database
#                              created for this session and dropped at its end
#   pg_engine    (function) -> sqlalchemy Engine on ``pg_url``, disposed after the test
#
# Server discovery, in order:
#   1. ``DOORSTEP_TEST_PG``: admin URL, ``postgresql://`` or ``postgresql+psycopg://``;
#      if set it must answer (a typo should not silently fall through to another server).
#   2. 127.0.0.1:5432 as ``postgres`` with trust auth (how dev machines and CI are set up).
#   3. A throwaway cluster from /usr/lib/postgresql/*/bin on a free port, removed afterwards.
# If none works the tests fail under ``CI=true`` (a silently skipped database suite would look
# green) and are skipped elsewhere.

PG_ENV_VAR = "DOORSTEP_TEST_PG"
PG_LOCAL_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_CONNECT_TIMEOUT_S = 5
PG_START_TIMEOUT_S = 60


class PgUnavailableError(RuntimeError):
    """No PostgreSQL server could be found or started."""


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pg_unavailable(reason: str) -> NoReturn:
    """Fail under CI, skip elsewhere: the policy for a missing PostgreSQL server."""
    if _in_ci():
        pytest.fail(f"PostgreSQL unavailable under CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {reason}")


def _sa_url(url: str | URL) -> URL:
    """Parse an admin URL and pin the psycopg (v3) driver whatever dialect name it came with."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {parsed.render_as_string()}")
    return parsed.set(drivername="postgresql+psycopg")


def pg_connect(url: str | URL) -> psycopg.Connection[TupleRow]:
    """Open an autocommit psycopg connection (CREATE/DROP DATABASE refuse to run in a txn)."""
    parsed = _sa_url(url)
    params: dict[str, str | int] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    # URL.query carries libpq extras such as sslmode or a socket directory in `host`.
    for key, extra in parsed.query.items():
        params[key] = extra if isinstance(extra, str) else extra[-1]
    for key, part in (
        ("host", parsed.host),
        ("port", parsed.port),
        ("user", parsed.username),
        ("password", parsed.password),
        ("dbname", parsed.database),
    ):
        if part is not None:
            params[key] = str(part)
    return psycopg.connect(make_conninfo("", **params), autocommit=True)


def _answers(url: str | URL) -> str | None:
    """Return None if `url` accepts a connection, else the error text."""
    try:
        with pg_connect(url) as conn:
            conn.execute("select 1")
    except psycopg.Error as exc:
        return str(exc).strip() or type(exc).__name__
    return None


def find_pg_bindir() -> Path:
    """Locate initdb/pg_ctl: Debian keeps them off PATH under /usr/lib/postgresql/<major>/bin."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else -1,
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise PgUnavailableError("no initdb/pg_ctl found (is the postgresql package installed?)")


def free_port() -> int:
    """Ask the kernel for an unused loopback port (racy, but pg_ctl reports a clash clearly)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class ThrowawayCluster:
    """A private PostgreSQL cluster in `workdir`, listening on 127.0.0.1:`port` with trust auth."""

    workdir: Path
    port: int
    bindir: Path
    run_as: str | None  # OS user owning the cluster; None means the current user

    @property
    def datadir(self) -> Path:
        return self.workdir / "data"

    @property
    def logfile(self) -> Path:
        return self.workdir / "server.log"

    @property
    def admin_url(self) -> URL:
        return URL.create(
            "postgresql+psycopg",
            username="postgres",
            host="127.0.0.1",
            port=self.port,
            database="postgres",
        )

    def run(self, *argv: str, timeout: float = PG_START_TIMEOUT_S + 30) -> None:
        """Run a PostgreSQL tool as the cluster owner, raising with its output on failure."""
        cmd = list(argv)
        if self.run_as is not None:
            # initdb and postgres refuse to run as root, so drop to the owning user.
            if shutil.which("runuser"):
                cmd = ["runuser", "-u", self.run_as, "--", *cmd]
            else:
                cmd = ["su", "-s", "/bin/sh", self.run_as, "-c", shlex.join(cmd)]
        try:
            proc = subprocess.run(
                cmd,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PgUnavailableError(f"{shlex.join(argv)} timed out after {timeout}s") from exc
        if proc.returncode != 0:
            log = self.logfile.read_text(errors="replace") if self.logfile.exists() else ""
            raise PgUnavailableError(
                f"{shlex.join(argv)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}{log}"
            )

    def stop(self) -> None:
        """Stop the server (immediate: the data is disposable) and delete `workdir` entirely."""
        try:
            if (self.datadir / "postmaster.pid").exists():
                pg_ctl = str(self.bindir / "pg_ctl")
                self.run(pg_ctl, "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)


def start_throwaway_cluster(workdir: Path, port: int | None = None) -> ThrowawayCluster:
    """Initialise and start a trust-auth cluster in `workdir` (created if needed).

    As root the cluster belongs to the ``postgres`` OS user, so `workdir` must be reachable by
    that user (somewhere under /tmp, not under pytest's root-only ``tmp_path``).
    Raises PgUnavailableError with the tools' output when anything goes wrong.
    """
    bindir = find_pg_bindir()
    run_as: str | None = None
    workdir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PgUnavailableError("running as root and there is no 'postgres' OS user") from None
        run_as = owner.pw_name
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
    cluster = ThrowawayCluster(workdir, port or free_port(), bindir, run_as)
    try:
        cluster.run(
            *(str(bindir / "initdb"), "-D", str(cluster.datadir), "-U", "postgres"),
            *("-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"),
        )
        # Durability is pointless for a throwaway cluster and costs seconds on every commit.
        server_opts = (
            f"-p {cluster.port} -k {shlex.quote(str(workdir))} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        cluster.run(
            *(str(bindir / "pg_ctl"), "-D", str(cluster.datadir), "-l", str(cluster.logfile)),
            *("-o", server_opts, "-w", "-t", str(PG_START_TIMEOUT_S), "start"),
        )
        error = _answers(cluster.admin_url)
        if error is not None:
            raise PgUnavailableError(f"throwaway cluster started but does not answer: {error}")
    except BaseException:
        cluster.stop()
        raise
    return cluster


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """Superuser URL of the PostgreSQL server this session uses (see discovery order above)."""
    explicit = os.environ.get(PG_ENV_VAR)
    if explicit:
        error = _answers(explicit)
        if error is not None:
            # The developer named this server on purpose: falling back would hide the mistake.
            pytest.fail(f"{PG_ENV_VAR} does not answer: {error}", pytrace=False)
        yield _sa_url(explicit).render_as_string(hide_password=False)
        return

    local_error = _answers(PG_LOCAL_ADMIN_URL)
    if local_error is None:
        yield PG_LOCAL_ADMIN_URL
        return

    # Not tmp_path_factory: pytest's base temp dir is private to root, so the postgres OS user
    # could not reach a cluster inside it.
    workdir = Path(tempfile.mkdtemp(prefix="doorstep-pg-"))
    try:
        cluster = start_throwaway_cluster(workdir)
    except PgUnavailableError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        pg_unavailable(f"127.0.0.1:5432 said: {local_error}; throwaway cluster: {exc}")
    try:
        yield cluster.admin_url.render_as_string(hide_password=False)
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """URL of a fresh, empty database created for this session and dropped at its end."""
    name = f"doorstep_test_{os.getpid()}_{secrets.token_hex(4)}"
    with pg_connect(pg_admin_url) as conn:
        # template0 guarantees emptiness even if someone added objects to template1.
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )
    try:
        yield _sa_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with pg_connect(pg_admin_url) as conn:
            # FORCE (PostgreSQL 13+) ends connections a test leaked, so the drop cannot hang.
            force = sql.SQL(" WITH (FORCE)") if conn.info.server_version >= 130000 else sql.SQL("")
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}{}").format(sql.Identifier(name), force)
            )


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[sa.Engine]:
    """A SQLAlchemy engine on the session database, disposed after the test."""
    engine = sa.create_engine(pg_url)
    try:
        yield engine
    finally:
        engine.dispose()
