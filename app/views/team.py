"""A team lead's caseload review over the local store: workload, clocks as RAG, queues, export."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cache

from sqlalchemy import Connection, String, and_, case, func, or_, select, type_coerce
from sqlalchemy.engine import MappingResult
from sqlalchemy.sql import FromClause

from app.models import entities as e
from app.models.workflow import CASE_TYPES, CLOSED, Clock, add_working_days
from app.models.workload import WeightKey, effective_weights, points_for

_CASE = e.Case.__table__
_TASK = e.Task.__table__
_USER = e.User.__table__
_PERSON = e.Person.__table__
_TEAM = e.Team.__table__
_REFERRAL = e.Referral.__table__
_MARKER = e.WarningMarker.__table__
_ALLOCATION = e.Allocation.__table__
_SUPERVISION = e.SupervisionNote.__table__
_WEIGHT = e.WorkloadWeight.__table__


class Rag(StrEnum):
    """Red: past a deadline; amber: close to one or work overdue; green: on track."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


RAG_LABELS: dict[Rag, str] = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green"}
"""Plain English for each status (the UI translates; meaning is never by colour alone)."""

_RANK = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}

CLOCK_LABELS: dict[str, str] = {
    "prevention_duty": "Prevention duty (56 days)",
    "relief_duty": "Relief duty (56 days)",
    "first_review": "Care Act first review",
    "referral_decision": "Referral decision (1 working day)",
    "assessment": "Assessment (45 working days)",
    "repair_target": "Repair target",
    "due_date": "Due date",
}


def worst(rags: Iterable[Rag]) -> Rag:
    """The most urgent of several statuses (green when there are none)."""
    return max(rags, key=_RANK.__getitem__, default=Rag.GREEN)


@dataclass(frozen=True, slots=True)
class Deadline:
    """One clock on a case: which, when it falls due, and how that stands at ``now``."""

    name: str
    due: datetime
    rag: Rag
    now: datetime

    @property
    def text(self) -> str:
        """The standing in words (made on demand: only the worst clock of a case is shown)."""
        label = CLOCK_LABELS.get(self.name, self.name.replace("_", " ").capitalize())
        left = self.due - self.now
        if self.rag is Rag.RED:
            return f"{label}: overdue by {_amount(-left)}"
        if self.rag is Rag.AMBER:
            return f"{label}: due in {_amount(left)}"
        return f"{label}: due {self.due:%d %b %Y}"


def _amount(span: timedelta) -> str:
    return f"{span.days} days" if span.days >= 1 else f"{int(span.total_seconds() // 3600)} h"


@dataclass(frozen=True, slots=True)
class CaseLine:
    """One open case of the team as the caseload review shows it."""

    id: uuid.UUID
    reference: str
    case_type: str
    case_label: str
    status: str
    priority: str
    officer_id: uuid.UUID | None
    officer_name: str
    subject_name: str
    points: int
    overdue_tasks: int
    overdue_visits: int
    deadline: Deadline | None
    rag: Rag
    rag_text: str


@dataclass
class OfficerLoad:
    """One officer's share of the team's open work."""

    officer_id: uuid.UUID | None
    name: str
    open_cases: int = 0
    points: int = 0
    overdue_tasks: int = 0
    overdue_visits: int = 0
    red: int = 0
    amber: int = 0

    @property
    def rag(self) -> Rag:
        """Red if any case is red, amber if any is amber, else green."""
        return Rag.RED if self.red else Rag.AMBER if self.amber else Rag.GREEN


@dataclass(frozen=True)
class QueueItem:
    """An unallocated case or a referral waiting for the team, oldest first."""

    kind: str  # "case" or "referral"
    id: uuid.UUID
    received: date
    label: str
    subject_name: str
    urgency: str
    summary: str


@dataclass
class TeamDashboard:
    """Everything the caseload page shows, computed in one pass over the store."""

    team_id: uuid.UUID
    team_name: str
    as_of: datetime
    officers: list[OfficerLoad] = field(default_factory=list)
    cases: list[CaseLine] = field(default_factory=list)
    queue: list[QueueItem] = field(default_factory=list)

    def cases_of(self, officer_id: uuid.UUID | None) -> list[CaseLine]:
        """The drill-down: one officer's open cases (None: the unallocated ones)."""
        return [c for c in self.cases if c.officer_id == officer_id]


