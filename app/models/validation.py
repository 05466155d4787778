"""Every domain rule a record obeys, defined once and called by the UI, CLI, store and API."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from app.models.workflow import CASE_TYPES, CLOSED, Priority

_T = TypeVar("_T")

MAX_AGE_YEARS = 120
UPRN_MAX = 999_999_999_999


# Not frozen: Python assigns __traceback__ to an exception as it propagates (contextlib does
# so explicitly), which a frozen dataclass refuses with FrozenInstanceError.
@dataclass
class ValidationError(Exception):
    """One field's value is not allowed; ``message`` says what is wrong and what is allowed."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RecordInvalid(Exception):
    """A whole record failed validation; ``errors`` holds every field's problem at once."""

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        self.errors: list[ValidationError] = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    def by_field(self) -> dict[str, str]:
        """Map each failing field to its message (first message wins)."""
        result: dict[str, str] = {}
        for error in self.errors:
            result.setdefault(error.field, error.message)
        return result


# --- NHS number -------------------------------------------------------------------------------


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when the remainder makes the number invalid."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str, *, allow_test: bool = False, field: str = "nhs_number") -> str:
    """Return the 10-digit NHS number without spaces, or raise ``ValidationError``."""
    compact = re.sub(r"[\s]", "", value or "")
    if not compact:
        raise ValidationError(field, "NHS number is empty; enter 10 digits, e.g. 943 476 5919.")
    if not compact.isdigit() or not compact.isascii():
        raise ValidationError(field, "NHS number may contain only digits and spaces.")
    if len(compact) != 10:
        raise ValidationError(
            field, f"NHS number must have exactly 10 digits; this one has {len(compact)}."
        )
    check = nhs_check_digit(compact[:9])
    if check is None or check != int(compact[9]):
        raise ValidationError(
            field, "NHS number fails its check digit; check it for a mistyped digit."
        )
    if compact.startswith("999") and not allow_test:
        raise ValidationError(
            field, "NHS numbers starting 999 are test numbers, allowed only in demo or test mode."
        )
    return compact


# --- Postcode ---------------------------------------------------------------------------------

_OUTWARD_SHAPES = (
    re.compile(r"^[A-Z][0-9]$"),
    re.compile(r"^[A-Z][0-9]{2}$"),
    re.compile(r"^[A-Z]{2}[0-9]$"),
    re.compile(r"^[A-Z]{2}[0-9]{2}$"),
    re.compile(r"^[A-Z][0-9][A-Z]$"),
    re.compile(r"^[A-Z]{2}[0-9][A-Z]$"),
)
_INWARD = re.compile(r"^[0-9][A-Z]{2}$")
_BAD_FIRST = set("QVX")
_BAD_SECOND = set("IJZ")
_BAD_INWARD = set("CIKMOV")
_PSEUDO = re.compile(r"^ZZ99 [0-9][A-Z]{2}$")


def normalise_postcode(value: str, *, no_fixed_abode: bool = False, field: str = "postcode") -> str:
    """Return the postcode in upper case with one space before the inward code, or raise."""
    compact = re.sub(r"\s", "", value or "")
    # Upper-case only ASCII: "ß".upper() is "SS" and "ſ".upper() is "S", which would turn
    # non-postcode characters into a different, valid-looking postcode.
    compact = compact.upper() if compact.isascii() else compact
    if not compact:
        raise ValidationError(field, "Postcode is empty; enter a UK postcode such as SW1A 1AA.")
    if len(compact) < 5 or len(compact) > 7 or not compact.isascii() or not compact.isalnum():
        raise ValidationError(
            field, "Postcode must be 5 to 7 letters and digits, such as SW1A 1AA or M1 1AE."
        )
    outward, inward = compact[:-3], compact[-3:]
    normalised = f"{outward} {inward}"
    if normalised == "GIR 0AA":
        return normalised
    if _PSEUDO.match(normalised):
        if no_fixed_abode:
            return normalised
        raise ValidationError(
            field, "ZZ99 pseudo-postcodes are allowed only for a person with no fixed abode."
        )
    if not any(shape.match(outward) for shape in _OUTWARD_SHAPES):
        raise ValidationError(
            field,
            f"'{outward}' is not a UK outward code; it must look like A9, A99, AA9, AA99, "
            "A9A or AA9A.",
        )
    if not _INWARD.match(inward):
        raise ValidationError(
            field, f"'{inward}' is not a UK inward code; it must be a digit then two letters."
        )
    if outward[0] in _BAD_FIRST:
        raise ValidationError(field, "A postcode never starts with Q, V or X.")
    if outward[1].isalpha() and outward[1] in _BAD_SECOND:
        raise ValidationError(field, "A postcode's second letter is never I, J or Z.")
    if set(inward[1:]) & _BAD_INWARD:
        raise ValidationError(
            field, "The last two letters of a postcode are never C, I, K, M, O or V."
        )
    return normalised


