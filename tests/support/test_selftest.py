"""doorstep self-test against a real platform over real TLS, a dead proxy and a real store."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.cli import Context, main
from app.config import ConfigSources
from app.store.keys import SessionKeyring
from tests.fakes import FakeVault
from tests.support.conftest import OFFERED_VERSION, TlsPlatform, free_port


def run(argv: list[str], ctx: Context) -> tuple[int, str, str]:
    ctx.out, ctx.err = io.StringIO(), io.StringIO()
    code = main(argv, ctx)
    assert isinstance(ctx.out, io.StringIO)
    assert isinstance(ctx.err, io.StringIO)
    return code, ctx.out.getvalue(), ctx.err.getvalue()


def make_ctx(tmp_path: Path, machine: str = "", policy: str = "", vault: object = None) -> Context:
    (tmp_path / "machine.toml").write_text(machine)
    (tmp_path / "policy.toml").write_text(policy)
    backend = FakeVault() if vault is None else vault
    return Context(
        env={"DOORSTEP_HOME": str(tmp_path / "home")},
        out=io.StringIO(),
        err=io.StringIO(),
        keyring=lambda: backend,  # type: ignore[return-value,arg-type]
        config_sources=ConfigSources(tmp_path / "machine.toml", tmp_path / "policy.toml"),
    )


def statuses(out: str) -> dict[str, str]:
    report = json.loads(out)
    return {check["name"]: check["status"] for check in report["checks"]}


def test_trusted_platform_passes_and_offers_the_newer_version(
    tmp_path: Path, tls_platform: TlsPlatform
) -> None:
    ctx = make_ctx(
        tmp_path,
        machine=f'server_url = "{tls_platform.url}"\nca_bundle = "{tls_platform.ca_file}"\n',
    )
    code, out, err = run(["self-test", "--json"], ctx)
    assert err == ""
    assert code == 0, out
    assert statuses(out) == {
        "configuration": "pass",
        "keyring": "pass",
        "store": "skip",
        "proxy": "pass",
        "tls": "pass",
        "platform": "pass",
        "updates": "warn",
    }
    updates = next(c for c in json.loads(out)["checks"] if c["name"] == "updates")
    assert f"Version {OFFERED_VERSION} is available" in updates["detail"]


def test_untrusted_certificate_fails_tls_and_says_what_to_do(
    tmp_path: Path, tls_platform: TlsPlatform
) -> None:
    ctx = make_ctx(tmp_path, machine=f'server_url = "{tls_platform.url}"\n')
    code, out, _ = run(["self-test"], ctx)
    assert code == 1
    assert "FAIL  tls" in out
    assert "set ca_bundle" in out
    assert "FAIL  platform" in out
    assert out.rstrip().endswith("Result: FAIL (tls, platform)")


def test_update_policy_none_asks_nothing(tmp_path: Path, tls_platform: TlsPlatform) -> None:
    ctx = make_ctx(
        tmp_path,
        machine=f'server_url = "{tls_platform.url}"\nca_bundle = "{tls_platform.ca_file}"\n',
        policy='update_policy = "none"\n',
    )
    code, out, _ = run(["self-test", "--json"], ctx)
    assert code == 0
    assert statuses(out)["updates"] == "skip"
    assert "locked by policy: update_policy" in out


def test_nothing_listening_fails_honestly_and_offline_passes(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, machine=f'server_url = "https://127.0.0.1:{free_port()}"\n')
    code, out, _ = run(["self-test", "--json"], ctx)
    assert code == 1
    assert statuses(out)["platform"] == "fail"
    assert json.loads(out)["passed"] is False

    code, out, _ = run(["self-test", "--json", "--offline"], ctx)
    assert code == 0
    assert statuses(out)["platform"] == "skip"
    assert json.loads(out)["offline"] is True


def test_dead_proxy_fails_the_proxy_check(tmp_path: Path, tls_platform: TlsPlatform) -> None:
    ctx = make_ctx(
        tmp_path,
        machine=f'server_url = "{tls_platform.url}"\nca_bundle = "{tls_platform.ca_file}"\n'
        f'proxy = "http://alice:Pr0xyPassw0rd@127.0.0.1:{free_port()}"\n',
    )
    code, out, _ = run(["self-test"], ctx)
    assert code == 1
    assert "FAIL  proxy" in out
    assert "Pr0xyPassw0rd" not in out
    assert "FAIL  platform" in out


def test_missing_ca_bundle_is_a_tls_failure(tmp_path: Path, tls_platform: TlsPlatform) -> None:
    missing = tmp_path / "no-such-ca.pem"
    ctx = make_ctx(
        tmp_path, machine=f'server_url = "{tls_platform.url}"\nca_bundle = "{missing}"\n'
    )
    code, out, _ = run(["self-test", "--json"], ctx)
    assert code == 1
    assert statuses(out)["tls"] == "fail"
    assert "does not exist" in out


def test_bad_config_fails_but_still_reports_the_rest(tmp_path: Path) -> None:
    ctx = make_ctx(tmp_path, machine='offline_grace_days = "soon"\n')
    code, out, _ = run(["self-test", "--json"], ctx)
    assert code == 1
    assert statuses(out) == {
        "configuration": "fail",
        "keyring": "pass",
        "store": "skip",
        "proxy": "skip",
        "tls": "skip",
        "platform": "skip",
        "updates": "skip",
    }


def test_store_opens_with_its_key_and_fails_without(tmp_path: Path) -> None:
    vault = FakeVault()
    ctx = make_ctx(tmp_path, vault=vault)
    assert run(["import-demo", "--persons", "3"], ctx)[0] == 0
    code, out, _ = run(["self-test", "--offline"], ctx)
    assert code == 0, out
    assert "PASS  store" in out
    assert "integrity ok" in out

    # The same store on a laptop whose keyring lost the key: a failure, not a prompt.
    lost = make_ctx(tmp_path, vault=FakeVault())
    code, out, _ = run(["self-test", "--offline"], lost)
    assert code == 1
    assert "FAIL  store" in out


@pytest.mark.parametrize("backend", [None, SessionKeyring()])
def test_no_secure_keyring_is_a_warning(tmp_path: Path, backend: object) -> None:
    ctx = make_ctx(tmp_path)
    ctx.keyring = lambda: backend  # type: ignore[assignment,return-value]
    code, out, _ = run(["self-test", "--offline"], ctx)
    assert code == 0
    assert "WARN  keyring" in out
    assert "never written to a file" in out