# --- Clocks ----------------------------------------------------------------------------------


@cache
def _working_days_ahead(start: date, count: int) -> int:
    """Calendar days from ``start`` to ``count`` working days later (many cases share a day)."""
    return (add_working_days(start, count) - start).days


def _clock_due(clock: Clock, started: datetime) -> datetime:
    if clock.working_days:
        return started + timedelta(days=_working_days_ahead(started.date(), clock.working_days))
    return started + timedelta(days=clock.days)


_DAY = timedelta(days=1)
_ZERO = timedelta(0)


def _assess(name: str, due: datetime, length: timedelta, now: datetime) -> Deadline:
    """RAG for one deadline: red once past, amber in its last fifth (at least a day)."""
    left = due - now
    if left < _ZERO:
        return Deadline(name, due, Rag.RED, now)
    if left <= max(length / 5, _DAY):
        return Deadline(name, due, Rag.AMBER, now)
    return Deadline(name, due, Rag.GREEN, now)


def case_deadlines(
    case_type: str,
    status: str,
    status_changed_at: datetime,
    opened_at: datetime,
    due_date: date | None,
    target_at: datetime | None,
    now: datetime,
) -> list[Deadline]:
    """The running clocks of an open case: statutory clocks of its status, repair target,
    and its due date (Care Act review dates and the like are kept there)."""
    found: list[Deadline] = []
    kind = CASE_TYPES.get(case_type)
    if kind is not None:
        for clock in kind.clocks:
            if clock.starts_in == status:
                due = _clock_due(clock, status_changed_at)
                found.append(_assess(clock.name, due, due - status_changed_at, now))
    if target_at is not None:
        found.append(_assess("repair_target", target_at, target_at - opened_at, now))
    if due_date is not None:
        due = datetime.combine(due_date, datetime.max.time(), tzinfo=now.tzinfo)
        found.append(_assess("due_date", due, max(due - opened_at, timedelta(days=1)), now))
    return found


# --- Queries ---------------------------------------------------------------------------------

_CLOCKED = frozenset(
    (code, clock.starts_in) for code, kind in CASE_TYPES.items() for clock in kind.clocks
)
"""(case type, status) pairs in which a statutory clock runs."""


def load_weights(connection: Connection) -> dict[WeightKey, int]:
    """The council's workload weights as synced from the platform, over the defaults."""
    rows = connection.execute(
        select(_WEIGHT.c.case_type, _WEIGHT.c.priority, _WEIGHT.c.points).where(
            _WEIGHT.c.deleted.is_(False)
        )
    ).tuples()
    return effective_weights(rows)


def team_members(connection: Connection, team_id: uuid.UUID) -> list[tuple[uuid.UUID, str, str]]:
    """(id, display name, role) of the team's users, by name."""
    rows = connection.execute(
        select(_USER.c.id, _USER.c.display_name, _USER.c.role)
        .where(_USER.c.team_id == team_id, _USER.c.deleted.is_(False))
        .order_by(_USER.c.display_name)
    ).tuples()
    return list(rows)


