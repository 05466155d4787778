"""Tests for app.models.workflow: case-type state machines, working days and repair targets."""

from __future__ import annotations

from collections import deque
from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.workflow import (
    CASE_TYPES,
    CLOSED,
    CaseType,
    Priority,
    Service,
    add_working_days,
    case_types_for,
    is_working_day,
    target_for,
)

CASE_TYPE_CODES = sorted(CASE_TYPES)


def _reachable(start: str, edges: dict[str, tuple[str, ...]]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _reversed(ct: CaseType) -> dict[str, tuple[str, ...]]:
    back: dict[str, list[str]] = {}
    for source, targets in ct.transitions.items():
        for target in targets:
            back.setdefault(target, []).append(source)
    return {k: tuple(v) for k, v in back.items()}


# --- State machines -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CASE_TYPE_CODES)
def test_code_matches_key(code: str) -> None:
    assert CASE_TYPES[code].code == code


@pytest.mark.parametrize("code", CASE_TYPE_CODES)
def test_every_status_reachable_from_initial(code: str) -> None:
    ct = CASE_TYPES[code]
    assert set(ct.statuses) == _reachable(ct.initial, ct.transitions)


@pytest.mark.parametrize("code", CASE_TYPE_CODES)
def test_every_status_can_reach_closed(code: str) -> None:
    ct = CASE_TYPES[code]
    assert CLOSED in ct.statuses
    can_close = _reachable(CLOSED, _reversed(ct))
    stuck = set(ct.statuses) - can_close
    assert not stuck, f"{code}: no path to closed from {sorted(stuck)}"


@pytest.mark.parametrize("code", CASE_TYPE_CODES)
def test_closed_has_no_outgoing_transitions(code: str) -> None:
    ct = CASE_TYPES[code]
    assert CLOSED not in ct.transitions
    assert ct.allowed_from(CLOSED) == ()


@pytest.mark.parametrize("code", CASE_TYPE_CODES)
def test_no_self_or_duplicate_transitions(code: str) -> None:
    for source, targets in CASE_TYPES[code].transitions.items():
        assert source not in targets
        assert len(set(targets)) == len(targets)


@pytest.mark.parametrize("code", CASE_TYPE_CODES)
def test_clocks_start_in_real_statuses(code: str) -> None:
    ct = CASE_TYPES[code]
    for clock in ct.clocks:
        assert clock.starts_in in ct.statuses, clock.name


@pytest.mark.parametrize("code", CASE_TYPE_CODES)
def test_every_case_type_has_priorities(code: str) -> None:
    assert CASE_TYPES[code].priorities


@pytest.mark.parametrize("service", list(Service))
def test_every_service_has_a_case_type(service: Service) -> None:
    types = case_types_for(service)
    assert types
    assert all(ct.service is service for ct in types)


# --- Working days ---------------------------------------------------------------------------------


def _england(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def test_calendar_assumptions() -> None:
    # The holidays library's England calendar, which the expectations below rely on.
    h2026 = _england(2026)
    assert date(2026, 12, 24).weekday() == 3  # Thursday (the brief called it a Friday)
    assert date(2026, 12, 25) in h2026  # Friday, Christmas Day
    assert date(2026, 12, 28) in h2026  # Monday, Boxing Day (substitute for Saturday)
    h2027 = _england(2027)
    assert date(2027, 12, 24).weekday() == 4  # Friday
    assert date(2027, 12, 27) in h2027  # Monday, Christmas Day substitute
    assert date(2027, 12, 28) in h2027  # Tuesday, Boxing Day substitute
    assert date(2026, 4, 3) in h2026  # Good Friday
    assert date(2026, 4, 6) in h2026  # Easter Monday
    assert date(2026, 8, 31) in h2026  # Late Summer bank holiday


@pytest.mark.parametrize(
    ("day", "working"),
    [
        pytest.param(date(2026, 3, 6), True, id="friday"),
        pytest.param(date(2026, 3, 7), False, id="saturday"),
        pytest.param(date(2026, 3, 8), False, id="sunday"),
        pytest.param(date(2026, 4, 3), False, id="good-friday"),
        pytest.param(date(2026, 12, 28), False, id="boxing-day-substitute"),
        pytest.param(date(2026, 12, 29), True, id="tuesday-after-christmas"),
        pytest.param(date(2026, 3, 17), True, id="st-patricks-not-england"),
        pytest.param(date(2026, 11, 30), True, id="st-andrews-not-england"),
        pytest.param(date(2026, 1, 2), True, id="2-january-not-england"),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        pytest.param(date(2026, 3, 4), 0, date(2026, 3, 4), id="zero-is-start"),
        pytest.param(date(2026, 3, 7), 0, date(2026, 3, 7), id="zero-on-saturday"),
        pytest.param(date(2026, 3, 4), 1, date(2026, 3, 5), id="wed-plus-1"),
        pytest.param(date(2026, 3, 6), 1, date(2026, 3, 9), id="fri-plus-1-skips-weekend"),
        pytest.param(date(2026, 3, 7), 1, date(2026, 3, 9), id="sat-plus-1"),
        pytest.param(date(2026, 4, 2), 1, date(2026, 4, 7), id="easter-weekend"),
        pytest.param(date(2026, 8, 28), 1, date(2026, 9, 1), id="late-summer-weekend"),
        pytest.param(date(2026, 12, 24), 1, date(2026, 12, 29), id="christmas-2026"),
        pytest.param(date(2027, 12, 24), 1, date(2027, 12, 29), id="christmas-2027"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 4), id="new-year-across-years"),
        pytest.param(date(2026, 3, 6), 5, date(2026, 3, 13), id="one-week"),
    ],
)
def test_add_working_days(start: date, count: int, expected: date) -> None:
    assert add_working_days(start, count) == expected


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    count=st.integers(0, 60),
)
def test_add_working_days_counts_england_working_days(start: date, count: int) -> None:
    end = add_working_days(start, count)
    days = [start + timedelta(days=n) for n in range(1, (end - start).days + 1)]
    calendar = _england(start.year) + _england(end.year)
    working = [d for d in days if d.weekday() < 5 and d not in calendar]
    assert len(working) == count
    if count:
        assert end == working[-1]  # the result is itself a working day


