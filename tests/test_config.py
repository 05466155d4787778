"""Tests for settings resolution: folders, sources, precedence, policy locks and validation."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import platformdirs
import pytest

from app.config import (
    DEMO_MODE,
    LOG_LEVEL,
    OFFLINE_GRACE_DAYS,
    POLICY_REGISTRY_KEY,
    SERVER_URL,
    SETTINGS,
    ConfigError,
    ConfigSources,
    LockedSettingError,
    RegistryReader,
    SettingError,
    Settings,
    load_settings,
    resolve_paths,
    setting_rows,
)


class Layout:
    """A machine's worth of config files under tmp_path, with DOORSTEP_HOME pointing at it."""

    def __init__(self, root: Path) -> None:
        self.home = root / "home"
        self.machine = root / "etc" / "config.toml"
        self.policy = root / "etc" / "policy.toml"
        self.user = self.home / "config" / "settings.toml"
        self.env = {"DOORSTEP_HOME": str(self.home)}
        self.registry: RegistryReader | None = None

    def write(self, path: Path, text: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def sources(self) -> ConfigSources:
        return ConfigSources(self.machine, self.policy, self.registry)

    def load(self) -> Settings:
        return load_settings(self.sources(), env=self.env)


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    return Layout(tmp_path)


# --- Folders ------------------------------------------------------------------------------


def test_doorstep_home_redirects_every_folder(tmp_path: Path) -> None:
    paths = resolve_paths({"DOORSTEP_HOME": str(tmp_path / "client-b")})
    assert paths.data_dir == tmp_path / "client-b"
    assert paths.config_dir == tmp_path / "client-b" / "config"
    assert paths.log_dir == tmp_path / "client-b" / "logs"
    assert paths.settings_file == tmp_path / "client-b" / "config" / "settings.toml"


@pytest.mark.parametrize("env", [{}, {"DOORSTEP_HOME": ""}])
def test_without_doorstep_home_folders_follow_platform_conventions(env: dict[str, str]) -> None:
    paths = resolve_paths(env)
    assert paths.data_dir == platformdirs.user_data_path("Doorstep", "Doorstep")
    assert paths.config_dir == platformdirs.user_config_path("Doorstep", "Doorstep")
    assert paths.log_dir == platformdirs.user_log_path("Doorstep", "Doorstep")


def test_user_settings_are_read_from_doorstep_home(layout: Layout) -> None:
    layout.write(layout.user, 'tenant = "client-b"\n')
    assert layout.load().get("tenant") == "client-b"


def test_platform_sources_use_etc_on_linux() -> None:
    sources = ConfigSources.for_platform("linux", env={})
    assert sources.machine_config == Path("/etc/doorstep/config.toml")
    assert sources.policy_file == Path("/etc/doorstep/policy.toml")
    assert sources.registry_reader is None


def test_platform_sources_use_programdata_on_windows() -> None:
    sources = ConfigSources.for_platform("win32", env={"ProgramData": "D:\\PD"})
    assert sources.machine_config is not None
    assert sources.policy_file is not None
    assert str(sources.machine_config).startswith("D:\\PD")
    assert sources.machine_config.parts[-2:] == ("Doorstep", "config.toml")
    assert sources.policy_file.parts[-2:] == ("Doorstep", "policy.toml")


def test_platform_sources_on_macos() -> None:
    sources = ConfigSources.for_platform("darwin", env={})
    assert sources.machine_config == Path("/Library/Application Support/Doorstep/config.toml")


# --- Precedence ---------------------------------------------------------------------------


def test_defaults_apply_when_no_file_exists(layout: Layout) -> None:
    settings = layout.load()
    for setting in SETTINGS:
        assert settings.get(setting.name) == setting.default
        assert settings.source(setting.name) == "default"
        assert not settings.is_locked(setting.name)


def test_machine_beats_default(layout: Layout) -> None:
    layout.write(layout.machine, "offline_grace_days = 3\n")
    settings = layout.load()
    assert settings.get(OFFLINE_GRACE_DAYS) == 3
    assert settings.source(OFFLINE_GRACE_DAYS) == "machine"


def test_user_beats_machine(layout: Layout) -> None:
    layout.write(layout.machine, 'log_level = "WARNING"\n')
    layout.write(layout.user, 'log_level = "DEBUG"\n')
    settings = layout.load()
    assert settings.get(LOG_LEVEL) == "DEBUG"
    assert settings.source(LOG_LEVEL) == "user"


def test_policy_beats_user(layout: Layout) -> None:
    layout.write(layout.user, 'log_level = "DEBUG"\n')
    layout.write(layout.policy, 'log_level = "ERROR"\n')
    settings = layout.load()
    assert settings.get(LOG_LEVEL) == "ERROR"
    assert settings.source(LOG_LEVEL) == "policy"


def test_policy_beats_machine(layout: Layout) -> None:
    layout.write(layout.machine, 'server_url = "https://machine.example"\n')
    layout.write(layout.policy, 'server_url = "https://policy.example"\n')
    settings = layout.load()
    assert settings.get(SERVER_URL) == "https://policy.example"
    assert settings.source(SERVER_URL) == "policy"


def test_policy_beats_default(layout: Layout) -> None:
    layout.write(layout.policy, "demo_mode = true\n")
    settings = layout.load()
    assert settings.get(DEMO_MODE) is True
    assert settings.source(DEMO_MODE) == "policy"


def test_sources_apply_per_key(layout: Layout) -> None:
    layout.write(layout.machine, 'tenant = "m"\nproxy = "http://proxy.m:8080"\n')
    layout.write(layout.user, 'tenant = "u"\n')
    settings = layout.load()
    assert (settings.get("tenant"), settings.source("tenant")) == ("u", "user")
    assert (settings.get("proxy"), settings.source("proxy")) == ("http://proxy.m:8080", "machine")
    assert settings.source("language") == "default"


# --- Locks --------------------------------------------------------------------------------


def test_policy_keys_are_reported_locked_and_others_are_not(layout: Layout) -> None:
    layout.write(layout.policy, 'update_policy = "none"\n')
    layout.write(layout.user, "sync_interval_minutes = 5\n")
    settings = layout.load()
    assert settings.is_locked("update_policy")
    assert not settings.is_locked("sync_interval_minutes")
    assert not settings.is_locked(LOG_LEVEL)


def test_set_user_refuses_a_locked_key_and_leaves_the_file_alone(layout: Layout) -> None:
    layout.write(layout.policy, 'update_policy = "none"\n')
    settings = layout.load()
    with pytest.raises(LockedSettingError) as caught:
        settings.set_user("update_policy", "automatic")
    assert caught.value.key == "update_policy"
    assert "update_policy" in str(caught.value)
    assert "policy" in caught.value.message
    assert settings.get("update_policy") == "none"
    assert not layout.user.exists()


def test_reset_user_refuses_a_locked_key(layout: Layout) -> None:
    layout.write(layout.policy, "demo_mode = false\n")
    with pytest.raises(LockedSettingError):
        layout.load().reset_user(DEMO_MODE)


# --- Saving -------------------------------------------------------------------------------


def test_set_user_persists_and_round_trips(layout: Layout) -> None:
    layout.write(layout.machine, "keep_closed_cases_days = 60\n")
    settings = layout.load()
    settings.set_user("keep_closed_cases_days", 7)
    settings.set_user(SERVER_URL, "https://doorstep.example.gov.uk")
    settings.set_user(DEMO_MODE, True)
    assert settings.get("keep_closed_cases_days") == 7
    assert settings.source("keep_closed_cases_days") == "user"

    reloaded = layout.load()
    assert reloaded.get("keep_closed_cases_days") == 7
    assert reloaded.source("keep_closed_cases_days") == "user"
    assert reloaded.get(SERVER_URL) == "https://doorstep.example.gov.uk"
    assert reloaded.get(DEMO_MODE) is True


def test_set_user_leaves_no_temporary_files(layout: Layout) -> None:
    settings = layout.load()
    settings.set_user("language", "cy")
    settings.set_user("language", "en")
    assert sorted(p.name for p in layout.user.parent.iterdir()) == ["settings.toml"]


def test_failed_save_names_the_file_cleans_up_and_keeps_the_old_value(layout: Layout) -> None:
    settings = layout.load()
    layout.user.mkdir(parents=True)  # something in the way that os.replace cannot overwrite
    (layout.user / "blocker").touch()
    with pytest.raises(ConfigError) as caught:
        settings.set_user("tenant", "t")
    assert str(layout.user) in str(caught.value)
    assert settings.get("tenant") == ""
    assert sorted(p.name for p in layout.user.parent.iterdir()) == ["settings.toml"]


def test_set_user_keeps_unknown_keys_written_by_another_version(
    layout: Layout, caplog: pytest.LogCaptureFixture
) -> None:
    layout.write(layout.user, 'future_setting = "keep me"\n')
    with caplog.at_level(logging.WARNING, logger="app.config"):
        layout.load().set_user("tenant", "t")
    text = layout.user.read_text(encoding="utf-8")
    assert 'future_setting = "keep me"' in text
    assert 'tenant = "t"' in text


def test_set_user_rejects_a_bad_value_without_saving(layout: Layout) -> None:
    settings = layout.load()
    with pytest.raises(SettingError) as caught:
        settings.set_user("offline_grace_days", 400)
    assert caught.value.key == "offline_grace_days"
    assert "from 0 to 365" in caught.value.message
    assert settings.get(OFFLINE_GRACE_DAYS) == 14
    assert not layout.user.exists()


def test_set_user_rejects_an_unknown_key(layout: Layout) -> None:
    with pytest.raises(SettingError) as caught:
        layout.load().set_user("colour", "blue")
    assert caught.value.key == "colour"


def test_reset_user_falls_back_to_machine_and_persists(layout: Layout) -> None:
    layout.write(layout.machine, 'language = "cy"\n')
    layout.write(layout.user, 'language = "en"\n')
    settings = layout.load()
    settings.reset_user("language")
    assert (settings.get("language"), settings.source("language")) == ("cy", "machine")
    assert layout.load().source("language") == "machine"


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key", "allowed"),
    [
        ("offline_grace_days = 400", "offline_grace_days", "a whole number from 0 to 365"),
        ("offline_grace_days = -1", "offline_grace_days", "a whole number from 0 to 365"),
        ('offline_grace_days = "14"', "offline_grace_days", "a whole number from 0 to 365"),
        ("offline_grace_days = 1.5", "offline_grace_days", "a whole number from 0 to 365"),
        ("offline_grace_days = true", "offline_grace_days", "a whole number from 0 to 365"),
        ('server_url = "doorstep.example"', "server_url", "http:// or https:// URL"),
        ('server_url = "ftp://doorstep.example"', "server_url", "http:// or https:// URL"),
        ('proxy = "http://"', "proxy", "http:// or https:// URL"),
        ('proxy = "http://proxy:99999"', "proxy", "http:// or https:// URL"),
        ('ca_bundle = "certs/ca.pem"', "ca_bundle", "absolute file path"),
        ('update_policy = "sometimes"', "update_policy", '"none", "notify", "automatic"'),
        ('log_level = "info"', "log_level", '"DEBUG", "INFO", "WARNING", "ERROR"'),
        ('language = "fr"', "language", '"", "en", "cy"'),
        ("sync_interval_minutes = 0", "sync_interval_minutes", "from 1 to 1440"),
        ('demo_mode = "yes"', "demo_mode", "true or false"),
        ("tenant = 3", "tenant", "text"),
    ],
)
@pytest.mark.parametrize("which", ["machine", "user", "policy"])
def test_bad_values_name_the_file_the_key_and_what_is_allowed(
    layout: Layout, which: str, line: str, key: str, allowed: str
) -> None:
    path = layout.write(getattr(layout, which), line + "\n")
    with pytest.raises(SettingError) as caught:
        layout.load()
    assert caught.value.key == key
    assert caught.value.origin == str(path)
    assert str(path) in str(caught.value)
    assert key in str(caught.value)
    assert allowed in str(caught.value)


