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


def timed_run(argv: list[str], env: dict[str, str]) -> tuple[float, str, int]:
    """Wall-clock seconds from spawn to exit, stdout and exit status."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    return time.perf_counter() - started, done.stdout + done.stderr, done.returncode


def fresh_env(home: Path) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "DOORSTEP_HOME": str(home / "doorstep"),
        "DOORSTEP_STORE_PASSPHRASE": "bench-store-passphrase",
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    return env


def start_times(executable: list[str], args: list[str], runs: int) -> dict[str, Any]:
    """Each run in a new process with a new, empty user folder (nothing cached by the app)."""
    walls: list[float] = []
    usable: list[float] = []
    failures: list[str] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="doorstep-bench-") as home:
            wall, output, status = timed_run([*executable, *args], fresh_env(Path(home)))
        if status != 0:
            failures.append(output.strip()[-300:])
            continue
        walls.append(wall)
        found = USABLE_MS.search(output)
        if found:
            usable.append(float(found.group(1)) / 1000)
    return {
        "runs": runs,
        "ok_runs": len(walls),
        "wall_s_median": median(walls) if walls else None,
        "wall_s_first": walls[0] if walls else None,
        "usable_s_median": median(usable) if usable else None,
        "failures": failures[:2],
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
    venv_exe = [str(ROOT / ".venv/bin/doorstep")]
    cli_bundle = start_times([str(exe)], ["--version"], args.runs)
    cli_venv = start_times(venv_exe, ["--version"], args.runs)
    gui_bundle = start_times([str(exe)], ["gui", "--smoke-test"], args.runs) if has_gui else None
    gui_venv = start_times(venv_exe, ["gui", "--smoke-test"], args.runs) if has_gui else None

    start = gui_bundle["wall_s_median"] if gui_bundle else None
    result: dict[str, Any] = {
        "version": __version__,
        "machine": machine(),
        "load_average": os.getloadavg(),
        "bundle": str(args.bundle),
        "bundle_mb": round(bundle_mb, 1),
        "deb": str(args.deb) if deb_mb is not None else None,
        "deb_mb": round(deb_mb, 1) if deb_mb is not None else None,
        "cli_start_bundle": cli_bundle,
        "cli_start_venv": cli_venv,
        "gui_start_bundle": gui_bundle,
        "gui_start_venv": gui_venv,
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
        f"Doorstep {__version__} packaging benchmark ({args.runs} runs each, load "
        f"{result['load_average'][0]:.2f})",
        f"  bundle on disk   {bundle_mb:7.1f} MB  (target < {TARGETS['bundle_mb']:.0f} MB)",
        f"  .deb             {fmt(deb_mb, 'MB'):>10}  (target < {TARGETS['deb_mb']:.0f} MB)",
        f"  CLI start        bundle {fmt(cli_bundle['wall_s_median'])}, "
        f"venv {fmt(cli_venv['wall_s_median'])} (doorstep --version, median)",
    ]
    if gui_bundle and gui_venv:
        lines.append(
            f"  GUI start        bundle {fmt(gui_bundle['wall_s_median'])} to exit, "
            f"{fmt(gui_bundle['usable_s_median'])} to usable; venv "
            f"{fmt(gui_venv['wall_s_median'])} (target < {TARGETS['start_s']} s)"
        )
        if gui_bundle["failures"]:
            lines.append(f"  GUI failures: {gui_bundle['failures']}")
    else:
        lines.append("  GUI start        n/a: no GUI shell (app/launcher.py) in this tree")
    emit(result, as_json=args.json, lines=lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