# --- Targets --------------------------------------------------------------------------------------

REPAIR = CASE_TYPES["repair"]


@pytest.mark.parametrize(
    ("priority", "reported", "expected"),
    [
        pytest.param(
            Priority.EMERGENCY,
            datetime(2026, 3, 6, 17, 30),
            datetime(2026, 3, 7, 17, 30),
            id="emergency-friday-evening-is-24h-not-working-day",
        ),
        pytest.param(
            Priority.EMERGENCY,
            datetime(2026, 12, 24, 23, 59),
            datetime(2026, 12, 25, 23, 59),
            id="emergency-over-christmas",
        ),
        pytest.param(
            Priority.URGENT,
            datetime(2026, 3, 4, 9, 0),
            datetime(2026, 3, 9, 9, 0),
            id="urgent-wednesday-over-weekend",
        ),
        pytest.param(
            Priority.URGENT,
            datetime(2026, 12, 24, 10, 15),
            datetime(2026, 12, 31, 10, 15),
            id="urgent-thu-2026-12-24-christmas-and-boxing-substitute",
        ),
        pytest.param(
            Priority.URGENT,
            datetime(2027, 12, 24, 10, 15),
            datetime(2027, 12, 31, 10, 15),
            id="urgent-fri-2027-12-24-both-substitutes",
        ),
        pytest.param(
            Priority.URGENT,
            datetime(2026, 4, 2, 14, 0),
            datetime(2026, 4, 9, 14, 0),
            id="urgent-over-easter",
        ),
        pytest.param(
            Priority.ROUTINE,
            datetime(2026, 3, 2, 11, 0),
            datetime(2026, 4, 13, 11, 0),
            id="routine-28-working-days-over-easter",
        ),
        pytest.param(
            Priority.ROUTINE,
            datetime(2026, 6, 1, 8, 0),
            datetime(2026, 7, 9, 8, 0),
            id="routine-28-working-days-no-holidays",
        ),
        pytest.param(
            Priority.DAMP_MOULD,
            datetime(2026, 8, 24, 12, 0),
            datetime(2026, 9, 8, 12, 0),
            id="damp-mould-10-working-days-late-summer",
        ),
    ],
)
def test_repair_targets(priority: Priority, reported: datetime, expected: datetime) -> None:
    assert target_for(REPAIR, priority, reported) == expected


@pytest.mark.parametrize(
    ("code", "priority"),
    [
        pytest.param("tenancy", Priority.HIGH, id="standard-priority-has-no-target"),
        pytest.param("homelessness", Priority.LOW, id="low-has-no-target"),
        pytest.param("tenancy", Priority.EMERGENCY, id="priority-not-offered"),
        pytest.param("repair", Priority.NORMAL, id="repair-with-standard-priority"),
    ],
)
def test_no_target(code: str, priority: Priority) -> None:
    assert target_for(CASE_TYPES[code], priority, datetime(2026, 3, 4, 9, 0)) is None
