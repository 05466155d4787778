"""Tests for the domain rules in app.models.validation (NHS number, postcode, dates, records)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.models.entities import Tenure
from app.models.validation import (
    RecordInvalid,
    ValidationError,
    clean_person,
    clean_property,
    marker_is_expired,
    nhs_check_digit,
    normalise_nhs_number,
    normalise_postcode,
    validate_case_closure,
    validate_date_of_birth,
    validate_not_before_referral,
    validate_priority,
    validate_repair_target,
    validate_transition,
    validate_uprn,
    validate_warning_marker,
)
from app.models.workflow import CASE_TYPES, CLOSED

# --- Independent oracles --------------------------------------------------------------------------

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def oracle_check_digit(nine: str) -> int | None:
    """Check digit written from domain.md, independently of the module: None means invalid."""
    weights = [10, 9, 8, 7, 6, 5, 4, 3, 2]
    total = 0
    for digit, weight in zip(nine, weights, strict=True):
        total += (ord(digit) - ord("0")) * weight
    check = (11 - total % 11) % 11  # 11 becomes 0
    return None if check == 10 else check


def oracle_nhs_valid(ten: str) -> bool:
    check = oracle_check_digit(ten[:9])
    return check is not None and check == int(ten[9])


_SHAPE_ORACLE = re.compile(
    r"^(?:[A-Z][0-9]|[A-Z][0-9]{2}|[A-Z]{2}[0-9]|[A-Z]{2}[0-9]{2}|[A-Z][0-9][A-Z]|[A-Z]{2}[0-9][A-Z])$"
)


def raises_field(field: str, fn: Callable[[], object]) -> ValidationError:
    """Run ``fn``, insist it raises ValidationError for ``field`` with a message; return it."""
    with pytest.raises(ValidationError) as info:
        fn()
    assert info.value.field == field
    assert info.value.message.strip()
    return info.value


# --- NHS number strategies ------------------------------------------------------------------------

nine_digits = st.text(alphabet=DIGITS, min_size=9, max_size=9)


@st.composite
def valid_nhs_numbers(draw: st.DrawFn, *, allow_999: bool = True) -> str:
    nine = draw(nine_digits)
    if not allow_999:
        assume(not nine.startswith("999"))
    check = oracle_check_digit(nine)
    assume(check is not None)
    return f"{nine}{check}"


@st.composite
def spaced(draw: st.DrawFn, compact: str) -> str:
    """``compact`` with random runs of spaces before, between and after its characters."""
    gaps = st.sampled_from(["", "", " ", "  ", "   "])
    parts = [draw(gaps)]
    for char in compact:
        parts.extend([char, draw(gaps)])
    return "".join(parts)


def _force_check_ten(nine: str) -> str:
    """Change the last two of nine digits so the remainder gives check 10 (always possible)."""
    head = nine[:7]
    for d7 in DIGITS:
        for d8 in DIGITS:
            candidate = f"{head}{d7}{d8}"
            if oracle_check_digit(candidate) is None:
                return candidate
    raise AssertionError("unreachable: weights 3 and 2 cover every residue mod 11")


# --- NHS number properties ------------------------------------------------------------------------


def test_oracle_matches_known_valid_number() -> None:
    # 943 476 5919 is the NHS's published example of a valid number.
    assert oracle_check_digit("943476591") == 9
    assert normalise_nhs_number("943 476 5919") == "9434765919"


@given(nine=nine_digits)
def test_module_check_digit_agrees_with_oracle(nine: str) -> None:
    assert nhs_check_digit(nine) == oracle_check_digit(nine)


@given(data=st.data(), number=valid_nhs_numbers(allow_999=False))
def test_valid_nhs_number_accepted_and_compacted(data: st.DataObject, number: str) -> None:
    typed = data.draw(spaced(number))
    assert normalise_nhs_number(typed) == number
    assert normalise_nhs_number(typed, allow_test=True) == number


@given(data=st.data(), number=valid_nhs_numbers())
def test_any_valid_nhs_number_accepted_in_test_mode(data: st.DataObject, number: str) -> None:
    typed = data.draw(spaced(number))
    assert normalise_nhs_number(typed, allow_test=True) == number


@given(
    number=valid_nhs_numbers(),
    position=st.integers(0, 9),
    replacement=st.sampled_from(DIGITS),
)
def test_single_digit_change_rejected(number: str, position: int, replacement: str) -> None:
    assume(number[position] != replacement)
    changed = number[:position] + replacement + number[position + 1 :]
    assert not oracle_nhs_valid(changed)
    raises_field("nhs_number", lambda: normalise_nhs_number(changed, allow_test=True))


@given(number=valid_nhs_numbers(), position=st.integers(0, 8))
def test_adjacent_transposition_rejected(number: str, position: int) -> None:
    # Swapping digits a, b at weights w, w-1 changes the sum by b - a, never 0 mod 11.
    assume(number[position] != number[position + 1])
    digits = list(number)
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    swapped = "".join(digits)
    assert not oracle_nhs_valid(swapped)
    raises_field("nhs_number", lambda: normalise_nhs_number(swapped, allow_test=True))


@given(number=valid_nhs_numbers(), pair=st.sets(st.integers(0, 9), min_size=2, max_size=2))
def test_any_transposition_rejected(number: str, pair: set[int]) -> None:
    # With distinct weights 10..1 mod 11, swapping any two different digits is caught too.
    i, j = sorted(pair)
    assume(number[i] != number[j])
    digits = list(number)
    digits[i], digits[j] = digits[j], digits[i]
    swapped = "".join(digits)
    assert not oracle_nhs_valid(swapped)
    raises_field("nhs_number", lambda: normalise_nhs_number(swapped, allow_test=True))


@given(nine=nine_digits)
def test_check_ten_always_rejected(nine: str) -> None:
    first_nine = _force_check_ten(nine)
    assert nhs_check_digit(first_nine) is None
    for last in DIGITS:
        number = first_nine + last
        raises_field("nhs_number", partial(normalise_nhs_number, number, allow_test=True))


@given(data=st.data(), six=st.text(alphabet=DIGITS, min_size=6, max_size=6))
def test_999_numbers_rejected_outside_test_mode(data: st.DataObject, six: str) -> None:
    check = oracle_check_digit("999" + six)
    assume(check is not None)
    number = f"999{six}{check}"
    typed = data.draw(spaced(number))
    error = raises_field("nhs_number", lambda: normalise_nhs_number(typed))
    assert "999" in error.message
    assert normalise_nhs_number(typed, allow_test=True) == number


def with_check(nine: str) -> str:
    check = oracle_check_digit(nine)
    assert check is not None, nine
    return f"{nine}{check}"


def test_999_number_constructed_directly() -> None:
    # Guarantee the 999 rule is exercised even if hypothesis draws few 999 prefixes.
    number = with_check("999000001")
    raises_field("nhs_number", lambda: normalise_nhs_number(number))
    assert normalise_nhs_number(number, allow_test=True) == number


@given(
    number=valid_nhs_numbers(),
    position=st.integers(0, 9),
    junk=st.characters(
        exclude_categories=["Nd", "Zs", "Zl", "Zp", "Cc", "Cs"],
    ),
)
def test_non_digit_rejected(number: str, position: int, junk: str) -> None:
    # A valid number with one digit replaced by anything that is not a digit or whitespace.
    changed = number[:position] + junk + number[position + 1 :]
    raises_field("nhs_number", lambda: normalise_nhs_number(changed, allow_test=True))


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("943476591", id="nine-digits"),
        pytest.param("94347659190", id="eleven-digits"),
        pytest.param("943-476-5919", id="hyphens"),
        pytest.param("943476591O", id="letter-o-for-zero"),
        pytest.param("９４３４７６５９１９", id="fullwidth-digits"),
        pytest.param("٩٤٣٤٧٦٥٩١٩", id="arabic-indic-digits"),
    ],
)
def test_nhs_number_bad_input(value: str) -> None:
    raises_field("nhs_number", lambda: normalise_nhs_number(value, allow_test=True))


def test_nhs_number_custom_field_name() -> None:
    raises_field("carer_nhs_number", lambda: normalise_nhs_number("1", field="carer_nhs_number"))


# --- Postcode strategies --------------------------------------------------------------------------

FIRST_OK = "".join(c for c in UPPER if c not in "QVX")
SECOND_OK = "".join(c for c in UPPER if c not in "IJZ")
INWARD_OK = "".join(c for c in UPPER if c not in "CIKMOV")

letter = st.sampled_from(UPPER)
digit = st.sampled_from(DIGITS)
first = st.sampled_from(FIRST_OK)
second = st.sampled_from(SECOND_OK)
inward_letter = st.sampled_from(INWARD_OK)

OUTWARD_SHAPES = ("A9", "A99", "AA9", "AA99", "A9A", "AA9A")


@st.composite
def outward_codes(draw: st.DrawFn, shape: str | None = None) -> str:
    """A valid outward code of ``shape`` (or any shape) following domain.md's letter rules."""
    shape = shape or draw(st.sampled_from(OUTWARD_SHAPES))
    chars = []
    for index, kind in enumerate(shape):
        if kind == "9":
            chars.append(draw(digit))
        elif index == 0:
            chars.append(draw(first))
        elif index == 1:
            chars.append(draw(second))
        else:
            chars.append(draw(letter))
    return "".join(chars)


