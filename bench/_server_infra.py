"""What bench/server.py runs around the load: scratch databases, pgbench, the server, CPU use."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg.rows import TupleRow
from sqlalchemy.engine import URL, make_url

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- PostgreSQL ------------------------------------------------------------------------------


def pg_url(url: str) -> URL:
    """A PostgreSQL URL with the psycopg (v3) driver, whichever dialect name it came with."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {parsed.render_as_string()}")
    return parsed.set(drivername="postgresql+psycopg")


def connect(url: URL, *, autocommit: bool = True) -> psycopg.Connection[TupleRow]:
    """A plain psycopg connection to ``url``."""
    params: dict[str, str] = {"connect_timeout": "10"}
    for key, part in (
        ("host", url.host),
        ("port", url.port),
        ("user", url.username),
        ("password", url.password),
        ("dbname", url.database),
    ):
        if part is not None:
            params[key] = str(part)
    return psycopg.connect(make_conninfo("", **params), autocommit=autocommit)


def create_database(admin: URL, name: str) -> URL:
    """Create an empty database ``name`` beside ``admin``'s; its URL."""
    with connect(admin) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    return admin.set(database=name)


def drop_database(admin: URL, name: str) -> None:
    """Drop database ``name``, ending whatever connections are still open on it."""
    with connect(admin) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@dataclass(frozen=True)
class PgbenchResult:
    """pgbench's figures for its built-in simple-update script (``-N``)."""

    tps: float
    latency_ms: float
    clients: int
    threads: int
    seconds: int
    scale: int


def run_pgbench(url: URL, clients: int, threads: int, seconds: int, scale: int) -> PgbenchResult:
    """Initialise ``url``'s database for pgbench, then run simple-update against it."""
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        raise RuntimeError("pgbench is not on PATH (Debian: apt-get install postgresql-client)")
    target = [
        *("-h", str(url.host or "127.0.0.1")),
        *("-p", str(url.port or 5432)),
        *("-U", str(url.username or "postgres")),
    ]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    database = str(url.database)
    init = [pgbench, "-i", "-q", "-s", str(scale), *target, database]
    subprocess.run(init, check=True, capture_output=True, text=True, env=env)
    run = [pgbench, "-N", "-c", str(clients), "-j", str(threads), "-T", str(seconds)]
    done = subprocess.run(
        [*run, *target, database], check=True, capture_output=True, text=True, env=env
    )
    tps = re.search(r"^tps = ([0-9.]+)", done.stdout, re.MULTILINE)
    latency = re.search(r"^latency average = ([0-9.]+) ms", done.stdout, re.MULTILINE)
    if tps is None or latency is None:
        raise RuntimeError(f"cannot read pgbench's output:\n{done.stdout}{done.stderr}")
    return PgbenchResult(
        float(tps.group(1)), float(latency.group(1)), clients, threads, seconds, scale
    )


# --- The platform ----------------------------------------------------------------------------


