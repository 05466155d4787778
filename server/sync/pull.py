"""Serving the change feed: one page of a principal's scope after an opaque, commit-safe cursor.

On PostgreSQL every change-log row carries the id of the transaction that wrote it, and a page
holds only rows older than the oldest transaction still running (``pg_snapshot_xmin``), in
(xid, seq) order: a transaction that took its sequence numbers early but commits late is
still ahead of every cursor when it commits, so nothing is skipped. SQLite serialises writers,
so there the sequence order is commit order. Each entry is served as the record's current row
(only when the entry names the current version: older entries are superseded by a later one),
projected through ``server.access`` with the principal's facts loaded once per page.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic_core
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    and_,
    bindparam,
    cast,
    literal_column,
    null,
    or_,
    select,
    text,
    tuple_,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from app.models.base import UTCDateTime
from app.models.registry import BY_NAME, SPECS
from app.sync.protocol import Cursor, CursorError, PullResponse
from server import access
from server.db import current_epoch
from server.deps import Principal
from server.models import ChangeLog, Conflict
from server.problems import Problem
from server.sync.sql import is_postgres

_RANK = {spec.name: rank for rank, spec in enumerate(SPECS)}

# Evaluated in the same statement as the feed query, so it is that statement's snapshot.
_XMIN = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint", BigInteger)


def feed_epoch(
    session: Session, principal: Principal, local_settings: Mapping[str, str] | None = None
) -> uuid.UUID:
    """The epoch of this principal's feed: the server's, moved on by their feed generation.

    A change of what a user may read (team, role, sealed access; ``server.users``) bumps
    the generation, so their laptops' cursors fail with 'resync-required' and they pull
    their new scope from the start, replacing what they held: records they gained arrive,
    records they lost go, whatever the feed's entries said before.
    """
    epoch = current_epoch(session, local_settings=local_settings)
    if principal.feed_generation == 0:
        return epoch
    return uuid.uuid5(epoch, f"feed-generation:{principal.feed_generation}")


def parse_cursor(
    session: Session,
    cursor: str | None,
    principal: Principal,
    local_settings: Mapping[str, str] | None = None,
) -> Cursor:
    """The position a client asked for; Problem 400 'bad-cursor' or 409 'resync-required'."""
    epoch = feed_epoch(session, principal, local_settings)
    if not cursor:
        return Cursor.start(epoch)
    try:
        position = Cursor.decode(cursor)
    except CursorError as error:
        raise Problem(
            400,
            "bad-cursor",
            "The sync cursor is not valid.",
            f"{error} Pull without a cursor to start again.",
        ) from None
    if position.epoch != epoch:
        raise Problem(
            409,
            "resync-required",
            "The platform was restored; start the feed again.",
            "Pull from the start (no cursor) and keep pushing the outbox: nothing pending is lost.",
            extra={"epoch": str(epoch)},
        )
    return position


def _tables() -> dict[str, Table]:
    tables: dict[str, Table] = {
        spec.name: spec.model.__table__  # type: ignore[attr-defined]
        for spec in SPECS
        if spec.pulled
    }
    tables["conflict"] = Conflict.__table__  # type: ignore[assignment]
    return tables


_TABLES = _tables()


@dataclass(frozen=True)
class FeedPage:
    """One page of the feed with typed values, ready to serialise or to validate."""

    changes: list[dict[str, Any]]
    cursor: str
    has_more: bool
    epoch: uuid.UUID

    def to_json(self) -> bytes:
        """The page as PullResponse JSON, serialised by pydantic-core in one pass.

        Typed values serialise to exactly the codec's wire form (a test holds the two
        equal), so no per-value encoding runs in Python on the feed's hot path.
        """
        return pydantic_core.to_json(
            {
                "changes": self.changes,
                "cursor": self.cursor,
                "has_more": self.has_more,
                "epoch": self.epoch,
            }
        )

    def to_response(self) -> PullResponse:
        """The page as a validated PullResponse with wire values."""
        return PullResponse.model_validate_json(self.to_json())


def pull_page(
    session: Session, principal: Principal, cursor: str | None, limit: int
) -> PullResponse:
    """The next page of the principal's change feed after ``cursor`` (None: the beginning).

    Raises Problem 400 'bad-cursor' for a cursor this platform did not make and 409
    'resync-required' for a cursor of another epoch (the database was restored).
    """
    return feed_page(session, principal, cursor, limit).to_response()


def feed_page(session: Session, principal: Principal, cursor: str | None, limit: int) -> FeedPage:
    """``pull_page`` without the final validation: what the pull route serialises.

    The scan of the change log filters need-to-know in SQL (``access.feed_filter`` on the
    entries' audience columns), so it returns only entries that may concern the principal.
    Its cursor is the last entry returned when the page is full; otherwise the feed's
    high-water mark read in the same statement (same snapshot), so a client whose scope saw
    nothing new does not scan the same entries again next time.
    """
    position = parse_cursor(session, cursor, principal, _FEED_SETTINGS)
    initial = position.xid == 0 and position.seq == 0
    postgres = is_postgres(session)
    facts = access.facts_for_feed(session, principal, user_teams=False)
    detail = facts.detail or {}
    params = {
        "tenant": principal.tenant_id,
        "xid": position.xid,
        "seq": position.seq,
        "limit": limit,
        "detail_cases": list(detail),
        "user": principal.user_id,
        "team": principal.team_id,
    }
    scan = _scan(access.feed_kind(principal), postgres)
    rows = session.connection().execute(scan, params).tuples().all()
    if any(row[3] == "warning_marker" for row in rows):
        facts.user_teams = access.load_user_teams(session, principal.tenant_id)
    entries = [row for row in rows if row[0] == 0]
    high = max([(position.xid, position.seq)] + [(int(r[1]), int(r[2])) for r in rows])
    if len(entries) >= limit:
        high = max((int(r[1]), int(r[2])) for r in entries)
    end = Cursor(position.epoch, *high)
    has_more = len(entries) >= limit
    if not entries:
        return FeedPage([], end.encode(), has_more, end.epoch)
    # The page's records are read by the (id, version) its entries name: every entry is
    # committed (older than the oldest transaction running when the page was cut), and a
    # record whose current version is not the entry's has a later entry that serves it, so
    # superseded versions are collapsed by the database. Not so for a case the principal
    # sees only in summary: a later change of fields they do not see passes them by, so
    # their entry serves whatever version is current (version 0 below: any).
    detail_keys: Collection[Any] = {str(i) for i in detail} if postgres else detail
    wanted: dict[str, dict[Any, int]] = {}
    for _top, _xid, _seq, entity, record_id, version in entries:
        if entity in _SUMMARY_SCOPED and record_id not in detail_keys:
            version = 0
        found = wanted.setdefault(entity, {})
        found[record_id] = max(found.get(record_id, version), version)
    changes: list[dict[str, Any]] = []
    for name in sorted(wanted, key=_rank):
        table = _TABLES.get(name)
        if table is None:
            continue
        spec = BY_NAME.get(name)
        columns: list[ColumnElement[Any]]
        if spec is None:
            columns = list(table.columns)
            names: tuple[str, ...] = ()
        else:
            names = access.wire_names(spec)[0]
            columns = [
                table.c.id,
                table.c.version,
                table.c.deleted,
                *(_plain(table.c[n]) if postgres else table.c[n] for n in names),
            ]
        found_rows = _current_rows(session, principal, table, columns, wanted[name], postgres)
        keys = tuple(c.name for c in columns)
        for row in found_rows:
            values = dict(zip(keys, row, strict=True))
            if spec is None:
                change = access.project_conflict_values(principal, values)
            else:
                change = access.project_values(principal, spec, values, facts, consume=True)
            # A device starting from nothing holds nothing that would have to leave it.
            if change is None or (initial and change["scope"] == "exit"):
                continue
            changes.append(change)
    return FeedPage(changes, end.encode(), has_more, end.epoch)


_FEED_SETTINGS = {
    # (The planner's random-read cost is the engine's: server.db.PLANNER_OPTIONS.)
    # Timestamps in UTC, which pydantic-core writes exactly as the codec does.
    "TimeZone": "UTC",
}
"""Set for the feed's own transaction (PostgreSQL), with the epoch read."""

_SUMMARY_SCOPED = frozenset(spec.name for spec in SPECS if access.summary_scoped(spec))


_SCANS: dict[tuple[access.FeedKind, bool], CompoundSelect[Any]] = {}


def _scan(kind: access.FeedKind, postgres: bool) -> CompoundSelect[Any]:
    """The page's entries (first column 0) and the feed's high-water mark (1), one snapshot.

    On PostgreSQL both parts read only entries older than the oldest running transaction
    (``_XMIN``, evaluated once for the statement), so the high-water mark never passes an
    entry the page could not yet see. Built once per ``access.feed_kind`` and database;
    parameters ``tenant``, ``xid``, ``seq``, ``limit`` and those of ``access.feed_filter``.
    """
    found = _SCANS.get((kind, postgres))
    if found is not None:
        return found
    log: Table = ChangeLog.__table__  # type: ignore[assignment]
    # On PostgreSQL the ids come back as text, to be sent back joined in one parameter.
    record_id = cast(log.c.record_id, Text) if postgres else log.c.record_id
    tenant = log.c.tenant_id == bindparam("tenant", type_=Uuid())
    xid, seq = bindparam("xid", type_=BigInteger()), bindparam("seq", type_=BigInteger())
    after = tuple_(log.c.xid, log.c.seq) > tuple_(xid, seq) if postgres else log.c.seq > seq
    page = select(
        literal_column("0", Integer).label("top"),
        log.c.xid,
        log.c.seq,
        log.c.entity,
        record_id.label("record_id"),
        log.c.version,
    ).where(tenant, after, access.feed_filter(kind, log, postgres))
    top = select(
        literal_column("1", Integer).label("top"),
        log.c.xid,
        log.c.seq,
        cast(null(), String).label("entity"),
        cast(null(), Text).label("record_id"),
        cast(null(), Integer).label("version"),
    ).where(tenant)
    if postgres:
        page = page.where(log.c.xid < _XMIN).order_by(log.c.xid, log.c.seq)
        top = top.where(log.c.xid < _XMIN).order_by(log.c.xid.desc(), log.c.seq.desc())
    else:
        page = page.order_by(log.c.seq)
        top = top.order_by(log.c.seq.desc())
    limit = bindparam("limit", type_=Integer())
    first, second = page.limit(limit).subquery("page"), top.limit(1).subquery("high")
    found = _SCANS[(kind, postgres)] = union_all(select(*first.c), select(*second.c))
    return found


def _current_rows(
    session: Session,
    principal: Principal,
    table: Table,
    columns: Sequence[ColumnElement[Any]],
    versions: dict[Any, int],
    postgres: bool,
) -> Sequence[Any]:
    """Rows of ``table`` whose id and current version are among ``versions`` (0: any version).

    PostgreSQL gets the pairs as two text parameters unnested in the query: thousands of
    ids then cost one string join here (the ids came back as text) rather than a Python
    dump per id, and the planner sees a list to look up by primary key.
    """
    if not postgres:
        found = session.execute(
            select(*columns).where(
                table.c.tenant_id == principal.tenant_id, table.c.id.in_(list(versions))
            )
        ).all()
        return [row for row in found if versions.get(row[0]) in (row[1], 0)]
    sql = _ROWS_SQL.get(table.name)
    if sql is None:
        wanted = (
            text(
                "SELECT * FROM unnest(string_to_array(:ids, ',')::uuid[], "
                "string_to_array(:versions, ',')::integer[]) AS wanted(id, version)"
            )
            .columns(id=Uuid(), version=Integer())
            .subquery("wanted")
        )
        statement = (
            select(*columns)
            .join(
                wanted,
                and_(
                    wanted.c.id == table.c.id,
                    or_(
                        wanted.c.version == table.c.version, wanted.c.version == literal_column("0")
                    ),
                ),
            )
            .where(table.c.tenant_id == bindparam("tenant", type_=Uuid()))
        )
        sql = _ROWS_SQL[table.name] = str(statement.compile(dialect=session.get_bind().dialect))
    # Straight through the driver: the rows need no conversion (timestamps come back in UTC,
    # see feed_page), and wrapping thousands of them in result rows costs more than reading.
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(
            sql,
            {
                "ids": ",".join(versions),
                "versions": ",".join(map(str, versions.values())),
                "tenant": principal.tenant_id,
            },
        )
        return cursor.fetchall()
    finally:
        cursor.close()


_ROWS_SQL: dict[str, str] = {}
"""Per table, the compiled PostgreSQL query of ``_current_rows`` (the columns never vary)."""


def _plain(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """A UTC timestamp column read as the driver gives it (already UTC in this transaction).

    The shared column type converts each value in Python; thirty thousand times a page.
    """
    if isinstance(column.type, UTCDateTime):
        return type_coerce(column, DateTime(timezone=True)).label(column.name)
    return column


def _rank(name: str) -> int:
    # Parents before children within a page, which the laptop applies in one transaction.
    return _RANK.get(name, len(_RANK))
