"""A small council built row by row for the access and sync tests (fixture ``world``).

Each test gets its own tenant on its own migrated database (``pg_platform_engine``). Records
are written as the platform writes them: version 1 and a change-log entry each.
"""

from __future__ import annotations

import gzip
import json
import secrets
import time
import uuid
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from sqlalchemy.orm import Session, sessionmaker

from app.models import entities as e
from app.models.registry import BY_NAME
from app.sync.protocol import Change, Mutation, PullResponse, PushRequest, PushResponse
from server.access import entry_audience
from server.app import create_app
from server.auth import Caller, _caller
from server.changes import log_changes
from server.db import session_factory
from server.deps import Principal, _current_principal
from server.models import Credential, Device, Tenant
from server.settings import Settings
from server.sync.pull import pull_page
from server.sync.push import apply_push

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; the httpx it falls back to works the same.
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

PRINCIPAL_HEADER = "x-test-principal"
"""Which of the world's principals a test request acts as (the injected principal)."""

TODAY = datetime.now(UTC).date()
SETTLE_TIMEOUT_S = 60.0


def wait_for_feed(engine: sa.Engine, tenant_id: uuid.UUID | None = None) -> None:
    """Wait (bounded) until every committed change is old enough for the feed to serve.

    The feed serves changes older than the oldest transaction still writing anywhere in the
    cluster. Tests run one at a time, but another process on the same server (a developer's
    second test run, a benchmark) may hold a transaction open for a while; in CI this returns
    at once.
    """
    if engine.dialect.name != "postgresql":
        return  # SQLite serialises writers: the feed serves every committed change
    ready = sa.text(
        "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint > "
        "(SELECT coalesce(max(xid), 0) FROM change_log "
        "WHERE CAST(:tenant AS uuid) IS NULL OR tenant_id = CAST(:tenant AS uuid))"
    )
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.execute(ready, {"tenant": tenant_id}).scalar():
                return
        time.sleep(0.05)
    raise AssertionError("another transaction held the feed back for too long")