# --- UPRN -------------------------------------------------------------------------------------


def validate_uprn(value: int | str, *, field: str = "uprn") -> int:
    """Return the UPRN as an int: a positive whole number of up to 12 digits."""
    if isinstance(value, bool):
        raise ValidationError(field, "UPRN must be a number of up to 12 digits.")
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text.isdigit():
            raise ValidationError(field, "UPRN must be digits only, up to 12 of them.")
        number = int(text)
    elif isinstance(value, int):
        number = value
    else:
        raise ValidationError(field, "UPRN must be a number of up to 12 digits.")
    if number <= 0:
        raise ValidationError(field, "UPRN must be a positive number.")
    if number > UPRN_MAX:
        raise ValidationError(field, "UPRN has at most 12 digits.")
    return number


# --- Dates ------------------------------------------------------------------------------------


def _years_between(earlier: date, later: date) -> int:
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def validate_date_of_birth(value: date, *, today: date, field: str = "date_of_birth") -> date:
    """A date of birth is not in the future and gives an age from 0 to 120."""
    if value > today:
        raise ValidationError(field, "Date of birth cannot be in the future.")
    if _years_between(value, today) > MAX_AGE_YEARS:
        raise ValidationError(
            field, f"Date of birth gives an age over {MAX_AGE_YEARS}; check the year."
        )
    return value


def validate_not_before_referral(field: str, value: date | datetime, referral_date: date) -> None:
    """No duty, decision or visit date may come before the case's referral date."""
    day = value.date() if isinstance(value, datetime) else value
    if day < referral_date:
        raise ValidationError(
            field,
            f"This date is before the case's referral date ({referral_date:%d/%m/%Y}); "
            "use that date or a later one.",
        )


# --- Warning markers --------------------------------------------------------------------------


def validate_warning_marker(reason: str | None, review_date: date | None) -> None:
    """A warning marker needs a reason and a review date."""
    errors = []
    if not (reason or "").strip():
        errors.append(ValidationError("reason", "A warning marker needs a reason."))
    if review_date is None:
        errors.append(ValidationError("review_date", "A warning marker needs a review date."))
    if errors:
        raise RecordInvalid(errors)


def marker_is_expired(review_date: date, *, today: date) -> bool:
    """A marker past its review date is shown as expired."""
    return review_date < today


# --- Repairs ----------------------------------------------------------------------------------


def validate_repair_target(
    priority: str, reported_at: datetime, target_at: datetime | None
) -> None:
    """An emergency repair cannot carry a target more than 24 hours after it was reported."""
    if target_at is None:
        return
    if target_at < reported_at:
        raise ValidationError("target_at", "The target cannot be before the repair was reported.")
    if priority == Priority.EMERGENCY and target_at - reported_at > timedelta(hours=24):
        raise ValidationError(
            "target_at",
            "An emergency repair must be made safe within 24 hours of being reported; "
            "choose an earlier target or a lower priority.",
        )


# --- Workflow and closure ---------------------------------------------------------------------


def validate_case_type(code: str, *, field: str = "case_type") -> None:
    """The case type exists."""
    if code not in CASE_TYPES:
        allowed = ", ".join(sorted(CASE_TYPES))
        raise ValidationError(field, f"Unknown case type '{code}'; allowed: {allowed}.")


def validate_priority(case_type: str, priority: str, *, field: str = "priority") -> None:
    """The priority is one the case type offers."""
    validate_case_type(case_type)
    allowed = [str(p) for p in CASE_TYPES[case_type].priorities]
    if priority not in allowed:
        raise ValidationError(
            field,
            f"Priority '{priority}' is not used for this case type; allowed: {', '.join(allowed)}.",
        )


