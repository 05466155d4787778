"""doorstep machine-config: what the MSI runs to turn its public properties into config.toml."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

from app.cli import Context, main
from app.config import TENANT, ConfigSources, load_settings


def run(argv: list[str], ctx: Context) -> tuple[int, str, str]:
    ctx.out, ctx.err = io.StringIO(), io.StringIO()
    code = main(argv, ctx)
    assert isinstance(ctx.out, io.StringIO)
    assert isinstance(ctx.err, io.StringIO)
    return code, ctx.out.getvalue(), ctx.err.getvalue()


def ctx_for(tmp_path: Path) -> Context:
    return Context(
        env={"DOORSTEP_HOME": str(tmp_path / "home")},
        out=io.StringIO(),
        err=io.StringIO(),
        config_sources=ConfigSources(tmp_path / "ProgramData" / "config.toml", None),
    )


def test_msi_properties_become_typed_machine_settings(tmp_path: Path) -> None:
    ctx = ctx_for(tmp_path)
    argv = [
        "machine-config",
        "--set=server_url=https://doorstep.council.example",
        "--set=tenant=northshire",
        "--set=proxy=",
        "--set=ca_bundle=",
        "--set=update_policy=none",
        "--set=offline_grace_days=7",
    ]
    code, _, err = run(argv, ctx)
    assert (code, err) == (0, ""), err
    written = tomllib.loads((tmp_path / "ProgramData" / "config.toml").read_text())
    assert written == {
        "server_url": "https://doorstep.council.example",
        "tenant": "northshire",
        "update_policy": "none",
        "offline_grace_days": 7,
    }
    settings = load_settings(ctx.config_sources, ctx.env)
    assert settings.get(TENANT) == "northshire"
    assert settings.source(TENANT) == "machine"


def test_an_upgrade_without_properties_keeps_the_config(tmp_path: Path) -> None:
    ctx = ctx_for(tmp_path)
    assert run(["machine-config", "--set=tenant=northshire"], ctx)[0] == 0
    code, out, _ = run(["machine-config", "--set=tenant=", "--set=server_url="], ctx)
    assert code == 0
    assert "nothing changed" in out
    written = tomllib.loads((tmp_path / "ProgramData" / "config.toml").read_text())
    assert written == {"tenant": "northshire"}


def test_a_bad_value_names_the_key_and_writes_nothing(tmp_path: Path) -> None:
    ctx = ctx_for(tmp_path)
    code, _, err = run(["machine-config", "--set=offline_grace_days=forever"], ctx)
    assert code == 1
    assert "offline_grace_days" in err
    assert "whole number from 0 to 365" in err
    code, _, err = run(["machine-config", "--set=update_policy=sometimes"], ctx)
    assert code == 1
    assert "update_policy" in err
    code, _, err = run(["machine-config", "--set=colour=blue"], ctx)
    assert code == 1
    assert "'colour' is not a Doorstep setting" in err
    assert not (tmp_path / "ProgramData" / "config.toml").exists()
