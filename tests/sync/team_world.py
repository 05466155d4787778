"""Seeded demo people and signed-in laptops, shared by the team sync and team screen tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from app.demo import DemoUser, demo_users
from app.sync.session import sign_in
from tests.server.conftest import SEEDED_SEED
from tests.sync.test_engine import SERVER, Laptop

USERS = demo_users(SEEDED_SEED)


def demo_user(username: str) -> DemoUser:
    """The seeded user signing in as ``username``."""
    return next(u for u in USERS if u.username == username)


def lead_of(service: str) -> DemoUser:
    """The first team lead of ``service``."""
    return next(u for u in USERS if u.service == service and u.role == "team_lead")


def officers_of(team: uuid.UUID) -> list[DemoUser]:
    """The field officers of ``team``."""
    return [u for u in USERS if u.team_id == team and u.role == "field_officer"]


def colleague_of(officer: DemoUser) -> DemoUser:
    """Another field officer of ``officer``'s team."""
    return next(u for u in officers_of(officer.team_id) if u.id != officer.id)


def officer_of_another_team(than: DemoUser) -> DemoUser:
    """A field officer of the same service as ``than`` but another team."""
    return next(
        u
        for u in USERS
        if u.service == than.service and u.team_id != than.team_id and u.role == "field_officer"
    )


def signed_in(make: Callable[[str], Laptop], name: str, user: DemoUser) -> Laptop:
    """A new laptop called ``name``, signed in as ``user`` and synced once."""
    laptop = make(name)
    sign_in(
        laptop.local,
        laptop.transport,
        laptop.vault,
        server_url=SERVER,
        tenant="demo",
        username=user.username,
        password=user.password,
        device_name=f"{name} laptop",
    )
    laptop.engine.run_cycle()
    return laptop
