"""The doorstep command: the desktop app by default, the CLI otherwise, Qt only for the app."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DOORSTEP_HOME": str(home),
        "DOORSTEP_STORE_PASSPHRASE": "a passphrase for tests",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("DOORSTEP_PASSWORD", None)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_commands_never_load_qt(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from app.launcher import main\n"
        "status = main(sys.argv[1:])\n"
        "print('qt loaded' if 'PySide6' in sys.modules else 'qt not loaded')\n"
        "raise SystemExit(status)\n"
    )
    result = run(code, tmp_path, "store", "check")
    assert result.returncode == 1, result.stderr
    assert "no local store" in result.stderr
    assert result.stdout.strip() == "qt not loaded"


def test_gui_smoke_test_shows_the_sign_in_window(tmp_path: Path) -> None:
    code = "import sys\nfrom app.launcher import main\nraise SystemExit(main(sys.argv[1:]))\n"
    result = run(code, tmp_path, "gui", "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"usable: signin window in \d+ ms", result.stdout.strip())


def test_help_names_the_desktop_app_and_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    from app.launcher import main

    with pytest.raises(SystemExit) as stopped:
        main(["--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("doorstep [gui")
    assert "import-demo" in out
