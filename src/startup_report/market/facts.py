"""Sourced market figures in ``data/market/*.csv``: schema, validation and look-up by key.

Every row carries its value, unit, year and source (publisher, title, URL, publication date), so a
figure in the book can always be traced to where it was published. A bad file is rejected before any
stage runs, with the file, row and column named.
"""

from __future__ import annotations

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


class MarketDataError(InputError):
    """A market file breaks the schema; the message names file, row and column."""


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
    if unit == "USD billion":
        return f"${value:,.0f} billion"
    if unit == "USD million":
        return f"${value:,.0f} million"
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
