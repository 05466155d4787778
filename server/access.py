"""Need to know, decided in one place: what each principal may read, see summarised, or write.

Every route, the change feed (pull) and the push engine ask this module; none decides on its own.
The rules (docs/sync-protocol.md has the reader's version):

* Tenants never see each other: every query filters by ``principal.tenant_id`` and a record of
  another tenant is simply "not found".
* Case detail (the case's full fields, its notes, tasks, assessments and attachments) is for the
  owning team, the assigned officer, and teams the case was referred to (referral sent or
  accepted). Administrators administer: they read no case detail and no resident records.
* Everyone else in the tenant (field officers, team leads) sees the resident summary: persons,
  households, members, properties, relationships, approved warning markers, and each case's
  summary fields only.
* A note marked ``service`` is read only within the case's service; ``shared`` notes go to
  every reader of the case's detail (the referred-to teams of other services included).
* A sealed person, with their memberships, relationships, markers, referrals and cases, is
  visible only to users whose credential says ``may_view_sealed``.
* A proposed (or withdrawn, never approved) warning marker shows only to the proposer's team and
  to team leads, who approve markers.
* A conflict shows to the user whose edit lost and to the team leads of the owning team.
* Team lead work: a case is allocated or reassigned only by a team lead of its owning team, and
  only with an allocation record (append-only, with a reason) naming the new officer and team;
  a case type whose closure needs approval is closed only by such a lead (officers request it).
* A supervision note shows only to the team leads of the case's owning team and to the case's
  allocated officer; other readers of the case's detail get its exit (it may have been theirs).
* Workload weights, set by administrators, go to everyone (they carry nothing personal).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Literal

import pydantic_core
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    Table,
    Uuid,
    and_,
    bindparam,
    false,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session

from app.models import entities as e
from app.models.registry import BY_NAME, EntitySpec
from app.models.workflow import CASE_TYPES, CLOSED
from app.sync import codec
from app.sync.protocol import Change, FieldError, Op, Scope
from server.deps import Principal
from server.sync.sql import ids_param, is_postgres

CaseAccess = Literal["detail", "summary", "none"]

Row = Mapping[Any, Any]
"""A record's columns by name (a RowMapping, or a dict of typed values)."""

_TENANT = bindparam("tenant", type_=Uuid())
"""The tenant parameter of the statements this module builds once."""

DETAIL_REFERRAL_STATUSES = (str(e.ReferralStatus.SENT), str(e.ReferralStatus.ACCEPTED))

# Plain strings: these are compared for every row of the feed, and looking an enum member up
# on its class costs microseconds on Python 3.11.
_ADMIN, _LEAD = str(e.Role.ADMIN), str(e.Role.TEAM_LEAD)
_APPROVED, _PROPOSED = str(e.MarkerStatus.APPROVED), str(e.MarkerStatus.PROPOSED)
_SHARED = str(e.Visibility.SHARED)
"""A referral in one of these states gives the referred-to team the case's detail."""

CASE_DETAIL_ENTITIES = ("note", "task", "assessment", "attachment")
"""Entities readable only with the detail of the case named by their ``case_id``."""

CASE_CHILD_ENTITIES = (*CASE_DETAIL_ENTITIES, "allocation", "supervision_note")
"""Everything hanging off a case by ``case_id``: re-announced when the case's readers change."""

# Columns a change carries besides those the Change itself names (id, version, deleted).
_NOT_IN_FIELDS = frozenset({"id", "tenant_id", "version", "deleted"})


def is_admin(principal: Principal) -> bool:
    """Whether the principal is an administrator (who reads no case or resident data)."""
    return principal.role == _ADMIN


def is_lead(principal: Principal) -> bool:
    """Whether the principal is a team lead."""
    return principal.role == _LEAD


# --- Facts the rules look up, loaded in bulk -------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    """What need-to-know needs to know about one case."""

    id: uuid.UUID
    owning_team_id: uuid.UUID
    officer_id: uuid.UUID | None
    service: str
    subject_person_id: uuid.UUID
    subject_sealed: bool
    referred_team_ids: frozenset[uuid.UUID] = frozenset()
    deleted: bool = False
    referral_date: date | None = None


