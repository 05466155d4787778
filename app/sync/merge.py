"""Merge rules for concurrent edits, shared by the platform (push) and the laptop (pull)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.models.validation import validate_transition


@dataclass
class FieldMerge:
    """The outcome of a three-way merge of one record's fields."""

    apply: dict[str, Any] = field(default_factory=dict)
    unchanged: set[str] = field(default_factory=set)
    # field -> (base, mine, theirs)
    conflicts: dict[str, tuple[Any, Any, Any]] = field(default_factory=dict)


def three_way(
    current: Mapping[str, Any], base: Mapping[str, Any], mine: Mapping[str, Any]
) -> FieldMerge:
    """Merge ``mine`` (edited from ``base``) into ``current``, field by field.

    A field is applied when the current value has not changed since the base; it is already
    merged when the current value equals mine; otherwise it is a conflict and the current
    value stays, with both kept for a person to decide. Nothing is silently overwritten.
    """
    result = FieldMerge()
    for name, new in mine.items():
        now = current.get(name)
        if now == new:
            result.unchanged.add(name)
        elif name in base and now == base[name]:
            result.apply[name] = new
        else:
            result.conflicts[name] = (base.get(name), new, now)
    return result


TransitionVerdict = Literal["apply", "already", "conflict"]


def transition_verdict(
    case_type: str, current: str, from_status: str, to_status: str
) -> TransitionVerdict:
    """Decide a workflow transition A->B against the status the record has now.

    Raises ``ValidationError`` when A->B is not a legal transition at all. When the record
    already moved elsewhere, the transition is a conflict for a person to resolve rather than
    a second move applied on top: two officers deciding different next steps from the same
    state must both see what happened.
    """
    validate_transition(case_type, from_status, to_status)
    if current == from_status:
        return "apply"
    if current == to_status:
        return "already"
    return "conflict"
