"""Services, case types, priorities and each case type's workflow, defined once as data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache

import holidays


class Service(StrEnum):
    """A council service that owns cases."""

    HOUSING_REPAIRS = "housing_repairs"
    TENANCY_MANAGEMENT = "tenancy_management"
    HOMELESSNESS = "homelessness"
    ADULT_SOCIAL_CARE = "adult_social_care"
    CHILDRENS_EARLY_HELP = "childrens_early_help"


SERVICE_LABELS: dict[Service, str] = {
    Service.HOUSING_REPAIRS: "Housing repairs",
    Service.TENANCY_MANAGEMENT: "Tenancy management",
    Service.HOMELESSNESS: "Homelessness",
    Service.ADULT_SOCIAL_CARE: "Adult social care",
    Service.CHILDRENS_EARLY_HELP: "Children's early help",
}


class Priority(StrEnum):
    """Case priority; repairs use the first four, other services use low/normal/high."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"
    DAMP_MOULD = "damp_mould"
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


@dataclass(frozen=True)
class Target:
    """How long a priority allows before its target: calendar hours or working days."""

    hours: int = 0
    working_days: int = 0


@dataclass(frozen=True)
class Clock:
    """A statutory or local clock that starts when a case enters a status."""

    name: str
    starts_in: str
    days: int = 0
    working_days: int = 0


@dataclass(frozen=True)
class CaseType:
    """A kind of case: its service, statuses, legal transitions, priorities and clocks."""

    code: str
    service: Service
    label: str
    initial: str
    transitions: dict[str, tuple[str, ...]]
    priorities: dict[Priority, Target] = field(default_factory=dict)
    clocks: tuple[Clock, ...] = ()
    closure_needs_approval: bool = False

    @property
    def statuses(self) -> tuple[str, ...]:
        """Every status, in the order the workflow lists them."""
        seen: dict[str, None] = {self.initial: None}
        for source, targets in self.transitions.items():
            seen[source] = None
            for target in targets:
                seen[target] = None
        return tuple(seen)

    def allowed_from(self, status: str) -> tuple[str, ...]:
        """The statuses a case in ``status`` may move to next."""
        return self.transitions.get(status, ())


CLOSED = "closed"

# Working-day clocks: councils set repair targets in working days (domain.md).
REPAIR_TARGETS: dict[Priority, Target] = {
    Priority.EMERGENCY: Target(hours=24),
    Priority.URGENT: Target(working_days=3),
    Priority.ROUTINE: Target(working_days=28),
    # Awaab's Law: damp and mould investigated within 10 working days.
    Priority.DAMP_MOULD: Target(working_days=10),
}
STANDARD_PRIORITIES: dict[Priority, Target] = {
    Priority.LOW: Target(),
    Priority.NORMAL: Target(),
    Priority.HIGH: Target(),
}

CASE_TYPES: dict[str, CaseType] = {
    ct.code: ct
    for ct in (
        CaseType(
            code="repair",
            service=Service.HOUSING_REPAIRS,
            label="Housing repair",
            initial="reported",
            transitions={
                "reported": ("inspected", "scheduled", "cancelled"),
                "inspected": ("scheduled", "cancelled"),
                "scheduled": ("in_progress", "cancelled"),
                "in_progress": ("completed",),
                "completed": (CLOSED, "in_progress"),
                "cancelled": (CLOSED,),
            },
            priorities=REPAIR_TARGETS,
        ),
        CaseType(
            code="tenancy",
            service=Service.TENANCY_MANAGEMENT,
            label="Tenancy management",
            initial="open",
            transitions={
                "open": ("investigating", CLOSED),
                "investigating": ("action_plan", CLOSED),
                "action_plan": ("monitoring", CLOSED),
                "monitoring": ("action_plan", CLOSED),
            },
            priorities=STANDARD_PRIORITIES,
        ),
        CaseType(
            code="homelessness",
            service=Service.HOMELESSNESS,
            label="Homelessness application",
            initial="approach",
            transitions={
                "approach": ("prevention", "relief", CLOSED),
                "prevention": ("relief", CLOSED),
                "relief": ("main_duty_decision", CLOSED),
                "main_duty_decision": ("main_duty_accepted", "main_duty_not_owed"),
                "main_duty_accepted": (CLOSED,),
                "main_duty_not_owed": (CLOSED,),
            },
            priorities=STANDARD_PRIORITIES,
            clocks=(
                Clock("prevention_duty", starts_in="prevention", days=56),
                Clock("relief_duty", starts_in="relief", days=56),
            ),
            closure_needs_approval=True,
        ),
        CaseType(
            code="care_act",
            service=Service.ADULT_SOCIAL_CARE,
            label="Care Act assessment and support",
            initial="referral",
            transitions={
                "referral": ("assessment", CLOSED),
                "assessment": ("eligibility", CLOSED),
                "eligibility": ("support_plan", CLOSED),
                "support_plan": ("review",),
                "review": ("support_plan", CLOSED),
            },
            priorities=STANDARD_PRIORITIES,
            clocks=(Clock("first_review", starts_in="support_plan", days=56),),
            closure_needs_approval=True,
        ),
        CaseType(
            code="early_help",
            service=Service.CHILDRENS_EARLY_HELP,
            label="Children's early help",
            initial="referral",
            transitions={
                "referral": ("assessment", CLOSED),
                "assessment": ("plan", CLOSED),
                "plan": ("review",),
                "review": ("plan", CLOSED),
            },
            priorities=STANDARD_PRIORITIES,
            clocks=(
                Clock("referral_decision", starts_in="referral", working_days=1),
                Clock("assessment", starts_in="assessment", working_days=45),
            ),
            closure_needs_approval=True,
        ),
    )
}


def case_types_for(service: Service) -> list[CaseType]:
    """The case types a service offers."""
    return [ct for ct in CASE_TYPES.values() if ct.service is service]


@cache
def _england_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England bank holiday."""
    return day.weekday() < 5 and day not in _england_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The date ``count`` working days after ``start`` (start itself is day zero)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def target_for(case_type: CaseType, priority: Priority, reported_at: datetime) -> datetime | None:
    """The latest time a case of this type and priority may be made good, if it has a target."""
    target = case_type.priorities.get(priority)
    if target is None or (not target.hours and not target.working_days):
        return None
    if target.hours:
        return reported_at + timedelta(hours=target.hours)
    due_day = add_working_days(reported_at.date(), target.working_days)
    return reported_at + timedelta(days=(due_day - reported_at.date()).days)
