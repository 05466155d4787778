"""Whole-record rules for one change, shared by the laptop's outbox and the platform's push."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import partial
from typing import Any

from app.models import entities as e
from app.models import validation as v
from app.models.workflow import CASE_TYPES, CLOSED, Service

# The platform (server/sync/push.py) runs these checks on every pushed mutation; the laptop runs
# them first so that an officer sees a field-specific message at the keyboard instead of a
# rejection after the next sync. Rules run on the record as it would be after the change and
# report errors only for the fields the change sets (and the rules those fields take part in),
# so a record stored under older rules can still be edited.


@dataclass(frozen=True)
class RuleContext:
    """What the rules need beyond the record: today, demo mode and facts about its case."""

    today: date
    allow_test: bool
    # The referral date of the case a task belongs to: no visit date may come before it.
    referral_date: date | None = None


Check = Callable[
    [Mapping[str, Any], set[str], bool, RuleContext, dict[str, Any], list[v.ValidationError]],
    None,
]


def _choice(errors: list[v.ValidationError], name: str, value: Any, allowed: type[StrEnum]) -> None:
    choices = [str(item) for item in allowed]
    if value not in choices:
        errors.append(v.ValidationError(name, f"Must be one of: {', '.join(choices)}."))


def _required_text(errors: list[v.ValidationError], name: str, value: Any, label: str) -> None:
    if not isinstance(value, str) or not value.strip():
        errors.append(v.ValidationError(name, f"{label} is required."))


def _gather(errors: list[v.ValidationError], check: Callable[[], object]) -> None:
    """Run one shared rule, collecting its errors so every bad field is reported at once."""
    try:
        check()
    except v.ValidationError as error:
        errors.append(error)
    except v.RecordInvalid as invalid:
        errors.extend(invalid.errors)


_PERSON_CLEANED = frozenset(
    {"given_name", "family_name", "date_of_birth", "nhs_number", "preferred_language"}
)
_PROPERTY_CLEANED = ("address_line1", "town", "tenure", "postcode", "uprn")


def _cleaned(
    clean: Callable[[dict[str, Any]], dict[str, Any]],
    probe: dict[str, Any],
    changed: set[str],
    relevant: set[str],
    creating: bool,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    """Run a whole-record cleaner: keep the cleaned values of the changed fields, and the
    errors of the fields this change touched (all of them for a new record)."""
    try:
        cleaned = clean(probe)
    except v.RecordInvalid as invalid:
        errors += [i for i in invalid.errors if creating or i.field in relevant]
        return
    out.update({n: cleaned[n] for n in changed & set(cleaned)})


def _person(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    probe = {n: state.get(n) for n in ("given_name", "family_name")}
    probe.update({n: state.get(n) for n in changed & _PERSON_CLEANED})
    clean = partial(v.clean_person, today=ctx.today, allow_test=ctx.allow_test)
    _cleaned(clean, probe, changed, changed, creating, out, errors)


def _property(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    relevant = changed | ({"postcode"} if "tenure" in changed else set())
    probe = {n: state.get(n) for n in _PROPERTY_CLEANED}
    _cleaned(v.clean_property, probe, changed, relevant, creating, out, errors)


def _case(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    case_type = state["case_type"]
    if creating:
        try:
            v.validate_case_type(case_type)
        except v.ValidationError as error:
            errors.append(error)
            return
        kind = CASE_TYPES[case_type]
        if state["service"] != kind.service:
            errors.append(
                v.ValidationError("service", f"A {kind.label} case belongs to {kind.service}.")
            )
        if state["status"] not in kind.statuses:
            errors.append(
                v.ValidationError(
                    "status",
                    f"'{state['status']}' is not a status of {kind.label}; "
                    f"allowed: {', '.join(kind.statuses)}.",
                )
            )
        elif state["status"] == CLOSED:
            _gather(errors, lambda: v.validate_case_closure(state["closure_reason"], []))
    if creating or "priority" in changed:
        _gather(errors, lambda: v.validate_priority(case_type, state["priority"]))
    if creating or {"priority", "target_at"} & changed:
        _gather(
            errors,
            lambda: v.validate_repair_target(
                state["priority"], state["opened_at"], state["target_at"]
            ),
        )
    for name in ("due_date", "closed_at"):
        value = state[name]
        if value is not None and (creating or name in changed):
            _gather(
                errors, partial(v.validate_not_before_referral, name, value, state["referral_date"])
            )
    if not creating and "closure_reason" in changed and state["status"] == CLOSED:
        _gather(errors, lambda: v.validate_case_closure(state["closure_reason"], []))


def _task(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    if creating or "title" in changed:
        _required_text(errors, "title", state["title"], "A title")
    if creating or "status" in changed:
        _choice(errors, "status", state["status"], e.TaskStatus)
    if creating:
        _choice(errors, "kind", state["kind"], e.TaskKind)
    referral_date = ctx.referral_date
    for name in ("due_at", "checked_in_at", "checked_out_at"):
        value = state[name]
        if referral_date is not None and value is not None and (creating or name in changed):
            _gather(errors, partial(v.validate_not_before_referral, name, value, referral_date))


def _note(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    _choice(errors, "kind", state["kind"], e.NoteKind)
    _choice(errors, "visibility", state["visibility"], e.Visibility)
    _required_text(errors, "text", state["text"], "The note's text")


def _warning_marker(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    if creating or {"reason", "review_date"} & changed:
        _gather(errors, lambda: v.validate_warning_marker(state["reason"], state["review_date"]))
    if creating or "status" in changed:
        _choice(errors, "status", state["status"], e.MarkerStatus)


def _referral(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    if creating:
        _choice(errors, "from_service", state["from_service"], Service)
        _choice(errors, "to_service", state["to_service"], Service)
        _choice(errors, "urgency", state["urgency"], e.Urgency)
        _required_text(errors, "reason", state["reason"], "A reason")
        _required_text(errors, "lawful_basis", state["lawful_basis"], "A lawful basis")
    if creating or "status" in changed:
        _choice(errors, "status", state["status"], e.ReferralStatus)
    if state["status"] == e.ReferralStatus.DECLINED and ({"status", "decline_reason"} & changed):
        _required_text(errors, "decline_reason", state["decline_reason"], "A decline reason")


def _household_member(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    if creating or "role" in changed:
        _choice(errors, "role", state["role"], e.HouseholdRole)


def _attachment(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    if state["size_bytes"] < 0:
        errors.append(v.ValidationError("size_bytes", "A size cannot be negative."))
    digest = state["sha256"]
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        errors.append(v.ValidationError("sha256", "Must be 64 lower-case hex digits."))


def _allocation(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    # The history is only worth keeping if it says why: a reason is never optional.
    _required_text(errors, "reason", state["reason"], "A reason for the allocation")


def _supervision_note(
    state: Mapping[str, Any],
    changed: set[str],
    creating: bool,
    ctx: RuleContext,
    out: dict[str, Any],
    errors: list[v.ValidationError],
) -> None:
    _required_text(errors, "text", state["text"], "The supervision note's text")


_CHECKS: dict[str, Check] = {
    "person": _person,
    "property": _property,
    "case": _case,
    "task": _task,
    "note": _note,
    "warning_marker": _warning_marker,
    "referral": _referral,
    "household_member": _household_member,
    "attachment": _attachment,
    "allocation": _allocation,
    "supervision_note": _supervision_note,
}


def check_record(
    entity: str,
    state: Mapping[str, Any],
    changed: set[str],
    *,
    creating: bool,
    context: RuleContext,
) -> dict[str, Any]:
    """The changed fields as they will be stored (normalised); raises ``RecordInvalid``.

    ``state`` is the whole record as it would be after the change, with typed values.
    """
    out = {name: state[name] for name in changed}
    errors: list[v.ValidationError] = []
    check = _CHECKS.get(entity)
    if check is not None:
        check(state, changed, creating, context, out, errors)
    if errors:
        raise v.RecordInvalid(errors)
    return out