@dataclass
class Facts:
    """What the rules look up, loaded in bulk for a push batch, a page of the feed or a route.

    Two ways to know about cases and persons: ``cases`` and ``sealed`` hold facts about the
    records at hand (a push batch loads them by id, and updates them as its mutations change
    cases, persons and referrals, so later mutations see earlier ones); or, for the feed,
    ``detail`` holds every case the principal may read in detail and ``sealed_ids`` every
    sealed person of the tenant, each one query however many records a page holds.
    """

    cases: dict[uuid.UUID, CaseFacts] = field(default_factory=dict)
    sealed: dict[uuid.UUID, bool] = field(default_factory=dict)
    user_teams: dict[uuid.UUID, uuid.UUID | None] = field(default_factory=dict)
    detail: dict[uuid.UUID, str] | None = None
    """Feed mode: case id -> service of every case the principal reads in detail."""
    sealed_ids: frozenset[uuid.UUID] | None = None
    """Feed mode: every sealed person of the tenant."""
    supervised: frozenset[uuid.UUID] | None = None
    """Feed mode: every case whose supervision notes the principal reads."""
    allocated: dict[uuid.UUID, tuple[uuid.UUID | None, uuid.UUID]] = field(default_factory=dict)
    """Case id -> (officer, team) named by its latest allocation record."""

    def reads_supervision(self, principal: Principal, case_id: uuid.UUID | None) -> bool:
        """Whether the principal reads the case's supervision notes."""
        if case_id is None:
            return False
        if self.supervised is not None:
            return case_id in self.supervised
        case = self.cases.get(case_id)
        return case is not None and supervises(principal, case)

    def person_sealed(self, person_id: uuid.UUID | None) -> bool:
        """Whether the person is sealed; an unknown person counts as sealed (fail closed)."""
        if person_id is None:
            return False
        if self.sealed_ids is not None:
            return person_id in self.sealed_ids
        return self.sealed.get(person_id, True)

    def detail_service(self, principal: Principal, case_id: uuid.UUID | None) -> str | None:
        """The case's service if the principal reads its detail, else None."""
        if case_id is None:
            return None
        if self.detail is not None:
            return self.detail.get(case_id)
        case = self.cases.get(case_id)
        return case.service if case is not None and can_read_case_detail(principal, case) else None

    def case_row_access(self, principal: Principal, row: Row) -> CaseAccess:
        """How much of this case row the principal may read."""
        if self.detail is None:
            return case_access(principal, self.cases.get(row["id"]))
        if is_admin(principal):
            return "none"
        if row["id"] in self.detail:
            return "detail"
        if self.person_sealed(row["subject_person_id"]) and not principal.may_view_sealed:
            return "none"
        return "summary"


def facts_for_feed(session: Session, principal: Principal, *, user_teams: bool = True) -> Facts:
    """Feed-mode facts: the principal's detail cases, the tenant's sealed persons, users' teams.

    ``user_teams`` (who proposed a warning marker) only where a page holds markers. Two
    queries, built once (every page of every laptop runs them).
    """
    if is_admin(principal):
        return Facts(detail={}, sealed_ids=frozenset())
    tenant = principal.tenant_id
    connection = session.connection()
    sealed = frozenset(connection.execute(_SEALED_PERSONS, {"tenant": tenant}).scalars())
    detail: dict[uuid.UUID, str] = {}
    supervised: set[uuid.UUID] = set()
    lead_team = principal.team_id if is_lead(principal) else None
    params = {"tenant": tenant, "user": principal.user_id, "team": principal.team_id}
    rows = connection.execute(_detail_union(principal.team_id is not None), params).tuples()
    for case_id, service, subject, officer_id, team_id in rows:
        if principal.may_view_sealed or subject not in sealed:
            detail[case_id] = service
            # As ``supervises``: the allocated officer, and leads of the owning team.
            if officer_id == principal.user_id or (lead_team is not None and team_id == lead_team):
                supervised.add(case_id)
    return Facts(
        detail=detail,
        sealed_ids=sealed,
        user_teams=load_user_teams(session, tenant) if user_teams else {},
        supervised=frozenset(supervised),
    )


_SEALED_PERSONS = select(e.Person.id).where(e.Person.tenant_id == _TENANT, e.Person.sealed)


_DETAIL_UNIONS: dict[bool, CompoundSelect[Any]] = {}


def _detail_union(with_team: bool) -> CompoundSelect[Any]:
    """(id, service, subject, officer, owning team) of the principal's detail cases.

    Sealed subjects included. One indexed branch per way in (assigned officer, owning team,
    referral), where a single query with ORs would scan every case of the tenant. Built once
    per shape, with parameters ``tenant``, ``user`` and ``team``.
    """
    found = _DETAIL_UNIONS.get(with_team)
    if found is not None:
        return found
    case, referral = e.Case, e.Referral
    columns = (
        case.id,
        case.service,
        case.subject_person_id,
        case.officer_id,
        case.owning_team_id,
    )
    tenant = case.tenant_id == _TENANT
    team = bindparam("team", type_=Uuid())
    branches = [select(*columns).where(tenant, case.officer_id == bindparam("user", type_=Uuid()))]
    if with_team:
        branches.append(select(*columns).where(tenant, case.owning_team_id == team))
        branches.append(
            select(*columns)
            .join(referral, referral.case_id == case.id)
            .where(
                tenant,
                referral.tenant_id == _TENANT,
                referral.to_team_id == team,
                referral.status.in_(DETAIL_REFERRAL_STATUSES),
                referral.deleted == false(),
            )
        )
    found = _DETAIL_UNIONS[with_team] = union(*branches)
    return found