def wire(value: Any) -> Any:
    """A typed value as the client would send it."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def mutation(
    mutation_id: int,
    entity: str,
    record_id: uuid.UUID,
    op: str,
    fields: dict[str, Any] | None = None,
    *,
    base: dict[str, Any] | None = None,
    base_version: int = 0,
) -> Mutation:
    """A mutation with wire values (typed values are converted)."""
    return Mutation.model_validate(
        {
            "mutation_id": mutation_id,
            "entity": entity,
            "id": str(record_id),
            "op": op,
            "base_version": base_version,
            "fields": {k: wire(val) for k, val in (fields or {}).items()},
            "base": {k: wire(val) for k, val in (base or {}).items()},
            "at": wire(datetime.now(UTC)),
        }
    )


@dataclass
class Feed:
    """Everything pulled so far by one principal, by (entity, id): the latest change wins."""

    cursor: str | None = None
    changes: list[Change] = field(default_factory=list)

    def latest(self) -> dict[tuple[str, uuid.UUID], Change]:
        seen: dict[tuple[str, uuid.UUID], Change] = {}
        for change in self.changes:
            seen[(change.entity, change.id)] = change
        return seen

    def get(self, entity: str, record_id: uuid.UUID) -> Change | None:
        return self.latest().get((entity, record_id))

    def ids(self, entity: str) -> set[uuid.UUID]:
        return {c.id for c in self.changes if c.entity == entity}


class World:
    """One tenant with builders for its teams, users and records."""

    def __init__(self, engine: sa.Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.sessions: sessionmaker[Session] = session_factory(engine)
        self.tenant_id = uuid.uuid4()
        self.tenant_code = f"t{secrets.token_hex(6)}"
        self.principals: dict[str, Principal] = {}
        self._team_services: dict[uuid.UUID, str] = {}
        with self.sessions.begin() as session:
            session.execute(
                sa.insert(Tenant),
                [{"id": self.tenant_id, "code": self.tenant_code, "name": "Test"}],
            )

    # -- rows ------------------------------------------------------------------------------

    def insert(self, entity: str, **values: Any) -> uuid.UUID:
        """Insert one record at version 1 with its change-log entry; returns its id."""
        spec = BY_NAME[entity]
        record_id = values.pop("id", None) or uuid.uuid4()
        row = {"id": record_id, "tenant_id": self.tenant_id, "version": 1, **values}
        with self.sessions.begin() as session:
            session.execute(sa.insert(spec.model.__table__), [row])  # type: ignore[attr-defined]
            audience = entry_audience(spec, row, changed=None)
            log_changes(session, self.tenant_id, entity, [(record_id, 1, audience)])
        return record_id

    def team(self, service: str = "tenancy_management") -> uuid.UUID:
        team_id = self.insert("team", name=f"Team {secrets.token_hex(2)}", service=service)
        self._team_services[team_id] = service
        return team_id

    def user(
        self,
        team_id: uuid.UUID | None,
        role: str = e.Role.FIELD_OFFICER,
        *,
        may_view_sealed: bool = False,
        password_hash: str = "not-a-hash",
        username: str | None = None,
    ) -> Principal:
        """A user with a credential and a registered device, as the principal they act as."""
        name = username or f"u{secrets.token_hex(4)}"
        user_id = self.insert(
            "user", username=name, display_name=name.title(), role=str(role), team_id=team_id
        )
        device_id = uuid.uuid4()
        with self.sessions.begin() as session:
            session.execute(
                sa.insert(Credential),
                [
                    {
                        "user_id": user_id,
                        "password_hash": password_hash,
                        "may_view_sealed": may_view_sealed,
                    }
                ],
            )
            session.execute(
                sa.insert(Device),
                [
                    {
                        "id": device_id,
                        "tenant_id": self.tenant_id,
                        "user_id": user_id,
                        "name": "test laptop",
                    }
                ],
            )
        principal = Principal(
            user_id=user_id,
            tenant_id=self.tenant_id,
            device_id=device_id,
            role=str(role),
            team_id=team_id,
            service=self._team_services.get(team_id) if team_id else None,
            may_view_sealed=may_view_sealed,
        )
        self.principals[str(user_id)] = principal
        return principal

    def person(self, *, sealed: bool = False, **values: Any) -> uuid.UUID:
        return self.insert(
            "person",
            given_name=values.pop("given_name", "Rhian"),
            family_name=values.pop("family_name", "Jones"),
            sealed=sealed,
            **values,
        )

    def property(self) -> uuid.UUID:
        return self.insert(
            "property",
            address_line1="1 High Street",
            town="Newport",
            postcode="NP20 1AA",
            tenure=str(e.Tenure.COUNCIL_TENANCY),
            uprn=10001234567,
        )

    def household(self, person_id: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
        """A household at a new property with the person as lead tenant: (household, member)."""
        household_id = self.insert("household", property_id=self.property())
        member_id = self.insert(
            "household_member",
            household_id=household_id,
            person_id=person_id,
            role=str(e.HouseholdRole.LEAD_TENANT),
        )
        return household_id, member_id

    def case(
        self,
        team_id: uuid.UUID,
        subject_id: uuid.UUID,
        *,
        officer_id: uuid.UUID | None = None,
        case_type: str = "tenancy",
        status: str = "open",
        **values: Any,
    ) -> uuid.UUID:
        from app.models.workflow import CASE_TYPES

        kind = CASE_TYPES[case_type]
        now = datetime.now(UTC)
        return self.insert(
            "case",
            reference=f"C{secrets.token_hex(4)}",
            service=str(kind.service),
            case_type=case_type,
            status=status,
            priority=values.pop("priority", "normal" if case_type != "repair" else "routine"),
            owning_team_id=team_id,
            officer_id=officer_id,
            subject_person_id=subject_id,
            summary=values.pop("summary", "Rent arrears"),
            referral_date=values.pop("referral_date", TODAY - timedelta(days=10)),
            opened_at=now - timedelta(days=9),
            status_changed_at=now - timedelta(days=9),
            **values,
        )

    def note(
        self, case_id: uuid.UUID, author_id: uuid.UUID, *, visibility: str = "service"
    ) -> uuid.UUID:
        return self.insert(
            "note",
            case_id=case_id,
            author_id=author_id,
            created_at=datetime.now(UTC),
            kind="visit",
            text="Visited; tenant at home.",
            visibility=visibility,
        )

    def task(
        self, case_id: uuid.UUID, *, title: str = "Book a visit", status: str = "open"
    ) -> uuid.UUID:
        return self.insert("task", case_id=case_id, kind="task", title=title, status=status)

    def marker(
        self, person_id: uuid.UUID, proposed_by: uuid.UUID, *, status: str = "approved"
    ) -> uuid.UUID:
        approved = status == "approved"
        return self.insert(
            "warning_marker",
            person_id=person_id,
            category="violence",
            reason="Dog on premises",
            review_date=TODAY + timedelta(days=90),
            status=status,
            proposed_by_id=proposed_by,
            approved_at=datetime.now(UTC) if approved else None,
        )

    def referral(
        self,
        case_id: uuid.UUID,
        person_id: uuid.UUID,
        to_team: uuid.UUID,
        *,
        status: str = "sent",
        from_service: str = "tenancy_management",
        to_service: str = "adult_social_care",
    ) -> uuid.UUID:
        return self.insert(
            "referral",
            person_id=person_id,
            case_id=case_id,
            from_service=from_service,
            to_service=to_service,
            to_team_id=to_team,
            reason="Needs a care assessment",
            urgency="routine",
            lawful_basis="UK GDPR Art 6(1)(e)",
            status=status,
            sent_at=datetime.now(UTC),
        )

    def row(self, entity: str, record_id: uuid.UUID) -> dict[str, Any] | None:
        table = BY_NAME[entity].model.__table__  # type: ignore[attr-defined]
        with self.sessions() as session:
            found = session.execute(sa.select(table).where(table.c.id == record_id)).mappings()
            first = found.first()
            return dict(first) if first else None

    def count(self, statement: sa.Select[Any]) -> int:
        with self.sessions() as session:
            return int(session.scalar(statement) or 0)

    # -- sync ------------------------------------------------------------------------------

    def push(
        self, principal: Principal, client_id: uuid.UUID, *mutations: Mutation
    ) -> PushResponse:
        """Push a batch straight through the engine, in its own transaction."""
        request = PushRequest(client_id=client_id, mutations=list(mutations))
        with self.sessions.begin() as session:
            return apply_push(session, principal, request, self.settings)

    def settle(self) -> None:
        """Wait until every committed change of this tenant is old enough for the feed."""
        wait_for_feed(self.engine, self.tenant_id)

    def pull(
        self,
        principal: Principal,
        after: Feed | None = None,
        *,
        limit: int = 1000,
        settle: bool = True,
    ) -> Feed:
        """Pull every page available now, from where ``after`` ended (default: the start).

        The returned feed holds only the changes of this pull, and the cursor to go on from.
        ``settle`` first waits for other processes' transactions (see ``settle``).
        """
        if settle:
            self.settle()
        feed = Feed(cursor=after.cursor if after else None)
        for _ in range(1000):
            with self.sessions.begin() as session:
                page: PullResponse = pull_page(session, principal, feed.cursor, limit)
            feed.changes += page.changes
            feed.cursor = page.cursor
            if not page.has_more:
                return feed
        raise AssertionError("the feed never ended")

    # -- HTTP ------------------------------------------------------------------------------

    def app(self) -> FastAPI:
        """The platform app on this database, the principal injected from a test header."""
        app = create_app(self.settings, engine=self.engine)

        def principal(request: Request) -> Principal:
            return self.principals[request.headers[PRINCIPAL_HEADER]]

        def caller(request: Request) -> Caller:
            found = principal(request)

            def identify(_session: Session, *, note_seen: bool = True) -> Principal:
                return found

            return identify

        app.dependency_overrides[_current_principal] = principal
        app.dependency_overrides[_caller] = caller
        return app

    def client(self) -> TestClient:
        return TestClient(self.app())


def as_user(principal: Principal) -> dict[str, str]:
    """Headers that make a test request act as ``principal``."""
    return {PRINCIPAL_HEADER: str(principal.user_id)}


def gunzip_json(body: bytes) -> Any:
    """A gzip-compressed JSON body, decoded."""
    return json.loads(gzip.decompress(body))
