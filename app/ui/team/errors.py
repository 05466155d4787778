"""Field-specific messages from the shared rules, shown on a page in words."""

from __future__ import annotations

from app.models import validation as v


def messages(error: v.ValidationError | v.RecordInvalid) -> str:
    """Every field's message, one per line, naming the field."""
    items = error.errors if isinstance(error, v.RecordInvalid) else [error]
    return "\n".join(f"{item.field.replace('_', ' ')}: {item.message}" for item in items)