def load_case_facts(
    session: Session, tenant_id: uuid.UUID, case_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, CaseFacts]:
    """Facts for the given cases of this tenant (others are absent): one query.

    A case comes back once per team it is referred to (or once with none).
    """
    ids = [i for i in set(case_ids) if i is not None]
    if not ids:
        return {}
    query = _case_facts_query(is_postgres(session))
    rows = session.connection().execute(query, {"tenant": tenant_id, "ids": ids}).all()
    referred: dict[uuid.UUID, set[uuid.UUID]] = {}
    for row in rows:
        teams = referred.setdefault(row.id, set())
        if row.to_team_id is not None:
            teams.add(row.to_team_id)
    return {
        row.id: CaseFacts(
            id=row.id,
            owning_team_id=row.owning_team_id,
            officer_id=row.officer_id,
            service=row.service,
            subject_person_id=row.subject_person_id,
            subject_sealed=row.sealed,
            referred_team_ids=frozenset(referred[row.id]),
            deleted=row.deleted,
            referral_date=row.referral_date,
        )
        for row in rows
    }


@cache
def _case_facts_query(postgres: bool) -> Select[Any]:
    """The cases' facts with each team they are referred to; parameters ``tenant``, ``ids``."""
    case, person, referral = e.Case, e.Person, e.Referral
    return (
        select(
            case.id,
            case.owning_team_id,
            case.officer_id,
            case.service,
            case.subject_person_id,
            person.sealed,
            case.deleted,
            case.referral_date,
            referral.to_team_id,
        )
        .join(person, person.id == case.subject_person_id)
        .outerjoin(
            referral,
            and_(
                referral.case_id == case.id,
                referral.tenant_id == _TENANT,
                referral.status.in_(DETAIL_REFERRAL_STATUSES),
                referral.deleted == false(),
                referral.to_team_id.is_not(None),
            ),
        )
        .where(case.tenant_id == _TENANT, ids_param(case.id, postgres))
    )


def load_allocations(
    session: Session, tenant_id: uuid.UUID, case_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, tuple[uuid.UUID | None, uuid.UUID]]:
    """(officer, team) named by each given case's latest allocation record, where it has one."""
    ids = [i for i in set(case_ids) if i is not None]
    if not ids:
        return {}
    latest: dict[uuid.UUID, tuple[uuid.UUID | None, uuid.UUID]] = {}
    query = _allocations_query(is_postgres(session))
    for row in session.connection().execute(query, {"tenant": tenant_id, "ids": ids}):
        latest[row.case_id] = (row.to_officer_id, row.to_team_id)
    return latest


@cache
def _allocations_query(postgres: bool) -> Select[Any]:
    allocation = e.Allocation
    return (
        select(allocation.case_id, allocation.to_officer_id, allocation.to_team_id)
        .where(allocation.tenant_id == _TENANT, ids_param(allocation.case_id, postgres))
        .order_by(allocation.allocated_at, allocation.id)
    )


def load_sealed(
    session: Session, tenant_id: uuid.UUID, person_ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, bool]:
    """Sealed flag of each given person of this tenant (persons of other tenants are absent)."""
    ids = [i for i in set(person_ids) if i is not None]
    if not ids:
        return {}
    query = _sealed_query(is_postgres(session))
    rows = session.connection().execute(query, {"tenant": tenant_id, "ids": ids})
    return {row.id: row.sealed for row in rows}


@cache
def _sealed_query(postgres: bool) -> Select[Any]:
    person = e.Person
    return select(person.id, person.sealed).where(
        person.tenant_id == _TENANT, ids_param(person.id, postgres)
    )


def load_user_teams(session: Session, tenant_id: uuid.UUID) -> dict[uuid.UUID, uuid.UUID | None]:
    """Every user's team in the tenant (a council has hundreds of users, not millions)."""
    rows = session.execute(select(e.User.id, e.User.team_id).where(e.User.tenant_id == tenant_id))
    return {row.id: row.team_id for row in rows}


REASSIGNING_FIELDS = ("officer_id", "owning_team_id")
"""Case fields that change only together with an allocation record (``check_write``)."""


