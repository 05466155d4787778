"""Platform benchmark: K laptops pushing and pulling on PostgreSQL, beside pgbench's ceiling."""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from app.demo import demo_tenant_id, demo_users
from bench._server_check import Ledger, baseline_versions, check
from bench._server_infra import (
    ROOT,
    ActivitySampler,
    CpuSnapshot,
    PgbenchResult,
    Server,
    cpu_use,
    create_database,
    drop_database,
    pg_url,
    run_pgbench,
    snapshot,
    start_profiles,
    summarise_profiles,
)
from bench._server_load import ClientSpec, LoadConfig, LoadResult, load_process
from bench.common import emit, machine, percentile
from server import cli

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TENANT = "bench"
TARGET_MUTATIONS_PER_S = 1000
TARGET_PUSH_P99_MS = 500
READY_TIMEOUT_S = 600
"""Sign-ins (argon2, a third of a second of CPU each) and first pulls of every laptop."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The benchmark's options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100, help="simulated laptops (K)")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured time")
    parser.add_argument("--warmup", type=float, default=10.0, help="cycles before measuring")
    parser.add_argument("--batch", type=int, default=20, help="mutations per push (B)")
    parser.add_argument("--persons", type=int, default=2000, help="residents in the demo council")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--procs", type=int, default=1, help="load-generating processes")
    parser.add_argument("--note-share", type=float, default=0.5, help="share of note creates")
    parser.add_argument("--hot-share", type=float, default=0.2, help="share of edits on hot rows")
    parser.add_argument("--hot-records", type=int, default=3, help="hot cases and tasks per team")
    parser.add_argument(
        "--pull-every",
        type=int,
        default=1,
        help="pull after every n-th push (default 1; 0: push only, to isolate its cost)",
    )
    parser.add_argument("--no-gzip", action="store_true", help="ask for uncompressed answers")
    parser.add_argument("--pgbench-seconds", type=int, default=20)
    parser.add_argument("--pgbench-clients", type=int, default=8)
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument(
        "--pg",
        default=os.environ.get("DOORSTEP_BENCH_PG", DEFAULT_ADMIN_URL),
        help="superuser URL of the PostgreSQL server (default: $DOORSTEP_BENCH_PG or local)",
    )
    parser.add_argument("--profile", type=Path, help="py-spy the workers into this folder")
    parser.add_argument(
        "--server-root",
        type=Path,
        default=ROOT,
        help="run the platform from this checkout (to compare a change); default this one",
    )
    parser.add_argument(
        "--keep", action="store_true", help="leave the scratch databases and the server's log"
    )
    parser.add_argument("--json", action="store_true")
    return parser.parse_args(argv)


def seed(env: dict[str, str], persons: int, seed_value: int) -> float:
    """Migrate and load the demo council through the CLI; seconds taken."""
    started = time.perf_counter()
    for command in (
        ["migrate"],
        [
            "seed-demo",
            "--persons",
            str(persons),
            "--seed",
            str(seed_value),
            "--tenant-code",
            TENANT,
        ],
    ):
        out, err = io.StringIO(), io.StringIO()
        if cli.main(command, env=env, out=out, err=err) != 0:
            raise RuntimeError(f"doorstep-server {command[0]} failed: {err.getvalue()}")
    return time.perf_counter() - started


def client_specs(clients: int, seed_value: int) -> list[ClientSpec]:
    """The demo council's officers and leads, round robin: each laptop a device of its own."""
    users = demo_users(seed_value)
    return [
        ClientSpec(index, users[index % len(users)].username, users[index % len(users)].password)
        for index in range(clients)
    ]


@dataclass
class LoadRun:
    """What the load processes reported, when measuring began, and who used the CPU."""

    results: list[LoadResult]
    measured_from: float
    setup: dict[str, float]
    cpu: dict[str, Any]
    profile: dict[str, Any]


