"""The diagnostics' config report shows each key's effective value, its source and its lock."""

from __future__ import annotations

from pathlib import Path

from app.config import ConfigSources, load_settings
from app.support.diagnostics import config_report


def test_report_follows_policy_user_machine_default_precedence(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    machine, policy = tmp_path / "config.toml", tmp_path / "policy.toml"
    machine.write_text('tenant = "machine-t"\nlog_level = "ERROR"\nupdate_policy = "none"\n')
    (home / "config" / "settings.toml").write_text(
        'log_level = "DEBUG"\nupdate_policy = "notify"\n'
    )
    policy.write_text('update_policy = "automatic"\n')
    sources = ConfigSources(machine, policy, registry_reader=lambda: {"Tenant": "registry-t"})
    settings = load_settings(sources, {"DOORSTEP_HOME": str(home)})

    report = config_report(settings, sources, None)
    assert isinstance(report, dict)
    values = report["settings"]
    assert values["tenant"] == {"value": "registry-t", "source": "policy", "locked": True}
    assert values["update_policy"] == {"value": "automatic", "source": "policy", "locked": True}
    assert values["log_level"] == {"value": "DEBUG", "source": "user", "locked": False}
    assert values["offline_grace_days"] == {"value": 14, "source": "default", "locked": False}
    assert report["registry_policy"] is True


def test_report_of_an_unusable_config_names_the_problem_without_secrets(tmp_path: Path) -> None:
    sources = ConfigSources(tmp_path / "config.toml", None)
    report = config_report(
        None, sources, "config.toml: setting 'proxy' must be a URL, not 'http://u:S3cretPw@p:1'"
    )
    assert isinstance(report, dict)
    assert "S3cretPw" not in str(report["error"])
    assert "settings" not in report