def facts_for_rows(
    session: Session,
    principal: Principal,
    rows: Mapping[str, Collection[Row]],
    *,
    reassigned: Collection[uuid.UUID] = (),
) -> Facts:
    """Load the facts needed to decide on these rows (by entity name), a query per kind.

    ``reassigned``: cases whose writes name a ``REASSIGNING_FIELDS`` field, for which the
    latest allocation record is loaded too (reads and other writes never consult it).
    """
    case_ids: set[uuid.UUID | None] = set()
    person_ids: set[uuid.UUID | None] = set()
    for name, items in rows.items():
        for row in items:
            if name == "case":
                case_ids.add(row.get("id"))
                person_ids.add(row.get("subject_person_id"))
            elif name in CASE_CHILD_ENTITIES:
                case_ids.add(row.get("case_id"))
            elif name == "referral":
                case_ids.update((row.get("case_id"), row.get("created_case_id")))
                person_ids.add(row.get("person_id"))
            elif name in ("household_member", "warning_marker"):
                person_ids.add(row.get("person_id"))
            elif name == "relationship":
                person_ids.update((row.get("person_id"), row.get("related_person_id")))
            elif name == "person":
                person_ids.add(row.get("id"))
    tenant = principal.tenant_id
    cases = load_case_facts(session, tenant, case_ids)
    # The case query has read its subjects' sealed flags already.
    sealed = {case.subject_person_id: case.subject_sealed for case in cases.values()}
    sealed.update(load_sealed(session, tenant, person_ids - set(sealed)))
    facts = Facts(cases=cases, sealed=sealed)
    if rows.get("warning_marker"):
        facts.user_teams = load_user_teams(session, tenant)
    if reassigned:
        # A reassignment is checked against the case's latest allocation record.
        facts.allocated = load_allocations(session, tenant, reassigned)
    return facts


# --- Reading ---------------------------------------------------------------------------------


def case_access(principal: Principal, case: CaseFacts | None) -> CaseAccess:
    """How much of a case the principal may read: its detail, its summary, or nothing."""
    if case is None or is_admin(principal):
        return "none"
    if case.subject_sealed and not principal.may_view_sealed:
        return "none"
    team = principal.team_id
    if team is not None and (case.owning_team_id == team or team in case.referred_team_ids):
        return "detail"
    if case.officer_id == principal.user_id:
        return "detail"
    return "summary"


def supervises(principal: Principal, case: CaseFacts) -> bool:
    """Team leads of the owning team and the allocated officer read supervision notes."""
    if case_access(principal, case) != "detail":
        return False
    if case.officer_id == principal.user_id:
        return True
    return is_lead(principal) and principal.team_id == case.owning_team_id


def can_read_case_detail(principal: Principal, case: CaseFacts | None) -> bool:
    """Whether the principal may read the case's detail (full fields, notes, tasks, ...)."""
    return case_access(principal, case) == "detail"


def detail_case_ids(session: Session, principal: Principal) -> set[uuid.UUID]:
    """Every case of the tenant whose detail the principal may read."""
    return set(facts_for_feed(session, principal, user_teams=False).detail or ())


def can_see_person(principal: Principal, sealed: bool) -> bool:
    """Whether the principal may see a person (and what hangs off them) at all."""
    return not is_admin(principal) and (not sealed or principal.may_view_sealed)


def note_readable(principal: Principal, visibility: str, case_service: str) -> bool:
    """A ``service`` note stays within the case's service; a ``shared`` one does not."""
    return visibility == _SHARED or principal.service == case_service


def marker_scope(
    principal: Principal, row: Row, proposer_team: uuid.UUID | None, sealed: bool
) -> Scope | None:
    """Approved markers show to all; others only to the proposer's team and team leads."""
    if not can_see_person(principal, sealed):
        return "exit"
    if row["status"] == _APPROVED:
        return "full"
    if is_lead(principal) or (principal.team_id is not None and proposer_team == principal.team_id):
        return "full"
    # A marker withdrawn after approval was on every laptop: it has to leave them.
    return None if row["approved_at"] is None else "exit"


def referral_scope(principal: Principal, row: Row, facts: Facts) -> Scope | None:
    """A referral shows to its receiving team (or service inbox) and its case's readers."""
    if not can_see_person(principal, facts.person_sealed(row["person_id"])):
        return "exit"
    team = principal.team_id
    if team is not None and row["to_team_id"] == team:
        return "full"
    if row["to_team_id"] is None and principal.service == row["to_service"]:
        return "full"
    for case_id in (row["case_id"], row["created_case_id"]):
        if facts.detail_service(principal, case_id) is not None:
            return "full"
    if row["case_id"] is None and principal.service == row["from_service"]:
        return "full"
    return "exit"


