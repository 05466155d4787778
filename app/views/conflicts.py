"""What the conflicts screen lists: each open conflict and rejected change, in readable words."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.models import validation as v
from app.models.registry import BY_NAME
from app.store.db import Store
from app.sync import codec
from app.sync.graph import TABLES
from app.sync.state import ConflictItem, RejectedItem

ENTITY_LABELS = {
    "person": "Resident",
    "property": "Property",
    "household": "Household",
    "household_member": "Household member",
    "relationship": "Relationship",
    "case": "Case",
    "note": "Note",
    "task": "Task",
    "warning_marker": "Warning marker",
    "referral": "Referral",
    "assessment": "Assessment",
    "attachment": "Attachment",
}


def field_label(name: str) -> str:
    """A field name as words: ``date_of_birth`` -> "Date of birth"."""
    return name.replace("_", " ").capitalize()


def value_text(value: Any) -> str:
    """A wire value as the screen shows it; empty values say so rather than show nothing."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def record_label(store: Store, entity: str, record_id: uuid.UUID) -> str:
    """How a person recognises the record: a case reference, a resident's name, an address."""
    kind = ENTITY_LABELS.get(entity, entity)
    with store.engine.connect() as connection:
        if entity == "case":
            table = TABLES["case_record"]
            found = connection.execute(
                select(table.c.reference).where(table.c.id == record_id)
            ).scalar()
            if found:
                return f"{kind} {found}"
        elif entity == "person":
            table = TABLES["person"]
            row = connection.execute(
                select(table.c.given_name, table.c.family_name).where(table.c.id == record_id)
            ).first()
            if row is not None:
                return f"{kind} {row[0]} {row[1]}"
        elif entity == "property":
            table = TABLES["property"]
            line = connection.execute(
                select(table.c.address_line1).where(table.c.id == record_id)
            ).scalar()
            if line:
                return f"{kind} {line}"
        spec = BY_NAME.get(entity)
        if spec is not None and spec.case_field is not None:
            table = TABLES[spec.model.__tablename__]  # type: ignore[attr-defined]
            cases = TABLES["case_record"]
            reference = connection.execute(
                select(cases.c.reference)
                .select_from(table.join(cases, cases.c.id == table.c[spec.case_field]))
                .where(table.c.id == record_id)
            ).scalar()
            if reference:
                return f"{kind} on case {reference}"
    return f"{kind} {str(record_id)[:8]}"


@dataclass(frozen=True)
class ConflictRow:
    """One conflict as a table row."""

    item: ConflictItem
    record: str
    field: str
    base: str
    mine: str
    theirs: str


@dataclass(frozen=True)
class RejectedRow:
    """One rejected change as a table row: what was tried and why the platform refused."""

    item: RejectedItem
    record: str
    change: str
    errors: str


def conflict_rows(store: Store, items: list[ConflictItem]) -> list[ConflictRow]:
    labels: dict[tuple[str, uuid.UUID], str] = {}
    rows = []
    for item in items:
        key = (item.entity, item.record_id)
        if key not in labels:
            labels[key] = record_label(store, *key)
        rows.append(
            ConflictRow(
                item=item,
                record=labels[key],
                field=field_label(item.field),
                base=value_text(item.base),
                mine=value_text(item.mine),
                theirs=value_text(item.theirs),
            )
        )
    return rows


def rejected_rows(store: Store, items: list[RejectedItem]) -> list[RejectedRow]:
    rows = []
    for item in items:
        changed = ", ".join(field_label(name) for name in sorted(item.fields)) or "-"
        errors = "; ".join(
            f"{field_label(error.get('field', ''))}: {error.get('message', '')}"
            for error in item.errors
        )
        rows.append(
            RejectedRow(
                item=item,
                record=record_label(store, item.entity, item.record_id),
                change=f"{item.op} ({changed})",
                errors=errors or (item.code or "refused"),
            )
        )
    return rows


def parse_new_value(entity: str, field: str, text: str) -> Any:
    """Turn what was typed for a conflict's "edit" into the field's type, or raise
    ``ValidationError`` for that field. The domain rules run later, in ``resolve_conflict``."""
    spec = BY_NAME.get(entity)
    if spec is None:
        raise v.ValidationError(field, "is not a field that can be edited here.")
    try:
        decoded = codec.decode(spec.model, {field: _raw(spec.model, field, text)})
    except v.RecordInvalid as invalid:
        raise v.ValidationError(field, invalid.by_field().get(field, str(invalid))) from None
    return decoded[field]


def _raw(model: Any, field: str, text: str) -> Any:
    column = model.__table__.c.get(field)
    if column is None:
        raise v.ValidationError(field, "is not a field of this record.")
    if text.strip() == "":
        return None
    python_type: type | None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = None
    if python_type is bool:
        lowered = text.strip().lower()
        if lowered in ("yes", "true", "1"):
            return True
        if lowered in ("no", "false", "0"):
            return False
        raise v.ValidationError(field, "must be yes or no.")
    if python_type is int:
        try:
            return int(text.strip())
        except ValueError:
            raise v.ValidationError(field, "must be a whole number.") from None
    return text