@st.composite
def inward_codes(draw: st.DrawFn) -> str:
    return draw(digit) + draw(inward_letter) + draw(inward_letter)


@st.composite
def valid_postcodes(draw: st.DrawFn) -> tuple[str, str]:
    """(outward, inward) of a valid postcode."""
    return draw(outward_codes()), draw(inward_codes())


@st.composite
def typed_like_a_person(draw: st.DrawFn, compact: str) -> str:
    """``compact`` in random case with random spacing."""
    cased = "".join(c.lower() if draw(st.booleans()) else c for c in compact)
    return draw(spaced(cased))


# --- Postcode properties --------------------------------------------------------------------------


@given(data=st.data(), code=valid_postcodes(), no_fixed_abode=st.booleans())
def test_valid_postcode_normalised(
    data: st.DataObject, code: tuple[str, str], no_fixed_abode: bool
) -> None:
    outward, inward = code
    typed = data.draw(typed_like_a_person(outward + inward))
    assert normalise_postcode(typed, no_fixed_abode=no_fixed_abode) == f"{outward} {inward}"


@pytest.mark.parametrize("shape", OUTWARD_SHAPES)
@given(data=st.data())
def test_every_outward_shape_accepted(shape: str, data: st.DataObject) -> None:
    outward = data.draw(outward_codes(shape))
    inward = data.draw(inward_codes())
    assert normalise_postcode(f"{outward}{inward}") == f"{outward} {inward}"


