"""GET /api/v1/client/version: public, read-only, the configured version and nothing else."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest
from fastapi.testclient import TestClient

from app.sync.protocol import CLIENT_VERSION_PATH, ClientVersion
from server.app import create_app
from server.settings import Settings


def test_answers_the_configured_version_without_sign_in(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'p.db'}", client_version="1.4.0")
    with TestClient(create_app(settings)) as client:
        response = client.get(CLIENT_VERSION_PATH)
    assert response.status_code == 200
    assert ClientVersion.model_validate_json(response.content) == ClientVersion(version="1.4.0")
    assert response.json() == {"version": "1.4.0"}


def test_is_read_only(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'p.db'}")
    with TestClient(create_app(settings)) as client:
        assert client.post(CLIENT_VERSION_PATH, json={"version": "9.9"}).status_code == 405


@pytest.mark.parametrize("bad", ["", "latest", "1.2-beta", "1..2"])
def test_the_setting_must_be_a_version_number(tmp_path: Path, bad: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="client_version"):
        Settings(database_url=f"sqlite:///{tmp_path / 'p.db'}", client_version=bad)