def free_port() -> int:
    """An unused loopback port (racy, but the server reports a clash at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``doorstep-server serve`` as a child process, its output kept in a log file."""

    def __init__(
        self, env: Mapping[str, str], workers: int, log_path: Path, root: Path = ROOT
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = [sys.executable, "-m", "server.cli", "serve", "--workers", str(workers)]
        command += ["--port", str(self.port)]
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                # The working directory comes first on sys.path: another checkout's server
                # package runs instead of this one (to measure a change side by side).
                cwd=root,
                env={**os.environ, **env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.workers: list[int] = []

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        """Poll /ready until it answers 200 (bounded); then note the worker processes."""
        deadline = time.monotonic() + timeout_s
        with httpx.Client(base_url=self.base_url, timeout=5.0) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited early:\n{self.log_tail()}")
                try:
                    if client.get("/ready").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            else:
                raise RuntimeError(f"the server was not ready in {timeout_s:.0f} s")
        self.workers = [pid for pid in children(self.process.pid) if "spawn_main" in cmdline(pid)]

    def stop(self) -> None:
        """Stop gracefully (uvicorn ends its workers), killing only our own pids if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid in self.workers:
            if cmdline(pid):
                os.kill(pid, signal.SIGKILL)

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's output."""
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def log_count(self, needle: str) -> int:
        """How many lines of the server's output contain ``needle``."""
        with self.log_path.open(errors="replace") as log:
            return sum(needle in line for line in log)

    def log_errors(self) -> dict[str, int]:
        """ERROR lines of the server's JSON log, by exception type (or message)."""
        found: Counter[str] = Counter()
        with self.log_path.open(errors="replace") as log:
            for line in log:
                if '"level": "ERROR"' not in line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    found["unreadable"] += 1
                    continue
                found[str(entry.get("exc_type") or entry.get("message", "?"))] += 1
        return dict(found)


# --- CPU use ---------------------------------------------------------------------------------


def cmdline(pid: int) -> str:
    """A process's command line ('' once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name in parentheses may itself hold spaces and parentheses.
    return text[text.rindex(")") + 2 :].split()


def children(parent: int) -> list[int]:
    """Direct children of ``parent``."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU seconds a process has used (None once it is gone)."""
    fields = _stat(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    total = sum(values[:8])  # guest time is already counted in user
    return total - idle, total


@dataclass(frozen=True)
class CpuSnapshot:
    """CPU seconds used so far by each process of each group, and by the whole machine."""

    at: float
    groups: dict[str, dict[int, float]]
    machine_busy: int
    machine_total: int


def snapshot(server_pid: int, database: str, load_pids: Iterable[int]) -> CpuSnapshot:
    """Who has used how much CPU: server workers, PostgreSQL (ours, others), load, the rest."""
    groups: dict[str, dict[int, float]] = {
        "server": {},
        "postgres_bench": {},
        "postgres_other": {},
        "load": {},
    }
    loads = set(load_pids)
    workers = set(children(server_pid)) | {server_pid}
    marker = f" {database} "
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        used = cpu_seconds(pid)
        if used is None:
            continue
        if pid in workers:
            groups["server"][pid] = used
        elif pid in loads:
            groups["load"][pid] = used
        else:
            line = cmdline(pid)
            if line.startswith("postgres"):
                group = "postgres_bench" if marker in line else "postgres_other"
                groups[group][pid] = used
    busy, total = _machine_jiffies()
    return CpuSnapshot(time.monotonic(), groups, busy, total)


def cpu_use(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, Any]:
    """Cores kept busy between two snapshots, per group and for the machine."""
    seconds = after.at - before.at
    cores: dict[str, float] = {}
    for name, now in after.groups.items():
        then = before.groups.get(name, {})
        used = sum(value - then.get(pid, 0.0) for pid, value in now.items())
        cores[name] = round(used / seconds, 2)
    share = (after.machine_busy - before.machine_busy) / max(
        1, after.machine_total - before.machine_total
    )
    machine = round(share * (os.cpu_count() or 1), 2)
    cores["other"] = round(max(0.0, machine - sum(cores.values())), 2)
    cores["machine"] = machine
    return {"seconds": round(seconds, 1), "cores": os.cpu_count(), "busy_cores": cores}


# --- Profiling -------------------------------------------------------------------------------


def start_profiles(
    pids: Iterable[int], seconds: float, folder: Path
) -> list[subprocess.Popen[bytes]]:
    """``py-spy record --gil`` (collapsed stacks) on each pid for ``seconds``."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        raise RuntimeError("--profile needs py-spy: .venv/bin/pip install py-spy")
    folder.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(max(1, int(seconds))),
                "--rate",
                "50",
                "--format",
                "raw",
                "--nonblocking",
                # Only the thread holding the GIL: where Python spends CPU, not who waits.
                "--gil",
                "--output",
                str(folder / f"pid{pid}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in pids
    ]


def summarise_profiles(folder: Path, top: int = 15) -> dict[str, list[tuple[str, float]]]:
    """The functions holding most samples: inclusive (on the stack) and self (at its top)."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for path in folder.glob("pid*.txt"):
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not stack or not count_text.isdigit():
                continue
            count = int(count_text)
            total += count
            frames = [_frame(f) for f in stack.split(";") if f]
            frames = [f for f in frames if f]
            for frame in set(frames):
                inclusive[frame] = inclusive.get(frame, 0) + count
            if frames:
                own[frames[-1]] = own.get(frames[-1], 0) + count

    def ranked(counts: dict[str, int]) -> list[tuple[str, float]]:
        best = sorted(counts.items(), key=lambda item: -item[1])[:top]
        return [(name, round(100 * n / max(1, total), 1)) for name, n in best]

    ours = {k: v for k, v in inclusive.items() if k.split(" ")[-1].startswith(("server", "app"))}
    return {"self": ranked(own), "inclusive_ours": ranked(ours)}


def _frame(text: str) -> str:
    """'function (path/to/module.py:12)' as 'function module.path' (line numbers dropped)."""
    match = re.match(r"(.+?) \((.+?)(?::\d+)?\)$", text.strip())
    if match is None:
        return text.strip()
    function, path = match.groups()
    for marker in ("site-packages/", f"{ROOT}/", "python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{function} {path.removesuffix('.py').replace('/', '.')}"


class ActivitySampler:
    """Samples pg_stat_activity of one database: which statements run, and what they wait on.

    A poor man's profile of PostgreSQL: the share of samples in which a backend was running
    (or waiting in) each kind of statement is the average number of backends doing it.
    """

    def __init__(self, url: URL, hz: float = 20.0) -> None:
        self.url = url
        self.interval = 1.0 / hz
        self.samples = 0
        self.counts: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-activity", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> dict[str, Any]:
        """Stop sampling; the busiest statement kinds, as average backends busy."""
        self._stop.set()
        self._thread.join(timeout=10)
        top = self.counts.most_common(12)
        return {
            "samples": self.samples,
            "active_backends": round(sum(self.counts.values()) / max(1, self.samples), 2),
            "top": [(kind, round(n / max(1, self.samples), 2)) for kind, n in top],
        }

    def _run(self) -> None:
        query = (
            "SELECT wait_event_type, wait_event, query FROM pg_stat_activity "
            "WHERE datname = %s AND state = 'active' AND pid <> pg_backend_pid()"
        )
        with connect(self.url) as conn:
            while not self._stop.wait(self.interval):
                rows = conn.execute(query, (self.url.database,)).fetchall()
                self.samples += 1
                for wait_type, wait_event, text in rows:
                    waiting = f" [{wait_type}:{wait_event}]" if wait_type else ""
                    self.counts[f"{_statement_kind(text)}{waiting}"] += 1


def _statement_kind(text: str) -> str:
    """'SELECT case_record', 'INSERT note', 'UPDATE task', ... from a statement's text."""
    words = text.split(None, 1)
    verb = words[0].upper() if words else "?"
    patterns = {
        "SELECT": r"\bFROM\s+([\w.\"]+)",
        "INSERT": r"\bINTO\s+([\w.\"]+)",
        "UPDATE": r"^\s*UPDATE\s+([\w.\"]+)",
        "WITH": r"\bFROM\s+([\w.\"]+)",
    }
    found = re.search(patterns.get(verb, r"$^"), text, re.IGNORECASE)
    return f"{verb} {found.group(1)}" if found else verb
