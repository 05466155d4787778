"""`doorstep diagnostics`: a zip for a support ticket, with no personal data or secrets in it."""

from __future__ import annotations

import importlib.metadata
import json
import platform
import sys
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from app import __version__
from app.config import SETTINGS, ConfigSources, Settings
from app.support.logs import log_files
from app.support.redact import redact_text, redact_url
from app.support.selftest import SelfTestReport

# Versions worth knowing when a laptop misbehaves; read from package metadata so that Qt
# itself is never imported by the command line.
DISTRIBUTIONS = (
    "doorstep",
    "PySide6-Essentials",
    "shiboken6",
    "sqlcipher3",
    "SQLAlchemy",
    "httpx",
    "keyring",
    "platformdirs",
    "pydantic",
    "certifi",
)
# Settings whose values are addresses that may carry credentials (user:password@).
_URL_SETTINGS = {"server_url", "proxy"}


def versions() -> dict[str, object]:
    """The app's, Python's, the OS's and the main libraries' versions."""
    libraries: dict[str, str | None] = {}
    for name in DISTRIBUTIONS:
        try:
            libraries[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            libraries[name] = None
    return {
        "doorstep": __version__,
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "os": platform.platform(),
        "machine": platform.machine(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "libraries": libraries,
    }


def config_report(settings: Settings | None, sources: ConfigSources, error: str | None) -> object:
    """Every setting's effective value, where it came from and whether policy locks it."""
    report: dict[str, object] = {
        "machine_config": str(sources.machine_config) if sources.machine_config else None,
        "policy_file": str(sources.policy_file) if sources.policy_file else None,
        "registry_policy": sources.registry_reader is not None,
        "error": redact_text(error) if error else None,
    }
    if settings is not None:
        values: dict[str, object] = {}
        for setting in SETTINGS:
            value = settings.get(setting)
            if setting.name in _URL_SETTINGS and isinstance(value, str):
                value = redact_url(value)
            values[setting.name] = {
                "value": value,
                "source": settings.source(setting),
                "locked": settings.is_locked(setting),
            }
        report["settings"] = values
        report["folders"] = {
            "data": str(settings.paths.data_dir),
            "config": str(settings.paths.config_dir),
            "logs": str(settings.paths.log_dir),
        }
    return json.loads(redact_text(json.dumps(report)))


def write_diagnostics(
    output: Path,
    *,
    config: object,
    self_test: SelfTestReport,
    log_dir: Path,
    known_sensitive: Iterable[str] = (),
    now: datetime,
) -> list[str]:
    """Write the zip and return the names of its members.

    Logs are redacted when written; they are scrubbed again here so that a log left by an
    older version, or a value only known now (``known_sensitive``), cannot leak.
    """
    known = tuple(known_sensitive)
    members: list[str] = []
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            archive.writestr(name, redact_text(text, known))
            members.append(name)

        add(
            "README.txt",
            f"Doorstep diagnostics made {now.isoformat()}.\nversions.json: app, Python, OS, "
            "libraries. config.json: effective settings and their sources (addresses' "
            "credentials hidden). self-test.txt/.json: `doorstep self-test`. logs/: the "
            "rotating log files, with personal data and secrets removed.\nNo case records, "
            "store, keys or tokens are included.\n",
        )
        add("versions.json", json.dumps(versions(), indent=2))
        add("config.json", json.dumps(config, indent=2))
        add("self-test.txt", self_test.render())
        add("self-test.json", json.dumps(self_test.as_dict(), indent=2))
        for path in log_files(log_dir):
            add(f"logs/{path.name}", path.read_text(encoding="utf-8", errors="replace"))
    return members
