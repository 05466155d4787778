"""Packaging benchmark: bundle and .deb size, cold start of the bundled app (after make package)."""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app import __version__
from bench.common import emit, machine, median

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000
TARGETS = {"bundle_mb": 150.0, "deb_mb": 60.0, "start_s": 2.5}
# The shell's --smoke-test prints e.g. "usable in 812 ms"; the first number before "ms" counts.
USABLE_MS = re.compile(r"(\d+(?:\.\d+)?)\s*ms")


def tree_bytes(folder: Path) -> int:
    """Bytes on disk of every regular file under ``folder`` (symlinks not followed)."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_blocks * 512
    return total


def default_deb() -> Path:
    arch = "amd64" if platform.machine() in ("x86_64", "AMD64") else platform.machine()
    return ROOT / "dist" / f"doorstep_{__version__}_{arch}.deb"


def timed_run(argv: list[str], env: dict[str, str]) -> tuple[float, float, str, int]:
    """Seconds from spawn to the first line of output and to exit, the output, exit status.

    The shell's smoke test prints its one line as the first window becomes usable, so the
    first line's arrival is "launch to usable" as the user sees it, interpreter start included.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    first_at = time.perf_counter() - started
    rest = process.stdout.read()
    status = process.wait(timeout=120)
    return first_at, time.perf_counter() - started, first + rest, status


def fresh_env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "DOORSTEP_HOME": str(home / "doorstep"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }


def start_times(commands: dict[str, list[str]], runs: int) -> dict[str, dict[str, Any]]:
    """Each command ``runs`` times, alternating between them so load changes hit all alike.

    Every run is a new process with a new, empty user folder (nothing cached by the app).
    """
    samples: dict[str, dict[str, list[float]]] = {
        name: {"first": [], "exit": [], "inside": []} for name in commands
    }
    failures: dict[str, list[str]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            with tempfile.TemporaryDirectory(prefix="doorstep-bench-") as home:
                first, done, output, status = timed_run(argv, fresh_env(Path(home)))
            if status != 0:
                failures[name].append(output.strip()[-300:])
                continue
            samples[name]["first"].append(first)
            samples[name]["exit"].append(done)
            found = USABLE_MS.search(output)
            if found:
                samples[name]["inside"].append(float(found.group(1)) / 1000)
    return {
        name: {
            "runs": runs,
            "ok_runs": len(values["exit"]),
            "first_output_s_median": median(values["first"]) if values["first"] else None,
            "exit_s_median": median(values["exit"]) if values["exit"] else None,
            "in_process_s_median": median(values["inside"]) if values["inside"] else None,
            "failures": failures[name][:2],
        }
        for name, values in samples.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bundle", type=Path, default=ROOT / "build/package/bundle/doorstep")
    parser.add_argument("--deb", type=Path, default=default_deb())
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    exe = args.bundle / ("doorstep.exe" if sys.platform == "win32" else "doorstep")
    if not exe.exists():
        print(f"no bundle at {args.bundle}; run 'make package' first", file=sys.stderr)
        return 2
    bundle_mb = tree_bytes(args.bundle) / MB
    deb_mb = args.deb.stat().st_size / MB if args.deb.exists() else None
    has_gui = (ROOT / "app" / "launcher.py").exists()

    # Baselines in the same run: the same command from the development virtualenv.
    venv_exe = str(ROOT / ".venv/bin/doorstep")
    cli = start_times(
        {"bundle": [str(exe), "--version"], "venv": [venv_exe, "--version"]}, args.runs
    )
    gui = (
        start_times(
            {
                "bundle": [str(exe), "gui", "--smoke-test"],
                "venv": [venv_exe, "gui", "--smoke-test"],
            },
            args.runs,
        )
        if has_gui
        else None
    )

    start = gui["bundle"]["first_output_s_median"] if gui else None
    result: dict[str, Any] = {
        "version": __version__,
        "machine": machine(),
        "load_average": os.getloadavg(),
        "bundle": str(args.bundle),
        "bundle_mb": round(bundle_mb, 1),
        "deb": str(args.deb) if deb_mb is not None else None,
        "deb_mb": round(deb_mb, 1) if deb_mb is not None else None,
        "cli_version": cli,
        "gui_smoke_test": gui,
        "targets": TARGETS,
        "meets": {
            "bundle": bundle_mb < TARGETS["bundle_mb"],
            "deb": deb_mb is not None and deb_mb < TARGETS["deb_mb"],
            "start": start is not None and start < TARGETS["start_s"],
        },
    }

    def fmt(value: float | None, unit: str = "s") -> str:
        return f"{value:.2f} {unit}" if value is not None else "n/a"

    lines = [
        f"Doorstep {__version__} packaging benchmark ({args.runs} runs each, alternating; "
        f"load {result['load_average'][0]:.2f})",
        f"  bundle on disk   {bundle_mb:7.1f} MB  (target < {TARGETS['bundle_mb']:.0f} MB)",
        f"  .deb             {fmt(deb_mb, 'MB'):>10}  (target < {TARGETS['deb_mb']:.0f} MB)",
        f"  CLI --version    bundle {fmt(cli['bundle']['exit_s_median'])}, "
        f"venv {fmt(cli['venv']['exit_s_median'])} (launch to exit, median)",
    ]
    if gui:
        b, v = gui["bundle"], gui["venv"]
        lines.append(
            f"  GUI start        bundle {fmt(b['first_output_s_median'])} launch to usable "
            f"(in-process {fmt(b['in_process_s_median'])}, exit {fmt(b['exit_s_median'])}); "
            f"venv {fmt(v['first_output_s_median'])} (target < {TARGETS['start_s']} s)"
        )
        for name in ("bundle", "venv"):
            if gui[name]["failures"]:
                lines.append(f"  GUI failures ({name}): {gui[name]['failures']}")
    else:
        lines.append("  GUI start        n/a: no GUI shell (app/launcher.py) in this tree")
    emit(result, as_json=args.json, lines=lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
