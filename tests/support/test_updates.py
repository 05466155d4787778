"""Update notices: the platform's offered version, compared as numbers; policy none asks nothing."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest

from app.cli import Context, main
from app.config import ConfigSources
from app.support.commands import update_notice
from app.support.updates import check_for_update, version_key
from tests.fakes import FakeVault
from tests.support.conftest import OFFERED_VERSION, TlsPlatform


def ctx_for(tmp_path: Path, machine: str) -> Context:
    (tmp_path / "machine.toml").write_text(machine)
    return Context(
        env={"DOORSTEP_HOME": str(tmp_path / "home")},
        out=io.StringIO(),
        err=io.StringIO(),
        config_sources=ConfigSources(tmp_path / "machine.toml", None),
    )


@pytest.mark.parametrize(
    ("older", "newer"), [("0.1.0", "0.2.0"), ("1.9", "1.10"), ("1.2.9", "1.3"), ("1", "1.0.1")]
)
def test_versions_compare_as_numbers(older: str, newer: str) -> None:
    assert version_key(older) < version_key(newer)


def test_trailing_zeros_are_the_same_version() -> None:
    assert version_key("1.2") == version_key("1.2.0")


def test_notify_tells_of_a_newer_version(tmp_path: Path, tls_platform: TlsPlatform) -> None:
    ctx = ctx_for(tmp_path, f'ca_bundle = "{tls_platform.ca_file}"\n')
    notice = update_notice(ctx, tls_platform.url)
    assert notice.state == "available"
    assert notice.offered == OFFERED_VERSION
    assert "IT team installs updates" in notice.message


def test_same_version_is_current(tmp_path: Path, tls_platform: TlsPlatform) -> None:
    ctx = ctx_for(tmp_path, f'ca_bundle = "{tls_platform.ca_file}"\n')
    with ctx.http_client(tls_platform.url, ctx.settings()) as client:
        notice = check_for_update("automatic", client, installed=OFFERED_VERSION)
    assert (notice.state, notice.offered) == ("current", OFFERED_VERSION)


def test_policy_none_never_contacts_the_platform(tmp_path: Path) -> None:
    asked: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200, json={"version": "99.0"})

    ctx = ctx_for(tmp_path, 'update_policy = "none"\n')
    ctx.http_client = lambda url, _s: httpx.Client(
        base_url=url, transport=httpx.MockTransport(handler)
    )
    notice = update_notice(ctx, "https://platform.example")
    assert notice.state == "off"
    assert asked == []


def test_a_malformed_answer_is_unknown_not_an_error() -> None:
    transport = httpx.MockTransport(lambda _r: httpx.Response(200, json={"version": "soon"}))
    with httpx.Client(base_url="https://p.example", transport=transport) as client:
        notice = check_for_update("notify", client)
    assert notice.state == "unknown"


def test_status_prints_the_update_line_and_survives_a_bad_config(tmp_path: Path) -> None:
    vault = FakeVault()
    ctx = ctx_for(tmp_path, 'update_policy = "none"\n')
    ctx.keyring = lambda: vault
    assert main_run(["import-demo", "--persons", "2"], ctx)[0] == 0
    code, out = main_run(["status"], ctx)
    assert code == 0
    assert "Updates:         Update checks are off by policy." in out

    (tmp_path / "machine.toml").write_text('update_policy = "sometimes"\n')
    code, out = main_run(["status"], ctx)
    assert code == 0
    assert "Not checked: the configuration cannot be used." in out


def main_run(argv: list[str], ctx: Context) -> tuple[int, str]:
    ctx.out, ctx.err = io.StringIO(), io.StringIO()
    code = main(argv, ctx)
    assert isinstance(ctx.out, io.StringIO)
    return code, ctx.out.getvalue()