@pytest.mark.parametrize(
    "proxy",
    ["socks5://user:hunter2@proxy", "user:hunter2@proxy:8080", "http://u:hunter2@x@proxy y"],
)
def test_bad_proxy_url_error_does_not_echo_a_password(layout: Layout, proxy: str) -> None:
    layout.write(layout.machine, f'proxy = "{proxy}"\n')
    with pytest.raises(SettingError) as caught:
        layout.load()
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("which", ["machine", "user", "policy"])
def test_invalid_toml_names_the_file(layout: Layout, which: str) -> None:
    path = layout.write(getattr(layout, which), "offline_grace_days = \n")
    with pytest.raises(ConfigError) as caught:
        layout.load()
    assert caught.value.origin == str(path)
    assert str(path) in str(caught.value)
    assert "not valid TOML" in str(caught.value)


def test_non_utf8_file_names_the_file(layout: Layout) -> None:
    # PowerShell 5's Out-File writes UTF-16 by default.
    layout.machine.parent.mkdir(parents=True)
    layout.machine.write_text('tenant = "x"\n', encoding="utf-16")
    with pytest.raises(ConfigError) as caught:
        layout.load()
    assert str(layout.machine) in str(caught.value)
    assert "UTF-8" in str(caught.value)


def test_utf8_byte_order_mark_is_accepted(layout: Layout) -> None:
    layout.machine.parent.mkdir(parents=True)
    layout.machine.write_text('tenant = "bom"\n', encoding="utf-8-sig")
    assert layout.load().get("tenant") == "bom"