@given(data=st.data(), code=valid_postcodes(), bad=st.sampled_from("QVX"))
def test_bad_first_letter_rejected(data: st.DataObject, code: tuple[str, str], bad: str) -> None:
    outward, inward = code
    typed = data.draw(typed_like_a_person(bad + outward[1:] + inward))
    error = raises_field("postcode", lambda: normalise_postcode(typed))
    assert bad in error.message


@given(
    data=st.data(),
    shape=st.sampled_from(["AA9", "AA99", "AA9A"]),
    bad=st.sampled_from("IJZ"),
)
def test_bad_second_letter_rejected(data: st.DataObject, shape: str, bad: str) -> None:
    outward = data.draw(outward_codes(shape))
    outward = outward[0] + bad + outward[2:]
    assume(not outward.startswith("ZZ99"))  # pseudo-postcodes have their own rule
    inward = data.draw(inward_codes())
    error = raises_field("postcode", lambda: normalise_postcode(outward + inward))
    assert bad in error.message


@given(
    code=valid_postcodes(),
    position=st.sampled_from([1, 2]),
    bad=st.sampled_from("CIKMOV"),
    no_fixed_abode=st.booleans(),
)
def test_bad_inward_letter_rejected(
    code: tuple[str, str], position: int, bad: str, no_fixed_abode: bool
) -> None:
    outward, inward = code
    inward = inward[:position] + bad + inward[position + 1 :]
    error = raises_field(
        "postcode",
        lambda: normalise_postcode(f"{outward} {inward}", no_fixed_abode=no_fixed_abode),
    )
    assert bad in error.message


@given(
    outward=st.text(alphabet=UPPER + DIGITS, min_size=2, max_size=4),
    inward=inward_codes(),
    no_fixed_abode=st.booleans(),
)
def test_bad_outward_shape_rejected(outward: str, inward: str, no_fixed_abode: bool) -> None:
    assume(not _SHAPE_ORACLE.match(outward) and outward != "GIR")
    raises_field(
        "postcode", lambda: normalise_postcode(outward + inward, no_fixed_abode=no_fixed_abode)
    )


@given(
    outward=outward_codes(),
    inward=st.text(alphabet=UPPER + DIGITS, min_size=3, max_size=3),
    no_fixed_abode=st.booleans(),
)
def test_bad_inward_shape_rejected(outward: str, inward: str, no_fixed_abode: bool) -> None:
    assume(not re.match(r"^[0-9][A-Z]{2}$", inward))
    raises_field(
        "postcode", lambda: normalise_postcode(outward + inward, no_fixed_abode=no_fixed_abode)
    )


@given(
    data=st.data(),
    compact=st.one_of(
        st.text(alphabet=UPPER + DIGITS, max_size=4),
        st.text(alphabet=UPPER + DIGITS, min_size=8, max_size=12),
    ),
    no_fixed_abode=st.booleans(),
)
def test_wrong_length_rejected(data: st.DataObject, compact: str, no_fixed_abode: bool) -> None:
    typed = data.draw(typed_like_a_person(compact))
    raises_field("postcode", lambda: normalise_postcode(typed, no_fixed_abode=no_fixed_abode))


