"""My caseload: the signed-in officer's open cases with their due state, as one light query."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import text

from app.models.workflow import CLOSED
from app.store.db import Store
from app.views.common import hex_id

DUE_SOON_DAYS = 7
"""A case due within this many days (today included) is 'due soon'."""


class DueState(StrEnum):
    """How close a case is to its due date or target."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    LATER = "later"
    NONE = "none"


def due_state(due: date | None, today: date) -> DueState:
    """Overdue before today; due soon from today to ``DUE_SOON_DAYS`` ahead; later after."""
    if due is None:
        return DueState.NONE
    if due < today:
        return DueState.OVERDUE
    if due <= today + timedelta(days=DUE_SOON_DAYS):
        return DueState.DUE_SOON
    return DueState.LATER


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One case in the caseload table (``key`` is the case id as stored: 32 hex digits)."""

    key: str
    reference: str
    resident: str
    service: str
    case_type: str
    status: str
    priority: str
    due: date | None
    due_state: DueState

    @property
    def id(self) -> uuid.UUID:
        """The case's id; made on demand, as only the few opened rows ever need one."""
        return uuid.UUID(hex=self.key)


# Hand-written: at 20,000 rows the ORM's per-row type processing would cost more than the
# query. The due date is the case's due date, else its repair target's day.
# The resident's name comes from the case's search entry, which holds its subject's name and
# shares the case's rowid (kept in step by the search triggers): rows of the officer's cases
# lie close together there, where 20,000 look-ups by random UUID key into the person table
# decrypt a page each and took ~1.6x as long at 100,000 persons (measured on this machine).
# A case not (yet) indexed falls back to the person table.
CASELOAD_QUERY = """
    SELECT c.id, c.reference,
           coalesce(f.subject, (SELECT p.given_name || ' ' || p.family_name FROM person p
                                 WHERE p.id = c.subject_person_id)),
           c.service, c.case_type, c.status, c.priority,
           coalesce(c.due_date, substr(c.target_at, 1, 10))
      FROM case_record c
      LEFT JOIN case_fts f ON f.rowid = c.rowid
     WHERE c.officer_id = :officer AND c.deleted = 0 AND c.status != :closed
"""
CASELOAD_SQL = text(CASELOAD_QUERY)


def load_caseload(store: Store, officer_id: uuid.UUID, today: date) -> list[CaseloadRow]:
    """Every open case assigned to ``officer_id``, unsorted (the screen sorts)."""
    params = {"officer": hex_id(officer_id), "closed": CLOSED}
    with store.engine.connect() as connection:
        # The driver's own cursor: plain tuples, without a Row object per case.
        cursor = connection.connection.cursor()
        try:
            cursor.execute(CASELOAD_QUERY, params)
            raw = cursor.fetchall()
        finally:
            cursor.close()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    rows = []
    # Dates are compared as ISO text first: parsing 20,000 dates only to compare them is waste.
    today_text, soon_text = today.isoformat(), soon.isoformat()
    for case_id, reference, resident, service, case_type, status, priority, due_text in raw:
        if due_text is None:
            due, state = None, DueState.NONE
        else:
            due = date.fromisoformat(due_text)
            if due_text < today_text:
                state = DueState.OVERDUE
            elif due_text <= soon_text:
                state = DueState.DUE_SOON
            else:
                state = DueState.LATER
        rows.append(
            CaseloadRow(
                case_id,
                reference,
                resident,
                service,
                case_type,
                status,
                priority,
                due,
                state,
            )
        )
    return rows


@dataclass(frozen=True)
class CaseloadFilter:
    """What the officer narrowed the caseload to; None means any."""

    service: str | None = None
    status: str | None = None
    due: DueState | None = None

    def accepts(self, row: CaseloadRow) -> bool:
        """Whether ``row`` passes every set filter."""
        return (
            (self.service is None or row.service == self.service)
            and (self.status is None or row.status == self.status)
            and (self.due is None or row.due_state == self.due)
        )


SORT_KEYS = ("reference", "resident", "service", "case_type", "status", "due", "due_state")
_DUE_ORDER = {DueState.OVERDUE: 0, DueState.DUE_SOON: 1, DueState.LATER: 2, DueState.NONE: 3}


def sort_rows(rows: list[CaseloadRow], key: str, *, descending: bool = False) -> None:
    """Sort in place by one column; cases with no due date go last in ascending order."""
    if key == "due":
        rows.sort(key=lambda r: (r.due is None, r.due or date.min), reverse=descending)
    elif key == "due_state":
        rows.sort(key=lambda r: (_DUE_ORDER[r.due_state], r.due or date.min), reverse=descending)
    elif key == "resident":
        rows.sort(key=lambda r: r.resident.casefold(), reverse=descending)
    elif key in SORT_KEYS:
        rows.sort(key=lambda r: getattr(r, key), reverse=descending)
    else:
        raise ValueError(f"cannot sort by {key!r}")