def test_unreadable_config_path_names_the_file(layout: Layout) -> None:
    layout.machine.mkdir(parents=True)  # a directory where the file should be
    with pytest.raises(ConfigError) as caught:
        layout.load()
    assert str(layout.machine) in str(caught.value)


def test_unknown_keys_are_logged_as_warnings_not_errors(
    layout: Layout, caplog: pytest.LogCaptureFixture
) -> None:
    layout.write(layout.machine, 'tenant = "t"\nofline_grace_days = 3\n')
    with caplog.at_level(logging.WARNING, logger="app.config"):
        settings = layout.load()
    assert settings.get("tenant") == "t"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("ofline_grace_days" in m and str(layout.machine) in m for m in warnings)


# --- Registry -----------------------------------------------------------------------------


def fake_registry(values: Mapping[str, object]) -> RegistryReader:
    return lambda: values


def test_registry_policy_is_read_locked_and_coerced(layout: Layout) -> None:
    layout.registry = fake_registry(
        {"Server_URL": "https://reg.example", "demo_mode": 0, "offline_grace_days": 7}
    )
    settings = layout.load()
    assert settings.get(SERVER_URL) == "https://reg.example"
    assert settings.get(DEMO_MODE) is False
    assert settings.get(OFFLINE_GRACE_DAYS) == 7
    assert all(settings.is_locked(k) for k in ("server_url", "demo_mode", "offline_grace_days"))
    with pytest.raises(LockedSettingError) as caught:
        settings.set_user(SERVER_URL, "https://mine.example")
    assert POLICY_REGISTRY_KEY in str(caught.value)


