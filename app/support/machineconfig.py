"""`doorstep machine-config --set key=value`: write the machine config, validated by app.config.

The Windows installer runs it with its public properties (PLATFORMURL=... -> server_url), so
the MSI never needs its own copy of the key names, types or allowed values.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import tomli_w

from app.config import SETTINGS, ConfigError, ConfigSources, SettingError, Value

if TYPE_CHECKING:
    from app.cli import Context

_BY_NAME = {setting.name: setting for setting in SETTINGS}


def parse_assignment(text: str) -> tuple[str, Value] | None:
    """``key=value`` as a checked setting value; None for ``key=`` (leave the key as it is).

    An MSI passes every property, set or not, so an empty value means "not given".
    """
    name, equals, raw = text.partition("=")
    name = name.strip()
    if not equals:
        raise SettingError(name, "must be given as key=value")
    setting = _BY_NAME.get(name)
    if setting is None:
        raise SettingError(name, "is not a Doorstep setting")
    if raw == "":
        return None
    value: object = raw
    if setting.type is int:
        try:
            value = int(raw)
        except ValueError:
            raise SettingError(name, f"must be {setting.allowed}, not {raw!r}") from None
    elif setting.type is bool:
        lowered = raw.strip().lower()
        if lowered not in ("true", "false", "1", "0"):
            raise SettingError(name, f"must be {setting.allowed}, not {raw!r}")
        value = lowered in ("true", "1")
    try:
        return name, setting.check(value)
    except ValueError:
        raise SettingError(name, f"must be {setting.allowed}") from None


def update_machine_config(path: Path, assignments: Sequence[str]) -> dict[str, Value]:
    """Merge the assignments into ``path`` (kept keys stay) and write it atomically."""
    changes: dict[str, Value] = {}
    for text in assignments:
        parsed = parse_assignment(text)
        if parsed is not None:
            changes[parsed[0]] = parsed[1]
    try:
        current = tomllib.loads(path.read_text(encoding="utf-8-sig")) if path.exists() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot be read: {error}", origin=str(path)) from None
    merged = {**current, **changes}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(tomli_w.dumps(merged).encode("utf-8"))
        # Readable by every user (they all read it), writable by administrators only.
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return changes


def _machine_config(args: argparse.Namespace, ctx: Context) -> int:
    sources = ctx.config_sources or ConfigSources.for_platform(env=ctx.env)
    path = Path(args.file) if args.file else sources.machine_config
    if path is None:
        ctx.err.write("doorstep: no machine config location on this platform; use --file\n")
        return 2
    try:
        changes = update_machine_config(path, args.set or [])
    except PermissionError:
        ctx.err.write(f"doorstep: cannot write {path}: run as an administrator (root)\n")
        return 1
    shown = ", ".join(f"{k} = {v!r}" for k, v in changes.items()) or "nothing changed"
    ctx.out.write(f"Machine config {path}: {shown}.\n")
    return 0


def add_machine_config_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """machine-config (for administrators and installers)."""
    command = commands.add_parser(
        "machine-config",
        help="administrators: set keys in the machine config (validated; key= leaves a key)",
    )
    command.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="a setting to write (repeatable)"
    )
    command.add_argument("--file", help="the file to write (default: this OS's machine config)")
    command.set_defaults(handler=_machine_config)
