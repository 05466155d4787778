"""The doorstep command: version, demo import, store check, and clear errors for bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app import __version__
from app.cli import Context, main
from app.store.db import head_revision
from app.store.keys import SessionKeyring
from tests.fakes import FakeVault


def run(argv: list[str], ctx: Context) -> tuple[int, str, str]:
    ctx.out, ctx.err = io.StringIO(), io.StringIO()
    code = main(argv, ctx)
    assert isinstance(ctx.out, io.StringIO)
    assert isinstance(ctx.err, io.StringIO)
    return code, ctx.out.getvalue(), ctx.err.getvalue()


@pytest.fixture
def ctx(tmp_path: Path) -> Context:
    vault = FakeVault()
    return Context(
        env={"DOORSTEP_HOME": str(tmp_path)},
        out=io.StringIO(),
        err=io.StringIO(),
        keyring=lambda: vault,
    )


def test_version(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"], ctx)
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"doorstep {__version__}"


def test_import_demo_then_check(ctx: Context, tmp_path: Path) -> None:
    code, out, err = run(["import-demo", "--persons", "25", "--seed", "7"], ctx)
    assert (code, err) == (0, ""), err
    assert "25 persons" in out
    assert (tmp_path / "doorstep.db").exists()

    code, out, err = run(["store", "check", "--json"], ctx)
    assert code == 0, err
    report = json.loads(out)
    assert report["integrity"] == "ok"
    assert report["revision"] == head_revision()
    assert report["counts"]["person"] == 25
    assert report["counts"]["case_record"] > 0


def test_import_demo_refuses_a_store_that_has_data(ctx: Context) -> None:
    assert run(["import-demo", "--persons", "5"], ctx)[0] == 0
    code, _out, err = run(["import-demo", "--persons", "5"], ctx)
    assert code == 1
    assert "already holds 5 persons" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import-demo", "--persons", "0"], "--persons must be a whole number from 1 to 100,000"),
        (["import-demo", "--persons", "lots"], "got 'lots'"),
        (["import-demo", "--persons", "100001"], "got 100,001"),
        (["import-demo", "--seed", "-1"], "--seed must be a whole number"),
    ],
)
def test_bad_options_name_the_option_and_create_nothing(
    ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv, ctx)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "doorstep.db").exists()


def test_check_without_a_store_creates_nothing(ctx: Context, tmp_path: Path) -> None:
    code, _out, err = run(["store", "check"], ctx)
    assert code == 1
    assert "no local store" in err
    assert not (tmp_path / "doorstep.db").exists()


def test_no_keyring_and_no_passphrase_is_a_clear_error(tmp_path: Path) -> None:
    ctx = Context(
        env={"DOORSTEP_HOME": str(tmp_path)},
        out=io.StringIO(),
        err=io.StringIO(),
        keyring=SessionKeyring,
    )
    code, _out, err = run(["import-demo", "--persons", "3"], ctx)
    assert code == 1
    assert "DOORSTEP_STORE_PASSPHRASE" in err
    assert not (tmp_path / "doorstep.db").exists()


def test_passphrase_from_environment_when_no_keyring(tmp_path: Path) -> None:
    env = {"DOORSTEP_HOME": str(tmp_path), "DOORSTEP_STORE_PASSPHRASE": "field-laptop-17"}
    ctx = Context(env=env, out=io.StringIO(), err=io.StringIO(), keyring=SessionKeyring)
    assert run(["import-demo", "--persons", "3"], ctx)[0] == 0
    wrong = Context(
        env={**env, "DOORSTEP_STORE_PASSPHRASE": "field-laptop-18"},
        out=io.StringIO(),
        err=io.StringIO(),
        keyring=SessionKeyring,
    )
    code, _out, err = run(["store", "check"], wrong)
    assert code == 1
    assert "cannot be read" in err