def transfer_teams(connection: Connection, team_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of the teams a case of ``team_id`` may move to: its own first, then the other
    teams of the same service by name (a case stays in its service)."""
    own = connection.execute(
        select(_TEAM.c.id, _TEAM.c.name, _TEAM.c.service).where(_TEAM.c.id == team_id)
    ).first()
    if own is None:
        return []
    others = connection.execute(
        select(_TEAM.c.id, _TEAM.c.name)
        .where(_TEAM.c.service == own.service, _TEAM.c.id != team_id, _TEAM.c.deleted.is_(False))
        .order_by(_TEAM.c.name)
    ).tuples()
    return [(own.id, own.name), *others]


def _utc(text: str) -> datetime:
    """A timestamp as the store keeps it on SQLite (naive UTC text), as an aware datetime."""
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _user_names(connection: Connection) -> dict[uuid.UUID, str]:
    """Every user this laptop knows, id to display name (deleted ones too: history names them)."""
    return dict(connection.execute(select(_USER.c.id, _USER.c.display_name)).tuples().all())


def _case_history(
    connection: Connection, table: FromClause, case_id: uuid.UUID, when: str
) -> MappingResult:
    """The live rows of a per-case ``table`` (as mappings), oldest ``when`` first."""
    return connection.execute(
        select(table)
        .where(table.c.case_id == case_id, table.c.deleted.is_(False))
        .order_by(table.c[when], table.c.id)
    ).mappings()


def _person_name(given: str | None, family: str | None) -> str:
    return f"{given or ''} {family or ''}".strip()


def team_dashboard(
    connection: Connection,
    team_id: uuid.UUID,
    now: datetime,
    weights: Mapping[WeightKey, int] | None = None,
) -> TeamDashboard:
    """Per officer open cases, points, overdue tasks and visits, and each case's worst clock."""
    weights = weights if weights is not None else load_weights(connection)
    team_name = connection.execute(select(_TEAM.c.name).where(_TEAM.c.id == team_id)).scalar()
    board = TeamDashboard(team_id=team_id, team_name=team_name or "", as_of=now)
    names = {uid: name for uid, name, _role in team_members(connection, team_id)}
    officers: dict[uuid.UUID | None, OfficerLoad] = {
        uid: OfficerLoad(uid, name)
        for uid, name, role in team_members(connection, team_id)
        if role == e.Role.FIELD_OFFICER
    }
    open_case = and_(
        _CASE.c.owning_team_id == team_id, _CASE.c.status != CLOSED, _CASE.c.deleted.is_(False)
    )
    overdue = and_(
        _TASK.c.status == e.TaskStatus.OPEN,
        _TASK.c.deleted.is_(False),
        _TASK.c.due_at.is_not(None),
        _TASK.c.due_at < now,
    )
    # Ids as their stored hex text: turning thousands into UUID objects costs more than the
    # query itself, and only the cases' own ids need to be UUIDs.
    late = (
        select(
            type_coerce(_TASK.c.case_id, String).label("case_id"),
            func.sum(case((_TASK.c.kind == e.TaskKind.TASK, 1), else_=0)).label("tasks"),
            func.sum(case((_TASK.c.kind == e.TaskKind.VISIT, 1), else_=0)).label("visits"),
        )
        .where(overdue, _TASK.c.case_id.in_(select(_CASE.c.id).where(open_case)))
        .group_by(_TASK.c.case_id)
    )
    late_by_case = {row.case_id: (row.tasks, row.visits) for row in connection.execute(late)}
    officer_ids = {uid.hex: uid for uid in names}
    rows = connection.execute(
        select(
            type_coerce(_CASE.c.id, String).label("id"),
            _CASE.c.reference,
            _CASE.c.case_type,
            _CASE.c.status,
            _CASE.c.priority,
            type_coerce(_CASE.c.officer_id, String).label("officer_id"),
            # Stored text parsed by fromisoformat: SQLAlchemy's SQLite date parsing is a regex.
            type_coerce(_CASE.c.status_changed_at, String).label("status_changed_at"),
            type_coerce(_CASE.c.opened_at, String).label("opened_at"),
            type_coerce(_CASE.c.due_date, String).label("due_date"),
            type_coerce(_CASE.c.target_at, String).label("target_at"),
            _PERSON.c.given_name,
            _PERSON.c.family_name,
        )
        .join(_PERSON, _PERSON.c.id == _CASE.c.subject_person_id, isouter=True)
        .where(open_case)
        .order_by(_CASE.c.reference)
    )
    for row in rows:
        # Most open cases run no clock in their status: parse their times only when needed.
        clocked = (row.case_type, row.status) in _CLOCKED
        deadlines = (
            case_deadlines(
                row.case_type,
                row.status,
                _utc(row.status_changed_at),
                _utc(row.opened_at),
                date.fromisoformat(row.due_date) if row.due_date else None,
                _utc(row.target_at) if row.target_at else None,
                now,
            )
            if clocked or row.due_date or row.target_at
            else []
        )
        tasks, visits = late_by_case.get(row.id, (0, 0))
        nearest = min(
            deadlines, key=lambda d: (-_RANK[d.rag], d.due), default=None
        )  # the worst, and of equals the soonest
        rag = nearest.rag if nearest else Rag.GREEN
        text = nearest.text if nearest else "No running clock"
        if (tasks or visits) and rag is Rag.GREEN:
            rag = Rag.AMBER
        if tasks or visits:
            text += f"; overdue: {tasks} tasks, {visits} visits"
        officer_hex = row.officer_id
        officer_id = (
            officer_ids.get(officer_hex) or uuid.UUID(hex=officer_hex) if officer_hex else None
        )
        kind = CASE_TYPES.get(row.case_type)
        line = CaseLine(
            id=uuid.UUID(hex=row.id),
            reference=row.reference,
            case_type=row.case_type,
            case_label=kind.label if kind else row.case_type,
            status=row.status,
            priority=row.priority,
            officer_id=officer_id,
            officer_name=names.get(officer_id, "") if officer_id else "",
            subject_name=_person_name(row.given_name, row.family_name),
            points=points_for(weights, row.case_type, row.priority),
            overdue_tasks=tasks,
            overdue_visits=visits,
            deadline=nearest,
            rag=rag,
            rag_text=text,
        )
        board.cases.append(line)
        if officer_id is None:
            continue
        load = officers.get(officer_id)
        if load is None:  # a case with a lead or an officer of another team
            load = officers[officer_id] = OfficerLoad(officer_id, names.get(officer_id, ""))
        load.open_cases += 1
        load.points += line.points
        load.overdue_tasks += tasks
        load.overdue_visits += visits
        load.red += rag is Rag.RED
        load.amber += rag is Rag.AMBER
    board.officers = sorted(officers.values(), key=lambda o: o.name)
    board.queue = allocation_queue(connection, team_id)
    return board


def allocation_queue(connection: Connection, team_id: uuid.UUID) -> list[QueueItem]:
    """New cases nobody carries yet and referrals sent to the team (or its service's inbox)."""
    service = connection.execute(select(_TEAM.c.service).where(_TEAM.c.id == team_id)).scalar()
    items: list[QueueItem] = []
    for row in connection.execute(
        select(
            _CASE.c.id,
            _CASE.c.reference,
            _CASE.c.case_type,
            _CASE.c.priority,
            _CASE.c.referral_date,
            _CASE.c.summary,
            _PERSON.c.given_name,
            _PERSON.c.family_name,
        )
        .join(_PERSON, _PERSON.c.id == _CASE.c.subject_person_id, isouter=True)
        .where(
            _CASE.c.owning_team_id == team_id,
            _CASE.c.officer_id.is_(None),
            _CASE.c.status != CLOSED,
            _CASE.c.deleted.is_(False),
        )
    ):
        kind = CASE_TYPES.get(row.case_type)
        items.append(
            QueueItem(
                "case",
                row.id,
                row.referral_date,
                f"{row.reference} · {kind.label if kind else row.case_type}",
                _person_name(row.given_name, row.family_name),
                row.priority,
                row.summary or "",
            )
        )
    for row in connection.execute(
        select(
            _REFERRAL.c.id,
            _REFERRAL.c.from_service,
            _REFERRAL.c.urgency,
            _REFERRAL.c.sent_at,
            _REFERRAL.c.reason,
            _PERSON.c.given_name,
            _PERSON.c.family_name,
        )
        .join(_PERSON, _PERSON.c.id == _REFERRAL.c.person_id, isouter=True)
        .where(
            _REFERRAL.c.status == e.ReferralStatus.SENT,
            _REFERRAL.c.deleted.is_(False),
            or_(
                _REFERRAL.c.to_team_id == team_id,
                and_(_REFERRAL.c.to_team_id.is_(None), _REFERRAL.c.to_service == service),
            ),
        )
    ):
        items.append(
            QueueItem(
                "referral",
                row.id,
                row.sent_at.date(),
                f"Referral from {row.from_service.replace('_', ' ')}",
                _person_name(row.given_name, row.family_name),
                row.urgency,
                row.reason,
            )
        )
    items.sort(key=lambda i: (i.received, i.label))
    return items


# --- Approvals, history, supervision ---------------------------------------------------------


@dataclass(frozen=True)
class PendingMarker:
    """A warning marker an officer proposed, waiting for a team lead."""

    id: uuid.UUID
    person_name: str
    category: str
    reason: str
    review_date: date
    proposed_by: str


@dataclass(frozen=True)
class PendingClosure:
    """A case whose officer asked for it to close; its type needs a lead's approval."""

    id: uuid.UUID
    reference: str
    case_label: str
    status: str
    closure_reason: str
    requested_at: datetime
    requested_by: str


def pending_markers(connection: Connection) -> list[PendingMarker]:
    """Proposed markers on this laptop (a lead's feed holds every proposal they may approve)."""
    names = _user_names(connection)
    rows = connection.execute(
        select(
            _MARKER.c.id,
            _MARKER.c.category,
            _MARKER.c.reason,
            _MARKER.c.review_date,
            _MARKER.c.proposed_by_id,
            _PERSON.c.given_name,
            _PERSON.c.family_name,
        )
        .join(_PERSON, _PERSON.c.id == _MARKER.c.person_id, isouter=True)
        .where(_MARKER.c.status == e.MarkerStatus.PROPOSED, _MARKER.c.deleted.is_(False))
        .order_by(_MARKER.c.review_date, _MARKER.c.id)
    )
    return [
        PendingMarker(
            r.id,
            _person_name(r.given_name, r.family_name),
            r.category,
            r.reason,
            r.review_date,
            names.get(r.proposed_by_id, ""),
        )
        for r in rows
    ]


def pending_closures(connection: Connection, team_id: uuid.UUID) -> list[PendingClosure]:
    """The team's open cases with a closure request waiting."""
    names = _user_names(connection)
    rows = connection.execute(
        select(
            _CASE.c.id,
            _CASE.c.reference,
            _CASE.c.case_type,
            _CASE.c.status,
            _CASE.c.closure_reason,
            _CASE.c.closure_requested_at,
            _CASE.c.closure_requested_by_id,
        )
        .where(
            _CASE.c.owning_team_id == team_id,
            _CASE.c.status != CLOSED,
            _CASE.c.closure_requested_at.is_not(None),
            _CASE.c.deleted.is_(False),
        )
        .order_by(_CASE.c.closure_requested_at)
    )
    return [
        PendingClosure(
            r.id,
            r.reference,
            CASE_TYPES[r.case_type].label if r.case_type in CASE_TYPES else r.case_type,
            r.status,
            r.closure_reason or "",
            r.closure_requested_at,
            names.get(r.closure_requested_by_id, ""),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class AllocationEntry:
    """One step of a case's allocation history."""

    id: uuid.UUID
    at: datetime
    from_officer: str
    to_officer: str
    by: str
    reason: str


def allocation_history(connection: Connection, case_id: uuid.UUID) -> list[AllocationEntry]:
    """Who carried the case, who moved it and why, oldest first."""
    names = _user_names(connection)
    rows = _case_history(connection, _ALLOCATION, case_id, "allocated_at")
    return [
        AllocationEntry(
            r["id"],
            r["allocated_at"],
            names.get(r["from_officer_id"], "") if r["from_officer_id"] else "",
            names.get(r["to_officer_id"], "") if r["to_officer_id"] else "",
            names.get(r["allocated_by_id"], ""),
            r["reason"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class SupervisionEntry:
    """One supervision note on a case."""

    id: uuid.UUID
    at: datetime
    author: str
    text: str
    pending: bool


def supervision_notes(connection: Connection, case_id: uuid.UUID) -> list[SupervisionEntry]:
    """A case's supervision notes, oldest first; ``pending`` until the platform has them."""
    names = _user_names(connection)
    rows = _case_history(connection, _SUPERVISION, case_id, "created_at")
    return [
        SupervisionEntry(
            r["id"], r["created_at"], names.get(r["author_id"], ""), r["text"], r["version"] == 0
        )
        for r in rows
    ]


# --- Export ----------------------------------------------------------------------------------

CSV_COLUMNS = (
    "reference",
    "officer",
    "case_type",
    "status",
    "priority",
    "points",
    "rag",
    "rag_reason",
    "deadline",
    "overdue_tasks",
    "overdue_visits",
)


def _cell(value: object) -> object:
    """A value a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def caseload_csv(board: TeamDashboard) -> str:
    """The team's open caseload as CSV (no resident names: it leaves the encrypted store)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in sorted(board.cases, key=lambda c: (c.officer_name, c.reference)):
        writer.writerow(
            _cell(value)
            for value in (
                line.reference,
                line.officer_name or "Unallocated",
                line.case_label,
                line.status,
                line.priority,
                line.points,
                RAG_LABELS[line.rag],
                line.rag_text,
                line.deadline.due.date().isoformat() if line.deadline else "",
                line.overdue_tasks,
                line.overdue_visits,
            )
        )
    return out.getvalue()
