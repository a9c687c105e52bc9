"""Swedish identity numbers: personnummer, samordningsnummer and reservnummer.

Messages never repeat the number itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

_DIGITS = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$", re.ASCII)
_RESERVE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{0,29}$")
SAMORDNING_OFFSET = 60

FORMAT_HINT = (
    "expected a personnummer or samordningsnummer as YYYYMMDD-NNNN or YYMMDD-NNNN "
    "(+ for age 100 or more), or {reservnummer: ...}"
)


class IdKind(StrEnum):
    PERSONNUMMER = "personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer"
    RESERVNUMMER = "reservnummer"


class InvalidId(ValueError):
    """The value is not a usable identity number; the message says why without the number."""


@dataclass(frozen=True)
class PersonalId:
    """An identity number; personnummer and samordningsnummer are stored as 12 digits."""

    kind: IdKind
    value: str

    @property
    def birth_date(self) -> date | None:
        if self.kind is IdKind.RESERVNUMMER:
            return None
        day = int(self.value[6:8])
        if self.kind is IdKind.SAMORDNINGSNUMMER:
            day -= SAMORDNING_OFFSET
        return date(int(self.value[:4]), int(self.value[4:6]), day)

    def __str__(self) -> str:
        if self.kind is IdKind.RESERVNUMMER:
            return self.value
        return f"{self.value[:8]}-{self.value[8:]}"


def luhn_check_digit(nine_digits: str) -> int:
    """The check digit of YYMMDDNNN."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def parse_personal_id(raw: Any, reference: date) -> PersonalId:
    """Parse an identity number as written in a case file; `reference` settles the century."""
    if isinstance(raw, dict):
        return _parse_reserve(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise InvalidId(FORMAT_HINT)
    match = _DIGITS.match(raw.replace(" ", ""))
    if not match:
        raise InvalidId(FORMAT_HINT)
    century, yy, mm, dd, sign, serial, check = match.groups()
    if luhn_check_digit(yy + mm + dd + serial) != int(check):
        raise InvalidId("the check digit does not match; check the number")
    kind = IdKind.PERSONNUMMER
    day = int(dd)
    if day > SAMORDNING_OFFSET:
        kind, day = IdKind.SAMORDNINGSNUMMER, day - SAMORDNING_OFFSET
    try:
        if century:
            born = date(int(century + yy), int(mm), day)
        else:
            born = _born_from_short(int(yy), int(mm), day, sign, reference)
    except ValueError:
        raise InvalidId("the date part of the number is not a real date") from None
    if born > reference:
        raise InvalidId("the birth date in the number is later than the case date")
    year = born.year
    return PersonalId(kind, f"{year:04d}{mm}{dd}{serial}{check}")


def _born_from_short(yy: int, mm: int, dd: int, sign: str, reference: date) -> date:
    """The latest date with year ending in `yy` not after `reference`; '+' is 100 years earlier."""
    year = reference.year - (reference.year - yy) % 100
    if date(year, mm, dd if (mm, dd) != (2, 29) else 28) > reference:
        year -= 100
    if sign == "+":
        year -= 100
    return date(year, mm, dd)


def _parse_reserve(raw: dict[Any, Any]) -> PersonalId:
    if set(raw) != {"reservnummer"}:
        raise InvalidId("a reserve number is written as {reservnummer: ...} and nothing else")
    value = raw["reservnummer"]
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _RESERVE.match(value):
        raise InvalidId("a reservnummer is 1 to 30 letters, digits, spaces or hyphens")
    return PersonalId(IdKind.RESERVNUMMER, value)
