"""A sweep's comparison table as the page shows it: Markdown tables of the headline figures, the verdicts and
the swept values, and the sentence under each figure, worded from the table, never typed."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from startup_report.sweep.compare import HEADLINES

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
