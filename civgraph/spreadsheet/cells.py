"""Strict reading of single cells: dates, numbers, yes/no, IDs.

Each reader takes what openpyxl or the csv module gives (str, int, float, bool, datetime, …) and
returns a Python value, or raises :class:`CellError` naming the message key of the problem.
Text in non-text columns is normalised with NFKC first, so full-width digits and punctuation
(``２０２５／３／１``, ``；``) read like their ASCII forms.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

KEY_PATTERN = re.compile(r"[A-Za-z0-9_.-]+")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_TRUE = {"是", "true", "1", "y", "yes", "t"}
_FALSE = {"否", "false", "0", "n", "no", "f"}
#: What separates several values in one cell (after NFKC, ； is ;).
SEPARATORS = re.compile(r"[、;]")


class CellError(ValueError):
    """A cell that cannot be read as its column's type; ``key`` names the message."""

    def __init__(self, key: str, value: str) -> None:
        super().__init__(key)
        self.key = key
        self.value = value


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: object) -> str:
    """A cell value as the user sees it, for messages."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normal(value: object) -> str:
    """A non-text cell as NFKC text without surrounding spaces."""
    return unicodedata.normalize("NFKC", shown(value)).strip()


def read_text(value: object) -> str:
    """Text keeps its own characters; only the surrounding spaces go."""
    if isinstance(value, str):
        return value.strip()
    return shown(value)


def read_key(value: object) -> str:
    text = normal(value)
    if not KEY_PATTERN.fullmatch(text):
        raise CellError("bad_key", shown(value))
    return text


def read_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise CellError("bad_date", shown(value))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise CellError("bad_date", shown(value))
    text = normal(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                break
    raise CellError("bad_date", shown(value))


def read_integer(value: object) -> int:
    if isinstance(value, bool):
        raise CellError("bad_integer", shown(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError("bad_integer", shown(value))
    if isinstance(value, str):
        text = normal(value)
        if _INTEGER.fullmatch(text):
            return int(text)
    raise CellError("bad_integer", shown(value))


def canonical_decimal(number: Decimal) -> str:
    """The canonical xsd:decimal form: ``12000`` → ``12000.0``, ``120.50`` → ``120.5``.

    A spreadsheet keeps a number, not how it was written, so the import always writes this form.

    >>> canonical_decimal(Decimal("0120.500")), canonical_decimal(Decimal("-0"))
    ('120.5', '0.0')
    """
    text = format(number, "f")
    if "." not in text:
        text += ".0"
    whole, fraction = text.split(".")
    fraction = fraction.rstrip("0") or "0"
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("+-").lstrip("0") or "0"
    if whole == "0" and fraction == "0":
        sign = ""
    return f"{sign}{whole}.{fraction}"


def read_decimal(value: object) -> str:
    """The canonical lexical form of an xsd:decimal."""
    if isinstance(value, bool):
        raise CellError("bad_decimal", shown(value))
    if isinstance(value, int | Decimal):
        return canonical_decimal(Decimal(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("bad_decimal", shown(value))
        return canonical_decimal(Decimal(repr(value)))
    if isinstance(value, str):
        text = normal(value)
        if _DECIMAL.fullmatch(text):
            try:
                return canonical_decimal(Decimal(text))
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                raise CellError("bad_decimal", shown(value)) from None
    raise CellError("bad_decimal", shown(value))


def read_boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = normal(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("bad_boolean", shown(value))


def split_values(value: object) -> list[str]:
    """The several values of a multi-valued cell, NFKC-normalised, blanks dropped."""
    return [part.strip() for part in SEPARATORS.split(normal(value)) if part.strip()]
