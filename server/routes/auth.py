"""Routes: sign-in, token refresh, sign-out, and who the caller is."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel
from sqlalchemy import select

from app.models.entities import User
from app.sync.protocol import (
    API_PREFIX,
    REFRESH_PATH,
    TOKEN_PATH,
    RefreshRequest,
    TokenRequest,
    TokenResponse,
)
from server import auth
from server.deps import CurrentPrincipal, SessionDep, SettingsDep

router = APIRouter(tags=["auth"])


class MePublic(BaseModel):
    """The signed-in user as the platform sees them."""

    user_id: uuid.UUID
    tenant_id: uuid.UUID
    device_id: uuid.UUID
    role: str
    team_id: uuid.UUID | None
    service: str | None
    may_view_sealed: bool
    username: str
    display_name: str


@router.post(TOKEN_PATH)
def token(
    body: TokenRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenResponse:
    """Sign in on a device: registers the device and returns an access and a refresh token."""
    with session.begin():
        key = auth.signing_key(request, session)
    return auth.sign_in(session, settings, key, body, now=auth.current_time(request))


@router.post(REFRESH_PATH)
def refresh(
    body: RefreshRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenResponse:
    """Exchange a refresh token for a new pair; the presented one stops working."""
    with session.begin():
        key = auth.signing_key(request, session)
    return auth.refresh(session, settings, key, body, now=auth.current_time(request))


@router.post(f"{API_PREFIX}/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(principal: CurrentPrincipal, request: Request, session: SessionDep) -> Response:
    """Sign this device out: its refresh tokens stop working."""
    with session.begin():
        auth.revoke_refresh_tokens(session, principal.device_id, now=auth.current_time(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(f"{API_PREFIX}/me")
def me(principal: CurrentPrincipal, session: SessionDep) -> MePublic:
    """Who the caller is: their ids, role, team, service and name."""
    with session.begin():
        username, display_name = session.execute(
            select(User.username, User.display_name).where(User.id == principal.user_id)
        ).one()
    return MePublic(
        user_id=principal.user_id,
        tenant_id=principal.tenant_id,
        device_id=principal.device_id,
        role=principal.role,
        team_id=principal.team_id,
        service=principal.service,
        may_view_sealed=principal.may_view_sealed,
        username=username,
        display_name=display_name,
    )
