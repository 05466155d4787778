"""Doorstep's settings and folders, resolved from machine config, user settings and policy."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, NamedTuple, TypeVar, overload
from urllib.parse import urlsplit

import platformdirs
import tomli_w

logger = logging.getLogger(__name__)

APP_NAME = "Doorstep"
HOME_ENV = "DOORSTEP_HOME"
POLICY_REGISTRY_KEY = r"HKLM\SOFTWARE\Policies\Doorstep"
SETTINGS_FILE_NAME = "settings.toml"

Value = str | int | bool
T = TypeVar("T", bound=Value)
Source = Literal["policy", "user", "machine", "default"]
# Returns the values under the policy registry key, or nothing when the key is absent.
RegistryReader = Callable[[], Mapping[str, object]]


class ConfigError(Exception):
    """A configuration source cannot be used: unreadable, not valid TOML, or holding a bad value."""

    def __init__(self, message: str, *, origin: str | None = None) -> None:
        self.message = message
        self.origin = origin
        super().__init__(self._text())

    def _text(self) -> str:
        return f"{self.origin}: {self.message}" if self.origin else self.message


class SettingError(ConfigError):
    """One setting has a value that is not allowed, or is not a Doorstep setting at all."""

    def __init__(self, key: str, message: str, *, origin: str | None = None) -> None:
        self.key = key
        super().__init__(message, origin=origin)

    def _text(self) -> str:
        text = f"setting '{self.key}' {self.message}"
        return f"{self.origin}: {text}" if self.origin else text


class LockedSettingError(SettingError):
    """The user tried to change a setting that policy has locked."""


# --- The settings table -------------------------------------------------------------------


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One Doorstep setting: its name, type, built-in default, description and allowed values."""

    name: str
    type: type[T]
    default: T
    description: str
    choices: tuple[T, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    format: Literal["text", "url", "path"] = "text"

    @property
    def allowed(self) -> str:
        """What values are allowed, in words an administrator can act on."""
        if self.choices:
            return "one of " + ", ".join(_toml_literal(choice) for choice in self.choices)
        if self.type is bool:
            return "true or false (1 or 0 in the registry)"
        if self.type is int:
            return f"a whole number from {self.minimum} to {self.maximum}"
        if self.format == "url":
            return 'an http:// or https:// URL, or "" for none'
        if self.format == "path":
            return 'an absolute file path, or "" for none'
        return "text"

    def check(self, raw: object) -> T:
        """Return ``raw`` as this setting's value, or raise ValueError saying what is allowed."""
        # bool is a subclass of int, so `true` would otherwise pass as the whole number 1.
        if isinstance(raw, bool) and self.type is not bool:
            raise ValueError(self.allowed)
        if not isinstance(raw, self.type):
            raise ValueError(self.allowed)
        if self.choices and raw not in self.choices:
            raise ValueError(self.allowed)
        if isinstance(raw, int) and not isinstance(raw, bool):
            too_low = self.minimum is not None and raw < self.minimum
            too_high = self.maximum is not None and raw > self.maximum
            if too_low or too_high:
                raise ValueError(self.allowed)
        if isinstance(raw, str) and raw:
            if self.format == "url" and not _is_http_url(raw):
                raise ValueError(self.allowed)
            if self.format == "path" and not os.path.isabs(raw):
                raise ValueError(self.allowed)
        return raw


AnySetting = Setting[str] | Setting[int] | Setting[bool]

SERVER_URL = Setting(
    "server_url", str, "", "Address of the Doorstep platform this client syncs with.", format="url"
)
TENANT = Setting("tenant", str, "", "The council's tenant name on the platform.")
PROXY = Setting(
    "proxy", str, "", "HTTP(S) proxy for reaching the platform; empty for none.", format="url"
)
CA_BUNDLE = Setting(
    "ca_bundle",
    str,
    "",
    "PEM file of extra CA certificates to trust, e.g. for a TLS-inspecting proxy.",
    format="path",
)
OFFLINE_GRACE_DAYS = Setting(
    "offline_grace_days",
    int,
    14,
    "Days the app keeps working without reaching the platform before it locks.",
    minimum=0,
    maximum=365,
)
UPDATE_POLICY = Setting(
    "update_policy",
    str,
    "notify",
    "What to do when a new version is available.",
    choices=("none", "notify", "automatic"),
)
LOG_LEVEL = Setting(
    "log_level",
    str,
    "INFO",
    "Least severe level written to the log.",
    choices=("DEBUG", "INFO", "WARNING", "ERROR"),
)
SYNC_INTERVAL_MINUTES = Setting(
    "sync_interval_minutes",
    int,
    10,
    "Minutes between background syncs while online.",
    minimum=1,
    maximum=1440,
)
LANGUAGE = Setting(
    "language",
    str,
    "",
    'Interface language: "en" English, "cy" Welsh, "" to follow the OS.',
    choices=("", "en", "cy"),
)
KEEP_CLOSED_CASES_DAYS = Setting(
    "keep_closed_cases_days",
    int,
    30,
    "Days a closed case stays on this device after it has synced.",
    minimum=0,
    maximum=365,
)
DEMO_MODE = Setting("demo_mode", bool, False, "Demonstration mode: accepts 999 test NHS numbers.")

SETTINGS: tuple[AnySetting, ...] = (
    SERVER_URL,
    TENANT,
    PROXY,
    CA_BUNDLE,
    OFFLINE_GRACE_DAYS,
    UPDATE_POLICY,
    LOG_LEVEL,
    SYNC_INTERVAL_MINUTES,
    LANGUAGE,
    KEEP_CLOSED_CASES_DAYS,
    DEMO_MODE,
)
_BY_NAME: dict[str, AnySetting] = {setting.name: setting for setting in SETTINGS}


class SettingRow(NamedTuple):
    """One setting described as text, ready to render into documentation."""

    name: str
    type: str
    default: str
    allowed: str
    description: str


_TYPE_LABELS: dict[type, str] = {str: "text", int: "whole number", bool: "true/false"}


def setting_rows() -> list[SettingRow]:
    """Describe every setting, in table order, for documentation."""
    return [
        SettingRow(
            name=setting.name,
            type=_TYPE_LABELS[setting.type],
            default=_toml_literal(setting.default),
            allowed=setting.allowed,
            description=setting.description,
        )
        for setting in SETTINGS
    ]


# --- Folders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paths:
    """The per-user folders Doorstep keeps its data, settings and logs in."""

    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        """The user's own settings file."""
        return self.config_dir / SETTINGS_FILE_NAME


def resolve_paths(env: Mapping[str, str] | None = None) -> Paths:
    """Per-user folders from the OS conventions, or all under $DOORSTEP_HOME when it is set."""
    env = os.environ if env is None else env
    home = env.get(HOME_ENV, "")
    if home:
        base = Path(home).expanduser().absolute()
        return Paths(data_dir=base, config_dir=base / "config", log_dir=base / "logs")
    return Paths(
        data_dir=platformdirs.user_data_path(APP_NAME, APP_NAME),
        config_dir=platformdirs.user_config_path(APP_NAME, APP_NAME),
        log_dir=platformdirs.user_log_path(APP_NAME, APP_NAME),
    )


# --- Machine-wide sources -----------------------------------------------------------------

_registry_reader: RegistryReader | None = None

if sys.platform == "win32":
    import winreg

    def _read_policy_registry() -> dict[str, object]:
        """Read the values under HKLM\\SOFTWARE\\Policies\\Doorstep; empty if it is absent."""
        try:
            # Group Policy writes the 64-bit view; ask for it even from a 32-bit Python.
            key = winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE,
                r"SOFTWARE\Policies\Doorstep",
                0,
                winreg.KEY_READ | winreg.KEY_WOW64_64KEY,
            )
        except FileNotFoundError:
            return {}
        values: dict[str, object] = {}
        with key:
            for index in range(winreg.QueryInfoKey(key)[1]):
                name, value, kind = winreg.EnumValue(key, index)
                if kind == winreg.REG_EXPAND_SZ and isinstance(value, str):
                    value = winreg.ExpandEnvironmentStrings(value)
                values[name] = value
        return values

    _registry_reader = _read_policy_registry


