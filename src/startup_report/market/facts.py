"""Sourced market figures in ``data/market/*.csv``: schema, validation and look-up by key.

Every row carries its value, unit, year and source (publisher, title, URL, publication date), so a
figure in the book can always be traced to where it was published. A bad file is rejected before any
stage runs, with the file, row and column named.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from startup_report.engine.stage import InputError

UNITS = (
    "USD",
    "USD per contact",
    "USD per resolution",
    "USD per conversation",
    "USD per action",
    "USD per seat-month",
    "USD per hour",
    "USD per year",
    "USD per million tokens",
    "USD per GPU-hour",
    "USD per vCPU-hour",
    "USD billion",
    "USD million",
    "percent",
    "count",
    "FLOP",
    "TFLOPS",
    "tokens per parameter",
    "parameters",
    "tokens",
    "months",
    "minutes",
    "times revenue",
)
COMMON_COLUMNS = ("key", "metric", "value", "unit", "year", "publisher", "title", "url", "published", "secondary")
_NOT_BLANK = pa.Check(lambda s: s.astype(str).str.strip() != "", element_wise=False, error="must not be blank")

SCHEMA = pa.DataFrameSchema(
    {
        "key": pa.Column(str, [_NOT_BLANK, pa.Check.str_matches(r"^[a-z0-9_]+$")], unique=True),
        "metric": pa.Column(str, _NOT_BLANK),
        "value": pa.Column(float, pa.Check.ge(0), coerce=True),
        "unit": pa.Column(str, pa.Check.isin(UNITS)),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100), coerce=True),
        "publisher": pa.Column(str, _NOT_BLANK),
        "title": pa.Column(str, _NOT_BLANK),
        "url": pa.Column(str, pa.Check.str_matches(r"^https?://")),
        "published": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2}(-\d{2})?)?$")),
        "secondary": pa.Column(str, pa.Check.isin(["true", "false"])),
        "note": pa.Column(str, nullable=True, required=False),
    },
    strict=False,
)


# Extra columns with a closed list of values, by file stem: a row outside the list is refused like a bad unit.
SECTOR_KINDS = (
    "funding",  # venture funding, all sectors
    "ai_funding",  # funding raised by AI companies
    "ai_share",  # AI's share of venture funding
    "down_rounds",  # share of rounds priced below the last one
    "round_multiple",  # valuation over revenue in fundraising rounds
    "exit_multiple",  # valuation over revenue in acquisitions
    "public_multiple",  # enterprise value over revenue of listed companies
    "acquisition",  # the price of one named acquisition
)
CHOICES = {"sector": {"kind": SECTOR_KINDS}}


class MarketDataError(InputError):
    """A market file breaks the schema; the message names file, row and column."""


# Columns holding dates: `published` may be a year or a month (YYYY, YYYY-MM) where the source gives no day;
# llm_prices.csv's `read` (when the price was read) and `retires` are whole dates, never blank: `retires` says
# NO_RETIREMENT where no shutdown was announced.
DATE_COLUMNS = {"published": False, "read": True, "retires": True}  # column -> whether a full date is required
REQUIRED_DATES = ("read", "retires")
NO_RETIREMENT = "none announced"
NUMERIC_COLUMNS = ("value", "year")
# A text cell a spreadsheet would run as a formula (CSV injection): '=', '@', tab or CR first, or '+'/'-' first
# unless it is a signed figure then words ("+14% vs 2023", as shipped notes begin) holding no `|`, `=` or `!`
# (a DDE call, a formula, a cell reference).
_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![0-9][0-9.,]*%?(\s|$))")
_CALL = re.compile(r"[|=!]")


def parse_date(text: str, full: bool = True) -> dt.date:
    """An ISO date (``YYYY-MM-DD``; with ``full`` off also ``YYYY`` or ``YYYY-MM``, read as its first day);
    ValueError for anything else, including impossible dates (2026-13-45, 2026-02-30) and ``2026-2-1``."""
    text = str(text).strip()
    formats = {10: "%Y-%m-%d"} if full else {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}
    if len(text) not in formats or not re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
        raise ValueError(f"{text[:40]!r} is not an ISO date (YYYY-MM-DD{'' if full else ', YYYY-MM or YYYY'})")
    try:
        return dt.datetime.strptime(text, formats[len(text)]).date()
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar date") from None


def duplicate_keys(frame: pd.DataFrame) -> list[str]:
    """Each key that more than one row holds, with those rows (``'a' in rows 2, 5``), in file order."""
    keys = frame["key"].astype(str).str.strip()
    rows = keys[keys.duplicated(keep=False)]
    return [
        f"{key!r} in rows {', '.join(str(int(i) + 2) for i in group.index)}"
        for key, group in rows.groupby(rows, sort=False)
    ]


def _choice_problems(frame: pd.DataFrame, stem: str) -> list[str]:
    """Cells of this file's closed-list columns (`CHOICES`) that hold no allowed value, as message lines."""
    lines: list[str] = []
    for column, allowed in CHOICES.get(stem, {}).items():
        if column not in frame:
            lines.append(f"  - all rows, column {column!r}: missing; {stem}.csv needs it (one of {list(allowed)})")
            continue
        for index, cell in frame[column].items():
            if cell not in allowed:
                lines.append(f"  - row {int(index) + 2}, column {column!r}: {cell!r} is not one of {list(allowed)}")
    return lines


