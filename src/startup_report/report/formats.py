"""How the report writes a value of each kind (USD, percent, accuracy, counts, dates) in a table's cell.

The kinds of :func:`startup_report.report.tables.table`'s ``formats``: each formatter takes the value and
its number of decimals (None: the kind's own choice) and returns the text a reader sees.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd


def _number(value: float, digits: int | None) -> str:
    """A plain number with thousands separators; ``digits`` None picks them from the size of the number."""
    if digits is None:
        size = abs(value)
        digits = 0 if size >= 1000 or float(value).is_integer() else 2 if size >= 1 else 3
        if 0 < size < 0.001:
            return _minus(f"{value:.2e}")
    return _minus(f"{value:,.{digits}f}")


def _minus(text: str) -> str:
    """A typographic minus, which does not wrap away from its number."""
    return text.replace("-", "−") if text.startswith("-") else text


def _usd(value: float, digits: int | None) -> str:
    if digits is None:
        digits = 2 if abs(value) < 100 and not float(value).is_integer() else 0
    sign = "−" if value < 0 else ""
    return f"{sign}${abs(value):,.{digits}f}"


def _usd_millions(value: float, digits: int | None) -> str:
    sign = "−" if value < 0 else ""
    return f"{sign}${abs(value):,.{1 if digits is None else digits}f} m"


def _pct(value: float, digits: int | None) -> str:
    return _minus(f"{value * 100:,.{1 if digits is None else digits}f} %")


def _int(value: float, digits: int | None) -> str:
    return _minus(f"{round(value):,d}")


def _date(value: Any, digits: int | None) -> str:
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text(value: Any, digits: int | None) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value, digits)
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_text(item, digits) for item in value) + ")"
    return str(value)


Formatter = Callable[[Any, int | None], str]

#: The kinds a column can be formatted as; a kind may carry its number of decimals after a colon ("usd:0").
#: usd: dollars with thousands separators ($74,800; $0.85 below $100); usd_m: millions of dollars ($12.3 m);
#: pct: a fraction shown in percent (0.123 -> 12.3 %); accuracy: a fraction in percent, one decimal;
#: int: a count (12,345); number: a plain number; text: as it is (True -> yes); date: YYYY-MM-DD.
KINDS: dict[str, Formatter] = {
    "usd": _usd,
    "usd_m": _usd_millions,
    "pct": _pct,
    "accuracy": lambda value, digits: _pct(value, 1 if digits is None else digits),
    "int": _int,
    "number": _number,
    "text": _text,
    "date": _date,
}
NUMERIC = {"usd", "usd_m", "pct", "accuracy", "int", "number"}