def run_load(
    config: LoadConfig,
    specs: list[ClientSpec],
    procs: int,
    server: Server,
    url: URL,
    profile: Path | None,
) -> LoadRun:
    """Run the laptops in ``procs`` processes, measuring CPU use over the measured window."""
    context = multiprocessing.get_context("spawn")
    links: list[Connection] = []
    processes = []
    for part in range(procs):
        mine, theirs = context.Pipe()
        process = context.Process(
            target=load_process, args=(config, specs[part::procs], theirs), daemon=True
        )
        process.start()
        theirs.close()
        links.append(mine)
        processes.append(process)
    try:
        setup: list[tuple[float, float]] = []
        for link in links:
            if not link.poll(READY_TIMEOUT_S):
                raise RuntimeError("a load process did not get ready in time")
            message = link.recv()
            if message[0] != "ready":
                raise RuntimeError(f"a load process failed while getting ready:\n{message[2]}")
            setup.append((message[2], message[3]))
        begin = time.monotonic() + 0.5
        for link in links:
            link.send(begin)
        measure_from = begin + config.warmup_s
        measure_to = measure_from + config.seconds
        load_pids = [p.pid for p in processes if p.pid is not None]
        time.sleep(max(0.0, measure_from - time.monotonic()))
        database = str(url.database)
        before: CpuSnapshot = snapshot(server.process.pid, database, load_pids)
        spies = start_profiles(server.workers, config.seconds, profile) if profile else []
        sampler = ActivitySampler(url) if profile else None
        if sampler is not None:
            sampler.start()
        time.sleep(max(0.0, measure_to - time.monotonic()))
        after = snapshot(server.process.pid, database, load_pids)
        activity = sampler.stop() if sampler is not None else {}
        results: list[LoadResult] = []
        pending = list(links)
        deadline = time.monotonic() + config.timeout_s * 3
        while pending and time.monotonic() < deadline:
            for ready in wait(pending, timeout=5):
                link = next(c for c in pending if c is ready)
                message = link.recv()
                if message[0] == "failed":
                    raise RuntimeError(f"a load process failed:\n{message[2]}")
                results.append(message[2])
                pending.remove(link)
        if pending:
            raise RuntimeError("a load process did not finish in time")
        for spy in spies:
            spy.wait(timeout=60)
        return LoadRun(
            results=results,
            measured_from=measure_from,
            setup={
                "signin_s": round(max(s for s, _ in setup), 1),
                "initial_pull_s": round(max(p for _, p in setup), 1),
            },
            cpu=cpu_use(before, after),
            profile={**summarise_profiles(profile), "postgres": activity} if profile else {},
        )
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()