@given(
    code=valid_postcodes(),
    position=st.integers(0, 4),
    junk=st.characters(exclude_categories=["Lu", "Ll", "Nd", "Zs", "Zl", "Zp", "Cc", "Cs"]),
)
def test_punctuation_and_symbols_rejected(code: tuple[str, str], position: int, junk: str) -> None:
    compact = code[0] + code[1]
    typed = compact[:position] + junk + compact[position + 1 :]
    raises_field("postcode", lambda: normalise_postcode(typed))


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("ß1 1AA", id="sharp-s-uppercases-to-SS"),
        pytest.param("ſW1A 1AA", id="long-s-uppercases-to-S"),
        pytest.param("SW1A 1ＡA", id="fullwidth-letter"),
        pytest.param("SW1A １AA", id="fullwidth-digit"),
        pytest.param("SW1Α 1AA", id="greek-alpha"),
        pytest.param("SW1A-1AA", id="hyphen"),
    ],
)
def test_postcode_non_ascii_or_punctuation_rejected(typed: str) -> None:
    raises_field("postcode", lambda: normalise_postcode(typed))


@pytest.mark.parametrize(
    ("typed", "no_fixed_abode", "expected"),
    [
        pytest.param("GIR 0AA", False, "GIR 0AA", id="gir"),
        pytest.param("gir0aa", False, "GIR 0AA", id="gir-lower-compact"),
        pytest.param(" G i R 0 a A ", True, "GIR 0AA", id="gir-spaced-nfa"),
        pytest.param("ZZ99 3VZ", True, "ZZ99 3VZ", id="zz99-nfa"),
        pytest.param("zz993vz", True, "ZZ99 3VZ", id="zz99-nfa-lower-compact"),
        pytest.param("SW1A1AA", False, "SW1A 1AA", id="aa9a"),
        pytest.param("m1 1ae", False, "M1 1AE", id="a9"),
        pytest.param("  B33   8TH ", False, "B33 8TH", id="a99-extra-spaces"),
        pytest.param("cr2 6xh", False, "CR2 6XH", id="aa9"),
        pytest.param("DN55 1PT", False, "DN55 1PT", id="aa99"),
        pytest.param("W1A 0AX", False, "W1A 0AX", id="a9a"),
        pytest.param("W1J 7NT", False, "W1J 7NT", id="a9a-third-char-j-is-fine"),
    ],
)
def test_postcode_examples(typed: str, no_fixed_abode: bool, expected: str) -> None:
    assert normalise_postcode(typed, no_fixed_abode=no_fixed_abode) == expected


@given(data=st.data(), inward=st.text(alphabet=UPPER, min_size=2, max_size=2), d=digit)
def test_zz99_only_for_no_fixed_abode(data: st.DataObject, inward: str, d: str) -> None:
    typed = data.draw(typed_like_a_person(f"ZZ99{d}{inward}"))
    assert normalise_postcode(typed, no_fixed_abode=True) == f"ZZ99 {d}{inward}"
    error = raises_field("postcode", lambda: normalise_postcode(typed))
    assert "ZZ99" in error.message


@pytest.mark.parametrize("typed", [pytest.param("", id="empty"), pytest.param("   ", id="blank")])
def test_empty_postcode_rejected(typed: str) -> None:
    raises_field("postcode", lambda: normalise_postcode(typed))


def test_postcode_custom_field_name() -> None:
    raises_field(
        "correspondence_postcode",
        lambda: normalise_postcode("Q1 1AA", field=("correspondence_postcode")),
    )


# --- UPRN -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(1, 1, id="one"),
        pytest.param(999_999_999_999, 999_999_999_999, id="twelve-nines"),
        pytest.param("  42 ", 42, id="padded-string"),
        pytest.param("100023336956", 100_023_336_956, id="twelve-digit-string"),
    ],
)
def test_uprn_accepted(value: int | str, expected: int) -> None:
    result = validate_uprn(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(0, id="zero"),
        pytest.param(-1, id="negative"),
        pytest.param(1_000_000_000_000, id="thirteen-digits"),
        pytest.param("1000000000000", id="thirteen-digit-string"),
        pytest.param("12a", id="letters"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("-5", id="negative-string"),
        pytest.param("+5", id="plus-sign"),
        pytest.param("1_000", id="underscore"),
        pytest.param("１２", id="fullwidth-digits"),
        pytest.param("0", id="zero-string"),
        pytest.param(True, id="bool-true"),
        pytest.param(False, id="bool-false"),
        pytest.param(1.5, id="float"),
        pytest.param(42.0, id="whole-float"),
        pytest.param(None, id="none"),
    ],
)
def test_uprn_rejected(value: Any) -> None:
    raises_field("uprn", lambda: validate_uprn(value))