def validate_transition(case_type: str, from_status: str, to_status: str) -> None:
    """A status change follows the case type's state machine; if not, name the allowed ones."""
    validate_case_type(case_type)
    ct = CASE_TYPES[case_type]
    if from_status not in ct.statuses:
        raise ValidationError("status", f"'{from_status}' is not a status of {ct.label}.")
    allowed = ct.allowed_from(from_status)
    if to_status not in allowed:
        choices = ", ".join(allowed) if allowed else "none (this status is final)"
        raise ValidationError(
            "status",
            f"A {ct.label} case cannot move from '{from_status}' to '{to_status}'; "
            f"allowed from '{from_status}': {choices}.",
        )


def validate_case_closure(closure_reason: str | None, open_task_titles: Iterable[str]) -> None:
    """A closed case has a closure reason and no open tasks."""
    errors = []
    if not (closure_reason or "").strip():
        errors.append(ValidationError("closure_reason", "A case cannot close without a reason."))
    open_titles = list(open_task_titles)
    if open_titles:
        shown = ", ".join(f"'{t}'" for t in open_titles[:3])
        more = f" and {len(open_titles) - 3} more" if len(open_titles) > 3 else ""
        errors.append(
            ValidationError(
                "tasks",
                f"Finish or cancel the open tasks before closing: {shown}{more}.",
            )
        )
    if errors:
        raise RecordInvalid(errors)


def is_closed(status: str) -> bool:
    """Whether a status is the final closed status."""
    return status == CLOSED


# --- Whole records ----------------------------------------------------------------------------


def _required(
    data: Mapping[str, object], name: str, label: str, errors: list[ValidationError]
) -> str:
    value = data.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        errors.append(ValidationError(name, f"{label} is required."))
    return text


def _collect(
    errors: list[ValidationError], fn: Callable[..., _T], *args: object, **kwargs: object
) -> _T | None:
    """Run one rule, adding its errors to ``errors`` so a form can show them all at once."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as error:
        errors.append(error)
    except RecordInvalid as invalid:
        errors.extend(invalid.errors)
    return None


def clean_person(data: Mapping[str, object], *, today: date, allow_test: bool) -> dict[str, object]:
    """Validate and normalise a person's editable fields, reporting every bad field at once."""
    errors: list[ValidationError] = []
    cleaned: dict[str, object] = dict(data)
    cleaned["given_name"] = _required(data, "given_name", "Given name", errors)
    cleaned["family_name"] = _required(data, "family_name", "Family name", errors)
    dob = data.get("date_of_birth")
    if dob is not None:
        # datetime is a date subclass, but a time of day on a birth date is a caller's mistake.
        if not isinstance(dob, date) or isinstance(dob, datetime):
            errors.append(ValidationError("date_of_birth", "Date of birth must be a date."))
        else:
            _collect(errors, validate_date_of_birth, dob, today=today)
    nhs = data.get("nhs_number")
    if nhs is None or (isinstance(nhs, str) and not nhs.strip()):
        cleaned["nhs_number"] = None
    elif not isinstance(nhs, str):
        errors.append(
            ValidationError("nhs_number", "NHS number must be given as text of 10 digits.")
        )
    else:
        cleaned["nhs_number"] = _collect(errors, normalise_nhs_number, nhs, allow_test=allow_test)
    language = data.get("preferred_language")
    if language is not None and language not in {"en", "cy", "other"}:
        errors.append(
            ValidationError("preferred_language", "Preferred language must be en, cy or other.")
        )
    if errors:
        raise RecordInvalid(errors)
    return cleaned


def clean_property(data: Mapping[str, object]) -> dict[str, object]:
    """Validate and normalise a property's fields, reporting every bad field at once."""
    from app.models.entities import Tenure

    errors: list[ValidationError] = []
    cleaned: dict[str, object] = dict(data)
    cleaned["address_line1"] = _required(data, "address_line1", "Address line 1", errors)
    cleaned["town"] = _required(data, "town", "Town", errors)
    tenure = data.get("tenure")
    tenures = [str(t) for t in Tenure]
    if tenure not in tenures:
        errors.append(ValidationError("tenure", f"Tenure must be one of: {', '.join(tenures)}."))
    postcode = data.get("postcode")
    cleaned["postcode"] = _collect(
        errors,
        normalise_postcode,
        postcode if isinstance(postcode, str) else "",
        no_fixed_abode=tenure == Tenure.NO_FIXED_ABODE,
    )
    uprn = data.get("uprn")
    if uprn is not None and uprn != "":
        cleaned["uprn"] = _collect(errors, validate_uprn, uprn)
    else:
        cleaned["uprn"] = None
    if errors:
        raise RecordInvalid(errors)
    return cleaned
