"""The sweep's comparison: each scenario's headline figures, read from its hand-off files, in one table.

The numbers come from each scenario's ``evaluation/metrics.json`` and ``market-analysis/market.json``, the
validated hand-offs the book's own chapters read, so the comparison cannot disagree with a scenario's pages.
The site words and draws it (``site/sweep_tables.py``, ``site/sweep_plots.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from startup_report.engine.files import read_json
from startup_report.engine.layout import Layout
from startup_report.sweep.execute import Outcome
from startup_report.sweep.spec import Sweep, value

# column -> (hand-off file, field, label with unit); the headline figures of the issue, in the table's order.
HEADLINES: dict[str, tuple[str, str, str]] = {
    "accuracy": ("evaluation/metrics.json", "accuracy", "test accuracy (share)"),
    "automation": ("evaluation/metrics.json", "automation_rate", "automation (share of messages)"),
    "cost_per_contact_usd": ("market-analysis/market.json", "own_usd_per_contact", "cost per contact (USD)"),
    "npv_usd": ("market-analysis/market.json", "npv_base_usd", "NPV with exit (USD)"),
    "npv_no_exit_usd": ("market-analysis/market.json", "npv_base_no_exit_usd", "NPV without exit (USD)"),
    "p_npv_positive": ("market-analysis/market.json", "p_npv_positive", "P(NPV > 0) with exit (share of draws)"),
    "funding_need_usd": ("market-analysis/market.json", "funding_need_base_usd", "funding need (USD)"),
}
VERDICT = ("market-analysis/market.json", "verdict")
def headline(folder: Path) -> dict[str, object]:
    """One scenario's headline figures (empty when its chain did not finish)."""
    files: dict[str, dict] = {}
    row: dict[str, object] = {}
    for column, (name, key, _) in HEADLINES.items():
        path = folder / name
        if not path.is_file():
            return {}
        files.setdefault(name, read_json(path))
        row[column] = files[name][key]
    row["verdict"] = read_json(folder / VERDICT[0])[VERDICT[1]]
    return row


def table(layout: Layout, sweep: Sweep, outcomes: dict[str, Outcome]) -> pd.DataFrame:
    """One row per scenario: its swept values, its status, and (when it finished) its headline figures."""
    rows = []
    for scenario in sweep.scenarios:
        outcome = outcomes[scenario.name]
        row: dict[str, object] = {"scenario": scenario.name, "status": outcome.status}
        row.update({key: value(scenario.params, key) for key in sweep.swept})
        if outcome.status != "failed":
            row.update(headline(layout.scenario(scenario.name).build))
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in [*HEADLINES, "verdict"]:
        if column not in frame:
            frame[column] = None
    return frame


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The table as JSON-ready rows: plain Python numbers at full precision, a missing figure as None."""

    def plain(value: object) -> object:
        value = value.item() if hasattr(value, "item") else value
        return None if isinstance(value, float) and value != value else value

    return [{key: plain(value) for key, value in row.items()} for row in frame.to_dict(orient="records")]


def numeric_keys(frame: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    """Swept keys with numbers for values (plotted on an axis); the others are categories."""
    return [key for key in keys if pd.api.types.is_numeric_dtype(frame[key]) and frame[key].nunique() > 1]
