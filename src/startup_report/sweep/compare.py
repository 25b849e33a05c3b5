"""The sweep's comparison: each scenario's headline figures, read from its hand-off files, in one table.

The numbers come from each scenario's ``evaluation/metrics.json`` and ``market-analysis/market.json``, the
validated hand-offs the book's own chapters read, so the comparison cannot disagree with a scenario's pages.
The sentences under the figures are worded here from the table, never typed.
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
# Table headers: the cells carry their units (%, USD, M USD), so the headers can be short.
SHORT = {
    "accuracy": "accuracy",
    "automation": "automation",
    "cost_per_contact_usd": "cost per contact",
    "npv_usd": "NPV with exit",
    "npv_no_exit_usd": "NPV without exit",
    "p_npv_positive": "P(NPV > 0)",
    "funding_need_usd": "funding need",
}


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


def _money(x: float) -> str:
    return f"{x / 1e6:,.2f} M USD" if abs(x) >= 1e5 else f"{x:,.2f} USD"


def _fmt(column: str, x: float) -> str:
    if column.endswith("_usd"):
        return _money(x)
    return f"{x:.1%}" if column in ("accuracy", "automation", "p_npv_positive") else f"{x:,.3g}"


def sentence(frame: pd.DataFrame, key: str | None) -> str:
    """What a figure shows, worded from the finished rows: the range of each headline, and where it is best."""
    done = frame.dropna(subset=["npv_usd"])
    if done.empty:
        return "No scenario finished, so there is nothing to compare."
    by = key or "scenario"
    best = done.loc[done["npv_usd"].idxmax()]
    worst = done.loc[done["npv_usd"].idxmin()]
    parts = [
        f"Across {len(done)} finished scenarios, NPV with exit ranges from {_money(worst['npv_usd'])} "
        f"({by} = {worst[by]}) to {_money(best['npv_usd'])} ({by} = {best[by]})"
    ]
    p = done["p_npv_positive"]
    parts.append(f"P(NPV > 0) from {p.min():.0%} to {p.max():.0%}")
    constant = [HEADLINES[c][2] for c in ("accuracy", "automation") if done[c].nunique() == 1]
    if constant:
        parts.append(
            f"{' and '.join(constant)} stay at {_fmt('accuracy', done['accuracy'].iloc[0])} and "
            f"{_fmt('automation', done['automation'].iloc[0])}"
            if len(constant) == 2
            else f"{constant[0]} does not move"
        )
    return "; ".join(parts) + "."


def _markdown(head: Sequence[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    return "\n".join([*lines, *("| " + " | ".join(cells) + " |" for cells in rows)])


MISSING = "—"
MISSING_NOTE = "— : the scenario did not finish (headline figures), or the key is unset in it (swept values)."


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def markdown_tables(frame: pd.DataFrame, keys: Sequence[str], links: dict[str, str]) -> list[tuple[str, str]]:
    """(title, Markdown table): the headline figures (names linking to executed notebooks), the verdicts and
    the swept values, apart so that each fits a page's width."""
    names = [str(name) for name in frame["scenario"]]
    figures = [
        [links.get(name, name), str(row["status"])]
        + [MISSING if pd.isna(row[c]) else _fmt(c, float(row[c])) for c in HEADLINES]
        for name, (_, row) in zip(names, frame.iterrows(), strict=True)
    ]
    verdicts = [
        [name, row["verdict"].replace("|", "/") if isinstance(row["verdict"], str) else "(did not finish)"]
        for name, (_, row) in zip(names, frame.iterrows(), strict=True)
    ]
    values = [
        [name, *(MISSING if _missing(row[k]) else str(row[k]) for k in keys)]
        for name, (_, row) in zip(names, frame.iterrows(), strict=True)
    ]
    return [
        ("Headline figures", _markdown(["scenario", "status", *SHORT.values()], figures)),
        ("Verdicts", _markdown(["scenario", "verdict"], verdicts)),
        ("Swept values", _markdown(["scenario", *(f"`{k}`" for k in keys)], values)),
    ]