# --- Dates ----------------------------------------------------------------------------------------

TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(
    ("dob", "today"),
    [
        pytest.param(TODAY, TODAY, id="born-today"),
        pytest.param(date(1906, 6, 15), TODAY, id="exactly-120"),
        pytest.param(date(1905, 6, 16), TODAY, id="day-before-121st-birthday"),
        pytest.param(date(1904, 2, 29), date(2024, 2, 29), id="leap-born-120-on-leap-day"),
        pytest.param(date(1904, 2, 29), date(2025, 2, 28), id="leap-born-still-120-on-28-feb"),
        pytest.param(date(2024, 2, 29), date(2025, 2, 28), id="leap-born-age-0-next-year"),
    ],
)
def test_date_of_birth_accepted(dob: date, today: date) -> None:
    assert validate_date_of_birth(dob, today=today) == dob


@pytest.mark.parametrize(
    ("dob", "today"),
    [
        pytest.param(TODAY + timedelta(days=1), TODAY, id="tomorrow"),
        pytest.param(date(1905, 6, 15), TODAY, id="exactly-121"),
        pytest.param(date(1800, 1, 1), TODAY, id="far-past"),
        pytest.param(date(1904, 2, 29), date(2025, 3, 1), id="leap-born-121-on-1-march"),
        pytest.param(date(2028, 2, 29), date(2028, 2, 28), id="leap-day-in-future"),
    ],
)
def test_date_of_birth_rejected(dob: date, today: date) -> None:
    raises_field("date_of_birth", lambda: validate_date_of_birth(dob, today=today))


REFERRAL = date(2026, 4, 1)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(REFERRAL, id="same-day"),
        pytest.param(REFERRAL + timedelta(days=1), id="day-after"),
        pytest.param(datetime(2026, 4, 1, 0, 0), id="datetime-midnight-same-day"),
        pytest.param(datetime(2026, 4, 1, 23, 59), id="datetime-late-same-day"),
    ],
)
def test_not_before_referral_accepted(value: date | datetime) -> None:
    validate_not_before_referral("decision_date", value, REFERRAL)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(REFERRAL - timedelta(days=1), id="day-before"),
        pytest.param(datetime(2026, 3, 31, 23, 59, 59), id="datetime-day-before"),
        pytest.param(date(2025, 4, 1), id="year-before"),
    ],
)
def test_before_referral_rejected(value: date | datetime) -> None:
    error = raises_field(
        "visit_date", lambda: validate_not_before_referral("visit_date", value, REFERRAL)
    )
    assert "01/04/2026" in error.message


# --- Warning markers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "review_date", "fields"),
    [
        pytest.param(None, TODAY, {"reason"}, id="missing-reason"),
        pytest.param("", TODAY, {"reason"}, id="empty-reason"),
        pytest.param("  \t", TODAY, {"reason"}, id="blank-reason"),
        pytest.param("Aggressive dog", None, {"review_date"}, id="missing-review-date"),
        pytest.param(None, None, {"reason", "review_date"}, id="both-missing"),
        pytest.param(" ", None, {"reason", "review_date"}, id="blank-and-missing"),
    ],
)
def test_warning_marker_rejected(
    reason: str | None, review_date: date | None, fields: set[str]
) -> None:
    with pytest.raises(RecordInvalid) as info:
        validate_warning_marker(reason, review_date)
    assert {e.field for e in info.value.errors} == fields
    assert set(info.value.by_field()) == fields
    assert all(e.message.strip() for e in info.value.errors)


def test_warning_marker_accepted() -> None:
    validate_warning_marker("Aggressive dog", TODAY)


@pytest.mark.parametrize(
    ("review_date", "expired"),
    [
        pytest.param(TODAY - timedelta(days=365), True, id="last-year"),
        pytest.param(TODAY - timedelta(days=1), True, id="yesterday"),
        pytest.param(TODAY, False, id="review-due-today"),
        pytest.param(TODAY + timedelta(days=1), False, id="tomorrow"),
    ],
)
def test_marker_is_expired(review_date: date, expired: bool) -> None:
    assert marker_is_expired(review_date, today=TODAY) is expired


# --- Repairs --------------------------------------------------------------------------------------

REPORTED = datetime(2026, 3, 6, 16, 30)  # a Friday afternoon


