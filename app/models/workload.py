"""Workload points per case type and priority: the defaults, and the rule for valid weights."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.models import validation as v
from app.models.workflow import CASE_TYPES, Priority

MAX_POINTS = 100
"""The most one case may count for: a weight is a relative effort, not an hour count."""

# What a case counts for until a platform administrator sets the council's own weights:
# statutory casework outweighs a routine repair, and priority raises the effort.
_BASE: dict[str, int] = {
    "repair": 1,
    "tenancy": 2,
    "homelessness": 3,
    "care_act": 3,
    "early_help": 3,
}
_PRIORITY_EXTRA: dict[Priority, int] = {
    Priority.EMERGENCY: 2,
    Priority.URGENT: 1,
    Priority.DAMP_MOULD: 1,
    Priority.HIGH: 1,
}

WeightKey = tuple[str, str]
"""(case type, priority)."""


def default_weights() -> dict[WeightKey, int]:
    """Points for every case type and priority it offers, before a council sets its own."""
    return {
        (code, str(priority)): _BASE.get(code, 1) + _PRIORITY_EXTRA.get(priority, 0)
        for code, kind in CASE_TYPES.items()
        for priority in kind.priorities
    }


def effective_weights(overrides: Iterable[tuple[str, str, int]]) -> dict[WeightKey, int]:
    """The defaults with the council's own (case type, priority, points) rows laid over them."""
    weights = default_weights()
    for case_type, priority, points in overrides:
        weights[(case_type, priority)] = points
    return weights


def validate_weight(case_type: str, priority: str, points: object, *, prefix: str = "") -> None:
    """One weight: a known case type, a priority it uses, and whole points 0..MAX_POINTS."""
    errors: list[v.ValidationError] = []
    try:
        v.validate_priority(case_type, priority, field=f"{prefix}priority")
    except v.ValidationError as error:
        if error.field == "case_type":
            error = v.ValidationError(f"{prefix}case_type", error.message)
        errors.append(error)
    if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= MAX_POINTS:
        errors.append(
            v.ValidationError(f"{prefix}points", f"Must be a whole number from 0 to {MAX_POINTS}.")
        )
    if errors:
        raise v.RecordInvalid(errors)


def points_for(weights: Mapping[WeightKey, int], case_type: str, priority: str) -> int:
    """A case's points: its weight, or one point for a pairing no weight names."""
    return weights.get((case_type, priority), 1)