def figures(results: list[LoadResult], start: float, seconds: float) -> dict[str, Any]:
    """Throughput and latency of the requests that ended within the measured window."""
    end = start + seconds

    pushes = [t for r in results for t in r.pushes if start <= t[1] < end]
    pulls = [t for r in results for t in r.pulls if start <= t[1] < end]
    push_ms = [(t[1] - t[0]) * 1000 for t in pushes]
    pull_ms = [(t[1] - t[0]) * 1000 for t in pulls]
    received: Counter[str] = Counter()
    for r in results:
        received.update(r.received)
    errors = [e for r in results for e in r.errors]
    kinds = Counter(kind for _, kind in errors)
    outcomes: Counter[str] = Counter()
    for r in results:
        outcomes.update(r.outcomes)

    def latency(values: list[float]) -> dict[str, float]:
        return {
            "p50": round(percentile(values, 50), 1),
            "p99": round(percentile(values, 99), 1),
            "max": round(max(values, default=float("nan")), 1),
        }

    return {
        "mutations_per_s": round(sum(t[2] for t in pushes) / seconds, 1),
        "pushes_per_s": round(len(pushes) / seconds, 1),
        "pulled_records_per_s": round(sum(t[2] for t in pulls) / seconds, 1),
        "pull_pages_per_s": round(len(pulls) / seconds, 1),
        "feed_entries_read_per_s": round(sum(t[3] for t in pulls) / seconds, 1),
        "pulled_by_kind": dict(received.most_common()),
        "push_latency_ms": latency(push_ms),
        "pull_latency_ms": latency(pull_ms),
        "errors": len(errors),
        "errors_in_window": sum(start <= at < end for at, _ in errors),
        "error_kinds": dict(kinds.most_common(10)),
        "outcomes": dict(sorted(outcomes.items())),
        "rejections": [x for r in results for x in r.rejections][:5],
        "failed_clients": [x for r in results for x in r.failed_clients][:5],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print its figures; exit 1 if anything acknowledged went missing."""
    args = parse_args(argv)
    admin = pg_url(args.pg)
    tag = secrets.token_hex(4)
    database, pgbench_db = f"doorstep_bench_{tag}", f"doorstep_pgbench_{tag}"
    url = create_database(admin, database)
    pgbench: PgbenchResult | None = None
    work = Path(tempfile.mkdtemp(prefix="doorstep-bench-"))
    try:
        env = {
            "DOORSTEP_DATABASE_URL": url.render_as_string(hide_password=False),
            "DOORSTEP_DEMO_MODE": "true",
            "DOORSTEP_LOG_LEVEL": "WARNING",
        }
        seed_s = seed(env, args.persons, args.seed)
        tenant_id = demo_tenant_id(args.seed)
        baseline = baseline_versions(url, tenant_id)
        if not args.no_pgbench:
            scratch = create_database(admin, pgbench_db)
            try:
                pgbench = run_pgbench(
                    scratch, args.pgbench_clients, 2, args.pgbench_seconds, args.pgbench_scale
                )
            finally:
                if not args.keep:
                    drop_database(admin, pgbench_db)
        server = Server(env, args.workers, work / "server.log", args.server_root)
        config = LoadConfig(
            base_url=server.base_url,
            tenant=TENANT,
            tag=tag,
            batch=args.batch,
            note_share=args.note_share,
            hot_share=args.hot_share,
            hot_records=args.hot_records,
            seed=args.seed,
            warmup_s=args.warmup,
            seconds=args.seconds,
            gzip=not args.no_gzip,
            pull_every=args.pull_every,
        )
        try:
            server.wait_ready()
            specs = client_specs(args.clients, args.seed)
            run = run_load(config, specs, args.procs, server, url, args.profile)
        finally:
            server.stop()
        deadlocks = server.log_count("push retried after a deadlock")
        server_errors = server.log_errors()
        integrity = check(url, tenant_id, tag, Ledger.merge(run.results), baseline)
    finally:
        if not args.keep:
            drop_database(admin, database)
            shutil.rmtree(work, ignore_errors=True)
    measured = figures(run.results, run.measured_from, args.seconds)
    met = (
        measured["mutations_per_s"] >= TARGET_MUTATIONS_PER_S
        and measured["push_latency_ms"]["p99"] < TARGET_PUSH_P99_MS
        and measured["errors"] == 0
        and integrity["ok"]
    )
    result: dict[str, Any] = {
        "benchmark": "server",
        "machine": machine(),
        "parameters": {
            "clients": args.clients,
            "batch": args.batch,
            "seconds": args.seconds,
            "warmup_s": args.warmup,
            "persons": args.persons,
            "seed": args.seed,
            "workers": args.workers,
            "load_processes": args.procs,
            "note_share": args.note_share,
            "hot_share": args.hot_share,
            "hot_records": args.hot_records,
            "gzip": not args.no_gzip,
            "pull_every": args.pull_every,
        },
        "setup": {"seed_s": round(seed_s, 1), **run.setup},
        "figures": measured,
        "server_log": {
            "deadlock_retries": deadlocks,
            "errors": server_errors,
            "path": str(server.log_path) if args.keep else None,
        },
        "cpu": run.cpu,
        "pgbench": None if pgbench is None else vars(pgbench),
        "integrity": integrity,
        "target": {
            "mutations_per_s": TARGET_MUTATIONS_PER_S,
            "push_p99_ms": TARGET_PUSH_P99_MS,
            "errors": 0,
            "met": met,
        },
    }
    if run.profile:
        result["profile"] = run.profile
    emit(result, as_json=args.json, lines=_lines(result))
    return 0 if integrity["ok"] else 1


def _lines(result: dict[str, Any]) -> list[str]:
    """The figures as a readable block."""
    p, f, cpu, setup = result["parameters"], result["figures"], result["cpu"], result["setup"]
    push, pull = f["push_latency_ms"], f["pull_latency_ms"]
    busy = cpu["busy_cores"]
    integrity = result["integrity"]
    lines = [
        f"machine: {result['machine']['cpu']} x{result['machine']['cores']}",
        f"platform: {p['workers']} uvicorn workers on PostgreSQL; demo council of "
        f"{p['persons']:,} persons (seeded in {result['setup']['seed_s']} s)",
        f"load: {p['clients']} laptops in {p['load_processes']} process(es), batches of "
        f"{p['batch']} ({p['note_share']:.0%} note creates, the rest case/task edits, "
        f"{p['hot_share']:.0%} of edits on {p['hot_records']} hot records per team); "
        f"sign-ins {setup['signin_s']} s, first pulls {setup['initial_pull_s']} s",
        f"measured {p['seconds']:.0f} s after a {p['warmup_s']:.0f} s warm-up:",
        f"  mutations/s      {f['mutations_per_s']:>10,.1f}   "
        f"(target >= {TARGET_MUTATIONS_PER_S:,}; {f['pushes_per_s']} pushes/s)",
        f"  pulled records/s {f['pulled_records_per_s']:>10,.1f}   "
        f"({f['pull_pages_per_s']} pages/s, going through "
        f"{f['feed_entries_read_per_s']:,.0f} feed entries/s)",
        f"  push latency     p50 {push['p50']} ms, p99 {push['p99']} ms, max {push['max']} ms "
        f"(target p99 < {TARGET_PUSH_P99_MS} ms)",
        f"  pull latency     p50 {pull['p50']} ms, p99 {pull['p99']} ms, max {pull['max']} ms",
        f"  errors           {f['errors']} ({f['errors_in_window']} in the window) "
        f"{f['error_kinds'] or ''}",
        f"  outcomes         {f['outcomes']}",
        f"  pulled by kind   {f['pulled_by_kind']}",
        f"  server log       {result['server_log']['deadlock_retries']} deadlock retries, "
        f"errors {result['server_log']['errors'] or 'none'}"
        + (f" ({result['server_log']['path']})" if result["server_log"]["path"] else ""),
        f"  CPU (cores busy of {cpu['cores']}): server {busy['server']}, PostgreSQL "
        f"{busy['postgres_bench']} (+{busy['postgres_other']} background/other dbs), "
        f"load generator {busy['load']}, other processes {busy['other']}; "
        f"machine {busy['machine']}",
    ]
    pgbench = result["pgbench"]
    if pgbench is not None:
        lines.append(
            f"pgbench -N (simple update) -c {pgbench['clients']} -j {pgbench['threads']} "
            f"-T {pgbench['seconds']} scale {pgbench['scale']}: {pgbench['tps']:,.0f} tps, "
            f"latency {pgbench['latency_ms']} ms (the PostgreSQL ceiling; one push is one "
            f"transaction of {p['batch']} mutations)"
        )
    state = "OK" if integrity["ok"] else "FAILED"
    lines.append(
        f"integrity: {state}: {integrity['notes']['acknowledged']:,} acknowledged notes, "
        f"{integrity['edits']['records']:,} edited records ({integrity['edits']['versions_made']:,}"
        f" versions), {integrity['answers']['answered']:,} stored answers, "
        f"{integrity['conflicts']['reported']:,} conflicts checked against the database"
    )
    lines += [f"  {example}" for example in integrity["examples"]]
    lines += [f"  rejected: {text}" for text in f["rejections"]]
    lines += [f"  client gave up: {text}" for text in f["failed_clients"]]
    lines.append(f"target met: {'yes' if result['target']['met'] else 'no'}")
    profile = result.get("profile", {})
    for kind in ("self", "inclusive_ours"):
        for name, share in profile.get(kind, []):
            lines.append(f"  python {kind}: {share:5.1f}% of GIL samples  {name}")
    if profile.get("postgres"):
        activity = profile["postgres"]
        lines.append(f"  postgres: {activity['active_backends']} backends active on average")
        for kind, busy in activity["top"]:
            lines.append(f"  postgres: {busy:5.2f} backends  {kind}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
