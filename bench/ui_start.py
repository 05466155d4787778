"""Desktop cold start: process launch to a usable main window, and memory, on a large store."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import emit, machine, median

STARTED = time.perf_counter()

PASSPHRASE = "benchmark store passphrase"
PASSWORD = "doorstep-demo-1"
UNREACHABLE = "http://127.0.0.1:9"  # nothing listens: the laptop starts offline, as in the field
OUT = Path(__file__).parent / "out"
START_TARGET_MS = 2000
RSS_TARGET_MB = 300


def rss_mb() -> float:
    """This process's resident set size (Linux /proc)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def prepare(persons: int) -> Path:
    """A demo laptop home with ``persons`` residents (made once, kept under bench/out)."""
    from app.demo_laptop import make_demo_laptop
    from app.signon import STORE_FILE
    from app.store.keys import StoreKey

    home = OUT / f"ui-start-{persons}"
    if (home / "ready").exists():
        return home
    home.mkdir(parents=True, exist_ok=True)
    (home / STORE_FILE).unlink(missing_ok=True)
    print(f"making a demo laptop with {persons:,} persons (once)...", file=sys.stderr, flush=True)
    make_demo_laptop(
        home / STORE_FILE,
        StoreKey(PASSPHRASE, "passphrase"),
        persons=persons,
        seed=1,
        server_url=UNREACHABLE,
    )
    (home / "ready").touch()
    return home


def child(home: Path) -> int:
    """One cold start: sign in (offline, within grace) and report when the main window is up."""
    # The same import order as app.launcher: the store and sync stack before Qt.
    importlib.import_module("app.signon")
    from PySide6.QtWidgets import QApplication

    from app.config import SERVER_URL, TENANT, ConfigSources, load_settings
    from app.offline import remember_sign_in
    from app.signon import Desktop
    from app.store.keys import PASSPHRASE_ENV, SessionKeyring
    from app.ui.app import create_application
    from app.ui.main import DesktopApp

    env = {"DOORSTEP_HOME": str(home), PASSPHRASE_ENV: PASSPHRASE}
    settings = load_settings(ConfigSources(None, None), env)
    settings.set_user(SERVER_URL, UNREACHABLE)
    settings.set_user(TENANT, "demo")
    memory = SessionKeyring()
    # The earlier online sign-in that makes an offline start allowed (kept in memory here).
    remember_sign_in(
        memory,
        server_url=UNREACHABLE,
        tenant="demo",
        username="housing.officer",
        password=PASSWORD,
        at=datetime.now(UTC),
    )
    desktop = Desktop(
        settings=settings, env=env, keyring=None, session_keyring=memory, sleep=lambda _s: None
    )
    app: QApplication = create_application(["doorstep"])
    shell = DesktopApp(desktop)
    result: dict[str, Any] = {}

    def on_usable(which: str) -> None:
        if which == "main":
            result["usable_ms"] = (time.perf_counter() - STARTED) * 1000
            result["rss_mb"] = rss_mb()
            app.quit()

    shell.usable.connect(on_usable)
    window = shell.show_sign_in(username="housing.officer")
    window.failed.connect(lambda field, message: (result.update(error=message), app.exit(1)))
    window.inputs["password"].setText(PASSWORD)
    window.submit()
    code = app.exec()
    shell.shutdown()
    print(json.dumps(result), flush=True)
    return code


def run_child(home: Path, baseline: bool) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    argv = [sys.executable, "-m", "bench.ui_start", "--baseline" if baseline else "--child"]
    started = time.perf_counter()
    done = subprocess.run(
        [*argv, str(home)], env=env, capture_output=True, text=True, check=False, timeout=300
    )
    wall_ms = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise SystemExit(f"the start failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall_ms"] = wall_ms
    return figures


def baseline_child() -> int:
    """The floor: Python, Qt and an empty window, nothing of Doorstep's."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(["baseline"])
    label = QLabel("baseline")
    label.show()
    result: dict[str, float] = {}

    def done() -> None:
        result["usable_ms"] = (time.perf_counter() - STARTED) * 1000
        result["rss_mb"] = rss_mb()
        app.quit()

    QTimer.singleShot(0, done)
    app.exec()
    print(json.dumps(result), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    if args.baseline:
        return baseline_child()
    home = prepare(args.persons)
    base = [run_child(home, baseline=True) for _ in range(args.runs)]
    runs = [run_child(home, baseline=False) for _ in range(args.runs)]
    start_ms = median([r["wall_ms"] for r in runs])
    base_ms = median([r["wall_ms"] for r in base])
    memory = median([r["rss_mb"] for r in runs])
    result = {
        "persons": args.persons,
        "runs": args.runs,
        "start_to_usable_ms": round(start_ms),
        "in_process_to_usable_ms": round(median([r["usable_ms"] for r in runs])),
        "baseline_empty_qt_window_ms": round(base_ms),
        "start_vs_baseline": round(start_ms / base_ms, 2),
        "rss_mb": round(memory, 1),
        "baseline_rss_mb": round(median([r["rss_mb"] for r in base]), 1),
        "targets": {"start_ms": START_TARGET_MS, "rss_mb": RSS_TARGET_MB},
        "meets_targets": start_ms < START_TARGET_MS and memory < RSS_TARGET_MB,
        "machine": machine(),
    }
    lines = [
        f"Desktop cold start, {args.persons:,}-person store, offline sign-in, median of "
        f"{args.runs} runs:",
        f"  launch to usable main window: {start_ms:.0f} ms (target < {START_TARGET_MS} ms)",
        f"  empty Qt window baseline:     {base_ms:.0f} ms (ratio {start_ms / base_ms:.2f})",
        f"  resident memory after start:  {memory:.0f} MB (target < {RSS_TARGET_MB} MB)",
    ]
    emit(result, as_json=args.json, lines=lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