@pytest.mark.parametrize(
    ("priority", "target"),
    [
        pytest.param("emergency", REPORTED, id="emergency-immediate"),
        pytest.param("emergency", REPORTED + timedelta(hours=24), id="emergency-exactly-24h"),
        pytest.param("urgent", REPORTED + timedelta(days=5), id="urgent-5-days"),
        pytest.param("routine", REPORTED + timedelta(days=40), id="routine-40-days"),
        pytest.param("emergency", None, id="emergency-no-target"),
        pytest.param("routine", None, id="routine-no-target"),
    ],
)
def test_repair_target_accepted(priority: str, target: datetime | None) -> None:
    validate_repair_target(priority, REPORTED, target)


@pytest.mark.parametrize(
    ("priority", "target"),
    [
        pytest.param(
            "emergency", REPORTED + timedelta(hours=24, seconds=1), id="emergency-24h-plus-1s"
        ),
        pytest.param("emergency", REPORTED + timedelta(days=3), id="emergency-3-days"),
        pytest.param("emergency", REPORTED - timedelta(seconds=1), id="emergency-before-report"),
        pytest.param("urgent", REPORTED - timedelta(days=1), id="urgent-before-report"),
        pytest.param("routine", REPORTED - timedelta(minutes=5), id="routine-before-report"),
    ],
)
def test_repair_target_rejected(priority: str, target: datetime) -> None:
    raises_field("target_at", lambda: validate_repair_target(priority, REPORTED, target))


# --- Case closure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "tasks", "fields"),
    [
        pytest.param(None, [], {"closure_reason"}, id="no-reason"),
        pytest.param("   ", [], {"closure_reason"}, id="blank-reason"),
        pytest.param("Resolved", ["Visit"], {"tasks"}, id="one-open-task"),
        pytest.param(None, ["Visit", "Call"], {"closure_reason", "tasks"}, id="both"),
    ],
)
def test_case_closure_rejected(reason: str | None, tasks: list[str], fields: set[str]) -> None:
    with pytest.raises(RecordInvalid) as info:
        validate_case_closure(reason, tasks)
    assert set(info.value.by_field()) == fields
    for title in tasks:
        assert f"'{title}'" in info.value.by_field()["tasks"]


def test_case_closure_accepted() -> None:
    validate_case_closure("Repair completed", [])


def test_case_closure_lists_three_then_counts_the_rest() -> None:
    titles = ["Book visit", "Call tenant", "Order part", "Chase contractor", "Send letter"]
    with pytest.raises(RecordInvalid) as info:
        validate_case_closure("Done", iter(titles))
    message = info.value.by_field()["tasks"]
    for title in titles[:3]:
        assert f"'{title}'" in message
    for title in titles[3:]:
        assert title not in message
    assert "and 2 more" in message


def test_case_closure_exactly_three_tasks_has_no_more() -> None:
    titles = ["A task", "B task", "C task"]
    with pytest.raises(RecordInvalid) as info:
        validate_case_closure("Done", titles)
    message = info.value.by_field()["tasks"]
    assert all(f"'{t}'" in message for t in titles)
    assert "more" not in message


# --- Workflow transitions -------------------------------------------------------------------------


def _legal() -> Iterator[Any]:
    for code, ct in CASE_TYPES.items():
        for source in ct.statuses:
            for target in ct.allowed_from(source):
                yield pytest.param(code, source, target, id=f"{code}:{source}->{target}")


def _illegal() -> Iterator[Any]:
    for code, ct in CASE_TYPES.items():
        for source in ct.statuses:
            allowed = ct.allowed_from(source)
            for target in ct.statuses:
                if target not in allowed:
                    yield pytest.param(code, source, target, id=f"{code}:{source}-x->{target}")


@pytest.mark.parametrize(("case_type", "source", "target"), list(_legal()))
def test_legal_transition_accepted(case_type: str, source: str, target: str) -> None:
    validate_transition(case_type, source, target)


@pytest.mark.parametrize(("case_type", "source", "target"), list(_illegal()))
def test_illegal_transition_names_allowed(case_type: str, source: str, target: str) -> None:
    error = raises_field("status", lambda: validate_transition(case_type, source, target))
    allowed = CASE_TYPES[case_type].allowed_from(source)
    listed = set(re.findall(r"\w+", error.message.split("allowed from", 1)[1].rsplit(":", 1)[1]))
    assert set(allowed) <= listed
    assert target not in listed
    if not allowed:
        assert "none" in listed