@dataclass(frozen=True)
class ConfigSources:
    """Where machine config and policy come from; tests pass their own files and registry."""

    machine_config: Path | None
    policy_file: Path | None
    registry_reader: RegistryReader | None = None

    @classmethod
    def for_platform(
        cls, platform: str = sys.platform, env: Mapping[str, str] | None = None
    ) -> ConfigSources:
        """The standard locations for ``platform`` (a ``sys.platform`` value)."""
        env = os.environ if env is None else env
        if platform == "win32":
            base = Path(env.get("ProgramData") or r"C:\ProgramData") / APP_NAME
            reader = _registry_reader
        elif platform == "darwin":
            base = Path("/Library/Application Support") / APP_NAME
            reader = None
        else:
            base = Path("/etc/doorstep")
            reader = None
        return cls(base / "config.toml", base / "policy.toml", reader)


# --- Resolved settings --------------------------------------------------------------------


class Settings:
    """Effective settings: policy, then the user's own, then machine config, then defaults."""

    def __init__(
        self,
        paths: Paths,
        layers: Mapping[Source, Mapping[str, tuple[Value, str]]],
        user_file_contents: Mapping[str, object],
    ) -> None:
        self.paths = paths
        # Each layer maps a setting name to (value, where it was read from).
        self._layers: dict[Source, dict[str, tuple[Value, str]]] = {
            source: dict(layers.get(source, {})) for source in ("policy", "user", "machine")
        }
        # Kept whole so unknown keys (e.g. from a newer version) survive a save.
        self._user_file_contents = dict(user_file_contents)

    @overload
    def get(self, key: Setting[T]) -> T: ...
    @overload
    def get(self, key: str) -> Value: ...
    def get(self, key: Setting[Any] | str) -> Any:
        """The effective value of a setting."""
        name = _lookup(key).name
        for layer in self._layers.values():
            if name in layer:
                return layer[name][0]
        return _BY_NAME[name].default

    def source(self, key: AnySetting | str) -> Source:
        """Which source the effective value comes from."""
        name = _lookup(key).name
        for source, layer in self._layers.items():
            if name in layer:
                return source
        return "default"

    def is_locked(self, key: AnySetting | str) -> bool:
        """Whether policy sets this setting, so the user cannot change it."""
        return _lookup(key).name in self._layers["policy"]

    @overload
    def set_user(self, key: Setting[T], value: T) -> None: ...
    @overload
    def set_user(self, key: str, value: Value) -> None: ...
    def set_user(self, key: Setting[Any] | str, value: Value) -> None:
        """Validate and save the user's own value; raises LockedSettingError if policy sets it."""
        setting = _lookup(key)
        self._refuse_if_locked(setting.name)
        settings_file = str(self.paths.settings_file)
        checked = _check(setting, value, settings_file)
        contents = {**self._user_file_contents, setting.name: checked}
        _write_toml_atomically(self.paths.settings_file, contents)
        self._user_file_contents = contents
        self._layers["user"][setting.name] = (checked, settings_file)

    def reset_user(self, key: AnySetting | str) -> None:
        """Remove the user's own value so machine config or the default applies again."""
        setting = _lookup(key)
        self._refuse_if_locked(setting.name)
        if setting.name not in self._user_file_contents:
            return
        contents = {k: v for k, v in self._user_file_contents.items() if k != setting.name}
        _write_toml_atomically(self.paths.settings_file, contents)
        self._user_file_contents = contents
        self._layers["user"].pop(setting.name, None)

    def _refuse_if_locked(self, name: str) -> None:
        if name in self._layers["policy"]:
            origin = self._layers["policy"][name][1]
            raise LockedSettingError(
                name, f"is locked by policy ({origin}) and cannot be changed", origin=origin
            )


