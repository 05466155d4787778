"""Seeded demo people and signed-in laptops, shared by the team sync and team screen tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import sqlalchemy as sa

from app.demo import DemoUser, demo_users
from app.models import entities as e
from app.models.workflow import CLOSED
from app.sync.session import sign_in
from tests.server.conftest import SEEDED_SEED
from tests.server.world import wait_for_feed
from tests.sync.conftest import rows_of
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


def referred_to(make: Callable[[str], Laptop], platform: sa.Engine, team_of: DemoUser) -> uuid.UUID:
    """A referral to ``team_of``'s team, sent and synced by an officer of another service about
    the subject of one of their cases; returns its id (the seeded council may have none waiting)."""
    with platform.connect() as connection:
        holders = set(
            connection.execute(
                sa.select(e.Case.officer_id).where(
                    e.Case.status != CLOSED, e.Case.subject_person_id.is_not(None)
                )
            ).scalars()
        )
    sender = next(
        u
        for u in USERS
        if u.service != team_of.service and u.role == "field_officer" and u.id in holders
    )
    laptop = signed_in(make, "referrer", sender)
    case = laptop.my_case()
    [(person,)] = rows_of(
        laptop.store, "SELECT subject_person_id FROM case_record WHERE id = ?", case.hex
    )
    referral = laptop.changes().create(
        "referral",
        {
            "person_id": uuid.UUID(person),
            "case_id": case,
            "from_service": sender.service,
            "to_service": team_of.service,
            "to_team_id": team_of.team_id,
            "reason": "Rent arrears after a hospital stay",
            "urgency": "routine",
            "lawful_basis": "UK GDPR Art 6(1)(e) public task",
        },
    )
    assert laptop.engine.run_cycle().rejected == 0
    wait_for_feed(platform)
    return referral