def test_registry_beats_policy_file_and_user(layout: Layout) -> None:
    layout.write(layout.policy, 'log_level = "ERROR"\n')
    layout.write(layout.user, 'log_level = "DEBUG"\n')
    layout.registry = fake_registry({"log_level": "WARNING"})
    settings = layout.load()
    assert (settings.get(LOG_LEVEL), settings.source(LOG_LEVEL)) == ("WARNING", "policy")


def test_bad_registry_value_names_the_registry_key(layout: Layout) -> None:
    layout.registry = fake_registry({"offline_grace_days": 1000})
    with pytest.raises(SettingError) as caught:
        layout.load()
    assert caught.value.key == "offline_grace_days"
    assert POLICY_REGISTRY_KEY in str(caught.value)


def test_registry_read_failure_is_a_config_error(layout: Layout) -> None:
    def broken() -> Mapping[str, object]:
        raise PermissionError("Access is denied")

    layout.registry = broken
    with pytest.raises(ConfigError) as caught:
        layout.load()
    assert POLICY_REGISTRY_KEY in str(caught.value)


# --- The table ----------------------------------------------------------------------------


def test_setting_rows_describe_every_setting_once() -> None:
    rows = setting_rows()
    names = [row.name for row in rows]
    assert names == [s.name for s in SETTINGS]
    assert len(set(names)) == len(names) == 11
    assert all(row.description and row.allowed and row.type for row in rows)
    by_name = {row.name: row for row in rows}
    assert by_name["offline_grace_days"].default == "14"
    assert by_name["update_policy"].default == '"notify"'
    assert by_name["demo_mode"].default == "false"


def test_every_default_is_an_allowed_value() -> None:
    for setting in SETTINGS:
        assert setting.check(setting.default) == setting.default