def load_settings(
    sources: ConfigSources | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Read every source and resolve the effective settings; raises ConfigError on bad input."""
    env = os.environ if env is None else env
    sources = ConfigSources.for_platform(env=env) if sources is None else sources
    paths = resolve_paths(env)

    machine = _read_file_layer(sources.machine_config)
    user_contents = _read_toml(paths.settings_file) or {}
    user = _parse_layer(user_contents, str(paths.settings_file))
    policy = _read_file_layer(sources.policy_file)
    if sources.registry_reader is not None:
        # The registry is where Group Policy puts values, so it wins over policy.toml.
        policy.update(_parse_layer(_read_registry(sources.registry_reader), POLICY_REGISTRY_KEY))

    return Settings(paths, {"policy": policy, "user": user, "machine": machine}, user_contents)


# --- Helpers ------------------------------------------------------------------------------


def _lookup(key: Setting[Any] | str) -> AnySetting:
    name = key if isinstance(key, str) else key.name
    try:
        return _BY_NAME[name]
    except KeyError:
        raise SettingError(name, "is not a Doorstep setting") from None


def _check(setting: AnySetting, raw: object, origin: str) -> Value:
    try:
        return setting.check(raw)
    except ValueError:
        got = _describe(_redact(raw) if setting.format == "url" else raw)
        raise SettingError(
            setting.name, f"must be {setting.allowed}, not {got}", origin=origin
        ) from None


def _parse_layer(raw: Mapping[str, object], origin: str) -> dict[str, tuple[Value, str]]:
    values: dict[str, tuple[Value, str]] = {}
    for name, value in raw.items():
        setting = _BY_NAME.get(name)
        if setting is None:
            # A newer version's key, or a typo: worth telling the admin, not worth refusing to run.
            logger.warning("%s: ignoring unknown setting '%s'", origin, name)
            continue
        values[name] = (_check(setting, value, origin), origin)
    return values


def _read_file_layer(path: Path | None) -> dict[str, tuple[Value, str]]:
    if path is None:
        return {}
    return _parse_layer(_read_toml(path) or {}, str(path))


def _read_toml(path: Path) -> dict[str, Any] | None:
    """The parsed file, or None when it does not exist (every file is optional)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror or exc}", origin=str(path)) from exc
    try:
        # utf-8-sig because Windows Notepad may save a byte-order mark, which TOML rejects.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8 text; save it as UTF-8", origin=str(path)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"is not valid TOML: {exc}", origin=str(path)) from None


