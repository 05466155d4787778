"""Field values on the wire: JSON in, typed Python out, with a field-specific error for each."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, Integer, String, Text, Uuid

from app.models.base import Syncable, UTCDateTime
from app.models.validation import RecordInvalid, ValidationError

Encoder = Callable[[Any], Any]
Decoder = Callable[[str, Any], Any]


def _enc_uuid(value: uuid.UUID) -> str:
    return str(value)


def _enc_datetime(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _enc_date(value: date) -> str:
    return value.isoformat()


def _enc_plain(value: Any) -> Any:
    return value


def _dec_uuid(name: str, raw: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise ValidationError(name, "must be an identifier (a UUID).") from None


def _dec_datetime(name: str, raw: Any) -> datetime:
    if isinstance(raw, str):
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            pass
        else:
            if value.tzinfo is not None:
                return value.astimezone(UTC)
    raise ValidationError(name, "must be a date and time with a timezone, e.g. 2026-11-02T09:30Z.")


def _dec_date(name: str, raw: Any) -> date:
    if isinstance(raw, str) and len(raw) == 10:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise ValidationError(name, "must be a date written YYYY-MM-DD.")


def _dec_bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    raise ValidationError(name, "must be true or false.")


def _dec_int(name: str, raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    raise ValidationError(name, "must be a whole number.")


def _dec_json(name: str, raw: Any) -> Any:
    if isinstance(raw, dict):
        return raw
    raise ValidationError(name, "must be an object.")


def _dec_str(length: int | None) -> Decoder:
    def decode(name: str, raw: Any) -> str:
        if not isinstance(raw, str):
            raise ValidationError(name, "must be text.")
        if length is not None and len(raw) > length:
            raise ValidationError(name, f"must be at most {length} characters.")
        return raw

    return decode


def _codec_for(column_type: Any) -> tuple[Encoder, Decoder]:
    if isinstance(column_type, UTCDateTime):
        return _enc_datetime, _dec_datetime
    if isinstance(column_type, Uuid):
        return _enc_uuid, _dec_uuid
    if isinstance(column_type, Boolean):
        return _enc_plain, _dec_bool
    if isinstance(column_type, Date):
        return _enc_date, _dec_date
    if isinstance(column_type, Integer | BigInteger):
        return _enc_plain, _dec_int
    if isinstance(column_type, JSON):
        return _enc_plain, _dec_json
    if isinstance(column_type, String | Text):
        return _enc_plain, _dec_str(getattr(column_type, "length", None))
    raise TypeError(f"no wire codec for {column_type!r}")


_CODECS: dict[str, dict[str, tuple[Encoder, Decoder, bool]]] = {}


def codecs(model: type[Syncable]) -> dict[str, tuple[Encoder, Decoder, bool]]:
    """Per column of ``model``: encoder, decoder and whether None is allowed (built once)."""
    table = model.__table__  # type: ignore[attr-defined]
    found = _CODECS.get(table.name)
    if found is None:
        found = _CODECS[table.name] = {
            column.name: (*_codec_for(column.type), bool(column.nullable))
            for column in table.columns
        }
    return found


def encode(model: type[Syncable], values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values as JSON-ready wire values."""
    table = codecs(model)
    return {
        name: None if value is None else table[name][0](value) for name, value in values.items()
    }


def decode(model: type[Syncable], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Wire values as typed values, reporting every unknown or ill-typed field at once."""
    table = codecs(model)
    errors: list[ValidationError] = []
    out: dict[str, Any] = {}
    for name, value in raw.items():
        codec = table.get(name)
        if codec is None:
            errors.append(ValidationError(name, "is not a field of this record."))
            continue
        _enc, dec, nullable = codec
        if value is None:
            if nullable:
                out[name] = None
            else:
                errors.append(ValidationError(name, "is required and cannot be empty."))
            continue
        try:
            out[name] = dec(name, value)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise RecordInvalid(errors)
    return out
