"""Swedish identity numbers: personnummer, samordningsnummer and reservnummer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from sipdocs.cases import validate_file
from sipdocs.ids import (
    FORMAT_HINT,
    IdKind,
    InvalidId,
    PersonalId,
    luhn_check_digit,
    parse_personal_id,
)
from sipdocs.source import parse
from tests.conftest import SAMPLES

REFERENCE = dt.date(2026, 3, 1)  # the case date that settles the century of short numbers

WRONG_CHECK = "the check digit does not match; check the number"
NOT_A_DATE = "the date part of the number is not a real date"
FUTURE = "the birth date in the number is later than the case date"


def number(yymmdd: str, serial: str = "342") -> str:
    """The ten digits YYMMDDNNNC with a correct check digit C."""
    return f"{yymmdd}{serial}{luhn_check_digit(yymmdd + serial)}"


def wrong(ten: str) -> str:
    """`ten` with a check digit that is off by one."""
    return ten[:-1] + str((int(ten[-1]) + 1) % 10)


def written(ten: str, century: str = "", sign: str = "-") -> str:
    """How a case file writes the number: [CC]YYMMDD, a sign (or none), NNNC."""
    return f"{century}{ten[:6]}{sign}{ten[6:]}"


def error_of(raw: Any, reference: dt.date = REFERENCE) -> str:
    """The message of the `InvalidId` that `raw` gives."""
    with pytest.raises(InvalidId) as caught:
        parse_personal_id(raw, reference)
    return str(caught.value)


def test_luhn_check_digit_of_a_known_number() -> None:
    """The fictional number used in the samples: 19710815-3425."""
    assert luhn_check_digit("710815342") == 5
    assert number("710815") == "7108153425"


# --- personnummer -------------------------------------------------------------------------------


@pytest.mark.parametrize("sign", ["-", ""])
def test_twelve_digits(sign: str) -> None:
    ten = number("710815")
    pid = parse_personal_id(written(ten, "19", sign), REFERENCE)
    assert pid == PersonalId(IdKind.PERSONNUMMER, "19" + ten)
    assert pid.birth_date == dt.date(1971, 8, 15)
    assert str(pid) == "19710815-" + ten[6:]


@pytest.mark.parametrize("sign", ["-", ""])
def test_ten_digits_take_the_latest_century(sign: str) -> None:
    ten = number("710815")
    pid = parse_personal_id(written(ten, sign=sign), REFERENCE)
    assert pid.kind is IdKind.PERSONNUMMER
    assert pid.value == "19" + ten
    assert str(pid) == "19710815-" + ten[6:]


def test_ten_digits_as_a_yaml_number() -> None:
    """`personal_id: 7108153425` without quotes is an int in YAML; it is read the same."""
    ten = number("710815")
    assert parse_personal_id(int(ten), REFERENCE).value == "19" + ten


@pytest.mark.parametrize(
    ("yymmdd", "born"),
    [
        pytest.param("250601", dt.date(2025, 6, 1), id="last-year"),
        pytest.param("260301", dt.date(2026, 3, 1), id="born-on-the-case-date"),
        pytest.param("260228", dt.date(2026, 2, 28), id="earlier-this-year"),
        pytest.param("260302", dt.date(1926, 3, 2), id="birthday-later-in-the-year"),
        pytest.param("261224", dt.date(1926, 12, 24), id="christmas-eve"),
        pytest.param("270101", dt.date(1927, 1, 1), id="next-year-digits"),
        pytest.param("000229", dt.date(2000, 2, 29), id="leap-day-2000"),
    ],
)
def test_century_of_ten_digits_is_settled_by_the_case_date(yymmdd: str, born: dt.date) -> None:
    """The latest date with these digits that is not after the case date."""
    ten = number(yymmdd)
    pid = parse_personal_id(written(ten), REFERENCE)
    assert pid.birth_date == born
    assert pid.value == f"{born.year:04d}{ten[2:]}"


@pytest.mark.parametrize(
    ("yymmdd", "born"),
    [
        pytest.param("260301", dt.date(1926, 3, 1), id="hundred-on-the-case-date"),
        pytest.param("250601", dt.date(1925, 6, 1), id="hundred-last-year"),
        pytest.param("260302", dt.date(1826, 3, 2), id="not-yet-hundred-this-year"),
        pytest.param("710815", dt.date(1871, 8, 15), id="long-ago"),
    ],
)
def test_plus_sign_means_a_hundred_years_or_more(yymmdd: str, born: dt.date) -> None:
    ten = number(yymmdd)
    pid = parse_personal_id(written(ten, sign="+"), REFERENCE)
    assert pid.kind is IdKind.PERSONNUMMER
    assert pid.birth_date == born
    assert str(pid) == f"{born.year:04d}{ten[2:6]}-{ten[6:]}"


def test_reference_date_changes_the_century() -> None:
    ten = number("260302")
    assert parse_personal_id(written(ten), dt.date(2026, 3, 2)).value == "20" + ten
    assert parse_personal_id(written(ten), dt.date(2026, 3, 1)).value == "19" + ten


def test_stored_as_twelve_digits() -> None:
    for raw in (written(number("710815")), written(number("710815"), "19", "")):
        pid = parse_personal_id(raw, REFERENCE)
        assert re.fullmatch(r"\d{12}", pid.value)
        assert re.fullmatch(r"\d{8}-\d{4}", str(pid))


# --- samordningsnummer --------------------------------------------------------------------------


@pytest.mark.parametrize("century", ["19", ""])
def test_samordningsnummer_adds_sixty_to_the_day(century: str) -> None:
    ten = number("710875")  # born 1971-08-15
    pid = parse_personal_id(written(ten, century), REFERENCE)
    assert pid.kind is IdKind.SAMORDNINGSNUMMER
    assert pid.value == "19" + ten
    assert pid.birth_date == dt.date(1971, 8, 15)
    assert str(pid) == "19710875-" + ten[6:]


def test_samordningsnummer_on_the_last_day_of_a_month() -> None:
    pid = parse_personal_id(written(number("001291"), "20"), REFERENCE)
    assert pid.kind is IdKind.SAMORDNINGSNUMMER
    assert pid.birth_date == dt.date(2000, 12, 31)


def test_samordningsnummer_century_uses_the_real_day() -> None:
    """Day 62 of March 2026 is 2 March: after the case date, so 1926."""
    pid = parse_personal_id(written(number("260362")), REFERENCE)
    assert pid.kind is IdKind.SAMORDNINGSNUMMER
    assert pid.birth_date == dt.date(1926, 3, 2)


# --- reservnummer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        pytest.param("R 123-45", "R 123-45", id="text"),
        pytest.param("RV2026000142", "RV2026000142", id="letters-and-digits"),
        pytest.param(12345, "12345", id="yaml-number"),
        pytest.param("x" * 30, "x" * 30, id="thirty-characters"),
    ],
)
def test_reservnummer(value: Any, stored: str) -> None:
    pid = parse_personal_id({"reservnummer": value}, REFERENCE)
    assert pid == PersonalId(IdKind.RESERVNUMMER, stored)
    assert pid.birth_date is None
    assert str(pid) == stored


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("x" * 31, id="too-long"),
        pytest.param("R_123", id="underscore"),
        pytest.param("-123", id="leading-hyphen"),
        pytest.param(None, id="null"),
        pytest.param(True, id="bool"),
        pytest.param(["R1"], id="list"),
    ],
)
def test_reservnummer_of_the_wrong_form(value: Any) -> None:
    assert (
        error_of({"reservnummer": value})
        == "a reservnummer is 1 to 30 letters, digits, spaces or hyphens"
    )


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param({}, id="empty-mapping"),
        pytest.param({"reserv": "R1"}, id="misspelt"),
        pytest.param({"reservnummer": "R1", "region": "Mellanland"}, id="extra-key"),
    ],
)
def test_reservnummer_mapping_has_one_key(raw: dict[str, Any]) -> None:
    assert error_of(raw) == "a reserve number is written as {reservnummer: ...} and nothing else"


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(written(wrong(number("710815")), "19"), id="twelve-digits"),
        pytest.param(written(wrong(number("710815"))), id="ten-digits"),
        pytest.param(written(wrong(number("710815")), sign=""), id="no-separator"),
        pytest.param(written(wrong(number("710875")), "19"), id="samordningsnummer"),
    ],
)
def test_wrong_check_digit(raw: str) -> None:
    assert error_of(raw) == WRONG_CHECK


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(written(number("710230"), "19"), id="30-february"),
        pytest.param(written(number("711301")), id="month-13"),
        pytest.param(written(number("710800")), id="day-0"),
        pytest.param(written(number("230229"), "20"), id="29-february-2023"),
        pytest.param(written(number("710291")), id="samordningsnummer-31-february"),
        pytest.param(written(number("710860"), "19"), id="day-60"),
    ],
)
def test_impossible_date(raw: str) -> None:
    assert error_of(raw) == NOT_A_DATE


def test_leap_day_in_a_leap_year_is_real() -> None:
    assert parse_personal_id(written(number("240229"), "20"), REFERENCE).birth_date == dt.date(
        2024, 2, 29
    )


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(written(number("260302"), "20"), id="tomorrow"),
        pytest.param(written(number("300101"), "20"), id="years-ahead"),
        pytest.param(written(number("260362"), "20"), id="samordningsnummer"),
    ],
)
def test_birth_date_after_the_case_date(raw: str) -> None:
    assert error_of(raw) == FUTURE


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param("abc", id="letters"),
        pytest.param("+", id="sign-only"),
        pytest.param("19710815", id="date-only"),
        pytest.param("710815-342", id="nine-digits"),
        pytest.param("19710815-34255", id="too-many-digits"),
        pytest.param("1971-08-15-3425", id="date-with-hyphens"),
        pytest.param("710815/3425", id="slash"),
        pytest.param("710815--3425", id="two-hyphens"),
        pytest.param("7108153425x", id="trailing-letter"),
        pytest.param(None, id="null"),
        pytest.param(True, id="bool"),
        pytest.param(7108.153425, id="float"),
        pytest.param(dt.date(1971, 8, 15), id="date"),
        pytest.param(["710815", "3425"], id="list"),
    ],
)
def test_garbage_gets_the_format_hint(raw: Any) -> None:
    assert error_of(raw) == FORMAT_HINT
    assert error_of(raw) == (
        "expected a personnummer or samordningsnummer as YYYYMMDD-NNNN or YYMMDD-NNNN "
        "(+ for age 100 or more), or {reservnummer: ...}"
    )


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("٧١٠٨١٥-٣٤٢٥", id="arabic-indic"),
        pytest.param("１９７１０８１５-３４２５", id="full-width"),
    ],
)
def test_non_ascii_digits_are_refused_or_normalised(raw: str) -> None:
    try:
        pid = parse_personal_id(raw, REFERENCE)
    except InvalidId:
        return
    assert pid.value == "197108153425"


# --- privacy ------------------------------------------------------------------------------------


REFUSED_NUMBERS = [
    pytest.param(written(wrong(number("710815")), "19"), id="wrong-check-digit"),
    pytest.param(written(wrong(number("710815"))), id="wrong-check-digit-short"),
    pytest.param(written(number("710230"), "19"), id="impossible-date"),
    pytest.param(written(number("260302"), "20"), id="future"),
    pytest.param("19710815-34255", id="too-long"),
    pytest.param("710815-342", id="too-short"),
]


@pytest.mark.parametrize("raw", REFUSED_NUMBERS)
def test_messages_do_not_repeat_the_number(raw: str) -> None:
    """No digits of the number; the only digits a message may hold are the hint's '100'."""
    message = error_of(raw)
    digits = re.sub(r"\D", "", raw)
    assert digits not in message
    assert digits[-4:] not in message
    assert re.findall(r"\d+", message) in ([], ["100"])


def test_finding_for_a_wrong_check_digit_does_not_show_the_number() -> None:
    """The whole way through validation: the sample with a wrong check digit."""
    path = SAMPLES / "invalid" / "personnummer-check-digit.yaml"
    raw = parse(path.read_text(encoding="utf-8")).data["individual"]["personal_id"]
    digits = re.sub(r"\D", "", str(raw))
    lines = [str(f) for f in validate_file(path).findings]
    assert lines == [
        f"{path}:14:3: error: individual.personal_id: the check digit does not match; "
        "check the number"
    ]
    for line in lines:
        assert str(raw) not in line
        assert digits[-4:] not in line
        assert digits[2:8] not in line


def test_reservnummer_message_does_not_repeat_the_value() -> None:
    message = error_of({"reservnummer": "R_98765"})
    assert "98765" not in message