def read_scope(principal: Principal, spec: EntitySpec, row: Row, facts: Facts) -> Scope | None:
    """How the principal sees a record: full, summary, exit (must leave), or None (never)."""
    name = spec.name
    if not spec.pulled:
        return None
    if name in ("team", "user", "workload_weight"):
        return "full"
    if is_admin(principal):
        return None
    if name in ("property", "household"):
        return "full"
    if name == "person":
        return "full" if can_see_person(principal, row["sealed"]) else "exit"
    if name == "household_member":
        return (
            "full" if can_see_person(principal, facts.person_sealed(row["person_id"])) else "exit"
        )
    if name == "relationship":
        hidden = facts.person_sealed(row["person_id"]) or facts.person_sealed(
            row["related_person_id"]
        )
        return "full" if can_see_person(principal, hidden) else "exit"
    if name == "warning_marker":
        proposer = row["proposed_by_id"]
        team = facts.user_teams.get(proposer) if proposer is not None else None
        return marker_scope(principal, row, team, facts.person_sealed(row["person_id"]))
    if name == "referral":
        return referral_scope(principal, row, facts)
    if name == "case":
        access = facts.case_row_access(principal, row)
        if access == "detail":
            return "full"
        if access == "summary":
            return "summary"
        # Cases of a sealed subject leave laptops like the person does.
        return "exit" if facts.person_sealed(row["subject_person_id"]) else None
    if spec.case_field is not None:
        service = facts.detail_service(principal, row[spec.case_field])
        if service is None:
            # The laptop drops a case's detail when the case arrives as a summary or exit.
            return None
        if name == "note" and not note_readable(principal, row["visibility"], service):
            return None
        if name == "supervision_note" and not facts.reads_supervision(
            principal, row[spec.case_field]
        ):
            # A reader of the case who may not read this (a colleague, or the officer the case
            # was taken from) gets its exit: the laptop removes it if it holds it.
            return "exit"
        return "full"
    return None


