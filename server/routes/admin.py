"""Routes: administration of a council's devices."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select

from app.models.entities import User
from app.sync.protocol import API_PREFIX
from server import auth
from server.deps import CurrentPrincipal, SessionDep
from server.models import Device
from server.problems import Problem

router = APIRouter(prefix=f"{API_PREFIX}/admin", tags=["admin"])


class DevicePublic(BaseModel):
    """A registered device as an administrator sees it."""

    id: uuid.UUID
    user_id: uuid.UUID
    username: str
    name: str
    registered_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


def _public(device: Device, username: str) -> DevicePublic:
    return DevicePublic(
        id=device.id,
        user_id=device.user_id,
        username=username,
        name=device.name,
        registered_at=device.registered_at,
        last_seen_at=device.last_seen_at,
        revoked_at=device.revoked_at,
    )


@router.get("/devices")
def list_devices(principal: CurrentPrincipal, session: SessionDep) -> list[DevicePublic]:
    """Every device registered in the administrator's council, oldest first."""
    auth.require_admin(principal)
    with session.begin():
        rows = session.execute(
            select(Device, User.username)
            .join(User, User.id == Device.user_id)
            .where(Device.tenant_id == principal.tenant_id)
            .order_by(Device.registered_at, Device.id)
        ).all()
    return [_public(device, username) for device, username in rows]


@router.post("/devices/{device_id}/revoke")
def revoke(
    device_id: uuid.UUID, principal: CurrentPrincipal, request: Request, session: SessionDep
) -> DevicePublic:
    """Revoke a device: its tokens stop working and its next contact is told to wipe."""
    auth.require_admin(principal)
    with session.begin():
        device = auth.revoke_device(
            session, principal.tenant_id, device_id, now=auth.current_time(request)
        )
        if device is None:
            # Another council's device is simply not found: existence must not leak.
            raise Problem(404, "not-found", "No such device.")
        username = session.scalar(select(User.username).where(User.id == device.user_id))
    return _public(device, username or "")