def _read_registry(reader: RegistryReader) -> dict[str, object]:
    try:
        raw = reader()
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc}", origin=POLICY_REGISTRY_KEY) from exc
    values: dict[str, object] = {}
    for name, value in raw.items():
        # Registry value names are case-insensitive, so "Server_URL" means server_url.
        key = name.lower()
        setting = _BY_NAME.get(key)
        # The registry has no boolean type; Group Policy stores on/off as a DWORD 1/0.
        if setting is not None and setting.type is bool and type(value) is int and value in (0, 1):
            value = bool(value)
        values[key] = value
    return values


def _write_toml_atomically(path: Path, contents: Mapping[str, object]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target then renamed, so a crash never leaves a half-written file.
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ConfigError(f"cannot be saved: {exc.strerror or exc}", origin=str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(tomli_w.dumps(dict(contents)).encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException as exc:
        Path(temp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ConfigError(f"cannot be saved: {exc.strerror or exc}", origin=str(path)) from exc
        raise


def _is_http_url(text: str) -> bool:
    if any(char.isspace() for char in text):
        return False
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _redact(raw: object) -> object:
    # A proxy URL may carry a password (itself perhaps holding "@" or "/", or missing its
    # scheme), and error messages end up in logs and diagnostics: hide all before the last "@".
    if isinstance(raw, str) and "@" in raw:
        return "***@" + raw.rpartition("@")[2]
    return raw


def _describe(raw: object) -> str:
    if isinstance(raw, str | int | float):
        return _toml_literal(raw)
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, dict):
        return "a table"
    return f"a {type(raw).__name__}"


def _toml_literal(value: Value | float) -> str:
    return tomli_w.dumps({"v": value}).partition("=")[2].strip()
