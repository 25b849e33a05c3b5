"""Whether a sourced figure is stale at the report's date (`market.as_of`), for the tables a reader sees.

A stale row is still shown (it may be the only source for its figure), flagged so that it is not read as
today's number. The rule looks at the year the figure is about, not at when it was published.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from startup_report.market.facts import parse_date

# A figure about a year more than this many years before the report's date (`market.as_of`) is flagged as stale
# in every table a reader sees: still shown (it may be the only source), but not read as today's number.
STALE_AFTER_YEARS = 5


def stale(years: pd.Series | int, as_of: str | dt.date) -> pd.Series | bool:
    """Whether a figure about ``years`` is stale at ``as_of``: more than STALE_AFTER_YEARS years before it.
    Forecasts (a year after ``as_of``) are never stale by this rule."""
    year = (as_of if isinstance(as_of, dt.date) else parse_date(str(as_of))).year
    if isinstance(years, pd.Series):
        return year - pd.to_numeric(years).astype(int) > STALE_AFTER_YEARS
    return year - int(years) > STALE_AFTER_YEARS


def dated(frame: pd.DataFrame, as_of: str | dt.date) -> pd.DataFrame:
    """The rows with a ``stale`` column ("stale" or "current") by the rule above, for the tables a reader sees."""
    return frame.assign(stale=stale(frame["year"], as_of).map({True: "stale", False: "current"}))