@pytest.mark.parametrize(
    ("case_type", "source", "target", "field"),
    [
        pytest.param("no_such_type", "reported", "inspected", "case_type", id="unknown-type"),
        pytest.param("repair", "no_such_status", "closed", "status", id="unknown-from-status"),
        pytest.param("repair", "reported", "no_such_status", "status", id="unknown-to-status"),
        pytest.param("repair", "reported", "reported", "status", id="self-transition"),
        pytest.param("repair", CLOSED, "reported", "status", id="reopen-closed"),
    ],
)
def test_transition_edge_cases(case_type: str, source: str, target: str, field: str) -> None:
    raises_field(field, lambda: validate_transition(case_type, source, target))


@pytest.mark.parametrize("case_type", sorted(CASE_TYPES))
def test_closed_is_final(case_type: str) -> None:
    error = raises_field("status", lambda: validate_transition(case_type, CLOSED, "open"))
    assert "final" in error.message


# --- Priority -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case_type", "priority"),
    [
        pytest.param("repair", "emergency", id="repair-emergency"),
        pytest.param("repair", "damp_mould", id="repair-damp-mould"),
        pytest.param("homelessness", "high", id="homelessness-high"),
        pytest.param("early_help", "low", id="early-help-low"),
    ],
)
def test_priority_accepted(case_type: str, priority: str) -> None:
    validate_priority(case_type, priority)


@pytest.mark.parametrize(
    ("case_type", "priority", "field"),
    [
        pytest.param("repair", "high", "priority", id="repair-high"),
        pytest.param("tenancy", "emergency", "priority", id="tenancy-emergency"),
        pytest.param("repair", "", "priority", id="empty"),
        pytest.param("repair", "EMERGENCY", "priority", id="wrong-case"),
        pytest.param("nope", "low", "case_type", id="unknown-case-type"),
    ],
)
def test_priority_rejected(case_type: str, priority: str, field: str) -> None:
    error = raises_field(field, lambda: validate_priority(case_type, priority))
    if field == "priority":
        for allowed in CASE_TYPES[case_type].priorities:
            assert allowed in error.message


# --- Whole records --------------------------------------------------------------------------------

VALID_NHS = "9434765919"


def _person(**changes: object) -> dict[str, object]:
    person: dict[str, object] = {
        "id": 17,
        "given_name": "Amara",
        "family_name": "Okafor",
        "date_of_birth": date(1980, 5, 1),
        "nhs_number": "943 476 5919",
        "preferred_language": "en",
        "notes": "Prefers morning calls",
    }
    person.update(changes)
    return person


def test_clean_person_normalises_nhs_and_keeps_the_rest() -> None:
    data = _person()
    before = copy.deepcopy(data)
    cleaned = clean_person(data, today=TODAY, allow_test=False)
    assert data == before  # input not mutated
    assert cleaned == {**before, "nhs_number": VALID_NHS}


@pytest.mark.parametrize(
    ("changes", "expected_nhs"),
    [
        pytest.param({"nhs_number": None}, None, id="no-nhs"),
        pytest.param({"nhs_number": "   "}, None, id="blank-nhs"),
        pytest.param({"date_of_birth": None}, VALID_NHS, id="no-dob"),
        pytest.param({"preferred_language": None}, VALID_NHS, id="no-language"),
        pytest.param({"preferred_language": "cy"}, VALID_NHS, id="welsh"),
    ],
)
def test_clean_person_optional_fields(changes: dict[str, object], expected_nhs: str | None) -> None:
    cleaned = clean_person(_person(**changes), today=TODAY, allow_test=False)
    assert cleaned["nhs_number"] == expected_nhs
    assert {k: v for k, v in cleaned.items() if k != "nhs_number"} == {
        k: v for k, v in _person(**changes).items() if k != "nhs_number"
    }


def test_clean_person_test_numbers_follow_mode() -> None:
    number = with_check("999123457")
    assert (
        clean_person(_person(nhs_number=number), today=TODAY, allow_test=True)["nhs_number"]
        == number
    )
    with pytest.raises(RecordInvalid) as info:
        clean_person(_person(nhs_number=number), today=TODAY, allow_test=False)
    assert set(info.value.by_field()) == {"nhs_number"}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        pytest.param({"given_name": ""}, {"given_name"}, id="empty-given-name"),
        pytest.param({"family_name": "  "}, {"family_name"}, id="blank-family-name"),
        pytest.param({"date_of_birth": "1980-05-01"}, {"date_of_birth"}, id="dob-string"),
        pytest.param({"nhs_number": "943 476 5918"}, {"nhs_number"}, id="bad-check-digit"),
        pytest.param(
            {
                "given_name": None,
                "family_name": "",
                "date_of_birth": TODAY + timedelta(days=1),
                "nhs_number": "12345",
                "preferred_language": "fr",
            },
            {"given_name", "family_name", "date_of_birth", "nhs_number", "preferred_language"},
            id="five-bad-fields-at-once",
        ),
    ],
)
def test_clean_person_reports_every_bad_field(changes: dict[str, object], fields: set[str]) -> None:
    data = _person(**changes)
    before = copy.deepcopy(data)
    with pytest.raises(RecordInvalid) as info:
        clean_person(data, today=TODAY, allow_test=False)
    assert set(info.value.by_field()) == fields
    assert {e.field for e in info.value.errors} == fields
    assert all(e.message.strip() for e in info.value.errors)
    assert data == before