_WIRE_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def wire_names(spec: EntitySpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names a change's ``fields`` carry for this entity: in full, and in summary."""
    found = _WIRE_NAMES.get(spec.name)
    if found is None:
        columns = spec.model.__table__.columns  # type: ignore[attr-defined]
        full = tuple(c.name for c in columns if c.name not in _NOT_IN_FIELDS)
        keep = spec.summary_fields | {"updated_at"}
        found = _WIRE_NAMES[spec.name] = (full, tuple(n for n in full if n in keep))
    return found


def project_values(
    principal: Principal,
    spec: EntitySpec,
    row: Row,
    facts: Facts,
    *,
    consume: bool = False,
) -> dict[str, Any] | None:
    """The change the principal is served for this row, as a dict of typed values, or None.

    The summary scope keeps only the entity's summary fields; exits and tombstones carry
    none. With ``consume`` the row must be a dict of exactly id, version, deleted and the
    wire fields, and becomes the change's fields (the feed builds one dict per row, not
    three). Serialised by pydantic-core, typed values give exactly the codec's wire form
    (UUIDs as text, UTC datetimes ending in Z, ISO dates); ``project`` encodes with the codec.
    """
    scope = read_scope(principal, spec, row, facts)
    if scope is None:
        return None
    record_id, version, deleted = row["id"], row["version"], bool(row["deleted"])
    out: dict[str, Any] | None = None
    if scope == "exit" or deleted:
        pass
    elif scope == "full" and consume and isinstance(row, dict):
        out = row
        del out["id"], out["version"], out["deleted"]
    else:
        full, summary = wire_names(spec)
        out = {name: row[name] for name in (full if scope == "full" else summary)}
    return {
        "entity": spec.name,
        "id": record_id,
        "version": version,
        "deleted": deleted,
        "scope": scope,
        "fields": out,
    }


def project(principal: Principal, spec: EntitySpec, row: Row, facts: Facts) -> Change | None:
    """The change the principal is served for this record's current row (wire values), or None."""
    values = project_values(principal, spec, row, facts)
    if values is None:
        return None
    if values["fields"] is not None:
        values["fields"] = codec.encode(spec.model, values["fields"])
    return Change.model_validate(values)


# --- The feed's audience columns ------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who a change-log entry may concern, stored on the entry so the feed filters in SQL.

    It only narrows what the feed reads: every entry the SQL filter passes is still decided by
    ``read_scope`` (or ``conflict_visible``) on the record's current row. An entry passes for
    a principal when it is ``broad``, when its ``case_id`` is a case whose detail they read
    now, when it names them (``user_id``), or when they lead ``lead_team_id``.
    """

    broad: bool = True
    """Any reader in the tenant may need it. False for case detail (notes, tasks, ...), for a
    case change no summary reader sees, and for conflicts."""
    case_id: uuid.UUID | None = None
    """The case whose detail readers get the entry: the case itself, or the detail's case."""
    user_id: uuid.UUID | None = None
    """A user the entry is for (the user whose edit lost a conflict)."""
    lead_team_id: uuid.UUID | None = None
    """The team whose leads the entry is for (a conflict's owning team)."""


def summary_scoped(spec: EntitySpec) -> bool:
    """Whether readers outside the record's detail scope see it as a summary (cases)."""
    return bool(spec.summary_fields)


def entry_audience(spec: EntitySpec, row: Row, *, changed: Collection[str] | None) -> Audience:
    """The audience of an entry for this record's row after a change of ``changed`` fields.

    ``changed`` None means the record was created, deleted or touched because its readers
    changed: then every reader who can see it at all may need it. Case detail goes to the
    case's detail readers only (``read_scope`` serves it to nobody else); a case change
    that touches none of its summary fields goes to its detail readers only, since summary
    readers would be sent the same summary again (the laptop keeps no other field of it).
    """
    if spec.case_field is not None:
        return Audience(broad=False, case_id=row.get(spec.case_field))
    if summary_scoped(spec):
        broad = changed is None or any(
            name in spec.summary_fields or name == "deleted" for name in changed
        )
        return Audience(broad=broad, case_id=row.get("id"))
    return Audience()


def conflict_audience(row: Row) -> Audience:
    """A conflict is for the user whose edit lost and the leads of the owning team."""
    return Audience(broad=False, user_id=row["user_id"], lead_team_id=row["owning_team_id"])


FeedKind = Literal["admin", "lead", "reader"]


def feed_filter(kind: FeedKind, log: Table, postgres: bool) -> ColumnElement[bool]:
    """The SQL condition on change-log columns (``log``: the table) that the feed of a
    principal of this ``feed_kind`` reads: a superset of the entries ``read_scope`` and
    ``conflict_visible`` serve them.

    Administrators read teams and users only. Everyone else reads broad entries, the detail
    of their detail cases (parameter ``detail_cases``, from ``facts_for_feed``), and the
    entries naming them (``user``) or, for team leads, their team (``team``): parameters, so
    a statement built on it serves every principal of the kind.
    """
    if kind == "admin":
        entity: ColumnElement[str] = log.c.entity
        return entity.in_(("team", "user"))
    ways = [
        log.c.broad,
        ids_param(log.c.case_id, postgres, "detail_cases"),
        log.c.user_id == bindparam("user", type_=Uuid()),
    ]
    if kind == "lead":
        ways.append(log.c.lead_team_id == bindparam("team", type_=Uuid()))
    return or_(*ways)


def feed_kind(principal: Principal) -> FeedKind:
    """Which shape of ``feed_filter`` the principal's feed takes."""
    if is_admin(principal):
        return "admin"
    if is_lead(principal) and principal.team_id is not None:
        return "lead"
    return "reader"


# --- Conflicts -------------------------------------------------------------------------------


def conflict_visible(principal: Principal, row: Row) -> bool:
    """Conflicts show to the user whose edit lost and to team leads of the owning team."""
    if row["user_id"] == principal.user_id:
        return True
    return (
        is_lead(principal)
        and principal.team_id is not None
        and (row["owning_team_id"] == principal.team_id)
    )


CONFLICT_FIELDS = (
    "entity",
    "record_id",
    "field",
    "base_value",
    "mine_value",
    "theirs_value",
    "user_id",
    "owning_team_id",
    "client_id",
    "mutation_id",
    "created_at",
    "resolved_at",
    "resolved_by_id",
    "resolution",
)


def conflict_fields(row: Row) -> dict[str, Any]:
    """A stored conflict's fields, typed (the three values are stored as wire values already)."""
    return {
        (name.removesuffix("_value") if name.endswith("_value") else name): row[name]
        for name in CONFLICT_FIELDS
    }


def project_conflict_values(principal: Principal, row: Row) -> dict[str, Any] | None:
    """A conflict as a feed change (entity ``conflict``) of typed values, for those who see it."""
    if not conflict_visible(principal, row):
        return None
    return {
        "entity": "conflict",
        "id": row["id"],
        "version": row["version"],
        "deleted": False,
        "scope": "full",
        "fields": conflict_fields(row),
    }


def project_conflict(principal: Principal, row: Row) -> Change | None:
    """A conflict as a feed change with wire values, for those who should see it."""
    values = project_conflict_values(principal, row)
    if values is None:
        return None
    values["fields"] = json_ready(values["fields"])
    return Change.model_validate(values)


def json_ready(values: dict[str, Any]) -> dict[str, Any]:
    """Typed values (UUIDs, UTC datetimes, dates) as the wire's JSON values."""
    return json.loads(pydantic_core.to_json(values))  # type: ignore[no-any-return]


# --- Writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Denial:
    """Why a write is refused: ``not_found`` (the record is not theirs to know) or ``forbidden``."""

    code: Literal["forbidden", "not_found"]
    errors: tuple[FieldError, ...]


def _deny(code: Literal["forbidden", "not_found"], name: str, message: str) -> Denial:
    return Denial(code, (FieldError(field=name, message=message),))


_NOT_FOUND = "No such record is available to you."


def _changed(op: Op, record: Row, fields: Row, name: str) -> bool:
    return name in fields and (op == "create" or fields[name] != record.get(name))


def check_write(
    principal: Principal,
    spec: EntitySpec,
    op: Op,
    record: Row,
    fields: Row,
    facts: Facts,
) -> Denial | None:
    """Whether the principal may make this change; None when they may.

    ``record`` is the current row for update, delete and transition, and the new row (defaults
    and the given fields) for create; ``fields`` are the values the mutation sets.
    """
    name = spec.name
    if not spec.client_creatable:
        return _deny(
            "forbidden",
            "entity",
            "Teams, users and workload weights are managed by administrators.",
        )
    if name == "audit_event":
        if op != "create":
            return _deny("forbidden", "id", "Audit events are never changed.")
        if record.get("user_id") != principal.user_id:
            return _deny("forbidden", "user_id", "Audit events are accepted only for yourself.")
        return None
    if is_admin(principal):
        return _deny("forbidden", "entity", "Administrators do not change case records.")
    if op != "create":
        if spec.append_only:
            return _deny("forbidden", "id", f"A {name} is append-only: it is never changed.")
        scope = read_scope(principal, spec, record, facts)
        if scope is None or scope == "exit":
            return _deny("not_found", "id", _NOT_FOUND)
        if scope == "summary":
            return _deny(
                "forbidden", "id", "Only the case's team, officer and referred teams may change it."
            )
    rule = _RULES.get(name)
    return rule(principal, op, record, fields, facts) if rule else None


Rule = Callable[[Principal, Op, Row, Row, Facts], Denial | None]


def _person_rule(p: Principal, op: Op, record: Row, fields: Row, facts: Facts) -> Denial | None:
    sealing = _changed(op, record, fields, "sealed") and (op != "create" or fields["sealed"])
    if sealing and not is_lead(p):
        return _deny("forbidden", "sealed", "Only a team lead may seal or unseal a person.")
    return None


def _person_ref_rule(*columns: str) -> Rule:
    def rule(p: Principal, op: Op, record: Row, fields: Row, facts: Facts) -> Denial | None:
        for column in columns:
            if not can_see_person(p, facts.person_sealed(record.get(column))):
                return _deny("not_found", column, _NOT_FOUND)
        return None

    return rule


def _case_rule(p: Principal, op: Op, record: Row, fields: Row, facts: Facts) -> Denial | None:
    if op == "create":
        if not can_see_person(p, facts.person_sealed(record.get("subject_person_id"))):
            return _deny("not_found", "subject_person_id", _NOT_FOUND)
        if p.team_id is None or record.get("owning_team_id") != p.team_id:
            return _deny(
                "forbidden", "owning_team_id", "You may create cases only for your own team."
            )
        officer = record.get("officer_id")
        if officer is not None and officer != p.user_id and not is_lead(p):
            return _deny(
                "forbidden", "officer_id", "Only a team lead may allocate a case to someone else."
            )
        return None
    case = facts.cases.get(record["id"])
    lead_of_owner = is_lead(p) and case is not None and case.owning_team_id == p.team_id
    refused = [
        FieldError(field=name, message="Only a team lead of the owning team may change this.")
        for name in sorted(BY_NAME["case"].lead_only)
        if _changed(op, record, fields, name) and not lead_of_owner
    ]
    if refused:
        return Denial("forbidden", tuple(refused))
    moving = [n for n in REASSIGNING_FIELDS if _changed(op, record, fields, n)]
    if moving:
        officer = fields.get("officer_id", record.get("officer_id"))
        team = fields.get("owning_team_id", record.get("owning_team_id"))
        if facts.allocated.get(record["id"]) != (officer, team):
            return _deny(
                "forbidden",
                moving[0],
                "A case is allocated or reassigned only with an allocation record giving the "
                "reason.",
            )
    requester = fields.get("closure_requested_by_id")
    if _changed(op, record, fields, "closure_requested_by_id") and requester not in (
        None,
        p.user_id,
    ):
        return _deny(
            "forbidden", "closure_requested_by_id", "A closure is requested by the person asking."
        )
    kind = CASE_TYPES.get(str(record.get("case_type")))
    closing = op == "transition" and fields.get("status") == CLOSED
    if closing and kind is not None and kind.closure_needs_approval and not lead_of_owner:
        return _deny(
            "forbidden",
            "status",
            f"A {kind.label} case is closed only by a team lead of its team: request closure "
            "and a lead will approve it.",
        )
    return None


def _allocation_rule(p: Principal, op: Op, record: Row, fields: Row, facts: Facts) -> Denial | None:
    case = facts.cases.get(record.get("case_id"))  # type: ignore[arg-type]
    if case_access(p, case) == "none":
        return _deny("not_found", "case_id", _NOT_FOUND)
    assert case is not None
    if not (is_lead(p) and case.owning_team_id == p.team_id):
        return _deny("forbidden", "case_id", "Only a team lead of the case's team may allocate it.")
    if record.get("allocated_by_id") != p.user_id:
        return _deny(
            "forbidden", "allocated_by_id", "An allocation is made by the lead sending it."
        )
    current = case.officer_id
    if record.get("from_officer_id") != current and record.get("to_officer_id") != current:
        return _deny(
            "forbidden",
            "from_officer_id",
            "The case is no longer with this officer: reload it and allocate again.",
        )
    return None


def _supervision_rule(
    p: Principal, op: Op, record: Row, fields: Row, facts: Facts
) -> Denial | None:
    case = facts.cases.get(record.get("case_id"))  # type: ignore[arg-type]
    if case_access(p, case) == "none":
        return _deny("not_found", "case_id", _NOT_FOUND)
    assert case is not None
    if not supervises(p, case):
        return _deny(
            "forbidden",
            "case_id",
            "Supervision notes are for the team's leads and the case's allocated officer.",
        )
    if record.get("author_id") != p.user_id:
        return _deny("forbidden", "author_id", "A note's author is the person writing it.")
    return None


def _case_detail_rule(
    p: Principal, op: Op, record: Row, fields: Row, facts: Facts
) -> Denial | None:
    if op == "create":
        access = case_access(p, facts.cases.get(record.get("case_id")))  # type: ignore[arg-type]
        if access == "none":
            return _deny("not_found", "case_id", _NOT_FOUND)
        if access == "summary":
            return _deny(
                "forbidden",
                "case_id",
                "Only the case's team, officer and referred teams may add to it.",
            )
        for column in ("author_id",):
            if column in record and record[column] not in (None, p.user_id):
                return _deny("forbidden", column, "A note's author is the person writing it.")
    return None


def _marker_rule(p: Principal, op: Op, record: Row, fields: Row, facts: Facts) -> Denial | None:
    if not can_see_person(p, facts.person_sealed(record.get("person_id"))):
        return _deny("not_found", "person_id", _NOT_FOUND)
    if op == "create" and record.get("proposed_by_id") not in (None, p.user_id):
        return _deny(
            "forbidden", "proposed_by_id", "A marker is proposed by the person sending it."
        )
    if is_lead(p):
        if _changed(op, record, fields, "approved_by_id") and fields["approved_by_id"] not in (
            None,
            p.user_id,
        ):
            return _deny(
                "forbidden", "approved_by_id", "A marker is approved by the lead sending it."
            )
        return None
    refused = []
    for name in sorted(BY_NAME["warning_marker"].lead_only):
        if not _changed(op, record, fields, name):
            continue
        if op == "create" and (
            fields[name] is None or (name == "status" and fields[name] == _PROPOSED)
        ):
            continue
        refused.append(FieldError(field=name, message="Only a team lead may approve a marker."))
    return Denial("forbidden", tuple(refused)) if refused else None


def _referral_rule(p: Principal, op: Op, record: Row, fields: Row, facts: Facts) -> Denial | None:
    if not can_see_person(p, facts.person_sealed(record.get("person_id"))):
        return _deny("not_found", "person_id", _NOT_FOUND)
    if op == "create":
        case_id = record.get("case_id")
        if case_id is not None and not can_read_case_detail(p, facts.cases.get(case_id)):
            return _deny("not_found", "case_id", _NOT_FOUND)
        if record.get("from_service") != p.service:
            return _deny("forbidden", "from_service", "A referral is sent from your own service.")
        return None
    receiving = (p.team_id is not None and record.get("to_team_id") == p.team_id) or (
        record.get("to_team_id") is None and record.get("to_service") == p.service
    )
    if not receiving:
        names = [n for n in ("status", "decline_reason", "created_case_id") if n in fields]
        if any(_changed(op, record, fields, n) for n in names):
            return _deny(
                "forbidden", names[0], "Only the receiving team may accept or decline a referral."
            )
    return None


_RULES: dict[str, Rule] = {
    "person": _person_rule,
    "household_member": _person_ref_rule("person_id"),
    "relationship": _person_ref_rule("person_id", "related_person_id"),
    "case": _case_rule,
    "note": _case_detail_rule,
    "task": _case_detail_rule,
    "assessment": _case_detail_rule,
    "attachment": _case_detail_rule,
    "warning_marker": _marker_rule,
    "referral": _referral_rule,
    "allocation": _allocation_rule,
    "supervision_note": _supervision_rule,
}