def _cell_problems(frame: pd.DataFrame) -> list[str]:
    """Dates that are not dates and text cells a spreadsheet would run as formulas, as message lines."""
    lines: list[str] = []
    for column, full in DATE_COLUMNS.items():
        if column not in frame:
            continue
        for index, cell in frame[column].items():
            if pd.isna(cell) or str(cell).strip() == "":
                if column in REQUIRED_DATES:
                    lines.append(f"  - row {int(index) + 2}, column {column!r}: blank; give a date (YYYY-MM-DD)"
                                 + (f" or {NO_RETIREMENT!r}" if column == "retires" else ""))
                continue
            if column == "retires" and str(cell).strip() == NO_RETIREMENT:
                continue
            try:
                parse_date(cell, full)
            except ValueError as exc:
                lines.append(f"  - row {int(index) + 2}, column {column!r}: {exc}")
    for column in frame.columns:
        if column in NUMERIC_COLUMNS:
            continue
        for index, cell in frame[column].items():
            text = cell if isinstance(cell, str) else ""
            if _FORMULA.match(text) or (text[:1] in "+-" and _CALL.search(text)):
                lines.append(
                    f"  - row {int(index) + 2}, column {column!r}: starts with {text[:1]!r} "
                    f"({text[:40]!r}): a spreadsheet would run it as a formula; reword it so that it starts "
                    "with a letter or a digit"
                )
    return lines


# Validated tables by (path, size, modification time): a `run` checks the market files in several preflights and
# the market chapter reads them twice (its inputs, its checks); pandera took 0.15 s over the ten files each time.
_VALIDATED: dict[tuple[str, int, int], pd.DataFrame] = {}


