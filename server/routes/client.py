"""Route: the laptop client version this platform offers, for `update_policy = "notify"`."""

from __future__ import annotations

from fastapi import APIRouter

from app.sync.protocol import CLIENT_VERSION_PATH, ClientVersion
from server.deps import SettingsDep

router = APIRouter(tags=["client"])


@router.get(CLIENT_VERSION_PATH, summary="The current laptop client version")
def client_version(settings: SettingsDep) -> ClientVersion:
    """``{"version": "X.Y.Z"}`` from the DOORSTEP_CLIENT_VERSION setting.

    Public on purpose: a laptop asks before anyone has signed in (``doorstep self-test`` on a
    fresh install), and the answer is no more than ``/openapi.json`` already shows. It reads
    no database and names no user, device or tenant.
    """
    return ClientVersion(version=settings.client_version)
