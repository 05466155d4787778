"""Nothing personal or secret reaches the log file or the diagnostics zip."""

from __future__ import annotations

import io
import logging
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import Context, main
from app.config import ConfigSources
from app.support.logs import LOG_FILE_NAME, LogSetup, setup_logging
from app.support.redact import public, redact_text
from app.sync.session import TokenVault
from app.sync.state import Identity
from tests.fakes import FakeVault

RESIDENT = "Agnes Plumtree"
TOKEN = "rt_" + "8f3a9c" * 8  # shaped like a refresh token: long, letters and digits
ACCESS = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJob3VzaW5nLm9mZmljZXIifQ.c2lnbmF0dXJlc2lnbmF0dXJl"
PROXY_PASSWORD = "Corp0rate-Pa55"
RECORD = uuid.UUID("6c8e3bde-52a1-4c4b-9d0e-3f1f2f4a9b10")


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[LogSetup]:
    setup = setup_logging(tmp_path / "home" / "logs", "DEBUG")
    try:
        yield setup
    finally:
        setup.close()


def plant(logger: logging.Logger) -> None:
    """Every way a careless line could hand personal data or a secret to the logger."""
    logger.info("opened the record of %s (case %s, %d visits)", RESIDENT, RECORD, 3)
    logger.info("refreshing with %s", TOKEN)
    logger.info("sign-in answered %(answer)s", {"answer": {"refresh_token": TOKEN}})
    logger.warning(f"request failed, Authorization: Bearer {ACCESS}")
    logger.info(f"refresh_token={TOKEN}")
    logger.info("resident record %r", {"name": RESIDENT, "postcode": "SW1A 1AA"})
    logger.info({"name": RESIDENT})
    try:
        raise ValueError(f"no match for {RESIDENT} with token {TOKEN}")
    except ValueError:
        logger.exception("search failed for %s", public("person"))


def test_planted_secrets_and_names_never_reach_the_log(logs: LogSetup) -> None:
    plant(logging.getLogger("app.test"))
    logs.handler.flush()
    text = logs.path.read_text(encoding="utf-8")
    assert RESIDENT not in text
    assert "Plumtree" not in text
    assert TOKEN not in text
    assert ACCESS not in text
    assert "SW1A" not in text
    # Not an empty file: the developer's text, safe values and code locations are all kept.
    assert f"opened the record of <str> (case {RECORD}, 3 visits)" in text
    assert "search failed for person" in text
    assert "Traceback (most recent call last)" in text
    assert "builtins.ValueError: <redacted>" in text
    assert "request failed, Authorization: <redacted>" in text


def test_remembered_values_are_hidden_even_inside_free_text(logs: LogSetup) -> None:
    name = "Housing Officer Jones"
    logs.redactor.remember(name)
    # An f-string slips past argument redaction; the remembered value still does not.
    logging.getLogger("app.test").info(f"welcome, {name.lower()}")
    logs.handler.flush()
    assert "jones" not in logs.path.read_text(encoding="utf-8").lower()


def test_redact_text_hides_identifiers_and_keeps_what_support_needs() -> None:
    text = (
        f"proxy http://bob:{PROXY_PASSWORD}@proxy.council.gov.uk:3128 email a.smith@council.gov.uk "
        f"nhs 943 476 5919 phone 01632 960123 record {RECORD} at ~/data, 25 records"
    )
    out = redact_text(text)
    for hidden in (PROXY_PASSWORD, "bob", "a.smith", "943 476 5919", "960123"):
        assert hidden not in out
    for kept in ("proxy.council.gov.uk:3128", str(RECORD), "25 records"):
        assert kept in out


def test_diagnostics_zip_holds_no_planted_secret_or_name(tmp_path: Path, logs: LogSetup) -> None:
    home = tmp_path / "home"
    machine = tmp_path / "machine.toml"
    machine.write_text(
        'server_url = "https://127.0.0.1:9"\n'
        f'proxy = "http://svc-doorstep:{PROXY_PASSWORD}@127.0.0.1:9"\n'
    )
    vault = FakeVault()
    # A real sign-in's secrets in the keyring: the refresh token and the store key.
    identity = Identity(
        server_url="https://127.0.0.1:9",
        tenant="demo",
        tenant_id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        username="housing.officer",
        display_name="Officer Jones",
        role="officer",
        team_id=None,
        device_id=uuid.uuid4(),
    )
    TokenVault(vault, FakeVault()).save(identity, TOKEN)
    ctx = Context(
        env={"DOORSTEP_HOME": str(home)},
        out=io.StringIO(),
        err=io.StringIO(),
        keyring=lambda: vault,
        config_sources=ConfigSources(machine, tmp_path / "policy.toml"),
    )
    assert main(["import-demo", "--persons", "3"], ctx) == 0
    plant(logging.getLogger("app.test"))
    logs.handler.flush()

    output = tmp_path / "support" / "diagnostics.zip"
    assert main(["diagnostics", "--output", str(output)], ctx) == 0
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        contents = {name: archive.read(name).decode("utf-8") for name in names}
    assert f"logs/{LOG_FILE_NAME}" in names
    assert {"versions.json", "config.json", "self-test.txt", "self-test.json"} <= set(names)
    everything = "\n".join(contents.values())
    for secret in (RESIDENT, "Plumtree", TOKEN, ACCESS, PROXY_PASSWORD):
        assert secret not in everything
    stored_key = next(v for (_, name), v in vault._secrets.items() if name.startswith("store:"))
    assert stored_key not in everything
    # What support needs is there: where the platform is, and the proxy's host.
    assert "https://127.0.0.1:9" in contents["config.json"]
    assert "@127.0.0.1:9" in contents["config.json"]
    assert "opened the record of <str>" in contents[f"logs/{LOG_FILE_NAME}"]