def _property(**changes: object) -> dict[str, object]:
    prop: dict[str, object] = {
        "id": 3,
        "address_line1": "12 Acacia Avenue",
        "address_line2": "",
        "town": "Leeds",
        "postcode": "ls1 4ap",
        "tenure": Tenure.COUNCIL_TENANCY.value,
        "uprn": " 72630485 ",
    }
    prop.update(changes)
    return prop


def test_clean_property_normalises_and_keeps_the_rest() -> None:
    data = _property()
    before = copy.deepcopy(data)
    cleaned = clean_property(data)
    assert data == before
    assert cleaned == {**before, "postcode": "LS1 4AP", "uprn": 72_630_485}


@pytest.mark.parametrize(
    ("uprn", "expected"),
    [
        pytest.param(None, None, id="none"),
        pytest.param("", None, id="empty"),
        pytest.param(42, 42, id="int"),
    ],
)
def test_clean_property_optional_uprn(uprn: object, expected: int | None) -> None:
    assert clean_property(_property(uprn=uprn))["uprn"] == expected


def test_clean_property_no_fixed_abode_allows_zz99() -> None:
    cleaned = clean_property(_property(tenure=Tenure.NO_FIXED_ABODE.value, postcode="zz99 3vz"))
    assert cleaned["postcode"] == "ZZ99 3VZ"


def test_clean_property_zz99_needs_no_fixed_abode() -> None:
    with pytest.raises(RecordInvalid) as info:
        clean_property(_property(tenure=Tenure.OWNER.value, postcode="ZZ99 3VZ"))
    assert set(info.value.by_field()) == {"postcode"}


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        pytest.param({"town": " "}, {"town"}, id="blank-town"),
        pytest.param({"postcode": None}, {"postcode"}, id="missing-postcode"),
        pytest.param({"uprn": "0"}, {"uprn"}, id="zero-uprn"),
        pytest.param({"tenure": "freehold"}, {"tenure"}, id="unknown-tenure"),
        pytest.param(
            {
                "address_line1": "",
                "town": None,
                "tenure": "castle",
                "postcode": "QX1 1AA",
                "uprn": "12a",
            },
            {"address_line1", "town", "tenure", "postcode", "uprn"},
            id="five-bad-fields-at-once",
        ),
    ],
)
def test_clean_property_reports_every_bad_field(
    changes: dict[str, object], fields: set[str]
) -> None:
    data = _property(**changes)
    before = copy.deepcopy(data)
    with pytest.raises(RecordInvalid) as info:
        clean_property(data)
    assert set(info.value.by_field()) == fields
    assert {e.field for e in info.value.errors} == fields
    assert all(e.message.strip() for e in info.value.errors)
    assert data == before


def test_record_invalid_by_field_first_message_wins() -> None:
    invalid = RecordInvalid(
        [ValidationError("a", "first"), ValidationError("b", "other"), ValidationError("a", "x")]
    )
    assert invalid.by_field() == {"a": "first", "b": "other"}
    assert "a: first" in str(invalid)


def test_clean_person_reports_a_datetime_birth_date_and_a_numeric_nhs_number() -> None:
    from datetime import UTC, datetime

    with pytest.raises(RecordInvalid) as info:
        clean_person(
            {
                "given_name": "Ann",
                "family_name": "Lee",
                "date_of_birth": datetime(1990, 1, 1, tzinfo=UTC),
                "nhs_number": 9434765919,
            },
            today=date(2026, 11, 2),
            allow_test=False,
        )
    assert set(info.value.by_field()) == {"date_of_birth", "nhs_number"}


def test_validation_error_passes_through_a_context_manager() -> None:
    import contextlib

    @contextlib.contextmanager
    def transaction() -> Iterator[None]:
        yield

    with pytest.raises(ValidationError) as info, transaction():
        raise ValidationError("postcode", "bad")
    assert (info.value.field, info.value.message) == ("postcode", "bad")