def read_facts(path: Path) -> pd.DataFrame:
    """One validated market CSV (all columns kept, extra ones included); a file read before in this process and
    unchanged since (same size and modification time) is not validated again."""
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise MarketDataError(f"{path}: cannot be read as CSV ({exc}).") from exc
    key = (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _VALIDATED:
        _VALIDATED[key] = _read_and_validate(path)
    return _VALIDATED[key].copy()


def _read_and_validate(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise MarketDataError(f"{path}: cannot be read as CSV ({exc}).") from exc
    missing = [column for column in COMMON_COLUMNS if column not in frame.columns]
    if missing:
        raise MarketDataError(f"{path}: missing columns {missing}; every market file needs {list(COMMON_COLUMNS)}.")
    duplicated = duplicate_keys(frame)
    if duplicated:
        raise MarketDataError(
            f"{path}: duplicate values in column 'key' (rows count from 1 at the header): {'; '.join(duplicated)}. "
            "A key names one figure: keep one row per key (remove the copy, or give a different figure its own key)."
        )
    try:
        valid = SCHEMA.validate(frame, lazy=True)
    except SchemaErrors as exc:
        lines = []
        cases = exc.failure_cases
        for _, case in cases.head(10).iterrows():
            row = case["index"]
            where = f"row {int(row) + 2}" if pd.notna(row) else "all rows"
            lines.append(f"  - {where}, column {case['column']!r}: {case['check']} (found {case['failure_case']!r})")
        more = f"\n  ... and {len(cases) - 10} more" if len(cases) > 10 else ""
        raise MarketDataError(
            f"{path}: {len(cases)} problem(s); rows count from 1 at the header:\n"
            + "\n".join(lines)
            + more
            + "\nEvery row needs a value >= 0, a unit from the list in data/market/README.md, a year, "
            "a publisher, a title, a URL and a publication date."
        ) from exc
    cells = _cell_problems(frame) + _choice_problems(frame, Path(path).stem)
    if cells:
        more = f"\n  ... and {len(cells) - 10} more" if len(cells) > 10 else ""
        raise MarketDataError(
            f"{path}: {len(cells)} problem(s); rows count from 1 at the header:\n" + "\n".join(cells[:10]) + more
        )
    # Parsed after validation: a cast of the text "false" to bool would read it as true.
    return valid.assign(secondary=valid["secondary"] == "true")


def load_facts(folder: Path) -> dict[str, pd.DataFrame]:
    """Every ``*.csv`` in the folder, validated, by file stem."""
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise MarketDataError(f"{folder}: no market CSV files. Set market.facts_dir to the folder of sourced CSVs.")
    return {path.stem: read_facts(path) for path in files}


def fact(facts: dict[str, pd.DataFrame], table: str, key: str) -> pd.Series:
    """One sourced row by file stem and key, with a clear error when it is absent."""
    frame = facts.get(table)
    if frame is None:
        raise MarketDataError(f"market file {table}.csv is missing from market.facts_dir.")
    rows = frame[frame["key"] == key]
    if rows.empty:
        raise MarketDataError(f"{table}.csv has no row with key {key!r}; keys there: {list(frame['key'])[:12]} ...")
    return rows.iloc[0]


def citation(row: pd.Series) -> str:
    """'Publisher, "Title" (published), URL' for a figure caption or table."""
    return f'{row["publisher"]}, "{row["title"]}" ({row["published"]}), {row["url"]}'


def value(facts: dict[str, pd.DataFrame], table: str, key: str) -> float:
    """The numeric value of one sourced row."""
    return float(fact(facts, table, key)["value"])


def formatted(row: pd.Series) -> str:
    """A sourced value written for prose, by its unit: 66%, $0.32, $644 billion, 700."""
    value, unit = float(row["value"]), str(row["unit"])
    if unit == "percent":
        return f"{value:g}%"
    if unit in ("USD billion", "USD million"):  # $3.6 billion, not $4 billion; $644 billion
        return f"${value:,.1f} {unit[4:]}" if value < 10 else f"${value:,.0f} {unit[4:]}"
    if unit.startswith("USD"):
        amount = f"${value:,.2f}" if value < 100 else f"${value:,.0f}"
        per = unit.removeprefix("USD").strip()
        return f"{amount} {per}".strip()
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:g} {unit}"


def evidence(facts: dict[str, pd.DataFrame], keys: dict[str, tuple[str, str]]) -> tuple[dict[str, str], pd.DataFrame]:
    """Glue values and a source table for named facts: {glue_name: (file stem, key)}."""
    rows = {name: fact(facts, table, key) for name, (table, key) in keys.items()}
    values = {name: formatted(row) for name, row in rows.items()}
    table = pd.DataFrame(
        [
            {
                "figure": name,
                "value": values[name],
                "year": row["year"],
                "publisher": row["publisher"],
                "title": row["title"],
                "published": row["published"],
                "url": row["url"],
                "secondary": row["secondary"],
            }
            for name, row in rows.items()
        ]
    )
    return values, table

